#include "cadena/finance/montecarlo.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <numbers>
#include <numeric>
#include <thread>

namespace cadena::finance {

const char* to_string(Variable v) {
  switch (v) {
    case Variable::Price: return "price";
    case Variable::Capex: return "capex";
    case Variable::Opex: return "opex";
    case Variable::Recovery: return "recovery";
    case Variable::RampDelay: return "ramp_delay";
  }
  return "?";
}

namespace {

Error bad(std::string msg) { return make_error(ErrorCategory::Value, std::move(msg)); }

double normal_cdf(double z) { return 0.5 * std::erfc(-z * (0.5 * std::numbers::sqrt2)); }

constexpr int kPertTable = 2048;
constexpr double kDiscreteTolerance = 1e-9;

// SplitMix64 (Steele, Lea & Flood 2014): a counter-based stream, so path i's numbers depend on
// (seed, i) only and never on which thread ran the path or in what order.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }  // open (0, 1)
};

std::uint64_t mix(std::uint64_t x) {
  SplitMix64 g{x};
  return g.next();
}

}  // namespace

Result<Distribution> Distribution::triangular(double min, double mode, double max) {
  if (!(min < max) || mode < min || mode > max)
    return bad("triangular needs min < max and min <= mode <= max");
  Distribution d;
  d.m_kind = DistKind::Triangular;
  d.m_a = min;
  d.m_b = max;
  d.m_c = mode;
  return d;
}

Result<Distribution> Distribution::pert(double min, double mode, double max, double lambda) {
  if (!(min < max) || mode < min || mode > max) return bad("pert needs min < max and min <= mode <= max");
  if (!(lambda > 0.0)) return bad("pert needs lambda > 0 (4 is the classic PERT)");
  Distribution d;
  d.m_kind = DistKind::Pert;
  d.m_a = min;
  d.m_b = max;
  d.m_c = mode;
  // Beta(alpha, beta) on [min, max]; alpha, beta >= 1 so the density is bounded. Its quantile
  // has no closed form: integrate the density on a fine grid once and invert it into a table.
  const double alpha = 1.0 + lambda * (mode - min) / (max - min);
  const double beta = 1.0 + lambda * (max - mode) / (max - min);
  constexpr int n = 1 << 14;
  std::vector<double> cdf(n + 1, 0.0);
  auto pdf = [&](double x) { return std::pow(x, alpha - 1.0) * std::pow(1.0 - x, beta - 1.0); };
  for (int i = 0; i < n; ++i) {
    const double x0 = static_cast<double>(i) / n, x1 = static_cast<double>(i + 1) / n;
    cdf[i + 1] = cdf[i] + (x1 - x0) / 6.0 * (pdf(x0) + 4.0 * pdf(0.5 * (x0 + x1)) + pdf(x1));  // Simpson
  }
  for (double& c : cdf) c /= cdf[n];
  d.m_table.resize(kPertTable + 1);
  int j = 0;
  for (int k = 0; k <= kPertTable; ++k) {
    const double u = static_cast<double>(k) / kPertTable;
    while (j < n && cdf[j + 1] < u) ++j;
    const double span = cdf[j + 1] - cdf[j];
    const double frac = span > 0.0 ? std::clamp((u - cdf[j]) / span, 0.0, 1.0) : 0.0;
    d.m_table[k] = min + (max - min) * (static_cast<double>(j) + frac) / n;
  }
  return d;
}

Result<Distribution> Distribution::normal(double mean, double sd) {
  if (!(sd > 0.0) || !std::isfinite(mean)) return bad("normal needs a finite mean and sd > 0");
  Distribution d;
  d.m_kind = DistKind::Normal;
  d.m_a = mean;
  d.m_b = sd;
  return d;
}

Result<Distribution> Distribution::lognormal(double mu, double sigma) {
  if (!(sigma > 0.0) || !std::isfinite(mu)) return bad("lognormal needs a finite mu and sigma > 0 (of the logarithm)");
  Distribution d;
  d.m_kind = DistKind::Lognormal;
  d.m_a = mu;
  d.m_b = sigma;
  return d;
}

Result<Distribution> Distribution::uniform(double min, double max) {
  if (!(min < max)) return bad("uniform needs min < max");
  Distribution d;
  d.m_kind = DistKind::Uniform;
  d.m_a = min;
  d.m_b = max;
  return d;
}

Result<Distribution> Distribution::discrete(std::vector<double> values, std::vector<double> probs) {
  if (values.empty() || values.size() != probs.size())
    return bad("discrete needs as many probabilities as values, at least one");
  double sum = 0.0;
  for (double pr : probs) {
    if (!(pr >= 0.0)) return bad("discrete probabilities must be >= 0");
    sum += pr;
  }
  if (std::fabs(sum - 1.0) > 1e-6) return bad("discrete probabilities must sum to 1");
  Distribution d;
  d.m_kind = DistKind::Discrete;
  d.m_values = std::move(values);
  d.m_cum.resize(probs.size());
  std::partial_sum(probs.begin(), probs.end(), d.m_cum.begin());
  d.m_cum.back() = 1.0;
  return d;
}

