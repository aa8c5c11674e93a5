// One conformance suite run against every adapter. Expected values are solved by hand (the
// derivation is in the comment above each model); duals follow lp::Solution's convention,
// d(objective)/d(rhs), which the finite-difference tests check independently of any library.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "cadena/solvers/solver.hpp"
#include "models.hpp"

using cadena::lp::kInf;
using cadena::lp::Model;
using cadena::lp::ObjectiveSense;
using cadena::lp::Solution;
using cadena::lp::Termination;

namespace {

constexpr double kTol = 1e-7;

std::unique_ptr<cadena::solvers::Solver> solver_named(const std::string& name) {
  auto s = cadena::solvers::make_solver(name);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().format());
  return std::move(*s);
}

Solution solve_with(cadena::solvers::Solver& solver, const Model& m) {
  auto r = solver.solve(m);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? std::move(*r) : Solution{};
}

// min x + 2y  s.t.  x + y >= 2,  0 <= x <= 1.5,  y >= 0.
// x takes all it can (cheaper): x = 1.5, y = 0.5, objective 2.5. One more unit of rhs is one
// more unit of y: dual 2. Reduced cost of x: 1 - 2 = -1 (at its upper bound).
Model tiny() {
  Model m;
  const int x = m.add_column("x", 0.0, 1.5, 1.0);
  const int y = m.add_column("y", 0.0, kInf, 2.0);
  const int r = m.add_row("cover", 2.0, kInf);
  m.add_coefficient(r, x, 1.0);
  m.add_coefficient(r, y, 1.0);
  return m;
}

// Transportation, 2 sources x 3 sinks. Supplies S1 45, S2 60 (<= rows); demands D1 30, D2 40,
// D3 20 (>= rows). Costs  S1: 2 4 5   S2: 3 1 7.
// S1's advantage over S2 per sink is (1, -3, 2), so S1 serves D3 (20) then D1 (25); S2 serves
// D1 (5) and D2 (40) and keeps 15 spare. Objective 20*5 + 25*2 + 5*3 + 40*1 = 205.
// Duals from c_ij = u_i + v_j on the basic cells, u2 = 0 (S2 slack): v1 = 3, v2 = 1, u1 = -1,
// v3 = 6. Check: 45*(-1) + 30*3 + 40*1 + 20*6 = 205. Non-basic reduced costs x12 = 4, x23 = 1
// (both > 0, so the optimum is unique and non-degenerate).
struct Transport {
  Model m;
  int x[2][3];
  int supply[2];
  int demand[3];
};
Transport transport() {
  Transport t;
  const double cost[2][3] = {{2, 4, 5}, {3, 1, 7}};
  const double sup[2] = {45, 60};
  const double dem[3] = {30, 40, 20};
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      t.x[i][j] = t.m.add_column("x:S" + std::to_string(i + 1) + ":D" + std::to_string(j + 1), 0, kInf, cost[i][j]);
  for (int i = 0; i < 2; ++i) t.supply[i] = t.m.add_row("supply:S" + std::to_string(i + 1), -kInf, sup[i]);
  for (int j = 0; j < 3; ++j) t.demand[j] = t.m.add_row("demand:D" + std::to_string(j + 1), dem[j], kInf);
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {
      t.m.add_coefficient(t.supply[i], t.x[i][j], 1.0);
      t.m.add_coefficient(t.demand[j], t.x[i][j], 1.0);
    }
  return t;
}

class Conformance : public ::testing::TestWithParam<std::string> {
 protected:
  std::unique_ptr<cadena::solvers::Solver> solver = solver_named(GetParam());
};

TEST_P(Conformance, NameMatches) { EXPECT_EQ(solver->name(), GetParam()); }

TEST_P(Conformance, TinyModel) {
  const auto s = solve_with(*solver, tiny());
  ASSERT_EQ(s.termination, Termination::Optimal) << s.message;
  EXPECT_EQ(s.solver, GetParam());
  EXPECT_NEAR(s.objective, 2.5, kTol);
  EXPECT_NEAR(s.x[0], 1.5, kTol);
  EXPECT_NEAR(s.x[1], 0.5, kTol);
  EXPECT_NEAR(s.row_activity[0], 2.0, kTol);
  EXPECT_NEAR(s.row_duals[0], 2.0, kTol);
  EXPECT_NEAR(s.reduced_costs[0], -1.0, kTol);
  EXPECT_NEAR(s.reduced_costs[1], 0.0, kTol);
}

