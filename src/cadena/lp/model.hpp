#pragma once
// Solver-neutral LP/MIP model. Formulations (chain/) build it; adapters (solvers/) solve it.
// The model is built once and may be changed in place afterwards (bounds, costs, row bounds)
// without rebuilding: structure_version() only moves when columns, rows or coefficients are
// added, so an adapter can keep its loaded problem and warm-start when only data changed.
//
// Names follow `<family>:<element>[:<period>]`, e.g. `flow:CL-CN:li2co3:2024`, so an MPS export,
// an infeasibility report and a dual table read alike. They are kept apart from the numbers, all
// column names in one character buffer and all row names in another (column_name(), row_name()):
// a std::string per column and row was one allocation each, about a sixth of a small chain build.
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace cadena::lp {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

enum class ObjectiveSense { Minimize, Maximize };

struct Column {
  double lower = 0.0;
  double upper = kInf;
  double cost = 0.0;
  bool integer = false;
};

// lower <= sum(a_j x_j) <= upper; equality when lower == upper.
struct Row {
  double lower = -kInf;
  double upper = kInf;
};

struct Coefficient {
  int row;
  int col;
  double value;
};

class Model {
 public:
  int add_column(std::string_view name, double lower, double upper, double cost, bool integer = false);
  int add_row(std::string_view name, double lower, double upper);
  // The same with the name given as parts to concatenate, e.g. {"flow:", from, "-", to, ":", p}:
  // the parts go straight into the name buffer, with no temporary string. A single part may be a
  // name of this model (column_name(k)); several parts must not be.
  int add_column(std::initializer_list<std::string_view> name_parts, double lower, double upper, double cost,
                 bool integer = false);
  int add_row(std::initializer_list<std::string_view> name_parts, double lower, double upper);
  // Adds a_{row,col} (duplicates of the same (row, col) are summed by the adapters).
  void add_coefficient(int row, int col, double value);

  void set_column_bounds(int col, double lower, double upper);
  void set_column_cost(int col, double cost);
  void set_row_bounds(int row, double lower, double upper);
  void set_objective_offset(double offset) { m_offset = offset; }
  void set_sense(ObjectiveSense s) { m_sense = s; }

  int num_columns() const { return static_cast<int>(m_columns.size()); }
  int num_rows() const { return static_cast<int>(m_rows.size()); }
  std::size_t num_coefficients() const { return m_coefs.size(); }
  const Column& column(int j) const { return m_columns[static_cast<std::size_t>(j)]; }
  const Row& row(int i) const { return m_rows[static_cast<std::size_t>(i)]; }
  // Name of column j / row i ("" when added without one). The view is valid until the next
  // column (row) is added.
  std::string_view column_name(int j) const { return name_at(m_col_names, m_col_name_end, j); }
  std::string_view row_name(int i) const { return name_at(m_row_names, m_row_name_end, i); }
  const std::vector<Column>& columns() const { return m_columns; }
  const std::vector<Row>& rows() const { return m_rows; }
  const std::vector<Coefficient>& coefficients() const { return m_coefs; }
  double objective_offset() const { return m_offset; }
  ObjectiveSense sense() const { return m_sense; }
  bool has_integers() const;

  // Moves whenever the structure changes (columns, rows, coefficients); not on data changes.
  // Unique across all models of the process (a copy keeps its original's until it changes), so
  // equal versions mean equal structure even for two models built one after the other.
  std::uint64_t structure_version() const { return m_structure_version; }
  // Moves on every change, structure or data.
  std::uint64_t data_version() const { return m_data_version; }

  // name_chars: expected total length of the column (row) names, 0 = unknown.
  void reserve(std::size_t cols, std::size_t rows, std::size_t coefs, std::size_t col_name_chars = 0,
               std::size_t row_name_chars = 0);

 private:
  static std::string_view name_at(const std::string& chars, const std::vector<std::size_t>& end, int k) {
    const auto i = static_cast<std::size_t>(k);
    const std::size_t begin = i == 0 ? 0 : end[i - 1];
    return std::string_view(chars).substr(begin, end[i] - begin);
  }
  void structure_changed();

  std::vector<Column> m_columns;
  std::vector<Row> m_rows;
  std::string m_col_names, m_row_names;                // all names, back to back
  std::vector<std::size_t> m_col_name_end, m_row_name_end;  // end of each name in those
  std::vector<Coefficient> m_coefs;
  double m_offset = 0.0;
  ObjectiveSense m_sense = ObjectiveSense::Minimize;
  std::uint64_t m_structure_version = 0;
  std::uint64_t m_data_version = 0;
};

enum class Termination { Optimal, Infeasible, Unbounded, IterationLimit, TimeLimit, NumericalError, NotSolved };
const char* to_string(Termination t);

// A solve outcome is data, not an error: an infeasible model gives a Solution whose
// termination says so.
struct Solution {
  Termination termination = Termination::NotSolved;
  double objective = 0.0;             // includes the objective offset
  std::vector<double> x;              // column values
  std::vector<double> reduced_costs;  // per column: d(objective)/d(x_j) at a nonbasic bound
  std::vector<double> row_activity;   // sum(a x) per row
  // Row duals with one sign convention for every adapter: d(objective)/d(rhs), i.e. how much
  // the objective rises per unit increase of the row's binding bound. The same holds for a
  // maximisation (there a useful >= row has a negative dual); see docs/solvers.md.
  std::vector<double> row_duals;
  double solve_seconds = 0.0;
  int iterations = 0;
  // A MIP (cbc): the best bound on the optimum and the relative gap |objective - bound| /
  // max(1e-10, |objective|) when the search stopped; the branch-and-bound nodes explored.
  double mip_bound = 0.0;
  double mip_gap = 0.0;
  int mip_nodes = 0;
  std::string solver;   // "clp", "glpk", "cbc"
  std::string message;  // the solver's own status text
  bool ok() const { return termination == Termination::Optimal; }
};

struct SolveOptions {
  double time_limit_s = 0.0;  // 0 = none
  double mip_gap = 1e-4;      // cbc: stop when the relative gap to the best bound is below this
  bool presolve = true;
  // clp, a cold solve: let CLP choose the algorithm and its start (ClpSolve::automatic) instead
  // of the dual simplex. Set for the multi-period pathway LP, where it is 3-4x faster
  // (docs/benchmarks.md, "Pathways"); other solvers ignore it.
  bool automatic = false;
  int log_level = 0;          // 0 = silent (the library never prints)
};

}  // namespace cadena::lp
