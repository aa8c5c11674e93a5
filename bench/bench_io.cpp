// io layer: reading the built-in dataset, the CSV reader alone, validation alone, applying a
// scenario. Results in docs/benchmarks.md ("io layer"). The line count over the same bytes is the floor the
// CSV reader is compared with (it touches every byte once and allocates nothing).
#include <benchmark/benchmark.h>

#include <algorithm>

#include "cadena/core/text_file.hpp"
#include "cadena/io/csv.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/io/scenario_io.hpp"

namespace {

using namespace cadena;

const std::filesystem::path kRoutes = data_dir() / "lithium-2024" / "routes.csv";
const std::filesystem::path kFacilities = data_dir() / "lithium-2024" / "facilities.csv";

void BM_LoadBuiltin(benchmark::State& st) {
  for (auto _ : st) {
    auto d = io::load_builtin();
    if (!d) {
      st.SkipWithError(d.error().format().c_str());
      return;
    }
    benchmark::DoNotOptimize(d->facilities.data());
  }
}
BENCHMARK(BM_LoadBuiltin)->Unit(benchmark::kMillisecond);

void csv_parse(benchmark::State& st, const std::filesystem::path& p) {
  const auto read = read_text_file(p.string());
  if (!read) {
    st.SkipWithError(read.error().format().c_str());
    return;
  }
  const std::string& text = *read;
  for (auto _ : st) {
    auto t = io::parse_csv(text, "bench.csv");
    benchmark::DoNotOptimize(t.ok());
  }
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(text.size()));
}
void BM_ParseCsvRoutes(benchmark::State& st) { csv_parse(st, kRoutes); }
void BM_ParseCsvFacilities(benchmark::State& st) { csv_parse(st, kFacilities); }
BENCHMARK(BM_ParseCsvRoutes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ParseCsvFacilities)->Unit(benchmark::kMicrosecond);

void BM_CountLinesRoutes(benchmark::State& st) {  // the floor for BM_ParseCsvRoutes
  const auto read = read_text_file(kRoutes.string());
  if (!read) {
    st.SkipWithError(read.error().format().c_str());
    return;
  }
  const std::string& text = *read;
  for (auto _ : st) benchmark::DoNotOptimize(std::count(text.begin(), text.end(), '\n'));
  st.SetBytesProcessed(static_cast<int64_t>(st.iterations()) * static_cast<int64_t>(text.size()));
}
BENCHMARK(BM_CountLinesRoutes)->Unit(benchmark::kMicrosecond);

void BM_Validate(benchmark::State& st) {
  auto d = io::load_builtin();
  if (!d) {
    st.SkipWithError(d.error().format().c_str());
    return;
  }
  for (auto _ : st) benchmark::DoNotOptimize(model::validate(*d).ok());
}
BENCHMARK(BM_Validate)->Unit(benchmark::kMicrosecond);

void BM_ApplyScenario(benchmark::State& st) {
  auto d = io::load_builtin();
  if (!d) {
    st.SkipWithError(d.error().format().c_str());
    return;
  }
  io::Scenario s;
  s.name = "bench";
  s.file = "bench.toml";
  s.facilities.push_back(io::Record{"bench.toml", 1, {{"id", d->facilities[0].id, 2}, {"capacity", "12345", 3}}});
  s.demand_scale.push_back(io::DemandScale{"*", 1.2, 4});
  for (auto _ : st) {
    auto r = io::apply_scenario(s, *d);  // includes copying the base and re-validating
    benchmark::DoNotOptimize(r.ok());
  }
}
BENCHMARK(BM_ApplyScenario)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
