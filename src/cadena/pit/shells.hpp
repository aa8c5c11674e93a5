#pragma once
// Nested pits (Whittle-style shells) over a revenue-factor range, and the best- and worst-case
// discounted values of a simple bench-by-bench schedule. See docs/pit.md.
#include <cstdint>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/core/progress.hpp"
#include "cadena/pit/model.hpp"

namespace cadena::pit {

struct ScheduleSpec {
  double capacity_tonnes_per_period = 0.0;  // <= 0: the whole pit in one period
  double discount_rate = 0.10;              // per period; period t (0-based) weighs 1/(1+r)^t
};

struct Shell {
  double revenue_factor = 0.0;
  std::size_t blocks = 0;        // cumulative: the whole pit at this factor
  double tonnes = 0.0;
  double ore_tonnes = 0.0;       // blocks worth processing at revenue factor 1
  double ore_grade = 0.0;        // tonnage-weighted mean grade of the ore (0 without grades)
  double value = 0.0;            // undiscounted value at revenue factor 1, currency
  double best_discounted = 0.0;  // shells mined in order, each increment bench by bench
  double worst_discounted = 0.0; // this pit mined bench by bench, top down
  int periods = 0;
};

struct ShellsResult {
  std::vector<Shell> shells;          // ascending revenue factor
  std::vector<std::uint16_t> shell_of;  // per block: 1-based index of the first shell holding it, 0 = none
};

// revenue_factors must be ascending and positive. Solves the largest factor on the whole model,
// then each smaller one on the sub-model inside the previous pit (minimal maximum closures are
// nested in the factor, so nothing is lost), and reports each shell at revenue factor 1.
// `progress` (may be null) hears the phases "shells" (one advance per solved factor) and "schedule".
Result<ShellsResult> nested_shells(const PitModel& m, const std::vector<double>& revenue_factors,
                                   const ScheduleSpec& schedule, Progress* progress = nullptr);

}  // namespace cadena::pit
