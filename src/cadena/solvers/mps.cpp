// MPS export through CLP's own writer (CoinMpsIO), so the file is what COIN tools read back.
#include <ClpSimplex.hpp>
#include <CoinFinite.hpp>
#include <CoinMessageHandler.hpp>

#include <cctype>
#include <CoinError.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <fmt/format.h>
#include <type_traits>

#include "cadena/core/atomic_file.hpp"
#include "cadena/solvers/detail.hpp"
#include "cadena/solvers/solver.hpp"

namespace cadena::solvers {

namespace {
// CLP's objective is c.x - ClpObjOffset, and CoinMpsIO writes ClpObjOffset as the objective
// row's RHS: the usual MPS convention (constant = -RHS). The read-back test pins this down.
constexpr double kOffsetSign = -1.0;

// Neither CLP's nor GLPK's MPS reader takes an OBJSENSE section (CoinMpsIO ignores it, GLPK
// rejects the file), so a maximisation is written as the minimisation of the negated objective
// and says so in a comment line ahead of NAME, which both readers skip.
Status prepend_comment(const std::string& file, const std::string& comment) {
  std::ifstream in(file);
  if (!in) return make_error(ErrorCategory::Io, fmt::format("cannot reopen '{}'", file));
  std::stringstream buf;
  buf << in.rdbuf();
  in.close();
  std::ofstream out(file, std::ios::trunc);
  out << comment << buf.str();
  out.close();
  if (!out) return make_error(ErrorCategory::Io, fmt::format("cannot write '{}'", file));
  return ok_status();
}


// MPS separates fields by blanks: a name with a blank (or no name) cannot be written as is.
Result<std::string> mps_name(std::string_view name, char kind, int index) {
  if (name.empty()) return fmt::format("{}{}", kind, index);
  for (unsigned char ch : name) {
    if (std::isspace(ch) || !std::isprint(ch))
      return make_error(ErrorCategory::Value,
                        fmt::format("name '{}' contains a blank or control character; MPS names cannot", name));
  }
  return std::string(name);
}
}  // namespace

Status write_mps(const lp::Model& model, const std::string& path) {
  CADENA_TRY(detail::check_model(model, /*allow_integers=*/true));
  const int n = model.num_columns();
  const int m = model.num_rows();
  const detail::Csc csc = detail::build_csc(model);
  const double sign = detail::sense_sign(model);
  detail::ClpArrays a;
  detail::fill_clp_arrays(model, a);

  std::vector<std::string> col_names(static_cast<std::size_t>(n)), row_names(static_cast<std::size_t>(m));
  for (int j = 0; j < n; ++j) {
    auto nm = mps_name(model.column_name(j), 'C', j);
    if (!nm) return nm.error().at_key("column").for_element(std::string(model.column_name(j)));
    col_names[j] = std::move(*nm);
  }
  for (int i = 0; i < m; ++i) {
    auto nm = mps_name(model.row_name(i), 'R', i);
    if (!nm) return nm.error().at_key("row").for_element(std::string(model.row_name(i)));
    row_names[i] = std::move(*nm);
  }

  // Open the temporary file first: CoinMpsIO throws when it cannot, and leaks the name arrays
  // ClpSimplex::writeMps made for it (found by LeakSanitizer), so a path that cannot be written
  // must never reach it.
  const std::string tmp = temp_path_for(path);
  {
    std::ofstream probe(tmp, std::ios::binary | std::ios::trunc);
    if (!probe) return make_error(ErrorCategory::Io, fmt::format("cannot open '{}' for writing", tmp)).in_file(path);
  }

  ClpSimplex clp;
  clp.setLogLevel(0);
  clp.messageHandler()->setLogLevel(0);
  std::vector<CoinBigIndex> starts(csc.starts.begin(), csc.starts.end());
  clp.loadProblem(n, m, starts.data(), csc.rows.data(), csc.values.data(), a.col_lower.data(), a.col_upper.data(),
                  a.cost.data(), a.row_lower.data(), a.row_upper.data());
  for (int j = 0; j < n; ++j)
    if (model.column(j).integer) clp.setInteger(j);
  clp.copyNames(row_names, col_names);
  clp.setObjectiveOffset(kOffsetSign * sign * model.objective_offset());

  // Written next to the target and renamed, so a failed export never leaves half a file.
  int rc = 1;
  try {
    // CoinMpsIO picks free format itself when a name is longer than 8 characters.
    rc = clp.writeMps(tmp.c_str(), 1 /* extra accuracy */, 2);
  } catch (const CoinError& e) {
    // CoinMpsIO throws when it cannot open the file.
    std::remove(tmp.c_str());
    return make_error(ErrorCategory::Io, fmt::format("cannot write MPS file: {}", e.message())).in_file(path);
  }
  if (rc != 0) {
    std::remove(tmp.c_str());
    return make_error(ErrorCategory::Io, fmt::format("cannot write MPS file '{}'", tmp)).in_file(path);
  }
  if (model.sense() == lp::ObjectiveSense::Maximize) {
    const char* note =
        "* cadena: this model maximises; written as: minimise the negated objective (offset included)\n";
    if (auto st = prepend_comment(tmp, note); !st.ok()) {
      std::remove(tmp.c_str());
      return st.error().in_file(path);
    }
  }
  return publish_temp_file(tmp, path);
}

}  // namespace cadena::solvers
