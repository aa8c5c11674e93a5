// `cadena data list|show`: listings of the tiny fixture (through CADENA_DATA_DIR or --dataset)
// with values checked against the fixture files.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"

namespace cadena::test {
namespace {

const std::string kTinyEnv = "CADENA_DATA_DIR=tests/fixtures/datasets";
const std::string kTiny = " --dataset tests/fixtures/datasets/tiny";

TEST(CliData, ListShowsTablesWithRowCounts) {
  CliRun r = run_cli("data list", kTinyEnv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("tiny — Two brine mines"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("facilities  facilities.csv"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("8 rows"), std::string::npos) << r.out;
}

TEST(CliData, ListJson) {
  CliRun r = run_cli("data list --json", kTinyEnv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 2u);  // tiny and toy-mineral, sorted
  EXPECT_EQ(j[0]["name"], "tiny");
  EXPECT_EQ(j[1]["name"], "toy-mineral");
  std::map<std::string, int> rows;
  for (const auto& t : j[0]["tables"]) rows[t["table"]] = t["rows"];
  EXPECT_EQ(rows["facilities"], 8);
  EXPECT_EQ(rows["companies"], 5);
  EXPECT_EQ(rows["routes"], 7);
  EXPECT_EQ(rows["demand"], 3);
  EXPECT_EQ(rows["reference"], 4);
}

TEST(CliData, ShowFacilityHasUnitsAndSource) {
  CliRun r = run_cli("data show olaroz" + kTiny);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("facility olaroz — Olaroz"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("40000 t LCE/yr"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("5000 USD/t LCE"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ganfeng 46.7 % (CN), unattributed 53.3 %"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("test fixture [estimate] — share rounded"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("tiny/facilities.csv:4"), std::string::npos) << r.out;
}

TEST(CliData, ShowCompanyListsOwnedFacilitiesWithShares) {
  CliRun r = run_cli("data show ganfeng --json" + kTiny);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["kind"], "company");
  ASSERT_EQ(j["facilities"].size(), 3u);  // olaroz 46.7 %, greenbushes 30 %, yichun 100 %
  EXPECT_EQ(j["facilities"][1]["facility"], "greenbushes");
  EXPECT_DOUBLE_EQ(j["facilities"][1]["share"].get<double>(), 0.3);
  EXPECT_DOUBLE_EQ(j["facilities"][1]["attributable_capacity"].get<double>(), 45000.0);  // 0.3 x 150000
  EXPECT_DOUBLE_EQ(j["facilities"][0]["attributable_capacity"].get<double>(), 18680.0);  // 0.467 x 40000
}

TEST(CliData, ShowIdSharedByCountryAndRegion) {
  CliRun r = run_cli("data show CN --json" + kTiny);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["kind"], "country");
  EXPECT_EQ(j[0]["facilities"].size(), 3u);  // yichun, cam_cn, cell_cn
  EXPECT_EQ(j[1]["kind"], "region");
}

TEST(CliData, ShowProductTotalsCapacityAndDemand) {
  CliRun r = run_cli("data show li2co3 --json" + kTiny);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["unit"], "t LCE");
  EXPECT_DOUBLE_EQ(j["capacity"].get<double>(), 300000.0);  // la_negra 200000 + yichun 100000
  ASSERT_EQ(j["demand"].size(), 1u);
  EXPECT_DOUBLE_EQ(j["demand"][0]["quantity"].get<double>(), 20000.0);
}

TEST(CliData, UnknownIdIsBadInput) {
  CliRun r = run_cli("data show nothing" + kTiny);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("unknown reference in key 'ID' (element 'nothing')"), std::string::npos) << r.err;
}

TEST(CliData, BrokenDatasetIsBadInput) {
  CliRun r = run_cli("data show olaroz --dataset tests/fixtures/malformed/neg_capacity");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("neg_capacity/facilities.csv:4"), std::string::npos) << r.err;
}

// The built-in data: a company's direct and look-through stakes, and a country's output and
// capacity by owner nationality. Tianqi holds 22.16 % of SQM (stakes.csv), so it owns 22.16 % of
// SQM's Atacama field after look-through and none directly; Chile's 2024 mine output is then
// partly Chinese-owned.
TEST(CliData, ShowCompanyAndCountryLookThrough) {
  CliRun r = run_cli("data show tianqi --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  bool direct_atacama = false;
  for (const auto& f : j["facilities"]) direct_atacama = direct_atacama || f["facility"] == "atacama_sqm";
  EXPECT_FALSE(direct_atacama);
  double look = 0;
  for (const auto& f : j["look_through"])
    if (f["facility"] == "atacama_sqm") look = f["share"];
  EXPECT_NEAR(look, 0.2216, 1e-9);
  bool holds_sqm = false;
  for (const auto& c : j["companies_held"]) holds_sqm = holds_sqm || (c["company"] == "sqm" && c["share"] == 0.2216);
  EXPECT_TRUE(holds_sqm) << j["companies_held"];

  CliRun cl = run_cli("data show CL --json");
  ASSERT_EQ(cl.exit_code, 0) << cl.err;
  auto jc = nlohmann::json::parse(cl.out);
  const auto& mining = jc["by_owner_country"]["mining"];  // CL names a country only
  EXPECT_GT(mining["by_ultimate_owner_country"]["CN"]["output"].get<double>(), 0.0) << mining;
  EXPECT_EQ(mining["by_ultimate_owner_country"]["CN"]["direct_output"].get<double>(), 0.0) << mining;
  CliRun text = run_cli("data show AR");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("by owner nationality after look-through"), std::string::npos) << text.out;
}

}  // namespace
}  // namespace cadena::test