double Distribution::quantile(double u) const {
  switch (m_kind) {
    case DistKind::Triangular: {
      const double fc = (m_c - m_a) / (m_b - m_a);
      return u < fc ? m_a + std::sqrt(u * (m_b - m_a) * (m_c - m_a))
                    : m_b - std::sqrt((1.0 - u) * (m_b - m_a) * (m_b - m_c));
    }
    case DistKind::Pert: {
      const double x = u * kPertTable;
      const int k = std::min(kPertTable - 1, static_cast<int>(x));
      const double f = x - k;
      return m_table[k] + f * (m_table[k + 1] - m_table[k]);
    }
    case DistKind::Uniform: return m_a + u * (m_b - m_a);
    case DistKind::Discrete: {
      // The cumulative sums carry rounding (0.6 + 0.3 = 0.8999...): a u on a boundary must take
      // the value below it (F(1) = 0.9 makes 1 the P90), so compare with a small tolerance.
      const auto it = std::lower_bound(m_cum.begin(), m_cum.end(), u - kDiscreteTolerance);
      return m_values[std::min<std::size_t>(it - m_cum.begin(), m_values.size() - 1)];
    }
    case DistKind::Normal:
    case DistKind::Lognormal: {
      // Invert by bisection on the normal CDF: not on a hot path (tornado only).
      double lo = -40.0, hi = 40.0;
      for (int i = 0; i < 200; ++i) {
        const double m = 0.5 * (lo + hi);
        (normal_cdf(m) < u ? lo : hi) = m;
      }
      return from_normal(0.5 * (lo + hi));
    }
  }
  return kNaN;
}

double Distribution::from_normal(double z) const {
  switch (m_kind) {
    case DistKind::Normal: return m_a + m_b * z;
    case DistKind::Lognormal: return std::exp(m_a + m_b * z);
    default: {
      const double u = std::clamp(normal_cdf(z), 1e-16, 1.0 - 1e-16);
      return quantile(u);
    }
  }
}

double Distribution::mean() const {
  switch (m_kind) {
    case DistKind::Triangular: return (m_a + m_b + m_c) / 3.0;
    case DistKind::Pert: {
      double s = 0.0;  // trapezoid over the quantile table
      for (int k = 0; k < kPertTable; ++k) s += 0.5 * (m_table[k] + m_table[k + 1]);
      return s / kPertTable;
    }
    case DistKind::Normal: return m_a;
    case DistKind::Lognormal: return std::exp(m_a + 0.5 * m_b * m_b);
    case DistKind::Uniform: return 0.5 * (m_a + m_b);
    case DistKind::Discrete: {
      double s = 0.0, prev = 0.0;
      for (std::size_t i = 0; i < m_values.size(); ++i) {
        s += m_values[i] * (m_cum[i] - prev);
        prev = m_cum[i];
      }
      return s;
    }
  }
  return kNaN;
}

Result<std::vector<double>> copula_factor(const MonteCarloSpec& spec) {
  constexpr int n = kVariableCount;
  std::vector<double> c(n * n, 0.0);
  for (int i = 0; i < n; ++i) c[i * n + i] = 1.0;
  for (const auto& k : spec.correlations) {
    const int a = static_cast<int>(k.a), b = static_cast<int>(k.b);
    if (a == b) return bad("a correlation needs two different variables");
    if (!(std::fabs(k.rho) < 1.0)) return bad("a correlation must lie strictly between -1 and 1");
    if (!spec.vars[a] || !spec.vars[b])
      return bad(std::string("correlation names a variable without a distribution: ") +
                 (!spec.vars[a] ? to_string(k.a) : to_string(k.b)));
    if (c[a * n + b] != 0.0) return make_error(ErrorCategory::Duplicate, "this pair of variables is correlated twice");
    c[a * n + b] = c[b * n + a] = k.rho;
  }
  std::vector<double> l(n * n, 0.0);
  for (int i = 0; i < n; ++i) {
    for (int j = 0; j <= i; ++j) {
      double s = c[i * n + j];
      for (int k = 0; k < j; ++k) s -= l[i * n + k] * l[j * n + k];
      if (i == j) {
        if (s <= 1e-12) return bad("the correlation matrix is not positive definite; weaken the correlations");
        l[i * n + i] = std::sqrt(s);
      } else {
        l[i * n + j] = s / l[j * n + j];
      }
    }
  }
  return l;
}

