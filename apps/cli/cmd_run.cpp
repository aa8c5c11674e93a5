// `cadena run [SCENARIO.toml] [--dataset NAME|DIR] [--set KEY=VALUE]... [--out DIR] [--json] [--report]
//  [--solver clp|glpk] [--export-mps FILE] [--db FILE]`: solves the single-year network for the
// built-in baseline or a scenario, prints a summary and writes flows.csv, facilities.csv and
// summary.json (and report.html with --report). With `--sweep KEY=FROM:TO:STEP [--metric PATH]...`
// it runs once per value and writes one table (sweep.csv, sweep.json) instead. Output files appear only when the run
// succeeded, all at once (core/publish.hpp). With --db the run is also appended to a results
// store, in this order (docs/reliability.md): the run is staged in an open transaction, the
// folder is published with a marker saying its run is not stored yet, the store commits, and
// the marker is rewritten to name the stored run. A run killed between publication and commit
// leaves a folder whose marker says so; the next run into that folder reports it.
#include <fmt/core.h>

#include <chrono>
#include <functional>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "cadena/core/crash_point.hpp"
#include "cadena/core/publish.hpp"
#include "cadena/core/clock.hpp"
#include "cadena/engine/pathway.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/report/html_report.hpp"
#include "cadena/engine/sweep.hpp"
#include "cadena/report/results_store.hpp"
#include "cadena/report/run_report.hpp"
#include "commands.hpp"

