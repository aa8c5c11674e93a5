// deck = "store" end to end on a small stored pathway run: `cadena run --years ... --db`, then
// `cadena project evaluate` on a project valued on the run's price path (the CLI's price source
// reads ResultsStore::price_path). The run's prices by year are the ones its summary.json reports.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "../../integration/cli_run.hpp"
#include "good_with_price.hpp"

namespace cadena::finance {
namespace {

std::string fmt_g17(double x) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

using testing::good_with_price;

TEST(StoreDeckCli, ProjectValuedOnAStoredPathwayRun) {
  using test::run_cli;
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("cadena_finance_pathway_deck_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const fs::path mini = fs::path(CADENA_FIXTURES_DIR) / "chain/pathway-mini";
  const fs::path db = dir / "results.db";
  auto r = run_cli("run --dataset '" + mini.string() + "' --db '" + db.string() + "' --out '" + (dir / "single").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path project = dir / "p.toml";
  // Only a single-year run so far: "latest-pathway" finds none; first_year asks for years it lacks.
  std::ofstream(project) << good_with_price(
      "[price]\ndeck = \"store\"\ndb = \"results.db\"\nrun = \"latest-pathway\"\nproduct = \"li2co3\"\nregion = \"CN\"\n");
  auto x = run_cli("project evaluate --paths 0 '" + project.string() + "'");
  EXPECT_EQ(x.exit_code, 2) << x.err;
  EXPECT_NE(x.err.find(project.string() + ":15:"), std::string::npos) << x.err;
  EXPECT_NE(x.err.find("'price.run'"), std::string::npos) << x.err;
  std::ofstream(project, std::ios::trunc) << good_with_price(
      "[price]\ndeck = \"store\"\ndb = \"results.db\"\nrun = \"1\"\nproduct = \"li2co3\"\nregion = \"CN\"\nfirst_year = 2026\n");
  x = run_cli("project evaluate --paths 0 '" + project.string() + "'");
  EXPECT_EQ(x.exit_code, 2) << x.err;
  EXPECT_NE(x.err.find(project.string() + ":15:"), std::string::npos) << x.err;
  EXPECT_NE(x.err.find("single-year"), std::string::npos) << x.err;

  r = run_cli("run --dataset '" + mini.string() + "' --years 2024:2030:5 --db '" + db.string() + "' --out '" +
              (dir / "pathway").string() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto summary = nlohmann::json::parse(test::read_file(dir / "pathway" / "summary.json"));
  const auto years = summary["years"].get<std::vector<int>>();
  const auto prices = summary["series"]["demand_price_usd"]["li2co3"]["CN"].get<std::vector<double>>();
  ASSERT_EQ(years, (std::vector<int>{2024, 2025, 2030}));
  ASSERT_EQ(prices.size(), 3u);

  // Production 2026..2035 (10 years): 2026-2029 between the 2025 and 2030 prices, then 2030's held.
  std::ofstream(project, std::ios::trunc) << good_with_price(
      "[price]\ndeck = \"store\"\ndb = \"results.db\"\nrun = \"latest-pathway\"\nproduct = \"li2co3\"\nregion = \"CN\"\n"
      "first_year = 2026\n");
  auto e = run_cli("project evaluate --json --paths 0 '" + project.string() + "'");
  ASSERT_EQ(e.exit_code, 0) << e.err;
  const auto j = nlohmann::json::parse(e.out);
  const auto& deck = j["price_deck"]["by_production_year"];
  ASSERT_EQ(deck.size(), 10u);
  for (int i = 0; i < 10; ++i) {
    const int year = 2026 + i;
    const double want = year >= 2030 ? prices[2] : prices[1] + (year - 2025) / 5.0 * (prices[2] - prices[1]);
    EXPECT_EQ(deck[i]["year"].get<int>(), year);
    EXPECT_NEAR(deck[i]["usd_per_t"].get<double>(), want, 1e-9 * std::max(1.0, std::fabs(want))) << year;
  }
  EXPECT_EQ(j["price_deck"]["run_years_usd_per_t"].size(), 3u);
  // The same project with the deck written out by year values the same.
  std::string by_year = "[price]\ndeck = \"by_year\"\nusd_per_t = [";
  for (int i = 0; i < 10; ++i) by_year += (i ? ", " : "") + fmt_g17(deck[i]["usd_per_t"].get<double>());
  std::ofstream(dir / "by_year.toml") << good_with_price(by_year + "]\n");
  auto f = run_cli("project evaluate --json --paths 0 '" + (dir / "by_year.toml").string() + "'");
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_NEAR(j["metrics"]["npv_after_tax_musd"].get<double>(),
              nlohmann::json::parse(f.out)["metrics"]["npv_after_tax_musd"].get<double>(), 1e-9);

  // Bad input on the pathway run: exit 2, file:line and key, nothing on stdout.
  struct Bad {
    std::string extra, key;
    int line;
  };
  const Bad bad[] = {{"first_year = 2026\nregion = \"XX\"\n", "price.region", 0},
                     {"", "price.first_year", 12}};
  for (const auto& b : bad) {
    std::string text = "[price]\ndeck = \"store\"\ndb = \"results.db\"\nrun = \"latest-pathway\"\nproduct = \"li2co3\"\n";
    text += b.extra.empty() ? "region = \"CN\"\n" : b.extra;
    std::ofstream(project, std::ios::trunc) << good_with_price(text);
    auto y = run_cli("project evaluate '" + project.string() + "'");
    EXPECT_EQ(y.exit_code, 2) << b.key << ": " << y.err;
    EXPECT_NE(y.err.find("'" + b.key + "'"), std::string::npos) << y.err;
    if (b.line) {
      EXPECT_NE(y.err.find(project.string() + ":" + std::to_string(b.line) + ":"), std::string::npos) << y.err;
    }
    EXPECT_TRUE(y.out.empty()) << y.out;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cadena::finance
