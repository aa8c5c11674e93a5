// Killed runs and concurrent writers (docs/reliability.md), each a reproducer of issue 13: a run
// killed between publication and commit, or between the two renames of a publication; twenty
// runs appending to one store; a damaged store; a store created by another run meanwhile.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "../../integration/cli_run.hpp"
#include "cadena/core/publish.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/report/results_store.hpp"

namespace cadena::report {
namespace {

namespace fs = std::filesystem;
using test::run_cli;

std::int64_t count(const fs::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(h, sql.c_str(), -1, &s, nullptr);
  std::int64_t n = -1;
  if (s && sqlite3_step(s) == SQLITE_ROW) n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_close(h);
  return n;
}

// A process id that is certainly not running: a child that has exited and been reaped.
long dead_pid() {
  const pid_t p = ::fork();
  if (p == 0) ::_exit(0);
  int status = 0;
  ::waitpid(p, &status, 0);
  return static_cast<long>(p);
}

class Killed : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / fmt::format("cadena-killed-{}-{}", ::getpid(),
                                                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    m_scenario = (m_dir / "s.toml").string();
    std::ofstream(m_scenario) << "name = \"s\"\ndataset = \"" CADENA_FIXTURES_DIR "/datasets/tiny\"\n";
  }
  void TearDown() override { fs::remove_all(m_dir); }
  test::CliRun run(const fs::path& out, const fs::path& db, const std::string& crash_at = "") {
    return run_cli(fmt::format("run '{}' --out '{}' --db '{}'", m_scenario, out.string(), db.string()),
                   crash_at.empty() ? "" : "CADENA_CRASH_AT=" + crash_at);
  }
  fs::path m_dir;
  std::string m_scenario;
};

TEST_F(Killed, BetweenPublicationAndCommitTheNextRunSaysSo) {
  const fs::path out = m_dir / "out", db = m_dir / "r.db";
  ASSERT_EQ(run(out, db).exit_code, 0);
  auto killed = run(out, db, "run-published");
  EXPECT_NE(killed.exit_code, 0);
  // The folder holds the killed run's results and its marker says they are not stored.
  EXPECT_NE(read_marker(out).value_or("").find("state = pending"), std::string::npos);
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 1);
  auto next = run(out, db);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_NE(next.err.find("killed before the results store"), std::string::npos) << next.err;
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 2);
  EXPECT_NE(read_marker(out).value_or("").find("state = stored"), std::string::npos);
}

TEST_F(Killed, AfterTheCommitTheFolderAndTheStoreAgree) {
  const fs::path out = m_dir / "out", db = m_dir / "r.db";
  ASSERT_NE(run(out, db, "run-committed").exit_code, 0);
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 1);
  // The marker still says pending, but the store has the run: nothing to report.
  auto next = run(out, db);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_EQ(next.err.find("killed"), std::string::npos) << next.err;
}

TEST_F(Killed, BeforePublicationNothingChanges) {
  const fs::path out = m_dir / "out", db = m_dir / "r.db";
  ASSERT_NE(run(out, db, "run-staged").exit_code, 0);
  EXPECT_FALSE(fs::exists(out));
  EXPECT_FALSE(fs::exists(db)) << "a store created by the killed run's open transaction only";
  auto next = run(out, db);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_NE(next.err.find("removed"), std::string::npos) << "the killed run's private store file: " << next.err;
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 1);
}

TEST_F(Killed, BetweenTheTwoRenamesTheNextRunRestoresTheFolder) {
  const fs::path out = m_dir / "out", db = m_dir / "r.db";
  ASSERT_EQ(run(out, db).exit_code, 0);
  const std::string before = test::read_file(out / "summary.json");
  // Without an atomic exchange the old folder is moved aside first; the kill comes right then.
  auto killed = run_cli(fmt::format("run '{}' --out '{}'", m_scenario, out.string()),
                        "CADENA_PUBLISH_NO_EXCHANGE=1 CADENA_CRASH_AT=publish-old-moved");
  EXPECT_NE(killed.exit_code, 0);
  EXPECT_FALSE(fs::exists(out));
  int leftovers = 0;
  for (const auto& e : fs::directory_iterator(m_dir)) leftovers += e.path().filename().string().rfind(".out.", 0) == 0;
  EXPECT_EQ(leftovers, 2) << ".out.old-PID (previous results) and .out.tmp-PID (new ones)";
  auto next = run_cli(fmt::format("run '{}' --out '{}'", m_scenario, out.string()), "CADENA_PUBLISH_NO_EXCHANGE=1");
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_NE(next.err.find("restored"), std::string::npos) << next.err;
  EXPECT_TRUE(fs::exists(out / "summary.json"));
  for (const auto& e : fs::directory_iterator(m_dir))
    EXPECT_NE(e.path().filename().string().rfind(".out.", 0), 0u) << "leftover " << e.path();
}

