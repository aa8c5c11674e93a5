// deck = "store": finance parses the keys and asks a PriceSource (the CLI's reads the results
// store). A fake source stands in here, so these tests need neither SQLite nor a run; the real
// store is exercised in tests/unit/report/test_results_store.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../../integration/cli_run.hpp"
#include "good_with_price.hpp"
#include "cadena/finance/load.hpp"
#include "cadena/finance/model.hpp"

namespace cadena::finance {
namespace {

using testing::good_with_price;

// Lines 12..17 of the project text below: [price], deck, db, run, product, region.
const std::string kStoreDeck =
    "[price]\ndeck = \"store\"\ndb = \"runs/results.db\"\nrun = \"baseline\"\nproduct = \"li2co3\"\nregion = \"CN\"\n";

TEST(StoreDeck, EqualsAFlatDeckAtThatPrice) {
  StoreDeck asked;
  PriceSource source = [&](const StoreDeck& d) -> Result<SourcedPrice> {
    asked = d;
    return SourcedPrice{9379.12, "t LCE", "run 7 (baseline)", {}};
  };
  auto store = parse_project(good_with_price(kStoreDeck), "/projects/p.toml", source);
  ASSERT_TRUE(store.ok()) << store.error().format();
  auto flat = parse_project(good_with_price("[price]\ndeck = \"flat\"\nusd_per_t = 9379.12\n"), "/projects/p.toml");
  ASSERT_TRUE(flat.ok()) << flat.error().format();

  // The db path is relative to the project file's folder; the other keys pass as written.
  EXPECT_EQ(asked.db, "/projects/runs/results.db");
  EXPECT_EQ(asked.run, "baseline");
  EXPECT_EQ(asked.product, "li2co3");
  EXPECT_EQ(asked.region, "CN");
  ASSERT_TRUE(store->store_deck.has_value());
  EXPECT_EQ(store->deck_label, "run 7 (baseline)");
  EXPECT_EQ(store->project.price_usd_per_t, std::vector<double>(10, 9379.12));

  const Evaluation a = evaluate(store->project), b = evaluate(flat->project);
  EXPECT_EQ(a.metrics.npv_after_tax, b.metrics.npv_after_tax);
  EXPECT_EQ(a.metrics.npv_pre_tax, b.metrics.npv_pre_tax);
  EXPECT_EQ(a.metrics.irr_after_tax, b.metrics.irr_after_tax);
}

TEST(StoreDeck, SourceErrorsPointAtTheProjectKey) {
  PriceSource no_run = [](const StoreDeck&) -> Result<SourcedPrice> {
    return make_error(ErrorCategory::Reference, "no run 'baseline' in the results store", {"/x/results.db", 0, "run", ""});
  };
  auto r = parse_project(good_with_price(kStoreDeck), "p.toml", no_run);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().category, ErrorCategory::Reference);
  EXPECT_EQ(r.error().context.file, "p.toml");
  EXPECT_EQ(r.error().context.line, 15);
  EXPECT_EQ(r.error().context.key, "price.run");
  EXPECT_NE(r.error().message.find("/x/results.db"), std::string::npos) << r.error().message;

  PriceSource no_region = [](const StoreDeck&) -> Result<SourcedPrice> {
    return make_error(ErrorCategory::Reference, "no price", {"db", 0, "region", ""});
  };
  r = parse_project(good_with_price(kStoreDeck), "p.toml", no_region);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.line, 17);
  EXPECT_EQ(r.error().context.key, "price.region");
}

TEST(StoreDeck, NeedsTonnesAPositivePriceAndASource) {
  PriceSource gwh = [](const StoreDeck&) -> Result<SourcedPrice> { return SourcedPrice{4e7, "GWh", "run 1 (baseline)", {}}; };
  auto r = parse_project(good_with_price(kStoreDeck), "p.toml", gwh);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().category, ErrorCategory::Unit);
  EXPECT_EQ(r.error().context.key, "price.product");
  EXPECT_EQ(r.error().context.line, 16);

  PriceSource zero = [](const StoreDeck&) -> Result<SourcedPrice> { return SourcedPrice{0.0, "t LCE", "run 1 (baseline)", {}}; };
  r = parse_project(good_with_price(kStoreDeck), "p.toml", zero);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.key, "price.region");

  r = parse_project(good_with_price(kStoreDeck), "p.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.key, "price.deck");

  // A missing key is reported before the source is asked.
  bool asked = false;
  PriceSource spy = [&](const StoreDeck&) -> Result<SourcedPrice> {
    asked = true;
    return SourcedPrice{1.0, "t", "x", {}};
  };
  r = parse_project(good_with_price("[price]\ndeck = \"store\"\ndb = \"a.db\"\nrun = \"1\"\nproduct = \"li2co3\"\n"), "p.toml", spy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().category, ErrorCategory::Missing);
  EXPECT_EQ(r.error().context.key, "price.region");
  EXPECT_FALSE(asked);
}

// A pathway run's prices by year (what `cadena run --years 2024:2034:5` stores): 2024, 2029, 2034.
PriceSource pathway_source(StoreDeck* asked = nullptr) {
  return [asked](const StoreDeck& d) -> Result<SourcedPrice> {
    if (asked) *asked = d;
    SourcedPrice s{0.0, "t LCE", "run 4 (pathway-mini, years 2024-2034)", {}};
    s.by_year = {{2024, 10000.0}, {2029, 15000.0}, {2034, 12000.0}};
    return s;
  };
}

