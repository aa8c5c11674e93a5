#pragma once
// The table a sweep writes (`cadena run --sweep KEY=FROM:TO:STEP`): one row per value of the swept
// key, one column per chosen output. Outputs are numbers of summary.json named by their path
// (`objective_usd`, `prices.US.cell_nmc`, `stages.mining.by_country.AR.share`); a `*` part stands
// for every key at that level of the first run's summary.json, so `prices.*.li2co3` is one
// column per region. docs/formulation.md, "Sweeps".
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/core/publish.hpp"

namespace cadena::report {

struct SweepRow {
  std::string value;   // the value given to the key, as written to the scenario
  std::string status;  // the solve's termination ("optimal")
  std::vector<std::optional<double>> cells;  // one per column; empty when the run has no such number
};

struct SweepTable {
  std::string scenario;  // the scenario swept
  std::string key;       // the swept key (as for --set)
  std::vector<std::string> columns;  // summary.json paths
  std::vector<SweepRow> rows;
  double seconds = 0.0;  // wall time of all runs
};

// The outputs a sweep reports when none are chosen: total cost and its split, emissions, water,
// and every demand-row price.
std::vector<std::string> default_sweep_metrics();

// Expands `patterns` against a summary.json: each `*` part becomes every key present at that
// level (in the file's order). A pattern that names no number is a Value error with key
// "--metric" and the pattern as element, listing what the level holds.
Result<std::vector<std::string>> expand_metrics(const std::vector<std::string>& patterns,
                                                const std::string& summary_json);

// The numbers at `paths` in a summary.json (nullopt where a path is absent, e.g. a country with no
// output in that run). Bad JSON is a Value error.
Result<std::vector<std::optional<double>>> read_metrics(const std::vector<std::string>& paths,
                                                        const std::string& summary_json);

// sweep.csv: the key's column, status, then one column per output (empty cells where absent).
std::string sweep_csv(const SweepTable& t);
// sweep.json: {"scenario", "key", "columns", "rows": [{"value", "status", "outputs": {path: number|null}}]}.
std::string sweep_json(const SweepTable& t);
// A readable table for the terminal (numbers rounded to 4 significant digits).
std::string sweep_text(const SweepTable& t);

// Publishes sweep.csv and sweep.json as the folder `dir` (all at once, core/publish.hpp).
Result<Publication> write_sweep_outputs(const SweepTable& t, const std::filesystem::path& dir);

}  // namespace cadena::report
