#pragma once
// Monte Carlo over a project: uncertain price, capex, opex, recovery and ramp-up delay, tied
// together by a Gaussian copula. Path i draws from a generator seeded by (seed, i) alone, so
// results do not depend on the thread count (docs/finance.md, "Monte Carlo").
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/core/progress.hpp"
#include "cadena/finance/model.hpp"

namespace cadena::finance {

enum class Variable { Price = 0, Capex, Opex, Recovery, RampDelay };
inline constexpr int kVariableCount = 5;
const char* to_string(Variable v);

enum class DistKind { Triangular, Pert, Normal, Lognormal, Uniform, Discrete };

// A marginal distribution, sampled by its quantile function of a copula uniform.
class Distribution {
 public:
  // Each factory checks its parameters; the message says what was expected.
  static Result<Distribution> triangular(double min, double mode, double max);
  static Result<Distribution> pert(double min, double mode, double max, double lambda = 4.0);
  static Result<Distribution> normal(double mean, double sd);
  static Result<Distribution> lognormal(double mu, double sigma);  // of the logarithm
  static Result<Distribution> uniform(double min, double max);
  static Result<Distribution> discrete(std::vector<double> values, std::vector<double> probs);

  DistKind kind() const { return m_kind; }
  // Value at standard-normal z (the copula coordinate): quantile(Phi(z)).
  double from_normal(double z) const;
  double quantile(double u) const;  // u in (0, 1)
  double mean() const;

 private:
  DistKind m_kind = DistKind::Uniform;
  double m_a = 0, m_b = 1, m_c = 0;  // kind-specific parameters
  std::vector<double> m_values, m_cum;  // discrete
  std::vector<double> m_table;          // PERT quantiles on a uniform grid of u
};

struct Correlation {
  Variable a, b;
  double rho;
};

struct MonteCarloSpec {
  long paths = 10000;
  std::uint64_t seed = 1;
  std::array<std::optional<Distribution>, kVariableCount> vars;
  std::vector<Correlation> correlations;
  bool equity = true;  // with debt: draw the equity NPV and IRR too ([montecarlo] equity = false skips them)
  // True when at least one input has a distribution; without one every path is the base case.
  bool uncertain() const {
    for (const auto& v : vars)
      if (v) return true;
    return false;
  }
};

// Lower-triangular Cholesky factor of the correlation matrix of the variables in use; an error
// when the matrix is not positive definite.
Result<std::vector<double>> copula_factor(const MonteCarloSpec& spec);

struct Summary {
  double mean = kNaN, p10 = kNaN, p50 = kNaN, p90 = kNaN;
};
struct MonteCarloResult {
  std::vector<double> npv, irr;  // after tax, one per path (IRR NaN when undefined)
  Summary npv_summary, irr_summary;  // IRR percentiles rank undefined IRRs lowest; IRR mean only when every path has one
  double probability_npv_negative = kNaN;
  long irr_undefined = 0;
  // The shareholder's view, when the project has debt or a dividend withholding tax.
  std::vector<double> npv_equity, irr_equity;
  Summary npv_equity_summary, irr_equity_summary;  // no equity IRR mean (paths without one)
  long irr_equity_undefined = 0;
};

// Runs spec.paths paths on `threads` threads (0 = hardware concurrency); `progress` (may be
// null) hears "paths" done of spec.paths after each block of paths, from the worker threads.
Result<MonteCarloResult> run_monte_carlo(const Project& p, const MonteCarloSpec& spec, int threads = 0,
                                         Progress* progress = nullptr);

// P-th percentile (0..100) of sorted values, linear between order statistics.
double percentile_sorted(const std::vector<double>& sorted, double pct);
// The same of unsorted values, by selection (reorders v).
double percentile_select(std::vector<double>& v, double pct);

// Drivers of path `index`: deterministic in (seed, index).
Drivers draw_drivers(const MonteCarloSpec& spec, const std::vector<double>& chol, std::uint64_t index);

// Tornado: after-tax NPV with one variable at its P10 and P90 (its distribution, or +-20 % / 0-1 year
// when it has none), the others at base; sorted by swing, widest first.
struct TornadoBar {
  Variable variable;
  double low_input, high_input, npv_low, npv_high;
  bool from_distribution = false;  // true: P10/P90 of the variable's distribution; false: +-20 % or 0..1 year
};
std::vector<TornadoBar> tornado(const Project& p, const MonteCarloSpec& spec);

// Spider: after-tax NPV and IRR as each factor moves -30 %..+30 % (ramp delay: 0..3 years).
struct SpiderPoint {
  Variable variable;
  double change;  // relative change of the factor, or years of delay
  double npv, irr;
};
std::vector<SpiderPoint> spider(const Project& p);

}  // namespace cadena::finance
