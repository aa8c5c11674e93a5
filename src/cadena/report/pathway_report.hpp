#pragma once
// The files and the text a pathway run (`cadena run --years`) produces: flows.csv and
// facilities.csv with a year column, builds.csv (capacity that comes online: where, by whom, with
// what capex), summary.json with per-year series, and a short readable table for chosen years
// (docs/formulation.md, "Pathway outputs"). Strings first, then one publication, as for a
// single-year run.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cadena/analytics/shares.hpp"
#include "cadena/chain/network.hpp"
#include "cadena/chain/pathway.hpp"
#include "cadena/core/error.hpp"
#include "cadena/core/publish.hpp"
#include "cadena/report/run_report.hpp"

namespace cadena::report {

struct PathwayYear {
  int year = 0;
  double weight = 1.0;        // years the period stands for
  double cost_weight = 1.0;   // those years discounted to the first year
  chain::ChainResult result;  // USD of the year
  std::vector<analytics::StageSummary> stages;
  double build_charge_usd = 0.0;  // yearly capital charge + fixed O&M of the builds producing this year
  double depletion_usd = 0.0;     // extra cost of the resource tranches extracted this year
  std::map<std::string, double> feed_available, feed_used;  // recycling: region -> contained units
  std::vector<std::pair<std::string, double>> outside;      // demand met outside the chain: "group:name:region" -> quantity
};

struct DepletionRecord {
  std::string deposit, unit;
  std::vector<double> quantity;   // per tranche
  std::vector<double> extracted;  // per tranche, cumulative over the horizon
};

struct PathwayReport {
  RunInfo info;              // dataset, scenario, solver, first year, timings (build_s, solve_s summed)
  std::string mode;          // foresight | myopic
  std::string demand_path;   // "" = demand held at the dataset year
  double discount_rate = 0.0;
  bool mip = false;
  double lp_bound_usd = 0.0;  // --mip: the LP relaxation's objective (discounted USD)
  double mip_gap = 0.0;       // --mip: the relative gap when CBC stopped
  int mip_nodes = 0;
  double total_cost_usd = 0.0;  // discounted: sum_t W_t (operating + build charges + depletion)
  double lp_objective_usd = 0.0;  // sum of the windows' LP objectives (= total_cost_usd with perfect foresight)
  lp::Termination termination = lp::Termination::NotSolved;
  std::vector<PathwayYear> years;
  std::vector<chain::BuildRecord> builds;  // committed and decided, by year
  std::vector<chain::RetirementRecord> retirements;
  std::vector<DepletionRecord> depletion;
  std::vector<std::string> notes;
  // The dataset the pathway solved (scenario applied): product names and units, country names,
  // for report.html (may be null: the report then shows ids).
  std::shared_ptr<const model::Dataset> dataset;
};

// flows.csv of a pathway: year, then the single-year columns.
std::string pathway_flows_csv(const PathwayReport& r);
// facilities.csv of a pathway: year, then the single-year columns; rows with capacity or output.
std::string pathway_facilities_csv(const PathwayReport& r);
// builds.csv: year,decision_year,asset,option,kind,stage,country,product,capacity,unit,capex_usd,owners,
// owners_lookthrough.
std::string builds_csv(const PathwayReport& r);
// A build's owner nationalities as builds.csv writes them: "CC:share;..." with the rest
// "unattributed"; direct owners, or the ultimate owners after look-through (model/ownership.hpp).
std::string build_owners_text(const chain::BuildRecord& b, bool lookthrough = false);
// summary.json of a pathway (keys in docs/formulation.md, "Pathway outputs").
std::string pathway_summary_json(const PathwayReport& r);
// The readable summary: totals and a short table for `show` years (empty: first, 2030, 2035, last).
std::string pathway_summary_text(const PathwayReport& r, std::vector<int> show = {});

// Writes the four files (and `extra`, e.g. report.html) as the folder `dir` (publish_folder: all
// at once).
Result<Publication> write_pathway_outputs(const PathwayReport& r, const std::filesystem::path& dir,
                                          std::string_view marker = {}, std::vector<OutputFile> extra = {});

}  // namespace cadena::report
