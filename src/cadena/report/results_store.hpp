#pragma once
// The results store: an SQLite file that accumulates network runs (one row in `runs` per run,
// its prices, flows, facilities, stage shares and unmet demand in child tables keyed by run_id
// and year), so later commands can read a run back without re-solving it; `cadena project
// evaluate` reads a marginal price from it for a `deck = "store"` price deck, and a pathway run
// (`cadena run --years ... --db`) gives a price path by year (price_path). Schema:
// docs/formulation.md, "Results store".
//
// Writes are all-or-nothing, and safe with many writers (docs/reliability.md): a run is inserted
// inside one transaction under SQLite's own locking (write-ahead log, a busy timeout of a
// minute), so twenty `cadena run --db` at once each store their run. A store that does not exist
// yet is built in a private file beside it and linked into place only when its first run commits:
// a failed first run leaves no store, and no run ever deletes a store another one may be using.
// A store that fails `PRAGMA integrity_check` is refused for writing, never appended to.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/report/pathway_report.hpp"
#include "cadena/report/run_report.hpp"

namespace cadena::report {

// One row of `runs`, without the summary JSON and the scenario's text. The history fields are
// empty (and the timings 0) for runs stored by a cadena older than schema version 2.
struct StoredRun {
  std::int64_t id = 0;
  std::string scenario, dataset, solver, status, created_at;
  int year = 0;
  double objective_usd = 0.0;
  std::string scenario_file, scenario_sha256, dataset_version, cadena_version;
  double load_s = 0.0, build_s = 0.0, solve_s = 0.0, report_s = 0.0;
  // A pathway run's years, ascending (`year` is the first); empty for a single-year run and for
  // every run stored before schema version 3.
  std::vector<int> years;
  bool pathway() const { return !years.empty(); }
};

// A run with everything the history keeps: the scenario file's text and summary.json.
struct RunRecord {
  StoredRun run;
  std::string scenario_text;
  std::string summary_json;
};

// A marginal price read back from a store.
struct StoredPrice {
  std::int64_t run_id = 0;
  std::string scenario;
  std::string region, product, unit;  // region: a demand region, or a country (market price)
  double usd_per_unit = 0.0;
  bool market = false;  // true: from market_prices (country balance), not a demand row
};

// The price path of one product in one region, read back from a stored pathway run: the dual
// of the demand row of each year when the region has one, else the product's market price in
// that country (every year from the same kind of row).
struct StoredPricePath {
  std::int64_t run_id = 0;
  std::string scenario;
  std::string region, product, unit;
  bool market = false;
  std::map<int, double> usd_per_unit;  // year of the run -> USD per unit, one entry per year of the run
  // The years each period stands for (a run over 2024:2050:5 has 2025 stand for 2025-2029):
  // the price in force in `year` is that of the last run year <= `year`; none before the first
  // year or after the last period (the last year stands for itself alone).
  std::optional<double> at(int year) const;
};

class ResultsStore {
 public:
  // Opens (and with `create`, creates) the store at `path`. A missing file without `create`
  // is a Missing error; a file that is not a cadena store is a Value error. Both name the path.
  static Result<ResultsStore> open(const std::filesystem::path& path, bool create);

  ResultsStore(ResultsStore&&) noexcept;
  ResultsStore& operator=(ResultsStore&&) noexcept;
  ~ResultsStore();  // rolls back a staged, uncommitted run

  // Inserts the run inside a transaction that stays open until commit(); returns its id as
  // staged. Only one run may be staged at a time. On error everything staged is rolled back.
  // `token` (optional) is stored with the run (table run_tokens) so an output folder can name it.
  Result<std::int64_t> stage_run(const RunReport& rep, const std::string& token = {});
  // The same for a pathway run (`cadena run --years ... --db`): one `runs` row (year = the first
  // year, years = all of them, objective = the discounted total cost, summary.json of the
  // pathway), every year's prices, market prices, flows, facilities, stage shares and unmet
  // demand with their year, and the pathway tables (run_years, stage_years, builds, retirements,
  // depletion, end_of_life_feed).
  Result<std::int64_t> stage_pathway_run(const PathwayReport& rep, const std::string& token = {});
  // Commits the staged run and returns its final id: the staged one, unless a new store was
  // created by another run meanwhile and this run went into that one instead.
  Result<std::int64_t> commit();
  void rollback();