Drivers draw_drivers(const MonteCarloSpec& spec, const std::vector<double>& chol, std::uint64_t index) {
  constexpr int n = kVariableCount;
  SplitMix64 g{mix(spec.seed ^ mix(index + 0x632BE59BD9B4E019ULL))};
  double eps[6];
  for (int i = 0; i < 6; i += 2) {  // Marsaglia's polar method: Box-Muller without the sine and cosine
    double u, v, q;
    do {
      u = 2.0 * g.uniform() - 1.0;
      v = 2.0 * g.uniform() - 1.0;
      q = u * u + v * v;
    } while (q >= 1.0 || q == 0.0);
    const double f = std::sqrt(-2.0 * std::log(q) / q);
    eps[i] = u * f;
    eps[i + 1] = v * f;
  }
  Drivers d;
  double* out[n] = {&d.price, &d.capex, &d.opex, &d.recovery, &d.ramp_delay};
  for (int i = 0; i < n; ++i) {
    if (!spec.vars[i]) continue;
    double z = 0.0;
    for (int k = 0; k <= i; ++k) z += chol[i * n + k] * eps[k];
    // Factors and delays cannot go negative whatever tail a normal puts there.
    *out[i] = std::max(0.0, spec.vars[i]->from_normal(z));
  }
  return d;
}

double percentile_sorted(const std::vector<double>& s, double pct) {
  if (s.empty()) return kNaN;
  const double pos = pct / 100.0 * static_cast<double>(s.size() - 1);
  const auto i = static_cast<std::size_t>(pos);
  if (i + 1 >= s.size()) return s.back();
  const double f = pos - static_cast<double>(i);
  if (!std::isfinite(s[i]) || !std::isfinite(s[i + 1])) return f == 0.0 && std::isfinite(s[i]) ? s[i] : kNaN;
  return s[i] + f * (s[i + 1] - s[i]);
}

double percentile_select(std::vector<double>& v, double pct) {
  if (v.empty()) return kNaN;
  const double pos = pct / 100.0 * static_cast<double>(v.size() - 1);
  const auto i = static_cast<std::size_t>(pos);
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  const double lo = v[i];
  if (i + 1 >= v.size()) return lo;
  const double hi = *std::min_element(v.begin() + static_cast<std::ptrdiff_t>(i) + 1, v.end());
  const double f = pos - static_cast<double>(i);
  if (!std::isfinite(lo) || !std::isfinite(hi)) return f == 0.0 && std::isfinite(lo) ? lo : kNaN;
  return lo + f * (hi - lo);
}

