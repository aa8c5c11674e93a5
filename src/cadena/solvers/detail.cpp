#include "cadena/solvers/detail.hpp"

#include "cadena/lp/numerics.hpp"

#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace cadena::solvers::detail {

namespace {
// Feasibility tolerance for the checks decided here; the libraries' own default is 1e-7.
constexpr double kFeasTol = 1e-7;

std::string col_label(const lp::Model& m, int j) {
  const auto n = m.column_name(j);
  return n.empty() ? fmt::format("column #{}", j) : fmt::format("column '{}'", n);
}
std::string row_label(const lp::Model& m, int i) {
  const auto n = m.row_name(i);
  return n.empty() ? fmt::format("row #{}", i) : fmt::format("row '{}'", n);
}
}  // namespace

Csc build_csc(const lp::Model& model) {
  const int n = model.num_columns();
  const int m = model.num_rows();
  const auto& coefs = model.coefficients();
  const std::size_t nz = coefs.size();

  // Pass 1: order the triplets by row (counting sort), so that pass 2, stable by column, leaves
  // the rows of every column ascending and duplicates adjacent.
  std::vector<int> row_start(static_cast<std::size_t>(m) + 1, 0);
  for (const auto& c : coefs) ++row_start[static_cast<std::size_t>(c.row) + 1];
  for (int i = 0; i < m; ++i) row_start[i + 1] += row_start[i];
  std::vector<int> by_row(nz);
  {
    std::vector<int> next(row_start.begin(), row_start.end() - 1);
    for (std::size_t k = 0; k < nz; ++k) by_row[static_cast<std::size_t>(next[coefs[k].row]++)] = static_cast<int>(k);
  }

  Csc csc;
  csc.starts.assign(static_cast<std::size_t>(n) + 1, 0);
  for (const auto& c : coefs) ++csc.starts[static_cast<std::size_t>(c.col) + 1];
  for (int j = 0; j < n; ++j) csc.starts[j + 1] += csc.starts[j];
  std::vector<int> order(nz);
  {
    std::vector<int> next(csc.starts.begin(), csc.starts.end() - 1);
    for (int k : by_row) order[static_cast<std::size_t>(next[coefs[k].col]++)] = k;
  }

  // Merge duplicates and drop zeros, compacting in place column by column.
  csc.rows.resize(nz);
  csc.values.resize(nz);
  csc.row_counts.assign(static_cast<std::size_t>(m), 0);
  int out = 0;
  for (int j = 0; j < n; ++j) {
    const int begin = csc.starts[j];
    const int end = csc.starts[j + 1];
    csc.starts[j] = out;
    int p = begin;
    while (p < end) {
      const int r = coefs[order[p]].row;
      double v = 0.0;
      while (p < end && coefs[order[p]].row == r) v += coefs[order[p++]].value;
      if (v != 0.0) {
        csc.rows[out] = r;
        csc.values[out] = v;
        ++csc.row_counts[r];
        ++out;
      }
    }
  }
  csc.starts[n] = out;
  csc.rows.resize(static_cast<std::size_t>(out));
  csc.values.resize(static_cast<std::size_t>(out));
  return csc;
}

Status check_model(const lp::Model& model, bool allow_integers) {
  if (model.num_coefficients() > static_cast<std::size_t>(std::numeric_limits<int>::max()))
    return make_error(ErrorCategory::Value,
                      fmt::format("the model has {} nonzeros; the solver adapters take at most 2^31-1",
                                  model.num_coefficients()));
  if (std::isnan(model.objective_offset()) || std::isinf(model.objective_offset()))
    return make_error(ErrorCategory::Value, "objective offset must be a finite number");
  for (int j = 0; j < model.num_columns(); ++j) {
    const auto& c = model.column(j);
    if (std::isnan(c.lower) || std::isnan(c.upper) || c.lower == lp::kInf || c.upper == -lp::kInf)
      return make_error(ErrorCategory::Value,
                        fmt::format("{}: bounds [{}, {}]; expected numbers with lower < +inf and upper > -inf",
                                    col_label(model, j), c.lower, c.upper));
    if (!std::isfinite(c.cost))
      return make_error(ErrorCategory::Value, fmt::format("{}: cost {} is not a finite number", col_label(model, j), c.cost));
    if (c.integer && !allow_integers)
      return make_error(ErrorCategory::Value,
                        fmt::format("{} is integer; the LP adapters (clp, glpk) solve continuous models only",
                                    col_label(model, j)));
  }
  for (int i = 0; i < model.num_rows(); ++i) {
    const auto& r = model.row(i);
    if (std::isnan(r.lower) || std::isnan(r.upper) || r.lower == lp::kInf || r.upper == -lp::kInf)
      return make_error(ErrorCategory::Value,
                        fmt::format("{}: bounds [{}, {}]; expected numbers with lower < +inf and upper > -inf",
                                    row_label(model, i), r.lower, r.upper));
  }
  for (const auto& c : model.coefficients()) {
    if (!std::isfinite(c.value))
      return make_error(ErrorCategory::Value,
                        fmt::format("coefficient of {} in {} is {}; expected a finite number",
                                    col_label(model, c.col), row_label(model, c.row), c.value));
  }
  // Magnitudes a simplex code cannot take safely (CLP aborts on some): refused before a solve.
  if (!allow_integers) CADENA_TRY(lp::check_numerics(model));
  return ok_status();
}

