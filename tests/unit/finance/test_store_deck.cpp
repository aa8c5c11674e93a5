// deck = "store": finance parses the keys and asks a PriceSource (the CLI's reads the results
// store). A fake source stands in here, so these tests need neither SQLite nor a run; the real
// store is exercised in tests/unit/report/test_results_store.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "../../integration/cli_run.hpp"
#include "cadena/finance/load.hpp"
#include "cadena/finance/model.hpp"

namespace cadena::finance {
namespace {

std::string good_with_price(const std::string& price_table) {
  std::string text = test::read_file(std::string(CADENA_FIXTURES_DIR) + "/finance/good.toml");
  const std::string flat = "[price]\ndeck = \"flat\"\nusd_per_t = 15000\n";
  const auto at = text.find(flat);
  EXPECT_NE(at, std::string::npos);
  return text.replace(at, flat.size(), price_table);
}

// Lines 12..17 of the project text below: [price], deck, db, run, product, region.
const std::string kStoreDeck =
    "[price]\ndeck = \"store\"\ndb = \"runs/results.db\"\nrun = \"baseline\"\nproduct = \"li2co3\"\nregion = \"CN\"\n";

TEST(StoreDeck, EqualsAFlatDeckAtThatPrice) {
  StoreDeck asked;
  PriceSource source = [&](const StoreDeck& d) -> Result<SourcedPrice> {
    asked = d;
    return SourcedPrice{9379.12, "t LCE", "run 7 (baseline)"};
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
  PriceSource gwh = [](const StoreDeck&) -> Result<SourcedPrice> { return SourcedPrice{4e7, "GWh", "run 1 (baseline)"}; };
  auto r = parse_project(good_with_price(kStoreDeck), "p.toml", gwh);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().category, ErrorCategory::Unit);
  EXPECT_EQ(r.error().context.key, "price.product");
  EXPECT_EQ(r.error().context.line, 16);

  PriceSource zero = [](const StoreDeck&) -> Result<SourcedPrice> { return SourcedPrice{0.0, "t LCE", "run 1 (baseline)"}; };
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
    return SourcedPrice{1.0, "t", "x"};
  };
  r = parse_project(good_with_price("[price]\ndeck = \"store\"\ndb = \"a.db\"\nrun = \"1\"\nproduct = \"li2co3\"\n"), "p.toml", spy);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().category, ErrorCategory::Missing);
  EXPECT_EQ(r.error().context.key, "price.region");
  EXPECT_FALSE(asked);
}

}  // namespace
}  // namespace cadena::finance
