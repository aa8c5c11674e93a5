// GLPK adapter, the independent cross-check of CLP. Like the CLP adapter it keeps the loaded
// glp_prob and, for the same model structure, pushes only changed data and re-solves from the
// last basis (without presolve, which would discard that basis).
#include <glpk.h>

#include <cmath>
#include <fmt/format.h>

#include "cadena/solvers/detail.hpp"

namespace cadena::solvers::detail {

namespace {

// GLPK describes bounds by a type code rather than with infinities.
int bound_type(double lo, double up) {
  const bool has_lo = lo != -lp::kInf;
  const bool has_up = up != lp::kInf;
  if (has_lo && has_up) return lo == up ? GLP_FX : GLP_DB;
  if (has_lo) return GLP_LO;
  if (has_up) return GLP_UP;
  return GLP_FR;
}

const char* glp_return_text(int rc) {
  switch (rc) {
    case 0: return "solved";
    case GLP_EBADB: return "invalid initial basis";
    case GLP_ESING: return "singular initial basis";
    case GLP_ECOND: return "ill-conditioned initial basis";
    case GLP_EBOUND: return "incorrect bounds";
    case GLP_EFAIL: return "solver failure";
    case GLP_EOBJLL: return "objective lower limit reached";
    case GLP_EOBJUL: return "objective upper limit reached";
    case GLP_EITLIM: return "iteration limit exceeded";
    case GLP_ETMLIM: return "time limit exceeded";
    case GLP_ENOPFS: return "no primal feasible solution (presolve)";
    case GLP_ENODFS: return "no dual feasible solution (presolve)";
    default: return "unknown return code";
  }
}

struct ProbDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};

class GlpkSolver final : public Solver {
 public:
  std::string_view name() const override { return "glpk"; }

  Result<lp::Solution> solve(const lp::Model& model, const lp::SolveOptions& options) override {
    const auto t0 = Clock::now();
    CADENA_TRY(check_model(model));
    const Csc csc = build_csc(model);
    if (auto trivial = solve_trivially(model, csc, name())) {
      m_prob.reset();
      trivial->solve_seconds = seconds_since(t0);
      return *std::move(trivial);
    }
    // GLPK's terminal hook is global; a library never prints, whatever the caller's log level.
    glp_term_out(options.log_level > 0 ? GLP_ON : GLP_OFF);

    const bool warm = m_prob && m_structure_version == model.structure_version();
    if (warm) push_changes(model);
    else load(model, csc);

    glp_smcp parm;
    glp_init_smcp(&parm);
    parm.msg_lev = options.log_level > 0 ? GLP_MSG_ON : GLP_MSG_OFF;
    parm.meth = GLP_DUALP;
    parm.presolve = (!warm && options.presolve) ? GLP_ON : GLP_OFF;
    if (options.time_limit_s > 0.0) parm.tm_lim = static_cast<int>(std::ceil(options.time_limit_s * 1000.0));

    glp_set_it_cnt(m_prob.get(), 0);
    int rc = glp_simplex(m_prob.get(), &parm);
    if (rc == GLP_EBADB || rc == GLP_ESING || rc == GLP_ECOND) {
      // The kept basis does not fit the changed data (or never was valid): start from GLPK's
      // advanced (triangular) basis instead.
      glp_adv_basis(m_prob.get(), 0);
      rc = glp_simplex(m_prob.get(), &parm);
    }
    if (rc == GLP_ENODFS || rc == GLP_ENOPFS) {
      // Presolve proved there is no optimum but not always why (no dual feasible solution means
      // unbounded or infeasible); the simplex on the original problem tells.
      parm.presolve = GLP_OFF;
      glp_std_basis(m_prob.get());
      rc = glp_simplex(m_prob.get(), &parm);
    }
    m_structure_version = model.structure_version();

    auto s = sized_solution(model, name());
    s.iterations = glp_get_it_cnt(m_prob.get());
    const int status = glp_get_status(m_prob.get());
    if (rc == 0) {
      switch (status) {
        case GLP_OPT: s.termination = lp::Termination::Optimal; break;
        case GLP_NOFEAS: s.termination = lp::Termination::Infeasible; break;
        case GLP_UNBND: s.termination = lp::Termination::Unbounded; break;
        default:
          // GLP_INFEAS or GLP_FEAS after a normal return: the dual status settles it.
          s.termination = glp_get_dual_stat(m_prob.get()) == GLP_NOFEAS ? lp::Termination::Unbounded
                                                                       : lp::Termination::NumericalError;
          break;
      }
    } else if (rc == GLP_ETMLIM) {
      s.termination = lp::Termination::TimeLimit;
    } else if (rc == GLP_EITLIM) {
      s.termination = lp::Termination::IterationLimit;
    } else {
      s.termination = lp::Termination::NumericalError;
    }
    s.message = fmt::format("glpk: {} (status {})", glp_return_text(rc), status);

    const double sign = sense_sign(model);
    glp_prob* p = m_prob.get();
    double obj = model.objective_offset();
    for (int j = 0; j < model.num_columns(); ++j) {
      const double xj = glp_get_col_prim(p, j + 1);
      s.x[static_cast<std::size_t>(j)] = xj;
      s.reduced_costs[static_cast<std::size_t>(j)] = sign * glp_get_col_dual(p, j + 1);
      obj += model.column(j).cost * xj;
    }
    for (int i = 0; i < model.num_rows(); ++i) {
      s.row_activity[static_cast<std::size_t>(i)] = glp_get_row_prim(p, i + 1);
      s.row_duals[static_cast<std::size_t>(i)] = sign * glp_get_row_dual(p, i + 1);
    }
    s.objective = obj;
    s.solve_seconds = seconds_since(t0);
    return s;
  }

