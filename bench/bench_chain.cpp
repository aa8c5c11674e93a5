// Chain benchmark: model build time (chain::Network::build), CLP and GLPK solve times and peak
// memory of the real chain formulation, on the built-in baseline or on a synthetic network of N
// facilities (bench/chain_gen.hpp). One size per process, so VmHWM is that size's peak:
//
//   bench_chain --builtin
//   bench_chain --facilities 10000 [--countries M] [--seed S] [--no-glpk] [--glpk-time-limit 600]
//
// Prints one `key=value` line per measurement and a final Markdown table row.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cadena/chain/network.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/solvers/solver.hpp"
#include "chain_gen.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

// Process CPU time: on a shared 2-core machine the wall clock also counts other people's
// builds; CPU time of this single-threaded program does not (it is reported beside wall time).
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// Peak resident set of this process so far, in MiB (VmHWM of /proc/self/status).
double peak_mib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return -1.0;
}

struct Args {
  bool builtin = false;
  cadena::bench::ChainGenOptions gen;
  bool glpk = true;
  double glpk_time_limit = 600.0;
  int build_repeats = 0;  // 0 = automatic: enough repeats for about a second of building
  std::string write_mps;  // also export the LP (for solver experiments outside the program)
};

bool parse(int argc, char** argv, Args& a) {
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    auto next = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (k == "--builtin") a.builtin = true;
    else if (k == "--no-glpk") a.glpk = false;
    else if (k == "--facilities" && (v = next())) a.gen.facilities = std::atoi(v);
    else if (k == "--countries" && (v = next())) a.gen.countries = std::atoi(v);
    else if (k == "--partners" && (v = next())) a.gen.partners = std::atoi(v);
    else if (k == "--seed" && (v = next())) a.gen.seed = std::strtoull(v, nullptr, 10);
    else if (k == "--glpk-time-limit" && (v = next())) a.glpk_time_limit = std::atof(v);
    else if (k == "--build-repeats" && (v = next())) a.build_repeats = std::atoi(v);
    else if (k == "--write-mps" && (v = next())) a.write_mps = v;
    else {
      std::fprintf(stderr,
                   "usage: bench_chain (--builtin | --facilities N) [--countries M] [--partners K] [--seed S]\n"
                   "                   [--no-glpk] [--glpk-time-limit SEC] [--build-repeats R]\n"
                   "                   [--write-mps FILE]\n");
      return false;
    }
  }
  return true;
}

struct SolveRun {
  double seconds = 0.0;
  double cpu_seconds = 0.0;
  cadena::lp::Solution sol;
};

bool solve(cadena::solvers::Solver& s, const cadena::lp::Model& m, const cadena::lp::SolveOptions& o, SolveRun& out) {
  const auto t0 = Clock::now();
  const double c0 = cpu_now();
  auto r = s.solve(m, o);
  out.seconds = since(t0);
  out.cpu_seconds = cpu_now() - c0;
  if (!r.ok()) {
    std::fprintf(stderr, "%s: %s\n", std::string(s.name()).c_str(), r.error().format().c_str());
    return false;
  }
  out.sol = std::move(*r);
  return true;
}

