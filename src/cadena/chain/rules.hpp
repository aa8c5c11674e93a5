#pragma once
// Policy rules in the chain LP (model::Rule; docs/formulation.md "Policy rules"). The builder
// families run after the per-period blocks of Network::build, one function per family, each
// documented under its name; a rule applies in every period whose year is within its
// from_year..to_year (the single-year model: the dataset year). Without rules nothing is added,
// so the LP of a dataset without rules is unchanged.
#include <string>
#include <vector>

#include "cadena/lp/model.hpp"
#include "cadena/model/dataset.hpp"

namespace cadena::chain {

// What a rule put into the LP, for one period.
struct RuleIndex {
  std::size_t rule = 0;  // index into Dataset::rules
  int period = 0;
  // The rows whose duals say what the rule costs at the margin (cap, quota, share, minimum;
  // for origin and ownership tracking: the class balance rows of the products the rule names).
  std::vector<int> rows;
  std::vector<double> row_per_unit;  // per row: units of the record's unit in one unit of the row (empty = 1)
  std::vector<double> quantity_factor;  // per quantity column: factor to the record's unit (empty = 1)
  // Objective terms the rule added: column and USD per unit of it (credits negative).
  struct Term {
    int col = -1;
    double usd_per_unit = 0.0;
  };
  std::vector<Term> terms;
  // What the rule's own payments are, for its record (origin tariffs: the full duty on the
  // class's imports; duty exemptions: the duty not paid, negative).
  std::vector<Term> paid;
  // Columns whose sum is the quantity the rule acts on (imports of an origin, credited output,
  // the deliveries a region accepts under an ownership rule).
  std::vector<int> quantity_cols;
  int shortfall_col = -1;  // min_output: what the facility fell short by (at a penalty)
  // Royalty: per term, the facility and the market row whose dual is its mine-head value when
  // the rule has no reference price (-1 otherwise).
  std::vector<int> royalty_facility, royalty_price_row;
  double excluded_capacity = 0.0;  // tech_export_ban, ownership: capacity the rule shuts out
  std::vector<std::pair<std::string, double>> excluded_by_stage;  // ownership: by stage id
  std::string unit;  // of the quantity
};

// One rule's result in a period (summary.json `rules`).
struct RuleRecord {
  std::string id, kind, source;
  int year = 0;
  double quantity = 0.0;  // see RuleIndex::quantity_cols; the capped sum for caps and quotas
  std::string unit;
  double bound = 0.0;     // the cap, quota, minimum or share the rule sets (0 when none)
  double payment_usd = 0.0;  // what the rule's own terms cost (tariffs, royalties; credits < 0)
  double dual_usd = 0.0;  // marginal cost of the rule: USD per unit of its bound (largest magnitude)
  bool binding = false;   // a row at its bound with a nonzero dual, or a shortfall
  double shortfall = 0.0;  // min_output: quantity not produced
  double excluded_capacity = 0.0;
  std::vector<std::pair<std::string, double>> excluded_by_stage;
};

}  // namespace cadena::chain
