// The run history: every stored run keeps its scenario file (path, SHA-256, text), dataset
// version, solver, cadena version and timings; a store written before the history existed is
// read as it is and upgraded by the next write; `cadena runs list | show | diff` read it back;
// progress never reaches a pipe.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <fmt/core.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "../../integration/cli_run.hpp"
#include "sqlite_probe.hpp"
#include "cadena/core/version.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/report/results_store.hpp"
#include "cadena/report/run_diff.hpp"

namespace cadena::report {
namespace {

namespace fs = std::filesystem;
using test_sql::count;
using test_sql::exec;
using test::run_cli;

class History : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_dir = fs::temp_directory_path() / fmt::format("cadena-history-{}-{}", ::getpid(), info->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path m_dir;
};

TEST(Sha256, MatchesTheKnownDigest) {
  // FIPS 180-2 test vector; sha256sum prints the same for a file holding "abc".
  EXPECT_EQ(engine::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_F(History, AStoredRunKeepsItsScenarioVersionsAndTimings) {
  const fs::path scenario = fs::path(CADENA_SOURCE_DIR) / "scenarios" / "ar-export-duty-10.toml";
  auto rep = engine::run(scenario);
  ASSERT_TRUE(rep.ok()) << rep.error().format();
  const fs::path db = m_dir / "runs.db";
  auto id = append_run(db, *rep);
  ASSERT_TRUE(id.ok()) << id.error().format();

  auto store = ResultsStore::open(db, false);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->schema_version(), 4);
  auto rec = store->record(std::to_string(*id));
  ASSERT_TRUE(rec.ok()) << rec.error().format();
  const std::string text = test::read_file(scenario);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(rec->scenario_text, text);
  EXPECT_EQ(rec->run.scenario_sha256, engine::sha256_hex(text));
  EXPECT_EQ(rec->run.scenario_file, scenario.string());
  EXPECT_EQ(rec->run.cadena_version, version());
  EXPECT_EQ(rec->run.solver, "clp");
  EXPECT_EQ(rec->run.dataset_version.rfind("lithium-2024 sha256:", 0), 0u) << rec->run.dataset_version;
  EXPECT_EQ(rec->run.dataset_version.size(), std::string("lithium-2024 sha256:").size() + 64);
  EXPECT_GT(rec->run.solve_s, 0.0);
  EXPECT_GT(rec->run.load_s, 0.0);
  EXPECT_EQ(rec->summary_json, summary_json(*rep));
}

TEST(DatasetVersion, ChangesWithAnyFileOfTheFolder) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("cadena-dsv-{}", ::getpid());
  fs::remove_all(dir);
  fs::copy(fs::path(CADENA_FIXTURES_DIR) / "chain" / "two-mines", dir, fs::copy_options::recursive);
  const std::string a = engine::dataset_version("two-mines", dir);
  EXPECT_EQ(a, engine::dataset_version("two-mines", dir));
  std::ofstream(dir / "facilities.csv", std::ios::app) << "# a comment changes the version\n";
  EXPECT_NE(a, engine::dataset_version("two-mines", dir));
  fs::remove_all(dir);
}

// The schema of the first stores (before the run history): `runs` without history columns and
// user_version 0.
constexpr const char* kOldSchema = R"sql(
CREATE TABLE runs(
  id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, dataset TEXT NOT NULL, year INTEGER NOT NULL,
  solver TEXT NOT NULL, status TEXT NOT NULL, objective_usd REAL, created_at TEXT NOT NULL,
  summary_json TEXT NOT NULL);
INSERT INTO runs(scenario, dataset, year, solver, status, objective_usd, created_at, summary_json)
  VALUES('old', 'lithium-2024', 2024, 'glpk', 'optimal', 123.0, '2025-01-01T00:00:00Z', '{"objective_usd": 123.0}');
)sql";

TEST_F(History, AnOlderStoreIsReadAsItIsAndUpgradedByTheNextRun) {
  const fs::path db = m_dir / "old.db";
  exec(db, kOldSchema);
  {
    auto store = ResultsStore::open(db, false);
    ASSERT_TRUE(store.ok()) << store.error().format();
    EXPECT_EQ(store->schema_version(), 0);
    auto runs = store->runs();
    ASSERT_TRUE(runs.ok()) << runs.error().format();
    ASSERT_EQ(runs->size(), 1u);
    EXPECT_EQ((*runs)[0].scenario, "old");
    EXPECT_EQ((*runs)[0].cadena_version, "");
  }
  auto l = run_cli("runs list --db " + db.string());
  EXPECT_EQ(l.exit_code, 0) << l.err;
  EXPECT_NE(l.out.find("old"), std::string::npos) << l.out;
  EXPECT_NE(l.out.find("older cadena"), std::string::npos) << l.out;
  EXPECT_EQ(count(db, "PRAGMA user_version"), 0) << "reading must not change the store";

  auto r = run_cli("run --quiet --out " + (m_dir / "out").string() + " --db " + db.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(count(db, "PRAGMA user_version"), 4);
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 2);
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs WHERE cadena_version IS NOT NULL AND solve_s > 0"), 1);
  auto store = ResultsStore::open(db, false);
  ASSERT_TRUE(store.ok());
  auto old = store->record("old");
  ASSERT_TRUE(old.ok());
  EXPECT_EQ(old->run.solver, "glpk");
  EXPECT_EQ(old->run.objective_usd, 123.0);
}

TEST_F(History, RunsListShowDiffThroughTheCli) {
  const fs::path db = m_dir / "runs.db";
  const std::string scenario = (fs::path(CADENA_SOURCE_DIR) / "scenarios" / "carbon-price-100.toml").string();
  auto a = run_cli("run --quiet --out " + (m_dir / "a").string() + " --db " + db.string());
  ASSERT_EQ(a.exit_code, 0) << a.err;
  auto b = run_cli("run " + scenario + " --quiet --out " + (m_dir / "b").string(), "CADENA_DB=" + db.string());
  ASSERT_EQ(b.exit_code, 0) << b.err;

  auto l = run_cli("runs list --db " + db.string());
  ASSERT_EQ(l.exit_code, 0) << l.err;
  EXPECT_NE(l.out.find("baseline"), std::string::npos) << l.out;
  EXPECT_NE(l.out.find("carbon-price-100"), std::string::npos) << l.out;
  EXPECT_NE(l.out.find(version()), std::string::npos) << l.out;

  auto s = run_cli("runs show 2 --db " + db.string());
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find(engine::sha256_hex(test::read_file(scenario))), std::string::npos) << s.out;
  EXPECT_NE(s.out.find("dataset version lithium-2024 sha256:"), std::string::npos) << s.out;
  auto text = run_cli("runs show carbon-price-100 --scenario --db " + db.string());
  EXPECT_EQ(text.out, test::read_file(scenario));
  auto none = run_cli("runs show 1 --scenario --db " + db.string());
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no scenario file"), std::string::npos) << none.err;

