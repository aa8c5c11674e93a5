// Hand-solved networks: every expected optimum, price and reduced cost below is worked out in
// the comment above it, not read off a solver run.
#include <gtest/gtest.h>

#include <algorithm>

#include "cadena/chain/network.hpp"
#include "cadena/solvers/solver.hpp"
#include "fixtures.hpp"
#include "results.hpp"

namespace cadena::chain {
namespace {

using testing::base_dataset;
using testing::facility;
using testing::network_a;
using testing::route;
using testing::flow;
using testing::output_of;
using testing::price;
using testing::solve;

ChainResult build_and_solve(const model::Dataset& d, const std::string& solver = "clp") {
  auto n = Network::build(d);
  EXPECT_TRUE(n.ok()) << (n.ok() ? "" : n.error().format());
  return n->extract(solve(*n, solver));
}

const FacilityRecord& facility_of(const ChainResult& r, const std::string& id) {
  auto it = std::find_if(r.facilities.begin(), r.facilities.end(), [&](const auto& f) { return f.id == id; });
  EXPECT_NE(it, r.facilities.end());
  return *it;
}

class Solvers : public ::testing::TestWithParam<std::string> {};

// Network A with demand 60 chem in CN. 60 chem need 66 ore. Ore delivered in CN costs
// 500 + 100 = 600 from AU (capacity 100 >= 66) against 800 from the CN mine, so all ore comes
// from AU. Objective = 66 x 600 + 60 x 1000 = 99,600.
// Duals: ore in AU 500; ore in CN 600 (one more unit comes from AU); chem in CN
// = 1000 + 1.1 x 600 = 1660 = price of the CN chem demand. Reduced cost of the idle CN mine
// = 800 - 600 = 200; of the AU mine (below capacity) 0.
TEST_P(Solvers, TwoMinesOneRefineryOptimumAndDuals) {
  auto r = build_and_solve(network_a(60), GetParam());
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(r.objective_usd, 99600, 1e-6 * 99600);
  EXPECT_NEAR(output_of(r, "mine_au"), 66, 1e-6);
  EXPECT_NEAR(output_of(r, "mine_cn"), 0, 1e-6);
  EXPECT_NEAR(output_of(r, "ref_cn"), 60, 1e-6);
  EXPECT_NEAR(flow(r, "flow", "AU-CN", "ore"), 66, 1e-6);
  EXPECT_NEAR(flow(r, "use", "ref_cn", "ore"), 66, 1e-6);
  EXPECT_NEAR(price(r.market_prices, "AU", "ore"), 500, 1e-3);
  EXPECT_NEAR(price(r.market_prices, "CN", "ore"), 600, 1e-3);
  EXPECT_NEAR(price(r.market_prices, "CN", "chem"), 1660, 1e-3);
  EXPECT_NEAR(price(r.demand_prices, "CN", "chem"), 1660, 1e-3);
  EXPECT_NEAR(facility_of(r, "mine_cn").reduced_cost_usd, 200, 1e-3);
  EXPECT_NEAR(facility_of(r, "mine_au").reduced_cost_usd, 0, 1e-3);
  EXPECT_TRUE(r.unmet.empty());
  // Split of the objective: production 66 x 500 + 60 x 1000 = 93,000; transport 66 x 100.
  EXPECT_NEAR(r.production_usd, 93000, 1e-3);
  EXPECT_NEAR(r.transport_usd, 6600, 1e-3);
  EXPECT_NEAR(r.duties_usd, 0, 1e-9);
}

// By-product credits lower the net cost the LP sees. Network A with a credit of 350 on the CN
// mine (gross 800, net 450): CN ore at 450 now beats AU ore landed at 600, so the CN mine runs
// at its 50 and AU supplies the other 16. Objective = 50 x 450 + 16 x 600 + 60 x 1000 = 92,100;
// ore in CN is still priced by AU (600), and the CN mine's reduced cost is 450 - 600 = -150.
TEST_P(Solvers, ByproductCreditLowersTheNetCost) {
  auto d = network_a(60);
  d.facilities[1].byproduct_credit = 350;
  auto r = build_and_solve(d, GetParam());
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(r.objective_usd, 92100, 1e-6 * 92100);
  EXPECT_NEAR(output_of(r, "mine_cn"), 50, 1e-6);
  EXPECT_NEAR(output_of(r, "mine_au"), 16, 1e-6);
  EXPECT_NEAR(facility_of(r, "mine_cn").reduced_cost_usd, -150, 1e-3);
  EXPECT_NEAR(facility_of(r, "mine_cn").cost_usd, 50 * 450, 1e-3);
  EXPECT_NEAR(r.production_usd, 50 * 450 + 16 * 500 + 60 * 1000, 1e-3);
}

// Demand 120 chem needs 132 ore: AU gives its 100 (at capacity), CN mine the other 32.
// Objective = 100 x 600 + 32 x 800 + 120 x 1000 = 205,600. Ore in CN is now priced by the CN
// mine: 800; chem = 1000 + 1.1 x 800 = 1880. The AU mine at capacity has reduced cost
// 500 + 100 - 800 = -200 (one more unit of AU capacity saves 200).
TEST_P(Solvers, CapacityBindsAndThePriceMovesToTheNextMine) {
  auto r = build_and_solve(network_a(120), GetParam());
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(r.objective_usd, 205600, 1e-6 * 205600);
  EXPECT_NEAR(output_of(r, "mine_au"), 100, 1e-6);
  EXPECT_NEAR(output_of(r, "mine_cn"), 32, 1e-6);
  EXPECT_NEAR(price(r.market_prices, "CN", "ore"), 800, 1e-3);
  EXPECT_NEAR(price(r.demand_prices, "CN", "chem"), 1880, 1e-3);
  EXPECT_NEAR(facility_of(r, "mine_au").reduced_cost_usd, -200, 1e-3);
  EXPECT_NEAR(facility_of(r, "mine_au").utilisation, 1.0, 1e-9);
}

// Availability: the AU mine of network A at availability 0.6 offers 60 of its 100 nameplate.
// Demand 90 chem needs 99 ore: AU 60 at 500 + 100 freight, CN 39 at 800.
// Objective = 60 x 600 + 39 x 800 + 90 x 1000 = 157,200. The reported capacity is 60.
TEST_P(Solvers, AvailabilityLimitsTheYearsCapacity) {
  auto d = network_a(90);
  d.facilities[0].availability = 0.6;
  auto r = build_and_solve(d, GetParam());
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(output_of(r, "mine_au"), 60, 1e-6);
  EXPECT_NEAR(output_of(r, "mine_cn"), 39, 1e-6);
  EXPECT_NEAR(r.objective_usd, 157200, 1e-6 * 157200);
  EXPECT_NEAR(facility_of(r, "mine_au").capacity, 60, 1e-9);
  EXPECT_NEAR(facility_of(r, "mine_au").utilisation, 1.0, 1e-9);
}

// Stock-build demand: network A with demand 90 chem of which 40 is stock build. Cost-minimal,
// all 90 are made (99 ore: AU 99 at 600); with a production floor the 40 are dropped (the floors'
// stock columns carry inventory): 50 chem, 55 ore. Brine pumped and fresh water are reported apart:
// AU mine 2 m3 of water and 7 m3 of brine per t.
TEST_P(Solvers, StockBuildDemandIsDroppedUnderAFloorAndBrineIsReportedApart) {
  auto d = network_a(90);
  d.demands[0].stock_build = 40;
  d.facilities[0].water_per_unit = 2;
  d.facilities[0].brine_per_unit = 7;
  auto r = build_and_solve(d, GetParam());
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(output_of(r, "ref_cn"), 90, 1e-6);
  EXPECT_NEAR(output_of(r, "mine_au"), 99, 1e-6);
  EXPECT_NEAR(r.water_m3, 198, 1e-6);
  EXPECT_NEAR(r.brine_m3, 693, 1e-6);
  EXPECT_NEAR(facility_of(r, "mine_au").brine_m3, 693, 1e-6);
  d.settings.production_floor = model::Settings::ProductionFloor::Reported;
  auto f = build_and_solve(d, GetParam());
  ASSERT_EQ(f.termination, lp::Termination::Optimal);
  EXPECT_NEAR(output_of(f, "ref_cn"), 50, 1e-6);
  EXPECT_NEAR(output_of(f, "mine_au"), 55, 1e-6);
}

// Three stages with a 1.1 yield loss at each of the two conversions: 100 cam need 110 chem,
// which need 121 ore. Mine AU (cost 100) -> ore AU->CN (10) -> refinery CN (200) -> cathode
// CN (300). Objective = 121 x 110 + 110 x 200 + 100 x 300 = 65,310; nothing binds, so the
// price of cam = 300 + 1.1 x (200 + 1.1 x 110) = 653.1 = objective / 100.
TEST_P(Solvers, YieldLossesCompoundThroughTwoStages) {
  auto d = base_dataset();
  d.facilities = {facility("mine", "mining", "AU", "ore", 1000, 100),
                  facility("ref", "refining", "CN", "chem", 1000, 200, {{"ore", 1.1, 0}}),
                  facility("cat", "cathode", "CN", "cam", 1000, 300, {{"chem", 1.1, 0}})};
  d.routes = {route("AU", "CN", "ore", 10)};
  d.demands = {{"CN", "cam", 100, {}}};
  auto r = build_and_solve(d, GetParam());
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(output_of(r, "mine"), 121, 1e-6);
  EXPECT_NEAR(output_of(r, "ref"), 110, 1e-6);
  EXPECT_NEAR(output_of(r, "cat"), 100, 1e-6);
  EXPECT_NEAR(r.objective_usd, 65310, 1e-6 * 65310);
  EXPECT_NEAR(price(r.demand_prices, "CN", "cam"), 653.1, 1e-3);
  EXPECT_NEAR(price(r.market_prices, "CN", "chem"), 200 + 1.1 * 110, 1e-3);
}

// Chem made in AR (1000) and CL (1100), 100 each, shipped to CN at 50. Demand 50 in CN.
//  - no duty: AR wins, price 1050, objective 52,500;
//  - AR export duty 10 % of 2000 = 200 per t to any destination: AR 1250 > CL 1150, so CL
//    wins, price 1150, objective 57,500, no duty paid;
//  - plus a CN import tariff on chem from CL of 10 % x 2000 = 200: CL 1350 > AR 1250, AR wins
//    again and pays the duty: price 1250, objective 62,500 of which duties 50 x 200 = 10,000.
model::Dataset duty_network() {
  auto d = base_dataset();
  d.facilities = {facility("ref_ar", "refining", "AR", "chem", 100, 1000),
                  facility("ref_cl", "refining", "CL", "chem", 100, 1100)};
  d.routes = {route("AR", "CN", "*", 50), route("CL", "CN", "chem", 50)};
  d.demands = {{"CN", "chem", 50, {}}};
  return d;
}

TEST_P(Solvers, ExportDutyChangesTheChosenRoute) {
  auto d = duty_network();
  auto r0 = build_and_solve(d, GetParam());
  EXPECT_NEAR(flow(r0, "flow", "AR-CN", "chem"), 50, 1e-6);
  EXPECT_NEAR(price(r0.demand_prices, "CN", "chem"), 1050, 1e-3);
  EXPECT_NEAR(r0.objective_usd, 52500, 1e-3);

  model::TradePolicy duty{model::PolicyKind::ExportDuty, "chem", "AR", "*", 0.10, 2000, {}};
  d.policies.push_back(duty);
  auto r1 = build_and_solve(d, GetParam());
  EXPECT_NEAR(flow(r1, "flow", "AR-CN", "chem"), 0, 1e-6);
  EXPECT_NEAR(flow(r1, "flow", "CL-CN", "chem"), 50, 1e-6);
  EXPECT_NEAR(price(r1.demand_prices, "CN", "chem"), 1150, 1e-3);
  EXPECT_NEAR(r1.objective_usd, 57500, 1e-3);
  EXPECT_NEAR(r1.duties_usd, 0, 1e-6);

  d.policies.push_back({model::PolicyKind::ImportTariff, "chem", "CL", "CN", 0.10, 2000, {}});
  auto r2 = build_and_solve(d, GetParam());
  EXPECT_NEAR(flow(r2, "flow", "AR-CN", "chem"), 50, 1e-6);
  EXPECT_NEAR(price(r2.demand_prices, "CN", "chem"), 1250, 1e-3);
  EXPECT_NEAR(r2.objective_usd, 62500, 1e-3);
  EXPECT_NEAR(r2.duties_usd, 10000, 1e-3);
}

// The most specific policy applies, not the sum: with an AR->* duty of 10 % and an AR->CN duty
// of 1 % (of 2000), AR->CN pays 20 per t and AR delivers at 1000 + 50 + 20 = 1070 < CL 1150;
// summing both (220 per t) would have picked CL.
TEST_P(Solvers, MostSpecificPolicyWins) {
  auto d = duty_network();
  d.policies.push_back({model::PolicyKind::ExportDuty, "chem", "AR", "*", 0.10, 2000, {}});
  d.policies.push_back({model::PolicyKind::ExportDuty, "chem", "AR", "CN", 0.01, 2000, {}});
  auto r = build_and_solve(d, GetParam());
  EXPECT_NEAR(flow(r, "flow", "AR-CN", "chem"), 50, 1e-6);
  EXPECT_NEAR(price(r.demand_prices, "CN", "chem"), 1070, 1e-3);
}

// Equally specific policies: the first row applies. Two AR->* duties of 10 % and then 1 % (of
// 2000): the first makes AR 1250 > CL 1150, so CL delivers at 1150; had the second applied, AR
// would have won at 1070.
TEST_P(Solvers, EquallySpecificPoliciesFirstRowWins) {
  auto d = duty_network();
  d.policies.push_back({model::PolicyKind::ExportDuty, "chem", "AR", "*", 0.10, 2000, {}});
  d.policies.push_back({model::PolicyKind::ExportDuty, "chem", "AR", "*", 0.01, 2000, {}});
  auto r = build_and_solve(d, GetParam());
  EXPECT_NEAR(flow(r, "flow", "CL-CN", "chem"), 50, 1e-6);
  EXPECT_NEAR(price(r.demand_prices, "CN", "chem"), 1150, 1e-3);
  EXPECT_NEAR(r.objective_usd, 57500, 1e-3);
}

// One CN plant of 40 t at 1000 against a demand of 50: 10 t unmet at the penalty 1e5.
// Objective = 40 x 1000 + 10 x 1e5 = 1,040,000; the demand price is the penalty, and the plant's
// reduced cost 1000 - 1e5 = -99,000.
TEST_P(Solvers, ShortCapacityLeavesNamedUnmetDemand) {
  auto d = base_dataset();
  d.facilities = {facility("ref_cn", "refining", "CN", "chem", 40, 1000)};
  d.demands = {{"CN", "chem", 50, {}}};
  auto r = build_and_solve(d, GetParam());
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  ASSERT_EQ(r.unmet.size(), 1u);
  EXPECT_EQ(r.unmet[0].region, "CN");
  EXPECT_EQ(r.unmet[0].product, "chem");
  EXPECT_NEAR(r.unmet[0].quantity, 10, 1e-6);
  EXPECT_EQ(r.unmet[0].unit, "t LCE");
  EXPECT_NEAR(r.objective_usd, 1040000, 1e-6 * 1040000);
  EXPECT_NEAR(r.penalty_usd, 1000000, 1e-3);
  EXPECT_NEAR(price(r.demand_prices, "CN", "chem"), 1e5, 1e-2);
  EXPECT_NEAR(facility_of(r, "ref_cn").reduced_cost_usd, -99000, 1e-2);
}

// Alternatives in one input group: the refinery takes ore_a at 1.05 or ore_b at 1.2 per unit.
// ore_a costs 1000, ore_b 800: per unit of chem 1050 against 960, so ore_b wins; 10 chem use
// 12 ore_b. Objective = 12 x 800 + 10 x 50 = 10,100. If ore_b is capped at 6, the second half of
// the output switches: 6/1.2 = 5 chem from ore_b, 5 chem from 5.25 ore_a, and the chem price
// becomes 50 + 1050 = 1100.
TEST_P(Solvers, InputAlternativesTakeTheCheaperMix) {
  auto d = base_dataset();
  d.products.push_back({"ore_b", "ore b", "t LCE", "mining", {}});
  d.facilities = {facility("mine_a", "mining", "CN", "ore", 100, 1000),
                  facility("mine_b", "mining", "CN", "ore_b", 100, 800),
                  facility("ref", "refining", "CN", "chem", 100, 50, {{"ore", 1.05, 0}, {"ore_b", 1.2, 0}})};
  d.demands = {{"CN", "chem", 10, {}}};
  auto r = build_and_solve(d, GetParam());
  EXPECT_NEAR(output_of(r, "mine_b"), 12, 1e-6);
  EXPECT_NEAR(output_of(r, "mine_a"), 0, 1e-6);
  EXPECT_NEAR(r.objective_usd, 10100, 1e-3);
  EXPECT_NEAR(price(r.demand_prices, "CN", "chem"), 1010, 1e-3);

  d.facilities[1].capacity = 6;
  auto r2 = build_and_solve(d, GetParam());
  EXPECT_NEAR(output_of(r2, "mine_b"), 6, 1e-6);
  EXPECT_NEAR(output_of(r2, "mine_a"), 5.25, 1e-6);
  EXPECT_NEAR(price(r2.demand_prices, "CN", "chem"), 1100, 1e-3);
}

// Carbon price: two CN plants, A cost 1000 with 2 t CO2/t, B cost 1100 with 0.5 t CO2/t.
// At 0 USD/t A wins; at 100 USD/t A costs 1200 and B 1150, so B wins. CO2 = 10 x 0.5 = 5 t.
TEST_P(Solvers, CarbonPriceSwitchesToTheCleanerPlant) {
  auto d = base_dataset();
  d.facilities = {facility("a", "refining", "CN", "chem", 100, 1000),
                  facility("b", "refining", "CN", "chem", 100, 1100)};
  d.facilities[0].co2_per_unit = 2.0;
  d.facilities[1].co2_per_unit = 0.5;
  d.facilities[1].water_per_unit = 3.0;
  d.demands = {{"CN", "chem", 10, {}}};
  auto r0 = build_and_solve(d, GetParam());
  EXPECT_NEAR(output_of(r0, "a"), 10, 1e-6);
  EXPECT_NEAR(r0.co2_t, 20, 1e-6);
  d.settings.carbon_price = 100;
  auto r1 = build_and_solve(d, GetParam());
  EXPECT_NEAR(output_of(r1, "b"), 10, 1e-6);
  EXPECT_NEAR(r1.co2_t, 5, 1e-6);
  EXPECT_NEAR(r1.water_m3, 30, 1e-6);
  EXPECT_NEAR(r1.objective_usd, 11500, 1e-3);
  EXPECT_NEAR(r1.carbon_usd, 500, 1e-3);
}

INSTANTIATE_TEST_SUITE_P(Chain, Solvers, ::testing::Values("clp", "glpk"));

// Re-solving after in-place changes (demand, capacity, carbon price) on the same solver gives the
// same optimum as a fresh build of the changed dataset solved by a new solver.
TEST(Network, ResolveAfterInPlaceChangesEqualsFreshBuild) {
  auto n = Network::build(network_a(60));
  ASSERT_TRUE(n.ok());
  auto solver = solvers::make_solver("clp");
  ASSERT_TRUE(solver.ok());
  auto first = (*solver)->solve(n->lp());
  ASSERT_TRUE(first.ok());
  EXPECT_NEAR(first->objective / n->cost_scale(), 99600, 1e-3);
  auto version = n->lp().structure_version();

  ASSERT_TRUE(n->set_demand("CN", "chem", 120).ok());
  EXPECT_EQ(n->lp().structure_version(), version);
  auto second = (*solver)->solve(n->lp());
  ASSERT_TRUE(second.ok());
  EXPECT_NEAR(second->objective / n->cost_scale(), 205600, 1e-3);  // see CapacityBinds... above

  ASSERT_TRUE(n->set_facility_capacity("mine_au", 150).ok());
  ASSERT_TRUE(n->set_carbon_price(25).ok());
  ASSERT_TRUE(n->set_facility_unit_cost("ref_cn", 900).ok());
  EXPECT_EQ(n->lp().structure_version(), version);
  auto third = (*solver)->solve(n->lp());
  ASSERT_TRUE(third.ok());
  auto resolved = n->extract(*third);

  auto fresh_data = network_a(120);
  fresh_data.facilities[0].capacity = 150;
  fresh_data.facilities[2].unit_cost = 900;
  fresh_data.settings.carbon_price = 25;  // no facility emits, so cost is unchanged by it
  auto fresh = build_and_solve(fresh_data);
  // 132 ore all from AU now: 132 x 600 + 120 x 900 = 187,200.
  EXPECT_NEAR(fresh.objective_usd, 187200, 1e-3);
  EXPECT_NEAR(resolved.objective_usd, fresh.objective_usd, 1e-6 * fresh.objective_usd);
  ASSERT_EQ(resolved.facilities.size(), fresh.facilities.size());
  for (std::size_t i = 0; i < fresh.facilities.size(); ++i)
    EXPECT_NEAR(resolved.facilities[i].output, fresh.facilities[i].output, 1e-6) << fresh.facilities[i].id;
  EXPECT_NEAR(price(resolved.demand_prices, "CN", "chem"), price(fresh.demand_prices, "CN", "chem"), 1e-3);
  // The Network's own dataset copy followed the changes.
  auto rebuilt = Network::build(n->dataset());
  ASSERT_TRUE(rebuilt.ok());
  EXPECT_NEAR(build_and_solve(n->dataset()).objective_usd, fresh.objective_usd, 1e-3);
}

TEST(Network, NamesFollowFamilyElement) {
  auto n = Network::build(network_a(60));
  ASSERT_TRUE(n.ok());
  std::vector<std::string> cols, rows;
  for (int j = 0; j < n->lp().num_columns(); ++j) cols.emplace_back(n->lp().column_name(j));
  for (int i = 0; i < n->lp().num_rows(); ++i) rows.emplace_back(n->lp().row_name(i));
  auto has = [](const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  };
  EXPECT_TRUE(has(cols, "prod:mine_au"));
  EXPECT_TRUE(has(cols, "use:ref_cn:ore"));
  EXPECT_TRUE(has(cols, "flow:AU-CN:ore"));
  EXPECT_TRUE(has(cols, "deliver:CN-CN:chem"));
  EXPECT_TRUE(has(cols, "unmet:CN:chem"));
  EXPECT_TRUE(has(rows, "balance:ore:CN"));
  EXPECT_TRUE(has(rows, "balance:ore:AU"));
  EXPECT_TRUE(has(rows, "recipe:ref_cn:g0"));
  EXPECT_TRUE(has(rows, "demand:CN:chem"));
  ASSERT_NE(n->facility("mine_cn"), nullptr);
  ASSERT_NE(n->demand("CN", "chem"), nullptr);
  EXPECT_EQ(n->lp().column_name(n->demand("CN", "chem")->unmet_col), "unmet:CN:chem");
}

TEST(Network, NonOperatingFacilitiesCountOnlyWhenAsked) {
  auto d = network_a(60);
  d.facilities[0].status = model::FacilityStatus::Construction;  // mine_au
  d.facilities[1].status = model::FacilityStatus::Cancelled;     // mine_cn
  auto r = build_and_solve(d);
  // No ore at all: the 60 chem are unmet.
  ASSERT_EQ(r.unmet.size(), 1u);
  EXPECT_NEAR(r.unmet[0].quantity, 60, 1e-6);
  d.settings.include_non_operating = true;
  auto r2 = build_and_solve(d);
  EXPECT_TRUE(r2.unmet.empty());
  EXPECT_NEAR(output_of(r2, "mine_au"), 66, 1e-6);
  EXPECT_NEAR(output_of(r2, "mine_cn"), 0, 1e-6);
}

TEST(Network, UnknownReferencesAreErrorsWithTheirRow) {
  auto d = network_a(60);
  d.facilities[2].inputs[0].product = "unobtainium";
  d.facilities[2].prov.file = "facilities.csv";
  d.facilities[2].prov.line = 7;
  auto n = Network::build(d);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.error().category, ErrorCategory::Reference);
  EXPECT_EQ(n.error().context.line, 7);
  EXPECT_EQ(n.error().context.element, "ref_cn");
  EXPECT_NE(n.error().message.find("unobtainium"), std::string::npos);