 private:
  void load(const lp::Model& model, const Csc& csc) {
    const int n = model.num_columns();
    const int m = model.num_rows();
    const double sign = sense_sign(model);
    m_prob.reset(glp_create_prob());
    glp_prob* p = m_prob.get();
    glp_set_obj_dir(p, GLP_MIN);
    if (m > 0) glp_add_rows(p, m);
    if (n > 0) glp_add_cols(p, n);
    m_col_lower.resize(static_cast<std::size_t>(n));
    m_col_upper.resize(static_cast<std::size_t>(n));
    m_cost.resize(static_cast<std::size_t>(n));
    m_row_lower.resize(static_cast<std::size_t>(m));
    m_row_upper.resize(static_cast<std::size_t>(m));
    for (int j = 0; j < n; ++j) {
      const auto& c = model.column(j);
      set_col(j, c.lower, c.upper);
      m_cost[j] = sign * c.cost;
      glp_set_obj_coef(p, j + 1, m_cost[j]);
    }
    for (int i = 0; i < m; ++i) set_row(i, model.row(i).lower, model.row(i).upper);

    // glp_load_matrix takes 1-based triplets (element 0 unused); the CSC has no duplicates,
    // which GLPK would reject by aborting.
    const std::size_t nz = csc.rows.size();
    std::vector<int> ia(nz + 1), ja(nz + 1);
    std::vector<double> ar(nz + 1);
    for (int j = 0; j < n; ++j) {
      for (int k = csc.starts[j]; k < csc.starts[j + 1]; ++k) {
        ia[static_cast<std::size_t>(k) + 1] = csc.rows[k] + 1;
        ja[static_cast<std::size_t>(k) + 1] = j + 1;
        ar[static_cast<std::size_t>(k) + 1] = csc.values[k];
      }
    }
    glp_load_matrix(p, static_cast<int>(nz), ia.data(), ja.data(), ar.data());
  }

  void set_col(int j, double lo, double up) {
    m_col_lower[j] = lo;
    m_col_upper[j] = up;
    glp_set_col_bnds(m_prob.get(), j + 1, bound_type(lo, up), std::isfinite(lo) ? lo : 0.0, std::isfinite(up) ? up : 0.0);
  }
  void set_row(int i, double lo, double up) {
    m_row_lower[i] = lo;
    m_row_upper[i] = up;
    glp_set_row_bnds(m_prob.get(), i + 1, bound_type(lo, up), std::isfinite(lo) ? lo : 0.0, std::isfinite(up) ? up : 0.0);
  }

  void push_changes(const lp::Model& model) {
    const double sign = sense_sign(model);
    for (int j = 0; j < model.num_columns(); ++j) {
      const auto& c = model.column(j);
      if (c.lower != m_col_lower[j] || c.upper != m_col_upper[j]) set_col(j, c.lower, c.upper);
      const double k = sign * c.cost;
      if (k != m_cost[j]) {
        m_cost[j] = k;
        glp_set_obj_coef(m_prob.get(), j + 1, k);
      }
    }
    for (int i = 0; i < model.num_rows(); ++i) {
      const auto& r = model.row(i);
      if (r.lower != m_row_lower[i] || r.upper != m_row_upper[i]) set_row(i, r.lower, r.upper);
    }
  }

  std::unique_ptr<glp_prob, ProbDeleter> m_prob;
  std::uint64_t m_structure_version = 0;
  std::vector<double> m_col_lower, m_col_upper, m_cost, m_row_lower, m_row_upper;
};

}  // namespace

std::unique_ptr<Solver> make_glpk_solver() { return std::make_unique<GlpkSolver>(); }

}  // namespace cadena::solvers::detail
