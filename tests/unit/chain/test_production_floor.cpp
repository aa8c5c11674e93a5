// The "observed" mode of the chain LP: production held at reported output (apply_production_floor)
// with a stock column per market (add_stock_columns). Every optimum and dual below is worked out
// by hand in the comment above the test.
#include <gtest/gtest.h>

#include <string>

#include "cadena/chain/network.hpp"
#include "cadena/solvers/solver.hpp"
#include "fixtures.hpp"
#include "results.hpp"

namespace cadena::chain {
namespace {

using Floor = model::Settings::ProductionFloor;
using testing::flow;
using testing::output_of;
using testing::price;
using testing::solve;

Network build(const model::Dataset& d) {
  auto n = Network::build(d);
  EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().format());
  return std::move(*n);
}

double stock_of(const ChainResult& r, const std::string& product, const std::string& country) {
  for (const auto& s : r.stock)
    if (s.product == product && s.country == country) return s.quantity;
  return 0.0;
}

// Network A (mines AU 100 @ 500 and CN 50 @ 800, CN refinery 1.1 ore per chem @ 1000, route
// AU->CN ore @ 100) with CN demand 50 chem = 55 ore, and reported outputs AU 80, CN 40.
model::Dataset observed(double cn_reported = 40, double share = 1.0, double stock_cost = 0.0) {
  auto d = testing::network_a(50);
  d.facilities[0].reported_output = 80;
  d.facilities[1].reported_output = cn_reported;
  d.settings.production_floor = Floor::Reported;
  d.settings.production_floor_share = share;
  d.settings.stock_cost_usd_per_unit = stock_cost;
  return d;
}

class Floors : public ::testing::TestWithParam<std::string> {};

// Without a floor: 55 ore from AU at 600 delivered, objective 55 x 600 + 50 x 1000 = 83,000.
// With the floor (share 1, stock cost 0): AU >= 80, CN >= 40, so 120 ore for a need of 55. The
// expensive CN mine must run at 40; the other 15 come from AU (100 per unit to ship) and the
// AU surplus 80 - 15 = 65 goes to stock in AU (stocking in CN instead would pay the route).
// Objective = 80 x 500 + 40 x 800 + 15 x 100 + 50 x 1000 = 123,500.
// Duals: the AU stock is basic at 65, so ore in AU is worth -stock cost = 0; the AU->CN flow is
// basic, so ore in CN = 0 + 100 = 100; chem in CN = 1000 + 1.1 x 100 = 1110 (against 1660
// without the floor: the surplus makes ore nearly free).
TEST_P(Floors, FloorForcesTheExpensiveMineAndSurplusGoesToStock) {
  auto n0 = build(testing::network_a(50));
  auto r0 = n0.extract(solve(n0, GetParam()));
  ASSERT_EQ(r0.termination, lp::Termination::Optimal);
  EXPECT_NEAR(r0.objective_usd, 83000, 1e-6 * 83000);
  EXPECT_TRUE(r0.stock.empty());

  auto n = build(observed());
  auto r = n.extract(solve(n, GetParam()));
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(r.objective_usd, 123500, 1e-6 * 123500);
  EXPECT_NEAR(output_of(r, "mine_au"), 80, 1e-6);
  EXPECT_NEAR(output_of(r, "mine_cn"), 40, 1e-6);
  EXPECT_NEAR(output_of(r, "ref_cn"), 50, 1e-6);
  EXPECT_NEAR(flow(r, "flow", "AU-CN", "ore"), 15, 1e-6);
  EXPECT_NEAR(flow(r, "stock", "AU", "ore"), 65, 1e-6);
  EXPECT_NEAR(stock_of(r, "ore", "AU"), 65, 1e-6);
  EXPECT_NEAR(stock_of(r, "ore", "CN"), 0, 1e-6);
  EXPECT_EQ(r.stock.size(), 1u);
  EXPECT_TRUE(r.unmet.empty());
  EXPECT_NEAR(price(r.market_prices, "AU", "ore"), 0, 1e-3);
  EXPECT_NEAR(price(r.market_prices, "CN", "ore"), 100, 1e-3);
  EXPECT_NEAR(price(r.demand_prices, "CN", "chem"), 1110, 1e-3);
}

// Same with a stock cost of 30 USD per unit: the plan is unchanged (stocking in CN would still
// pay the 100 route), objective + 65 x 30 = 125,450. Ore in AU is worth -30 (one more unit used
// saves stocking it), in CN -30 + 100 = 70; chem 1000 + 1.1 x 70 = 1077.
TEST_P(Floors, StockCostEntersTheObjectiveAndThePrices) {
  auto n = build(observed(40, 1.0, 30));
  auto r = n.extract(solve(n, GetParam()));
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(r.objective_usd, 125450, 1e-6 * 125450);
  EXPECT_NEAR(r.stock_usd, 65 * 30, 1e-6);
  EXPECT_NEAR(stock_of(r, "ore", "AU"), 65, 1e-6);
  EXPECT_NEAR(price(r.market_prices, "AU", "ore"), -30, 1e-3);
  EXPECT_NEAR(price(r.market_prices, "CN", "ore"), 70, 1e-3);
  EXPECT_NEAR(price(r.demand_prices, "CN", "chem"), 1077, 1e-3);
}

// CN reports 70 against a capacity of 50: the floor is min(70, 50) = 50 (a floor above capacity
// would make the LP infeasible). Need 55: CN 50 + AU 5 shipped; AU at its floor 80 stocks 75.
// Objective = 80 x 500 + 50 x 800 + 5 x 100 + 50 x 1000 = 130,500.
TEST_P(Floors, FloorIsCappedAtCapacity) {
  auto d = observed(70);
  EXPECT_DOUBLE_EQ(Network::production_floor(d.facilities[1], d.settings), 50.0);
  auto n = build(d);
  auto r = n.extract(solve(n, GetParam()));
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(r.objective_usd, 130500, 1e-6 * 130500);
  EXPECT_NEAR(output_of(r, "mine_cn"), 50, 1e-6);
  EXPECT_NEAR(flow(r, "flow", "AU-CN", "ore"), 5, 1e-6);
  EXPECT_NEAR(stock_of(r, "ore", "AU"), 75, 1e-6);
}

// Share 0.5: AU >= 40, CN >= 20. CN runs at 20, AU ships 35 and produces its floor 40, 5 to stock.
// Objective = 40 x 500 + 20 x 800 + 35 x 100 + 50 x 1000 = 89,500. Changing the share of a
// floored Network in place gives the same as a fresh build; switching the floor off gives the
// plain optimum 83,000 (the stock columns stay, at zero).
TEST_P(Floors, InPlaceFloorChangeEqualsAFreshBuild) {
  auto fresh = build(observed(40, 0.5));
  auto rf = fresh.extract(solve(fresh, GetParam()));
  ASSERT_EQ(rf.termination, lp::Termination::Optimal);
  EXPECT_NEAR(rf.objective_usd, 89500, 1e-6 * 89500);
  EXPECT_NEAR(stock_of(rf, "ore", "AU"), 5, 1e-6);

  auto n = build(observed());
  ASSERT_TRUE(n.set_production_floor(Floor::Reported, 0.5).ok());
  auto r = n.extract(solve(n, GetParam()));
  EXPECT_NEAR(r.objective_usd, rf.objective_usd, 1e-6 * 89500);
  for (int j = 0; j < fresh.lp().num_columns(); ++j) {
    EXPECT_EQ(n.lp().column_name(j), fresh.lp().column_name(j));
  }
  EXPECT_EQ(n.dataset().settings.production_floor_share, 0.5);

  ASSERT_TRUE(n.set_production_floor(Floor::None, 1.0).ok());
  auto r0 = n.extract(solve(n, GetParam()));
  EXPECT_NEAR(r0.objective_usd, 83000, 1e-6 * 83000);
  EXPECT_TRUE(r0.stock.empty());

  // A capacity change keeps the floor: capacity 30 on the CN mine under share 1 caps its floor at 30.
  ASSERT_TRUE(n.set_production_floor(Floor::Reported, 1.0).ok());
  ASSERT_TRUE(n.set_facility_capacity("mine_cn", 30).ok());
  auto d = observed();
  d.facilities[1].capacity = 30;
  auto f2 = build(d);
  EXPECT_NEAR(n.extract(solve(n, GetParam())).objective_usd, f2.extract(solve(f2, GetParam())).objective_usd,
              1e-6 * 1e5);
}

INSTANTIATE_TEST_SUITE_P(Chain, Floors, ::testing::Values("clp", "glpk"));

// The default mode adds no stock column and no lower bound, whatever the share and stock cost
// say: the LP has the same columns as a dataset that never heard of the floor.
TEST(ProductionFloor, DefaultModeLeavesTheLpUnchanged) {
  auto plain = build(testing::network_a(50));
  auto d = observed(40, 0.3, 99);
  d.settings.production_floor = Floor::None;
  auto n = build(d);
  ASSERT_EQ(n.lp().num_columns(), plain.lp().num_columns());
  for (int j = 0; j < n.lp().num_columns(); ++j) EXPECT_EQ(n.lp().column_name(j), plain.lp().column_name(j));
  for (const auto& m : n.markets()) EXPECT_EQ(m.stock_col, -1);
  EXPECT_EQ(Network::production_floor(d.facilities[0], d.settings), 0.0);

  auto floored = build(observed());
  EXPECT_EQ(floored.lp().num_columns(), plain.lp().num_columns() + static_cast<int>(plain.markets().size()));
}

// A facility without a reported output, or not active, has no floor.
TEST(ProductionFloor, OnlyActiveFacilitiesWithAReportedOutput) {
  auto d = observed();
  EXPECT_DOUBLE_EQ(Network::production_floor(d.facilities[0], d.settings), 80.0);
  EXPECT_DOUBLE_EQ(Network::production_floor(d.facilities[2], d.settings), 0.0);  // refinery: none reported
  d.facilities[0].status = model::FacilityStatus::Suspended;
  EXPECT_DOUBLE_EQ(Network::production_floor(d.facilities[0], d.settings), 0.0);
}

// A Network built without a floor has no stock outlet, so turning the floor on in place is refused.
TEST(ProductionFloor, SwitchingOnWithoutStockColumnsIsRefused) {
  auto n = build(testing::network_a(50));
  auto st = n.set_production_floor(Floor::Reported, 1.0);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().category, ErrorCategory::Value);
  EXPECT_FALSE(n.set_production_floor(Floor::None, 1.5).ok());
}

}  // namespace
}  // namespace cadena::chain