lp::Solution sized_solution(const lp::Model& model, std::string_view solver) {
  lp::Solution s;
  s.solver = std::string(solver);
  s.x.assign(static_cast<std::size_t>(model.num_columns()), 0.0);
  s.reduced_costs.assign(static_cast<std::size_t>(model.num_columns()), 0.0);
  s.row_activity.assign(static_cast<std::size_t>(model.num_rows()), 0.0);
  s.row_duals.assign(static_cast<std::size_t>(model.num_rows()), 0.0);
  return s;
}

std::optional<lp::Solution> solve_trivially(const lp::Model& model, const Csc& csc, std::string_view solver) {
  for (int j = 0; j < model.num_columns(); ++j) {
    const auto& c = model.column(j);
    if (c.lower > c.upper) {
      auto s = sized_solution(model, solver);
      s.termination = lp::Termination::Infeasible;
      s.message = fmt::format("{} has lower bound {} above upper bound {}", col_label(model, j), c.lower, c.upper);
      return s;
    }
  }
  for (int i = 0; i < model.num_rows(); ++i) {
    const auto& r = model.row(i);
    const bool crossed = r.lower > r.upper;
    const bool empty_excludes_zero = csc.row_counts[static_cast<std::size_t>(i)] == 0 &&
                                     (r.lower > kFeasTol || r.upper < -kFeasTol);
    if (crossed || empty_excludes_zero) {
      auto s = sized_solution(model, solver);
      s.termination = lp::Termination::Infeasible;
      s.message = crossed ? fmt::format("{} has lower bound {} above upper bound {}", row_label(model, i), r.lower, r.upper)
                          : fmt::format("{} has no coefficients but bounds [{}, {}] exclude 0", row_label(model, i),
                                        r.lower, r.upper);
      return s;
    }
  }
  if (!csc.rows.empty()) return std::nullopt;

  // No nonzero coefficient: every row is empty (and feasible, checked above), so each column
  // sits independently at the bound its cost prefers. Libraries stumble on such models (CLP
  // with zero rows or columns), and the answer needs no simplex.
  auto s = sized_solution(model, solver);
  const double sign = sense_sign(model);
  double obj = model.objective_offset();
  for (int j = 0; j < model.num_columns(); ++j) {
    const auto& c = model.column(j);
    const double k = sign * c.cost;  // cost in the minimisation the libraries would see
    double x;
    if (k > 0.0) x = c.lower;
    else if (k < 0.0) x = c.upper;
    else x = std::isfinite(c.lower) ? c.lower : (std::isfinite(c.upper) ? c.upper : 0.0);
    if (!std::isfinite(x)) {
      s.termination = lp::Termination::Unbounded;
      s.message = fmt::format("{} has cost {} and no bound in its improving direction", col_label(model, j), c.cost);
      return s;
    }
    s.x[static_cast<std::size_t>(j)] = x;
    s.reduced_costs[static_cast<std::size_t>(j)] = c.cost;
    obj += c.cost * x;
  }
  s.termination = lp::Termination::Optimal;
  s.objective = obj;
  s.message = "solved without the library (no nonzero coefficients)";
  return s;
}

}  // namespace cadena::solvers::detail
