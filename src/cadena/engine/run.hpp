#pragma once
// The façade front ends call for a network run: load the built-in baseline or a scenario,
// build the chain LP, solve it, extract and analyse the result. Nothing here prints or exits;
// writing the output files is a separate call, so a front end decides what to publish.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cadena/analytics/calibration.hpp"
#include "cadena/chain/network.hpp"
#include "cadena/core/error.hpp"
#include "cadena/core/progress.hpp"
#include "cadena/io/scenario_io.hpp"
#include "cadena/model/dataset.hpp"
#include "cadena/report/run_report.hpp"

namespace cadena::engine {

struct RunOptions {
  // The base dataset: a built-in name or a dataset folder. Empty: the scenario's own base (its
  // `dataset`/`builtin`), or lithium-2024 without a scenario. Given with a scenario, the scenario's
  // overrides apply to this dataset instead of its own base.
  std::string dataset;
  std::string solver = "clp";                       // solvers::solver_names()
  std::optional<std::filesystem::path> export_mps;  // written after the build, before the solve
  chain::BuildOptions build;
  Progress* progress = nullptr;  // told "load", "build", "solve" (the caller owns it)
  // `--set KEY=VALUE` overrides applied after the scenario file (io::apply_assignment); without
  // a scenario file they apply to the baseline.
  std::vector<std::string> set;
};

// A dataset ready to run and the name of the scenario it came from.
struct RunInput {
  model::Dataset dataset;
  std::string scenario;  // "baseline" without a scenario file
  std::string source = {};  // the scenario file or dataset folder, named by errors that have no file of their own
  // For the run history: the scenario file as given, its SHA-256 and text ("" for the baseline),
  // and the dataset's version: "<name> sha256:<hex>" over its folder's files (names and bytes).
  std::string scenario_file = {}, scenario_sha256 = {}, scenario_text = {};
  std::string dataset_version = {};
  std::vector<std::string> overrides = {};  // the `--set` assignments applied, in order
};

// No scenario: the built-in dataset (or `dataset`, see RunOptions::dataset) as it is ("baseline").
// A scenario: its base dataset (or `dataset`) with the overrides applied and re-validated; its
// name, or the file's stem when it has none.
Result<RunInput> load_run_input(const std::optional<std::filesystem::path>& scenario_file,
                                const std::string& dataset = "", const std::vector<std::string>& set = {});

// A scenario (with its `--set` overrides) and its base dataset, before the overrides are applied:
// a sweep applies the same scenario to the same base once per value without reading files again.
struct PreparedRun {
  io::Scenario scenario;
  model::Dataset base;
  std::string source;  // as RunInput::source
  std::string dataset_version;  // as RunInput::dataset_version, of `base`
};
Result<PreparedRun> prepare_run(const std::optional<std::filesystem::path>& scenario_file,
                                const std::string& dataset = "", const std::vector<std::string>& set = {});
// Applies the prepared scenario, with `more` assignments after its own (errors name `origin`), to
// a copy of its base.
Result<RunInput> apply_prepared(const PreparedRun& prepared, const std::vector<std::string>& more = {},
                                std::string_view origin = "--set");

// Lower-case hex SHA-256 of `bytes` (what `sha256sum` prints for the same file).
std::string sha256_hex(std::string_view bytes);

// "<name> sha256:<hex>" of a dataset folder: every regular file directly in it, sorted by
// name, hashed as name, NUL, bytes, NUL. Unreadable folders give "<name>".
std::string dataset_version(const std::string& name, const std::filesystem::path& folder);

// Builds, solves and analyses. A non-optimal solve is not an error: the report's termination
// says so (with the unmet-demand slack the LP is always feasible, so this means a solver limit).
Result<report::RunReport> run_dataset(const RunInput& input, const RunOptions& options = {});

// load_run_input + run_dataset.
Result<report::RunReport> run(const std::optional<std::filesystem::path>& scenario_file,
                              const RunOptions& options = {});

// Both runs of a calibration and the comparison with the dataset's reference statistics.
struct Calibration {
  report::RunReport baseline;  // cost-minimal: no production floor
  report::RunReport observed;  // production held at the reported output (floor share 1)
  std::vector<analytics::CalibrationRow> rows;
};

// Runs the input twice — cost-minimal (production_floor none) and observed (production_floor
// reported, share 1, the input's stock cost) — and compares both with the reference rows.
Result<Calibration> calibrate(const RunInput& input, const RunOptions& options = {});

// ./out/<scenario>, the default --out of `cadena run`. A name that would leave ./out (a path, "..")
// or hide there is a Value error (key 'name'): the scenario reader refuses those already, this
// is the last check before a folder is replaced.
Result<std::filesystem::path> default_out_dir(const std::string& scenario);

}  // namespace cadena::engine
