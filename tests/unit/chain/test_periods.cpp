// The period machinery of the chain builder (docs/formulation.md, "Periods"): blocks of equal
// structure, names with the year, costs times the period's weight, per-period bounds, demand and
// recipe factors, results per period in USD of that year. Expected values are hand-solved.
#include <gtest/gtest.h>

#include <algorithm>

#include "cadena/chain/network.hpp"
#include "fixtures.hpp"
#include "results.hpp"

namespace cadena::chain {
namespace {

using testing::network_a;
using testing::output_of;
using testing::price;
using testing::solve;

PeriodInput period(int year, double weight) {
  PeriodInput p;
  p.year = year;
  p.cost_weight = weight;
  return p;
}

// Two periods of network A: 2024 as the dataset (demand 60, weight 1) and 2030 with demand 120,
// the AU mine at 150 and the refinery's ore need scaled by 0.9 (0.99 ore per chem), weight 0.5.
//  2024: the hand-solved optimum of TwoMinesOneRefineryOptimumAndDuals: 99,600.
//  2030: 120 chem need 118.8 ore, all from AU (150 >= 118.8) at 600 delivered:
//        118.8 x 600 + 120 x 1000 = 191,280 USD of 2030; x 0.5 in the objective.
//  Objective 99,600 + 95,640 = 195,240. Chem price in CN 2030: 1000 + 0.99 x 600 = 1,594 USD/t
//  (the dual divided by the weight).
TEST(Periods, TwoPeriodsAreTwoWeightedBlocks) {
  auto d = network_a(60);
  BuildOptions o;
  o.periods = {period(2024, 1.0), period(2030, 0.5)};
  o.periods[1].capacity = {150, 50, 200};
  o.periods[1].input_factor = {1.0, 1.0, 0.9};
  o.periods[1].demand = {120};
  auto n = Network::build(d, o);
  ASSERT_TRUE(n.ok()) << n.error().format();
  EXPECT_EQ(n->num_periods(), 2);
  EXPECT_EQ(n->lp().num_columns(), 2 * n->block_columns());
  EXPECT_EQ(n->lp().num_rows(), 2 * n->block_rows());
  auto single = Network::build(d);
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(n->block_columns(), single->lp().num_columns());
  EXPECT_EQ(n->block_rows(), single->lp().num_rows());

  // Names: the single year has none; periods end in ":<year>", at the shifted index.
  const int prod = n->facility("mine_au")->production_col;
  EXPECT_EQ(single->lp().column_name(prod), "prod:mine_au");
  EXPECT_EQ(n->lp().column_name(prod), "prod:mine_au:2024");
  EXPECT_EQ(n->lp().column_name(n->column_in_period(prod, 1)), "prod:mine_au:2030");
  const int dem = n->demand("CN", "chem")->row;
  EXPECT_EQ(n->lp().row_name(n->row_in_period(dem, 1)), "demand:CN:chem:2030");
  EXPECT_EQ(n->lp().row(n->row_in_period(dem, 1)).lower, 120);
  EXPECT_EQ(n->lp().column(n->column_in_period(prod, 1)).upper, 150);

  auto sol = solve(*n);
  EXPECT_NEAR(sol.objective / n->cost_scale(), 195240, 1e-3);
  auto r0 = n->extract_period(sol, 0);
  auto r1 = n->extract_period(sol, 1);
  EXPECT_NEAR(r0.objective_usd, 99600, 1e-3);
  EXPECT_NEAR(r1.objective_usd, 191280, 1e-3);
  EXPECT_NEAR(output_of(r1, "mine_au"), 118.8, 1e-6);
  EXPECT_NEAR(price(r1.demand_prices, "CN", "chem"), 1594, 1e-3);
  EXPECT_NEAR(price(r0.demand_prices, "CN", "chem"), 1660, 1e-3);
  // Reduced cost of the idle CN mine in 2030: 800 - 600 = 200 USD/t of that year.
  const auto idle = std::find_if(r1.facilities.begin(), r1.facilities.end(), [](const auto& f) { return f.id == "mine_cn"; });
  ASSERT_NE(idle, r1.facilities.end());
  EXPECT_NEAR(idle->reduced_cost_usd, 200, 1e-3);
  EXPECT_DOUBLE_EQ(r1.facilities[0].capacity, 150);
}

// One period equal to the dataset gives the single-year optimum; only the names differ.
TEST(Periods, OnePeriodEqualsTheSingleYear) {
  auto d = network_a(130);  // short: the AU mine and the CN mine both bind, unmet remains
  BuildOptions o;
  o.periods = {period(2024, 1.0)};
  auto n = Network::build(d, o);
  auto single = Network::build(d);
  ASSERT_TRUE(n.ok() && single.ok());
  auto a = n->extract(solve(*n));
  auto b = single->extract(solve(*single));
  EXPECT_NEAR(a.objective_usd, b.objective_usd, 1e-6 * b.objective_usd);
  ASSERT_EQ(a.flows.size(), b.flows.size());
  for (std::size_t i = 0; i < a.flows.size(); ++i) EXPECT_NEAR(a.flows[i].quantity, b.flows[i].quantity, 1e-9);
  EXPECT_NEAR(price(a.demand_prices, "CN", "chem"), price(b.demand_prices, "CN", "chem"), 1e-6);
}

TEST(Periods, InPlaceChangesAreSingleYearOnly) {
  BuildOptions o;
  o.periods = {period(2024, 1.0), period(2025, 0.9)};
  auto n = Network::build(network_a(60), o);
  ASSERT_TRUE(n.ok());
  auto st = n->set_demand("CN", "chem", 10);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("rebuild"), std::string::npos);
}

TEST(Periods, BadPeriodListsAreRefused) {
  BuildOptions o;
  o.periods = {period(2030, 1.0), period(2024, 1.0)};
  EXPECT_FALSE(Network::build(network_a(60), o).ok());  // years out of order
  o.periods = {period(2024, 1.0)};
  o.periods[0].capacity = {1.0};  // three facilities
  EXPECT_FALSE(Network::build(network_a(60), o).ok());
  o.periods[0].capacity.clear();
  o.periods[0].input_factor = {1.0, 1.0, 0.0};
  EXPECT_FALSE(Network::build(network_a(60), o).ok());
}

}  // namespace
}  // namespace cadena::chain
