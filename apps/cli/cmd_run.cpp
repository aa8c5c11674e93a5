// `cadena run [SCENARIO.toml] [--out DIR] [--json] [--solver clp|glpk] [--export-mps FILE] [--db FILE]`:
// solves the single-year network for the built-in baseline or a scenario, prints a summary and
// writes flows.csv, facilities.csv and summary.json. Output files appear only when the run
// succeeded (report::write_run_outputs publishes the folder with one rename). With --db the run
// is also appended to a results store: it is staged in an open transaction before the folder is
// published and committed after, so a failure on either side leaves both as they were (short
// of a failing COMMIT after the folder is in place, which SQLite makes unlikely).
#include <fmt/core.h>

#include <memory>
#include <optional>
#include <string>

#include "cadena/engine/run.hpp"
#include "cadena/report/results_store.hpp"
#include "cadena/report/run_report.hpp"
#include "commands.hpp"

namespace cadena::cli {

namespace {
struct RunArgs {
  std::string scenario;
  std::string out;
  bool json = false;
  std::string solver = "clp";
  std::string export_mps;
  std::string db;
};

int run_command(const RunArgs& a) {
  engine::RunOptions opt;
  opt.solver = a.solver;
  if (!a.export_mps.empty()) opt.export_mps = a.export_mps;
  std::optional<std::filesystem::path> scenario;
  if (!a.scenario.empty()) scenario = a.scenario;

  auto rep = engine::run(scenario, opt);
  if (!rep) return report_error(rep.error());
  if (rep->result.termination != lp::Termination::Optimal) {
    fmt::print(stderr, "cadena: the solver stopped without an optimum ({}); no output written\n",
               lp::to_string(rep->result.termination));
    return kExitFailure;
  }
  auto out = a.out.empty() ? engine::default_out_dir(rep->info.scenario) : std::filesystem::path(a.out);
  std::optional<report::ResultsStore> store;
  std::int64_t run_id = 0;
  if (!a.db.empty()) {
    auto opened = report::ResultsStore::open(a.db, true);
    if (!opened) return report_error(opened.error());
    store.emplace(std::move(*opened));
    auto id = store->stage_run(*rep);
    if (!id) return report_error(id.error());
    run_id = *id;
  }
  auto written = report::write_run_outputs(*rep, out);
  if (!written) return report_error(written.error());  // the staged run rolls back with `store`
  if (store) {
    auto committed = store->commit();
    if (!committed) return report_error(committed.error());
  }
  if (a.json) {
    fmt::print("{}", report::summary_json(*rep));
  } else {
    fmt::print("{}", report::summary_text(*rep));
    fmt::print("wrote {}/{{flows.csv, facilities.csv, summary.json}}\n", out.string());
    if (store) fmt::print("stored run {} in {}\n", run_id, a.db);
  }
  return kExitOk;
}
}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Solve the single-year supply-chain network (built-in baseline or a scenario)");
  cmd->add_option("SCENARIO", args->scenario, "scenario .toml (default: the built-in baseline)");
  cmd->add_option("--out", args->out, "output folder (default ./out/<scenario>)");
  cmd->add_flag("--json", args->json, "print summary.json to stdout instead of the readable summary");
  cmd->add_option("--solver", args->solver, "LP solver: clp (default) or glpk");
  cmd->add_option("--export-mps", args->export_mps, "also write the LP as free-format MPS to FILE");
  cmd->add_option("--db", args->db, "also append the run to the SQLite results store FILE (created if missing)");
  cmd->callback([args, &exit_code] { exit_code = run_command(*args); });
}

}  // namespace cadena::cli
