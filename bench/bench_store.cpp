// Results-store benchmark: what `cadena run --db` adds to a baseline run, beside the run itself
// and the output folder it writes anyway, and what a `deck = "store"` lookup costs.
//
//   bench_store [--benchmark_filter=...]
//
// Wall time (UseRealTime): the store's cost is mostly the journal and fsync at COMMIT, which
// CPU time does not see. The temporary files live in $TMPDIR (default /tmp).
#include <benchmark/benchmark.h>
#include <fmt/core.h>
#include <unistd.h>

#include <filesystem>
#include <optional>

#include "cadena/engine/run.hpp"
#include "cadena/report/results_store.hpp"
#include "cadena/report/run_report.hpp"

namespace {

namespace fs = std::filesystem;
using namespace cadena;

const report::RunReport& baseline() {
  static const report::RunReport rep = [] {
    auto r = engine::run(std::nullopt);
    if (!r) {
      fmt::print(stderr, "{}\n", r.error().format());
      std::exit(1);
    }
    return *r;
  }();
  return rep;
}

fs::path scratch(const std::string& name) {
  return fs::temp_directory_path() / fmt::format("cadena-bench-store-{}-{}", ::getpid(), name);
}

// The whole of `cadena run` minus printing: load, build, solve, extract, analyse.
void BM_BaselineRun(benchmark::State& state) {
  for (auto _ : state) {
    auto r = engine::run(std::nullopt);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_BaselineRun)->Unit(benchmark::kMillisecond)->UseRealTime();

// The output folder every run writes (flows.csv, facilities.csv, summary.json).
void BM_WriteRunOutputs(benchmark::State& state) {
  const fs::path dir = scratch("out");
  for (auto _ : state) {
    auto st = report::write_run_outputs(baseline(), dir);
    if (!st) state.SkipWithError(st.error().format().c_str());
  }
  fs::remove_all(dir);
}
BENCHMARK(BM_WriteRunOutputs)->Unit(benchmark::kMillisecond)->UseRealTime();

// Appending the baseline run to a store already holding state.range(0) runs.
void BM_AppendRun(benchmark::State& state) {
  const fs::path db = scratch(fmt::format("append-{}.db", state.range(0)));
  fs::remove(db);
  for (int i = 0; i < state.range(0); ++i)
    if (!report::append_run(db, baseline())) state.SkipWithError("cannot prefill");
  for (auto _ : state) {
    auto id = report::append_run(db, baseline());
    if (!id) state.SkipWithError(id.error().format().c_str());
  }
  state.counters["rows_per_run"] = static_cast<double>(
      1 + baseline().result.flows.size() + baseline().result.facilities.size() + baseline().result.demand_prices.size() +
      baseline().result.market_prices.size() + baseline().result.unmet.size());
  fs::remove(db);
}
BENCHMARK(BM_AppendRun)->Arg(0)->Arg(100)->Unit(benchmark::kMillisecond)->UseRealTime();

// A project deck's lookup: open the store read-only, find the latest run of a scenario, read its price.
void BM_PriceLookup(benchmark::State& state) {
  const fs::path db = scratch(fmt::format("lookup-{}.db", state.range(0)));
  fs::remove(db);
  for (int i = 0; i < state.range(0); ++i)
    if (!report::append_run(db, baseline())) state.SkipWithError("cannot prefill");
  for (auto _ : state) {
    auto s = report::ResultsStore::open(db, false);
    if (!s) {
      state.SkipWithError(s.error().format().c_str());
      break;
    }
    auto p = s->price("baseline", "CN", "li2co3");
    if (!p) state.SkipWithError(p.error().format().c_str());
    benchmark::DoNotOptimize(p);
  }
  fs::remove(db);
}
BENCHMARK(BM_PriceLookup)->Arg(1)->Arg(100)->Unit(benchmark::kMicrosecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
