#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

#include "cadena/io/dataset_io.hpp"
#include "cadena/io/tables.hpp"

namespace cadena::io {
namespace {

namespace fs = std::filesystem;
const fs::path kTiny = fs::path(CADENA_FIXTURES_DIR) / "datasets/tiny";

bool ends_with(const std::string& s, std::string_view tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

TEST(LoadDataset, TinyFixtureCountsAndSettings) {
  auto d = load_dataset(kTiny);
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_EQ(d->name, "tiny");
  EXPECT_EQ(d->regions.size(), 3u);
  EXPECT_EQ(d->countries.size(), 5u);
  EXPECT_EQ(d->companies.size(), 5u);
  EXPECT_EQ(d->products.size(), 6u);
  EXPECT_EQ(d->facilities.size(), 8u);
  EXPECT_EQ(d->routes.size(), 7u);
  EXPECT_EQ(d->policies.size(), 2u);
  EXPECT_EQ(d->demands.size(), 3u);
  EXPECT_EQ(d->reference.size(), 4u);
  EXPECT_EQ(d->settings.year, 2024);
  EXPECT_DOUBLE_EQ(d->settings.unmet_penalty, 100000.0);
  EXPECT_DOUBLE_EQ(d->settings.unmet_penalty_per_gwh, 1.0e9);
  EXPECT_FALSE(d->settings.include_non_operating);
}

TEST(LoadDataset, FacilityFieldsAndProvenance) {
  auto d = load_dataset(kTiny);
  ASSERT_TRUE(d.ok()) << d.error().format();
  const model::Facility* a = d->find_facility("atacama");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->name, "Salar de Atacama, brine");
  EXPECT_EQ(a->stage, "mining");
  EXPECT_EQ(a->type, "brine");
  EXPECT_EQ(a->country, "CL");
  EXPECT_DOUBLE_EQ(a->lat, -23.5);
  EXPECT_DOUBLE_EQ(a->lon, -68.2);
  EXPECT_EQ(a->output, "brine_conc");
  EXPECT_DOUBLE_EQ(a->capacity, 200000);
  ASSERT_TRUE(a->reported_output.has_value());
  EXPECT_DOUBLE_EQ(*a->reported_output, 180000);
  EXPECT_DOUBLE_EQ(a->unit_cost, 4000);
  EXPECT_TRUE(a->inputs.empty());
  EXPECT_DOUBLE_EQ(a->co2_per_unit, 2.5);
  EXPECT_DOUBLE_EQ(a->water_per_unit, 150);
  EXPECT_EQ(a->status, model::FacilityStatus::Operating);
  EXPECT_EQ(a->start_year, 1997);
  ASSERT_EQ(a->owners.size(), 1u);
  EXPECT_EQ(a->owners[0].company, "sqm");
  EXPECT_DOUBLE_EQ(a->owners[0].share, 1.0);
  EXPECT_TRUE(ends_with(a->prov.file, "facilities.csv"));
  EXPECT_EQ(a->prov.line, 3);  // line 1 is a comment, line 2 the header
  EXPECT_EQ(a->prov.source, "test fixture");
  EXPECT_FALSE(a->prov.estimate);

  const model::Facility* o = d->find_facility("olaroz");
  ASSERT_NE(o, nullptr);
  EXPECT_FALSE(o->reported_output.has_value());  // empty output_2024
  EXPECT_TRUE(o->prov.estimate);
  EXPECT_EQ(o->prov.note, "share rounded");
  EXPECT_EQ(o->prov.line, 4);

  const model::Facility* y = d->find_facility("yichun");
  ASSERT_NE(y, nullptr);
  ASSERT_EQ(y->inputs.size(), 2u);  // two alternatives of one group
  EXPECT_EQ(y->inputs[0].product, "spodumene_conc");
  EXPECT_DOUBLE_EQ(y->inputs[0].per_unit_output, 1.08);
  EXPECT_EQ(y->inputs[1].product, "brine_conc");
  EXPECT_DOUBLE_EQ(y->inputs[1].per_unit_output, 1.05);
  EXPECT_EQ(y->inputs[0].group, y->inputs[1].group);

  const model::Facility* k = d->find_facility("kwinana");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->status, model::FacilityStatus::Construction);
  EXPECT_EQ(k->start_year, 2026);
  const model::Facility* g = d->find_facility("greenbushes");
  ASSERT_NE(g, nullptr);
  ASSERT_EQ(g->owners.size(), 2u);
  EXPECT_EQ(g->owners[1].company, "ganfeng");
  EXPECT_DOUBLE_EQ(g->owners[1].share, 0.3);
  const model::Facility* c = d->find_facility("la_negra");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->start_year, 0);  // empty start_year
}