  auto zero = network_a(60);
  zero.facilities[2].inputs[0].per_unit_output = 0.0;
  auto nz = Network::build(zero);
  ASSERT_FALSE(nz.ok());
  EXPECT_EQ(nz.error().category, ErrorCategory::Value);

  auto n2 = Network::build(network_a(60));
  ASSERT_TRUE(n2.ok());
  EXPECT_FALSE(n2->set_demand("EU", "chem", 1).ok());
  EXPECT_FALSE(n2->set_facility_capacity("nope", 1).ok());
}

TEST(Network, GwhProductsUseTheirOwnPenalty) {
  auto d = base_dataset();
  d.settings.unmet_penalty = 1e5;
  d.settings.unmet_penalty_per_gwh = 1e9;
  EXPECT_EQ(unmet_penalty_usd(d, *d.find_product("cell")), 1e9);
  EXPECT_EQ(unmet_penalty_usd(d, *d.find_product("chem")), 1e5);
  // A unit's declared penalty wins over both settings.
  d.units[0].unmet_penalty = 2.5e4;  // t LCE
  EXPECT_EQ(unmet_penalty_usd(d, *d.find_product("chem")), 2.5e4);
  EXPECT_EQ(unmet_penalty_usd(d, *d.find_product("cell")), 1e9);
}

// A "*" route with a shared capacity: AR->CN carries ore and chem, at most 30 units together.
// CN demands 20 chem; chem can be made in AR (cost 100) or in CN (cost 300) from AR ore (1:1,
// ore cost 50). Via the route: chem from AR costs 100 + 10 = 110 per unit and uses 1 unit of
// route capacity; making it in CN costs 50 + 10 + 300 = 360 and also uses 1 unit. With 30 of
// capacity all 20 chem go as chem: 20 x 160 = 3,200. Capped at 15 (set in place), only 15 units
// of anything can enter CN, so 5 chem are unmet.
TEST(Network, SharedRouteCapacity) {
  auto d = base_dataset();
  d.facilities = {facility("mine_ar", "mining", "AR", "ore", 100, 50),
                  facility("ref_ar", "refining", "AR", "chem", 100, 100, {{"ore", 1.0, 0}}),
                  facility("ref_cn", "refining", "CN", "chem", 100, 300, {{"ore", 1.0, 0}})};
  d.routes = {route("AR", "CN", "*", 10)};
  d.routes[0].capacity = 30;
  d.demands = {{"CN", "chem", 20, {}}};
  auto n = Network::build(d);
  ASSERT_TRUE(n.ok());
  auto solver = solvers::make_solver("clp");
  auto r = n->extract(*(*solver)->solve(n->lp()));
  EXPECT_NEAR(flow(r, "flow", "AR-CN", "chem"), 20, 1e-6);
  EXPECT_NEAR(r.objective_usd, 20 * (50 + 100 + 10), 1e-3);
  ASSERT_TRUE(n->set_route_capacity(0, 15.0).ok());
  auto r2 = n->extract(*(*solver)->solve(n->lp()));
  EXPECT_NEAR(flow(r2, "flow", "AR-CN", "chem") + flow(r2, "flow", "AR-CN", "ore"), 15, 1e-6);
  ASSERT_EQ(r2.unmet.size(), 1u);
  EXPECT_NEAR(r2.unmet[0].quantity, 5, 1e-6);
}

}  // namespace
}  // namespace cadena::chain

