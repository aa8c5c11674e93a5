// The CBC adapter on hand-solved mixed-integer programmes: the optimum, the gap and bound it
// reports, an infeasible MIP as data, and the LP relaxation as a lower bound.
#include <gtest/gtest.h>

#include "cadena/lp/model.hpp"
#include "cadena/solvers/solver.hpp"

namespace cadena::solvers {
namespace {

// Knapsack as a minimisation: max 10a + 13b + 7c (weights 4, 6, 3; capacity 9; binaries).
// Feasible sets: {a,c} weight 7 value 17; {b,c} weight 9 value 20; {a} 10; {b} 13. Optimum 20
// (b and c): minimise -value -> -20. The LP relaxation takes b (13/6 per unit weight: the best
// ratio is c 7/3 = 2.33, then a 2.5? a: 10/4 = 2.5 is best, then c 2.33, then b 2.17): a = 1,
// c = 1, b = 2/6 -> 10 + 7 + 13/3 = 21.33, so the relaxation's bound -21.33 <= -20.
lp::Model knapsack(bool integer) {
  lp::Model m;
  int a = m.add_column("a", 0, 1, -10, integer);
  int b = m.add_column("b", 0, 1, -13, integer);
  int c = m.add_column("c", 0, 1, -7, integer);
  int r = m.add_row("weight", -lp::kInf, 9);
  m.add_coefficient(r, a, 4);
  m.add_coefficient(r, b, 6);
  m.add_coefficient(r, c, 3);
  return m;
}

TEST(Cbc, SolvesAKnapsackToItsOptimum) {
  auto s = make_solver("cbc");
  ASSERT_TRUE(s.ok());
  auto sol = (*s)->solve(knapsack(true), {.mip_gap = 0.0});
  ASSERT_TRUE(sol.ok()) << sol.error().format();
  ASSERT_EQ(sol->termination, lp::Termination::Optimal) << sol->message;
  EXPECT_NEAR(sol->objective, -20, 1e-9);
  EXPECT_NEAR(sol->x[0], 0, 1e-9);
  EXPECT_NEAR(sol->x[1], 1, 1e-9);
  EXPECT_NEAR(sol->x[2], 1, 1e-9);
  EXPECT_LE(sol->mip_gap, 1e-9);
  auto clp = make_solver("clp");
  auto relaxed = (*clp)->solve(knapsack(false));
  ASSERT_TRUE(relaxed.ok());
  EXPECT_NEAR(relaxed->objective, -(10 + 7 + 13.0 / 3), 1e-9);
  EXPECT_LE(relaxed->objective, sol->objective);  // the LP bound is below the MIP optimum
}

// x integer in [0, 10] with 2x = 3: no integer solution; infeasible is a result, not an error.
TEST(Cbc, InfeasibleMipIsAResult) {
  lp::Model m;
  int x = m.add_column("x", 0, 10, 1, true);
  int r = m.add_row("odd", 3, 3);
  m.add_coefficient(r, x, 2);
  auto s = make_solver("cbc");
  auto sol = (*s)->solve(m);
  ASSERT_TRUE(sol.ok());
  EXPECT_EQ(sol->termination, lp::Termination::Infeasible) << sol->message;
}

TEST(Cbc, LpAdaptersStillRefuseIntegers) {
  auto s = make_solver("clp");
  auto sol = (*s)->solve(knapsack(true));
  ASSERT_FALSE(sol.ok());
  EXPECT_NE(sol.error().message.find("integer"), std::string::npos);
}

}  // namespace
}  // namespace cadena::solvers
