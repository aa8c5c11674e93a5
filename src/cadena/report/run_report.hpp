#pragma once
// The files and the text a network run produces: flows.csv, facilities.csv, summary.json and a
// readable summary. Everything is built as strings first; write_run_outputs() only touches the
// file system once every string exists, and publishes the folder with one rename, so a failed
// run never leaves a half-written output folder.
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cadena/analytics/bottlenecks.hpp"
#include "cadena/analytics/shares.hpp"
#include "cadena/analytics/value_added.hpp"
#include "cadena/chain/network.hpp"
#include "cadena/core/error.hpp"
#include "cadena/core/publish.hpp"

namespace cadena::report {

struct RunInfo {
  std::string dataset;   // dataset name
  std::string scenario;  // scenario name ("baseline" without a scenario file)
  std::string solver;
  int year = 0;
  double load_s = 0.0;   // reading the dataset and applying the scenario
  double build_s = 0.0;  // building the LP from the dataset
  double solve_s = 0.0;  // the solver call
  int lp_columns = 0, lp_rows = 0;
  std::size_t lp_nonzeros = 0;
  int iterations = 0;
  double report_s = 0.0;  // building report.html (0 without --report)
  // What the run history records (report::ResultsStore, `cadena runs`):
  std::string scenario_file;    // as given ("" for the built-in baseline)
  std::string scenario_sha256;  // of the scenario file's bytes ("" without one)
  std::string scenario_text;    // the scenario file itself ("" without one)
  std::string dataset_version;  // "<name> sha256:<hash of the dataset folder's files>"
  std::string cadena_version;
  std::vector<std::string> overrides;  // `--set KEY=VALUE` given on the command line, in order
  // The contained metal every product converts to and each product's factor (dataset units),
  // so a reader of summary.json can add quantities of different products (compare, sweeps).
  std::string contained_unit;
  std::vector<std::pair<std::string, double>> contained_per_unit;  // product -> factor
};

// What facilities.csv adds to a facility's LP result from the dataset: its coordinates and its
// owners in the run year, direct and after look-through ("company:share;..." and
// "country:share;...", analytics::owners_text).
struct FacilityDetail {
  double lat = 0.0, lon = 0.0;
  std::string owners, owner_countries, ultimate_owners, ultimate_owner_countries;
};

// Everything the writers need about one solved run.
struct RunReport {
  RunInfo info;
  chain::ChainResult result;
  std::vector<analytics::StageSummary> stages;
  std::vector<analytics::Bottleneck> bottlenecks;  // binding capacities, largest saving first
  // The dataset the run solved (scenario applied): facility locations, owners and product
  // declarations for the HTML report. Null for a report assembled without one.
  std::shared_ptr<const model::Dataset> dataset;
  std::vector<analytics::CountryValue> value_added;  // per country, at the LP's market prices
  std::vector<FacilityDetail> details;  // same order as result.facilities (empty: columns left blank)
  // How production was decided: "cost-minimal" (no production floor) or "observed" (floors at the
  // reported output); the text summary says it in its first line.
  std::string mode = "cost-minimal";
};

// flows.csv: family,element,from,to,product,quantity,unit,unit_cost_usd,cost_usd (nonzero columns).
std::string flows_csv(const chain::ChainResult& r);
// facilities.csv: id,name,stage,country,lat,lon,product,output,unit,capacity,utilisation,
// reduced_cost_usd_per_unit,cost_usd,co2_t,water_m3,brine_m3,active,owners,owner_countries,ultimate_owners,
// ultimate_owner_countries,source.
std::string facilities_csv(const RunReport& r);
// summary.json (pretty-printed; keys in docs/formulation.md "Outputs").
std::string summary_json(const RunReport& r);
// The readable summary `cadena run` prints.
std::string summary_text(const RunReport& r);

// Writes flows.csv, facilities.csv, summary.json and `extra` (report.html) as the folder `dir`
// through publish_folder (core/publish.hpp): all at once, replacing only a folder cadena wrote,
// with leftovers of a killed earlier run recovered and reported in the notes. `marker` goes into
// the folder's .cadena-out file. Io errors name the path.
Result<Publication> write_run_outputs(const RunReport& r, const std::filesystem::path& dir,
                                      std::string_view marker = {}, std::vector<OutputFile> extra = {});

// A CSV field, quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& s);

// A readable magnitude for text summaries: "1.23 bn", "4.56 M", "789", "0.123".
std::string human_number(double v);

}  // namespace cadena::report
