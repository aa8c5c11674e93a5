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
#include <functional>
#include <system_error>
#include <utility>

namespace cadena::report {

namespace fs = std::filesystem;

namespace {

// Tables are created on the first write; IF NOT EXISTS lets every later run reuse them.
// Column names follow flows.csv and facilities.csv so a query reads like the files.
// Schema versions (PRAGMA user_version): 0 = the first stores (runs without history columns),
// 2 = runs record the scenario file (path, SHA-256, text), dataset version, cadena version and
// timings, 3 = pathway runs: `runs.years`, a `year` column in every per-run child table and the
// pathway tables (run_years ... end_of_life_feed), 4 = `builds.owners_lookthrough` (NULL in
// builds of older runs). migrate() brings an older store to 4 when a run is written to it;
// readers accept every version (a missing column reads as empty, a missing year as the run's year).
constexpr int kSchemaVersion = 4;
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
CREATE TABLE IF NOT EXISTS run_years(
  run_id INTEGER NOT NULL REFERENCES runs(id), year INTEGER NOT NULL, weight REAL NOT NULL,
  cost_weight REAL NOT NULL, operating_usd REAL NOT NULL, production_usd REAL NOT NULL,
  carbon_usd REAL NOT NULL, transport_usd REAL NOT NULL, duties_usd REAL NOT NULL,
  unmet_penalty_usd REAL NOT NULL, build_charges_usd REAL NOT NULL, depletion_usd REAL NOT NULL,
  co2_t REAL NOT NULL, water_m3 REAL NOT NULL, brine_m3 REAL NOT NULL);
CREATE TABLE IF NOT EXISTS stage_years(
  run_id INTEGER NOT NULL REFERENCES runs(id), year INTEGER NOT NULL, stage TEXT NOT NULL, unit TEXT NOT NULL,
  output REAL NOT NULL, capacity REAL NOT NULL, hhi_country REAL NOT NULL, hhi_owner_country REAL NOT NULL,
  hhi_ultimate_owner_country REAL NOT NULL);
CREATE TABLE IF NOT EXISTS builds(
  run_id INTEGER NOT NULL REFERENCES runs(id), year INTEGER NOT NULL, decision_year INTEGER NOT NULL,
  asset TEXT NOT NULL, option TEXT NOT NULL, kind TEXT NOT NULL, stage TEXT NOT NULL, country TEXT NOT NULL,
  product TEXT NOT NULL, capacity REAL NOT NULL, unit TEXT NOT NULL, capex_usd REAL NOT NULL, owners TEXT NOT NULL,
  owners_lookthrough TEXT);
CREATE TABLE IF NOT EXISTS retirements(
  run_id INTEGER NOT NULL REFERENCES runs(id), year INTEGER NOT NULL, asset TEXT NOT NULL, stage TEXT NOT NULL,
  country TEXT NOT NULL, product TEXT NOT NULL, capacity REAL NOT NULL, unit TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS depletion(
  run_id INTEGER NOT NULL REFERENCES runs(id), deposit TEXT NOT NULL, tranche INTEGER NOT NULL,
  quantity REAL NOT NULL, extracted REAL NOT NULL, unit TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS end_of_life_feed(
  run_id INTEGER NOT NULL REFERENCES runs(id), year INTEGER NOT NULL, region TEXT NOT NULL,
  available REAL NOT NULL, used REAL NOT NULL);
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
  bool null(int c) const { return sqlite3_column_type(m_s, c) == SQLITE_NULL; }
  sqlite3_stmt* handle() { return m_s; }

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

// "2024,2025,2030" (runs.years) -> the years; "" (a single-year run) -> none.
std::vector<int> parse_years_text(const std::string& text) {
  std::vector<int> out;
  const char* p = text.data();
  const char* e = p + text.size();
  while (p < e) {
    int y = 0;
    auto [q, err] = std::from_chars(p, e, y);
    if (err != std::errc()) break;
    out.push_back(y);
    p = q < e && *q == ',' ? q + 1 : q;
    if (q == e) break;
  }
  return out;
}

std::string years_text(const std::vector<int>& years) {
  std::string out;
  for (int y : years) out += (out.empty() ? "" : ",") + std::to_string(y);
  return out;
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
  r.years = parse_years_text(q.text(17));
  return r;
}

constexpr const char* kRunColumns = "id, scenario, dataset, year, solver, status, objective_usd, created_at";

// The history columns schema version 2 added to `runs`, in the order read_history() reads them.
constexpr std::pair<const char*, const char*> kHistoryColumns[] = {
    {"scenario_file", "TEXT"}, {"scenario_sha256", "TEXT"}, {"scenario_text", "TEXT"}, {"dataset_version", "TEXT"},
    {"cadena_version", "TEXT"}, {"load_s", "REAL"},          {"build_s", "REAL"},       {"solve_s", "REAL"},
    {"report_s", "REAL"},       {"years", "TEXT"}};

// The child tables that gained a `year` column in schema version 3 (NULL in rows of older runs:
// the run's year).
constexpr const char* kYearTables[] = {"stage_shares", "stage_location_owner", "facility_details", "prices",
                                       "market_prices", "flows", "facilities", "unmet"};

// Names of the columns `table` has (empty when there is no such table).
std::vector<std::string> table_columns(sqlite3* db, const std::string& table) {
  std::vector<std::string> cols;
  Stmt q(db, fmt::format("PRAGMA table_info({})", table).c_str());
  if (!q.ok()) return cols;
  while (q.step() == SQLITE_ROW) cols.push_back(q.text(1));
  return cols;
}
std::vector<std::string> run_table_columns(sqlite3* db) { return table_columns(db, "runs"); }

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
  for (const char* table : kYearTables) {
    const auto cols = table_columns(db, table);
    if (std::find(cols.begin(), cols.end(), "year") != cols.end()) continue;
    const std::string sql = fmt::format("ALTER TABLE {} ADD COLUMN year INTEGER", table);
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) return false;
  }
  if (const auto cols = table_columns(db, "builds");
      !cols.empty() && std::find(cols.begin(), cols.end(), "owners_lookthrough") == cols.end() &&
      sqlite3_exec(db, "ALTER TABLE builds ADD COLUMN owners_lookthrough TEXT", nullptr, nullptr, nullptr) != SQLITE_OK)
    return false;
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
  // Kept while creating: stages the same run into the real store if another run made it first.
  std::function<Result<std::int64_t>(ResultsStore&)> restage;
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
  auto restage = std::move(m_impl->restage);
  *this = std::move(*other);
  auto id = restage(*this);
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

namespace {

// Child rows shared by single-year and pathway runs; each writer returns the table that failed,
// or nullptr. `year` goes into every row's year column (schema version 3).
const char* insert_stages(sqlite3* db, std::int64_t id, int year, const std::vector<analytics::StageSummary>& stages) {
  {
    Stmt s(db, "INSERT INTO stage_shares(run_id, stage, dimension, country, quantity, share, year) VALUES(?,?,?,?,?,?,?)");
    if (!s.ok()) return "stage_shares";
    for (const auto& st : stages) {
      const std::string stage = st.stage;
      for (auto [dim, shares] : {std::pair{"location", &st.by_country}, std::pair{"owner", &st.by_owner_country},
                                 std::pair{"ultimate_owner", &st.by_ultimate_owner_country},
                                 std::pair{"owner_company", &st.by_owner_company}})
        for (const auto& sh : *shares) {
          s.bind(1, id).bind(2, stage).bind(3, std::string(dim)).bind(4, sh.key).bind(5, sh.quantity).bind(6, sh.share);
          s.bind(7, year);
          if (!s.exec()) return "stage_shares";
        }
    }
  }
  Stmt s(db, "INSERT INTO stage_location_owner(run_id, stage, location, owner_country, quantity, share, year) "
             "VALUES(?,?,?,?,?,?,?)");
  if (!s.ok()) return "stage_location_owner";
  for (const auto& st : stages)
    for (const auto& [loc, shares] : st.by_location_owner_country)
      for (const auto& sh : shares) {
        s.bind(1, id).bind(2, st.stage).bind(3, loc).bind(4, sh.key);
        s.bind(5, sh.quantity).bind(6, sh.share).bind(7, year);
        if (!s.exec()) return "stage_location_owner";
      }
  return nullptr;
}

// Prices, market prices, flows, facilities and unmet demand of one year's result.
const char* insert_result(sqlite3* db, std::int64_t id, int year, const chain::ChainResult& r) {
  {
    Stmt s(db, "INSERT INTO prices(run_id, region, product, unit, usd_per_unit, year) VALUES(?,?,?,?,?,?)");
    if (!s.ok()) return "prices";
    for (const auto& p : r.demand_prices) {
      s.bind(1, id).bind(2, p.region_or_country).bind(3, p.product).bind(4, p.unit).bind(5, p.usd_per_unit).bind(6, year);
      if (!s.exec()) return "prices";
    }
  }
  {
    Stmt s(db, "INSERT INTO market_prices(run_id, product, country, usd_per_unit, year) VALUES(?,?,?,?,?)");
    if (!s.ok()) return "market_prices";
    for (const auto& p : r.market_prices) {
      s.bind(1, id).bind(2, p.product).bind(3, p.region_or_country).bind(4, p.usd_per_unit).bind(5, year);
      if (!s.exec()) return "market_prices";
    }
  }
  {
    Stmt s(db, "INSERT INTO flows(run_id, family, element, from_country, to_country, product, quantity, unit, "
               "unit_cost_usd, cost_usd, year) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return "flows";
    for (const auto& f : r.flows) {
      s.bind(1, id).bind(2, f.family).bind(3, f.element).bind(4, f.from).bind(5, f.to).bind(6, f.product);
      s.bind(7, f.quantity).bind(8, f.unit).bind(9, f.unit_cost_usd).bind(10, f.cost_usd).bind(11, year);
      if (!s.exec()) return "flows";
    }
  }
  {
    Stmt s(db, "INSERT INTO facilities(run_id, id, name, stage, country, product, output, unit, capacity, utilisation, "
               "reduced_cost_usd_per_unit, cost_usd, co2_t, water_m3, active, source, year) "
               "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return "facilities";
    for (const auto& f : r.facilities) {
      s.bind(1, id).bind(2, f.id).bind(3, f.name).bind(4, f.stage).bind(5, f.country);
      s.bind(6, f.product).bind(7, f.output).bind(8, f.unit).bind(9, f.capacity).bind(10, f.utilisation);
      s.bind(11, f.reduced_cost_usd).bind(12, f.cost_usd).bind(13, f.co2_t).bind(14, f.water_m3);
      s.bind(15, f.active).bind(16, f.source).bind(17, year);
      if (!s.exec()) return "facilities";
    }
  }
  Stmt s(db, "INSERT INTO unmet(run_id, region, product, quantity, unit, year) VALUES(?,?,?,?,?,?)");
  if (!s.ok()) return "unmet";
  for (const auto& u : r.unmet) {
    s.bind(1, id).bind(2, u.region).bind(3, u.product).bind(4, u.quantity).bind(5, u.unit).bind(6, year);
    if (!s.exec()) return "unmet";
  }
  return nullptr;
}

// What a pathway run adds: per-year totals and stage figures, builds, retirements, depletion,
// end-of-life feed.
const char* insert_pathway_tables(sqlite3* db, std::int64_t id, const PathwayReport& rep) {
  {
    Stmt s(db, "INSERT INTO run_years(run_id, year, weight, cost_weight, operating_usd, production_usd, carbon_usd, "
               "transport_usd, duties_usd, unmet_penalty_usd, build_charges_usd, depletion_usd, co2_t, water_m3, brine_m3) "
               "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return "run_years";
    for (const auto& y : rep.years) {
      const auto& r = y.result;
      s.bind(1, id).bind(2, y.year).bind(3, y.weight).bind(4, y.cost_weight).bind(5, r.objective_usd);
      s.bind(6, r.production_usd).bind(7, r.carbon_usd).bind(8, r.transport_usd).bind(9, r.duties_usd);
      s.bind(10, r.penalty_usd).bind(11, y.build_charge_usd).bind(12, y.depletion_usd).bind(13, r.co2_t);
      s.bind(14, r.water_m3).bind(15, r.brine_m3);
      if (!s.exec()) return "run_years";
    }
  }
  {
    Stmt s(db, "INSERT INTO stage_years(run_id, year, stage, unit, output, capacity, hhi_country, hhi_owner_country, "
               "hhi_ultimate_owner_country) VALUES(?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return "stage_years";
    for (const auto& y : rep.years)
      for (const auto& st : y.stages) {
        s.bind(1, id).bind(2, y.year).bind(3, st.stage).bind(4, st.unit).bind(5, st.output).bind(6, st.capacity);
        s.bind(7, st.hhi_country).bind(8, st.hhi_owner_country).bind(9, st.hhi_ultimate_owner_country);
        if (!s.exec()) return "stage_years";
      }
  }
  {
    Stmt s(db, "INSERT INTO builds(run_id, year, decision_year, asset, option, kind, stage, country, product, capacity, "
               "unit, capex_usd, owners, owners_lookthrough) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return "builds";
    for (const auto& b : rep.builds) {
      s.bind(1, id).bind(2, b.year).bind(3, b.decision_year).bind(4, b.asset).bind(5, b.option).bind(6, b.kind);
      s.bind(7, b.stage).bind(8, b.country).bind(9, b.product).bind(10, b.capacity).bind(11, b.unit);
      s.bind(12, b.capex_usd).bind(13, build_owners_text(b)).bind(14, build_owners_text(b, true));
      if (!s.exec()) return "builds";
    }
  }
  {
    Stmt s(db, "INSERT INTO retirements(run_id, year, asset, stage, country, product, capacity, unit) "
               "VALUES(?,?,?,?,?,?,?,?)");
    if (!s.ok()) return "retirements";
    for (const auto& x : rep.retirements) {
      s.bind(1, id).bind(2, x.year).bind(3, x.asset).bind(4, x.stage).bind(5, x.country).bind(6, x.product);
      s.bind(7, x.capacity).bind(8, x.unit);
      if (!s.exec()) return "retirements";
    }
  }
  {
    Stmt s(db, "INSERT INTO depletion(run_id, deposit, tranche, quantity, extracted, unit) VALUES(?,?,?,?,?,?)");
    if (!s.ok()) return "depletion";
    for (const auto& d : rep.depletion)
      for (std::size_t k = 0; k < d.quantity.size(); ++k) {
        s.bind(1, id).bind(2, d.deposit).bind(3, static_cast<int>(k + 1)).bind(4, d.quantity[k]);
        s.bind(5, k < d.extracted.size() ? d.extracted[k] : 0.0).bind(6, d.unit);
        if (!s.exec()) return "depletion";
      }
  }
  Stmt s(db, "INSERT INTO end_of_life_feed(run_id, year, region, available, used) VALUES(?,?,?,?,?)");
  if (!s.ok()) return "end_of_life_feed";
  for (const auto& y : rep.years)
    for (const auto& [region, available] : y.feed_available) {
      const auto used = y.feed_used.find(region);
      s.bind(1, id).bind(2, y.year).bind(3, region).bind(4, available);
      s.bind(5, used == y.feed_used.end() ? 0.0 : used->second);
      if (!s.exec()) return "end_of_life_feed";
    }
  return nullptr;
}

}  // namespace

Result<std::int64_t> ResultsStore::stage_rows(const StagedRun& run, const std::string& token,
                                              const std::function<const char*(std::int64_t)>& rows) {
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
  {
    Stmt s(db, "INSERT INTO runs(scenario, dataset, year, solver, status, objective_usd, created_at, summary_json, "
               "scenario_file, scenario_sha256, scenario_text, dataset_version, cadena_version, load_s, build_s, "
               "solve_s, report_s, years) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    if (!s.ok()) return failed("runs");
    const auto& in = *run.info;
    s.bind(1, in.scenario).bind(2, in.dataset).bind(3, in.year).bind(4, in.solver);
    s.bind(5, run.status).bind(6, run.objective_usd).bind(7, utc_now());
    s.bind(8, run.summary_json);
    s.bind(9, in.scenario_file).bind(10, in.scenario_sha256).bind(11, in.scenario_text).bind(12, in.dataset_version);
    s.bind(13, in.cadena_version).bind(14, in.load_s).bind(15, in.build_s).bind(16, in.solve_s).bind(17, in.report_s);
    if (run.years.empty()) sqlite3_bind_null(s.handle(), 18);
    else s.bind(18, years_text(run.years));
    if (!s.exec()) return failed("runs");
  }
  const std::int64_t id = sqlite3_last_insert_rowid(db);
  m_impl->last_id = id;
  if (!token.empty()) {
    Stmt s(db, "INSERT INTO run_tokens(run_id, token) VALUES(?,?)");
    if (!s.ok()) return failed("run_tokens");
    s.bind(1, id).bind(2, token);
    if (!s.exec()) return failed("run_tokens");
  }
  if (const char* bad = rows(id)) return failed(bad);
  return id;
}

Result<std::int64_t> ResultsStore::stage_run(const RunReport& rep, const std::string& token) {
  const auto& r = rep.result;
  const StagedRun run{&rep.info, std::string(lp::to_string(r.termination)), r.objective_usd, summary_json(rep), {}};
  const int year = rep.info.year;
  auto id = stage_rows(run, token, [&](std::int64_t id) -> const char* {
    if (const char* bad = insert_stages(m_impl->db, id, year, rep.stages)) return bad;
    {
      Stmt s(m_impl->db, "INSERT INTO facility_details(run_id, id, lat, lon, brine_m3, owners, owner_countries, "
                         "ultimate_owners, ultimate_owner_countries, year) VALUES(?,?,?,?,?,?,?,?,?,?)");
      if (!s.ok()) return "facility_details";
      for (std::size_t i = 0; i < r.facilities.size() && i < rep.details.size(); ++i) {
        const auto& x = rep.details[i];
        s.bind(1, id).bind(2, r.facilities[i].id).bind(3, x.lat).bind(4, x.lon).bind(5, r.facilities[i].brine_m3);
        s.bind(6, x.owners).bind(7, x.owner_countries).bind(8, x.ultimate_owners).bind(9, x.ultimate_owner_countries);
        s.bind(10, year);
        if (!s.exec()) return "facility_details";
      }
    }
    return insert_result(m_impl->db, id, year, r);
  });
  if (id && m_impl->creating)
    m_impl->restage = [rep, token](ResultsStore& s) { return s.stage_run(rep, token); };
  return id;
}

Result<std::int64_t> ResultsStore::stage_pathway_run(const PathwayReport& rep, const std::string& token) {
  if (rep.years.empty())
    return store_error(ErrorCategory::Internal, m_path, "a pathway run without years cannot be stored");
  std::vector<int> years;
  for (const auto& y : rep.years) years.push_back(y.year);
  RunInfo info = rep.info;
  info.year = years.front();
  const StagedRun run{&info, std::string(lp::to_string(rep.termination)), rep.total_cost_usd,
                      pathway_summary_json(rep), years};
  auto id = stage_rows(run, token, [&](std::int64_t id) -> const char* {
    for (const auto& y : rep.years) {
      if (const char* bad = insert_stages(m_impl->db, id, y.year, y.stages)) return bad;
      if (const char* bad = insert_result(m_impl->db, id, y.year, y.result)) return bad;
    }
    return insert_pathway_tables(m_impl->db, id, rep);
  });
  if (id && m_impl->creating)
    m_impl->restage = [rep, token](ResultsStore& s) { return s.stage_pathway_run(rep, token); };
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
  if (q.step() == SQLITE_ROW) return RunRecord{read_run_row(q), q.text(10), q.text(18)};

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

namespace {

// The rows of a run's prices of `product` in `region` (year ascending): the demand rows when the
// region has one, else the country's market prices; or an error naming the key at fault.
struct PricedRows {
  bool market = false;
  std::string unit;
  std::vector<std::pair<int, double>> by_year;
};

Result<PricedRows> priced_rows(sqlite3* db, const fs::path& path, const StoredRun& r, const std::string& region,
                               const std::string& product) {
  if (r.status != "optimal")
    return store_error(ErrorCategory::Value, path,
                       fmt::format("run {} ({}) ended '{}'; its prices are not marginal prices", r.id, r.scenario, r.status),
                       "run");
  // Rows of stores older than schema version 3 have no year: the run's year.
  auto year_of = [&](const char* table) {
    const auto cols = table_columns(db, table);
    return std::find(cols.begin(), cols.end(), "year") != cols.end() ? fmt::format("COALESCE(year, {})", r.year)
                                                                       : std::to_string(r.year);
  };
  const std::string demand_sql =
      fmt::format("SELECT {}, region, product, usd_per_unit, unit FROM prices WHERE run_id = ? ORDER BY rowid",
                  year_of("prices"));
  const std::string market_sql = fmt::format(
      "SELECT {}, m.country, m.product, m.usd_per_unit, "
      "  COALESCE((SELECT unit FROM prices p WHERE p.run_id = m.run_id AND p.product = m.product LIMIT 1),"
      "           (SELECT unit FROM facilities f WHERE f.run_id = m.run_id AND f.product = m.product LIMIT 1), '') "
      "FROM market_prices m WHERE m.run_id = ? ORDER BY m.rowid",
      year_of("market_prices"));
  std::vector<std::string> products, regions;
  auto add = [](std::vector<std::string>& v, const std::string& x) {
    if (std::find(v.begin(), v.end(), x) == v.end()) v.push_back(x);
  };
  for (const bool market : {false, true}) {
    Stmt q(db, (market ? market_sql : demand_sql).c_str());
    if (!q.ok()) return store_error(ErrorCategory::Value, path, std::string("cannot read prices: ") + q.message(), "db");
    q.bind(1, r.id);
    PricedRows out;
    out.market = market;
    int rc;
    while ((rc = q.step()) == SQLITE_ROW) {
      const std::string reg = q.text(1), prod = q.text(2);
      add(products, prod);
      if (prod != product) continue;
      add(regions, reg);
      if (reg != region) continue;
      out.unit = q.text(4);
      out.by_year.emplace_back(static_cast<int>(q.integer(0)), q.real(3));
    }
    if (rc != SQLITE_DONE) return store_error(ErrorCategory::Io, path, std::string("cannot read prices: ") + q.message(), "db");
    if (!out.by_year.empty()) {
      std::stable_sort(out.by_year.begin(), out.by_year.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      return out;
    }
  }
  // Say which key is wrong: a product the run never priced, or a region without that product.
  if (regions.empty())
    return store_error(ErrorCategory::Reference, path,
                       fmt::format("run {} ({}) has no price for product '{}'; it prices {}", r.id, r.scenario, product,
                                   some(products, 20)),
                       "product");
  return store_error(ErrorCategory::Reference, path,
                     fmt::format("run {} ({}) has no price of {} in region '{}'; expected a demand region or a country: {}",
                                 r.id, r.scenario, product, region, some(regions, 30)),
                     "region");
}

std::string span(const std::vector<int>& years) {
  return years.empty() ? std::string() : fmt::format("{}-{}", years.front(), years.back());
}

}  // namespace

Result<StoredPrice> ResultsStore::price(const std::string& run, const std::string& region, const std::string& product) const {
  auto r = find_run(run);
  if (!r) return r.error();
  if (r->pathway())
    return store_error(ErrorCategory::Value, m_path,
                       fmt::format("run {} ({}) is a pathway run over {}: its prices are a path by year, not one price; "
                                   "expected a single-year run (a path is read with price_path)",
                                   r->id, r->scenario, span(r->years)),
                       "run");
  auto rows = priced_rows(m_impl->db, m_path, *r, region, product);
  if (!rows) return rows.error();
  return StoredPrice{r->id, r->scenario, region, product, rows->unit, rows->by_year.front().second, rows->market};
}

Result<StoredPricePath> ResultsStore::price_path(const std::string& run, const std::string& region,
                                                 const std::string& product) const {
  auto r = find_run(run);
  if (!r) return r.error();
  if (!r->pathway())
    return store_error(ErrorCategory::Value, m_path,
                       fmt::format("run {} ({}) is a single-year run ({}): it has no price path; expected a run over "
                                   "years (cadena run --years {}:2050 --db FILE)",
                                   r->id, r->scenario, r->year, r->year),
                       "run");
  auto rows = priced_rows(m_impl->db, m_path, *r, region, product);
  if (!rows) return rows.error();
  StoredPricePath out{r->id, r->scenario, region, product, rows->unit, rows->market, {}};
  for (const auto& [year, usd] : rows->by_year) out.usd_per_unit[year] = usd;
  return out;
}

std::optional<double> StoredPricePath::at(int year) const {
  if (usd_per_unit.empty() || year < usd_per_unit.begin()->first || year > usd_per_unit.rbegin()->first) return std::nullopt;
  return std::prev(usd_per_unit.upper_bound(year))->second;
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