TEST_P(Conformance, TransportationObjectiveFlowsAndDuals) {
  const auto t = transport();
  const auto s = solve_with(*solver, t.m);
  ASSERT_EQ(s.termination, Termination::Optimal) << s.message;
  EXPECT_NEAR(s.objective, 205.0, kTol);
  const double flow[2][3] = {{25, 0, 20}, {5, 40, 0}};
  const double reduced[2][3] = {{0, 4, 0}, {0, 0, 1}};
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j) {
      EXPECT_NEAR(s.x[t.x[i][j]], flow[i][j], kTol) << i << "," << j;
      EXPECT_NEAR(s.reduced_costs[t.x[i][j]], reduced[i][j], kTol) << i << "," << j;
    }
  EXPECT_NEAR(s.row_duals[t.supply[0]], -1.0, kTol);
  EXPECT_NEAR(s.row_duals[t.supply[1]], 0.0, kTol);
  EXPECT_NEAR(s.row_duals[t.demand[0]], 3.0, kTol);
  EXPECT_NEAR(s.row_duals[t.demand[1]], 1.0, kTol);
  EXPECT_NEAR(s.row_duals[t.demand[2]], 6.0, kTol);
  EXPECT_NEAR(s.row_activity[t.supply[1]], 45.0, kTol);
}

// The sign convention checked without trusting any library: move each row's binding bound by
// h, solve afresh, and compare (objective' - objective) / h with the reported dual. The
// transportation optimum is non-degenerate, so the one-sided difference is exact for small h.
TEST_P(Conformance, DualsAreFiniteDifferencesOfTheObjective) {
  const auto base = transport();
  const auto s0 = solve_with(*solver, base.m);
  ASSERT_TRUE(s0.ok());
  const double h = 0.5;
  for (int i = 0; i < base.m.num_rows(); ++i) {
    auto t = transport();
    const auto& r = t.m.row(i);
    if (std::isfinite(r.upper)) t.m.set_row_bounds(i, r.lower, r.upper + h);
    else t.m.set_row_bounds(i, r.lower + h, r.upper);
    auto fresh = solver_named(GetParam());
    const auto s1 = solve_with(*fresh, t.m);
    ASSERT_TRUE(s1.ok());
    EXPECT_NEAR((s1.objective - s0.objective) / h, s0.row_duals[i], 1e-6) << base.m.row_name(i);
  }
}

// Equality rows: min x + y, x + 2y = 4, x - y = 1 -> y = 1, x = 2, objective 3. Duals solve
// [1 1] = l1 [1 2] + l2 [1 -1]: l1 = 2/3, l2 = 1/3 (rhs 4 -> 5 gives y = 4/3, x = 7/3, +2/3).
TEST_P(Conformance, EqualityRows) {
  Model m;
  const int x = m.add_column("x", 0, kInf, 1);
  const int y = m.add_column("y", 0, kInf, 1);
  const int r1 = m.add_row("r1", 4, 4);
  const int r2 = m.add_row("r2", 1, 1);
  m.add_coefficient(r1, x, 1);
  m.add_coefficient(r1, y, 2);
  m.add_coefficient(r2, x, 1);
  m.add_coefficient(r2, y, -1);
  const auto s = solve_with(*solver, m);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.objective, 3.0, kTol);
  EXPECT_NEAR(s.x[x], 2.0, kTol);
  EXPECT_NEAR(s.x[y], 1.0, kTol);
  EXPECT_NEAR(s.row_duals[r1], 2.0 / 3.0, kTol);
  EXPECT_NEAR(s.row_duals[r2], 1.0 / 3.0, kTol);
}

