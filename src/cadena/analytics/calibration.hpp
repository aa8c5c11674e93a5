#pragma once
// The model against published statistics: every reference row of the dataset (output by stage
// and country, a country's share of a stage, prices) and every stage and country with reported
// output, set beside the cost-minimal run (no production floor) and the observed run (production
// held at the reported output). Numbers only; engine::calibrate runs the two solves and the CLI
// prints the table.
#include <optional>
#include <string>
#include <vector>

#include "cadena/chain/network.hpp"
#include "cadena/model/dataset.hpp"

namespace cadena::analytics {

struct CalibrationRow {
  // output | share | price: a reference.csv row; reported: the sum of the facilities' reported
  // output for the dataset year (output_<year>, active facilities, capped at available capacity).
  std::string metric;
  std::string key;      // stage id (output, share, reported) or product id (price)
  std::string country;  // ISO code, region id or "*"
  std::string unit;     // unit of reference, low, high, baseline and observed
  std::optional<double> reference, low, high;
  double baseline = 0.0;  // cost-minimal run
  double observed = 0.0;  // run with the production floor at reported output
  std::string source;     // the reference row's source, or "facilities.csv output_<year>"
  int line = 0;           // reference.csv line (0 for reported rows)

  // model / reference - 1; nullopt without a nonzero reference.
  std::optional<double> baseline_deviation() const;
  std::optional<double> observed_deviation() const;
};

// Rows for every reference statistic of the dataset year that the model can compute (consumption
// rows are compared with the chain's deliveries to demand), then one `reported` row per stage and
// country with reported output. Output is compared in the contained unit when the reference unit
// converts (t Li -> t LCE), else in the stage's own unit. Prices: the market price (dual of the
// product's balance) in the country, else the demand price of the region.
std::vector<CalibrationRow> calibration_rows(const model::Dataset& dataset, const chain::ChainResult& baseline,
                                             const chain::ChainResult& observed);

}  // namespace cadena::analytics
