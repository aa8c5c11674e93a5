// Shares and HHI on a hand-computed example with partial ownership. The ChainResult is written
// by hand (no solver), so only the analytics are under test.
#include <gtest/gtest.h>

#include "cadena/analytics/shares.hpp"
#include "../chain/fixtures.hpp"

namespace cadena::analytics {
namespace {

model::Facility mine(std::string id, std::string country, std::vector<model::Ownership> owners) {
  model::Facility f;
  f.id = std::move(id);
  f.stage = "mining";
  f.country = std::move(country);
  f.output = "ore";
  f.owners = std::move(owners);
  return f;
}

chain::FacilityRecord record(std::string id, std::string country, double output, double capacity) {
  chain::FacilityRecord r;
  r.id = std::move(id);
  r.stage = "mining";
  r.country = std::move(country);
  r.product = "ore";
  r.unit = "t LCE";
  r.output = output;
  r.capacity = capacity;
  r.active = true;
  return r;
}

// Mine m1 in AU produces 60, owned 50 % by a CN company and 30 % by an AU company (20 % not
// attributed); mine m2 in CL produces 40, owned 100 % by a CL company; m3 in AU is idle.
//  by location: AU 60 (60 %), CL 40 (40 %): HHI = 60^2 + 40^2 = 5200.
//  by owner:    CL 40 (40 %), CN 30 (30 %), AU 18 (18 %), unattributed 12 (12 %):
//               HHI = 40^2 + 30^2 + 18^2 = 1600 + 900 + 324 = 2824 (unattributed left out).
TEST(Shares, PartialOwnershipByLocationAndOwnerCountry) {
  model::Dataset d;
  testing::declare_lithium_like(d);
  d.products = {{"ore", "ore", "t LCE", "mining", {}}};
  d.companies = {{"co_cn", "CN Co", "CN", {}}, {"co_au", "AU Co", "AU", {}}, {"co_cl", "CL Co", "CL", {}}};
  d.facilities = {mine("m1", "AU", {{"co_cn", 0.5}, {"co_au", 0.3}}), mine("m2", "CL", {{"co_cl", 1.0}}),
                  mine("m3", "AU", {{"co_au", 1.0}})};
  chain::ChainResult r;
  r.termination = lp::Termination::Optimal;
  r.facilities = {record("m1", "AU", 60, 100), record("m2", "CL", 40, 40), record("m3", "AU", 0, 25)};

  auto stages = stage_summaries(d, r);
  ASSERT_EQ(stages.size(), 4u);  // mining, refining, cathode, cells
  const auto& m = stages[0];
  EXPECT_EQ(m.stage, "mining");
  EXPECT_EQ(m.unit, "t LCE");
  EXPECT_DOUBLE_EQ(m.output, 100);
  EXPECT_DOUBLE_EQ(m.capacity, 165);
  ASSERT_EQ(m.by_country.size(), 2u);
  EXPECT_EQ(m.by_country[0].key, "AU");
  EXPECT_DOUBLE_EQ(m.by_country[0].share, 0.6);
  EXPECT_EQ(m.by_country[1].key, "CL");
  EXPECT_NEAR(m.hhi_country, 5200, 1e-9);

  ASSERT_EQ(m.by_owner_country.size(), 4u);
  EXPECT_EQ(m.by_owner_country[0].key, "CL");
  EXPECT_NEAR(m.by_owner_country[0].share, 0.40, 1e-12);
  EXPECT_EQ(m.by_owner_country[1].key, "CN");
  EXPECT_NEAR(m.by_owner_country[1].quantity, 30, 1e-12);
  EXPECT_EQ(m.by_owner_country[2].key, "AU");
  EXPECT_NEAR(m.by_owner_country[2].quantity, 18, 1e-12);
  EXPECT_EQ(m.by_owner_country[3].key, kUnattributed);
  EXPECT_NEAR(m.by_owner_country[3].quantity, 12, 1e-12);
  EXPECT_NEAR(m.hhi_owner_country, 2824, 1e-9);

  // Stages without output are present and empty.
  EXPECT_EQ(stages[3].stage, "cells");
  EXPECT_EQ(stages[3].output, 0);
  EXPECT_TRUE(stages[3].by_country.empty());
  EXPECT_EQ(stages[3].hhi_country, 0);
}

// A monopoly is 10,000; n equal firms give 10,000 / n.
TEST(Shares, HhiBounds) {
  EXPECT_DOUBLE_EQ(hhi(to_shares({{"CN", 5.0}})), 10000);
  EXPECT_NEAR(hhi(to_shares({{"A", 1.0}, {"B", 1.0}, {"C", 1.0}, {"D", 1.0}})), 2500, 1e-9);
  // Repeated keys add up before squaring: A 3, B 1 -> 75^2 + 25^2 = 6250.
  EXPECT_NEAR(hhi(to_shares({{"A", 1.0}, {"B", 1.0}, {"A", 2.0}})), 6250, 1e-9);
  EXPECT_TRUE(to_shares({}).empty());
}

}  // namespace
}  // namespace cadena::analytics

#include "cadena/analytics/bottlenecks.hpp"

namespace cadena::analytics {
namespace {

// Bottlenecks: only full, active plants with a negative reduced cost, largest saving first.
TEST(Bottlenecks, FullPlantsRankedBySaving) {
  chain::ChainResult r;
  auto rec = [](std::string id, double out, double cap, double rc, bool active = true) {
    chain::FacilityRecord f;
    f.id = std::move(id);
    f.output = out;
    f.capacity = cap;
    f.utilisation = cap > 0 ? out / cap : 0;
    f.reduced_cost_usd = rc;
    f.active = active;
    return f;
  };
  r.facilities = {rec("small_saving", 10, 10, -50), rec("idle", 0, 10, 300), rec("big_saving", 5, 5, -200),
                  rec("full_but_marginal", 7, 7, 0), rec("half", 5, 10, 0), rec("inactive", 0, 0, -10, false)};
  auto b = bottlenecks(r);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].facility, "big_saving");
  EXPECT_DOUBLE_EQ(b[0].value_usd_per_unit, 200);
  EXPECT_EQ(b[1].facility, "small_saving");
  EXPECT_EQ(bottlenecks(r, 1).size(), 1u);
}

}  // namespace
}  // namespace cadena::analytics
