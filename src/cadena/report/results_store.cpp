#include "cadena/report/results_store.hpp"

#include "cadena/core/clock.hpp"
#include "cadena/core/publish.hpp"

#include <fmt/core.h>
#include <sqlite3.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstring>
#include <chrono>
#include <ctime>
#include <system_error>
#include <utility>

namespace cadena::report {

namespace fs = std::filesystem;

namespace {

// Tables are created on the first write; IF NOT EXISTS lets every later run reuse them.
// Column names follow flows.csv and facilities.csv so a query reads like the files.
// Schema versions (PRAGMA user_version): 0 = the first stores (runs without history columns),
// 2 = runs record the scenario file (path, SHA-256, text), dataset version, cadena version and
// timings. migrate() brings a version-0 store to 2 when a run is written to it; readers accept
// both (a missing column reads as empty).
constexpr int kSchemaVersion = 2;
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, dataset TEXT NOT NULL, year INTEGER NOT NULL,
  solver TEXT NOT NULL, status TEXT NOT NULL, objective_usd REAL, created_at TEXT NOT NULL,
  summary_json TEXT NOT NULL, scenario_file TEXT, scenario_sha256 TEXT, scenario_text TEXT,
  dataset_version TEXT, cadena_version TEXT, load_s REAL, build_s REAL, solve_s REAL, report_s REAL);
CREATE TABLE IF NOT EXISTS stage_shares(
  run_id INTEGER NOT NULL REFERENCES runs(id), stage TEXT NOT NULL, dimension TEXT NOT NULL,
  country TEXT NOT NULL, quantity REAL NOT NULL, share REAL NOT NULL);
CREATE TABLE IF NOT EXISTS prices(
  run_id INTEGER NOT NULL REFERENCES runs(id), region TEXT NOT NULL, product TEXT NOT NULL,
  unit TEXT NOT NULL, usd_per_unit REAL NOT NULL);
CREATE TABLE IF NOT EXISTS market_prices(
  run_id INTEGER NOT NULL REFERENCES runs(id), product TEXT NOT NULL, country TEXT NOT NULL,
  usd_per_unit REAL NOT NULL);
CREATE TABLE IF NOT EXISTS flows(
  run_id INTEGER NOT NULL REFERENCES runs(id), family TEXT NOT NULL, element TEXT NOT NULL,
  from_country TEXT NOT NULL, to_country TEXT NOT NULL, product TEXT NOT NULL, quantity REAL NOT NULL,
  unit TEXT NOT NULL, unit_cost_usd REAL NOT NULL, cost_usd REAL NOT NULL);
CREATE TABLE IF NOT EXISTS facilities(
  run_id INTEGER NOT NULL REFERENCES runs(id), id TEXT NOT NULL, name TEXT NOT NULL, stage TEXT NOT NULL,
  country TEXT NOT NULL, product TEXT NOT NULL, output REAL NOT NULL, unit TEXT NOT NULL,
  capacity REAL NOT NULL, utilisation REAL NOT NULL, reduced_cost_usd_per_unit REAL NOT NULL,
  cost_usd REAL NOT NULL, co2_t REAL NOT NULL, water_m3 REAL NOT NULL, active INTEGER NOT NULL,
  source TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS facility_details(
  run_id INTEGER NOT NULL REFERENCES runs(id), id TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
  brine_m3 REAL NOT NULL,
  owners TEXT NOT NULL, owner_countries TEXT NOT NULL, ultimate_owners TEXT NOT NULL,
  ultimate_owner_countries TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS stage_location_owner(
  run_id INTEGER NOT NULL REFERENCES runs(id), stage TEXT NOT NULL, location TEXT NOT NULL,
  owner_country TEXT NOT NULL, quantity REAL NOT NULL, share REAL NOT NULL);
CREATE TABLE IF NOT EXISTS unmet(
  run_id INTEGER NOT NULL REFERENCES runs(id), region TEXT NOT NULL, product TEXT NOT NULL,
  quantity REAL NOT NULL, unit TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS run_tokens(
  run_id INTEGER PRIMARY KEY REFERENCES runs(id), token TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS run_tokens_token ON run_tokens(token);
CREATE INDEX IF NOT EXISTS prices_run ON prices(run_id, region, product);
CREATE INDEX IF NOT EXISTS market_prices_run ON market_prices(run_id, product, country);
)sql";

Error store_error(ErrorCategory c, const fs::path& p, std::string msg, std::string key = "") {
  return make_error(c, std::move(msg), ErrorContext{p.string(), 0, std::move(key), ""});
}

// A prepared statement, finalized on scope exit.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : m_db(db) {
    m_rc = sqlite3_prepare_v2(db, sql, -1, &m_s, nullptr);
  }
  ~Stmt() { sqlite3_finalize(m_s); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  bool ok() const { return m_rc == SQLITE_OK; }
  const char* message() const { return sqlite3_errmsg(m_db); }
  Stmt& bind(int i, const std::string& v) {
    sqlite3_bind_text(m_s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Stmt& bind(int i, double v) {
    sqlite3_bind_double(m_s, i, v);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(m_s, i, v);
    return *this;
  }
  Stmt& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
  Stmt& bind(int i, bool v) { return bind(i, static_cast<std::int64_t>(v ? 1 : 0)); }
  // One step; SQLITE_ROW, SQLITE_DONE or an error code.
  int step() { return sqlite3_step(m_s); }
  // Runs an insert and makes the statement ready for the next row.
  bool exec() {
    const int rc = sqlite3_step(m_s);
    sqlite3_reset(m_s);
    sqlite3_clear_bindings(m_s);
    return rc == SQLITE_DONE;
  }
  std::string text(int c) const {
    const auto* t = sqlite3_column_text(m_s, c);
    return t ? reinterpret_cast<const char*>(t) : "";
  }
  double real(int c) const { return sqlite3_column_double(m_s, c); }
  std::int64_t integer(int c) const { return sqlite3_column_int64(m_s, c); }

 private:
  sqlite3* m_db = nullptr;
  sqlite3_stmt* m_s = nullptr;
  int m_rc = SQLITE_ERROR;
};

// Writers wait this long for another writer's transaction (a run holds the lock while it
// publishes its output folder: milliseconds, but twenty of them queue).
constexpr int kBusyTimeoutMs = 60000;

// The private file a new store is built in until its first run commits: one per handle, also
// within one process.
fs::path private_path(const fs::path& path) {
  static std::atomic<unsigned> counter{0};
  return path.parent_path() /
         fmt::format(".{}.new-{}-{}", path.filename().string(), static_cast<long>(::getpid()), counter++);
}

void remove_db_files(const fs::path& p) {
  std::error_code ec;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"}) fs::remove(fs::path(p.string() + suffix), ec);
}

// Private files of runs killed while they created `path` (".<name>.new-<pid>-<n>", process gone).
void remove_dead_private_files(const fs::path& path, std::vector<std::string>& notes) {
  const std::string prefix = fmt::format(".{}.new-", path.filename().string());
  std::error_code ec;
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::vector<fs::path> dead;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    long pid = 0;
    const char* b = name.data() + prefix.size();
    const char* e = name.data() + name.size();
    auto [q, err] = std::from_chars(b, e, pid);
    if (err != std::errc() || q == e || *q != '-' || pid <= 0) continue;
    unsigned n = 0;
    auto [r, err2] = std::from_chars(q + 1, e, n);
    if (err2 != std::errc() || r != e) continue;  // "-journal" and the like go with their file
    if (pid == static_cast<long>(::getpid()) || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;
    dead.push_back(it->path());
  }
  for (const fs::path& p : dead) {
    remove_db_files(p);
    notes.push_back(fmt::format("removed {}, left by a run killed while it created the store", p.string()));
  }
}

// Reads kRunColumns then the history columns (see run_select).
StoredRun read_run_row(const Stmt& q) {
  StoredRun r;
  r.id = q.integer(0);
  r.scenario = q.text(1);
  r.dataset = q.text(2);
  r.year = static_cast<int>(q.integer(3));
  r.solver = q.text(4);
  r.status = q.text(5);
  r.objective_usd = q.real(6);
  r.created_at = q.text(7);
  r.scenario_file = q.text(8);
  r.scenario_sha256 = q.text(9);
  r.dataset_version = q.text(11);
  r.cadena_version = q.text(12);
  r.load_s = q.real(13);
  r.build_s = q.real(14);
  r.solve_s = q.real(15);
  r.report_s = q.real(16);
  return r;
}

constexpr const char* kRunColumns = "id, scenario, dataset, year, solver, status, objective_usd, created_at";

// The history columns schema version 2 added to `runs`, in the order read_history() reads them.
constexpr std::pair<const char*, const char*> kHistoryColumns[] = {
    {"scenario_file", "TEXT"}, {"scenario_sha256", "TEXT"}, {"scenario_text", "TEXT"}, {"dataset_version", "TEXT"},
    {"cadena_version", "TEXT"}, {"load_s", "REAL"},          {"build_s", "REAL"},       {"solve_s", "REAL"},
    {"report_s", "REAL"}};

// Names of the columns `runs` has (empty when there is no such table).
std::vector<std::string> run_table_columns(sqlite3* db) {
  std::vector<std::string> cols;
  Stmt q(db, "PRAGMA table_info(runs)");
  if (!q.ok()) return cols;
  while (q.step() == SQLITE_ROW) cols.push_back(q.text(1));
  return cols;
}

// "SELECT <kRunColumns>, <history columns>, summary_json FROM runs <where>": a history column an
// older store lacks reads as NULL (empty text, 0 seconds).
std::string run_select(sqlite3* db, const std::string& where) {
  const auto have = run_table_columns(db);
  std::string sql = fmt::format("SELECT {}", kRunColumns);
  for (const auto& [name, type] : kHistoryColumns) {
    (void)type;
    if (std::find(have.begin(), have.end(), name) != have.end()) sql += fmt::format(", {}", name);
    else sql += fmt::format(", NULL AS {}", name);
  }
  return sql + ", summary_json FROM runs " + where;
}

// Brings a store to kSchemaVersion inside the caller's write transaction.
bool migrate(sqlite3* db) {
  const auto have = run_table_columns(db);
  for (const auto& [name, type] : kHistoryColumns)
    if (std::find(have.begin(), have.end(), name) == have.end()) {
      const std::string sql = fmt::format("ALTER TABLE runs ADD COLUMN {} {}", name, type);
      if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return false;
    }
  const std::string v = fmt::format("PRAGMA user_version = {}", kSchemaVersion);
  return sqlite3_exec(db, v.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK;
}

// "a, b, c" of at most `n` names, with a count of the rest.
std::string some(const std::vector<std::string>& names, std::size_t n = 12) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < n; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > n) out += fmt::format(" and {} more", names.size() - n);
  return out.empty() ? "none" : out;
}

}  // namespace

struct ResultsStore::Impl {
  sqlite3* db = nullptr;
  // The store did not exist: `db` is the private file private_path(), linked into place when the
  // first run commits and removed (it is ours alone) when none does.
  bool creating = false;
  fs::path private_file;
  bool in_tx = false;
  RunReport staged;  // kept while creating: re-staged into the real store if another run made it first
  std::string staged_token;
  std::int64_t last_id = 0;  // the staged run's id
  std::vector<std::string> notes;

  ~Impl() { close(); }
  void close() {
    if (db) sqlite3_close_v2(db);
    db = nullptr;
  }
  bool exec(const char* sql) { return sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK; }
};

ResultsStore::ResultsStore(std::unique_ptr<Impl> impl, fs::path path) : m_impl(std::move(impl)), m_path(std::move(path)) {}
ResultsStore::ResultsStore(ResultsStore&&) noexcept = default;
ResultsStore& ResultsStore::operator=(ResultsStore&&) noexcept = default;
ResultsStore::~ResultsStore() {
  if (m_impl) rollback();
}

namespace {

// Opens `file` with the settings every handle uses; an Io error naming `shown` on failure.
Result<sqlite3*> open_handle(const fs::path& file, const fs::path& shown, int flags) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(file.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close_v2(db);
    return store_error(ErrorCategory::Io, shown, "cannot open the results store: " + msg, "db");
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  sqlite3_extended_result_codes(db, 1);
  return db;
}

// The first rows of `PRAGMA integrity_check`, or "" when the store is sound.
std::string integrity_problem(sqlite3* db) {
  Stmt q(db, "PRAGMA integrity_check(3)");
  if (!q.ok()) return q.message();
  std::string out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) {
    const std::string row = q.text(0);
    if (row == "ok") return "";
    out += (out.empty() ? "" : "; ") + row;
  }
  if (rc != SQLITE_DONE) return out.empty() ? std::string(sqlite3_errmsg(db)) : out;
  return out;
}

}  // namespace

Result<ResultsStore> ResultsStore::open(const fs::path& path, bool create) {
  std::error_code ec;
  const bool existed = fs::exists(path, ec);
  if (!existed && !create) return store_error(ErrorCategory::Missing, path, "results store does not exist", "db");
  if (existed && fs::is_directory(path, ec))
    return store_error(ErrorCategory::Io, path, "is a folder; expected a results store file (.db)", "db");
  if (!existed && !path.parent_path().empty() && !fs::is_directory(path.parent_path(), ec))
    return store_error(ErrorCategory::Io, path, "cannot create the results store: its folder does not exist", "db");

  auto impl = std::make_unique<Impl>();
  if (create) remove_dead_private_files(path, impl->notes);
  if (!existed) {
    // A new store: built privately, published by commit().
    impl->creating = true;
    impl->private_file = private_path(path);
    remove_db_files(impl->private_file);
    auto h = open_handle(impl->private_file, path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!h) return h.error();
    impl->db = *h;
    // WAL is a property of the file: every later writer of the published store uses it.
    if (!impl->exec("PRAGMA journal_mode=WAL")) {
      std::string msg = sqlite3_errmsg(impl->db);
      impl->close();
      remove_db_files(impl->private_file);
      return store_error(ErrorCategory::Io, path, "cannot create the results store: " + msg, "db");
    }
    return ResultsStore(std::move(impl), path);
  }

  const int flags = create ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
  auto h = open_handle(path, path, flags);
  if (!h) return h.error();
  impl->db = *h;
  // Reading the schema is the first access to the file: garbage shows up here. The statement is
  // finished before the journal mode changes (SQLite refuses that inside its read transaction,
  // which broke every store written before WAL).
  bool has_runs = false;
  std::int64_t tables = 0;
  {
    Stmt q(impl->db, "SELECT count(*), sum(name = 'runs') FROM sqlite_master WHERE type = 'table'");
    if (!q.ok() || q.step() != SQLITE_ROW) {
      std::string msg = q.ok() ? std::string(sqlite3_errmsg(impl->db)) : q.message();
      return store_error(ErrorCategory::Value, path, "not a results store (" + msg + ")", "db");
    }
    has_runs = q.integer(1) > 0;
    tables = q.integer(0);
  }
  if (!has_runs && (!create || tables > 0))
    return store_error(ErrorCategory::Value, path, "not a cadena results store (no table 'runs')", "db");
  if (create) {
    // Never append to a damaged store: what is in it may already be wrong, and more would be lost.
    const std::string problem = integrity_problem(impl->db);
    if (!problem.empty())
      return store_error(ErrorCategory::Value, path,
                         fmt::format("the results store fails SQLite's integrity check ({}); nothing was written to it; "
                                     "expected a sound store: copy out what you need (sqlite3 .recover) and use a new --db",
                                     problem.substr(0, 300)),
                         "db");
    if (!impl->exec("PRAGMA journal_mode=WAL"))
      return store_error(ErrorCategory::Io, path, std::string("cannot open the results store: ") + sqlite3_errmsg(impl->db),
                         "db");
  }
  return ResultsStore(std::move(impl), path);
}

const std::vector<std::string>& ResultsStore::notes() const { return m_impl->notes; }

void ResultsStore::rollback() {
  if (!m_impl || !m_impl->db) return;
  if (m_impl->in_tx) m_impl->exec("ROLLBACK");
  m_impl->in_tx = false;
  if (m_impl->creating) {
    // The private file is ours alone: nobody else has seen it.
    m_impl->close();
    remove_db_files(m_impl->private_file);
  }
}

Result<std::int64_t> ResultsStore::commit() {
  if (!m_impl || !m_impl->db || !m_impl->in_tx)
    return store_error(ErrorCategory::Internal, m_path, "commit without a staged run");
  sqlite3* db = m_impl->db;
  if (!m_impl->exec("COMMIT")) {
    Error e = store_error(ErrorCategory::Io, m_path, std::string("cannot commit the run: ") + sqlite3_errmsg(db));
    rollback();
    return e;
  }
  m_impl->in_tx = false;
  if (!m_impl->creating) return m_impl->last_id;

  // Publish the new store: a hard link cannot replace a file, so a store another run created
  // meanwhile is never overwritten; this run then goes into that one.
  m_impl->close();
  const fs::path priv = m_impl->private_file;
  m_impl->creating = false;
  if (::link(priv.c_str(), m_path.c_str()) == 0) {
    remove_db_files(priv);
    auto h = open_handle(m_path, m_path, SQLITE_OPEN_READWRITE);
    if (!h) return h.error();
    m_impl->db = *h;
    return m_impl->last_id;
  }
  const int err = errno;
  remove_db_files(priv);
  if (err != EEXIST)
    return store_error(ErrorCategory::Io, m_path, fmt::format("cannot create the results store: {}", std::strerror(err)), "db");
  auto other = open(m_path, true);
  if (!other) return other.error();
  RunReport rep = std::move(m_impl->staged);
  const std::string token = m_impl->staged_token;
  *this = std::move(*other);
  auto id = stage_run(rep, token);
  if (!id) return id.error();
  return commit();
}

Result<bool> ResultsStore::has_token(const std::string& token) const {
  Stmt q(m_impl->db, "SELECT count(*) FROM run_tokens WHERE token = ?");
  if (!q.ok()) return false;  // a store from before tokens: no run of this kind in it
  q.bind(1, token);
  if (q.step() != SQLITE_ROW) return store_error(ErrorCategory::Io, m_path, std::string("cannot read runs: ") + q.message(), "db");
  return q.integer(0) > 0;
}

Result<std::int64_t> ResultsStore::stage_run(const RunReport& rep, const std::string& token) {
  if (!m_impl || !m_impl->db) return store_error(ErrorCategory::Internal, m_path, "results store is closed");
  if (m_impl->in_tx) return store_error(ErrorCategory::Internal, m_path, "a run is staged already");
  sqlite3* db = m_impl->db;
  auto failed = [&](const char* what) -> Error {
    Error e = store_error(ErrorCategory::Io, m_path, fmt::format("cannot store the run ({}): {}", what, sqlite3_errmsg(db)));
    rollback();
    return e;
  };
  // IMMEDIATE takes the write lock now, so a concurrent writer waits here (busy timeout), not
  // halfway through the inserts.
  if (!m_impl->exec("BEGIN IMMEDIATE")) return failed("begin");
  m_impl->in_tx = true;
  if (!m_impl->exec(kSchema)) return failed("schema");
  if (!migrate(db)) return failed("schema migration");

  const auto& r = rep.result;
  {
    Stmt s(db, "INSERT INTO runs(scenario, dataset, year, solver, status, objective_usd, created_at, summary_json, "
               "scenario_file, scenario_sha256, scenario_text, dataset_version, cadena_version, load_s, build_s, "
               "solve_s, report_s) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return failed("runs");
    const auto& in = rep.info;
    s.bind(1, in.scenario).bind(2, in.dataset).bind(3, in.year).bind(4, in.solver);
    s.bind(5, std::string(lp::to_string(r.termination))).bind(6, r.objective_usd).bind(7, utc_now());
    s.bind(8, summary_json(rep));
    s.bind(9, in.scenario_file).bind(10, in.scenario_sha256).bind(11, in.scenario_text).bind(12, in.dataset_version);
    s.bind(13, in.cadena_version).bind(14, in.load_s).bind(15, in.build_s).bind(16, in.solve_s).bind(17, in.report_s);
    if (!s.exec()) return failed("runs");
  }
  const std::int64_t id = sqlite3_last_insert_rowid(db);
  m_impl->last_id = id;
  if (m_impl->creating) {
    m_impl->staged = rep;
    m_impl->staged_token = token;
  }
  if (!token.empty()) {
    Stmt s(db, "INSERT INTO run_tokens(run_id, token) VALUES(?,?)");
    if (!s.ok()) return failed("run_tokens");
    s.bind(1, id).bind(2, token);
    if (!s.exec()) return failed("run_tokens");
  }

  {
    Stmt s(db, "INSERT INTO stage_shares(run_id, stage, dimension, country, quantity, share) VALUES(?,?,?,?,?,?)");
    if (!s.ok()) return failed("stage_shares");
    for (const auto& st : rep.stages) {
      const std::string stage = st.stage;
      for (auto [dim, shares] : {std::pair{"location", &st.by_country}, std::pair{"owner", &st.by_owner_country},
                                 std::pair{"ultimate_owner", &st.by_ultimate_owner_country},
                                 std::pair{"owner_company", &st.by_owner_company}})
        for (const auto& sh : *shares) {
          s.bind(1, id).bind(2, stage).bind(3, std::string(dim)).bind(4, sh.key).bind(5, sh.quantity).bind(6, sh.share);
          if (!s.exec()) return failed("stage_shares");
        }
    }
  }
  {
    Stmt s(db, "INSERT INTO stage_location_owner(run_id, stage, location, owner_country, quantity, share) "
               "VALUES(?,?,?,?,?,?)");
    if (!s.ok()) return failed("stage_location_owner");
    for (const auto& st : rep.stages)
      for (const auto& [loc, shares] : st.by_location_owner_country)
        for (const auto& sh : shares) {
          s.bind(1, id).bind(2, st.stage).bind(3, loc).bind(4, sh.key);
          s.bind(5, sh.quantity).bind(6, sh.share);
          if (!s.exec()) return failed("stage_location_owner");
        }
  }
  {
    Stmt s(db, "INSERT INTO facility_details(run_id, id, lat, lon, brine_m3, owners, owner_countries, ultimate_owners, "
               "ultimate_owner_countries) VALUES(?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return failed("facility_details");
    for (std::size_t i = 0; i < r.facilities.size() && i < rep.details.size(); ++i) {
      const auto& x = rep.details[i];
      s.bind(1, id).bind(2, r.facilities[i].id).bind(3, x.lat).bind(4, x.lon).bind(5, r.facilities[i].brine_m3);
      s.bind(6, x.owners).bind(7, x.owner_countries).bind(8, x.ultimate_owners).bind(9, x.ultimate_owner_countries);
      if (!s.exec()) return failed("facility_details");
    }
  }
  {
    Stmt s(db, "INSERT INTO prices(run_id, region, product, unit, usd_per_unit) VALUES(?,?,?,?,?)");
    if (!s.ok()) return failed("prices");
    for (const auto& p : r.demand_prices) {
      s.bind(1, id).bind(2, p.region_or_country).bind(3, p.product).bind(4, p.unit).bind(5, p.usd_per_unit);
      if (!s.exec()) return failed("prices");
    }
  }
  {
    Stmt s(db, "INSERT INTO market_prices(run_id, product, country, usd_per_unit) VALUES(?,?,?,?)");
    if (!s.ok()) return failed("market_prices");
    for (const auto& p : r.market_prices) {
      s.bind(1, id).bind(2, p.product).bind(3, p.region_or_country).bind(4, p.usd_per_unit);
      if (!s.exec()) return failed("market_prices");
    }
  }
  {
    Stmt s(db, "INSERT INTO flows(run_id, family, element, from_country, to_country, product, quantity, unit, "
               "unit_cost_usd, cost_usd) VALUES(?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return failed("flows");
    for (const auto& f : r.flows) {
      s.bind(1, id).bind(2, f.family).bind(3, f.element).bind(4, f.from).bind(5, f.to).bind(6, f.product);
      s.bind(7, f.quantity).bind(8, f.unit).bind(9, f.unit_cost_usd).bind(10, f.cost_usd);
      if (!s.exec()) return failed("flows");
    }
  }
  {
    Stmt s(db, "INSERT INTO facilities(run_id, id, name, stage, country, product, output, unit, capacity, utilisation, "
               "reduced_cost_usd_per_unit, cost_usd, co2_t, water_m3, active, source) "
               "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return failed("facilities");
    for (const auto& f : r.facilities) {
      s.bind(1, id).bind(2, f.id).bind(3, f.name).bind(4, f.stage).bind(5, f.country);
      s.bind(6, f.product).bind(7, f.output).bind(8, f.unit).bind(9, f.capacity).bind(10, f.utilisation);
      s.bind(11, f.reduced_cost_usd).bind(12, f.cost_usd).bind(13, f.co2_t).bind(14, f.water_m3);
      s.bind(15, f.active).bind(16, f.source);
      if (!s.exec()) return failed("facilities");
    }
  }
  {
    Stmt s(db, "INSERT INTO unmet(run_id, region, product, quantity, unit) VALUES(?,?,?,?,?)");
    if (!s.ok()) return failed("unmet");
    for (const auto& u : r.unmet) {
      s.bind(1, id).bind(2, u.region).bind(3, u.product).bind(4, u.quantity).bind(5, u.unit);
      if (!s.exec()) return failed("unmet");
    }
  }
  return id;
}

Result<std::vector<StoredRun>> ResultsStore::runs() const {
  Stmt q(m_impl->db, run_select(m_impl->db, "ORDER BY id").c_str());
  if (!q.ok()) return store_error(ErrorCategory::Value, m_path, std::string("cannot read runs: ") + q.message(), "db");
  std::vector<StoredRun> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back(read_run_row(q));
  if (rc != SQLITE_DONE) return store_error(ErrorCategory::Io, m_path, std::string("cannot read runs: ") + q.message(), "db");
  return out;
}

Result<StoredRun> ResultsStore::find_run(const std::string& run) const {
  auto r = record(run);
  if (!r) return r.error();
  return std::move(r->run);
}

int ResultsStore::schema_version() const {
  Stmt q(m_impl->db, "PRAGMA user_version");
  return q.ok() && q.step() == SQLITE_ROW ? static_cast<int>(q.integer(0)) : 0;
}

Result<RunRecord> ResultsStore::record(const std::string& run) const {
  // A number is an id; anything else a scenario name, whose latest run counts.
  const std::string sql = run_select(m_impl->db, is_run_id(run) ? "WHERE id = ?" : "WHERE scenario = ? ORDER BY id DESC LIMIT 1");
  Stmt q(m_impl->db, sql.c_str());
  if (!q.ok()) return store_error(ErrorCategory::Value, m_path, std::string("cannot read runs: ") + q.message(), "db");
  if (is_run_id(run)) q.bind(1, static_cast<std::int64_t>(std::stoll(run)));
  else q.bind(1, run);
  if (q.step() == SQLITE_ROW) return RunRecord{read_run_row(q), q.text(10), q.text(17)};

  std::vector<std::string> known;
  if (auto all = runs())
    for (const auto& r : *all) known.push_back(fmt::format("{} ({})", r.id, r.scenario));
  return store_error(ErrorCategory::Reference, m_path,
                     fmt::format("no run '{}' in the results store; expected a run id or scenario name: {}", run, some(known)),
                     "run");
}

namespace {
Result<std::vector<chain::PriceRecord>> read_prices(sqlite3* db, const fs::path& path, const char* sql, std::int64_t id) {
  Stmt q(db, sql);
  if (!q.ok()) return store_error(ErrorCategory::Value, path, std::string("cannot read prices: ") + q.message(), "db");
  q.bind(1, id);
  std::vector<chain::PriceRecord> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW)
    out.push_back(chain::PriceRecord{q.text(0), q.text(1), q.real(2), q.text(3)});
  if (rc != SQLITE_DONE) return store_error(ErrorCategory::Io, path, std::string("cannot read prices: ") + q.message(), "db");
  return out;
}
}  // namespace

Result<std::vector<chain::PriceRecord>> ResultsStore::prices(std::int64_t run_id) const {
  return read_prices(m_impl->db, m_path,
                     "SELECT region, product, usd_per_unit, unit FROM prices WHERE run_id = ? ORDER BY rowid", run_id);
}

Result<std::vector<chain::PriceRecord>> ResultsStore::market_prices(std::int64_t run_id) const {
  // The unit of a market price is its product's; the demand rows carry it when the product has
  // one, and the facilities table for every product a facility makes.
  return read_prices(m_impl->db, m_path,
                     "SELECT m.country, m.product, m.usd_per_unit, "
                     "  COALESCE((SELECT unit FROM prices p WHERE p.run_id = m.run_id AND p.product = m.product LIMIT 1),"
                     "           (SELECT unit FROM facilities f WHERE f.run_id = m.run_id AND f.product = m.product LIMIT 1), '') "
                     "FROM market_prices m WHERE m.run_id = ? ORDER BY m.rowid",
                     run_id);
}

Result<std::string> ResultsStore::run_summary(std::int64_t run_id) const {
  Stmt q(m_impl->db, "SELECT summary_json FROM runs WHERE id = ?");
  if (!q.ok()) return store_error(ErrorCategory::Value, m_path, std::string("cannot read runs: ") + q.message(), "db");
  q.bind(1, run_id);
  if (q.step() != SQLITE_ROW)
    return store_error(ErrorCategory::Reference, m_path, fmt::format("no run {} in the results store", run_id), "run");
  return q.text(0);
}

Result<std::vector<chain::FlowRecord>> ResultsStore::run_flows(std::int64_t run_id) const {
  Stmt q(m_impl->db,
         "SELECT family, element, from_country, to_country, product, quantity, unit, unit_cost_usd, cost_usd "
         "FROM flows WHERE run_id = ? ORDER BY rowid");
  if (!q.ok()) return store_error(ErrorCategory::Value, m_path, std::string("cannot read flows: ") + q.message(), "db");
  q.bind(1, run_id);
  std::vector<chain::FlowRecord> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW)
    out.push_back(chain::FlowRecord{q.text(0), q.text(1), q.text(2), q.text(3), q.text(4), q.real(5), q.text(6),
                                    q.real(7), q.real(8)});
  if (rc != SQLITE_DONE) return store_error(ErrorCategory::Io, m_path, std::string("cannot read flows: ") + q.message(), "db");
  return out;
}

Result<StoredPrice> ResultsStore::price(const std::string& run, const std::string& region, const std::string& product) const {
  auto r = find_run(run);
  if (!r) return r.error();
  if (r->status != "optimal")
    return store_error(ErrorCategory::Value, m_path,
                       fmt::format("run {} ({}) ended '{}'; its prices are not marginal prices", r->id, r->scenario, r->status),
                       "run");
  auto demand = prices(r->id);
  if (!demand) return demand.error();
  for (const auto& p : *demand)
    if (p.region_or_country == region && p.product == product)
      return StoredPrice{r->id, r->scenario, region, product, p.unit, p.usd_per_unit, false};
  auto market = market_prices(r->id);
  if (!market) return market.error();
  for (const auto& p : *market)
    if (p.region_or_country == region && p.product == product)
      return StoredPrice{r->id, r->scenario, region, product, p.unit, p.usd_per_unit, true};

  // Say which key is wrong: a product the run never priced, or a region without that product.
  std::vector<std::string> products, regions;
  auto add = [](std::vector<std::string>& v, const std::string& s) {
    if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
  };
  for (const auto* list : {&*demand, &*market})
    for (const auto& p : *list) {
      add(products, p.product);
      if (p.product == product) add(regions, p.region_or_country);
    }
  if (regions.empty())
    return store_error(ErrorCategory::Reference, m_path,
                       fmt::format("run {} ({}) has no price for product '{}'; it prices {}", r->id, r->scenario, product,
                                   some(products, 20)),
                       "product");
  return store_error(ErrorCategory::Reference, m_path,
                     fmt::format("run {} ({}) has no price of {} in region '{}'; expected a demand region or a country: {}",
                                 r->id, r->scenario, product, region, some(regions, 30)),
                     "region");
}

Result<std::int64_t> append_run(const fs::path& db, const RunReport& rep) {
  auto store = ResultsStore::open(db, true);
  if (!store) return store.error();
  auto id = store->stage_run(rep);
  if (!id) return id.error();
  return store->commit();
}

std::optional<std::string> unstored_run_note(const fs::path& folder) {
  const auto marker = read_marker(folder);
  if (!marker || marker->find("state = pending") == std::string::npos) return std::nullopt;
  auto value_of = [&](std::string_view key) -> std::string {
    const std::string k = std::string(key) + " = ";
    std::size_t at = marker->find(k);
    if (at == std::string::npos || (at > 0 && (*marker)[at - 1] != '\n')) return "";
    at += k.size();
    return marker->substr(at, marker->find('\n', at) - at);
  };
  const std::string db = value_of("store"), token = value_of("run_token");
  if (db.empty() || token.empty()) return std::nullopt;
  std::error_code ec;
  if (fs::exists(db, ec)) {
    auto store = ResultsStore::open(db, false);
    if (store) {
      auto has = store->has_token(token);
      if (has && *has) return std::nullopt;  // killed after the commit, before the marker was rewritten
    }
  }
  return fmt::format("{} held the results of a run killed before the results store {} committed them: that run is "
                     "not in the store; they are replaced now",
                     folder.string(), db);
}

bool is_run_id(const std::string& run) {
  return !run.empty() && run.size() <= 18 &&
         std::all_of(run.begin(), run.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace cadena::report
