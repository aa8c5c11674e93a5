#include "cadena/report/results_store.hpp"

#include <fmt/core.h>
#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <system_error>
#include <utility>

namespace cadena::report {

namespace fs = std::filesystem;

namespace {

// Tables are created on the first write; IF NOT EXISTS lets every later run reuse them.
// Column names follow flows.csv and facilities.csv so a query reads like the files.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS runs(
  id INTEGER PRIMARY KEY, scenario TEXT NOT NULL, dataset TEXT NOT NULL, year INTEGER NOT NULL,
  solver TEXT NOT NULL, status TEXT NOT NULL, objective_usd REAL, created_at TEXT NOT NULL,
  summary_json TEXT NOT NULL);
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
CREATE TABLE IF NOT EXISTS unmet(
  run_id INTEGER NOT NULL REFERENCES runs(id), region TEXT NOT NULL, product TEXT NOT NULL,
  quantity REAL NOT NULL, unit TEXT NOT NULL);
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

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

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
  return r;
}

constexpr const char* kRunColumns = "id, scenario, dataset, year, solver, status, objective_usd, created_at";

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
  bool created = false;    // the file did not exist before open(): remove it if nothing commits
  bool committed = false;  // something was committed through this handle
  bool in_tx = false;

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

Result<ResultsStore> ResultsStore::open(const fs::path& path, bool create) {
  std::error_code ec;
  const bool existed = fs::exists(path, ec);
  if (!existed && !create) return store_error(ErrorCategory::Missing, path, "results store does not exist", "db");
  if (existed && fs::is_directory(path, ec))
    return store_error(ErrorCategory::Io, path, "is a folder; expected a results store file (.db)", "db");

  auto impl = std::make_unique<Impl>();
  impl->created = !existed;
  const int flags = create ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE : SQLITE_OPEN_READONLY;
  if (sqlite3_open_v2(path.c_str(), &impl->db, flags, nullptr) != SQLITE_OK) {
    std::string msg = impl->db ? sqlite3_errmsg(impl->db) : "out of memory";
    impl->close();
    if (impl->created) fs::remove(path, ec);
    return store_error(ErrorCategory::Io, path, "cannot open the results store: " + msg, "db");
  }
  sqlite3_busy_timeout(impl->db, 5000);  // another `cadena run --db` appending at the same time
  // Reading the schema is the first access to the file: garbage shows up here.
  Stmt q(impl->db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'runs'");
  if (!q.ok() || q.step() != SQLITE_ROW) {
    std::string msg = q.message();
    impl->close();
    if (impl->created) fs::remove(path, ec);
    return store_error(ErrorCategory::Value, path, "not a results store (" + msg + ")", "db");
  }
  if (!create && q.integer(0) == 0)
    return store_error(ErrorCategory::Value, path, "not a cadena results store (no table 'runs')", "db");
  return ResultsStore(std::move(impl), path);
}

void ResultsStore::rollback() {
  if (!m_impl || !m_impl->db) return;
  if (m_impl->in_tx) m_impl->exec("ROLLBACK");
  m_impl->in_tx = false;
  if (m_impl->created && !m_impl->committed) {
    // Nothing of this store was ever published: leave no file behind.
    m_impl->close();
    std::error_code ec;
    fs::remove(m_path, ec);
    fs::remove(fs::path(m_path.string() + "-journal"), ec);
  }
}

Status ResultsStore::commit() {
  if (!m_impl || !m_impl->db || !m_impl->in_tx)
    return store_error(ErrorCategory::Internal, m_path, "commit without a staged run");
  if (!m_impl->exec("COMMIT")) {
    Error e = store_error(ErrorCategory::Io, m_path, std::string("cannot commit the run: ") + sqlite3_errmsg(m_impl->db));
    rollback();
    return e;
  }
  m_impl->in_tx = false;
  m_impl->committed = true;
  return ok_status();
}

Result<std::int64_t> ResultsStore::stage_run(const RunReport& rep) {
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

  const auto& r = rep.result;
  {
    Stmt s(db, "INSERT INTO runs(scenario, dataset, year, solver, status, objective_usd, created_at, summary_json) "
               "VALUES(?,?,?,?,?,?,?,?)");
    if (!s.ok()) return failed("runs");
    s.bind(1, rep.info.scenario).bind(2, rep.info.dataset).bind(3, rep.info.year).bind(4, rep.info.solver);
    s.bind(5, std::string(lp::to_string(r.termination))).bind(6, r.objective_usd).bind(7, utc_now());
    s.bind(8, summary_json(rep));
    if (!s.exec()) return failed("runs");
  }
  const std::int64_t id = sqlite3_last_insert_rowid(db);

  {
    Stmt s(db, "INSERT INTO stage_shares(run_id, stage, dimension, country, quantity, share) VALUES(?,?,?,?,?,?)");
    if (!s.ok()) return failed("stage_shares");
    for (const auto& st : rep.stages) {
      const std::string stage = model::to_string(st.stage);
      for (auto [dim, shares] : {std::pair{"location", &st.by_country}, std::pair{"owner", &st.by_owner_country}})
        for (const auto& sh : *shares) {
          s.bind(1, id).bind(2, stage).bind(3, std::string(dim)).bind(4, sh.key).bind(5, sh.quantity).bind(6, sh.share);
          if (!s.exec()) return failed("stage_shares");
        }
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
      s.bind(1, id).bind(2, f.id).bind(3, f.name).bind(4, std::string(model::to_string(f.stage))).bind(5, f.country);
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
  Stmt q(m_impl->db, fmt::format("SELECT {} FROM runs ORDER BY id", kRunColumns).c_str());
  if (!q.ok()) return store_error(ErrorCategory::Value, m_path, std::string("cannot read runs: ") + q.message(), "db");
  std::vector<StoredRun> out;
  int rc;
  while ((rc = q.step()) == SQLITE_ROW) out.push_back(read_run_row(q));
  if (rc != SQLITE_DONE) return store_error(ErrorCategory::Io, m_path, std::string("cannot read runs: ") + q.message(), "db");
  return out;
}

Result<StoredRun> ResultsStore::find_run(const std::string& run) const {
  // A number is an id; anything else a scenario name, whose latest run counts.
  const std::string sql = all_digits(run)
                              ? fmt::format("SELECT {} FROM runs WHERE id = ?", kRunColumns)
                              : fmt::format("SELECT {} FROM runs WHERE scenario = ? ORDER BY id DESC LIMIT 1", kRunColumns);
  Stmt q(m_impl->db, sql.c_str());
  if (!q.ok()) return store_error(ErrorCategory::Value, m_path, std::string("cannot read runs: ") + q.message(), "db");
  if (all_digits(run)) q.bind(1, static_cast<std::int64_t>(std::stoll(run)));
  else q.bind(1, run);
  if (q.step() == SQLITE_ROW) return read_run_row(q);

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
  CADENA_TRY(store->commit());
  return *id;
}

}  // namespace cadena::report