TEST(Publication, LeftoversOfDeadRunsAreRecoveredAndReported) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("cadena-pub-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const long pid = dead_pid();
  // The previous results sit in .res.old-PID with no res beside them: they come back.
  fs::create_directories(dir / fmt::format(".res.old-{}", pid));
  std::ofstream(dir / fmt::format(".res.old-{}", pid) / kOutputMarker) << "old\n";
  std::ofstream(dir / fmt::format(".res.old-{}", pid) / "a.csv") << "previous";
  fs::create_directories(dir / fmt::format(".res.tmp-{}", pid));
  auto p = publish_folder(dir / "res", {{"a.csv", "new"}});
  ASSERT_TRUE(p.ok()) << p.error().format();
  ASSERT_EQ(p->notes.size(), 2u);
  EXPECT_NE(p->notes[0].find("restored"), std::string::npos) << p->notes[0];
  EXPECT_NE(p->notes[1].find("removed"), std::string::npos) << p->notes[1];
  EXPECT_EQ(test::read_file(dir / "res" / "a.csv"), "new");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1);
  // A leftover of a live process (this one's parent, say) is left alone.
  fs::create_directories(dir / fmt::format(".res.tmp-{}", static_cast<long>(::getppid())));
  auto q = publish_folder(dir / "res", {{"a.csv", "newer"}});
  ASSERT_TRUE(q.ok());
  EXPECT_TRUE(q->notes.empty());
  EXPECT_TRUE(fs::exists(dir / fmt::format(".res.tmp-{}", static_cast<long>(::getppid()))));
  fs::remove_all(dir);
}

TEST(Publication, AMarkerIsRewrittenOnlyInTheFolderOfItsOwnRun) {
  // Two runs of one scenario publish ./out/<name>; the first one's store commits after the
  // second has swapped its results in. The first run's "stored" marker must not land in the
  // second run's folder (it named the wrong run, and failed when the swapped-out folder was
  // being deleted: Writers.TwentyConcurrentRunsLoseNothing failed now and then).
  const fs::path dir = fs::temp_directory_path() / fmt::format("cadena-marker-{}", ::getpid());
  fs::remove_all(dir);
  ASSERT_TRUE(publish_folder(dir / "o", {{"a.csv", "first"}}, "run_token = A\nstate = pending\n").ok());
  ASSERT_TRUE(publish_folder(dir / "o", {{"a.csv", "second"}}, "run_token = B\nstate = pending\n").ok());
  auto first = rewrite_marker(dir / "o", "run = 1\nrun_token = A\nstate = stored\n", "run_token = A\n");
  ASSERT_TRUE(first.ok()) << first.error().format();
  EXPECT_FALSE(*first);
  EXPECT_NE(read_marker(dir / "o").value_or("").find("run_token = B\nstate = pending"), std::string::npos);
  auto second = rewrite_marker(dir / "o", "run = 2\nrun_token = B\nstate = stored\n", "run_token = B\n");
  ASSERT_TRUE(second.ok()) << second.error().format();
  EXPECT_TRUE(*second);
  EXPECT_NE(read_marker(dir / "o").value_or("").find("run = 2\nrun_token = B\nstate = stored"), std::string::npos);
  // A folder that is gone is not an error either: its run's results went with it.
  auto gone = rewrite_marker(dir / "nothing-here", "x\n", "run_token = C\n");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(*gone);
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir / "o")) ++entries;
  EXPECT_EQ(entries, 2) << "a.csv and the marker, no temporary file left";
  fs::remove_all(dir);
}

TEST(Publication, FolderNamesThatLeaveTheirParentAreRefused) {
  for (const char* bad : {"", ".", "..", "../x", "/abs", "a/b", "a\\b", ".hidden", "tab\there", "\xff"})
    EXPECT_FALSE(check_folder_name(bad).ok()) << bad;
  for (const char* good : {"baseline", "ar-export-duty-10", "demand +60 %", "Jujuy ñandú"})
    EXPECT_TRUE(check_folder_name(good).ok()) << good;
  EXPECT_FALSE(check_folder_name(std::string(101, 'a')).ok());
}

