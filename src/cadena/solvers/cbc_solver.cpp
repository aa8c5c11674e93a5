// CBC adapter for models with integer columns (pathways with --mip). CBC runs its default
// strategy (CbcMain0/CbcMain1: presolve, cuts, heuristics) over an OsiClpSolverInterface, with
// the relative gap and the time limit of SolveOptions. A MIP has no duals of its own: callers
// that need prices fix the integers and re-solve the LP (engine/pathway.cpp).
#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <CoinError.hpp>
#include <CoinFinite.hpp>
#include <CoinMessageHandler.hpp>
#include <OsiClpSolverInterface.hpp>

#include <cmath>
#include <fmt/format.h>
#include <string>
#include <type_traits>
#include <vector>

#include "cadena/lp/numerics.hpp"
#include "cadena/solvers/detail.hpp"

namespace cadena::solvers::detail {

namespace {

int no_callback(CbcModel*, int) { return 0; }

class CbcSolver final : public Solver {
 public:
  std::string_view name() const override { return "cbc"; }

  Result<lp::Solution> solve(const lp::Model& model, const lp::SolveOptions& options) override {
    try {
      return solve_unguarded(model, options);
    } catch (const CoinError& e) {
      return make_error(ErrorCategory::Solver, fmt::format("CBC failed in {}: {}", e.methodName(), e.message()));
    } catch (const std::exception& e) {
      return make_error(ErrorCategory::Solver, fmt::format("CBC failed: {}", e.what()));
    }
  }

 private:
  Result<lp::Solution> solve_unguarded(const lp::Model& model, const lp::SolveOptions& options) {
    const auto t0 = Clock::now();
    CADENA_TRY(check_model(model, /*allow_integers=*/true));
    CADENA_TRY(lp::check_numerics(model));
    const Csc csc = build_csc(model);
    if (auto trivial = solve_trivially(model, csc, name())) {
      trivial->solve_seconds = seconds_since(t0);
      return *std::move(trivial);
    }
    const int n = model.num_columns();
    const int m = model.num_rows();
    ClpArrays a;
    fill_clp_arrays(model, a);
    OsiClpSolverInterface osi;
    osi.messageHandler()->setLogLevel(0);
    osi.getModelPtr()->setLogLevel(0);
    if constexpr (std::is_same_v<CoinBigIndex, int>) {
      osi.loadProblem(n, m, csc.starts.data(), csc.rows.data(), csc.values.data(), a.col_lower.data(),
                      a.col_upper.data(), a.cost.data(), a.row_lower.data(), a.row_upper.data());
    } else {
      std::vector<CoinBigIndex> starts(csc.starts.begin(), csc.starts.end());
      osi.loadProblem(n, m, starts.data(), csc.rows.data(), csc.values.data(), a.col_lower.data(), a.col_upper.data(),
                      a.cost.data(), a.row_lower.data(), a.row_upper.data());
    }
    for (int j = 0; j < n; ++j)
      if (model.column(j).integer) osi.setInteger(j);

    CbcModel cbc(osi);
    cbc.setLogLevel(options.log_level);
    cbc.messageHandler()->setLogLevel(options.log_level);
    CbcSolverUsefulData data;
    data.noPrinting_ = options.log_level == 0;
    CbcMain0(cbc, data);
    cbc.setLogLevel(options.log_level);
    const std::string log = std::to_string(options.log_level);
    const std::string gap = fmt::format("{}", options.mip_gap);
    const std::string secs = fmt::format("{}", options.time_limit_s > 0.0 ? options.time_limit_s : 1e8);
    const char* argv[] = {"cadena", "-log", log.c_str(), "-ratioGap", gap.c_str(), "-seconds", secs.c_str(), "-solve", "-quit"};
    CbcMain1(static_cast<int>(std::size(argv)), argv, cbc, no_callback, data);

    auto s = sized_solution(model, name());
    s.iterations = cbc.getIterationCount();
    s.mip_nodes = cbc.getNodeCount();
    const double sign = sense_sign(model);
    const bool has_solution = cbc.bestSolution() != nullptr;
    if (cbc.isProvenOptimal()) s.termination = lp::Termination::Optimal;
    else if (cbc.isProvenInfeasible()) s.termination = lp::Termination::Infeasible;
    else if (cbc.isContinuousUnbounded()) s.termination = lp::Termination::Unbounded;
    else if (cbc.isSecondsLimitReached()) s.termination = lp::Termination::TimeLimit;
    else if (cbc.isNodeLimitReached() || cbc.isSolutionLimitReached()) s.termination = lp::Termination::IterationLimit;
    else s.termination = lp::Termination::NumericalError;
    s.message = fmt::format("cbc status {}, secondary {}{}", cbc.status(), cbc.secondaryStatus(),
                            has_solution ? "" : ", no integer solution");
    // A time limit with an integer solution still hands back that solution (a result with a
    // gap); without one there is nothing to report.
    if (has_solution) {
      const double* x = cbc.bestSolution();
      double obj = model.objective_offset();
      for (int j = 0; j < n; ++j) {
        s.x[static_cast<std::size_t>(j)] = x[j];
        obj += model.column(j).cost * x[j];
      }
      s.objective = obj;
      s.mip_bound = sign * cbc.getBestPossibleObjValue() + model.objective_offset();
      s.mip_gap = std::abs(s.objective - s.mip_bound) / std::max(1e-10, std::abs(s.objective));
      if (s.termination == lp::Termination::Optimal) s.mip_gap = std::min(s.mip_gap, options.mip_gap);
    }
    s.solve_seconds = seconds_since(t0);
    return s;
  }
};

}  // namespace

std::unique_ptr<Solver> make_cbc_solver() { return std::make_unique<CbcSolver>(); }

}  // namespace cadena::solvers::detail