Result<MonteCarloResult> run_monte_carlo(const Project& p, const MonteCarloSpec& spec, int threads, Progress* progress) {
  if (spec.paths <= 0) return bad("montecarlo.paths must be a positive number of paths");
  auto chol = copula_factor(spec);
  if (!chol) return chol.error();
  const auto& L = chol.value();
  MonteCarloResult res;
  const auto n = static_cast<std::size_t>(spec.paths);
  res.npv.resize(n);
  res.irr.resize(n);
  int nt = threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  nt = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(nt), (n + 1023) / 1024));
  std::atomic<std::size_t> next{0}, done{0};
  constexpr std::size_t kBlock = 1024;
  // The shareholder's distribution is drawn for a leveraged project; a withholding tax alone
  // only scales the after-tax flows and is left to the deterministic evaluation.
  const bool equity = p.debt.active() && spec.equity;
  if (equity) {
    res.npv_equity.resize(n);
    res.irr_equity.resize(n);
  }
  // Every path's IRR search starts from the base case's (the same start for every path, so
  // results stay independent of which thread ran which path).
  double guess = 0.1, guess_eq = 0.1;
  {
    Workspace ws;
    run_cash_flows(p, Drivers{}, ws, false, equity);
    const double g = irr(ws.after_tax.data(), ws.periods);
    if (std::isfinite(g)) guess = g;
    if (equity) {
      const double ge = irr(ws.equity.data(), ws.periods);
      if (std::isfinite(ge)) guess_eq = ge;
    }
  }
  auto worker = [&] {
    Workspace ws;  // sized by the first path, grown only by a longer delay
    ws.irr_guess = guess;
    ws.irr_guess_equity = guess_eq;
    for (;;) {
      const std::size_t begin = next.fetch_add(kBlock);
      if (begin >= n) break;
      const std::size_t end = std::min(n, begin + kBlock);
      for (std::size_t i = begin; i < end; ++i) {
        const Drivers d = draw_drivers(spec, L, i);
        const CoreResult r = run_path(p, d, ws, equity);
        res.npv[i] = r.npv_after_tax;
        res.irr[i] = r.irr_after_tax;
        if (equity) {
          res.npv_equity[i] = r.npv_equity;
          res.irr_equity[i] = r.irr_equity;
        }
      }
      const std::size_t finished = done.fetch_add(end - begin) + (end - begin);
      progress_advance(progress, "paths", static_cast<long long>(finished), static_cast<long long>(n));
    }
  };
  if (nt <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (int i = 0; i < nt; ++i) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }

  // Statistics in path order so they are bit-identical at any thread count.
  double sum = 0.0, irr_sum = 0.0;
  long neg = 0, irr_ok = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sum += res.npv[i];
    neg += res.npv[i] < 0.0;
    if (std::isnan(res.irr[i])) {
      ++res.irr_undefined;
    } else {
      irr_sum += res.irr[i];
      ++irr_ok;
    }
  }
  // Percentiles by selection, O(n) each, rather than a full sort: at millions of paths a sort
  // would cost as much as a third of the simulation.
  auto summary = [](std::vector<double> v, double mean) {
    Summary s;
    s.mean = mean;
    double* out[3] = {&s.p10, &s.p50, &s.p90};
    const double pcts[3] = {10, 50, 90};
    for (int k = 0; k < 3; ++k) *out[k] = percentile_select(v, pcts[k]);
    return s;
  };
  res.npv_summary = summary(res.npv, sum / static_cast<double>(n));
  std::vector<double> irrs = res.irr;
  for (double& v : irrs)
    if (std::isnan(v)) v = -std::numeric_limits<double>::infinity();  // a path with no IRR ranks lowest
  // A mean over the paths that have an IRR would hide the others and bias it upward, so it is
  // given only when every path has one; the percentiles rank the others lowest.
  res.irr_summary = summary(std::move(irrs), res.irr_undefined == 0 && irr_ok > 0 ? irr_sum / static_cast<double>(irr_ok) : kNaN);
  res.probability_npv_negative = static_cast<double>(neg) / static_cast<double>(n);
  if (equity) {
    double esum = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      esum += res.npv_equity[i];
      res.irr_equity_undefined += std::isnan(res.irr_equity[i]);
    }
    res.npv_equity_summary = summary(res.npv_equity, esum / static_cast<double>(n));
    std::vector<double> eirr = res.irr_equity;
    for (double& v : eirr)
      if (std::isnan(v)) v = -std::numeric_limits<double>::infinity();
    res.irr_equity_summary = summary(std::move(eirr), kNaN);
  }
  return res;
}

namespace {

void set_driver(Drivers& d, Variable v, double x) {
  switch (v) {
    case Variable::Price: d.price = x; break;
    case Variable::Capex: d.capex = x; break;
    case Variable::Opex: d.opex = x; break;
    case Variable::Recovery: d.recovery = x; break;
    case Variable::RampDelay: d.ramp_delay = x; break;
  }
}

}  // namespace

std::vector<TornadoBar> tornado(const Project& p, const MonteCarloSpec& spec) {
  constexpr double z10 = -1.2815515655446004;  // standard-normal 10th percentile
  Workspace ws;
  std::vector<TornadoBar> bars;
  for (int i = 0; i < kVariableCount; ++i) {
    const auto v = static_cast<Variable>(i);
    double lo, hi;
    const bool dist = spec.vars[i].has_value();
    if (dist) {
      lo = std::max(0.0, spec.vars[i]->from_normal(z10));
      hi = std::max(0.0, spec.vars[i]->from_normal(-z10));
    } else if (v == Variable::RampDelay) {
      lo = 0.0;
      hi = 1.0;
    } else {
      lo = 0.8;
      hi = 1.2;
    }
    Drivers d;
    set_driver(d, v, lo);
    const double npv_lo = run_cash_flows(p, d, ws, false).npv_after_tax;
    set_driver(d, v, hi);
    const double npv_hi = run_cash_flows(p, d, ws, false).npv_after_tax;
    bars.push_back({v, lo, hi, npv_lo, npv_hi, dist});
  }
  std::stable_sort(bars.begin(), bars.end(), [](const TornadoBar& a, const TornadoBar& b) {
    return std::fabs(a.npv_high - a.npv_low) > std::fabs(b.npv_high - b.npv_low);
  });
  return bars;
}

std::vector<SpiderPoint> spider(const Project& p) {
  Workspace ws;
  std::vector<SpiderPoint> pts;
  for (int i = 0; i < kVariableCount; ++i) {
    const auto v = static_cast<Variable>(i);
    for (int k = -3; k <= 3; ++k) {
      const double change = v == Variable::RampDelay ? 0.5 * (k + 3) : 0.1 * k;
      Drivers d;
      set_driver(d, v, v == Variable::RampDelay ? change : 1.0 + change);
      const CoreResult r = run_cash_flows(p, d, ws, true);
      pts.push_back({v, change, r.npv_after_tax, r.irr_after_tax});
    }
  }
  return pts;
}

}  // namespace cadena::finance
