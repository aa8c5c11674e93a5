#pragma once
// Sweeps: one scenario run once per value of a key (`cadena run --sweep KEY=FROM:TO:STEP`), the
// chosen outputs of every run gathered into one table (report/sweep_table.hpp). The scenario and
// its base dataset are read once; each value is applied as a last `--set KEY=VALUE`.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/report/sweep_table.hpp"

namespace cadena::engine {

struct SweepSpec {
  std::string key;  // a scenario key as for --set (io::apply_assignment)
  double from = 0.0, to = 0.0, step = 0.0;
};

// At most this many values in one sweep.
inline constexpr std::size_t kMaxSweepPoints = 10000;

// Reads "KEY=FROM:TO:STEP". FROM, TO and STEP are numbers; STEP is positive when TO > FROM,
// negative when TO < FROM (any when they are equal). Syntax/Value errors name "--sweep".
Result<SweepSpec> parse_sweep(std::string_view text);

// FROM, FROM + STEP, ... up to TO (included when it is reached within 1e-9 of a step), each
// rounded to 12 significant digits so 0.1 steps print as 0.3, not 0.30000000000000004.
std::vector<double> sweep_values(const SweepSpec& spec);

// Runs the sweep: `options.set` first, then KEY=value, for each value. `metrics` are summary.json
// paths (report::expand_metrics; default report::default_sweep_metrics()), expanded against the
// first run. A bad key or value is the error of the first run it breaks, with the value named.
Result<report::SweepTable> run_sweep(const std::optional<std::filesystem::path>& scenario_file,
                                     const RunOptions& options, const SweepSpec& spec,
                                     const std::vector<std::string>& metrics = {});

}  // namespace cadena::engine
