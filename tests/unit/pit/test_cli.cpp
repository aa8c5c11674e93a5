// Black-box tests of `cadena pit`: exit codes, JSON fields, error messages, output files.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "../../integration/cli_run.hpp"

namespace {

using cadena::test::run_cli;

std::string fixture(const std::string& name) { return std::string(CADENA_FIXTURES_DIR) + "/pit/" + name; }

std::filesystem::path temp_dir() {
  auto d = std::filesystem::temp_directory_path() / ("cadena_pit_cli_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d;
}

TEST(PitCli, MineLibJsonAndOutFile) {
  const auto out = temp_dir() / "pit.csv";
  auto r = run_cli("pit solve --minelib " + fixture("tiny") + " --json --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["status"], "optimal");
  EXPECT_DOUBLE_EQ(j["value"].get<double>(), 2.5);
  EXPECT_EQ(j["blocks_in_pit"], 5);
  EXPECT_TRUE(j.contains("seconds"));
  EXPECT_EQ(cadena::test::read_file(out), "block,x,y,z\n0,0,0,1\n1,1,0,1\n2,2,0,1\n3,0,0,0\n4,1,0,0\n");
}

TEST(PitCli, ValuesGrid) {
  auto r = run_cli("pit solve --values " + fixture("section.dat") + " --grid 3 1 2 --slope 45 --benches 1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["value"], 1);
  EXPECT_EQ(j["blocks_in_pit"], 4);
}

TEST(PitCli, PricedCsv) {
  auto r = run_cli("pit solve --blocks " + fixture("tiny_blocks.csv") +
               " --price 1200 --recovery 0.9 --mining-cost 2 --processing-cost 10 --slope 45 --benches 1 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["value"], 360);
}

TEST(PitCli, RoyaltyFromFiscalRegime) {
  // Western Australia: 5 % ad-valorem royalty. Centre ore 2160 x 0.95 - 1200 = 852; minus 600 of
  // waste above: 252.
  auto r = run_cli("pit solve --blocks " + fixture("tiny_blocks.csv") +
               " --price 1200 --recovery 0.9 --mining-cost 2 --processing-cost 10 --slope 45 --benches 1"
               " --fiscal western_australia --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["value"], 252);
  r = run_cli("pit solve --blocks " + fixture("tiny_blocks.csv") + " --price 1200 --slope 45 --fiscal no_such_regime");
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

TEST(PitCli, ValuesWithExplicitPrecedence) {
  // tiny.prec over five values: the same optimum as the MineLib model, in whole units.
  auto r = run_cli("pit solve --values " + fixture("tiny_values.dat") + " --prec " + fixture("tiny.prec") + " --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["value"], 5);
}

TEST(PitCli, ShellsJsonAndOut) {
  const auto out = temp_dir() / "shells.csv";
  auto r = run_cli("pit shells --values " + fixture("section.dat") +
               " --grid 3 1 2 --slope 45 --benches 1 --rf-min 0.5 --rf-max 1.5 --rf-step 0.5 --json --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["shells"].size(), 3u);
  // rf 0.5: 3.5 - 6 < 0, empty; rf 1: 7 - 6 = 1; rf 1.5: 10.5 - 6 > 0; value reported at rf 1.
  EXPECT_EQ(j["shells"][0]["blocks"], 0);
  EXPECT_EQ(j["shells"][1]["blocks"], 4);
  EXPECT_EQ(j["shells"][1]["value"], 1.0);
  EXPECT_EQ(j["blocks_in_pit"], 4);
  EXPECT_TRUE(std::filesystem::exists(out));
}

TEST(PitCli, BadFilesExitTwoWithFileAndLine) {
  auto r = run_cli("pit solve --minelib " + fixture("bad_count"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad_count.prec:6:"), std::string::npos) << r.err;
  r = run_cli("pit solve --minelib " + fixture("bad_cycle"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cyclic"), std::string::npos) << r.err;
  r = run_cli("pit solve --values " + fixture("bad_values.dat") + " --grid 2 2 1 --slope 45");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad_values.dat:4:"), std::string::npos) << r.err;
  r = run_cli("pit solve --values " + fixture("section.dat") + " --grid 3 1 2");
  EXPECT_EQ(r.exit_code, 2) << "no slope";
}

TEST(PitCli, NoPartialOutputOnError) {
  const auto out = temp_dir() / "never.csv";
  std::filesystem::remove(out);
  auto r = run_cli("pit solve --minelib " + fixture("bad_missing") + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(std::filesystem::exists(out));
}

}  // namespace
