#include "cadena/lp/numerics.hpp"

#include <fmt/format.h>

#include <cmath>

namespace cadena::lp {

namespace {

void widen(Extreme& lo, Extreme& hi, double v, int col, int row) {
  const double a = std::fabs(v);
  if (a == 0.0) return;
  if (lo.value == 0.0 || a < std::fabs(lo.value)) lo = {v, col, row};
  if (hi.value == 0.0 || a > std::fabs(hi.value)) hi = {v, col, row};
}

void widen_max(Extreme& hi, double v, int col, int row) {
  const double a = std::fabs(v);
  if (a == 0.0 || std::isinf(a)) return;
  if (hi.value == 0.0 || a > std::fabs(hi.value)) hi = {v, col, row};
}

std::string where(const Model& m, const Extreme& e) {
  std::string out;
  if (e.col >= 0) {
    const auto n = m.column_name(e.col);
    out += n.empty() ? fmt::format("column #{}", e.col) : fmt::format("column '{}'", n);
  }
  if (e.row >= 0) {
    const auto n = m.row_name(e.row);
    out += (out.empty() ? "" : " in ") + (n.empty() ? fmt::format("row #{}", e.row) : fmt::format("row '{}'", n));
  }
  return out;
}

Error unsafe(std::string msg) {
  return make_error(ErrorCategory::Value,
                    msg + "; the solver cannot take such numbers safely (docs/solvers.md, \"Numeric ranges\"): check "
                          "the input behind these names");
}

}  // namespace

double NumericRanges::matrix_ratio() const {
  if (matrix_min.value == 0.0) return 1.0;
  return std::fabs(matrix_max.value) / std::fabs(matrix_min.value);
}

NumericRanges numeric_ranges(const Model& m) {
  NumericRanges r;
  // Entries as added (the adapters sum duplicates of one (row, col); a sum far from its parts
  // is no case the formulations produce).
  for (const auto& c : m.coefficients()) widen(r.matrix_min, r.matrix_max, c.value, c.col, c.row);
  for (int j = 0; j < m.num_columns(); ++j) {
    const auto& c = m.column(j);
    widen(r.cost_min, r.cost_max, c.cost, j, -1);
    widen_max(r.bound_max, c.lower, j, -1);
    widen_max(r.bound_max, c.upper, j, -1);
  }
  for (int i = 0; i < m.num_rows(); ++i) {
    widen_max(r.rhs_max, m.row(i).lower, -1, i);
    widen_max(r.rhs_max, m.row(i).upper, -1, i);
  }
  return r;
}

Status check_numerics(const Model& m, const NumericLimits& lim) {
  for (int j = 0; j < m.num_columns(); ++j) {
    const auto& c = m.column(j);
    if (!std::isfinite(c.cost))
      return unsafe(fmt::format("{} has cost {}; expected a finite number", where(m, {c.cost, j, -1}), c.cost));
    if (std::isnan(c.lower) || std::isnan(c.upper))
      return unsafe(fmt::format("{} has bounds [{}, {}]; expected numbers", where(m, {0, j, -1}), c.lower, c.upper));
  }
  for (int i = 0; i < m.num_rows(); ++i)
    if (std::isnan(m.row(i).lower) || std::isnan(m.row(i).upper))
      return unsafe(fmt::format("{} has bounds [{}, {}]; expected numbers", where(m, {0, -1, i}), m.row(i).lower,
                                m.row(i).upper));
  for (const auto& c : m.coefficients())
    if (!std::isfinite(c.value))
      return unsafe(fmt::format("the coefficient of {} is {}; expected a finite number", where(m, {c.value, c.col, c.row}),
                                c.value));

  const NumericRanges r = numeric_ranges(m);
  auto mag = [](const Extreme& e) { return std::fabs(e.value); };
  if (r.matrix_min.value != 0.0 && mag(r.matrix_min) < lim.matrix_min)
    return unsafe(fmt::format("the coefficient of {} is {:g}, below {:g}", where(m, r.matrix_min), r.matrix_min.value,
                              lim.matrix_min));
  if (mag(r.matrix_max) >= lim.matrix_max)
    return unsafe(fmt::format("the coefficient of {} is {:g}, not below {:g}", where(m, r.matrix_max), r.matrix_max.value,
                              lim.matrix_max));
  if (r.matrix_ratio() > lim.matrix_ratio)
    return unsafe(fmt::format("matrix coefficients range from {:g} ({}) to {:g} ({}), a ratio of {:.3g}, above {:g}",
                              r.matrix_min.value, where(m, r.matrix_min), r.matrix_max.value, where(m, r.matrix_max),
                              r.matrix_ratio(), lim.matrix_ratio));
  if (mag(r.cost_max) >= lim.cost_max)
    return unsafe(fmt::format("{} has cost {:g}, not below {:g}", where(m, r.cost_max), r.cost_max.value, lim.cost_max));
  if (mag(r.bound_max) >= lim.bound_max)
    return unsafe(fmt::format("{} has a bound of {:g}, not below {:g}", where(m, r.bound_max), r.bound_max.value,
                              lim.bound_max));
  if (mag(r.rhs_max) >= lim.bound_max)
    return unsafe(fmt::format("{} has a bound of {:g}, not below {:g}", where(m, r.rhs_max), r.rhs_max.value, lim.bound_max));
  if (!std::isfinite(m.objective_offset()) || std::fabs(m.objective_offset()) >= lim.cost_max * lim.bound_max)
    return unsafe(fmt::format("the objective offset is {:g}; expected a finite number", m.objective_offset()));
  return ok_status();
}

std::string describe(const NumericRanges& r) {
  auto a = [](const Extreme& e) { return std::fabs(e.value); };
  return fmt::format("matrix [{:.1e}, {:.1e}], cost [{:.1e}, {:.1e}], bounds {:.1e}, rhs {:.1e}", a(r.matrix_min),
                     a(r.matrix_max), a(r.cost_min), a(r.cost_max), a(r.bound_max), a(r.rhs_max));
}

}  // namespace cadena::lp
