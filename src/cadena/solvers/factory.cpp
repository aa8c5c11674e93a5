#include <fmt/format.h>

#include "cadena/solvers/detail.hpp"
#include "cadena/solvers/solver.hpp"

namespace cadena::solvers {

std::vector<std::string> solver_names() { return {"clp", "glpk"}; }

Result<std::unique_ptr<Solver>> make_solver(std::string_view name) {
  if (name == "clp") return detail::make_clp_solver();
  if (name == "glpk") return detail::make_glpk_solver();
  if (name == "cbc") return detail::make_cbc_solver();  // models with integer columns (--mip)
  return make_error(ErrorCategory::Value,
                    fmt::format("unknown solver '{}'; expected one of: {}", name, fmt::join(solver_names(), ", ")));
}

}  // namespace cadena::solvers
