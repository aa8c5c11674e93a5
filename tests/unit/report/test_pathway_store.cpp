// Pathway runs in the results store (schema version 3): a stored 2- and 3-year pathway run comes
// back year by year (every price path equals the run's duals bit for bit, flows and facilities
// carry their year, builds and the per-year totals are there), a single-year run asked for a
// price path and a pathway run asked for one price are errors naming the key, a version-2 store
// keeps its runs readable and is upgraded by the next run, and `cadena run --years --db`,
// `cadena runs list|show` say that a run has years. On the pathway-mini fixture
// (tests/fixtures/chain/pathway-mini).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cmath>
#include <filesystem>

#include "../../integration/cli_run.hpp"
#include "sqlite_probe.hpp"
#include "cadena/core/publish.hpp"
#include "cadena/engine/pathway.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/report/results_store.hpp"

namespace cadena::report {
namespace {

namespace fs = std::filesystem;
using test_sql::exec;
using test_sql::count;

const fs::path kMini = fs::path(CADENA_FIXTURES_DIR) / "chain/pathway-mini";

PathwayReport mini(const std::string& years) {
  engine::RunOptions o;
  o.dataset = kMini.string();
  engine::PathwayOptions p;
  p.years = years;
  auto r = engine::run_pathway(std::nullopt, o, p);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? std::move(*r) : PathwayReport{};
}

class PathwayStore : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir = fs::temp_directory_path() / fmt::format("cadena-pstore-{}-{}", ::getpid(), info->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir;
};

Result<std::int64_t> store_pathway(const fs::path& db, const PathwayReport& rep) {
  auto store = ResultsStore::open(db, true);
  if (!store) return store.error();
  auto id = store->stage_pathway_run(rep);
  if (!id) return id.error();
  return store->commit();
}

TEST_F(PathwayStore, ARunOverYearsComesBackYearByYear) {
  const fs::path db = m_dir / "results.db";
  for (const std::string years : {"2024:2026", "2024,2026"}) {
    const auto rep = mini(years);
    ASSERT_EQ(rep.termination, lp::Termination::Optimal);
    auto id = store_pathway(db, rep);
    ASSERT_TRUE(id.ok()) << id.error().format();
    auto store = ResultsStore::open(db, false);
    ASSERT_TRUE(store.ok()) << store.error().format();
    EXPECT_EQ(store->schema_version(), 4);

    auto run = store->find_run(std::to_string(*id));
    ASSERT_TRUE(run.ok()) << run.error().format();
    std::vector<int> want_years;
    for (const auto& y : rep.years) want_years.push_back(y.year);
    EXPECT_EQ(run->years, want_years);
    EXPECT_TRUE(run->pathway());
    EXPECT_EQ(run->year, 2024);
    EXPECT_EQ(run->objective_usd, rep.total_cost_usd);
    EXPECT_EQ(run->dataset, "pathway-mini");

    // Every demand price of every year comes back in its path, exactly (a double round-trips),
    // and a market price path where no demand row is.
    std::size_t checked = 0;
    for (const auto& y : rep.years) {
      for (const auto& p : y.result.demand_prices) {
        auto path = store->price_path(std::to_string(*id), p.region_or_country, p.product);
        ASSERT_TRUE(path.ok()) << path.error().format();
        EXPECT_FALSE(path->market);
        EXPECT_EQ(path->unit, p.unit);
        EXPECT_EQ(path->usd_per_unit.size(), rep.years.size());
        ASSERT_TRUE(path->usd_per_unit.count(y.year)) << y.year;
        EXPECT_EQ(path->usd_per_unit.at(y.year), p.usd_per_unit) << p.product << " " << p.region_or_country << " " << y.year;
        ++checked;
      }
      for (const auto& p : y.result.market_prices) {
        bool has_demand = false;
        for (const auto& q : y.result.demand_prices)
          has_demand = has_demand || (q.region_or_country == p.region_or_country && q.product == p.product);
        if (has_demand) continue;
        auto path = store->price_path(std::to_string(*id), p.region_or_country, p.product);
        ASSERT_TRUE(path.ok()) << path.error().format();
        EXPECT_TRUE(path->market);
        ASSERT_TRUE(path->usd_per_unit.count(y.year));
        EXPECT_EQ(path->usd_per_unit.at(y.year), p.usd_per_unit);
        ++checked;
      }
    }
    EXPECT_GT(checked, 2 * rep.years.size());

    // The price in force between two run years is that of the earlier one; none outside.
    const auto& p0 = rep.years.front().result.demand_prices.front();
    auto path = store->price_path("baseline", p0.region_or_country, p0.product);  // the latest run of the scenario
    ASSERT_TRUE(path.ok()) << path.error().format();
    EXPECT_EQ(path->run_id, *id);
    EXPECT_EQ(path->at(2024), path->usd_per_unit.at(2024));
    EXPECT_EQ(path->at(2025), path->usd_per_unit.at(years == "2024,2026" ? 2024 : 2025));
    EXPECT_EQ(path->at(2026), path->usd_per_unit.at(2026));
    EXPECT_FALSE(path->at(2023).has_value());
    EXPECT_FALSE(path->at(2027).has_value());

    // Flows, facilities and unmet demand per year; the pathway tables.
    for (const auto& y : rep.years) {
      const std::string where = fmt::format("WHERE run_id = {} AND year = {}", *id, y.year);
      EXPECT_EQ(count(db, "SELECT count(*) FROM flows " + where), static_cast<std::int64_t>(y.result.flows.size()));
      EXPECT_EQ(count(db, "SELECT count(*) FROM facilities " + where), static_cast<std::int64_t>(y.result.facilities.size()));
      EXPECT_EQ(count(db, "SELECT count(*) FROM unmet " + where), static_cast<std::int64_t>(y.result.unmet.size()));
      EXPECT_EQ(count(db, "SELECT count(*) FROM stage_years " + where), static_cast<std::int64_t>(y.stages.size()));
      EXPECT_EQ(count(db, "SELECT count(*) FROM run_years " + where), 1);
      EXPECT_GT(count(db, "SELECT count(*) FROM stage_shares " + where + " AND dimension = 'location'"), 0);
    }
    EXPECT_EQ(count(db, fmt::format("SELECT count(*) FROM builds WHERE run_id = {}", *id)),
              static_cast<std::int64_t>(rep.builds.size()));
    EXPECT_FALSE(rep.builds.empty()) << "the mini pathway builds (the test would not check builds otherwise)";
    // Every build carries its owner nationalities after look-through too (schema version 4), as builds.csv writes them.
    for (const auto& b : rep.builds)
      EXPECT_EQ(count(db, fmt::format("SELECT count(*) FROM builds WHERE run_id = {} AND asset = '{}' AND year = {} AND "
                                      "owners_lookthrough = '{}'",
                                      *id, b.asset, b.year, build_owners_text(b, true))),
                1)
          << b.asset;
    std::int64_t tranches = 0;
    for (const auto& d : rep.depletion) tranches += static_cast<std::int64_t>(d.quantity.size());
    EXPECT_EQ(count(db, fmt::format("SELECT count(*) FROM depletion WHERE run_id = {}", *id)), tranches);
    // The per-year totals add up to the run's discounted total cost.
    double total = 0.0;
    for (const auto& y : rep.years)
      total += y.cost_weight * (y.result.objective_usd + y.build_charge_usd + y.depletion_usd);
    EXPECT_NEAR(total, rep.total_cost_usd, 1e-9 * rep.total_cost_usd);
    const std::int64_t stored_total = count(
        db, fmt::format("SELECT CAST(round(sum(cost_weight * (operating_usd + build_charges_usd + depletion_usd))) AS "
                        "INTEGER) FROM run_years WHERE run_id = {}",
                        *id));
    EXPECT_EQ(stored_total, static_cast<std::int64_t>(std::llround(rep.total_cost_usd)));
  }
}

TEST_F(PathwayStore, ErrorsNameTheKey) {
  const fs::path db = m_dir / "results.db";
  auto single = engine::run(std::nullopt, [] {
    engine::RunOptions o;
    o.dataset = kMini.string();
    return o;
  }());
  ASSERT_TRUE(single.ok()) << single.error().format();
  ASSERT_TRUE(append_run(db, *single).ok());          // run 1: single year
  ASSERT_TRUE(store_pathway(db, mini("2024:2025")).ok());  // run 2: a pathway
  auto store = ResultsStore::open(db, false);
  ASSERT_TRUE(store.ok());

  auto not_a_path = store->price_path("1", "CN", "li2co3");
  ASSERT_FALSE(not_a_path.ok());
  EXPECT_EQ(not_a_path.error().context.key, "run");
  EXPECT_EQ(not_a_path.error().context.file, db.string());
  EXPECT_NE(not_a_path.error().message.find("single-year run"), std::string::npos) << not_a_path.error().message;

  auto not_one_price = store->price("2", "CN", "li2co3");
  ASSERT_FALSE(not_one_price.ok());
  EXPECT_EQ(not_one_price.error().context.key, "run");
  EXPECT_NE(not_one_price.error().message.find("pathway run over 2024-2025"), std::string::npos)
      << not_one_price.error().message;

  for (const char* bad_run : {"7", "no-such-scenario"}) {
    auto no_run = store->price_path(bad_run, "CN", "li2co3");
    ASSERT_FALSE(no_run.ok());
    EXPECT_EQ(no_run.error().context.key, "run");
    EXPECT_EQ(no_run.error().category, ErrorCategory::Reference);
  }
  auto no_product = store->price_path("2", "CN", "unobtainium");
  ASSERT_FALSE(no_product.ok());
  EXPECT_EQ(no_product.error().context.key, "product");
  auto no_region = store->price_path("2", "XX", "li2co3");
  ASSERT_FALSE(no_region.ok());
  EXPECT_EQ(no_region.error().context.key, "region");
  // The single-year run still gives its one price.
  auto one = store->price("1", "CN", "li2co3");
  ASSERT_TRUE(one.ok()) << one.error().format();
  double want = -1;
  for (const auto& p : single->result.demand_prices)
    if (p.region_or_country == "CN" && p.product == "li2co3") want = p.usd_per_unit;
  EXPECT_EQ(one->usd_per_unit, want);
}

// A store written by the previous schema (version 2: no runs.years, no year columns, no pathway
// tables) is read as it is and upgraded inside the next run's transaction; its runs keep their
// prices.
TEST_F(PathwayStore, AVersionTwoStoreIsReadAndUpgraded) {
  const fs::path db = m_dir / "v2.db";
  engine::RunOptions o;
  o.dataset = kMini.string();
  auto single = engine::run(std::nullopt, o);
  ASSERT_TRUE(single.ok()) << single.error().format();
  ASSERT_TRUE(append_run(db, *single).ok());
  // Back to version 2 (SQLite >= 3.35 drops columns).
  std::string sql = "ALTER TABLE runs DROP COLUMN years;";
  for (const char* t : {"stage_shares", "stage_location_owner", "facility_details", "prices", "market_prices", "flows",
                        "facilities", "unmet"})
    sql += fmt::format("ALTER TABLE {} DROP COLUMN year;", t);
  for (const char* t : {"run_years", "stage_years", "builds", "retirements", "depletion", "end_of_life_feed"})
    sql += fmt::format("DROP TABLE {};", t);
  sql += "PRAGMA user_version = 2;";
  exec(db, sql);
  const auto& p0 = single->result.demand_prices.front();
  {
    auto store = ResultsStore::open(db, false);
    ASSERT_TRUE(store.ok());
    EXPECT_EQ(store->schema_version(), 2);
    auto p = store->price("1", p0.region_or_country, p0.product);
    ASSERT_TRUE(p.ok()) << p.error().format();
    EXPECT_EQ(p->usd_per_unit, p0.usd_per_unit);
    auto path = store->price_path("1", p0.region_or_country, p0.product);
    ASSERT_FALSE(path.ok());
    EXPECT_EQ(path.error().context.key, "run");
  }
  EXPECT_EQ(count(db, "PRAGMA user_version"), 2) << "reading must not change the store";
  auto r = test::run_cli(fmt::format("run --quiet --dataset '{}' --years 2024:2025 --out '{}' --db '{}'", kMini.string(),
                                     (m_dir / "o").string(), db.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count(db, "PRAGMA user_version"), 4);
  auto store = ResultsStore::open(db, false);
  ASSERT_TRUE(store.ok());
  auto old = store->price("1", p0.region_or_country, p0.product);
  ASSERT_TRUE(old.ok()) << old.error().format();
  EXPECT_EQ(old->usd_per_unit, p0.usd_per_unit);
  auto path = store->price_path("2", p0.region_or_country, p0.product);
  ASSERT_TRUE(path.ok()) << path.error().format();
  EXPECT_EQ(path->usd_per_unit.size(), 2u);
}

// A version-3 store (builds without owners_lookthrough) is upgraded by the next run: the older
// run's builds read NULL there, the new run's builds carry their look-through owners.
TEST_F(PathwayStore, AVersionThreeStoreGainsLookThroughOwnersOfBuilds) {
  const fs::path db = m_dir / "v3.db";
  const auto rep = mini("2024:2026");
  ASSERT_FALSE(rep.builds.empty());
  ASSERT_TRUE(store_pathway(db, rep).ok());
  exec(db, "ALTER TABLE builds DROP COLUMN owners_lookthrough; PRAGMA user_version = 3;");
  ASSERT_EQ(count(db, "PRAGMA user_version"), 3);
  auto id = store_pathway(db, rep);
  ASSERT_TRUE(id.ok()) << id.error().format();
  EXPECT_EQ(count(db, "PRAGMA user_version"), 4);
  const auto n = static_cast<std::int64_t>(rep.builds.size());
  EXPECT_EQ(count(db, "SELECT count(*) FROM builds WHERE run_id = 1 AND owners_lookthrough IS NULL"), n);
  EXPECT_EQ(count(db, fmt::format("SELECT count(*) FROM builds WHERE run_id = {} AND owners_lookthrough IS NOT NULL", *id)),
            n);
}

TEST_F(PathwayStore, CliStoresAPathwayRunAndListsItsYears) {
  using test::run_cli;
  const fs::path db = m_dir / "r.db";
  auto r = run_cli(fmt::format("run --dataset '{}' --years 2024:2026 --out '{}' --db '{}'", kMini.string(),
                               (m_dir / "o").string(), db.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("stored run 1 in"), std::string::npos) << r.out;
  EXPECT_NE(read_marker(m_dir / "o").value_or("").find("state = stored"), std::string::npos);
  auto l = run_cli(fmt::format("runs list --db '{}'", db.string()));
  ASSERT_EQ(l.exit_code, 0) << l.err;
  EXPECT_NE(l.out.find("2024-2026/3"), std::string::npos) << l.out;
  auto s = run_cli(fmt::format("runs show 1 --db '{}'", db.string()));
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find("years           2024,2025,2026 (3 years: a pathway run, foresight"), std::string::npos) << s.out;
  // cadena compare takes single-year runs: a stored pathway run is refused by name.
  auto c = run_cli(fmt::format("compare 1 1 --db '{}'", db.string()));
  EXPECT_EQ(c.exit_code, 2) << c.out << c.err;
  EXPECT_NE(c.err.find("pathway run"), std::string::npos) << c.err;
}

}  // namespace
}  // namespace cadena::report
