#pragma once
// The numeric health of an LP before any solver sees it: the range of the matrix coefficients,
// costs, bounds and right-hand sides, the way HiGHS and Gurobi report it ("Matrix [1e-3, 6e+6]"),
// and a check that refuses what simplex codes cannot solve reliably (docs/solvers.md, "Numeric
// ranges"). CLP aborts the process (a failed assertion, SIGABRT) on costs of 1e40 or bounds of
// 1e308 and returns "numerical error" on a 1e12 coefficient beside ones of 1: such a model is
// bad input, refused here with the LP names of the entries at fault.
#include <string>

#include "cadena/core/error.hpp"
#include "cadena/lp/model.hpp"

namespace cadena::lp {

// Where an extreme magnitude sits: the column and/or row name and its value.
struct Extreme {
  double value = 0.0;  // the signed value; 0 when the category has no nonzero entry
  int col = -1, row = -1;
};

struct NumericRanges {
  Extreme matrix_min, matrix_max;  // smallest and largest nonzero |a_ij| as added
  Extreme cost_min, cost_max;      // nonzero |c_j|
  Extreme bound_max;               // largest finite nonzero |column bound|
  Extreme rhs_max;                 // largest finite nonzero |row bound|
  double matrix_ratio() const;     // max / min, 1 when there is no coefficient
};

NumericRanges numeric_ranges(const Model& m);

// The limits: the first four as HiGHS treats entries (small_matrix_value 1e-9, large_matrix_value
// 1e15, infinite cost and bound 1e20 — we stop at 1e15 so that a product of two never overflows
// double precision in a dual), the ratio as Gurobi's guideline (below 1e9).
struct NumericLimits {
  double matrix_min = 1e-9;
  double matrix_max = 1e15;
  double matrix_ratio = 1e9;
  double cost_max = 1e15;
  double bound_max = 1e15;
};

// A Value error naming the LP entries at fault and the limit, or ok. NaN or infinite
// coefficients and costs and NaN bounds are refused too (an infinite bound means "none").
Status check_numerics(const Model& m, const NumericLimits& limits = {});

// "matrix [1e-3, 6e+6], cost [0.2, 65], bounds 5e+7, rhs 5e+7": one line for logs and reports.
std::string describe(const NumericRanges& r);

}  // namespace cadena::lp
