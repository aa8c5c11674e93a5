#include "cadena/engine/pathway.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

#include "cadena/analytics/shares.hpp"
#include "cadena/chain/pathway.hpp"
#include "cadena/core/clock.hpp"
#include "cadena/core/version.hpp"
#include "cadena/io/pathway_io.hpp"
#include "cadena/io/scenario_io.hpp"
#include "cadena/io/tables.hpp"
#include "cadena/lp/numerics.hpp"
#include "cadena/solvers/solver.hpp"

namespace cadena::engine {

namespace fs = std::filesystem;

namespace {

Error with_file(Error e, const std::string& file) {
  if (e.context.file.empty()) e.context.file = file;
  return e;
}

// A scenario [pathway] key as a number or a flag, range-checked by its key.
Result<double> pathway_number(const io::Field& f, const std::string& file) {
  io::Record r{file, f.line, {f}};
  return io::detail::parse_number(f, r, "");
}

struct Window {
  std::optional<chain::PathwayNetwork> net;  // the network the solution belongs to
  lp::Solution solution;
  double lp_bound = 0.0;  // MIP: the relaxation's objective (scaled)
};

Result<lp::Solution> solve_lp(const lp::Model& lp, const std::string& solver_name, const lp::SolveOptions& o) {
  CADENA_TRY(lp::check_numerics(lp));
  auto solver = solvers::make_solver(solver_name);
  if (!solver) return solver.error();
  return (*solver)->solve(lp, o);
}

// Builds and solves a window. An LP: `solver`. A MIP: CBC on the window of `pw` (binaries), its
// relaxation (the same window of `relaxed`, built without binaries) with CLP for the bound, then
// that LP with every build column fixed at the MIP's value for the duals: prices given the plants
// chosen (docs/formulation.md, "MIP mode").
Result<Window> solve_window(const chain::Pathway& pw, const chain::Pathway* relaxed, int first, int count,
                            const chain::PathwayState& state, const std::string& solver_name, double gap,
                            double time_limit, report::PathwayReport& rep) {
  Window out;
  auto t0 = std::chrono::steady_clock::now();
  auto net = pw.build(first, count, state);
  if (!net) return net.error();
  rep.info.build_s += seconds_since(t0);
  const auto& lp = net->lp();
  rep.info.lp_columns = std::max(rep.info.lp_columns, lp.num_columns());
  rep.info.lp_rows = std::max(rep.info.lp_rows, lp.num_rows());
  rep.info.lp_nonzeros = std::max(rep.info.lp_nonzeros, lp.num_coefficients());
  lp::SolveOptions o;
  o.time_limit_s = time_limit;
  auto t1 = std::chrono::steady_clock::now();
  if (!relaxed || !lp.has_integers()) {
    o.automatic = count > 1;  // several periods in one LP (perfect foresight)
    auto sol = solve_lp(lp, solver_name, o);
    if (!sol) return sol.error();
    rep.info.solve_s += seconds_since(t1);
    rep.info.iterations += sol->iterations;
    out.lp_bound = sol->objective;
    out.solution = std::move(*sol);
    out.net.emplace(std::move(*net));
    return out;
  }
  o.mip_gap = gap;
  auto mip = solve_lp(lp, "cbc", o);
  if (!mip) return mip.error();
  rep.mip_nodes += mip->mip_nodes;
  rep.mip_gap = std::max(rep.mip_gap, mip->mip_gap);
  rep.info.iterations += mip->iterations;
  if (!mip->ok() && mip->termination != lp::Termination::TimeLimit) {
    out.solution = std::move(*mip);
    rep.info.solve_s += seconds_since(t1);
    return out;
  }
  auto t2 = std::chrono::steady_clock::now();
  auto lpnet = relaxed->build(first, count, state);
  if (!lpnet) return lpnet.error();
  rep.info.build_s += seconds_since(t2);
  auto& rl = lpnet->lp();
  auto bound = solve_lp(rl, "clp", {});
  if (!bound) return bound.error();
  out.lp_bound = bound->objective;
  std::map<std::string, double, std::less<>> built;
  for (int j = 0; j < lp.num_columns(); ++j)
    if (lp.column_name(j).rfind("build:", 0) == 0) built.emplace(std::string(lp.column_name(j)), mip->x[static_cast<std::size_t>(j)]);
  for (int j = 0; j < rl.num_columns(); ++j)
    if (auto it = built.find(rl.column_name(j)); it != built.end()) {
      const double v = std::clamp(it->second, rl.column(j).lower, rl.column(j).upper);
      rl.set_column_bounds(j, v, v);
    }
  auto fixed = solve_lp(rl, "clp", {});
  if (!fixed) return fixed.error();
  rep.info.solve_s += seconds_since(t1);
  rep.info.iterations += bound->iterations + fixed->iterations;
  out.solution = std::move(*fixed);
  out.solution.solver = "cbc";
  out.net.emplace(std::move(*lpnet));
  return out;
}

Result<report::PathwayReport> solve_pathway(const chain::Pathway& pw, const chain::Pathway* relaxed,
                                            const std::string& solver, bool myopic, double gap, double time_limit) {
  const bool mip = relaxed != nullptr;
  report::PathwayReport rep;
  const auto& d = pw.dataset();
  const int n = static_cast<int>(pw.years().size());
  const double scale = pw.options().cost_scale;
  rep.info.dataset = d.name;
  rep.info.solver = mip ? "cbc" : solver;
  rep.info.year = d.settings.year;
  rep.info.cadena_version = version();
  rep.mode = myopic ? "myopic" : "foresight";
  rep.demand_path = pw.options().demand_path;
  rep.discount_rate = pw.options().discount_rate;
  rep.mip = mip;
  rep.notes = pw.notes();
  std::map<std::string, std::size_t> asset_of;
  for (std::size_t i = 0; i < d.facilities.size(); ++i) asset_of[d.facilities[i].id] = i;

  std::vector<chain::BuildRecord> decided;
  std::vector<std::vector<std::vector<double>>> extraction;  // per period
  rep.termination = lp::Termination::Optimal;
  double lp_objective = 0.0;
  auto state = pw.initial_state();
  const int windows = myopic ? n : 1;
  for (int w = 0; w < windows; ++w) {
    const int first = myopic ? w : 0, count = myopic ? 1 : n;
    auto solved = solve_window(pw, relaxed, first, count, state, solver, gap, time_limit, rep);
    if (!solved) return solved.error();
    if (!solved->solution.ok()) {
      rep.termination = solved->solution.termination;
      return rep;  // no optimum: the caller writes nothing
    }
    lp_objective += solved->solution.objective / scale;
    rep.lp_bound_usd += solved->lp_bound / scale;
    const auto& net = solved->net;
    auto r = net->extract(solved->solution);
    for (int k = 0; k < count; ++k) {
      report::PathwayYear y;
      const int g = first + k;
      y.year = pw.years()[static_cast<std::size_t>(g)];
      y.weight = pw.weight(g);
      y.cost_weight = pw.cost_weight(g);
      y.result = std::move(r.periods[static_cast<std::size_t>(k)]);
      y.result.solver = rep.info.solver;
      y.stages = analytics::stage_summaries(d, y.result, y.year);  // owners in force that year
      y.depletion_usd = r.depletion_usd[static_cast<std::size_t>(k)];
      y.feed_used = r.feed_used[static_cast<std::size_t>(k)];
      for (const auto& reg : d.regions)
        if (double a = pw.feed_available(reg.id, g); a > 0.0) y.feed_available[reg.id] = a;
      rep.years.push_back(std::move(y));
      extraction.push_back(r.extraction[static_cast<std::size_t>(k)]);
    }
    decided.insert(decided.end(), r.builds.begin(), r.builds.end());
    if (myopic) pw.advance(state, r, first);
  }
  // The ex-post cost, the same sum in both modes (docs/formulation.md, "Perfect foresight and myopic").
  for (std::size_t t = 0; t < rep.years.size(); ++t) {
    auto& y = rep.years[t];
    for (const auto& b : decided) {
      const std::size_t i = asset_of.at(b.asset);
      if (pw.alive(i, b.year, y.year)) y.build_charge_usd += pw.yearly_charge_usd(i) * b.capacity;
    }
    rep.total_cost_usd += y.cost_weight * (y.result.objective_usd + y.build_charge_usd + y.depletion_usd);
  }
  rep.lp_objective_usd = lp_objective;
  rep.builds = pw.committed();
  rep.builds.insert(rep.builds.end(), decided.begin(), decided.end());
  std::stable_sort(rep.builds.begin(), rep.builds.end(), [](const auto& a, const auto& b) { return a.year < b.year; });
  rep.retirements = pw.retirements();
  for (std::size_t dd = 0; dd < pw.deposits().size(); ++dd) {
    const auto& dep = pw.deposits()[dd];
    report::DepletionRecord x{dep.id, dep.unit, dep.quantity, std::vector<double>(dep.quantity.size(), 0.0)};
    for (std::size_t t = 0; t < extraction.size(); ++t)
      for (std::size_t k = 0; k < dep.quantity.size(); ++k) x.extracted[k] += rep.years[t].weight * extraction[t][dd][k];
    rep.depletion.push_back(std::move(x));
  }
  return rep;
}

}  // namespace

Result<bool> wants_pathway(const std::optional<fs::path>& scenario_file, const PathwayOptions& p) {
  if (!p.years.empty()) return true;
  if (!scenario_file) return false;
  auto s = io::load_scenario(*scenario_file);
  if (!s) return s.error();
  return s->years.line > 0;
}

Result<report::PathwayReport> run_pathway_data(const model::Dataset& dataset, const model::PathwayData& data,
                                               const std::vector<int>& years, const PathwayOptions& p,
                                               const std::string& solver) {
  CADENA_TRY(model::validate(dataset));
  chain::PathwayOptions o;
  o.years = years;
  o.discount_rate = p.discount_rate.value_or(data.discount_rate);
  o.demand_path = p.demand_path.value_or(data.demand_path);
  auto pw = chain::Pathway::prepare(dataset, data, o);
  if (!pw) return pw.error();
  std::optional<chain::Pathway> binaries;  // --mip: the same pathway with binary build decisions
  if (p.mip.value_or(false)) {
    o.mip = true;
    auto b = chain::Pathway::prepare(dataset, data, o);
    if (!b) return b.error();
    binaries.emplace(std::move(*b));
  }
  return binaries ? solve_pathway(*binaries, &*pw, solver, p.myopic.value_or(false), p.mip_gap.value_or(0.01),
                                  p.time_limit_s.value_or(0.0))
                  : solve_pathway(*pw, nullptr, solver, p.myopic.value_or(false), 0.0, p.time_limit_s.value_or(0.0));
}

Result<report::PathwayReport> run_pathway(const std::optional<fs::path>& scenario_file, const RunOptions& run,
                                          const PathwayOptions& cli) {
  // Ask for the solver first: an unknown name is bad input and should not cost a load.
  if (auto s = solvers::make_solver(run.solver); !s) return s.error();
  auto t0 = std::chrono::steady_clock::now();
  auto prepared = prepare_run(scenario_file, run.dataset, run.set);
  if (!prepared) return prepared.error();
  auto input = apply_prepared(*prepared);
  if (!input) return input.error();
  const io::Scenario& sc = prepared->scenario;
  const std::string sfile = sc.file.empty() ? std::string() : sc.file.string();

  // Pathway data of the base dataset's folder, then the scenario's overrides.
  const auto& base = prepared->base;
  const fs::path folder = base.countries.empty() ? fs::path() : fs::path(base.countries.front().prov.file).parent_path();
  auto data = io::load_pathway(folder, input->dataset);
  if (!data) return data.error();
  auto applied = io::apply_scenario_pathway(sc, input->dataset, std::move(*data));
  if (!applied) return applied.error();

  // Options: the command line, else the scenario, else the data's defaults.
  PathwayOptions p = cli;
  std::string years_text = cli.years, years_file = "--years";
  int years_line = 0;
  if (years_text.empty()) {
    years_text = sc.years.text;
    years_file = sfile;
    years_line = sc.years.line;
  }
  auto years = model::parse_years(years_text);
  if (!years) {
    Error e = years.error();
    e.context.file = years_file;
    e.context.line = years_line;
    e.context.key = "years";
    return e;
  }
  for (const auto& f : sc.pathway) {
    auto bad = [&](std::string what) {
      return make_error(ErrorCategory::Value, fmt::format("'{}' is not {}", f.text, what), {sfile, f.line, "pathway." + f.key, ""});
    };
    if (f.key == "mode" && !p.myopic) {
      if (f.text != "myopic" && f.text != "foresight") return bad("foresight or myopic");
      p.myopic = f.text == "myopic";
    } else if (f.key == "mip" && !p.mip) {
      if (f.text != "true" && f.text != "false") return bad("true or false");
      p.mip = f.text == "true";
    } else if ((f.key == "mip_gap" && !p.mip_gap) || (f.key == "time_limit_s" && !p.time_limit_s)) {
      auto x = pathway_number(f, sfile);
      if (!x) return x.error();
      (f.key == "mip_gap" ? p.mip_gap : p.time_limit_s) = *x;
    }
  }
  const double load_s = seconds_since(t0);
  auto rep = run_pathway_data(input->dataset, *applied, *years, p, run.solver);
  if (!rep) {
    Error e = rep.error();
    if (e.context.key == "years" && e.context.file.empty()) {
      e.context.file = years_file;
      e.context.line = years_line;
    }
    return with_file(std::move(e), input->source);
  }
  rep->info.scenario = input->scenario;
  rep->info.load_s = load_s;
  rep->info.overrides = input->overrides;
  rep->info.scenario_file = input->scenario_file;
  rep->info.scenario_sha256 = input->scenario_sha256;
  rep->info.scenario_text = input->scenario_text;
  rep->info.dataset_version = input->dataset_version;
  rep->dataset = std::make_shared<const model::Dataset>(std::move(input->dataset));  // report.html's names and units
  return rep;
}

}  // namespace cadena::engine
