// `cadena validate`: every malformed fixture exits 2 with one line naming the file, the line,
// the key and what was expected; valid datasets and scenarios exit 0.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "cli_run.hpp"

namespace cadena::test {
namespace {

struct Malformed {
  const char* path;  // under tests/fixtures/malformed/
  std::vector<const char*> expected;  // substrings of the error line, written by hand
};

std::ostream& operator<<(std::ostream& os, const Malformed& m) { return os << m.path; }

const std::vector<Malformed> kMalformed = {
    // Syntax: CSV and TOML.
    {"csv_unbalanced_quote", {"csv_unbalanced_quote/facilities.csv:4: syntax error", "unbalanced quote"}},
    {"csv_field_count", {"csv_field_count/facilities.csv:4: syntax error", "expected 21 fields", "found 20"}},
    {"csv_text_after_quote", {"csv_text_after_quote/companies.csv:6: syntax error", "after a closing quote"}},
    {"toml_syntax", {"toml_syntax/dataset.toml:3: syntax error", "invalid TOML"}},
    {"toml_unknown_key", {"toml_unknown_key/dataset.toml:4: syntax error in key 'carbon_price'", "carbon_price_usd_per_t"}},
    {"toml_wrong_type", {"toml_wrong_type/dataset.toml:3: wrong type in key 'year'", "not an integer"}},
    // Wrong types.
    {"type_capacity", {"type_capacity/facilities.csv:3: wrong type in key 'capacity' (element 'atacama')", "'abc' is not a number"}},
    {"type_thousands", {"type_thousands/demand.csv:3: wrong type in key 'quantity' (element 'EU:li2co3')", "no thousands separators"}},
    {"type_rate", {"type_rate/policies.csv:2: wrong type in key 'rate' (element 'export_duty:li2co3:AR-*')", "'4.5%'"}},
    {"type_start_year", {"type_start_year/facilities.csv:8: wrong type in key 'start_year' (element 'kwinana')"}},
    {"type_estimate", {"type_estimate/facilities.csv:4: wrong type in key 'estimate' (element 'olaroz')", "yes/no"}},
    {"inputs_syntax", {"inputs_syntax/facilities.csv:7: syntax error in key 'inputs' (element 'yichun')", "product:amount"}},
    // Unknown references.
    {"ref_owner_company", {"ref_owner_company/facilities.csv:5: unknown reference in key 'owners' (element 'greenbushes')", "'pilbarra'"}},
    {"ref_facility_country", {"ref_facility_country/facilities.csv:7: unknown reference in key 'country' (element 'yichun')", "countries.csv"}},
    {"bad_country_code", {"bad_country_code/facilities.csv:6: invalid value in key 'country' (element 'la_negra')", "two capital letters"}},
    {"ref_output_product", {"ref_output_product/facilities.csv:9: unknown reference in key 'output' (element 'cam_cn')", "'cam_nmc'"}},
    {"ref_input_product", {"ref_input_product/facilities.csv:10: unknown reference in key 'inputs' (element 'cell_cn')", "'cam_nmc'"}},
    {"ref_country_region", {"ref_country_region/countries.csv:6: unknown reference in key 'region' (element 'DE')", "regions.csv"}},
    {"ref_demand_region", {"ref_demand_region/demand.csv:4: unknown reference in key 'region' (element 'RoW:lioh')"}},
    {"ref_company_hq", {"ref_company_hq/companies.csv:6: unknown reference in key 'hq_country' (element 'basf')", "'FR'"}},
    {"route_from_unknown", {"route_from_unknown/routes.csv:5: unknown reference in key 'from' (element 'ZA-CN:spodumene_conc')"}},
    {"route_to_unknown", {"route_to_unknown/routes.csv:7: unknown reference in key 'to' (element 'CN-FR:*')"}},
    {"route_product_unknown", {"route_product_unknown/routes.csv:4: unknown reference in key 'product' (element 'CL-CN:lithium')"}},
    // Ranges.
    {"neg_capacity", {"neg_capacity/facilities.csv:4: invalid value in key 'capacity' (element 'olaroz')", ">= 0"}},
    // Company stakes (stakes.csv): a cycle, an asset above 100 %, a period that ends before it starts,
    // an unknown company.
    {"stakes_cycle", {"stakes_cycle/stakes.csv:3: invalid value in key 'holder' (element 'catl:ganfeng')", "cycle"}},
    {"stakes_above_one", {"stakes_above_one/stakes.csv:4: invalid value in key 'share' (element 'pilbara:sqm')", "sum to 1.1"}},
    {"stakes_period", {"stakes_period/stakes.csv:2: invalid value in key 'until' (element 'catl:sqm')", "before it starts"}},
    {"stakes_unknown_company", {"stakes_unknown_company/stakes.csv:3: unknown reference in key 'holder' (element 'albemarle:ganfeng')"}},
    // Reference statistics (reference.csv, compared by `cadena calibrate`): share rows, ranges,
    // metrics, stages, countries and price units.
    {"ref_share_above_one", {"ref_share_above_one/reference.csv:3: invalid value in key 'value' (element 'share:refining:CN:2024')", "[0, 1]", "67.5"}},
    {"ref_share_unit", {"ref_share_unit/reference.csv:3: invalid value in key 'unit' (element 'share:refining:CN:2024')", "unit 'share'"}},
    {"ref_share_low_above_value", {"ref_share_low_above_value/reference.csv:4: invalid value in key 'low' (element 'share:refining:CN:2024')", "above the value"}},
    {"ref_share_unknown_country", {"ref_share_unknown_country/reference.csv:3: unknown reference in key 'country' (element 'share:refining:CX:2024')", "countries.csv"}},
    {"ref_unknown_metric", {"ref_unknown_metric/reference.csv:3: invalid value in key 'metric' (element 'exports:mining:CL:2024')", "output, consumption, share or price"}},
    {"ref_unknown_stage", {"ref_unknown_stage/reference.csv:2: unknown reference in key 'key' (element 'share:smelting:CN:2024')", "declared in dataset.toml"}},
    {"ref_price_unit", {"ref_price_unit/reference.csv:3: unit error in key 'unit' (element 'price:li2co3:CN:2024')", "'USD/t LCE'"}},
    // Columns of the calibrated 2024 (issue 7): brine pumped and coordinates.
    {"neg_brine", {"neg_brine/facilities.csv:4: invalid value in key 'brine_m3_per_unit' (element 'olaroz')", ">= 0"}},
    {"lat_out_of_range", {"lat_out_of_range/facilities.csv:5: invalid value in key 'lat' (element 'greenbushes')", "-90 to 90"}},
    {"availability_above_one", {"availability_above_one/facilities.csv:4: invalid value in key 'availability' (element 'olaroz')", "outside [0, 1]"}},
    {"neg_cost", {"neg_cost/facilities.csv:6: invalid value in key 'unit_cost_usd' (element 'la_negra')"}},
    {"neg_co2", {"neg_co2/facilities.csv:5: invalid value in key 'co2_t_per_unit' (element 'greenbushes')"}},
    {"neg_demand", {"neg_demand/demand.csv:3: invalid value in key 'quantity' (element 'EU:li2co3')"}},
    {"yield_above_one", {"yield_above_one/facilities.csv:6: invalid value in key 'inputs' (element 'la_negra')", "yield above 100 %"}},
    {"yield_zero", {"yield_zero/facilities.csv:8: invalid value in key 'inputs' (element 'kwinana')", "amount > 0"}},
    {"share_above_one", {"share_above_one/facilities.csv:3: invalid value in key 'owners' (element 'atacama')", "(0, 1]"}},
    {"shares_sum", {"shares_sum/facilities.csv:5: invalid value in key 'owners' (element 'greenbushes')", "sum to 1.1"}},
    {"rate_above_one", {"rate_above_one/policies.csv:2: invalid value in key 'rate'", "outside [0, 1]"}},
    {"rate_negative", {"rate_negative/policies.csv:3: invalid value in key 'rate' (element 'import_tariff:cell_lfp:*-DE')"}},
    // Units.
    {"unit_facility", {"unit_facility/facilities.csv:6: unit error in key 'unit' (element 'la_negra')", "'t LCE'"}},
    {"unit_demand", {"unit_demand/demand.csv:2: unit error in key 'unit' (element 'CN:cell_lfp')", "'GWh'"}},
    {"unit_product_unknown", {"unit_product_unknown/products.csv:6: unit error in key 'unit' (element 'cam_lfp')", "'kg'"}},
    // Duplicates, columns, files, enumerations.
    {"dup_facility", {"dup_facility/facilities.csv:7: duplicate id in key 'id' (element 'la_negra')"}},
    {"dup_company", {"dup_company/companies.csv:5: duplicate id in key 'id' (element 'sqm')"}},
    {"dup_column", {"dup_column/regions.csv:1: duplicate id in key 'name'"}},
    {"unknown_column", {"unknown_column/facilities.csv:2: syntax error in key 'capacty'", "unknown column"}},
    {"missing_column", {"missing_column/demand.csv:1: missing in key 'unit'", "required column"}},
    {"missing_value", {"missing_value/facilities.csv:3: missing in key 'name' (element 'atacama')"}},
    {"missing_file", {"missing_file/dataset.toml:11: missing in key 'files.facilities'", "facilities_2024.csv"}},
    {"missing_manifest", {"missing_manifest/dataset.toml: missing", "needs a dataset.toml"}},
    {"unknown_status", {"unknown_status/facilities.csv:3: invalid value in key 'status' (element 'atacama')", "operating"}},
    {"unknown_stage", {"unknown_stage/facilities.csv:4: unknown reference in key 'stage' (element 'olaroz')", "declared in dataset.toml"}},
    {"unknown_type", {"unknown_type/facilities.csv:4: invalid value in key 'type' (element 'olaroz')", "brine, spodumene"}},
    {"policy_kind_unknown", {"policy_kind_unknown/policies.csv:2: invalid value in key 'kind'", "export_duty or import_tariff"}},
    // Stages and units are declared by the dataset (docs/data-format.md, "Stages and units").
    {"decl_product_two_stages", {"decl_product_two_stages/dataset.toml:17: duplicate id in key 'stage.products' (element 'li2co3')", "two stages"}},
    {"decl_unit_no_conversion", {"decl_unit_no_conversion/products.csv:6: unit error in key 'contained_per_unit' (element 'cam_lfp')", "no conversion"}},
    {"decl_stage_undeclared", {"/products.csv:6: unknown reference in key 'stage' (element 'cam_lfp')", "mining, refining, cells, recycling"}},
    {"decl_stage_unknown_key", {"decl_stage_unknown_key/dataset.toml:4: syntax error in key 'stage.extracting'", "extraction"}},
    {"decl_no_stages", {"decl_no_stages/dataset.toml: missing in key 'stage'", "[[stage]]"}},
    {"stage_output_mismatch", {"stage_output_mismatch/facilities.csv:9: invalid value in key 'output' (element 'cam_cn')"}},
    // Scenarios: errors point into the scenario file.
    {"scenario_toml_syntax.toml", {"scenario_toml_syntax.toml:3: syntax error", "invalid TOML"}},
    {"scenario_unknown_key.toml", {"scenario_unknown_key.toml:5: syntax error in key 'capcity'", "[[facility]]"}},
    {"scenario_unknown_table.toml", {"scenario_unknown_table.toml:3: syntax error in key 'facilities'"}},
    {"scenario_unknown_setting.toml", {"scenario_unknown_setting.toml:4: syntax error in key 'carbon_price'"}},
    {"scenario_wrong_type.toml", {"scenario_wrong_type.toml:5: wrong type in key 'capacity' (element 'olaroz')"}},
    {"scenario_negative_capacity.toml", {"scenario_negative_capacity.toml:6: invalid value in key 'capacity' (element 'atacama')"}},
    {"scenario_unknown_owner.toml", {"scenario_unknown_owner.toml:14: unknown reference in key 'owners' (element 'new_mine')"}},
    {"scenario_unknown_country.toml", {"scenario_unknown_country.toml:5: unknown reference in key 'country' (element 'yichun')"}},
    {"scenario_new_facility_incomplete.toml", {"scenario_new_facility_incomplete.toml:3: missing in key 'name' (element 'new_plant')", "matches no existing record"}},
    {"scenario_demand_scale_product.toml", {"scenario_demand_scale_product.toml:4: unknown reference in key 'demand_scale.lithium'"}},
    {"scenario_demand_scale_negative.toml", {"scenario_demand_scale_negative.toml:4: invalid value in key 'demand_scale.*'"}},
    {"scenario_demand_unit.toml", {"scenario_demand_unit.toml:7: unit error in key 'unit' (element 'CN:cell_lfp')"}},
    {"scenario_policy_rate.toml", {"scenario_policy_rate.toml:8: invalid value in key 'rate'"}},
    {"scenario_negative_carbon_price.toml", {"scenario_negative_carbon_price.toml:4: invalid value in key 'carbon_price_usd_per_t'", ">= 0"}},
    {"scenario_route_unknown_country.toml", {"scenario_route_unknown_country.toml:5: unknown reference in key 'to' (element 'AR-JP:li2co3')"}},
    {"scenario_route_incomplete.toml", {"scenario_route_incomplete.toml:3: missing in key 'cost_usd_per_unit' (element 'AR-CN:li2co3')"}},
    // Dated export duties and import tariffs ([[rule]] kinds export_duty, import_tariff).
    {"scenario_rule_duty_unknown_product.toml", {"scenario_rule_duty_unknown_product.toml:6: unknown reference in key 'product' (element 'ar_duty')", "'lithium'"}},
    {"scenario_rule_duty_unknown_country.toml", {"scenario_rule_duty_unknown_country.toml:7: unknown reference in key 'from' (element 'zz_duty')", "'ZZ'"}},
    {"scenario_rule_tariff_negative_rate.toml", {"scenario_rule_tariff_negative_rate.toml:8: invalid value in key 'rate' (element 'cn_tariff')"}},
    {"scenario_rule_tariff_years.toml", {"scenario_rule_tariff_years.toml:10: invalid value in key 'to_year' (element 'cn_tariff')", "before from_year 2030"}},
    {"scenario_rule_duty_negative_amount.toml", {"scenario_rule_duty_negative_amount.toml:8: invalid value in key 'amount_usd' (element 'ar_duty')", "negative"}},
    {"scenario_rule_tariff_no_importer.toml", {"scenario_rule_tariff_no_importer.toml:3: missing in key 'to' (element 'any_tariff')", "importing country"}},
    {"scenario_missing_dataset.toml", {"scenario_missing_dataset.toml:2: missing in key 'dataset'", "nowhere"}},
};

class MalformedFixture : public ::testing::TestWithParam<Malformed> {};

TEST_P(MalformedFixture, ExitsTwoWithOneLineNamingFileLineAndKey) {
  const Malformed& m = GetParam();
  CliRun r = run_cli(std::string("validate tests/fixtures/malformed/") + m.path);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");  // nothing partial on stdout
  EXPECT_EQ(r.err.rfind("cadena: tests/fixtures/malformed/", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;  // one line
  for (const char* s : m.expected) EXPECT_NE(r.err.find(s), std::string::npos) << "missing '" << s << "' in: " << r.err;
}

std::string test_name(const ::testing::TestParamInfo<Malformed>& info) {
  std::string n = info.param.path;
  for (char& c : n)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return n;
}

INSTANTIATE_TEST_SUITE_P(Cli, MalformedFixture, ::testing::ValuesIn(kMalformed), test_name);

TEST(CliValidate, EveryMalformedFixtureIsInTheTable) {
  // A fixture added without an expectation would silently go untested.
  size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(CADENA_FIXTURES_DIR) / "malformed")) {
    (void)e;
    ++n;
  }
  EXPECT_EQ(n, kMalformed.size());
  EXPECT_GE(kMalformed.size(), 25u);
}

TEST(CliValidate, TinyDatasetFolderManifestAndScenario) {
  CliRun r = run_cli("validate tests/fixtures/datasets/tiny tests/fixtures/datasets/tiny/dataset.toml "
                     "tests/fixtures/datasets/tiny_scenario.toml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("ok: tests/fixtures/datasets/tiny (dataset 'tiny': 8 facilities, 5 companies, 5 countries"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("ok: tests/fixtures/datasets/tiny/dataset.toml"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ok: tests/fixtures/datasets/tiny_scenario.toml (scenario 'tiny-test'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("9 facilities"), std::string::npos) << r.out;  // the scenario adds one
  EXPECT_NE(r.out.find("8 routes"), std::string::npos) << r.out;      // and a route
}

TEST(CliValidate, StopsAtTheFirstError) {
  CliRun r = run_cli("validate tests/fixtures/datasets/tiny tests/fixtures/malformed/neg_capacity "
                     "tests/fixtures/malformed/neg_cost");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("ok: tests/fixtures/datasets/tiny "), std::string::npos);
  EXPECT_NE(r.err.find("neg_capacity"), std::string::npos);
  EXPECT_EQ(r.err.find("neg_cost"), std::string::npos);
}

TEST(CliValidate, NonexistentPath) {
  CliRun r = run_cli("validate tests/fixtures/no-such-thing");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cadena: tests/fixtures/no-such-thing: missing"), std::string::npos) << r.err;
}

TEST(CliValidate, BuiltinFromEnvironmentFolder) {
  CliRun r = run_cli("validate", "CADENA_DATA_DIR=tests/fixtures/emptydir-that-is-not-there");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no built-in dataset 'lithium-2024'"), std::string::npos) << r.err;
}

// The shipped dataset must always validate (data/lithium-2024).
TEST(CliValidate, BuiltinDatasetIsValid) {
  CliRun r = run_cli("validate");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok: built-in lithium-2024 ("), std::string::npos) << r.out << r.err;
}

// Every example scenario shipped in scenarios/ must stay valid against the built-in dataset.
TEST(CliValidate, ShippedScenariosAreValid) {
  const std::filesystem::path dir = std::filesystem::path(CADENA_SOURCE_DIR) / "scenarios";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "no scenarios/ folder";
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() != ".toml") continue;
    ++n;
    CliRun r = run_cli("validate 'scenarios/" + e.path().filename().string() + "'");
    EXPECT_EQ(r.exit_code, 0) << e.path() << ": " << r.err;
    EXPECT_NE(r.out.find("ok: scenarios/"), std::string::npos) << r.out;
  }
  EXPECT_GT(n, 0);
}

}  // namespace
}  // namespace cadena::test