// Ranged row 1 <= x + y <= 3 with min -x - 2y, y <= 2, x <= 10: y = 2, x = 1, objective -5;
// the upper side binds, one more unit lets x grow by one: dual -1. Reduced cost of y:
// -2 - (-1) = -1. With min x + 2y instead the lower side binds: x = 1, y = 0, objective 1, dual 1.
TEST_P(Conformance, RangedRowBindsOnEitherSide) {
  Model m;
  const int x = m.add_column("x", 0, 10, -1);
  const int y = m.add_column("y", 0, 2, -2);
  const int r = m.add_row("range", 1, 3);
  m.add_coefficient(r, x, 1);
  m.add_coefficient(r, y, 1);
  auto s = solve_with(*solver, m);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.objective, -5.0, kTol);
  EXPECT_NEAR(s.x[x], 1.0, kTol);
  EXPECT_NEAR(s.x[y], 2.0, kTol);
  EXPECT_NEAR(s.row_duals[r], -1.0, kTol);
  EXPECT_NEAR(s.reduced_costs[y], -1.0, kTol);

  m.set_column_cost(x, 1);
  m.set_column_cost(y, 2);
  auto fresh = solver_named(GetParam());
  s = solve_with(*fresh, m);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.objective, 1.0, kTol);
  EXPECT_NEAR(s.x[x], 1.0, kTol);
  EXPECT_NEAR(s.row_duals[r], 1.0, kTol);
}

// Free column and negative bounds: min x, x - y >= -3, x free, -5 <= y <= 2. x = y - 3 is
// smallest at y = -5: x = -8. Dual of the row 1; reduced cost of y 0 - (-1)(1)... = 1 at its
// lower bound (raising y's lower bound raises x).
TEST_P(Conformance, FreeColumnAndNegativeBounds) {
  Model m;
  const int x = m.add_column("x", -kInf, kInf, 1);
  const int y = m.add_column("y", -5, 2, 0);
  const int r = m.add_row("link", -3, kInf);
  m.add_coefficient(r, x, 1);
  m.add_coefficient(r, y, -1);
  const auto s = solve_with(*solver, m);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.objective, -8.0, kTol);
  EXPECT_NEAR(s.x[x], -8.0, kTol);
  EXPECT_NEAR(s.x[y], -5.0, kTol);
  EXPECT_NEAR(s.row_duals[r], 1.0, kTol);
  EXPECT_NEAR(s.reduced_costs[y], 1.0, kTol);
}

TEST_P(Conformance, ObjectiveOffsetIsAdded) {
  auto m = tiny();
  m.set_objective_offset(10.0);
  const auto s = solve_with(*solver, m);
  ASSERT_TRUE(s.ok());
  EXPECT_NEAR(s.objective, 12.5, kTol);
  EXPECT_NEAR(s.row_duals[0], 2.0, kTol);
}

// Duplicate triplets are summed: x + y written as 0.5x + 0.5x + y (and a 0 y entry).
TEST_P(Conformance, DuplicateCoefficientsAreSummed) {
  Model m;
  const int x = m.add_column("x", 0.0, 1.5, 1.0);
  const int y = m.add_column("y", 0.0, kInf, 2.0);
  const int r = m.add_row("cover", 2.0, kInf);
  m.add_coefficient(r, x, 0.5);
  m.add_coefficient(r, y, 1.0);
  m.add_coefficient(r, x, 0.5);
  const auto s = solve_with(*solver, m);
  ASSERT_TRUE(s.ok());
  EXPECT_NEAR(s.objective, 2.5, kTol);
}

// The hand-solved maximisation of models.hpp: objective 11, dual of r1 +2, of r2 0, reduced
// cost of x +1.
TEST_P(Conformance, MaximisationKeepsTheDualConvention) {
  auto [m, x, y, r1, r2] = cadena::solvers::testing::small_max();
  const auto s = solve_with(*solver, m);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.objective, 11.0, kTol);
  EXPECT_NEAR(s.row_duals[r1], 2.0, kTol);
  EXPECT_NEAR(s.row_duals[r2], 0.0, kTol);
  EXPECT_NEAR(s.reduced_costs[x], 1.0, kTol);

  m.set_row_bounds(r1, -kInf, 4.25);
  auto fresh = solver_named(GetParam());
  const auto s1 = solve_with(*fresh, m);
  ASSERT_TRUE(s1.ok());
  EXPECT_NEAR((s1.objective - s.objective) / 0.25, s.row_duals[r1], 1e-6);
}

TEST_P(Conformance, InfeasibleRowsGiveInfeasible) {
  Model m;
  const int x = m.add_column("x", 0, kInf, 1);
  const int y = m.add_column("y", 0, kInf, 1);
  const int a = m.add_row("at_most_1", -kInf, 1);
  const int b = m.add_row("at_least_2", 2, kInf);
  for (int r : {a, b}) {
    m.add_coefficient(r, x, 1);
    m.add_coefficient(r, y, 1);
  }
  const auto s = solve_with(*solver, m);
  EXPECT_EQ(s.termination, Termination::Infeasible) << s.message;
  EXPECT_EQ(s.x.size(), 2u);
}