  // Whether a run stored with `token` is in the store.
  Result<bool> has_token(const std::string& token) const;

  // What open() cleaned up (private files of runs killed while creating this store).
  const std::vector<std::string>& notes() const;

  // Every run, oldest first.
  Result<std::vector<StoredRun>> runs() const;
  // A run by id ("12") or by scenario name (the latest run of that scenario).
  Result<StoredRun> find_run(const std::string& run) const;
  // The same with the scenario text and summary.json.
  Result<RunRecord> record(const std::string& run) const;
  // PRAGMA user_version: 0 for stores written before the run history, else the current one.
  int schema_version() const;
  // Demand-row prices of a run, in insertion order (as ChainResult::demand_prices).
  Result<std::vector<chain::PriceRecord>> prices(std::int64_t run_id) const;
  // Market prices (country balances) of a run, in insertion order.
  Result<std::vector<chain::PriceRecord>> market_prices(std::int64_t run_id) const;
  // The summary.json and the flows of a run (as written to its output folder), for `cadena compare`.
  Result<std::string> run_summary(std::int64_t run_id) const;
  Result<std::vector<chain::FlowRecord>> run_flows(std::int64_t run_id) const;
  // The marginal price of `product` in `region` for `run` (id or scenario): the dual of the
  // demand row when the region has one, else the product's market price in that country.
  // Errors carry the key at fault ("run", "product" or "region") and the store's path.
  // A pathway run's prices are a path: asking for one price of it is a Value error (key "run").
  Result<StoredPrice> price(const std::string& run, const std::string& region, const std::string& product) const;
  // The price path by year of `product` in `region` for a stored pathway run (id or scenario
  // name, its latest run): what `deck = "store"` values a project on over its life. Errors carry
  // the key at fault and the store's path: "run" for an unknown run, a run that did not end
  // optimal, or a single-year run (which has no path: use price()); "product" for a product the
  // run never priced; "region" for a region without a price of that product.
  Result<StoredPricePath> price_path(const std::string& run, const std::string& region,
                                     const std::string& product) const;

  const std::filesystem::path& path() const { return m_path; }

 private:
  struct Impl;
  // What goes into the `runs` row.
  struct StagedRun {
    const RunInfo* info;
    std::string status;
    double objective_usd;
    std::string summary_json;
    std::vector<int> years;  // a pathway's; empty for a single year
  };
  // Begins the transaction, inserts the runs row and the token, then `rows(id)` adds the child
  // rows (returns the table that failed, or nullptr); on any error everything rolls back.
  Result<std::int64_t> stage_rows(const StagedRun& run, const std::string& token,
                                  const std::function<const char*(std::int64_t)>& rows);
  explicit ResultsStore(std::unique_ptr<Impl> impl, std::filesystem::path path);
  std::unique_ptr<Impl> m_impl;
  std::filesystem::path m_path;
};

// open(create) + stage_run + commit: appends one run and returns its id.
Result<std::int64_t> append_run(const std::filesystem::path& db, const RunReport& rep);

// An output folder whose marker (core/publish.hpp) says its run was published but never
// committed to its store (the run was killed in between): a note saying so, naming the store.
// Nothing when the folder has no such marker or the store holds the run after all.
std::optional<std::string> unstored_run_note(const std::filesystem::path& folder);

// A run id as written by a user ("12"): digits only, at most 18 of them (ids are 64-bit).
bool is_run_id(const std::string& run);

}  // namespace cadena::report