namespace cadena::test {
namespace {

// Project and fiscal regime files are recognised by their tables and checked by their own
// readers, not read as scenarios.
TEST(CliValidate, ProjectAndFiscalFiles) {
  auto p = run_cli("validate examples/projects/cauchari_olaroz_2017.toml");
  EXPECT_EQ(p.exit_code, 0) << p.err;
  EXPECT_NE(p.out.find("(project 'Cauchari-Olaroz Stage 1 (2017 DFS)' under fiscal regime"), std::string::npos) << p.out;
  auto f = run_cli("validate data/fiscal/argentina.toml data/fiscal/argentina_rigi.toml");
  EXPECT_EQ(f.exit_code, 0) << f.err;
  EXPECT_NE(f.out.find("ok: data/fiscal/argentina.toml (fiscal regime 'Argentina"), std::string::npos) << f.out;
  EXPECT_NE(f.out.find("ok: data/fiscal/argentina_rigi.toml (fiscal regime"), std::string::npos) << f.out;
  auto bad = run_cli("validate tests/fixtures/finance/unknown_key.toml");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("tests/fixtures/finance/unknown_key.toml:"), std::string::npos) << bad.err;
  EXPECT_EQ(bad.err.find("scenario"), std::string::npos) << "read as a project, not a scenario: " << bad.err;
}

TEST(CliData, ListWithoutTheDataFolderExits2) {
  auto r = run_cli("data list", "CADENA_DATA_DIR=/nonexistent/cadena-data");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("/nonexistent/cadena-data: missing: the built-in data folder (found through CADENA_DATA_DIR) does not exist"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
  auto v = run_cli("--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("built-in data: "), std::string::npos) << v.out;
  EXPECT_NE(v.out.find("(source tree)"), std::string::npos) << v.out;
}

}  // namespace
}  // namespace cadena::test
