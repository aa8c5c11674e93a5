// `cadena runs list | show RUN | diff A B` over a results store (--db FILE, default $CADENA_DB):
// the history of stored runs, each with its scenario file (path, SHA-256, text), dataset version,
// solver, cadena version and timings. RUN is a run id or a scenario name (its latest run).
// Reading only: the store is opened read-only, and an older store is read as it is.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cadena/report/results_store.hpp"
#include "cadena/report/run_diff.hpp"
#include "commands.hpp"

namespace cadena::cli {

namespace {

struct RunsArgs {
  std::string db;
  std::string run, other;
  bool scenario = false;  // show: print the scenario file's text only
  bool json = false;      // show: print summary.json only
  bool all = false;       // diff: every change, not the first 60
};

Result<report::ResultsStore> open_store(const RunsArgs& a) {
  std::string db = a.db;
  if (db.empty())
    if (const char* env = std::getenv("CADENA_DB"); env && *env) db = env;
  if (db.empty())
    return make_error(ErrorCategory::Missing, "no results store: give --db FILE (or set CADENA_DB)", {"", 0, "db", ""});
  return report::ResultsStore::open(db, false);
}

std::string short_hash(const std::string& h) { return h.empty() ? "-" : h.substr(0, 12); }
std::string or_dash(const std::string& s) { return s.empty() ? "-" : s; }
double total_s(const report::StoredRun& r) { return r.load_s + r.build_s + r.solve_s + r.report_s; }
// "2024" for a single-year run, "2024-2050/27" for a pathway run (first-last/number of years).
std::string years_of(const report::StoredRun& r) {
  if (!r.pathway()) return std::to_string(r.year);
  return fmt::format("{}-{}/{}", r.years.front(), r.years.back(), r.years.size());
}

int list_command(const RunsArgs& a) {
  auto store = open_store(a);
  if (!store) return report_error(store.error());
  auto runs = store->runs();
  if (!runs) return report_error(runs.error());
  if (runs->empty()) {
    fmt::print("no runs in {}\n", store->path().string());
    return kExitOk;
  }
  fmt::print("{:>4}  {:<20}  {:<24}  {:<14}  {:<12}  {:<6}  {:<8}  {:>16}  {:<8}  {:<12}  {:>7}\n", "id",
             "created (UTC)", "scenario", "dataset", "years", "solver", "status", "objective USD", "cadena", "scenario",
             "time s");
  for (const auto& r : *runs)
    fmt::print("{:>4}  {:<20}  {:<24}  {:<14}  {:<12}  {:<6}  {:<8}  {:>16.6g}  {:<8}  {:<12}  {:>7.3f}\n", r.id,
               r.created_at, r.scenario, r.dataset, years_of(r), r.solver, r.status, r.objective_usd,
               or_dash(r.cadena_version), short_hash(r.scenario_sha256), total_s(r));
  if (std::any_of(runs->begin(), runs->end(), [](const auto& r) { return r.pathway(); }))
    fmt::print("(years FIRST-LAST/N: a pathway run over N years, its objective the discounted total cost)\n");
  if (store->schema_version() < 2)
    fmt::print("(store written by an older cadena: its runs have no scenario text, versions or timings; the next "
               "`cadena run --db` upgrades it)\n");
  return kExitOk;
}

int show_command(const RunsArgs& a) {
  auto store = open_store(a);
  if (!store) return report_error(store.error());
  auto rec = store->record(a.run);
  if (!rec) return report_error(rec.error());
  if (a.scenario) {
    if (rec->scenario_text.empty())
      return report_error(make_error(ErrorCategory::Missing,
                                     fmt::format("run {} has no scenario file (the built-in baseline, or stored by an "
                                                 "older cadena)", rec->run.id),
                                     {store->path().string(), 0, "run", a.run}));
    fmt::print("{}", rec->scenario_text);
    return kExitOk;
  }
  if (a.json) {
    fmt::print("{}", rec->summary_json);
    return kExitOk;
  }
  const auto& r = rec->run;
  fmt::print("run {} — scenario {} on {} ({}), {} at {} UTC\n", r.id, r.scenario, r.dataset, years_of(r), r.status, r.created_at);
  fmt::print("  scenario file   {}\n", or_dash(r.scenario_file));
  fmt::print("  scenario sha256 {}\n", or_dash(r.scenario_sha256));
  fmt::print("  dataset version {}\n", or_dash(r.dataset_version));
  fmt::print("  solver          {}\n", r.solver);
  fmt::print("  cadena version  {}\n", or_dash(r.cadena_version));
  fmt::print("  timings         load {:.3f} s, build {:.3f} s, solve {:.3f} s, report {:.3f} s\n", r.load_s, r.build_s,
             r.solve_s, r.report_s);
  auto j = nlohmann::json::parse(rec->summary_json, nullptr, false);
  if (r.pathway()) {
    std::string list;
    for (int y : r.years) list += (list.empty() ? "" : ",") + std::to_string(y);
    fmt::print("  years           {} ({} years: a pathway run, {}, demand path {})\n", list, r.years.size(),
               j.is_object() ? j.value("mode", std::string("-")) : std::string("-"),
               j.is_object() && !j.value("demand_path", std::string()).empty() ? j.value("demand_path", std::string())
                                                                                  : std::string("held"));
    fmt::print("  objective       {:.6g} USD (discounted total cost)\n", r.objective_usd);
    const nlohmann::json* stages = nullptr;
    if (j.is_object() && j.contains("series") && j["series"].is_object() && j["series"].contains("stages"))
      stages = &j["series"]["stages"];
    if (stages && stages->is_object())
      for (const auto& [stage, s] : stages->items()) {
        if (!s.is_object() || !s.contains("output") || !s["output"].is_array() || s["output"].empty()) continue;
        const auto& out = s["output"];
        fmt::print("  {:<15} output {:.6g} {} in {}, {:.6g} in {}\n", stage, out.front().get<double>(),
                   s.value("unit", std::string()), r.years.front(), out.back().get<double>(), r.years.back());
      }
    fmt::print("  (--scenario prints the scenario file as run, --json its summary.json with the series by year)\n");
    return kExitOk;
  }
  fmt::print("  objective       {:.6g} USD\n", r.objective_usd);
  if (j.is_object() && j.contains("stages") && j["stages"].is_object()) {
    for (const auto& [stage, s] : j["stages"].items()) {
      if (!s.is_object() || !s.contains("output")) continue;
      fmt::print("  {:<15} output {:.6g} {}, HHI by location {:.0f}, by owner {:.0f}\n", stage,
                 s.value("output", 0.0), s.value("unit", std::string()),
                 s.contains("hhi") ? s["hhi"].value("by_country", 0.0) : 0.0,
                 s.contains("hhi") ? s["hhi"].value("by_owner_country", 0.0) : 0.0);
    }
  }
  fmt::print("  (--scenario prints the scenario file as run, --json its summary.json)\n");
  return kExitOk;
}

int diff_command(const RunsArgs& a) {
  auto store = open_store(a);
  if (!store) return report_error(store.error());
  auto ra = store->record(a.run);
  if (!ra) return report_error(ra.error());
  auto rb = store->record(a.other);
  if (!rb) return report_error(rb.error());
  const auto &x = ra->run, &y = rb->run;
  fmt::print("A = run {} ({}, {}), B = run {} ({}, {})\n", x.id, x.scenario, x.created_at, y.id, y.scenario, y.created_at);
  auto same = [](const std::string& p, const std::string& q) { return p == q ? "same" : "differs"; };
  fmt::print("  scenario file   {}: {} | {}\n", same(x.scenario_sha256, y.scenario_sha256), short_hash(x.scenario_sha256),
             short_hash(y.scenario_sha256));
  fmt::print("  dataset version {}: {} | {}\n", same(x.dataset_version, y.dataset_version), or_dash(x.dataset_version),
             or_dash(y.dataset_version));
  fmt::print("  solver          {}: {} | {}\n", same(x.solver, y.solver), x.solver, y.solver);
  fmt::print("  cadena version  {}: {} | {}\n", same(x.cadena_version, y.cadena_version), or_dash(x.cadena_version),
             or_dash(y.cadena_version));
  auto changes = report::diff_summaries(ra->summary_json, rb->summary_json, 1e-6);
  if (!changes) return report_error(changes.error());
  if (changes->empty()) {
    fmt::print("results: no number differs by more than 1e-6 (relative)\n");
    return kExitOk;
  }
  fmt::print("results: {} numbers differ (B - A; relative to A)\n", changes->size());
  fmt::print("  {:<60} {:>16} {:>16} {:>16} {:>9}\n", "summary.json key", "A", "B", "B - A", "change");
  const std::size_t shown = a.all ? changes->size() : std::min<std::size_t>(changes->size(), 60);
  for (std::size_t i = 0; i < shown; ++i) {
    const auto& c = (*changes)[i];
    const std::string rel = !c.in_a ? "new" : !c.in_b ? "gone" : c.a != 0 ? fmt::format("{:+.1f} %", 100 * (c.b - c.a) / std::abs(c.a)) : "-";
    fmt::print("  {:<60} {:>16.6g} {:>16.6g} {:>16.6g} {:>9}\n", c.path, c.a, c.b, c.b - c.a, rel);
  }
  if (shown < changes->size()) fmt::print("  ... {} more (--all shows every one)\n", changes->size() - shown);
  return kExitOk;
}

}  // namespace

void add_runs_command(CLI::App& app, int& exit_code) {
  auto* runs = app.add_subcommand("runs", "History of the runs in a results store: list, show, diff");
  runs->require_subcommand(1);
  auto args = std::make_shared<RunsArgs>();
  auto add_db = [&](CLI::App* c) { c->add_option("--db", args->db, "results store file (default: $CADENA_DB)"); };
  auto* list = runs->add_subcommand("list", "Every stored run, oldest first");
  add_db(list);
  list->callback([args, &exit_code] { exit_code = list_command(*args); });
  auto* show = runs->add_subcommand("show", "One run: scenario file, hash, dataset version, solver, versions, timings");
  add_db(show);
  show->add_option("RUN", args->run, "run id or scenario name (its latest run)")->required();
  show->add_flag("--scenario", args->scenario, "print the scenario file's text as it was run");
  show->add_flag("--json", args->json, "print the run's summary.json");
  show->callback([args, &exit_code] { exit_code = show_command(*args); });
  auto* diff = runs->add_subcommand("diff", "What changed between two runs: inputs, then every differing number");
  add_db(diff);
  diff->add_option("A", args->run, "run id or scenario name")->required();
  diff->add_option("B", args->other, "run id or scenario name")->required();
  diff->add_flag("--all", args->all, "list every change (default: the first 60)");
  diff->callback([args, &exit_code] { exit_code = diff_command(*args); });
}

}  // namespace cadena::cli
