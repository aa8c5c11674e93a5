// The results store on the built-in baseline: what goes in comes back bit for bit (SQLite REAL
// is an IEEE double), ids are distinct, a failed insert leaves the file as it was, and a
// project deck read from the store is the flat deck at that price.
#include "cadena/report/results_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "../../integration/cli_run.hpp"
#include "sqlite_probe.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/finance/load.hpp"
#include "cadena/finance/model.hpp"

namespace cadena::report {
namespace {

namespace fs = std::filesystem;
using test_sql::exec;
using test_sql::count;

const RunReport& baseline() {
  static RunReport rep = [] {
    auto r = engine::run(std::nullopt);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
    return r.ok() ? *r : RunReport{};
  }();
  return rep;
}

// A fresh folder per test, removed afterwards.
class Store : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir = fs::temp_directory_path() / fmt::format("cadena-store-{}-{}", ::getpid(), info->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    ASSERT_EQ(baseline().result.termination, lp::Termination::Optimal);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir;
};

TEST_F(Store, PricesComeBackExactly) {
  const fs::path db = m_dir / "results.db";
  auto id = append_run(db, baseline());
  ASSERT_TRUE(id.ok()) << id.error().format();
  auto store = ResultsStore::open(db, false);
  ASSERT_TRUE(store.ok()) << store.error().format();

  const auto& want = baseline().result.demand_prices;
  ASSERT_FALSE(want.empty());
  auto got = store->prices(*id);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ((*got)[i].region_or_country, want[i].region_or_country);
    EXPECT_EQ((*got)[i].product, want[i].product);
    EXPECT_EQ((*got)[i].unit, want[i].unit);
    EXPECT_EQ((*got)[i].usd_per_unit, want[i].usd_per_unit);  // exact: a double round-trips
  }
  const auto& want_m = baseline().result.market_prices;
  auto got_m = store->market_prices(*id);
  ASSERT_TRUE(got_m.ok());
  ASSERT_EQ(got_m->size(), want_m.size());
  for (std::size_t i = 0; i < want_m.size(); ++i) {
    EXPECT_EQ((*got_m)[i].region_or_country, want_m[i].region_or_country);
    EXPECT_EQ((*got_m)[i].product, want_m[i].product);
    EXPECT_EQ((*got_m)[i].usd_per_unit, want_m[i].usd_per_unit);
  }

  // Each child table holds one row per record of the run; the objective and the flow costs agree.
  const auto& r = baseline().result;
  EXPECT_EQ(count(db, "SELECT count(*) FROM flows"), static_cast<std::int64_t>(r.flows.size()));
  EXPECT_EQ(count(db, "SELECT count(*) FROM facilities"), static_cast<std::int64_t>(r.facilities.size()));
  EXPECT_EQ(count(db, "SELECT count(*) FROM unmet"), static_cast<std::int64_t>(r.unmet.size()));
  std::int64_t shares = 0;
  std::int64_t matrix = 0;
  for (const auto& s : baseline().stages) {
    shares += s.by_country.size() + s.by_owner_country.size() + s.by_ultimate_owner_country.size() +
              s.by_owner_company.size();
    for (const auto& loc : s.by_location_owner_country) matrix += static_cast<std::int64_t>(loc.second.size());
  }
  EXPECT_EQ(count(db, "SELECT count(*) FROM stage_shares"), shares);
  EXPECT_EQ(count(db, "SELECT count(*) FROM stage_location_owner"), matrix);
  EXPECT_GT(matrix, 0);
  EXPECT_EQ(count(db, "SELECT count(*) FROM facility_details"), static_cast<std::int64_t>(r.facilities.size()));
  // SQM's Atacama field: 22.16 % Chinese after look-through (Tianqi's stake in SQM).
  EXPECT_EQ(count(db, "SELECT count(*) FROM facility_details WHERE id = 'atacama_sqm' AND "
                      "ultimate_owner_countries = 'CL:0.7784;CN:0.2216'"),
            1);
  auto runs = store->runs();
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  EXPECT_EQ((*runs)[0].scenario, "baseline");
  EXPECT_EQ((*runs)[0].status, "optimal");
  EXPECT_EQ((*runs)[0].objective_usd, r.objective_usd);

  // A price found by region and product is the extract's value.
  const auto& p0 = want.front();
  auto one = store->price("baseline", p0.region_or_country, p0.product);
  ASSERT_TRUE(one.ok()) << one.error().format();
  EXPECT_EQ(one->usd_per_unit, p0.usd_per_unit);
  EXPECT_FALSE(one->market);
}

TEST_F(Store, TwoRunsGetDistinctIdsAndAScenarioNameFindsTheLatest) {
  const fs::path db = m_dir / "results.db";
  auto a = append_run(db, baseline());
  auto b = append_run(db, baseline());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 2);
  EXPECT_EQ(count(db, fmt::format("SELECT count(*) FROM prices WHERE run_id = {}", *b)),
            static_cast<std::int64_t>(baseline().result.demand_prices.size()));
  auto store = ResultsStore::open(db, false);
  ASSERT_TRUE(store.ok());
  auto latest = store->find_run("baseline");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->id, std::max(*a, *b));
  auto by_id = store->find_run(std::to_string(*a));
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(by_id->id, *a);
}

