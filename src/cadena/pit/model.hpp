#pragma once
// A block model ready for the solver: precedence, integer values, and the parts needed to
// re-price it for nested shells (revenue and costs) and to report tonnes and grades.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/pit/precedence.hpp"
#include "cadena/pit/pseudoflow.hpp"
#include "cadena/pit/readers.hpp"

namespace cadena::pit {

struct PitModel {
  std::variant<ExplicitPrecedence, GridPrecedence> precedence;
  std::vector<std::int64_t> values;  // at revenue factor 1, in 1/value_scale currency units
  double value_scale = 1.0;
  // v(rf) = max(rf * revenue - cost_process, -cost_waste), currency. Left empty for raw value
  // files, which have no split: a positive value is then all revenue, a negative one all cost
  // (derived on demand, so a 2-million-block model does not carry 48 MB it never needs).
  std::vector<double> revenue, cost_process, cost_waste;
  std::vector<double> tonnes;  // empty: one tonne per block
  std::vector<double> grade;   // empty: no grade reported
  // x, y, z per block (z = bench, 0 the bottom); empty for grids (decoded from the id) and for
  // explicit models without coordinates (reported as id, 0, 0).
  std::vector<std::array<int, 3>> coords;
  std::string source;  // the file the values came from: named by solve() errors about them

  std::size_t size() const { return values.size(); }
  double tonnes_of(std::size_t b) const { return tonnes.empty() ? 1.0 : tonnes[b]; }
  std::array<int, 3> coord(std::size_t b) const;
  double revenue_of(std::size_t b) const;
  double cost_process_of(std::size_t b) const;
  double cost_waste_of(std::size_t b) const;
  double value_of(std::size_t b, double revenue_factor) const {
    return block_value(revenue_of(b), revenue_factor, cost_process_of(b), cost_waste_of(b));
  }
  // Integer values at a revenue factor (rounded to the value scale).
  std::vector<std::int64_t> values_at(double revenue_factor) const;
};

// Fills revenue/cost explicitly from the integer values (the same numbers the accessors derive).
void split_values(PitModel& m);

Result<Closure> solve(const PitModel& m, const std::vector<std::int64_t>& values);
bool is_closed(const PitModel& m, const std::vector<std::uint8_t>& in_pit);

// Model sources the CLI offers.
Result<PitModel> load_minelib(const std::string& prefix, double value_scale);
Result<PitModel> load_values_grid(const std::string& values_file, int nx, int ny, int nz, const SlopeSpec& slope);
Result<PitModel> load_values_prec(const std::string& values_file, const std::string& prec_file);
Result<PitModel> load_block_csv(const std::string& csv, const Economics& econ, const SlopeSpec& slope,
                                const std::string& prec_file);

}  // namespace cadena::pit