TEST(LoadDataset, OtherTables) {
  auto d = load_dataset(kTiny);
  ASSERT_TRUE(d.ok()) << d.error().format();
  const model::Company* sqm = d->find_company("sqm");
  ASSERT_NE(sqm, nullptr);
  EXPECT_EQ(sqm->name, "Sociedad Química y Minera de Chile, S.A.");
  EXPECT_EQ(sqm->hq_country, "CL");
  EXPECT_EQ(d->find_company("basf")->prov.note, R"(a "quoted" note)");
  EXPECT_EQ(d->find_country("DE")->region, "EU");
  EXPECT_EQ(d->find_product("cell_lfp")->unit, "GWh");
  EXPECT_EQ(d->find_product("cam_lfp")->stage, "cathode");
  EXPECT_FALSE(d->routes[0].capacity.has_value());  // CL-CL, empty capacity = unlimited
  EXPECT_EQ(d->routes[0].product, "*");
  ASSERT_TRUE(d->routes[1].capacity.has_value());
  EXPECT_DOUBLE_EQ(*d->routes[1].capacity, 30000);
  EXPECT_DOUBLE_EQ(d->routes[1].cost_per_unit, 50);
  EXPECT_EQ(d->policies[0].kind, model::PolicyKind::ExportDuty);
  EXPECT_DOUBLE_EQ(d->policies[0].rate, 0.045);
  EXPECT_DOUBLE_EQ(d->policies[0].reference_price, 11350);
  EXPECT_EQ(d->policies[1].kind, model::PolicyKind::ImportTariff);
  EXPECT_EQ(d->policies[1].from, "*");
  EXPECT_EQ(d->demands[1].region, "EU");
  EXPECT_DOUBLE_EQ(d->demands[1].quantity, 20000);
  EXPECT_EQ(d->demands[1].prov.line, 3);
  EXPECT_EQ(d->reference[2].country, "AU");
  EXPECT_EQ(d->reference[2].year, 2024);
  EXPECT_EQ(d->reference[2].metric, "output");
  EXPECT_EQ(d->reference[2].key, "mining");
  EXPECT_DOUBLE_EQ(d->reference[2].value, 88000);
  EXPECT_EQ(d->reference[2].unit, "t Li");
  EXPECT_DOUBLE_EQ(*d->contained_per_unit(d->reference[2].unit), 5.323);
}

TEST(LoadDataset, ManifestPathWorksLikeTheFolder) {
  auto d = load_dataset(kTiny / "dataset.toml");
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_EQ(d->facilities.size(), 8u);
}

// Found by fuzzing dataset.toml: a dataset-wide problem (here an undeclared contained unit) has
// no table row of its own; its message names the manifest instead of no file at all.
TEST(LoadDataset, DatasetWideErrorNamesTheManifest) {
  const fs::path dir = fs::temp_directory_path() / ("cadena-test-wide-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::copy(kTiny, dir, fs::copy_options::recursive);
  std::string toml;
  {
    std::ifstream in(dir / "dataset.toml");
    toml.assign(std::istreambuf_iterator<char>(in), {});
  }
  const auto at = toml.find("contained_unit = \"t LCE\"");
  ASSERT_NE(at, std::string::npos);
  toml.replace(at, std::string_view("contained_unit = \"t LCE\"").size(), "contained_unit = \"t XYZ\"");
  std::ofstream(dir / "dataset.toml", std::ios::trunc) << toml;
  auto d = load_dataset(dir);
  fs::remove_all(dir);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().context.key, "contained_unit");
  EXPECT_TRUE(ends_with(d.error().context.file, "dataset.toml")) << d.error().format();
}

