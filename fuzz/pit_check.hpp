#pragma once
// The pit targets' check after a model reads: solve it and trap unless the pit is closed — for
// models whose precedence has at most kMaxSolveArcs requirements. A grid's requirements are
// implicit (blocks x pattern offsets), so a few CSV rows can declare a 25,000-block grid whose
// whole-layer slope cone means 60 million requirements: about 1 s in a release build, but 40-60 s
// under ASan and coverage, which libFuzzer reports as a timeout although nothing hangs
// (corpus/block_csv/repro-slow-cone). Larger models are read and range-checked, not solved; the
// solver on large models is the pit tests' and benchmarks' business.
#include <cstddef>
#include <variant>

#include "cadena/pit/model.hpp"
#include "fuzz_util.hpp"

namespace cadena::fuzz {

inline constexpr std::size_t kMaxSolveArcs = 2'000'000;

inline std::size_t requirement_count(const pit::PitModel& m) {
  if (const auto* g = std::get_if<pit::GridPrecedence>(&m.precedence)) return g->size() * g->pattern().size();
  return std::get<pit::ExplicitPrecedence>(m.precedence).arc_count();
}

inline void solve_and_check_closed(const pit::PitModel& m) {
  if (requirement_count(m) > kMaxSolveArcs) return;
  auto c = pit::solve(m, m.values);
  if (ok_or_checked(c) && !pit::is_closed(m, c->in_pit)) __builtin_trap();
}

}  // namespace cadena::fuzz