TEST_P(Conformance, InfeasibleBoundsGiveInfeasible) {
  Model m;
  const int x = m.add_column("x", 0, 1, 1);
  const int r = m.add_row("need_2", 2, kInf);
  m.add_coefficient(r, x, 1);
  EXPECT_EQ(solve_with(*solver, m).termination, Termination::Infeasible);
  m.set_column_bounds(x, 3, 2);  // crossed
  EXPECT_EQ(solve_with(*solver, m).termination, Termination::Infeasible);
}

// min -x with x - y <= 1: x = y + 1 grows without bound.
TEST_P(Conformance, UnboundedGivesUnbounded) {
  Model m;
  const int x = m.add_column("x", 0, kInf, -1);
  const int y = m.add_column("y", 0, kInf, 0);
  const int r = m.add_row("r", -kInf, 1);
  m.add_coefficient(r, x, 1);
  m.add_coefficient(r, y, -1);
  const auto s = solve_with(*solver, m);
  EXPECT_EQ(s.termination, Termination::Unbounded) << s.message;
}

TEST_P(Conformance, EmptyModel) {
  Model m;
  auto s = solve_with(*solver, m);
  EXPECT_EQ(s.termination, Termination::Optimal);
  EXPECT_EQ(s.objective, 0.0);
  m.set_objective_offset(7.0);
  s = solve_with(*solver, m);
  EXPECT_EQ(s.termination, Termination::Optimal);
  EXPECT_EQ(s.objective, 7.0);
}

// Columns without rows sit at the bound their cost prefers; an empty row only matters when its
// bounds exclude zero.
TEST_P(Conformance, ColumnsOnlyAndEmptyRows) {
  Model m;
  m.add_column("a", 1, 4, 2);     // -> 1
  m.add_column("b", -3, 5, -1);   // -> 5
  m.add_column("c", -kInf, kInf, 0);
  const int r = m.add_row("empty", -1, 1);
  auto s = solve_with(*solver, m);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.objective, 2.0 - 5.0, kTol);
  EXPECT_NEAR(s.x[0], 1.0, kTol);
  EXPECT_NEAR(s.x[1], 5.0, kTol);
  EXPECT_EQ(s.row_activity[r], 0.0);

  m.set_row_bounds(r, 1, 2);
  EXPECT_EQ(solve_with(*solver, m).termination, Termination::Infeasible);

  Model u;
  u.add_column("free_gain", -kInf, kInf, -1);
  EXPECT_EQ(solve_with(*solver, u).termination, Termination::Unbounded);
}

// An empty row beside real ones must not disturb the rest (CLP and GLPK both see it).
TEST_P(Conformance, EmptyRowInsideARealModel) {
  auto t = transport();
  const int e = t.m.add_row("empty", -kInf, 5);
  const auto s = solve_with(*solver, t.m);
  ASSERT_TRUE(s.ok()) << s.message;
  EXPECT_NEAR(s.objective, 205.0, kTol);
  EXPECT_NEAR(s.row_duals[e], 0.0, kTol);
  EXPECT_NEAR(s.row_duals[t.demand[2]], 6.0, kTol);
}

// Warm re-solve (same Model, changed data) must equal a fresh solve with a new adapter.
TEST_P(Conformance, WarmResolveEqualsFreshSolve) {
  auto t = transport();
  ASSERT_TRUE(solve_with(*solver, t.m).ok());

  auto check_same = [&](const char* what) {
    auto fresh = solver_named(GetParam());
    const auto cold = solve_with(*fresh, t.m);
    const auto warm = solve_with(*solver, t.m);
    ASSERT_EQ(warm.termination, cold.termination) << what;
    if (!cold.ok()) return;
    EXPECT_NEAR(warm.objective, cold.objective, 1e-7) << what;
    for (int j = 0; j < t.m.num_columns(); ++j) EXPECT_NEAR(warm.x[j], cold.x[j], 1e-7) << what << " col " << j;
    for (int i = 0; i < t.m.num_rows(); ++i)
      EXPECT_NEAR(warm.row_duals[i], cold.row_duals[i], 1e-7) << what << " row " << i;
  };

  // S2 -> D3 at 4 undercuts S1 (5): S1 now serves D1 fully (30), S2 D2 and D3.
  t.m.set_column_cost(t.x[1][2], 4.0);
  check_same("cost change");
  {
    auto fresh = solver_named(GetParam());
    // By hand: x11 = 30, x22 = 40, x23 = 20, S1 keeps 15 spare: 60 + 40 + 80 = 180.
    EXPECT_NEAR(solve_with(*fresh, t.m).objective, 180.0, kTol);
  }
  t.m.set_row_bounds(t.demand[1], 50.0, kInf);
  check_same("demand change");
  t.m.set_column_bounds(t.x[1][1], 0.0, 45.0);
  check_same("column bound change");
  t.m.set_row_bounds(t.supply[1], -kInf, 20.0);  // now 65 supply < 100 demand
  check_same("made infeasible");
  t.m.set_row_bounds(t.supply[1], -kInf, 200.0);
  check_same("feasible again");
  t.m.set_sense(ObjectiveSense::Maximize);
  t.m.set_row_bounds(t.demand[0], 30.0, 30.0);
  t.m.set_row_bounds(t.demand[1], 40.0, 40.0);
  t.m.set_row_bounds(t.demand[2], 20.0, 20.0);
  check_same("sense flipped");
}