TEST_F(Store, AFailedInsertRollsBack) {
  const fs::path db = m_dir / "results.db";
  ASSERT_TRUE(append_run(db, baseline()).ok());
  // Force the failure halfway: the run row and the prices are in before flows refuses.
  exec(db, "CREATE TRIGGER refuse BEFORE INSERT ON flows BEGIN SELECT RAISE(ABORT, 'forced'); END;");
  auto failed = append_run(db, baseline());
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().category, ErrorCategory::Io);
  EXPECT_EQ(failed.error().context.file, db.string());
  EXPECT_NE(failed.error().message.find("forced"), std::string::npos) << failed.error().message;
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 1);
  EXPECT_EQ(count(db, "SELECT count(*) FROM prices"), static_cast<std::int64_t>(baseline().result.demand_prices.size()));

  // A store that did not exist before a failed write does not exist after it.
  const fs::path fresh = m_dir / "fresh.db";
  {
    auto s = ResultsStore::open(fresh, true);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE(s->stage_run(baseline()).ok());
    // A new store is built privately and appears only when its first run commits
    // (docs/reliability.md), so no other run can find, use or lose it meanwhile.
    EXPECT_FALSE(fs::exists(fresh));
  }  // destroyed without commit
  EXPECT_FALSE(fs::exists(fresh));

  // A store in a folder that does not exist cannot be opened: an Io error naming the path.
  const fs::path nowhere = m_dir / "no-such-folder" / "results.db";
  auto bad = append_run(nowhere, baseline());
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().category, ErrorCategory::Io);
  EXPECT_EQ(bad.error().context.file, nowhere.string());
  EXPECT_FALSE(fs::exists(nowhere));
}

TEST_F(Store, LookupErrorsNameTheKey) {
  const fs::path db = m_dir / "results.db";
  auto missing = ResultsStore::open(db, false);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().category, ErrorCategory::Missing);
  EXPECT_EQ(missing.error().context.key, "db");

  {
    std::ofstream(m_dir / "garbage.db") << "this is not an SQLite file, it is long enough to have a header......";
  }
  auto garbage = ResultsStore::open(m_dir / "garbage.db", false);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.error().context.key, "db");

  ASSERT_TRUE(append_run(db, baseline()).ok());
  auto store = ResultsStore::open(db, false);
  ASSERT_TRUE(store.ok());
  auto no_run = store->price("ar-export-duty-10", "CN", "li2co3");
  ASSERT_FALSE(no_run.ok());
  EXPECT_EQ(no_run.error().context.key, "run");
  EXPECT_EQ(no_run.error().category, ErrorCategory::Reference);
  auto no_product = store->price("1", "CN", "unobtainium");
  ASSERT_FALSE(no_product.ok());
  EXPECT_EQ(no_product.error().context.key, "product");
  auto no_region = store->price("1", "XX", "li2co3");
  ASSERT_FALSE(no_region.ok());
  EXPECT_EQ(no_region.error().context.key, "region");
}

// A project file for examples/projects/cauchari_olaroz_2017.toml with its [price] table replaced.
std::string cauchari_with_price(const std::string& price_table) {
  std::string text = test::read_file(std::string(CADENA_SOURCE_DIR) + "/examples/projects/cauchari_olaroz_2017.toml");
  const std::string flat = "[price]\ndeck = \"flat\"\nusd_per_t = 12000\n";
  const auto at = text.find(flat);
  EXPECT_NE(at, std::string::npos) << "the example's [price] table changed";
  return at == std::string::npos ? text : text.replace(at, flat.size(), price_table);
}

std::string store_deck(const fs::path& db, const std::string& run, const std::string& product, const std::string& region) {
  return fmt::format("[price]\ndeck = \"store\"\ndb = \"{}\"\nrun = \"{}\"\nproduct = \"{}\"\nregion = \"{}\"\n", db.string(),
                     run, product, region);
}

