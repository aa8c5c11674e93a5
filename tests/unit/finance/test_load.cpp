// Bad inputs get clear errors with file, line and key; the CLI maps them to exit code 2 and
// writes nothing. Every fiscal regime file loads and cites its sources.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../../integration/cli_run.hpp"
#include "cadena/core/data_dir.hpp"
#include "cadena/finance/load.hpp"

#include <nlohmann/json.hpp>

namespace cadena::finance {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) { return std::string(CADENA_FIXTURES_DIR) + "/finance/" + name; }

struct Case {
  const char* file;
  ErrorCategory category;
  int line;
  const char* key;
  const char* message_part;
};

TEST(FinanceLoad, BadInputsNameFileLineAndKey) {
  const Case cases[] = {
      {"missing_price.toml", ErrorCategory::Missing, 12, "price.usd_per_t", "missing"},
      {"negative_capex.toml", ErrorCategory::Value, 20, "capex.initial_musd", ">= 0"},
      {"ramp_above_100.toml", ErrorCategory::Value, 10, "production.ramp", "above 100 %"},
      {"unknown_regime.toml", ErrorCategory::Reference, 26, "fiscal.regime", "unknown fiscal regime 'atlantis'"},
      {"bad_distribution.toml", ErrorCategory::Value, 30, "montecarlo.capex.dist", "min <= mode <= max"},
      {"bad_correlation.toml", ErrorCategory::Value, 0, "montecarlo.correlation", "not positive definite"},
      {"wrong_type.toml", ErrorCategory::Type, 23, "economics.discount_rate", "expected a number"},
      {"unknown_key.toml", ErrorCategory::Value, 21, "capex.sustaining_musd_per_yr", "unknown key"},
      {"unknown_override_key.toml", ErrorCategory::Value, 29, "fiscal.override.income_tax.rat", "unknown key"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    auto r = load_project(fixture(c.file));
    ASSERT_FALSE(r.ok());
    const Error& e = r.error();
    EXPECT_EQ(e.category, c.category) << e.format();
    EXPECT_EQ(e.context.file, fixture(c.file));
    if (c.line > 0) {
      EXPECT_EQ(e.context.line, c.line) << e.format();
    } else {
      EXPECT_GT(e.context.line, 0) << e.format();
    }
    EXPECT_EQ(e.context.key, c.key);
    EXPECT_NE(e.message.find(c.message_part), std::string::npos) << e.message;
  }
}

TEST(FinanceLoad, PriceFileErrorsPointIntoTheCsv) {
  auto r = load_project(fixture("bad_price_file.toml"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.file, fixture("bad_deck.csv"));
  EXPECT_EQ(r.error().context.line, 3);
}

TEST(FinanceLoad, PriceFileAndOverrides) {
  auto r = load_project(fixture("price_file.toml"));
  ASSERT_TRUE(r.ok()) << r.error().format();
  const auto& deck = r->project.price_usd_per_t;
  ASSERT_EQ(deck.size(), 10u);
  EXPECT_EQ(deck[0], 20000);
  EXPECT_EQ(deck[1], 18000);
  EXPECT_EQ(deck[2], 18000);  // a gap holds the last price
  EXPECT_EQ(deck[4], 15000);
  EXPECT_EQ(deck[9], 15000);

  auto o = load_project(fixture("override.toml"));
  ASSERT_TRUE(o.ok()) << o.error().format();
  ASSERT_EQ(o->project.fiscal.levies.size(), 1u);
  EXPECT_EQ(o->project.fiscal.levies[0].rate, 0.05);         // overridden
  EXPECT_EQ(o->project.fiscal.export_duty_rate, 0.045);      // from the regime file
  EXPECT_EQ(o->project.fiscal.income_tax_rate, 0.35);
}

TEST(FinanceLoad, EveryRegimeLoadsWithSources) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(data_dir()) / "fiscal")) {
    if (e.path().extension() != ".toml") continue;
    SCOPED_TRACE(e.path().string());
    auto r = load_regime(e.path().stem().string());
    ASSERT_TRUE(r.ok()) << r.error().format();
    EXPECT_EQ(r->id, e.path().stem().string());
    EXPECT_GT(r->income_tax_rate, 0.0);
    ++n;
  }
  EXPECT_GE(n, 6);  // Argentina, Chile, Bolivia, Brazil, Peru, Western Australia at least
  auto rigi = load_regime("argentina_rigi");
  ASSERT_TRUE(rigi.ok());
  EXPECT_EQ(rigi->income_tax_rate, 0.25);
  EXPECT_EQ(rigi->export_duty_rate, 0.045);  // inherited from argentina
  EXPECT_EQ(rigi->export_duty_free_from_year, 3);
}