// Without presolve the libraries take other code paths (CLP's plain dual simplex; GLPK's
// standard basis, and its own infeasibility detection): same answers.
TEST_P(Conformance, WithoutPresolve) {
  cadena::lp::SolveOptions no_presolve;
  no_presolve.presolve = false;
  auto r = solver->solve(transport().m, no_presolve);
  ASSERT_TRUE(r.ok() && r->ok());
  EXPECT_NEAR(r->objective, 205.0, kTol);
  EXPECT_NEAR(r->row_duals[4], 6.0, kTol);

  Model inf;
  const int x = inf.add_column("x", 0, 1, 1);
  const int row = inf.add_row("need_2", 2, kInf);
  inf.add_coefficient(row, x, 1);
  auto fresh = solver_named(GetParam());
  r = fresh->solve(inf, no_presolve);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->termination, Termination::Infeasible) << r->message;
}

// The kept basis is really reused: solving the same, unchanged model again takes no simplex
// iteration, whereas the cold solve needed some.
TEST_P(Conformance, ResolveWithoutChangesStartsFromTheOptimalBasis) {
  const auto t = transport();
  const auto cold = solve_with(*solver, t.m);
  ASSERT_TRUE(cold.ok());
  EXPECT_GT(cold.iterations, 0) << cold.message;
  const auto again = solve_with(*solver, t.m);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.iterations, 0) << again.message;
  EXPECT_NEAR(again.objective, 205.0, kTol);
}

// Two different models built one after the other in the same place with the same number of
// edits: the adapter must not take the second for a data change of the first.
TEST_P(Conformance, SecondModelAtSameAddressIsNotMistakenForTheFirst) {
  std::optional<Model> slot;
  slot.emplace(tiny());
  ASSERT_NEAR(solve_with(*solver, *slot).objective, 2.5, kTol);
  slot.reset();
  slot.emplace();
  Model& m = *slot;
  const int x = m.add_column("x", 0.0, 1.5, 1.0);
  const int y = m.add_column("y", 0.0, kInf, 2.0);
  const int r = m.add_row("cover", 2.0, kInf);
  m.add_coefficient(r, x, 1.0);
  m.add_coefficient(r, y, 3.0);  // differs from tiny(): y now covers 3 per unit
  // y now covers at 2/3 per unit against x's 1: y = 2/3, x = 0, objective 4/3 (tiny()'s
  // coefficients would give 2.5).
  const auto s = solve_with(*solver, m);
  EXPECT_NEAR(s.objective, 4.0 / 3.0, kTol);
  EXPECT_NEAR(s.x[y], 2.0 / 3.0, kTol);
}

TEST_P(Conformance, BadNumbersAreErrorsNotCrashes) {
  auto m = tiny();
  m.set_column_cost(0, std::nan(""));
  auto r = solver->solve(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().category, cadena::ErrorCategory::Value);
  EXPECT_NE(r.error().message.find("'x'"), std::string::npos) << r.error().message;

  auto m2 = tiny();
  m2.add_column("n", 0, 1, 1, /*integer=*/true);
  r = solver->solve(m2);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("integer"), std::string::npos);
}

