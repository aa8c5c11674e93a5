// Monte Carlo throughput of the project model: 25-year projects (2 construction years, 25
// production years, 1 closure year) under the Argentine regime (royalty, export duty, income tax
// with accelerated depreciation and loss carry-forward, dividend withholding), five uncertain
// inputs with a Gaussian copula, after-tax NPV and IRR per path. Three variants: the brine project
// alone; with a potash by-product and senior debt (project NPV and IRR); and the same drawing the
// equity NPV and IRR too. Target: >= 1e6 paths per second per core with NPV and IRR.
//
//   bench_finance [paths] [threads...]     default: 2000000 paths, threads 1 and 2
//   BENCH_FINANCE_VARIANT=1 bench_finance   one variant only (0, 1 or 2)
#include <fmt/core.h>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <cstdlib>
#include <thread>
#include <vector>

#include "cadena/finance/load.hpp"
#include "cadena/finance/model.hpp"
#include "cadena/finance/montecarlo.hpp"

using namespace cadena::finance;

namespace {

Project bench_project() {
  Project p;
  p.name = "bench 25-year brine project";
  p.construction_years = 2;
  p.production_years = 25;
  p.closure_years = 1;
  p.capacity_t.assign(25, 25000.0);
  p.ramp = {0.5, 0.8};
  p.price_usd_per_t.assign(25, 18000.0);
  p.opex_usd_per_t.assign(25, 5500.0);
  p.initial_capex_musd = {300.0, 450.0};
  p.sustaining_musd_per_year = 12.0;
  p.deferred_capex = {{8, 60.0}};
  p.closure_musd = 25.0;
  p.working_capital_share = 0.1;
  p.discount_rate = 0.08;
  auto regime = load_regime("argentina");
  if (!regime) {
    fmt::print(stderr, "cannot load the argentina regime: {}\n", regime.error().format());
    std::exit(1);
  }
  p.fiscal = *regime;
  return p;
}

// The same project selling potash beside the lithium, and borrowing half its initial capex.
Project bench_project_full() {
  Project p = bench_project();
  p.name = "bench 25-year brine project with potash and debt";
  ByProduct kcl;
  kcl.name = "potash";
  kcl.quantity.assign(25, 80000.0);
  kcl.price_usd.assign(25, 350.0);
  kcl.terms.payable = 0.98;
  kcl.terms.rc_usd_per_unit = 40.0;  // freight to port
  p.byproducts = {kcl};
  p.debt.share_of_initial_capex = 0.5;
  p.debt.interest_rate = 0.08;
  p.debt.upfront_fee = 0.015;
  p.debt.grace_years = 1;
  p.debt.tenor_years = 7;
  return p;
}

MonteCarloSpec bench_spec(long paths) {
  MonteCarloSpec s;
  s.paths = paths;
  s.seed = 20261127;
  s.vars[0] = *Distribution::lognormal(0.0, 0.30);
  s.vars[1] = *Distribution::pert(0.9, 1.0, 1.5);
  s.vars[2] = *Distribution::triangular(0.9, 1.0, 1.3);
  s.vars[3] = *Distribution::uniform(0.85, 1.0);
  s.vars[4] = *Distribution::discrete({0.0, 0.5, 1.0, 2.0}, {0.5, 0.2, 0.2, 0.1});
  s.correlations = {{Variable::Capex, Variable::Opex, 0.5}, {Variable::Price, Variable::Recovery, -0.2}};
  return s;
}

// CPU seconds of this process: on a shared machine wall time overstates the cost per core.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  const long paths = argc > 1 ? std::atol(argv[1]) : 2000000;
  std::vector<int> threads;
  for (int i = 2; i < argc; ++i) threads.push_back(std::atoi(argv[i]));
  if (threads.empty()) threads = {1, 2};

  const Project p = bench_project();
  const MonteCarloSpec spec = bench_spec(paths);
  fmt::print("project: {} construction + {} production + {} closure years; {} hardware threads\n", p.construction_years,
             p.production_years, p.closure_years, std::thread::hardware_concurrency());

  // Pieces of one path, single thread.
  {
    Workspace ws;
    run_cash_flows(p, Drivers{}, ws, false);  // sizes the workspace
    const auto chol = *copula_factor(spec);
    const long n = std::min(paths, 1000000L);  // small runs (callgrind) keep the pieces small too
    double sink = 0;
    double c0 = cpu_seconds();
    for (long i = 0; i < n; ++i) sink += draw_drivers(spec, chol, static_cast<std::uint64_t>(i)).price;
    const double draw = (cpu_seconds() - c0) / n;
    Drivers d;
    c0 = cpu_seconds();
    for (long i = 0; i < n; ++i) {
      d.price = 1.0 + 1e-9 * static_cast<double>(i & 1023);
      sink += run_cash_flows(p, d, ws, false).npv_after_tax;
    }
    const double cash = (cpu_seconds() - c0) / n;
    c0 = cpu_seconds();
    for (long i = 0; i < n; ++i) {
      ws.after_tax[0] -= 1e-12;
      sink += irr(ws.after_tax.data(), p.total_years());
    }
    const double irr_t = (cpu_seconds() - c0) / n;
    fmt::print("per path (CPU time): draw {:.0f} ns, cash flows + NPV {:.0f} ns, IRR {:.0f} ns (sink {:.3g})\n", draw * 1e9,
               cash * 1e9, irr_t * 1e9, sink);
  }

  struct Variant {
    const char* label;
    Project project;
    bool equity;
  };
  const Variant variants[] = {{"brine, one product", p, false},
                              {"brine + potash + debt, project NPV/IRR", bench_project_full(), false},
                              {"brine + potash + debt, + equity NPV/IRR", bench_project_full(), true}};
  // BENCH_FINANCE_VARIANT=0, 1 or 2 runs one variant (instruction counts under callgrind).
  const char* only = std::getenv("BENCH_FINANCE_VARIANT");
  for (std::size_t vi = 0; vi < std::size(variants); ++vi) {
    if (only && std::atoi(only) != static_cast<int>(vi)) continue;
    const Variant& v = variants[vi];
    MonteCarloSpec vs = spec;
    vs.equity = v.equity;
    for (int t : threads) {
      MonteCarloSpec warm_spec = bench_spec(20000);
      warm_spec.equity = v.equity;
      auto warm = run_monte_carlo(v.project, warm_spec, t);  // warm-up
      (void)warm;
      const auto t0 = std::chrono::steady_clock::now();
      const double c0 = cpu_seconds();
      auto r = run_monte_carlo(v.project, vs, t);
      const double s = seconds_since(t0);
      const double cpu = cpu_seconds() - c0;
      if (!r) {
        fmt::print(stderr, "{}\n", r.error().format());
        return 1;
      }
      fmt::print("{}: threads {}: {} paths in {:.3f} s wall, {:.3f} s CPU = {:.3g} paths/s wall, {:.3g} paths per "
                 "CPU-second; NPV P10/P50/P90 {:.0f}/{:.0f}/{:.0f} MUSD, IRR P50 {:.1f} %, P(NPV<0) {:.2f} %{}\n",
                 v.label, t, paths, s, cpu, paths / s, paths / cpu, r->npv_summary.p10, r->npv_summary.p50,
                 r->npv_summary.p90, 100 * r->irr_summary.p50, 100 * r->probability_npv_negative,
                 r->npv_equity.empty() ? std::string()
                                       : fmt::format("; equity NPV P50 {:.0f} MUSD, IRR P50 {:.1f} %",
                                                     r->npv_equity_summary.p50, 100 * r->irr_equity_summary.p50));
    }
  }
  return 0;
}
