// Scenario stacking (`base = "other.toml"`) and command-line overrides (`--set KEY=VALUE`,
// io::apply_assignment). Fixtures: tests/fixtures/scenarios/.
#include <gtest/gtest.h>

#include "cadena/io/dataset_io.hpp"
#include "cadena/io/scenario_io.hpp"

namespace cadena::io {
namespace {

namespace fs = std::filesystem;
const fs::path kFixtures = fs::path(CADENA_FIXTURES_DIR);
const fs::path kStacks = kFixtures / "scenarios";

double demand_of(const model::Dataset& d, std::string_view region, std::string_view product) {
  for (const auto& m : d.demands)
    if (m.region == region && m.product == product) return m.quantity;
  ADD_FAILURE() << "no demand " << region << "/" << product;
  return -1;
}

TEST(Stacking, LaterLayersWinAndFactorsMultiply) {
  auto s = load_scenario(kStacks / "stack_top.toml");
  ASSERT_TRUE(s.ok()) << s.error().format();
  EXPECT_EQ(s->name, "stack-top");                            // the top file's name
  EXPECT_EQ(s->description, "middle of the stacking test");   // the nearest layer that gives one
  ASSERT_EQ(s->bases.size(), 2u);
  EXPECT_EQ(s->bases[0].filename(), "stack_base.toml");       // deepest first
  EXPECT_EQ(s->bases[1].filename(), "stack_middle.toml");
  auto d = load_scenario_dataset(*s);                          // the base's dataset key holds
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_DOUBLE_EQ(d->find_facility("mine_au")->capacity, 90);  // middle (90) over base (80)
  EXPECT_DOUBLE_EQ(d->find_facility("mine_cn")->capacity, 40);
  EXPECT_DOUBLE_EQ(d->settings.carbon_price, 0);                // top (0) over base (50)
  EXPECT_DOUBLE_EQ(demand_of(*d, "CN", "li2co3"), 60 * 2 * 1.5);
  // Each record points at the file that wrote it.
  EXPECT_EQ(fs::path(d->find_facility("mine_au")->prov.file).filename(), "stack_middle.toml");
}

TEST(Stacking, AMiddleLayerAloneStacksOnItsBase) {
  auto s = load_scenario(kStacks / "stack_middle.toml");
  ASSERT_TRUE(s.ok()) << s.error().format();
  EXPECT_EQ(s->name, "stack_middle");  // no name: its own file stem, not the base's name
  auto d = load_scenario_dataset(*s);
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_DOUBLE_EQ(d->settings.carbon_price, 50);
  EXPECT_DOUBLE_EQ(demand_of(*d, "CN", "li2co3"), 120);
}

TEST(Stacking, ACycleIsAnErrorAtTheBaseKey) {
  auto s = load_scenario(kStacks / "cycle_a.toml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().category, ErrorCategory::Value);
  EXPECT_EQ(fs::path(s.error().context.file).filename(), "cycle_b.toml");  // the file that closes it
  EXPECT_EQ(s.error().context.line, 3);
  EXPECT_EQ(s.error().context.key, "base");
  EXPECT_NE(s.error().message.find("cycle_a.toml -> cycle_b.toml -> cycle_a.toml"), std::string::npos)
      << s.error().message;
}

TEST(Stacking, AMissingBaseIsAnErrorAtItsFileAndLine) {
  auto s = load_scenario(kStacks / "missing_in_base.toml");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().category, ErrorCategory::Missing);
  EXPECT_EQ(fs::path(s.error().context.file).filename(), "base_missing.toml");
  EXPECT_EQ(s.error().context.line, 4);
  EXPECT_EQ(s.error().context.key, "base");
  EXPECT_NE(s.error().message.find("no_such_scenario.toml"), std::string::npos);

  auto t = load_scenario(kStacks / "base_not_text.toml");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().category, ErrorCategory::Type);
  EXPECT_EQ(t.error().context.line, 2);
}

// Applies `assignments` to the baseline scenario on the two-mines dataset.
Result<model::Dataset> with(std::vector<std::string> assignments) {
  Scenario s = baseline_scenario();
  for (const auto& a : assignments) CADENA_TRY(apply_assignment(s, a));
  auto base = load_dataset(kFixtures / "chain/two-mines");
  if (!base) return base.error();
  return apply_scenario(s, std::move(*base));
}

TEST(Assignment, EveryKeyForm) {
  auto d = with({"carbon_price_usd_per_t=20", "settings.include_non_operating=true", "facility.mine_au.capacity=70",
                 "facility.mine_cn.unit_cost_usd=750", "route.AU.CN.spodumene_conc.cost_usd_per_unit=120",
                 "demand.CN.li2co3.quantity=80", "demand_scale.li2co3=0.5"});
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_DOUBLE_EQ(d->settings.carbon_price, 20);
  EXPECT_TRUE(d->settings.include_non_operating);
  EXPECT_DOUBLE_EQ(d->find_facility("mine_au")->capacity, 70);
  EXPECT_DOUBLE_EQ(d->find_facility("mine_cn")->unit_cost, 750);
  EXPECT_DOUBLE_EQ(d->routes[0].cost_per_unit, 120);
  EXPECT_DOUBLE_EQ(demand_of(*d, "CN", "li2co3"), 40);  // 80 x 0.5
  EXPECT_EQ(d->find_facility("mine_au")->prov.file, "--set");
}

TEST(Assignment, ANewRecordIsGivenColumnByColumn) {
  // A policy that does not exist yet needs rate and reference price: two --set on the same row.
  auto d = with({"policy.export_duty.spodumene_conc.AU.*.rate=0.1",
                 "policy.export_duty.spodumene_conc.AU.*.reference_price_usd=1000"});
  ASSERT_TRUE(d.ok()) << d.error().format();
  ASSERT_EQ(d->policies.size(), 1u);
  EXPECT_DOUBLE_EQ(d->policies[0].rate, 0.1);
  EXPECT_DOUBLE_EQ(d->policies[0].reference_price, 1000);
  EXPECT_EQ(d->policies[0].prov.source, "scenario baseline");

  auto half = with({"policy.export_duty.spodumene_conc.AU.*.rate=0.1"});
  ASSERT_FALSE(half.ok());
  EXPECT_EQ(half.error().category, ErrorCategory::Missing);
  EXPECT_EQ(half.error().context.file, "--set");
  EXPECT_EQ(half.error().context.key, "reference_price_usd");
}

TEST(Assignment, BadKeysAreSyntaxErrorsNamingTheKey) {
  Scenario s = baseline_scenario();
  for (const char* bad : {"nokey", "=5", "foo=1", "facility.mine_au=3", "facility.mine_au.capcity=3",
                          "route.AU.CN.cost_usd_per_unit=3", "policy.export_duty.x.AU.rate=1", "settings.nope=1",
                          "demand_scale=2", "facility..capacity=1"}) {
    auto st = apply_assignment(s, bad);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().context.file, "--set") << bad;
    EXPECT_TRUE(st.error().category == ErrorCategory::Syntax) << bad << ": " << st.error().format();
  }
  auto named = apply_assignment(s, "facility.mine_au.capcity=3");
  EXPECT_EQ(named.error().context.key, "facility.mine_au.capcity");
  EXPECT_NE(named.error().message.find("capacity"), std::string::npos);  // lists what exists
}