TEST(LoadDataset, MissingFolderIsAMissingError) {
  auto d = load_dataset(kTiny / "nope");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().category, ErrorCategory::Missing);
}

TEST(LoadDataset, TableSummaryCountsRows) {
  auto d = load_dataset(kTiny);
  ASSERT_TRUE(d.ok());
  auto s = table_summary(*d);
  ASSERT_EQ(s.size(), 11u);
  EXPECT_EQ(s[4].table, "facilities");
  EXPECT_EQ(s[4].file, "facilities.csv");
  EXPECT_EQ(s[4].rows, 8u);
  EXPECT_EQ(s[5].table, "stakes");  // optional; the tiny dataset has none
  EXPECT_EQ(s[5].rows, 0u);
  EXPECT_EQ(s[9].file, "reference.csv");
  EXPECT_EQ(s[9].rows, 4u);
  EXPECT_EQ(s[10].table, "rules");  // optional, none in this dataset
  EXPECT_EQ(s[10].rows, 0u);
}

class BuiltinDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("CADENA_DATA_DIR");
    m_had = old != nullptr;
    if (old) m_old = old;
    setenv("CADENA_DATA_DIR", (fs::path(CADENA_FIXTURES_DIR) / "datasets").c_str(), 1);
  }
  void TearDown() override {
    if (m_had)
      setenv("CADENA_DATA_DIR", m_old.c_str(), 1);
    else
      unsetenv("CADENA_DATA_DIR");
  }
  bool m_had = false;
  std::string m_old;
};

TEST_F(BuiltinDir, EnvironmentVariableChoosesTheDataFolder) {
  EXPECT_EQ(data_dir(), fs::path(CADENA_FIXTURES_DIR) / "datasets");
  auto names = builtin_names();
  ASSERT_EQ(names, (std::vector<std::string>{"tiny", "toy-mineral"}));  // folders without dataset.toml are not datasets
  auto d = load_builtin("tiny");
  ASSERT_TRUE(d.ok()) << d.error().format();
  EXPECT_EQ(d->facilities.size(), 8u);
  auto missing = load_builtin("lithium-1900");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().category, ErrorCategory::Missing);
  EXPECT_NE(missing.error().message.find("tiny"), std::string::npos);  // lists what exists
}

// Column parsers on records built in code: the pieces that both CSV rows and scenario
// overrides go through.
Record facility_record(std::vector<std::pair<std::string, std::string>> kv) {
  Record r{"x.csv", 7, {}};
  for (auto& [k, v] : kv) r.fields.push_back(Field{k, v, 7});
  return r;
}

TEST(FacilityColumns, InputGroupsAndAlternatives) {
  auto d = load_dataset(kTiny);
  ASSERT_TRUE(d.ok());
  model::Facility f;
  f.id = "x";
  auto r = facility_record({{"inputs", "li2co3:0.24 + cam_lfp:1 | lioh:2"}});
  auto st = detail::read_facility(r, *d, false, f);
  ASSERT_TRUE(st.ok()) << st.error().format();
  ASSERT_EQ(f.inputs.size(), 3u);
  EXPECT_EQ(f.inputs[0].group, 0);
  EXPECT_EQ(f.inputs[1].group, 1);
  EXPECT_EQ(f.inputs[2].group, 1);
  EXPECT_EQ(f.inputs[2].product, "lioh");
  EXPECT_DOUBLE_EQ(f.inputs[2].per_unit_output, 2.0);
}