namespace cadena::chain {
namespace {

// Domestic (from == to) routes are haulage inside a country, charged when a plant draws an input
// from its country's market and when consumers take delivery. Network A with demand 60 plus CN
// haulage of 7 for ore (specific) and 3 for everything else ("*"): ore used by the refinery pays
// 7 x 66 = 462, chem delivered pays 3 x 60 = 180. Objective 99,600 + 642 = 100,242; chem price
// 1000 + 1.1 x (600 + 7) + 3 = 1670.7.
TEST(Network, DomesticHaulageOnUseAndDelivery) {
  auto d = network_a(60);
  d.routes.push_back(route("CN", "CN", "*", 3));
  d.routes.push_back(route("CN", "CN", "ore", 7));
  auto n = Network::build(d);
  ASSERT_TRUE(n.ok());
  auto solver = solvers::make_solver("clp");
  auto r = n->extract(*(*solver)->solve(n->lp()));
  EXPECT_NEAR(r.objective_usd, 100242, 1e-3);
  EXPECT_NEAR(r.transport_usd, 6600 + 642, 1e-3);
  EXPECT_NEAR(price(r.demand_prices, "CN", "chem"), 1670.7, 1e-3);
}

}  // namespace
}  // namespace cadena::chain

namespace cadena::chain {
namespace {

// Switching a plant off in place: network A at demand 120 without the CN mine has only AU's 100 t
// of ore, i.e. 100 / 1.1 = 90.909 t of chem; 29.091 t are unmet. A fresh build of the Network's
// own dataset copy (where the mine is now suspended) gives the same optimum.
TEST(Network, SwitchingAFacilityOffInPlace) {
  auto n = Network::build(network_a(120));
  ASSERT_TRUE(n.ok());
  ASSERT_TRUE(n->set_facility_active("mine_cn", false).ok());
  auto solver = solvers::make_solver("clp");
  auto r = n->extract(*(*solver)->solve(n->lp()));
  ASSERT_EQ(r.unmet.size(), 1u);
  EXPECT_NEAR(r.unmet[0].quantity, 120 - 100 / 1.1, 1e-6);
  EXPECT_EQ(n->dataset().facilities[1].status, model::FacilityStatus::Suspended);
  auto fresh = build_and_solve(n->dataset());
  EXPECT_NEAR(fresh.objective_usd, r.objective_usd, 1e-6 * r.objective_usd);
  // And back on: the optimum of CapacityBinds... again.
  ASSERT_TRUE(n->set_facility_active("mine_cn", true).ok());
  auto r2 = n->extract(*(*solver)->solve(n->lp()));
  EXPECT_NEAR(r2.objective_usd, 205600, 1e-3);
}

// The cost scale is undone on every USD figure: a build at scale 1 reports what scale 1e-6 does.
TEST(Network, CostScaleIsInvisibleInResults) {
  BuildOptions unscaled;
  unscaled.cost_scale = 1.0;
  auto a = Network::build(network_a(120), unscaled);
  auto b = Network::build(network_a(120));
  ASSERT_TRUE(a.ok() && b.ok());
  auto ra = a->extract(solve(*a));
  auto rb = b->extract(solve(*b));
  EXPECT_NEAR(ra.objective_usd, 205600, 1e-6);
  EXPECT_NEAR(rb.objective_usd, ra.objective_usd, 1e-6 * ra.objective_usd);
  EXPECT_NEAR(price(ra.demand_prices, "CN", "chem"), 1880, 1e-6);
  EXPECT_NEAR(price(rb.demand_prices, "CN", "chem"), 1880, 1e-3);
  EXPECT_NEAR(facility_of(rb, "mine_au").reduced_cost_usd, -200, 1e-3);
}

}  // namespace
}  // namespace cadena::chain