TEST(Assignment, BadValuesAreReportedAtTheColumn) {
  auto neg = with({"facility.mine_au.capacity=-5"});
  ASSERT_FALSE(neg.ok());
  EXPECT_EQ(neg.error().category, ErrorCategory::Value);
  EXPECT_EQ(neg.error().context.file, "--set");
  EXPECT_EQ(neg.error().context.key, "capacity");
  EXPECT_EQ(neg.error().context.element, "mine_au");

  Scenario s = baseline_scenario();
  auto setting = apply_assignment(s, "carbon_price_usd_per_t=abc");
  ASSERT_FALSE(setting.ok());
  EXPECT_EQ(setting.error().category, ErrorCategory::Type);
  auto factor = apply_assignment(s, "demand_scale.*=-1");
  ASSERT_FALSE(factor.ok());
  EXPECT_EQ(factor.error().context.key, "demand_scale.*");
  auto name = apply_assignment(s, "name=../up");
  ASSERT_FALSE(name.ok());
  EXPECT_EQ(name.error().context.key, "name");
}

TEST(Assignment, QuotesAreDroppedAndTheOriginIsNamed) {
  Scenario s = baseline_scenario();
  ASSERT_TRUE(apply_assignment(s, "name=\"quoted\"").ok());
  EXPECT_EQ(s.name, "quoted");
  auto st = apply_assignment(s, "nothing=1", "--sweep");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().context.file, "--sweep");
  EXPECT_EQ(s.assignments.size(), 2u);  // both recorded as given (the run names them)
}

}  // namespace
}  // namespace cadena::io
