// model::validate on datasets built in code: one mutation per check, each asserting the
// category, the column (key), the record (element) and the row it points at.
#include <gtest/gtest.h>

#include <functional>

#include "cadena/model/dataset.hpp"
#include "../chain/fixtures.hpp"

namespace cadena::model {
namespace {

Provenance at(int line) { return Provenance{"t.csv", line, "test", false, ""}; }

// A mine, a refinery and a cathode plant; every record on its own line number so the tests can
// see which row an error points at.
Dataset valid() {
  Dataset d;
  d.name = "unit";
  testing::declare_lithium_like(d);
  d.regions = {{"CN", "China", at(1)}, {"ROW", "Rest", at(2)}};
  d.countries = {{"AU", "Australia", "ROW", at(3)}, {"CN", "China", "CN", at(4)}};
  d.companies = {{"miner", "Miner", "AU", at(5)}, {"refiner", "Refiner", "CN", at(6)}};
  d.products = {{"spod", "Spodumene", "t LCE", "mining", at(7)},
                {"li2co3", "Carbonate", "t LCE", "refining", at(8)},
                {"cam", "Cathode", "t CAM", "cathode", at(9), 0.2342}};
  Facility mine;
  mine.id = "mine";
  mine.stage = "mining";
  mine.type = "spodumene";
  mine.country = "AU";
  mine.output = "spod";
  mine.capacity = 100;
  mine.unit_cost = 5;
  mine.owners = {{"miner", 0.6}, {"refiner", 0.4}};
  mine.prov = at(10);
  Facility ref;
  ref.id = "ref";
  ref.stage = "refining";
  ref.type = "carbonate";
  ref.country = "CN";
  ref.output = "li2co3";
  ref.capacity = 90;
  ref.unit_cost = 3;
  ref.inputs = {{"spod", 1.1, 0}};
  ref.prov = at(11);
  Facility cam;
  cam.id = "cam";
  cam.stage = "cathode";
  cam.type = "lfp";
  cam.country = "CN";
  cam.output = "cam";
  cam.capacity = 300;
  cam.inputs = {{"li2co3", 0.24, 0}};  // t LCE per t CAM: different units, no yield bound
  cam.prov = at(12);
  d.facilities = {mine, ref, cam};
  d.routes = {{"AU", "CN", "spod", 10, std::nullopt, at(13)}, {"CN", "CN", "*", 1, 50.0, at(14)}};
  d.policies = {{PolicyKind::ExportDuty, "spod", "AU", "*", 0.05, 1000, at(15)}};
  d.demands = {{"CN", "cam", 200, at(16)}};
  d.reference = {{"output", "mining", "AU", 2024, 88000, "t Li", std::nullopt, std::nullopt, at(17)}};
  return d;
}

struct Expect {
  ErrorCategory category;
  std::string key;
  std::string element;
  int line;
};

void expect_error(const std::function<void(Dataset&)>& mutate, const Expect& e) {
  Dataset d = valid();
  mutate(d);
  Status s = validate(d);
  ASSERT_FALSE(s.ok()) << "expected a " << to_string(e.category) << " error in key " << e.key;
  EXPECT_EQ(s.error().category, e.category) << s.error().format();
  EXPECT_EQ(s.error().context.key, e.key) << s.error().format();
  EXPECT_EQ(s.error().context.element, e.element) << s.error().format();
  EXPECT_EQ(s.error().context.line, e.line) << s.error().format();
  if (e.line > 0) EXPECT_EQ(s.error().context.file, "t.csv");  // declarations built in code have no file
  EXPECT_FALSE(s.error().message.empty());
}

TEST(Validate, ValidDatasetPasses) {
  Status s = validate(valid());
  EXPECT_TRUE(s.ok()) << s.error().format();
}

TEST(Validate, Duplicates) {
  expect_error([](Dataset& d) { d.facilities.push_back(d.facilities[0]); d.facilities.back().prov = at(40); },
               {ErrorCategory::Duplicate, "id", "mine", 40});
  expect_error([](Dataset& d) { d.companies.push_back({"miner", "Again", "AU", at(41)}); },
               {ErrorCategory::Duplicate, "id", "miner", 41});
  expect_error([](Dataset& d) { d.countries.push_back({"AU", "Again", "ROW", at(42)}); },
               {ErrorCategory::Duplicate, "code", "AU", 42});
  expect_error([](Dataset& d) { d.demands.push_back({"CN", "cam", 5, at(43)}); },
               {ErrorCategory::Duplicate, "region", "CN:cam", 43});
  expect_error([](Dataset& d) { d.routes.push_back({"AU", "CN", "spod", 3, std::nullopt, at(44)}); },
               {ErrorCategory::Duplicate, "from", "AU-CN:spod", 44});
  expect_error([](Dataset& d) { d.facilities[0].owners.push_back({"miner", 0.1}); },
               {ErrorCategory::Duplicate, "owners", "mine", 10});
}

TEST(Validate, CountryCodes) {
  expect_error([](Dataset& d) { d.countries[0].code = "Au"; d.facilities[0].country = "Au"; d.companies[0].hq_country = "Au"; },
               {ErrorCategory::Value, "code", "Au", 3});
  expect_error([](Dataset& d) { d.facilities[1].country = "CHN"; }, {ErrorCategory::Value, "country", "ref", 11});
  expect_error([](Dataset& d) { d.facilities[1].country = "JP"; }, {ErrorCategory::Reference, "country", "ref", 11});
  expect_error([](Dataset& d) { d.companies[1].hq_country = "US"; },
               {ErrorCategory::Reference, "hq_country", "refiner", 6});
}

TEST(Validate, References) {
  expect_error([](Dataset& d) { d.countries[1].region = "EU"; }, {ErrorCategory::Reference, "region", "CN", 4});
  expect_error([](Dataset& d) { d.facilities[0].owners[0].company = "nobody"; },
               {ErrorCategory::Reference, "owners", "mine", 10});
  expect_error([](Dataset& d) { d.facilities[1].output = "lioh"; }, {ErrorCategory::Reference, "output", "ref", 11});
  expect_error([](Dataset& d) { d.facilities[1].inputs[0].product = "ore"; },
               {ErrorCategory::Reference, "inputs", "ref", 11});
  expect_error([](Dataset& d) { d.routes[0].from = "CL"; }, {ErrorCategory::Reference, "from", "CL-CN:spod", 13});
  expect_error([](Dataset& d) { d.routes[0].to = "DE"; }, {ErrorCategory::Reference, "to", "AU-DE:spod", 13});
  expect_error([](Dataset& d) { d.routes[0].from = "*"; }, {ErrorCategory::Value, "from", "*-CN:spod", 13});
  expect_error([](Dataset& d) { d.routes[0].product = "ore"; }, {ErrorCategory::Reference, "product", "AU-CN:ore", 13});
  expect_error([](Dataset& d) { d.demands[0].region = "EU"; }, {ErrorCategory::Reference, "region", "EU:cam", 16});
  expect_error([](Dataset& d) { d.demands[0].product = "cell"; }, {ErrorCategory::Reference, "product", "CN:cell", 16});
  expect_error([](Dataset& d) { d.policies[0].to = "XX"; },
               {ErrorCategory::Reference, "to", "export_duty:spod:AU-XX", 15});
}

TEST(Validate, NegativeValues) {
  expect_error([](Dataset& d) { d.facilities[0].capacity = -1; }, {ErrorCategory::Value, "capacity", "mine", 10});
  expect_error([](Dataset& d) { d.facilities[1].unit_cost = -0.5; },
               {ErrorCategory::Value, "unit_cost_usd", "ref", 11});
  expect_error([](Dataset& d) { d.facilities[2].co2_per_unit = -2; },
               {ErrorCategory::Value, "co2_t_per_unit", "cam", 12});
  expect_error([](Dataset& d) { d.facilities[2].water_per_unit = -2; },
               {ErrorCategory::Value, "water_m3_per_unit", "cam", 12});
  expect_error([](Dataset& d) { d.facilities[0].brine_per_unit = -233; },
               {ErrorCategory::Value, "brine_m3_per_unit", "mine", 10});
  expect_error([](Dataset& d) { d.facilities[0].byproduct_credit = -1; },
               {ErrorCategory::Value, "byproduct_credit_usd", "mine", 10});
  // A credit above the gross cost (5) would be a negative net cost.
  expect_error([](Dataset& d) { d.facilities[0].byproduct_credit = 5.5; },
               {ErrorCategory::Value, "byproduct_credit_usd", "mine", 10});
  expect_error([](Dataset& d) { d.routes[1].capacity = -5.0; }, {ErrorCategory::Value, "capacity", "CN-CN:*", 14});
  expect_error([](Dataset& d) { d.routes[1].cost_per_unit = -5.0; },
               {ErrorCategory::Value, "cost_usd_per_unit", "CN-CN:*", 14});
  expect_error([](Dataset& d) { d.demands[0].quantity = -1; }, {ErrorCategory::Value, "quantity", "CN:cam", 16});
  expect_error([](Dataset& d) { d.reference[0].value = -1; }, {ErrorCategory::Value, "value", "output:mining:AU:2024", 17});
}

TEST(Validate, Yields) {
  // LCE to LCE below 1 is a yield above 100 %.
  expect_error([](Dataset& d) { d.facilities[1].inputs[0].per_unit_output = 0.99; },
               {ErrorCategory::Value, "inputs", "ref", 11});
  expect_error([](Dataset& d) { d.facilities[2].inputs[0].per_unit_output = 0; },
               {ErrorCategory::Value, "inputs", "cam", 12});
  expect_error([](Dataset& d) { d.facilities[2].inputs[0].per_unit_output = -0.2; },
               {ErrorCategory::Value, "inputs", "cam", 12});
  Dataset d = valid();
  d.facilities[1].inputs[0].per_unit_output = 1.0;  // exactly 100 % is allowed
  EXPECT_TRUE(validate(d).ok());
}

TEST(Validate, OwnerShares) {
  expect_error([](Dataset& d) { d.facilities[0].owners = {{"miner", 1.5}}; },
               {ErrorCategory::Value, "owners", "mine", 10});
  expect_error([](Dataset& d) { d.facilities[0].owners = {{"miner", 0}}; },
               {ErrorCategory::Value, "owners", "mine", 10});
  expect_error([](Dataset& d) { d.facilities[0].owners = {{"miner", 0.7}, {"refiner", 0.4}}; },
               {ErrorCategory::Value, "owners", "mine", 10});
  Dataset d = valid();
  d.facilities[0].owners = {{"miner", 0.6}, {"refiner", 0.4 + 5e-7}};  // rounding in a published table
  EXPECT_TRUE(validate(d).ok());
  d.facilities[0].owners = {{"miner", 0.3}};  // the rest is unattributed
  EXPECT_TRUE(validate(d).ok());
}

TEST(Validate, RatesAndPrices) {
  expect_error([](Dataset& d) { d.policies[0].rate = 1.2; },
               {ErrorCategory::Value, "rate", "export_duty:spod:AU-*", 15});
  expect_error([](Dataset& d) { d.policies[0].rate = -0.01; },
               {ErrorCategory::Value, "rate", "export_duty:spod:AU-*", 15});
  expect_error([](Dataset& d) { d.policies[0].reference_price = -1; },
               {ErrorCategory::Value, "reference_price_usd", "export_duty:spod:AU-*", 15});
  Dataset d = valid();
  d.policies[0].rate = 1.0;
  EXPECT_TRUE(validate(d).ok());
}

TEST(Validate, StagesTypesAndInputs) {
  expect_error([](Dataset& d) { d.facilities[0].type = "carbonate"; }, {ErrorCategory::Value, "type", "mine", 10});
  expect_error([](Dataset& d) { d.facilities[1].inputs.clear(); },
               {ErrorCategory::Missing, "inputs", "ref", 11});
  expect_error([](Dataset& d) { d.facilities[1].output = "cam"; }, {ErrorCategory::Value, "output", "ref", 11});
  expect_error([](Dataset& d) { d.facilities[0].inputs = {{"li2co3", 1.0, 0}}; },
               {ErrorCategory::Value, "inputs", "mine", 10});
  expect_error([](Dataset& d) { d.products[2].unit = "kg"; }, {ErrorCategory::Unit, "unit", "cam", 9});
  expect_error([](Dataset& d) { d.facilities[0].lat = 95; }, {ErrorCategory::Value, "lat", "mine", 10});
  // A recycler may make a refinery product.
  Dataset d = valid();
  Facility rec = d.facilities[1];
  rec.id = "rec";
  rec.stage = "recycling";
  rec.type = "recycler";
  d.facilities.push_back(rec);
  EXPECT_TRUE(validate(d).ok());
}

// Stages and units are the dataset's declarations: nothing is known by name.
TEST(Validate, StagesAndUnitsAreDeclared) {
  expect_error([](Dataset& d) { d.facilities[2].stage = "smelting"; }, {ErrorCategory::Reference, "stage", "cam", 12});
  expect_error([](Dataset& d) { d.products[1].stage = "smelting"; }, {ErrorCategory::Reference, "stage", "li2co3", 8});
  // A unit without a conversion to the contained unit, on the unit or on the product.
  expect_error([](Dataset& d) { d.products[2].contained_per_unit.reset(); },
               {ErrorCategory::Unit, "contained_per_unit", "cam", 9});
  // A product made by a facility of another (primary) stage: one product, two stages.
  expect_error([](Dataset& d) { d.facilities[1].output = "spod"; }, {ErrorCategory::Value, "output", "ref", 11});
  // Declarations themselves.
  expect_error([](Dataset& d) { d.stages.clear(); }, {ErrorCategory::Missing, "stage", "", 0});
  expect_error([](Dataset& d) { d.stages.push_back(d.stages[1]); }, {ErrorCategory::Duplicate, "stage", "refining", 0});
  expect_error([](Dataset& d) { d.contained_unit = "t Cu"; }, {ErrorCategory::Reference, "contained_unit", "t Cu", 0});
  expect_error([](Dataset& d) { d.units[1].contained = -1.0; }, {ErrorCategory::Value, "unit.contained", "t Li", 0});
  expect_error([](Dataset& d) { d.products[0].stage = "recycling"; }, {ErrorCategory::Value, "stage", "spod", 7});
  // A stage with no type list accepts any type.
  Dataset d = valid();
  d.stages[2].types.clear();
  d.facilities[2].type = "anything";
  EXPECT_TRUE(validate(d).ok());
}

// The contained metal is conserved through every declared conversion (t CAM -> t LCE here).
TEST(Validate, ContainedMetalIsConserved) {
  // 0.20 t LCE per t CAM carries less lithium than the 0.2342 t LCE a t of CAM holds.
  expect_error([](Dataset& d) { d.facilities[2].inputs = {{"li2co3", 0.20, 0}}; },
               {ErrorCategory::Value, "inputs", "cam", 12});
  expect_error([](Dataset& d) { d.facilities[1].inputs = {{"spod", 0.9, 0}}; },
               {ErrorCategory::Value, "inputs", "ref", 11});
  // Alternatives: the least-metal one decides; two required groups add up.
  expect_error([](Dataset& d) { d.facilities[1].inputs = {{"spod", 1.1, 0}, {"li2co3", 0.5, 0}}; },
               {ErrorCategory::Value, "inputs", "ref", 11});
  Dataset d = valid();
  d.facilities[1].inputs = {{"spod", 0.5, 0}, {"li2co3", 0.6, 1}};
  EXPECT_TRUE(validate(d).ok());
}

TEST(Validate, ReferenceStatistics) {
  expect_error([](Dataset& d) { d.reference[0].unit = "t CAM"; }, {ErrorCategory::Unit, "unit", "output:mining:AU:2024", 17});
  expect_error([](Dataset& d) { d.reference[0].key = "smelting"; }, {ErrorCategory::Reference, "key", "output:smelting:AU:2024", 17});
  expect_error([](Dataset& d) { d.reference[0].metric = "exports"; }, {ErrorCategory::Value, "metric", "exports:mining:AU:2024", 17});
  expect_error([](Dataset& d) { d.reference[0].low = 90000; }, {ErrorCategory::Value, "low", "output:mining:AU:2024", 17});
  expect_error([](Dataset& d) {
    d.reference[0] = {"price", "li2co3", "CN", 2024, 10000, "USD/t", std::nullopt, std::nullopt, at(17)};
  }, {ErrorCategory::Unit, "unit", "price:li2co3:CN:2024", 17});
  // Share rows (China's share of refining, issue 7): unit 'share', a value in [0, 1], low <= value <= high.
  auto share = [](double v, const char* unit, std::optional<double> low, std::optional<double> high) {
    return [=](Dataset& d) { d.reference[0] = {"share", "refining", "AU", 2024, v, unit, low, high, at(17)}; };
  };
  expect_error(share(67.5, "share", 65.0, 70.0), {ErrorCategory::Value, "value", "share:refining:AU:2024", 17});
  expect_error(share(0.675, "%", 0.65, 0.70), {ErrorCategory::Value, "unit", "share:refining:AU:2024", 17});
  expect_error(share(0.675, "share", 0.70, 0.80), {ErrorCategory::Value, "low", "share:refining:AU:2024", 17});
  expect_error(share(0.675, "share", 0.60, 0.65), {ErrorCategory::Value, "high", "share:refining:AU:2024", 17});
  expect_error(share(-0.1, "share", std::nullopt, std::nullopt), {ErrorCategory::Value, "value", "share:refining:AU:2024", 17});
  Dataset d = valid();
  d.reference.push_back({"price", "li2co3", "CN", 2024, 10000, "USD/t LCE", 9000.0, 14000.0, at(18)});
  d.reference.push_back({"output", "refining", "*", 2024, 1.0e6, "t LCE", std::nullopt, std::nullopt, at(19)});
  EXPECT_TRUE(validate(d).ok()) << validate(d).error().format();
}

TEST(Validate, Settings) {
  Dataset d = valid();
  d.settings.unmet_penalty = 0;
  Status s = validate(d);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().context.key, "unmet_penalty_usd");
  d = valid();
  d.settings.carbon_price = -1;
  s = validate(d);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().context.key, "carbon_price_usd_per_t");
  // Datasets built in code get the same ranges as the readers check with line numbers.
  d = valid();
  d.settings.production_floor_share = 1.5;
  s = validate(d);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().context.key, "production_floor_share");
  d = valid();
  d.settings.stock_cost_usd_per_unit = -2;
  s = validate(d);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().context.key, "stock_cost_usd_per_unit");
}

}  // namespace
}  // namespace cadena::model