  auto d = run_cli("runs diff 1 2 --all --db " + db.string());
  ASSERT_EQ(d.exit_code, 0) << d.err;
  EXPECT_NE(d.out.find("scenario file   differs"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("dataset version same"), std::string::npos) << d.out;
  EXPECT_NE(d.out.find("cost_usd.carbon"), std::string::npos) << d.out;  // 0 in the baseline, > 0 at 100 USD/t
  auto same = run_cli("runs diff 1 1 --db " + db.string());
  EXPECT_NE(same.out.find("no number differs"), std::string::npos) << same.out;

  auto missing = run_cli("runs show 9 --db " + db.string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("no run '9'"), std::string::npos) << missing.err;
  auto nodb = run_cli("runs list");
  EXPECT_EQ(nodb.exit_code, 2);
  EXPECT_NE(nodb.err.find("--db"), std::string::npos) << nodb.err;
}

TEST(DiffSummaries, KeysNumbersByPathAndNamesArrayElements) {
  const std::string a = R"({"objective_usd": 10, "timings": {"solve_s": 1},
    "stages": {"mining": {"output": 5, "by_country": {"AR": {"share": 1.0}}}},
    "unmet_demand": [{"region": "EU", "product": "x", "quantity": 2}]})";
  const std::string b = R"({"objective_usd": 12, "timings": {"solve_s": 9},
    "stages": {"mining": {"output": 5, "by_country": {"CL": {"share": 1.0}}}},
    "unmet_demand": []})";
  auto d = diff_summaries(a, b);
  ASSERT_TRUE(d.ok());
  std::vector<std::string> paths;
  for (const auto& c : *d) paths.push_back(c.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"objective_usd", "stages.mining.by_country.AR.share",
                                             "unmet_demand.EU.x.quantity", "stages.mining.by_country.CL.share"}));
  EXPECT_FALSE((*d)[1].in_b);
  EXPECT_FALSE((*d)[3].in_a);
  EXPECT_FALSE(diff_summaries("not json", b).ok());
}

TEST(Progress, NeverReachesAPipe) {
  // stderr is a pipe here: no progress line, with or without --quiet.
  auto r = run_cli("run --out " + (fs::temp_directory_path() / fmt::format("cadena-progress-{}", ::getpid())).string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  auto q = run_cli("--quiet --version");
  EXPECT_EQ(q.exit_code, 0);
  fs::remove_all(fs::temp_directory_path() / fmt::format("cadena-progress-{}", ::getpid()));
}

// On a terminal (script(1) gives the command one) the phases show, and --quiet hides them.
std::string on_a_terminal(const std::string& args) {
  const fs::path log = fs::temp_directory_path() / fmt::format("cadena-tty-{}.txt", ::getpid());
  const std::string cmd = fmt::format("script -qec '{} {} >/dev/null' /dev/null > {} 2>&1", CADENA_CLI_PATH, args, log.string());
  if (std::system(cmd.c_str()) != 0) return "(failed: " + cmd + ")";
  std::string out = test::read_file(log);
  fs::remove(log);
  return out;
}

TEST(Progress, ShowsOnATerminalUnlessQuiet) {
  if (std::system("command -v script >/dev/null 2>&1") != 0) GTEST_SKIP() << "script(1) not installed";
  const std::string out = (fs::temp_directory_path() / fmt::format("cadena-tty-out-{}", ::getpid())).string();
  const std::string shown = on_a_terminal("run --out " + out);
  for (const char* phase : {"cadena: load", "cadena: build", "cadena: solve", "cadena: write"})
    EXPECT_NE(shown.find(phase), std::string::npos) << phase << " in: " << shown;
  EXPECT_NE(shown.find("\r\033[K"), std::string::npos) << "the line is cleared before the summary";
  EXPECT_EQ(on_a_terminal("run --quiet --out " + out), "");
  const std::string mc = on_a_terminal("project evaluate " + std::string(CADENA_SOURCE_DIR) +
                                       "/examples/projects/cauchari_olaroz_2017.toml --paths 3000");
  EXPECT_NE(mc.find("Monte Carlo paths 3000/3000 (100 %)"), std::string::npos) << mc;
  fs::remove_all(out);
}

}  // namespace
}  // namespace cadena::report
