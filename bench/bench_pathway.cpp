// Pathway benchmark: the whole `cadena run --years` path (load, build, solve, extract) on the
// built-in lithium-2024 pathway, perfect foresight, myopic or MIP, or on a synthetic chain of N
// facilities (bench/chain_gen.hpp) with demand growing 2x by 2050. One size per process, so VmHWM
// is that size's peak:
//
//   bench_pathway --builtin [--years 2024:2050] [--myopic] [--mip] [--demand-path aps]
//   bench_pathway --facilities 1000 [--years 2024:2050]
//
// Prints one `key=value` line per measurement (build and solve seconds as the engine counts
// them, wall and CPU seconds of the whole run, peak memory).
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>

#include "cadena/engine/pathway.hpp"
#include "chain_gen.hpp"

namespace {

using Clock = std::chrono::steady_clock;
double since(Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); }

double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double peak_mib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return -1.0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cadena;
  bool builtin = false;
  int facilities = 0;
  engine::PathwayOptions p;
  p.years = "2024:2050";
  for (int i = 1; i < argc; ++i) {
    const std::string k = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (k == "--builtin") builtin = true;
    else if (k == "--myopic") p.myopic = true;
    else if (k == "--mip") p.mip = true;
    else if (k == "--years" && v) p.years = argv[++i];
    else if (k == "--demand-path" && v) p.demand_path = argv[++i];
    else if (k == "--facilities" && v) facilities = std::atoi(argv[++i]);
    else {
      std::fprintf(stderr, "usage: bench_pathway --builtin|--facilities N [--years Y] [--myopic] [--mip] [--demand-path P]\n");
      return 2;
    }
  }
  if (!builtin && facilities <= 0) {
    std::fprintf(stderr, "bench_pathway: expected --builtin or --facilities N\n");
    return 2;
  }
  const auto t0 = Clock::now();
  const double c0 = cpu_now();
  Result<report::PathwayReport> rep = make_error(ErrorCategory::Internal, "not run");
  if (builtin) {
    rep = engine::run_pathway(std::nullopt, engine::RunOptions{}, p);
  } else {
    bench::ChainGenOptions g;
    g.facilities = facilities;
    auto d = bench::generate_chain(g);
    model::PathwayData data;
    data.present = true;
    data.last_year = 2050;
    data.demand_path = "g";
    model::PathPoint pt;
    pt.path = "g";
    pt.series = "growth";
    pt.product = "*";
    pt.region = "*";
    pt.year = 2050;
    pt.value = 2.0;
    pt.unit = "index";
    pt.prov.source = "bench";
    data.paths.push_back(pt);
    auto years = model::parse_years(p.years);
    if (!years) {
      std::fprintf(stderr, "%s\n", years.error().format().c_str());
      return 2;
    }
    rep = engine::run_pathway_data(d, data, *years, p);
  }
  if (!rep) {
    std::fprintf(stderr, "%s\n", rep.error().format().c_str());
    return 2;
  }
  const double wall = since(t0), cpu = cpu_now() - c0;
  std::printf("case=%s\n", builtin ? "builtin" : ("synthetic-" + std::to_string(facilities)).c_str());
  std::printf("years=%zu\nmode=%s\nmip=%d\nstatus=%s\n", rep->years.size(), rep->mode.c_str(), rep->mip ? 1 : 0,
              lp::to_string(rep->termination));
  std::printf("lp_columns=%d\nlp_rows=%d\nlp_nonzeros=%zu\n", rep->info.lp_columns, rep->info.lp_rows, rep->info.lp_nonzeros);
  std::printf("load_s=%.3f\nbuild_s=%.3f\nsolve_s=%.3f\nwall_s=%.3f\ncpu_s=%.3f\npeak_mib=%.1f\n", rep->info.load_s,
              rep->info.build_s, rep->info.solve_s, wall, cpu, peak_mib());
  std::printf("total_cost_usd=%.6g\nbuilds=%zu\n", rep->total_cost_usd, rep->builds.size());
  if (rep->mip) std::printf("lp_bound_usd=%.6g\nmip_gap=%.4g\nmip_nodes=%d\n", rep->lp_bound_usd, rep->mip_gap, rep->mip_nodes);
  return 0;
}
