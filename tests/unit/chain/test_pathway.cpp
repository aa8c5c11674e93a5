// Hand-checkable two- and three-period pathways (docs/formulation.md, "Pathways"): build versus
// import, lead time, ramp-up, depletion, retirement, discounting, myopic versus perfect foresight,
// one year versus the single-year model. Every expected value is worked out in the comment above
// its assertion.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "cadena/chain/pathway.hpp"
#include "pathway_fixtures.hpp"
#include "results.hpp"

namespace cadena::chain {
namespace {

using testing::cn_mine_option;
using testing::demand_path;
using testing::import_dataset;
using testing::price;
using testing::years_of;

struct Solved {
  double objective_usd = 0.0;  // the LP objective (perfect foresight) or the sum of the windows' (myopic)
  std::vector<ChainResult> periods;
  std::vector<BuildRecord> builds;
  std::vector<std::vector<std::vector<double>>> extraction;
};

Pathway prepare(const model::Dataset& d, const model::PathwayData& p, const PathwayOptions& o) {
  auto pw = Pathway::prepare(d, p, o);
  EXPECT_TRUE(pw.ok()) << (pw.ok() ? "" : pw.error().format());
  return std::move(*pw);
}

Solved foresight(const Pathway& pw) {
  Solved out;
  auto net = pw.build(0, static_cast<int>(pw.years().size()), pw.initial_state());
  EXPECT_TRUE(net.ok()) << (net.ok() ? "" : net.error().format());
  auto sol = testing::solve(net->network());
  out.objective_usd = sol.objective / pw.options().cost_scale;
  auto r = net->extract(sol);
  out.periods = r.periods;
  out.builds = r.builds;
  out.extraction = r.extraction;
  return out;
}

// Myopic: one window per year, builds and extraction carried. Its cost over the horizon counts
// every build's yearly charge in every period it produces in, as perfect foresight does.
Solved myopic(const Pathway& pw) {
  Solved out;
  auto state = pw.initial_state();
  for (int k = 0; k < static_cast<int>(pw.years().size()); ++k) {
    auto net = pw.build(k, 1, state);
    EXPECT_TRUE(net.ok()) << (net.ok() ? "" : net.error().format());
    auto sol = testing::solve(net->network());
    auto r = net->extract(sol);
    pw.advance(state, r, k);
    out.periods.push_back(r.periods[0]);
    out.periods.back().objective_usd += r.depletion_usd[0];
    out.builds.insert(out.builds.end(), r.builds.begin(), r.builds.end());
  }
  for (int k = 0; k < static_cast<int>(pw.years().size()); ++k) {
    double cost = out.periods[static_cast<std::size_t>(k)].objective_usd;
    for (const auto& b : out.builds) {
      std::size_t i = 0;
      while (pw.dataset().facilities[i].id != b.asset) ++i;
      if (pw.alive(i, b.year, pw.years()[static_cast<std::size_t>(k)]))
        cost += pw.yearly_charge_usd(i) * b.capacity;
    }
    out.objective_usd += pw.cost_weight(k) * cost;
  }
  return out;
}

double built(const Solved& s, const std::string& asset, int year) {
  double x = 0.0;
  for (const auto& b : s.builds)
    if (b.asset == asset && b.year == year) x += b.capacity;
  return x;
}

// Demand 100 (2024) and 200 (2025); import at 600 delivered. A CN mine costs 300 per t plus a
// yearly charge of capex / 10 (r = 0, life 10), lead time 1 so it can produce from 2025.
//  capex 2000: charge 200, 300 + 200 = 500 < 600: build 200 in 2025. Objective
//   2024: 100 x 600 = 60,000; 2025: 200 x 300 + 200 x 200 = 100,000; total 160,000.
//   The 2025 CN price is the long-run marginal cost 500.
//  capex 4000: charge 400, 700 > 600: import. 60,000 + 200 x 600 = 180,000; price 600.
TEST(Pathway, BuildVersusImport) {
  auto d = import_dataset();
  auto p = demand_path({{2025, 200}});
  p.options = {cn_mine_option(2000)};
  auto cheap = foresight(prepare(d, p, years_of({2024, 2025})));
  EXPECT_NEAR(cheap.objective_usd, 160000, 1e-3);
  EXPECT_NEAR(built(cheap, "cn_mine@CN", 2025), 200, 1e-6);
  EXPECT_NEAR(price(cheap.periods[1].demand_prices, "CN", "ore"), 500, 1e-3);
  EXPECT_NEAR(price(cheap.periods[0].demand_prices, "CN", "ore"), 600, 1e-3);
  ASSERT_EQ(cheap.builds.size(), 1u);
  EXPECT_EQ(cheap.builds[0].kind, "option");
  EXPECT_EQ(cheap.builds[0].country, "CN");
  EXPECT_NEAR(cheap.builds[0].capex_usd, 200 * 2000, 1e-3);
  ASSERT_EQ(cheap.builds[0].owners.size(), 1u);
  EXPECT_EQ(cheap.builds[0].owners[0].first, "CN");

  p.options = {cn_mine_option(4000)};
  auto dear = foresight(prepare(d, p, years_of({2024, 2025})));
  EXPECT_NEAR(dear.objective_usd, 180000, 1e-3);
  EXPECT_TRUE(dear.builds.empty());
  EXPECT_NEAR(price(dear.periods[1].demand_prices, "CN", "ore"), 600, 1e-3);
}

// Lead time 2: the CN mine can first produce in 2026. Demand 200 in 2025 and 2026 (years 2024,
// 2025, 2026). 2025 must import (200 x 600 = 120,000); 2026 builds 200 at 500 (100,000);
// 2024 60,000. Total 280,000; nothing built for 2025.
TEST(Pathway, LeadTimeBinds) {
  auto d = import_dataset();
  auto p = demand_path({{2025, 200}, {2026, 200}});
  p.options = {cn_mine_option(2000, 2)};
  auto s = foresight(prepare(d, p, years_of({2024, 2025, 2026})));
  EXPECT_NEAR(s.objective_usd, 280000, 1e-3);
  EXPECT_NEAR(built(s, "cn_mine@CN", 2025), 0, 1e-6);
  EXPECT_NEAR(built(s, "cn_mine@CN", 2026), 200, 1e-6);
  EXPECT_NEAR(price(s.periods[1].demand_prices, "CN", "ore"), 600, 1e-3);
}

// Ramp-up 0.5 in the first year of output, then 1. Demand 100, 200, 200 (2024-2026); yearly
// charge 200 per unit built for every year it stands (2025 and 2026 for a 2025 build: 400).
// A unit built in 2025 gives 0.5 t in 2025 and 1 t in 2026, saving 0.5 x 300 + 300 = 450 > 400:
// build 200 in 2025 (more would only add 2025 output, 150 saved for 400 more). A 2026 build saves
// 0.5 x 300 = 150 < 200: none. 2025: 100 local x 300 + 100 imported x 600 = 90,000; 2026:
// 200 x 300 = 60,000; builds 200 x 400 = 80,000; 2024 60,000. Total 290,000.
// Myopic sees one year at a time: in 2025 a unit saves 150 for a charge of 200, in 2026 the same:
// it never builds, and imports everything: 60,000 + 120,000 + 120,000 = 300,000 >= 290,000.
TEST(Pathway, RampUpAndMyopicCostsMore) {
  auto d = import_dataset();
  auto p = demand_path({{2025, 200}, {2026, 200}});
  p.options = {cn_mine_option(2000, 1, {0.5})};
  auto pw = prepare(d, p, years_of({2024, 2025, 2026}));
  auto pf = foresight(pw);
  EXPECT_NEAR(pf.objective_usd, 290000, 1e-3);
  EXPECT_NEAR(built(pf, "cn_mine@CN", 2025), 200, 1e-6);
  EXPECT_NEAR(built(pf, "cn_mine@CN", 2026), 0, 1e-6);
  // The built mine's capacity in each year: 100 (half of 200) in 2025, 200 in 2026.
  auto cap = [&](const ChainResult& r) {
    for (const auto& f : r.facilities)
      if (f.id == "cn_mine@CN") return f.capacity;
    return -1.0;
  };
  EXPECT_NEAR(cap(pf.periods[1]), 100, 1e-6);
  EXPECT_NEAR(cap(pf.periods[2]), 200, 1e-6);
  auto my = myopic(pw);
  EXPECT_NEAR(my.objective_usd, 300000, 1e-3);
  EXPECT_TRUE(my.builds.empty());
  EXPECT_GE(my.objective_usd, pf.objective_usd - 1e-6);
}

// The AU mine draws on a deposit of two tranches: 150 t at no extra cost, then 1,000 t at +200.
// Demand 100 t a year in 2024, 2025 and 2026 (r = 0): 300 t in all, 150 from each tranche.
// Objective 300 x 600 + 150 x 200 = 210,000. Every year's price is 800: one more tonne in any
// year comes from the dear tranche in the end (scarcity rent).
TEST(Pathway, DepletionBindsAndShowsInPrices) {
  auto d = import_dataset();
  auto p = demand_path({{2025, 100}, {2026, 100}});
  model::ResourceTranche t1, t2;
  t1.deposit = t2.deposit = "mine_au";
  t1.tranche = 1;
  t1.quantity = 150;
  t1.unit = t2.unit = "t LCE";
  t2.tranche = 2;
  t2.quantity = 1000;
  t2.extra_cost_usd_per_unit = 200;
  p.resources = {t1, t2};
  auto pw = prepare(d, p, years_of({2024, 2025, 2026}));
  auto s = foresight(pw);
  EXPECT_NEAR(s.objective_usd, 210000, 1e-3);
  for (int k = 0; k < 3; ++k) EXPECT_NEAR(price(s.periods[static_cast<std::size_t>(k)].demand_prices, "CN", "ore"), 800, 1e-3);
  double first = 0.0, second = 0.0;
  for (const auto& per : s.extraction) {
    first += per[0][0];
    second += per[0][1];
  }
  EXPECT_NEAR(first, 150, 1e-6);
  EXPECT_NEAR(second, 150, 1e-6);
  // Myopic extracts the same 300 t (demand is fixed) and pays the same surcharge (r = 0).
  auto my = myopic(pw);
  EXPECT_NEAR(my.objective_usd, 210000, 1e-3);
}

// A CN mine (100 t/yr at 300) retires in 2026: 2024 and 2025 use it (100 x 300 = 30,000 each),
// 2026 imports 100 at 600. r = 0.10 discounts 2025 by 1/1.1 and 2026 by 1/1.21:
// 30,000 + 30,000 / 1.1 + 60,000 / 1.21 = 106,859.50...
TEST(Pathway, RetirementAndDiscounting) {
  auto d = import_dataset();
  d.facilities.push_back(testing::facility("mine_cn", "mining", "CN", "ore", 100, 300));
  auto p = demand_path({{2025, 100}, {2026, 100}});
  model::ProjectData retire;
  retire.facility = "mine_cn";
  retire.retirement_year = 2026;
  retire.prov.source = "test";
  p.projects = {retire};
  auto pw = prepare(d, p, years_of({2024, 2025, 2026}, 0.10));
  EXPECT_NEAR(pw.cost_weight(1), 1 / 1.1, 1e-12);
  EXPECT_NEAR(pw.cost_weight(2), 1 / 1.21, 1e-12);
  auto s = foresight(pw);
  EXPECT_NEAR(s.objective_usd, 30000 + 30000 / 1.1 + 60000 / 1.21, 1e-3);
  EXPECT_NEAR(testing::output_of(s.periods[2], "mine_cn"), 0, 1e-9);
  EXPECT_NEAR(testing::output_of(s.periods[1], "mine_cn"), 100, 1e-9);
  // Prices are USD of their year, not discounted: 600 in 2026 (import), 300 + 0 before (the CN
  // mine is at capacity and the marginal tonne is imported: 600 too).
  EXPECT_NEAR(price(s.periods[2].demand_prices, "CN", "ore"), 600, 1e-3);
  ASSERT_EQ(pw.retirements().size(), 1u);
  EXPECT_EQ(pw.retirements()[0].year, 2026);
}

// Steps: 2024, 2025, 2030 stand for 1, 5 and 1 years. Demand 100 throughout (held), imports
// only, r = 0: 100 x 600 x (1 + 5 + 1) = 420,000.
TEST(Pathway, StepsWeighTheYearsTheyStandFor) {
  auto d = import_dataset();
  model::PathwayData p;
  auto pw = prepare(d, p, years_of({2024, 2025, 2030}, 0.0, ""));
  EXPECT_DOUBLE_EQ(pw.weight(1), 5);
  auto s = foresight(pw);
  EXPECT_NEAR(s.objective_usd, 420000, 1e-3);
}

// A pathway of the dataset year alone is the single-year model: same optimum and flows.
TEST(Pathway, OneYearEqualsTheSingleYear) {
  auto d = testing::network_a(130);
  model::PathwayData p;
  auto pw = prepare(d, p, years_of({2024}, 0.07, ""));
  auto s = foresight(pw);
  auto single = Network::build(d);
  ASSERT_TRUE(single.ok());
  auto r = single->extract(testing::solve(*single));
  EXPECT_NEAR(s.objective_usd, r.objective_usd, 1e-9 * r.objective_usd);
  ASSERT_EQ(s.periods[0].flows.size(), r.flows.size());
  for (std::size_t i = 0; i < r.flows.size(); ++i) EXPECT_NEAR(s.periods[0].flows[i].quantity, r.flows[i].quantity, 1e-9);
}

TEST(Pathway, YearsMustStartAtTheDatasetYearInOrder) {
  auto d = import_dataset();
  model::PathwayData p;
  auto late = Pathway::prepare(d, p, years_of({2025, 2030}, 0.0, ""));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().context.key, "years");
  auto unordered = Pathway::prepare(d, p, years_of({2024, 2030, 2026}, 0.0, ""));
  ASSERT_FALSE(unordered.ok());
  EXPECT_NE(unordered.error().message.find("out of order"), std::string::npos);
}

TEST(Pathway, UnknownDemandPathNamesTheKnownOnes) {
  auto d = import_dataset();
  auto p = demand_path({{2025, 200}});
  auto pw = Pathway::prepare(d, p, years_of({2024, 2025}, 0.0, "aps"));
  ASSERT_FALSE(pw.ok());
  EXPECT_EQ(pw.error().context.key, "demand_path");
  EXPECT_NE(pw.error().message.find("base"), std::string::npos);
}

}  // namespace
}  // namespace cadena::chain
