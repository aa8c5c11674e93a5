#pragma once
// The one door to the solver libraries. Only files under solvers/ include CLP, CBC or GLPK
// headers; everything else sees lp::Model and lp::Solution.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/lp/model.hpp"

namespace cadena::solvers {

// A solver keeps what it loaded: solving the same Model again after only bounds, costs or
// row bounds changed (same structure_version) updates the loaded problem and warm-starts.
class Solver {
 public:
  virtual ~Solver() = default;
  virtual std::string_view name() const = 0;
  // Errors are library failures only; infeasible/unbounded come back as a Solution.
  virtual Result<lp::Solution> solve(const lp::Model& model, const lp::SolveOptions& options = {}) = 0;
};

// "clp" (default), "glpk"; "cbc" for models with integer columns (not in solver_names(): an LP
// runs on clp or glpk). An unknown name is a Value error listing the known ones.
Result<std::unique_ptr<Solver>> make_solver(std::string_view name);
std::vector<std::string> solver_names();

// Free-format MPS with the model's row and column names.
Status write_mps(const lp::Model& model, const std::string& path);

}  // namespace cadena::solvers
