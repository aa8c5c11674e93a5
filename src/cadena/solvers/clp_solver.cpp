// CLP adapter. The loaded ClpSimplex is kept between solves: when the same model structure comes
// back (equal structure_version, which is unique per structure in the process), only the bounds
// and costs that differ from what was loaded are pushed, and CLP restarts from its last basis.
#include <ClpSimplex.hpp>
#include <ClpSolve.hpp>
#include <CoinError.hpp>
#include <CoinFinite.hpp>
#include <CoinMessageHandler.hpp>

#include <cmath>
#include <fmt/format.h>
#include <type_traits>

#include "cadena/solvers/detail.hpp"

namespace cadena::solvers::detail {

double to_clp(double bound) {
  if (bound == lp::kInf) return COIN_DBL_MAX;
  if (bound == -lp::kInf) return -COIN_DBL_MAX;
  return bound;
}

void fill_clp_arrays(const lp::Model& model, ClpArrays& out) {
  const auto n = static_cast<std::size_t>(model.num_columns());
  const auto m = static_cast<std::size_t>(model.num_rows());
  const double sign = sense_sign(model);
  out.col_lower.resize(n);
  out.col_upper.resize(n);
  out.cost.resize(n);
  out.row_lower.resize(m);
  out.row_upper.resize(m);
  for (std::size_t j = 0; j < n; ++j) {
    const auto& c = model.column(static_cast<int>(j));
    out.col_lower[j] = to_clp(c.lower);
    out.col_upper[j] = to_clp(c.upper);
    out.cost[j] = sign * c.cost;
  }
  for (std::size_t i = 0; i < m; ++i) {
    out.row_lower[i] = to_clp(model.row(static_cast<int>(i)).lower);
    out.row_upper[i] = to_clp(model.row(static_cast<int>(i)).upper);
  }
}

namespace {

const char* clp_status_text(int status) {
  switch (status) {
    case 0: return "optimal";
    case 1: return "primal infeasible";
    case 2: return "dual infeasible (primal unbounded)";
    case 3: return "stopped on iterations or time";
    case 4: return "stopped due to errors";
    case 5: return "stopped by event handler";
    default: return "unknown status";
  }
}

class ClpSolver final : public Solver {
 public:
  std::string_view name() const override { return "clp"; }

  Result<lp::Solution> solve(const lp::Model& model, const lp::SolveOptions& options) override {
    // CLP reports some failures by throwing CoinError (not a std::exception): a solver error,
    // never a crash. The loaded problem is dropped, as its state is unknown.
    try {
      return solve_unguarded(model, options);
    } catch (const CoinError& e) {
      m_clp.reset();
      return make_error(ErrorCategory::Solver, fmt::format("CLP failed in {}: {}", e.methodName(), e.message()));
    } catch (const std::exception& e) {
      m_clp.reset();
      return make_error(ErrorCategory::Solver, fmt::format("CLP failed: {}", e.what()));
    }
  }

 private:
  Result<lp::Solution> solve_unguarded(const lp::Model& model, const lp::SolveOptions& options) {
    const auto t0 = Clock::now();
    CADENA_TRY(check_model(model));
    const Csc csc = build_csc(model);
    if (auto trivial = solve_trivially(model, csc, name())) {
      m_clp.reset();  // the loaded problem no longer matches anything we can warm-start
      trivial->solve_seconds = seconds_since(t0);
      return *std::move(trivial);
    }

    const bool warm = m_clp && m_structure_version == model.structure_version() && m_ok_basis;
    bool bounds_changed = false;
    bool costs_changed = false;
    if (warm) {
      push_changes(model, bounds_changed, costs_changed);
    } else {
      load(model, csc);
    }

    m_clp->setLogLevel(options.log_level);
    m_clp->messageHandler()->setLogLevel(options.log_level);
    m_clp->setMaximumWallSeconds(options.time_limit_s > 0.0 ? options.time_limit_s : COIN_DBL_MAX);

    if (warm) {
      // Bound changes keep the basis dual feasible (dual simplex); pure cost changes keep it
      // primal feasible (primal simplex). Both at once: dual, which repairs dual infeasibility.
      if (costs_changed && !bounds_changed) m_clp->primal(0);
      else m_clp->dual(0);
    } else {
      ClpSolve how;
      how.setSolveType(options.automatic ? ClpSolve::automatic : ClpSolve::useDual);
      how.setPresolveType(options.presolve ? ClpSolve::presolveOn : ClpSolve::presolveOff);
      m_clp->initialSolve(how);
      // Presolve can stop at "infeasible or unbounded" without telling which; the plain
      // simplex on the original problem says which it is.
      if (options.presolve && (m_clp->status() == 1 || m_clp->status() == 2)) {
        m_clp->allSlackBasis(true);
        m_clp->dual(0);
        if (m_clp->status() == 2 || m_clp->status() == 1) m_clp->primal(0);
      }
    }
    m_structure_version = model.structure_version();
    m_ok_basis = m_clp->status() == 0;

    auto s = sized_solution(model, name());
    s.iterations = m_clp->numberIterations();
    const int status = m_clp->status();
    switch (status) {
      case 0: s.termination = lp::Termination::Optimal; break;
      case 1: s.termination = lp::Termination::Infeasible; break;
      case 2: s.termination = lp::Termination::Unbounded; break;
      case 3:
        s.termination = (options.time_limit_s > 0.0 && seconds_since(t0) >= options.time_limit_s)
                            ? lp::Termination::TimeLimit
                            : lp::Termination::IterationLimit;
        break;
      default: s.termination = lp::Termination::NumericalError; break;
    }
    s.message = fmt::format("clp status {} ({}), secondary {}", status, clp_status_text(status),
                            m_clp->secondaryStatus());

    const double sign = sense_sign(model);
    const double* x = m_clp->primalColumnSolution();
    const double* dj = m_clp->dualColumnSolution();
    const double* act = m_clp->primalRowSolution();
    const double* y = m_clp->dualRowSolution();
    for (int j = 0; j < model.num_columns(); ++j) {
      s.x[static_cast<std::size_t>(j)] = x[j];
      s.reduced_costs[static_cast<std::size_t>(j)] = sign * dj[j];
    }
    for (int i = 0; i < model.num_rows(); ++i) {
      s.row_activity[static_cast<std::size_t>(i)] = act[i];
      s.row_duals[static_cast<std::size_t>(i)] = sign * y[i];
    }
    // The objective is recomputed from x in the model's own sense rather than read back from
    // CLP, whose objective offset enters with the opposite sign to the MPS convention.
    double obj = model.objective_offset();
    for (int j = 0; j < model.num_columns(); ++j) obj += model.column(j).cost * x[j];
    s.objective = obj;
    s.solve_seconds = seconds_since(t0);
    return s;
  }

