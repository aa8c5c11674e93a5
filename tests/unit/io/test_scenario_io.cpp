#include <gtest/gtest.h>

#include "cadena/io/dataset_io.hpp"
#include "cadena/io/scenario_io.hpp"

namespace cadena::io {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(CADENA_FIXTURES_DIR);
const fs::path kTiny = kFixtures / "datasets/tiny";
const fs::path kScenario = kFixtures / "datasets/tiny_scenario.toml";

const model::Demand* find_demand(const model::Dataset& d, std::string_view region, std::string_view product) {
  for (const auto& m : d.demands)
    if (m.region == region && m.product == product) return &m;
  return nullptr;
}

TEST(LoadScenario, ReadsEveryOverrideInFileOrder) {
  auto s = load_scenario(kScenario);
  ASSERT_TRUE(s.ok()) << s.error().format();
  EXPECT_EQ(s->name, "tiny-test");
  EXPECT_EQ(s->dataset, kFixtures / "datasets" / "tiny");  // resolved against the scenario's folder
  ASSERT_EQ(s->settings.size(), 1u);
  EXPECT_EQ(s->settings[0].key, "carbon_price_usd_per_t");
  ASSERT_EQ(s->facilities.size(), 2u);
  EXPECT_EQ(s->facilities[0].find("id")->text, "olaroz");
  EXPECT_EQ(s->facilities[0].find("capacity")->line, 12);
  EXPECT_EQ(s->facilities[0].line, 10);  // the [[facility]] header
  EXPECT_EQ(s->facilities[1].find("id")->text, "new_cell_de");
  EXPECT_EQ(s->policies.size(), 2u);
  EXPECT_EQ(s->demands.size(), 2u);
  EXPECT_EQ(s->routes.size(), 2u);
  ASSERT_EQ(s->demand_scale.size(), 2u);
}

TEST(ApplyScenario, EveryOverrideKind) {
  auto s = load_scenario(kScenario);
  ASSERT_TRUE(s.ok()) << s.error().format();
  auto base = load_dataset(kTiny);
  ASSERT_TRUE(base.ok()) << base.error().format();
  auto r = apply_scenario(*s, *base);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const model::Dataset& d = *r;

  EXPECT_DOUBLE_EQ(d.settings.carbon_price, 50.0);
  EXPECT_DOUBLE_EQ(base->settings.carbon_price, 0.0);  // the base is a copy, untouched

  // Capacity override: only capacity changes; the record now points at the scenario row.
  const model::Facility* o = d.find_facility("olaroz");
  ASSERT_NE(o, nullptr);
  EXPECT_DOUBLE_EQ(o->capacity, 60000);
  EXPECT_EQ(o->name, "Olaroz");
  EXPECT_DOUBLE_EQ(o->unit_cost, 5000);
  ASSERT_EQ(o->owners.size(), 1u);
  EXPECT_DOUBLE_EQ(o->owners[0].share, 0.467);
  EXPECT_EQ(o->prov.file, kScenario.string());
  EXPECT_EQ(o->prov.line, 10);
  EXPECT_EQ(o->prov.source, "test fixture");  // the row's citation stays
  EXPECT_EQ(o->prov.note, "capacity set by scenario tiny-test; share rounded");
  EXPECT_EQ(d.policies[0].prov.source, "test fixture");

  // New facility with every column.
  ASSERT_EQ(d.facilities.size(), 9u);
  const model::Facility* n = d.find_facility("new_cell_de");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->stage, "cells");
  EXPECT_EQ(n->country, "DE");
  EXPECT_DOUBLE_EQ(n->capacity, 40);
  EXPECT_DOUBLE_EQ(n->unit_cost, 45000000);
  ASSERT_EQ(n->inputs.size(), 1u);
  EXPECT_DOUBLE_EQ(n->inputs[0].per_unit_output, 2200);
  EXPECT_EQ(n->status, model::FacilityStatus::Planned);
  EXPECT_EQ(n->start_year, 2027);
  ASSERT_EQ(n->owners.size(), 2u);
  EXPECT_DOUBLE_EQ(n->owners[0].share + n->owners[1].share, 0.75);
  EXPECT_EQ(n->prov.source, "scenario tiny-test");

  // Policy replace (same kind/product/from/to) and add.
  ASSERT_EQ(d.policies.size(), 3u);
  EXPECT_EQ(d.policies[0].from, "AR");
  EXPECT_DOUBLE_EQ(d.policies[0].rate, 0.10);
  EXPECT_EQ(d.policies[2].to, "DE");
  EXPECT_DOUBLE_EQ(d.policies[2].rate, 0.05);
  EXPECT_EQ(d.policies[2].prov.source, "hypothetical");

