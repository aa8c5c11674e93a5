// Fuzz target: scenario files (io/scenario_io.cpp and the record readers of io/tables.cpp),
// stacked on bases and overridden with --set, applied to the tiny fixture dataset, then built
// into the chain LP and checked as a run would before solving (chain/, lp/numerics.cpp).
// The input is cut at lines "-----" (fuzz_util.hpp, split_parts) into up to four parts:
//   0  the scenario file (scenario.toml)
//   1  base.toml   beside it (what `base = "base.toml"` stacks on; absent when the part is empty)
//   2  base2.toml  beside it (a second level: `base = "base2.toml"` in base.toml)
//   3  --set assignments, one KEY=VALUE a line, applied after the files as `cadena run --set` does
// An input without "-----" is a single scenario file, as the corpus' older entries are.
// No solve unless CADENA_FUZZ_SOLVE is set: the LP check is the last gate before CLP.
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <system_error>
#include <utility>

#include "cadena/chain/network.hpp"
#include "cadena/core/publish.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/io/scenario_io.hpp"
#include "cadena/lp/numerics.hpp"
#include "cadena/solvers/solver.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cadena;
  static const model::Dataset base = [] {
    auto r = io::load_dataset(fuzz::fixtures() / "datasets" / "tiny");
    cadena::fuzz::setup_or_die(r, "the tiny fixture must load");
    return std::move(*r);
  }();
  const auto parts = fuzz::split_parts(std::string_view(reinterpret_cast<const char*>(data), size), 4);
  for (const auto& [k, name] : {std::pair{1, "base.toml"}, std::pair{2, "base2.toml"}}) {
    const auto path = fuzz::scratch() / name;
    if (parts[k].empty()) {
      std::error_code ec;
      std::filesystem::remove(path, ec);
    } else {
      fuzz::write_file(path, parts[k]);
    }
  }
  auto s = io::parse_scenario(std::string(parts[0]), fuzz::scratch() / "scenario.toml");
  if (!fuzz::ok_or_checked(s)) return 0;
  for (std::string_view sets = parts[3]; !sets.empty();) {
    const auto nl = sets.find('\n');
    const std::string_view line = sets.substr(0, nl);
    sets.remove_prefix(nl == std::string_view::npos ? sets.size() : nl + 1);
    if (line.empty()) continue;
    if (!fuzz::ok_or_checked(io::apply_assignment(*s, line))) return 0;
  }
  if (!check_folder_name(s->name)) __builtin_trap();  // the reader or --set must have refused it
  auto d = io::apply_scenario(*s, base);
  if (!fuzz::ok_or_checked(d)) return 0;
  auto net = chain::Network::build(*d);
  if (!fuzz::ok_or_checked(net)) return 0;
  // The engine names the scenario file in an LP range error; here it is enough that none is
  // an internal error.
  auto st = lp::check_numerics(net->lp());
  if (!st && st.error().category == ErrorCategory::Internal) __builtin_trap();
  // With CADENA_FUZZ_SOLVE=clp (or glpk) an LP that passed the check is also solved: no solver
  // may abort on it (slower; a separate campaign, docs/reliability.md).
  static const char* solver = std::getenv("CADENA_FUZZ_SOLVE");
  if (st && solver && *solver) {
    auto s = solvers::make_solver(solver);
    if (s) {
      auto r = (*s)->solve(net->lp());
      if (!r && r.error().category == ErrorCategory::Internal) __builtin_trap();
    }
  }
  return 0;
}