TEST(FacilityColumns, PartialRecordChangesOnlyItsFields) {
  auto d = load_dataset(kTiny);
  ASSERT_TRUE(d.ok());
  model::Facility f = *d->find_facility("greenbushes");
  auto st = detail::read_facility(facility_record({{"id", "greenbushes"}, {"capacity", "1e5"}}), *d, false, f);
  ASSERT_TRUE(st.ok()) << st.error().format();
  EXPECT_DOUBLE_EQ(f.capacity, 100000);
  EXPECT_EQ(f.owners.size(), 2u);
  EXPECT_DOUBLE_EQ(f.unit_cost, 3500);
}

// byproduct_credit_usd: read as a number with its range; the gross cost stays in unit_cost.
TEST(FacilityColumns, ByproductCreditIsReadAndRangeChecked) {
  auto d = load_dataset(kTiny);
  ASSERT_TRUE(d.ok());
  model::Facility f = *d->find_facility("greenbushes");
  EXPECT_DOUBLE_EQ(f.byproduct_credit, 0.0);
  auto st = detail::read_facility(facility_record({{"id", "greenbushes"}, {"byproduct_credit_usd", "1200"}}), *d,
                                  false, f);
  ASSERT_TRUE(st.ok()) << st.error().format();
  EXPECT_DOUBLE_EQ(f.byproduct_credit, 1200);
  EXPECT_DOUBLE_EQ(f.net_unit_cost(), 3500 - 1200);
  st = detail::read_facility(facility_record({{"id", "greenbushes"}, {"byproduct_credit_usd", "-5"}}), *d, false, f);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().category, ErrorCategory::Value);
  EXPECT_EQ(st.error().context.key, "byproduct_credit_usd");
  EXPECT_EQ(st.error().context.line, 7);
}

TEST(FacilityColumns, CompleteRecordNeedsRequiredValues) {
  auto d = load_dataset(kTiny);
  ASSERT_TRUE(d.ok());
  model::Facility f;
  auto st = detail::read_facility(facility_record({{"id", "n"}, {"name", "N"}}), *d, true, f);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().category, ErrorCategory::Missing);
  EXPECT_EQ(st.error().context.key, "stage");
  EXPECT_EQ(st.error().context.element, "n");
  EXPECT_EQ(st.error().context.line, 7);
}

TEST(FacilityColumns, NumbersRejectUnitsSeparatorsAndNonFiniteValues) {
  Record r{"x.csv", 2, {}};
  for (const char* bad : {"abc", "1,000", "12 t", "", "nan", "inf", "1e999"}) {
    Field f{"capacity", bad, 2};
    auto v = detail::parse_number(f, r, "el");
    EXPECT_FALSE(v.ok()) << bad;
    if (!v.ok()) {
      EXPECT_EQ(v.error().category, ErrorCategory::Type) << bad;
    }
  }
  for (auto [text, want] : {std::pair{"1250.5", 1250.5}, {" -3 ", -3.0}, {"1e3", 1000.0}, {"0.045", 0.045}}) {
    auto v = detail::parse_number(Field{"k", text, 2}, r, "el");
    ASSERT_TRUE(v.ok()) << text;
    EXPECT_DOUBLE_EQ(*v, want);
  }
}

TEST(FacilityColumns, OwnersWithTrailingSeparatorAndBadShare) {
  auto d = load_dataset(kTiny);
  ASSERT_TRUE(d.ok());
  model::Facility f;
  ASSERT_TRUE(detail::read_facility(facility_record({{"owners", "sqm:0.5; catl:0.25;"}}), *d, false, f).ok());
  ASSERT_EQ(f.owners.size(), 2u);
  EXPECT_EQ(f.owners[1].company, "catl");
  EXPECT_DOUBLE_EQ(f.owners[1].share, 0.25);
  auto bad = detail::read_facility(facility_record({{"owners", "sqm:half"}}), *d, false, f);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().category, ErrorCategory::Type);
  EXPECT_EQ(bad.error().context.key, "owners");
}

}  // namespace
}  // namespace cadena::io
