// Fuzz target: scenario files (io/scenario_io.cpp and the record readers of io/tables.cpp),
// applied to the tiny fixture dataset, then built into the chain LP and checked as a run would
// before solving (chain/, lp/numerics.cpp). No solve: the LP check is the last gate before CLP.
#include <cstdint>
#include <cstdlib>
#include <string_view>

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
    if (!r) __builtin_trap();
    return std::move(*r);
  }();
  auto s = io::parse_scenario(std::string(reinterpret_cast<const char*>(data), size), fuzz::scratch() / "scenario.toml");
  if (!fuzz::ok_or_checked(s)) return 0;
  if (!check_folder_name(s->name)) __builtin_trap();  // the reader must have refused it
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
