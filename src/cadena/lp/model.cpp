#include "cadena/lp/model.hpp"

#include <algorithm>
#include <atomic>
#include <cassert>

namespace cadena::lp {

namespace {
// Structure versions are drawn from one process-wide counter, so two different models never
// share a version: an adapter that keys its loaded problem on structure_version() cannot mistake
// a new model built at the same address with the same number of edits for the one it loaded.
// Each thread takes a block of versions from the counter and hands them out one by one: an
// atomic add per column, row and coefficient was several percent of a small chain build.
std::uint64_t next_structure_version() {
  constexpr std::uint64_t kBlock = 1u << 16;
  static std::atomic<std::uint64_t> counter{0};
  thread_local std::uint64_t next = 0, end = 0;
  if (next == end) {
    next = counter.fetch_add(kBlock, std::memory_order_relaxed) + 1;
    end = next + kBlock;
  }
  return next++;
}
}  // namespace

void Model::structure_changed() {
  m_structure_version = next_structure_version();
  ++m_data_version;
}

int Model::add_column(std::string_view name, double lower, double upper, double cost, bool integer) {
  return add_column({name}, lower, upper, cost, integer);
}

int Model::add_column(std::initializer_list<std::string_view> name_parts, double lower, double upper, double cost,
                      bool integer) {
  m_columns.push_back(Column{lower, upper, cost, integer});
  for (auto part : name_parts) m_col_names.append(part);
  m_col_name_end.push_back(m_col_names.size());
  structure_changed();
  return num_columns() - 1;
}

int Model::add_row(std::string_view name, double lower, double upper) { return add_row({name}, lower, upper); }

int Model::add_row(std::initializer_list<std::string_view> name_parts, double lower, double upper) {
  m_rows.push_back(Row{lower, upper});
  for (auto part : name_parts) m_row_names.append(part);
  m_row_name_end.push_back(m_row_names.size());
  structure_changed();
  return num_rows() - 1;
}

void Model::add_coefficient(int row, int col, double value) {
  assert(row >= 0 && row < num_rows() && col >= 0 && col < num_columns());
  m_coefs.push_back(Coefficient{row, col, value});
  structure_changed();
}

void Model::set_column_bounds(int col, double lower, double upper) {
  auto& c = m_columns[static_cast<std::size_t>(col)];
  c.lower = lower;
  c.upper = upper;
  ++m_data_version;
}

void Model::set_column_cost(int col, double cost) {
  m_columns[static_cast<std::size_t>(col)].cost = cost;
  ++m_data_version;
}

void Model::set_row_bounds(int row, double lower, double upper) {
  auto& r = m_rows[static_cast<std::size_t>(row)];
  r.lower = lower;
  r.upper = upper;
  ++m_data_version;
}

bool Model::has_integers() const {
  return std::any_of(m_columns.begin(), m_columns.end(), [](const Column& c) { return c.integer; });
}

void Model::reserve(std::size_t cols, std::size_t rows, std::size_t coefs, std::size_t col_name_chars,
                    std::size_t row_name_chars) {
  m_columns.reserve(cols);
  m_rows.reserve(rows);
  m_coefs.reserve(coefs);
  m_col_name_end.reserve(cols);
  m_row_name_end.reserve(rows);
  m_col_names.reserve(col_name_chars);
  m_row_names.reserve(row_name_chars);
}

const char* to_string(Termination t) {
  switch (t) {
    case Termination::Optimal: return "optimal";
    case Termination::Infeasible: return "infeasible";
    case Termination::Unbounded: return "unbounded";
    case Termination::IterationLimit: return "iteration_limit";
    case Termination::TimeLimit: return "time_limit";
    case Termination::NumericalError: return "numerical_error";
    case Termination::NotSolved: return "not_solved";
  }
  return "?";
}

}  // namespace cadena::lp