TEST(FinanceLoad, RegimeWithoutSourceIsRejected) {
  const fs::path dir = fs::temp_directory_path() / "cadena_finance_nosource";
  fs::create_directories(dir / "fiscal");
  std::ofstream(dir / "fiscal" / "nosource.toml") << "[regime]\nid = \"nosource\"\n\n[income_tax]\nrate = 0.3\n";
  setenv("CADENA_DATA_DIR", dir.c_str(), 1);
  auto r = load_regime("nosource");
  unsetenv("CADENA_DATA_DIR");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.key, "income_tax.source");
  EXPECT_EQ(r.error().context.line, 4);
  fs::remove_all(dir);
}

using test::run_cli;

TEST(FinanceCli, BadInputExitsTwoAndWritesNothing) {
  const fs::path out = fs::temp_directory_path() / "cadena_finance_cli_bad";
  fs::remove_all(out);
  const auto r = run_cli("project evaluate " + fixture("ramp_above_100.toml") + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ramp_above_100.toml:10"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("production.ramp"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out / "cashflow.csv"));
}

TEST(FinanceCli, EvaluateWritesTables) {
  const fs::path out = fs::temp_directory_path() / "cadena_finance_cli_good";
  fs::remove_all(out);
  // uncertain.toml is good.toml with distributions: a Monte Carlo needs uncertain inputs.
  const auto r = run_cli("project evaluate " + fixture("uncertain.toml") + " --paths 500 --seed 3 --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"cashflow.csv", "summary.json", "tornado.csv", "spider.csv", "montecarlo.csv"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  std::ifstream csv(out / "cashflow.csv");
  int lines = 0;
  for (std::string l; std::getline(csv, l);) ++lines;
  EXPECT_EQ(lines, 1 + 2 + 10 + 1);  // header, construction, production, closure
  fs::remove_all(out);
}

}  // namespace
}  // namespace cadena::finance

namespace cadena::finance {
namespace {

using test::run_cli;

// Defect: --paths 0 dropped the file's distributions, so the tornado fell back to +-20 % while
// still calling the bars P10/P90.
TEST(FinanceCli, PathsZeroKeepsTheDistributionsForTheTornado) {
  const auto r = run_cli("project evaluate " + fixture("uncertain.toml") + " --paths 0 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j.contains("montecarlo") && j["montecarlo"].contains("npv_after_tax_musd"));
  bool seen = false;
  for (const auto& b : j["tornado"])
    if (b["variable"] == "capex") {
      seen = true;
      auto tri = Distribution::triangular(0.9, 1.0, 1.5);
      EXPECT_NEAR(b["low_input"].get<double>(), tri->quantile(0.1), 1e-9);
      EXPECT_NEAR(b["high_input"].get<double>(), tri->quantile(0.9), 1e-9);
      EXPECT_EQ(b["basis"], "P10/P90");
    } else if (b["variable"] == "price") {
      EXPECT_EQ(b["basis"], "+-20 %");
    }
  EXPECT_TRUE(seen);
}

// Defect: the printed regime name ignored [fiscal.override].
TEST(FinanceCli, PrintedRegimeNamesTheOverrides) {
  auto r = run_cli("project evaluate " + fixture("override.toml") + " --paths 0");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("levies.provincial_royalty.rate = 0.05"), std::string::npos) << r.out;
  r = run_cli("project evaluate " + fixture("override.toml") + " --paths 0 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("regime_overrides"));
  EXPECT_EQ(j["regime_overrides"][0], "levies.provincial_royalty.rate = 0.05");
}

// Defect: without uncertain inputs the Monte Carlo printed P10 = P50 = P90 and P(NPV < 0) = 0 %
// without a word.
TEST(FinanceCli, NoUncertaintyIsSaidNotSimulated) {
  auto r = run_cli("project evaluate " + fixture("good.toml") + " --paths 500");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no uncertainty was given"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("P(NPV < 0)"), std::string::npos) << r.out;
  r = run_cli("project evaluate " + fixture("good.toml") + " --paths 500 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("montecarlo"));
  EXPECT_FALSE(j["montecarlo"].contains("npv_after_tax_musd"));
  EXPECT_NE(j["montecarlo"]["skipped"].get<std::string>().find("no uncertainty"), std::string::npos);
}

}  // namespace
}  // namespace cadena::finance