TEST_F(Store, ProjectDeckFromTheStoreEqualsTheFlatDeck) {
  const fs::path db = m_dir / "results.db";
  ASSERT_TRUE(append_run(db, baseline()).ok());
  double cn_li2co3 = -1;
  for (const auto& p : baseline().result.demand_prices)
    if (p.region_or_country == "CN" && p.product == "li2co3") cn_li2co3 = p.usd_per_unit;
  ASSERT_GT(cn_li2co3, 0.0);

  // The same source the CLI uses: the store answers finance's question.
  finance::PriceSource source = [](const finance::StoreDeck& d) -> Result<finance::SourcedPrice> {
    auto s = ResultsStore::open(d.db, false);
    if (!s) return s.error();
    auto p = s->price(d.run, d.region, d.product);
    if (!p) return p.error();
    return finance::SourcedPrice{p->usd_per_unit, p->unit, "store", {}};
  };
  auto from_store = finance::parse_project(cauchari_with_price(store_deck(db, "baseline", "li2co3", "CN")),
                                           (m_dir / "p.toml").string(), source);
  ASSERT_TRUE(from_store.ok()) << from_store.error().format();
  auto flat = finance::parse_project(cauchari_with_price(fmt::format("[price]\ndeck = \"flat\"\nusd_per_t = {:.17g}\n", cn_li2co3)),
                                     (m_dir / "p.toml").string());
  ASSERT_TRUE(flat.ok()) << flat.error().format();
  const auto a = finance::evaluate(from_store->project), b = finance::evaluate(flat->project);
  EXPECT_EQ(a.metrics.npv_after_tax, b.metrics.npv_after_tax);
  EXPECT_EQ(a.metrics.npv_pre_tax, b.metrics.npv_pre_tax);
  EXPECT_EQ(a.metrics.irr_after_tax, b.metrics.irr_after_tax);
}

TEST_F(Store, CliRunDbThenProjectEvaluate) {
  using test::run_cli;
  const fs::path db = m_dir / "shared.db";
  const fs::path out = m_dir / "out";
  auto r = run_cli(fmt::format("run --db '{}' --out '{}'", db.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("stored run 1 in"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists(out / "summary.json"));

  // The stored price is the one summary.json printed.
  std::ifstream sj(out / "summary.json");
  const auto summary = nlohmann::json::parse(sj);
  const double price = summary["prices"]["CN"]["li2co3"].get<double>();

  const fs::path project = m_dir / "project.toml";
  const fs::path flat_project = m_dir / "flat.toml";
  std::ofstream(project) << cauchari_with_price(store_deck("shared.db", "baseline", "li2co3", "CN"));  // relative to the project
  std::ofstream(flat_project) << cauchari_with_price(fmt::format("[price]\ndeck = \"flat\"\nusd_per_t = {:.17g}\n", price));
  auto e = run_cli(fmt::format("project evaluate --json --paths 0 '{}'", project.string()));
  ASSERT_EQ(e.exit_code, 0) << e.err;
  auto f = run_cli(fmt::format("project evaluate --json --paths 0 '{}'", flat_project.string()));
  ASSERT_EQ(f.exit_code, 0) << f.err;
  const auto je = nlohmann::json::parse(e.out), jf = nlohmann::json::parse(f.out);
  EXPECT_EQ(je["price_deck"]["usd_per_t"].get<double>(), price);
  EXPECT_EQ(je["metrics"]["npv_after_tax_musd"], jf["metrics"]["npv_after_tax_musd"]);

  // Bad cases: exit 2, one line naming the project file, its line and the key.
  struct Bad {
    std::string deck, key;
  };
  const Bad bad[] = {{store_deck("missing.db", "baseline", "li2co3", "CN"), "price.db"},
                     {store_deck("shared.db", "no-such-scenario", "li2co3", "CN"), "price.run"},
                     {store_deck("shared.db", "baseline", "unobtainium", "CN"), "price.product"},
                     {store_deck("shared.db", "baseline", "li2co3", "XX"), "price.region"},
                     {store_deck("shared.db", "baseline", "cell_lfp", "CN"), "price.product"}};
  for (const auto& b : bad) {
    std::ofstream(project) << cauchari_with_price(b.deck);
    auto x = run_cli(fmt::format("project evaluate '{}'", project.string()));
    EXPECT_EQ(x.exit_code, 2) << b.key << ": " << x.err;
    EXPECT_NE(x.err.find(project.string() + ":"), std::string::npos) << x.err;
    EXPECT_NE(x.err.find("'" + b.key + "'"), std::string::npos) << x.err;
    EXPECT_TRUE(x.out.empty()) << x.out;
  }

  // A run whose store cannot be written fails with exit 2 and writes no output folder.
  const fs::path out2 = m_dir / "out2";
  auto w = run_cli(fmt::format("run --db '{}' --out '{}'", (m_dir / "no-folder" / "x.db").string(), out2.string()));
  EXPECT_NE(w.exit_code, 0);
  EXPECT_FALSE(fs::exists(out2));
}

}  // namespace
}  // namespace cadena::report
