// `cadena calibrate [SCENARIO.toml] [--dataset NAME|DIR] [--json] [--solver clp|glpk]`: the model
// against the dataset's reference statistics (reference.csv) and the facilities' reported output,
// for the cost-minimal run and the observed run (production held at the reported output). Prints
// one row per statistic with both deviations; --json for scripts and tests. Writes no files.
#include <fmt/core.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cadena/engine/run.hpp"
#include "commands.hpp"

namespace cadena::cli {

namespace {

struct CalibrateArgs {
  std::string scenario, dataset, solver = "clp";
  bool json = false;
};

std::string value(double v, const std::string& unit) {
  if (unit == "share") return fmt::format("{:.1f}%", 100.0 * v);
  if (std::abs(v) >= 100) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

std::string deviation(const std::optional<double>& d) { return d ? fmt::format("{:+.1f}%", 100.0 * *d) : "-"; }

nlohmann::json opt(const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); }

int calibrate_command(const CalibrateArgs& a) {
  std::optional<std::filesystem::path> scenario;
  if (!a.scenario.empty()) scenario = a.scenario;
  auto input = engine::load_run_input(scenario, a.dataset);
  if (!input) return report_error(input.error());
  engine::RunOptions opt_run;
  opt_run.solver = a.solver;
  auto cal = engine::calibrate(*input, opt_run);
  if (!cal) return report_error(cal.error());
  for (const auto* rep : {&cal->baseline, &cal->observed})
    if (rep->result.termination != lp::Termination::Optimal) {
      fmt::print(stderr, "cadena: the solver stopped without an optimum ({}) in the {} run\n",
                 lp::to_string(rep->result.termination), rep->mode);
      return kExitFailure;
    }
  const auto& d = input->dataset;
  if (a.json) {
    nlohmann::ordered_json j;
    j["dataset"] = d.name;
    j["scenario"] = input->scenario;
    j["year"] = d.settings.year;
    j["objective_usd"] = {{"cost_minimal", cal->baseline.result.objective_usd},
                          {"observed", cal->observed.result.objective_usd}};
    auto rows = nlohmann::ordered_json::array();
    for (const auto& r : cal->rows)
      rows.push_back({{"metric", r.metric},       {"key", r.key},
                      {"country", r.country},     {"unit", r.unit},
                      {"reference", opt(r.reference)}, {"low", opt(r.low)},
                      {"high", opt(r.high)},      {"cost_minimal", r.baseline},
                      {"cost_minimal_deviation", opt(r.baseline_deviation())},
                      {"observed", r.observed},   {"observed_deviation", opt(r.observed_deviation())},
                      {"source", r.source},       {"line", r.line}});
    j["rows"] = rows;
    fmt::print("{}\n", j.dump(2));
    return kExitOk;
  }
  fmt::print("cadena calibrate: {} ({}), scenario {}: the cost-minimal chain and the observed chain (production held "
             "at the reported {} output) against the reference statistics\n",
             d.name, d.settings.year, input->scenario, d.settings.year);
  fmt::print("{:<9} {:<15} {:<4} {:<10} {:>22} {:>12} {:>8} {:>12} {:>8}  {}\n", "metric", "key", "cty", "unit",
             "reference [low-high]", "cost-min", "dev", "observed", "dev", "source");
  for (const auto& r : cal->rows) {
    std::string ref = r.reference ? value(*r.reference, r.unit) : "-";
    if (r.low || r.high)
      ref += fmt::format(" [{}-{}]", r.low ? value(*r.low, r.unit) : "", r.high ? value(*r.high, r.unit) : "");
    std::string src = r.source.size() > 60 ? r.source.substr(0, 57) + "..." : r.source;
    fmt::print("{:<9} {:<15} {:<4} {:<10} {:>22} {:>12} {:>8} {:>12} {:>8}  {}\n", r.metric, r.key, r.country, r.unit,
               ref, value(r.baseline, r.unit), deviation(r.baseline_deviation()), value(r.observed, r.unit),
               deviation(r.observed_deviation()), src);
  }
  return kExitOk;
}

}  // namespace

void add_calibrate_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CalibrateArgs>();
  auto* cmd = app.add_subcommand(
      "calibrate", "Compare the cost-minimal and the observed run with the dataset's reference statistics");
  cmd->add_option("SCENARIO", args->scenario, "scenario .toml (default: the built-in baseline)");
  cmd->add_option("--dataset", args->dataset, "base dataset: a built-in name or a dataset folder");
  cmd->add_option("--solver", args->solver, "LP solver: clp (default) or glpk");
  cmd->add_flag("--json", args->json, "print the comparison as JSON");
  cmd->callback([args, &exit_code] { exit_code = calibrate_command(*args); });
}

}  // namespace cadena::cli