// A random feasible, bounded LP (seeded): rows built around a known feasible point, columns
// boxed. Used to check that the two adapters agree.
Model random_lp(unsigned seed, int rows, int cols) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Model m;
  std::vector<double> x0(static_cast<std::size_t>(cols));
  for (int j = 0; j < cols; ++j) {
    const double lo = unit(rng) < 0.2 ? -5.0 : 0.0;
    x0[j] = lo + 10.0 * unit(rng);
    m.add_column(std::string("c").append(std::to_string(j)), lo, lo + 10.0 + 5.0 * unit(rng), 20.0 * unit(rng) - 10.0);
  }
  for (int i = 0; i < rows; ++i) {
    double ax = 0.0;
    std::vector<std::pair<int, double>> entries;
    for (int j = 0; j < cols; ++j)
      if (unit(rng) < 0.25) {
        const double a = std::round((unit(rng) * 10.0 - 4.0) * 4.0) / 4.0;
        if (a == 0.0) continue;
        entries.emplace_back(j, a);
        ax += a * x0[j];
      }
    const double kind = unit(rng);
    const double slack = 3.0 * unit(rng);
    double lo = -kInf, up = kInf;
    if (kind < 0.4) up = ax + slack;
    else if (kind < 0.8) lo = ax - slack;
    else if (kind < 0.9) { lo = ax - slack; up = ax + slack; }
    else { lo = up = ax; }
    // append() rather than "r" + to_string(): GCC 12 warns falsely (-Wrestrict) on the latter.
    const int r = m.add_row(std::string("r").append(std::to_string(i)), lo, up);
    for (auto [j, a] : entries) m.add_coefficient(r, j, a);
  }
  return m;
}

double max_violation(const Model& m, const Solution& s) {
  std::vector<double> act(static_cast<std::size_t>(m.num_rows()), 0.0);
  for (const auto& c : m.coefficients()) act[c.row] += c.value * s.x[c.col];
  double v = 0.0;
  for (int i = 0; i < m.num_rows(); ++i) {
    v = std::max(v, m.row(i).lower - act[i]);
    v = std::max(v, act[i] - m.row(i).upper);
    v = std::max(v, std::abs(act[i] - s.row_activity[i]));
  }
  for (int j = 0; j < m.num_columns(); ++j) {
    v = std::max(v, m.column(j).lower - s.x[j]);
    v = std::max(v, s.x[j] - m.column(j).upper);
  }
  return v;
}

INSTANTIATE_TEST_SUITE_P(Adapters, Conformance, ::testing::ValuesIn(cadena::solvers::solver_names()),
                         [](const auto& info) { return info.param; });

TEST(CrossCheck, ClpAndGlpkAgreeOnRandomLps) {
  for (unsigned seed : {1u, 2u, 3u, 4u, 5u}) {
    const auto m = random_lp(seed, 60, 80);
    auto clp = solver_named("clp");
    auto glpk = solver_named("glpk");
    const auto a = solve_with(*clp, m);
    const auto b = solve_with(*glpk, m);
    ASSERT_TRUE(a.ok()) << "seed " << seed << ": " << a.message;
    ASSERT_TRUE(b.ok()) << "seed " << seed << ": " << b.message;
    EXPECT_NEAR(a.objective, b.objective, 1e-6 * std::max(1.0, std::abs(a.objective))) << "seed " << seed;
    EXPECT_LT(max_violation(m, a), 1e-6) << "seed " << seed;
    EXPECT_LT(max_violation(m, b), 1e-6) << "seed " << seed;
    // Strong duality with the reported duals and reduced costs, per solver: c.x = y.(A x) + d.x
    // holds at any optimum whatever the degeneracy (d = c - A'y column by column).
    for (const auto* s : {&a, &b}) {
      std::vector<double> aty(static_cast<std::size_t>(m.num_columns()), 0.0);
      for (const auto& c : m.coefficients()) aty[c.col] += c.value * s->row_duals[c.row];
      for (int j = 0; j < m.num_columns(); ++j)
        EXPECT_NEAR(s->reduced_costs[j], m.column(j).cost - aty[j], 1e-6) << s->solver << " seed " << seed;
    }
  }
}

TEST(Factory, UnknownNameListsTheKnownOnes) {
  auto r = cadena::solvers::make_solver("gurobi");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().category, cadena::ErrorCategory::Value);
  EXPECT_NE(r.error().message.find("clp"), std::string::npos);
  EXPECT_NE(r.error().message.find("glpk"), std::string::npos);
}

}  // namespace