namespace cadena::cli {

namespace {
struct RunArgs {
  std::string scenario;
  std::string dataset;
  std::string out;
  bool json = false;
  bool report = false;
  std::string solver = "clp";
  std::string export_mps;
  std::string db;
  std::vector<std::string> set;
  std::string sweep;
  std::vector<std::string> metrics;
  // Pathways (engine/pathway.hpp): unset options come from the scenario, then the dataset.
  std::string years;
  std::optional<double> discount_rate;
  std::string demand_path;
  bool myopic = false, mip = false;
  std::optional<double> mip_gap, time_limit_s;
  std::string show_years;
};

std::string new_token() {
  std::random_device rd;
  return fmt::format("{:08x}{:08x}{:08x}{:08x}", rd(), rd(), rd(), rd());
}

void note(const std::string& text) {
  end_progress();
  fmt::print(stderr, "cadena: note: {}\n", text);
}

// --out, or ./out/<scenario name> when it is not given.
Result<std::filesystem::path> output_folder(const RunArgs& a, const std::string& scenario) {
  if (!a.out.empty()) return std::filesystem::path(a.out);
  return engine::default_out_dir(scenario);
}

// --db, else $CADENA_DB ("" = no store).
std::string store_path(const RunArgs& a) {
  if (!a.db.empty()) return a.db;
  if (const char* env = std::getenv("CADENA_DB"); env && *env) return env;
  return {};
}

// Publishes a run's folder and, with a store, stores the run, in the order docs/reliability.md
// states: stage the run in an open transaction (`stage`), publish the folder (`write`, given the
// marker) saying the store has not committed it, commit, then rewrite the marker to name the
// stored run. Returns the stored run's id (0 without a store); the caller prints.
Result<std::int64_t> publish_and_store(
    const std::string& db, const std::filesystem::path& out,
    const std::function<Result<std::int64_t>(report::ResultsStore&, const std::string& token)>& stage,
    const std::function<Result<Publication>(std::string_view marker)>& write) {
  std::optional<report::ResultsStore> store;
  const std::string token = new_token();
  std::string db_abs;
  if (!db.empty()) {
    auto opened = report::ResultsStore::open(db, true);
    if (!opened) return opened.error();
    store.emplace(std::move(*opened));
    for (const auto& n : store->notes()) note(n);
    auto id = stage(*store, token);
    if (!id) return id.error();
    crash_point("run-staged");
    std::error_code ec;
    db_abs = std::filesystem::absolute(db, ec).string();
  }
  // Results about to be replaced that a killed run left unstored: say so before they go.
  if (auto pending = report::unstored_run_note(out)) note(*pending);
  const std::string marker =
      store ? fmt::format("store = {}\nrun_token = {}\nstate = pending: the store has not committed this run\n", db_abs, token)
            : std::string();
  auto written = write(marker);
  if (!written) return written.error();  // the staged run rolls back with `store`
  for (const auto& n : written->notes) note(n);
  crash_point("run-published");
  if (!store) return std::int64_t{0};
  auto committed = store->commit();
  if (!committed) return committed.error();
  const std::int64_t run_id = *committed;
  crash_point("run-committed");
  auto st = rewrite_marker(written->folder,
                           fmt::format("store = {}\nrun = {}\nrun_token = {}\nstate = stored\n", db_abs, run_id, token),
                           fmt::format("run_token = {}\n", token));
  if (!st) return st.error();
  if (!*st)
    note(fmt::format("{} holds the results of a run that published it after this one; this run is stored as run {}",
                     written->folder.string(), run_id));
  return run_id;
}

int sweep_command(const RunArgs& a, const engine::RunOptions& opt, const std::optional<std::filesystem::path>& scenario) {
  auto bad = [](std::string message) {
    return report_error(make_error(ErrorCategory::Syntax, std::move(message), {"", 0, "--sweep", ""}));
  };
  if (!a.db.empty()) return bad("a sweep is not stored; expected --sweep without --db (store single runs instead)");
  if (!a.export_mps.empty()) return bad("a sweep writes no MPS file; expected --sweep without --export-mps");
  auto spec = engine::parse_sweep(a.sweep);
  if (!spec) return report_error(spec.error());
  auto table = engine::run_sweep(scenario, opt, *spec, a.metrics);
  if (!table) return report_error(table.error());
  auto out = output_folder(a, table->scenario + "-sweep");
  if (!out) return report_error(out.error());
  auto written = report::write_sweep_outputs(*table, *out);
  if (!written) return report_error(written.error());
  for (const auto& n : written->notes) note(n);
  if (a.json) {
    fmt::print("{}", report::sweep_json(*table));
  } else {
    fmt::print("cadena sweep: scenario {}, {} = {} .. {} ({} runs in {:.2f} s)\n", table->scenario, table->key,
               table->rows.empty() ? "" : table->rows.front().value, table->rows.empty() ? "" : table->rows.back().value,
               table->rows.size(), table->seconds);
    fmt::print("{}", report::sweep_text(*table));
    fmt::print("wrote {}/{{sweep.csv, sweep.json}}\n", out->string());
  }
  return kExitOk;
}

// A run over years: one folder with flows.csv and facilities.csv (a year column), builds.csv and
// summary.json (per-year series), and a short table for chosen years on the terminal.
int pathway_command(const RunArgs& a, const engine::RunOptions& opt, const std::optional<std::filesystem::path>& scenario,
                    const engine::PathwayOptions& p) {
  auto bad = [](std::string message, std::string key) {
    return report_error(make_error(ErrorCategory::Syntax, std::move(message), {"", 0, std::move(key), ""}));
  };
  if (!a.export_mps.empty()) return bad("--export-mps writes a single-year LP; expected it without --years", "--export-mps");
  std::vector<int> show;
  if (!a.show_years.empty()) {
    auto ys = model::parse_years(a.show_years);
    if (!ys) return bad(ys.error().message, "--show-years");
    show = *ys;
  }
  auto rep = engine::run_pathway(scenario, opt, p);
  if (!rep) return report_error(rep.error());
  if (rep->termination != lp::Termination::Optimal) {
    end_progress();
    fmt::print(stderr, "cadena: the solver stopped without an optimum ({}); no output written\n",
               lp::to_string(rep->termination));
    return kExitFailure;
  }
  auto out_dir = output_folder(a, rep->info.scenario);
  if (!out_dir) return report_error(out_dir.error());
  const std::filesystem::path out = *out_dir;
  std::vector<OutputFile> extra;
  if (a.report) {
    progress_phase(opt.progress, "report");
    auto html = report::pathway_report_html(*rep);
    if (!html) return report_error(html.error());
    extra.push_back({"report.html", std::move(*html)});
  }
  const std::string db = store_path(a);
  auto run_id = publish_and_store(
      db, out, [&](report::ResultsStore& s, const std::string& token) { return s.stage_pathway_run(*rep, token); },
      [&](std::string_view marker) { return report::write_pathway_outputs(*rep, out, marker, std::move(extra)); });
  if (!run_id) return report_error(run_id.error());
  end_progress();
  if (a.json) {
    fmt::print("{}", report::pathway_summary_json(*rep));
  } else {
    fmt::print("{}", report::pathway_summary_text(*rep, show));
    fmt::print("wrote {}/{{flows.csv, facilities.csv, builds.csv, summary.json{}}}\n", out.string(),
               a.report ? ", report.html" : "");
    if (!db.empty()) fmt::print("stored run {} in {}\n", *run_id, db);
  }
  return kExitOk;
}

int run_command(const RunArgs& a) {
  engine::RunOptions opt;
  opt.solver = a.solver;
  opt.dataset = a.dataset;
  opt.progress = progress();
  opt.set = a.set;
  if (!a.export_mps.empty()) opt.export_mps = a.export_mps;
  std::optional<std::filesystem::path> scenario;
  if (!a.scenario.empty()) scenario = a.scenario;
  engine::PathwayOptions p;
  p.years = a.years;
  p.discount_rate = a.discount_rate;
  if (!a.demand_path.empty()) p.demand_path = a.demand_path;
  if (a.myopic) p.myopic = true;
  if (a.mip) p.mip = true;
  p.mip_gap = a.mip_gap;
  p.time_limit_s = a.time_limit_s;
  auto pathway = engine::wants_pathway(scenario, p);
  if (!pathway) return report_error(pathway.error());
  if (*pathway && !a.sweep.empty())
    return report_error(make_error(ErrorCategory::Syntax, "--sweep runs single years; expected it without --years",
                                   {"", 0, "--sweep", ""}));
  if (*pathway) return pathway_command(a, opt, scenario, p);
  for (const auto& [given, flag] : {std::pair{!a.demand_path.empty() || a.discount_rate.has_value(), "--demand-path/--discount-rate"},
                                    {a.myopic || a.mip || a.mip_gap || a.time_limit_s, "--myopic/--mip/--mip-gap/--time-limit"}})
    if (given)
      return report_error(make_error(ErrorCategory::Syntax,
                                     fmt::format("{} apply to a run over years; expected --years 2024:2050 (or years in the scenario)", flag),
                                     {"", 0, "--years", ""}));
  if (!a.sweep.empty()) return sweep_command(a, opt, scenario);
  if (!a.metrics.empty())
    return report_error(make_error(ErrorCategory::Syntax, "--metric chooses the columns of a sweep; expected it with --sweep",
                                   {"", 0, "--metric", ""}));

  auto rep = engine::run(scenario, opt);
  if (!rep) return report_error(rep.error());
  if (rep->result.termination != lp::Termination::Optimal) {
    fmt::print(stderr, "cadena: the solver stopped without an optimum ({}); no output written\n",
               lp::to_string(rep->result.termination));
    return kExitFailure;
  }
  std::vector<OutputFile> extra;
  if (a.report) {
    progress_phase(opt.progress, "report");
    const auto t0 = std::chrono::steady_clock::now();
    auto html = report::run_report_html(*rep);
    if (!html) return report_error(html.error());
    extra.push_back({"report.html", std::move(*html)});
    rep->info.report_s = seconds_since(t0);
  }
  const std::string db = store_path(a);
  auto out_dir = output_folder(a, rep->info.scenario);
  if (!out_dir) return report_error(out_dir.error());
  const std::filesystem::path out = *out_dir;
  auto run_id = publish_and_store(
      db, out, [&](report::ResultsStore& s, const std::string& token) { return s.stage_run(*rep, token); },
      [&](std::string_view marker) {
        progress_phase(opt.progress, "write");
        return report::write_run_outputs(*rep, out, marker, std::move(extra));
      });
  if (!run_id) return report_error(run_id.error());
  end_progress();
  if (a.json) {
    fmt::print("{}", report::summary_json(*rep));
  } else {
    fmt::print("{}", report::summary_text(*rep));
    fmt::print("wrote {}/{{flows.csv, facilities.csv, summary.json{}}}\n", out.string(), a.report ? ", report.html" : "");
    if (!db.empty()) fmt::print("stored run {} in {}\n", *run_id, db);
  }
  return kExitOk;
}
}  // namespace

void add_run_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand("run", "Solve the single-year supply-chain network (built-in baseline or a scenario)");
  cmd->add_option("SCENARIO", args->scenario, "scenario .toml (default: the built-in baseline)");
  cmd->add_option("--dataset", args->dataset,
                  "base dataset: a built-in name (cadena data list) or a dataset folder (default: the scenario's, "
                  "else lithium-2024)");
  cmd->add_option("--out", args->out, "output folder (default ./out/<scenario>)");
  cmd->add_flag("--json", args->json, "print summary.json to stdout instead of the readable summary");
  cmd->add_flag("--report", args->report, "also write report.html: a self-contained page of charts and tables (works offline)");
  cmd->add_option("--solver", args->solver, "LP solver: clp (default) or glpk");
  cmd->add_option("--export-mps", args->export_mps, "also write the LP as free-format MPS to FILE");
  cmd->add_option("--db", args->db, "also append the run to the SQLite results store FILE (created if missing; default $CADENA_DB)");
  cmd->add_option("--set", args->set,
                  "override a scenario key, KEY=VALUE (repeatable): carbon_price_usd_per_t=50, "
                  "facility.<id>.capacity=0, policy.<kind>.<product>.<from>.<to>.rate=0.1, demand_scale.*=1.2, ...")
      ->allow_extra_args(false);
  cmd->add_option("--sweep", args->sweep,
                  "run once per value, KEY=FROM:TO:STEP, and write one table (sweep.csv, sweep.json) of the outputs");
  cmd->add_option("--metric", args->metrics,
                  "an output of the sweep table: a summary.json path, * for every key (repeatable; default: "
                  "objective_usd, cost_usd.*, emissions_t_co2, water_m3, prices.*.*)")
      ->allow_extra_args(false);
  cmd->add_option("--years", args->years,
                  "run a pathway over years: FIRST:LAST (every year), FIRST:LAST:STEP (the first year, then every "
                  "year divisible by STEP, and the last) or a list 2024,2030,2035; the first is the dataset year");
  cmd->add_option("--discount-rate", args->discount_rate, "pathway: real discount rate (default 0.07)")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--demand-path", args->demand_path, "pathway: demand path of the dataset (cadena data show), e.g. steps or aps");
  cmd->add_flag("--myopic", args->myopic, "pathway: one LP per year, carrying forward what was built (default: perfect foresight)");
  cmd->add_flag("--mip", args->mip, "pathway: binary build decisions and minimum plant sizes, solved with CBC");
  cmd->add_option("--mip-gap", args->mip_gap, "pathway --mip: relative gap at which CBC stops (default 0.01)")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--time-limit", args->time_limit_s, "pathway: solver time limit in seconds (default none)")->check(CLI::Range(0.0, 1e6));
  cmd->add_option("--show-years", args->show_years, "pathway: years of the terminal table (default: first, 2030, 2035, last)");
  cmd->callback([args, &exit_code] { exit_code = run_command(*args); });
}

}  // namespace cadena::cli