  // Demand: replace CN cell_lfp 500 -> 700, add EU cell_lfp 100, then scale all by 1.2 and
  // li2co3 by a further 0.5: 700*1.2 = 840, 100*1.2 = 120, 20000*1.2*0.5 = 12000, 10000*1.2 = 12000.
  ASSERT_EQ(d.demands.size(), 4u);
  EXPECT_NEAR(find_demand(d, "CN", "cell_lfp")->quantity, 840.0, 1e-9);
  EXPECT_NEAR(find_demand(d, "EU", "cell_lfp")->quantity, 120.0, 1e-9);
  EXPECT_NEAR(find_demand(d, "EU", "li2co3")->quantity, 12000.0, 1e-9);
  EXPECT_NEAR(find_demand(d, "ROW", "lioh")->quantity, 12000.0, 1e-9);

  // Routes: AR-CL brine closed (capacity 30000 -> 0, cost kept), AR-CN li2co3 added, unlimited.
  ASSERT_EQ(d.routes.size(), 8u);
  EXPECT_EQ(d.routes[1].from, "AR");
  ASSERT_TRUE(d.routes[1].capacity.has_value());
  EXPECT_DOUBLE_EQ(*d.routes[1].capacity, 0.0);
  EXPECT_DOUBLE_EQ(d.routes[1].cost_per_unit, 50.0);
  EXPECT_EQ(d.routes[7].to, "CN");
  EXPECT_EQ(d.routes[7].product, "li2co3");
  EXPECT_DOUBLE_EQ(d.routes[7].cost_per_unit, 150.0);
  EXPECT_FALSE(d.routes[7].capacity.has_value());
  EXPECT_EQ(d.routes[7].prov.source, "scenario tiny-test");
}

TEST(ApplyScenario, LoadScenarioDatasetFollowsTheDatasetKey) {
  auto s = load_scenario(kScenario);
  ASSERT_TRUE(s.ok());
  auto d = load_scenario_dataset(*s);
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_DOUBLE_EQ(d->find_facility("olaroz")->capacity, 60000);
}

TEST(ApplyScenario, ScenarioBuiltInCodeAndLaterOverridesWin) {
  auto base = load_dataset(kTiny);
  ASSERT_TRUE(base.ok());
  Scenario s;
  s.name = "inline";
  s.file = "inline.toml";
  s.facilities.push_back(Record{"inline.toml", 3, {{"id", "atacama", 3}, {"capacity", "1000", 4}}});
  s.facilities.push_back(Record{"inline.toml", 6, {{"id", "atacama", 6}, {"capacity", "2000", 7}}});
  s.demand_scale.push_back(DemandScale{"cell_lfp", 2.0, 9});
  // An empty capacity makes a limited route unlimited.
  s.routes.push_back(Record{"inline.toml", 10, {{"from", "AR", 11}, {"to", "CL", 12}, {"product", "brine_conc", 13},
                                                {"capacity", "", 14}}});
  auto r = apply_scenario(s, *base);
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_DOUBLE_EQ(r->find_facility("atacama")->capacity, 2000);
  EXPECT_DOUBLE_EQ(find_demand(*r, "CN", "cell_lfp")->quantity, 1000);
  EXPECT_DOUBLE_EQ(find_demand(*r, "EU", "li2co3")->quantity, 20000);  // other products untouched
  EXPECT_FALSE(r->routes[1].capacity.has_value());
  EXPECT_DOUBLE_EQ(r->routes[1].cost_per_unit, 50.0);
}

TEST(ApplyScenario, ValidationErrorsNameTheScenarioLineAndKey) {
  auto s = load_scenario(kFixtures / "malformed/scenario_negative_capacity.toml");
  ASSERT_TRUE(s.ok()) << s.error().format();
  auto r = load_scenario_dataset(*s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().category, ErrorCategory::Value);
  EXPECT_EQ(r.error().context.file, (kFixtures / "malformed/scenario_negative_capacity.toml").string());
  EXPECT_EQ(r.error().context.line, 6);
  EXPECT_EQ(r.error().context.key, "capacity");
  EXPECT_EQ(r.error().context.element, "atacama");
}

TEST(ApplyScenario, IncompleteNewFacilityIsMissing) {
  auto s = load_scenario(kFixtures / "malformed/scenario_new_facility_incomplete.toml");
  ASSERT_TRUE(s.ok());
  auto r = load_scenario_dataset(*s);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().category, ErrorCategory::Missing);
  EXPECT_EQ(r.error().context.element, "new_plant");
}

TEST(IsScenarioFile, ManifestAndScenarioAreTold) {
  auto a = is_scenario_file(kScenario);
  ASSERT_TRUE(a.ok());
  EXPECT_TRUE(*a);
  auto b = is_scenario_file(kTiny / "dataset.toml");
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE(*b);
  auto c = is_scenario_file(kFixtures / "malformed/neg_capacity/dataset.toml");
  ASSERT_TRUE(c.ok());
  EXPECT_FALSE(*c);
  auto bad = is_scenario_file(kFixtures / "malformed/scenario_toml_syntax.toml");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().category, ErrorCategory::Syntax);
  EXPECT_EQ(bad.error().context.line, 3);
}

}  // namespace
}  // namespace cadena::io
