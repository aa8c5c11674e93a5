#pragma once
// Two runs side by side (`cadena compare A B`): what a user asks of a "what if" — total cost and
// its split, prices, each stage's output, concentration (HHI) and shares by location and by owner
// nationality (direct, and after look-through when the runs report it), value added per country,
// emissions, water, unmet demand, the rules that bind with their duals, and the trade flows that
// changed most. Both runs are read from what a run publishes (summary.json and flows.csv), so a
// run solved now, an output folder and a stored run compare alike.
//
// The Comparison is the data; compare_json() is its documented JSON form (docs/formulation.md,
// "Comparing runs"), which the HTML report renders; compare_text() is the terminal table.
#include <optional>
#include <string>
#include <vector>

#include <memory>

#include "cadena/chain/network.hpp"
#include "cadena/core/error.hpp"
#include "cadena/model/dataset.hpp"

namespace cadena::report {

// One run as published.
struct RunSnapshot {
  std::string label;         // what the user named: a scenario file, a folder, a run id
  std::string summary_json;  // its summary.json
  std::vector<chain::FlowRecord> flows;  // its flows.csv rows (may be empty: no flow table)
  // For the HTML report (`cadena compare --report`) only: the facility results (facilities.csv;
  // empty for a stored run) and the dataset the run names (coordinates, owners, declarations;
  // null when it cannot be read).
  std::vector<chain::FacilityRecord> facilities = {};
  std::shared_ptr<const model::Dataset> dataset = {};
};

// A number in A and in B. A side that lacks it (a country with no output in that run) is absent;
// delta() reads it as 0.
struct Pair {
  std::optional<double> a, b;
  double delta() const { return b.value_or(0.0) - a.value_or(0.0); }
};

struct Row {
  std::string key;   // what the number is: "production", "US.cell_nmc", "AR"
  std::string unit;  // its unit ("USD", "USD/t LCE", "share", "t LCE")
  Pair value;
};

struct StageComparison {
  std::string stage, unit;
  Pair output, capacity;
  Pair hhi_country, hhi_owner_country, hhi_ultimate_owner_country;  // the last only when reported
  std::vector<Row> by_country, by_owner_country, by_ultimate_owner_country;  // shares (0..1)
};

struct RuleComparison {
  std::string id, kind, unit;
  Pair activity, bound;
  Pair dual_usd;                 // USD per unit of the rule's activity
  bool binding_a = false, binding_b = false;
};

struct FlowComparison {
  std::string family, from, to, product, unit;
  Pair quantity;
  double contained_delta = 0.0;  // B - A in the dataset's contained unit (the ranking key)
};

struct Comparison {
  struct Side {
    std::string label, scenario, dataset, status, solver;
    int year = 0;
    std::vector<std::string> overrides;
  } a, b;
  std::string contained_unit;
  std::vector<Row> totals;         // objective_usd, cost_usd.<part>, emissions, water, unmet
  std::vector<Row> prices;         // key "<region>.<product>", unit "USD/<unit>"
  std::vector<Row> market_prices;  // key "<product>.<country>"
  std::vector<StageComparison> stages;
  std::vector<Row> value_added;    // key country, USD; largest |delta| first
  std::vector<Row> unmet;          // key "<region>.<product>"
  std::vector<RuleComparison> rules;  // binding in A or B
  std::vector<FlowComparison> flows;  // largest |contained_delta| first, at most max_flows
  std::vector<std::string> notes;     // e.g. the runs use different datasets
};

struct CompareOptions {
  std::size_t max_flows = 15;
  double tolerance = 1e-6;  // relative: smaller differences count as none (solver noise)
};

// Builds the comparison. A summary.json that is not JSON, or lacks objective_usd, is a Value error
// naming the snapshot's label.
Result<Comparison> compare_runs(const RunSnapshot& a, const RunSnapshot& b, const CompareOptions& options = {});

// The comparison as JSON (docs/formulation.md, "Comparing runs"): numbers rounded to 6
// significant digits, deltas of shares in percentage points.
std::string compare_json(const Comparison& c);
// A readable side-by-side table: money in M/bn, shares in %, deltas with signs; rows that did not
// change are left out of the longer sections.
std::string compare_text(const Comparison& c);

}  // namespace cadena::report