TEST(StoreDeck, PricePathInterpolatesLinearlyAndHoldsAfterTheHorizon) {
  const std::vector<YearPrice> steps = {{2024, 10000.0}, {2029, 15000.0}, {2034, 12000.0}};
  // Production from 2027 for 10 years: 2027..2036.
  const std::vector<double> got = store_price_path(steps, 2027, 10);
  const std::vector<double> want = {13000.0, 14000.0, 15000.0, 14400.0, 13800.0, 13200.0, 12600.0, 12000.0, 12000.0, 12000.0};
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-9) << "production year " << i + 1;
  // Before the pathway's first year the first year's price holds.
  EXPECT_EQ(store_price_path(steps, 2020, 3), (std::vector<double>{10000.0, 10000.0, 10000.0}));
  // The step reading: each solved year's price until the next one.
  EXPECT_EQ(store_price_path(steps, 2027, 10, true),
            (std::vector<double>{10000.0, 10000.0, 15000.0, 15000.0, 15000.0, 15000.0, 15000.0, 12000.0, 12000.0, 12000.0}));
  // One solved year: flat.
  EXPECT_EQ(store_price_path({{2030, 9000.0}}, 2025, 2), (std::vector<double>{9000.0, 9000.0}));
}

TEST(StoreDeck, PathwayRunGivesTheDeckByProductionYear) {
  StoreDeck asked;
  auto store = parse_project(good_with_price(kStoreDeck + "first_year = 2027\n"), "/projects/p.toml", pathway_source(&asked));
  ASSERT_TRUE(store.ok()) << store.error().format();
  EXPECT_EQ(asked.first_year, 2027);
  EXPECT_TRUE(asked.years_required);
  const std::vector<double> want = {13000.0, 14000.0, 15000.0, 14400.0, 13800.0, 13200.0, 12600.0, 12000.0, 12000.0, 12000.0};
  ASSERT_EQ(store->project.price_usd_per_t.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(store->project.price_usd_per_t[i], want[i], 1e-9);
  EXPECT_EQ(store->deck_years.size(), 3u);

  // The same as a by_year deck with those prices.
  auto by_year = parse_project(good_with_price("[price]\ndeck = \"by_year\"\nusd_per_t = [13000, 14000, 15000, 14400, 13800, "
                                               "13200, 12600, 12000]\n"),
                               "/projects/p.toml");
  ASSERT_TRUE(by_year.ok()) << by_year.error().format();
  EXPECT_NEAR(evaluate(store->project).metrics.npv_after_tax, evaluate(by_year->project).metrics.npv_after_tax, 1e-6);

  // A dated timeline says when production starts: start 2025 + 2 construction years = 2027.
  std::string dated = good_with_price(kStoreDeck);
  const std::string tl = "construction_years = 2\n";
  dated.replace(dated.find(tl), tl.size(), tl + "start = \"2025\"\n");
  auto from_dates = parse_project(dated, "/projects/p.toml", pathway_source(&asked));
  ASSERT_TRUE(from_dates.ok()) << from_dates.error().format();
  EXPECT_EQ(asked.first_year, 2027);
  EXPECT_FALSE(asked.years_required);
  EXPECT_EQ(from_dates->project.price_usd_per_t, store->project.price_usd_per_t);
}

TEST(StoreDeck, PathwayRunErrorsNameFileLineAndKey) {
  // No first year and an undated timeline: which year is production year 1?
  auto r = parse_project(good_with_price(kStoreDeck), "p.toml", pathway_source());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().category, ErrorCategory::Missing);
  EXPECT_EQ(r.error().context.file, "p.toml");
  EXPECT_EQ(r.error().context.line, 12);  // the [price] table
  EXPECT_EQ(r.error().context.key, "price.first_year");
  EXPECT_NE(r.error().message.find("2024-2034"), std::string::npos) << r.error().message;

  // first_year asks for prices by year: a single-year run has none.
  PriceSource single = [](const StoreDeck&) -> Result<SourcedPrice> { return SourcedPrice{9000.0, "t LCE", "run 2 (baseline)", {}}; };
  r = parse_project(good_with_price(kStoreDeck + "first_year = 2027\n"), "p.toml", single);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.line, 15);
  EXPECT_EQ(r.error().context.key, "price.run");
  EXPECT_NE(r.error().message.find("single-year"), std::string::npos) << r.error().message;

  // A year whose price is not positive (the region over-supplied that year).
  PriceSource zero_year = [](const StoreDeck&) -> Result<SourcedPrice> {
    SourcedPrice s{0.0, "t LCE", "run 4 (pathway-mini)", {}};
    s.by_year = {{2024, 10000.0}, {2029, 0.0}};
    return s;
  };
  r = parse_project(good_with_price(kStoreDeck + "first_year = 2027\n"), "p.toml", zero_year);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.line, 17);
  EXPECT_EQ(r.error().context.key, "price.region");
  EXPECT_NE(r.error().message.find("2029"), std::string::npos) << r.error().message;

  // An interpolation the loader does not know.
  r = parse_project(good_with_price(kStoreDeck + "first_year = 2027\nbetween_years = \"cubic\"\n"), "p.toml", pathway_source());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.line, 19);
  EXPECT_EQ(r.error().context.key, "price.between_years");

  // A first year that is not a year.
  r = parse_project(good_with_price(kStoreDeck + "first_year = 27\n"), "p.toml", pathway_source());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.line, 18);
  EXPECT_EQ(r.error().context.key, "price.first_year");
}

}  // namespace
}  // namespace cadena::finance