// Cold solves with fresh adapters, repeated while they take under about a second in total
// (at most 15), so that millisecond solves are medians rather than one noisy sample.
// `last` keeps the adapter of the final run, loaded, for a warm re-solve.
bool cold_solves(const std::string& name, const cadena::lp::Model& m, const cadena::lp::SolveOptions& o, SolveRun& out,
                 int& runs, std::unique_ptr<cadena::solvers::Solver>& last) {
  std::vector<double> wall, cpu;
  double total = 0.0;
  do {
    auto made = cadena::solvers::make_solver(name);
    if (!made.ok()) return false;
    last = std::move(*made);
    SolveRun r;
    if (!solve(*last, m, o, r)) return false;
    wall.push_back(r.seconds);
    cpu.push_back(r.cpu_seconds);
    total += r.seconds;
    out.sol = std::move(r.sol);
  } while (total < 1.0 && wall.size() < 15);
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  out.seconds = wall[wall.size() / 2];
  out.cpu_seconds = cpu[cpu.size() / 2];
  runs = static_cast<int>(wall.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  if (!parse(argc, argv, a)) return 2;
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each measurement visible as soon as it is taken

  const auto t_gen = Clock::now();
  cadena::model::Dataset data;
  std::string label;
  if (a.builtin) {
    auto d = cadena::io::load_builtin("lithium-2024");
    if (!d.ok()) {
      std::fprintf(stderr, "load_builtin: %s\n", d.error().format().c_str());
      return 2;
    }
    data = std::move(*d);
    label = "lithium-2024";
  } else {
    data = cadena::bench::generate_chain(a.gen);
    label = "synthetic";
    if (auto st = cadena::model::validate(data); !st.ok()) {
      std::fprintf(stderr, "generated dataset is invalid: %s\n", st.error().format().c_str());
      return 2;
    }
  }
  const double gen_s = since(t_gen);

  // Build: the median of a few repeats (builds of small models take milliseconds).
  const auto t_first = Clock::now();
  const double c_first = cpu_now();
  auto net = cadena::chain::Network::build(data);
  const double first_build_s = since(t_first);
  const double first_build_cpu_s = cpu_now() - c_first;
  if (!net.ok()) {
    std::fprintf(stderr, "build: %s\n", net.error().format().c_str());
    return 2;
  }
  int repeats = a.build_repeats > 0 ? a.build_repeats
                                    : std::clamp(static_cast<int>(1.0 / std::max(first_build_s, 1e-6)), 1, 50);
  std::vector<double> builds{first_build_s}, build_cpus{first_build_cpu_s};
  for (int r = 1; r < repeats; ++r) {
    const auto t0 = Clock::now();
    const double c0 = cpu_now();
    auto again = cadena::chain::Network::build(data);
    builds.push_back(since(t0));
    build_cpus.push_back(cpu_now() - c0);
  }
  std::sort(builds.begin(), builds.end());
  std::sort(build_cpus.begin(), build_cpus.end());
  const double build_s = builds[builds.size() / 2];
  const double build_cpu_s = build_cpus[build_cpus.size() / 2];
  // Network::build keeps a copy of the dataset; how much of the build is that copy alone.
  std::vector<double> copies;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = Clock::now();
    cadena::model::Dataset copy = data;
    copies.push_back(since(t0));
    if (copy.facilities.size() != data.facilities.size()) return 1;
  }
  std::sort(copies.begin(), copies.end());
  const double copy_s = copies[copies.size() / 2];
  const auto& lpm = net->lp();
  const double mem_build = peak_mib();

  std::printf("instance=%s facilities=%zu countries=%zu routes=%zu\n", label.c_str(), data.facilities.size(),
              data.countries.size(), data.routes.size());
  std::printf("lp_columns=%d lp_rows=%d lp_nonzeros=%zu\n", lpm.num_columns(), lpm.num_rows(), lpm.num_coefficients());
  std::printf("generate_s=%.4f build_s=%.5f build_cpu_s=%.5f (medians of %d; dataset copy %.5f) peak_after_build_mib=%.1f\n",
              gen_s, build_s, build_cpu_s, repeats, copy_s, mem_build);

  if (!a.write_mps.empty()) {
    if (auto st = cadena::solvers::write_mps(lpm, a.write_mps); !st.ok()) {
      std::fprintf(stderr, "write_mps: %s\n", st.error().format().c_str());
      return 1;
    }
  }

  cadena::lp::SolveOptions opts;
  SolveRun c;
  int clp_runs = 0;
  std::unique_ptr<cadena::solvers::Solver> clp;  // keeps its loaded problem for the warm re-solve
  if (!cold_solves("clp", lpm, opts, c, clp_runs, clp)) return 1;
  const double mem_clp = peak_mib();
  std::printf("clp_s=%.4f clp_cpu_s=%.4f clp_termination=%s clp_objective=%.10g clp_iterations=%d peak_after_clp_mib=%.1f (median of %d)\n",
              c.seconds, c.cpu_seconds, cadena::lp::to_string(c.sol.termination), c.sol.objective, c.sol.iterations, mem_clp, clp_runs);

  // Warm re-solve after a data change (a carbon price changes every production cost).
  SolveRun w;
  if (auto st = net->set_carbon_price(50.0); !st.ok()) {
    std::fprintf(stderr, "set_carbon_price: %s\n", st.error().format().c_str());
    return 1;
  }
  if (!solve(*clp, lpm, opts, w)) return 1;
  std::printf("clp_warm_s=%.4f clp_warm_cpu_s=%.4f clp_warm_iterations=%d clp_warm_objective=%.10g (carbon price 50 USD/t)\n", w.seconds, w.cpu_seconds,
              w.sol.iterations, w.sol.objective);
  if (auto st = net->set_carbon_price(data.settings.carbon_price); !st.ok()) return 1;

  double glpk_s = -1.0;
  std::string glpk_term = "skipped";
  double rel = 0.0;
  if (a.glpk) {
    cadena::lp::SolveOptions go;
    go.time_limit_s = a.glpk_time_limit;
    SolveRun g;
    int glpk_runs = 0;
    std::unique_ptr<cadena::solvers::Solver> glpk;
    if (!cold_solves("glpk", lpm, go, g, glpk_runs, glpk)) return 1;
    glpk_s = g.seconds;
    glpk_term = cadena::lp::to_string(g.sol.termination);
    rel = std::abs(g.sol.objective - c.sol.objective) / std::max(1.0, std::abs(c.sol.objective));
    std::printf("glpk_s=%.4f glpk_cpu_s=%.4f glpk_termination=%s glpk_objective=%.10g glpk_iterations=%d rel_diff_vs_clp=%.2e (median of %d)\n",
                g.seconds, g.cpu_seconds, glpk_term.c_str(), g.sol.objective, g.sol.iterations, rel, glpk_runs);
  }
  const double mem_end = peak_mib();
  std::printf("peak_mib=%.1f build_over_clp=%.1f%% (cpu: %.1f%%)\n", mem_end, 100.0 * build_s / c.seconds,
              100.0 * build_cpu_s / c.cpu_seconds);

  // | instance | facilities | columns | rows | nonzeros | build s | CLP s | CLP warm s | GLPK s | build/CLP | peak MiB |
  std::printf("| %s | %zu | %d | %d | %zu | %.4f | %.4f | %.4f | %s | %.1f %% | %.0f |\n", label.c_str(),
              data.facilities.size(), lpm.num_columns(), lpm.num_rows(), lpm.num_coefficients(), build_s, c.seconds,
              w.seconds, glpk_s < 0 ? "-" : (std::to_string(glpk_s).substr(0, 7) + " (" + glpk_term + ")").c_str(),
              100.0 * build_s / c.seconds, mem_end);
  return 0;
}