class Writers : public Killed {};

TEST_F(Writers, TwentyConcurrentRunsLoseNothing) {
  for (const bool fresh : {true, false}) {
    const fs::path db = m_dir / "shared.db";
    if (fresh) fs::remove(db);
    const std::int64_t before = fresh ? 0 : count(db, "SELECT count(*) FROM runs");
    // Twenty at once; each writes its exit code and its output. Into a new store, all into one
    // output folder that does not exist yet (twenty runs of one scenario into ./out/<name>);
    // into the existing store, each into its own folder.
    std::string script;
    for (int i = 0; i < 20; ++i)
      script += fmt::format("('{}' run '{}' --out '{}/o{}' --db '{}' >'{}/log{}' 2>&1; echo $? >'{}/rc{}') & ",
                            CADENA_CLI_PATH, m_scenario, m_dir.string(), fresh ? 0 : i + 1, db.string(), m_dir.string(),
                            i, m_dir.string(), i);
    script += "wait\n";
    std::ofstream(m_dir / "writers.sh") << script;
    ASSERT_EQ(std::system(fmt::format("bash '{}'", (m_dir / "writers.sh").string()).c_str()), 0);
    std::set<std::string> ids;
    for (int i = 0; i < 20; ++i) {
      const std::string log = test::read_file(m_dir / fmt::format("log{}", i));
      EXPECT_EQ(test::read_file(m_dir / fmt::format("rc{}", i)), "0\n") << log;
      const auto at = log.find("stored run ");
      ASSERT_NE(at, std::string::npos) << log;
      ids.insert(log.substr(at + 11, log.find(' ', at + 11) - at - 11));
    }
    EXPECT_EQ(ids.size(), 20u) << "twenty distinct run ids";
    EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), before + 20) << (fresh ? "new store" : "existing store");
    EXPECT_EQ(count(db, "SELECT count(DISTINCT run_id) FROM flows"), before + 20);
    if (fresh) {
      // The shared folder holds one whole run, stored.
      EXPECT_TRUE(fs::exists(m_dir / "o0" / "summary.json"));
      EXPECT_NE(read_marker(m_dir / "o0").value_or("").find("state = stored"), std::string::npos);
      for (const auto& e : fs::directory_iterator(m_dir))
        EXPECT_NE(e.path().filename().string().rfind(".o0.", 0), 0u) << "leftover " << e.path();
    }
  }
}

TEST_F(Writers, ADamagedStoreIsRefusedAndLeftAsItWas) {
  const fs::path db = m_dir / "r.db";
  ASSERT_EQ(run(m_dir / "o1", db).exit_code, 0);
  // Garble the middle of the file (a b-tree page), not its header.
  const auto size = fs::file_size(db);
  ASSERT_GT(size, 16384u);
  {
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(size / 2));
    const std::string junk(4096, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  const std::string damaged = test::read_file(db);
  auto r = run(m_dir / "o2", db);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("integrity"), std::string::npos) << r.err;
  EXPECT_EQ(test::read_file(db), damaged);
  EXPECT_FALSE(fs::exists(m_dir / "o2"));
}

TEST_F(Writers, AStoreCreatedMeanwhileIsJoinedNeverReplacedOrDeleted) {
  auto rep = engine::run(fs::path(m_scenario));
  ASSERT_TRUE(rep.ok()) << rep.error().format();
  const fs::path db = m_dir / "new.db";
  {
    // This run finds no store and starts one; another run creates and fills it meanwhile.
    auto mine = ResultsStore::open(db, true);
    ASSERT_TRUE(mine.ok());
    ASSERT_TRUE(mine->stage_run(*rep).ok());
    ASSERT_TRUE(append_run(db, *rep).ok());
    auto id = mine->commit();
    ASSERT_TRUE(id.ok()) << id.error().format();
    EXPECT_EQ(*id, 2) << "went into the other run's store";
  }
  EXPECT_EQ(count(db, "SELECT count(*) FROM runs"), 2);
  {
    // A run that fails after the other one created the store leaves that store alone.
    auto mine = ResultsStore::open(m_dir / "other.db", true);
    ASSERT_TRUE(mine.ok());
    ASSERT_TRUE(mine->stage_run(*rep).ok());
    ASSERT_TRUE(append_run(m_dir / "other.db", *rep).ok());
  }  // destroyed without commit
  EXPECT_EQ(count(m_dir / "other.db", "SELECT count(*) FROM runs"), 1);
}

}  // namespace
}  // namespace cadena::report
