#pragma once
// Shared by the adapters (not part of the public interface): the column-major matrix built from
// the model's triplets, the checks every adapter needs before a library sees the model, and the
// sign bookkeeping that lets every library minimise.
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include "cadena/core/clock.hpp"
#include "cadena/core/error.hpp"
#include "cadena/lp/model.hpp"
#include "cadena/solvers/solver.hpp"

namespace cadena::solvers::detail {

// Compressed sparse columns: column j owns entries [starts[j], starts[j+1]); row indices are
// ascending within a column, duplicates of a (row, col) pair are summed and exact zeros dropped,
// which CLP tolerates but GLPK's glp_load_matrix rejects by aborting the process.
struct Csc {
  std::vector<int> starts;      // num_columns + 1
  std::vector<int> rows;        // nnz
  std::vector<double> values;   // nnz
  std::vector<int> row_counts;  // nonzeros per row (0 = empty row)
};

// Two counting-sort passes over the triplets (by row, then stably by column): O(nnz + m + n).
Csc build_csc(const lp::Model& model);

// What the library must never see: NaN anywhere, infinite coefficients, a lower bound of +inf or
// an upper bound of -inf, integer columns (the LP adapters do not branch), more than 2^31-1
// nonzeros. Returns the first problem as a Value error. MPS export allows integer columns.
Status check_model(const lp::Model& model, bool allow_integers = false);

// Decides the cases that need no simplex, or that CLP and GLPK handle badly: crossed bounds
// (lower > upper) and empty rows whose bounds exclude 0 are infeasible; a model without rows is
// solved column by column. Returns nothing when the model needs the library.
std::optional<lp::Solution> solve_trivially(const lp::Model& model, const Csc& csc, std::string_view solver);

// +1 for a minimisation, -1 for a maximisation: adapters hand the library (sign * cost) and always
// minimise, then multiply objective, duals and reduced costs back by sign. One rule, both libraries.
inline double sense_sign(const lp::Model& m) {
  return m.sense() == lp::ObjectiveSense::Maximize ? -1.0 : 1.0;
}

// The model in CLP's terms, as ClpSimplex::loadProblem takes it: COIN_DBL_MAX for an infinite
// bound (IEEE infinities confuse CLP's ratio tests) and sign * cost, so CLP always minimises.
// The CLP adapter and the MPS writer both build it here, so both hand CLP the same problem.
struct ClpArrays {
  std::vector<double> col_lower, col_upper, cost, row_lower, row_upper;
};
double to_clp(double bound);
void fill_clp_arrays(const lp::Model& model, ClpArrays& out);

// Solution vectors sized for the model and zero-filled, so callers can index them whatever the outcome.
lp::Solution sized_solution(const lp::Model& model, std::string_view solver);

std::unique_ptr<Solver> make_clp_solver();
std::unique_ptr<Solver> make_glpk_solver();
std::unique_ptr<Solver> make_cbc_solver();

using Clock = std::chrono::steady_clock;

}  // namespace cadena::solvers::detail