  void load(const lp::Model& model, const Csc& csc) {
    const int n = model.num_columns();
    const int m = model.num_rows();
    fill_clp_arrays(model, m_held);
    m_clp = std::make_unique<ClpSimplex>();
    m_clp->setLogLevel(0);
    m_clp->messageHandler()->setLogLevel(0);
    if constexpr (std::is_same_v<CoinBigIndex, int>) {
      m_clp->loadProblem(n, m, csc.starts.data(), csc.rows.data(), csc.values.data(), m_held.col_lower.data(),
                         m_held.col_upper.data(), m_held.cost.data(), m_held.row_lower.data(), m_held.row_upper.data());
    } else {
      std::vector<CoinBigIndex> starts(csc.starts.begin(), csc.starts.end());
      m_clp->loadProblem(n, m, starts.data(), csc.rows.data(), csc.values.data(), m_held.col_lower.data(),
                         m_held.col_upper.data(), m_held.cost.data(), m_held.row_lower.data(), m_held.row_upper.data());
    }
    m_clp->setOptimizationDirection(1.0);
  }

  // Compares the model with what CLP holds and pushes only the differences; the set* calls
  // tell CLP which cached data (scaling, row copies) to refresh.
  void push_changes(const lp::Model& model, bool& bounds_changed, bool& costs_changed) {
    const double sign = sense_sign(model);
    for (int j = 0; j < model.num_columns(); ++j) {
      const auto& c = model.column(j);
      const double lo = to_clp(c.lower), up = to_clp(c.upper), k = sign * c.cost;
      if (lo != m_held.col_lower[j]) { m_clp->setColumnLower(j, lo); m_held.col_lower[j] = lo; bounds_changed = true; }
      if (up != m_held.col_upper[j]) { m_clp->setColumnUpper(j, up); m_held.col_upper[j] = up; bounds_changed = true; }
      if (k != m_held.cost[j]) { m_clp->setObjectiveCoefficient(j, k); m_held.cost[j] = k; costs_changed = true; }
    }
    for (int i = 0; i < model.num_rows(); ++i) {
      const double lo = to_clp(model.row(i).lower), up = to_clp(model.row(i).upper);
      if (lo != m_held.row_lower[i]) { m_clp->setRowLower(i, lo); m_held.row_lower[i] = lo; bounds_changed = true; }
      if (up != m_held.row_upper[i]) { m_clp->setRowUpper(i, up); m_held.row_upper[i] = up; bounds_changed = true; }
    }
  }

  std::unique_ptr<ClpSimplex> m_clp;
  std::uint64_t m_structure_version = 0;
  bool m_ok_basis = false;  // warm starts only from an optimal basis; otherwise reload
  // What CLP holds, in its own terms (COIN_DBL_MAX, minimisation), to find what changed.
  ClpArrays m_held;
};

}  // namespace

std::unique_ptr<Solver> make_clp_solver() { return std::make_unique<ClpSolver>(); }

}  // namespace cadena::solvers::detail
