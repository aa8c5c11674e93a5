#include "cadena/finance/model.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace cadena::finance {

namespace {

// Share of capacity reached at (possibly fractional) production year x, ramp[k] for year k,
// 1 once the ramp table ends, 0 before production starts; linear between whole years so a
// half-year delay costs half a year of the curve.
double ramp_at(const std::vector<double>& ramp, double x) {
  const int n = static_cast<int>(ramp.size());
  auto r = [&](int k) { return k < 0 ? 0.0 : (k < n ? ramp[k] : 1.0); };
  if (x <= -1.0) return 0.0;
  const double fl = std::floor(x);
  const int k = static_cast<int>(fl);
  const double f = x - fl;
  return f == 0.0 ? r(k) : (1.0 - f) * r(k) + f * r(k + 1);
}

double discount_offset(Discounting d) {
  switch (d) {
    case Discounting::EndOfYear: return 1.0;
    case Discounting::MidYear: return 0.5;
    case Discounting::StartOfYear: return 0.0;
  }
  return 1.0;
}

}  // namespace

double tiered_rate(const std::vector<Bracket>& b, TierMode mode, double x) {
  if (b.empty() || x <= 0.0) return b.empty() ? 0.0 : b.front().rate;
  if (mode == TierMode::Whole) {
    for (const auto& br : b)
      if (x <= br.upto) return br.rate;
    return b.back().rate;
  }
  // Marginal: the effective rate is the slice-weighted average of the bracket rates.
  double lower = 0.0, acc = 0.0;
  for (const auto& br : b) {
    const double upper = std::min(br.upto, x);
    if (upper > lower) acc += (upper - lower) * br.rate;
    if (x <= br.upto) break;
    lower = br.upto;
  }
  return acc / x;
}

void Workspace::resize(int years) {
  const auto n = static_cast<std::size_t>(years);
  for (auto* v : {&prod, &price, &revenue, &opex, &capex_init, &capex_sust, &capex_depr_init, &closure, &wc,
                  &dwc, &depr, &levies, &levies_nd, &duty, &taxable, &tax, &pre_gov, &pre_tax, &after_tax,
                  &loss_amount})
    v->assign(n, 0.0);
  loss_year.assign(n, 0);
}

CoreResult run_cash_flows(const Project& p, const Drivers& d, Workspace& ws, bool want_irr) {
  const int C = p.construction_years, P = p.production_years, K = p.closure_years;
  const int T = C + P + K;
  // A Project built in code must carry one value per production year (the loader guarantees it).
  assert(static_cast<int>(p.capacity_t.size()) == P && static_cast<int>(p.price_usd_per_t.size()) == P &&
         static_cast<int>(p.opex_usd_per_t.size()) == P && !p.fiscal.initial_depreciation.empty());
  if (static_cast<int>(ws.revenue.size()) != T) ws.resize(T);
  const double infl = p.money == Money::Nominal ? p.inflation : 0.0;
  const bool flat = !std::isnan(d.flat_price);

  // Pass 1: physical and money flows that do not depend on tax.
  double esc = 1.0;
  for (int t = 0; t < T; ++t, esc *= 1.0 + infl) {
    const int y = t - C;
    double prod = 0, price = 0, rev = 0, opex = 0, cap_i = 0, cap_s = 0, clo = 0;
    if (t < C) {
      cap_i = (t < static_cast<int>(p.initial_capex_musd.size()) ? p.initial_capex_musd[t] : 0.0) * d.capex * esc;
    } else if (y < P) {
      const double ramp = d.ramp_delay == 0.0 ? (y < static_cast<int>(p.ramp.size()) ? p.ramp[y] : 1.0)
                                               : ramp_at(p.ramp, y - d.ramp_delay);
      prod = p.capacity_t[y] * ramp * d.recovery;
      price = (flat ? d.flat_price : p.price_usd_per_t[y]) * d.price * esc;
      rev = prod * price * 1e-6;
      opex = (prod * p.opex_usd_per_t[y] * 1e-6 + p.fixed_opex_musd_per_year) * d.opex * esc;
      cap_s = (p.sustaining_musd_per_year + p.sustaining_usd_per_t * prod * 1e-6) * d.capex * esc;
    } else {
      clo = p.closure_musd / K * esc;
    }
    ws.prod[t] = prod;
    ws.price[t] = price;
    ws.revenue[t] = rev;
    ws.opex[t] = opex;
    ws.capex_init[t] = cap_i;
    ws.capex_sust[t] = cap_s;
    ws.capex_depr_init[t] = 0.0;
    ws.closure[t] = clo;
    ws.depr[t] = 0.0;
  }
  if (K == 0 && T > 0) ws.closure[T - 1] += p.closure_musd * std::pow(1.0 + infl, T - 1);
  for (const auto& def : p.deferred_capex) {
    const int t = C + def.production_year - 1;
    const double amount = def.musd * d.capex * (infl == 0.0 ? 1.0 : std::pow(1.0 + infl, t));
    ws.capex_init[t] += amount;
    if (t + 1 < T) ws.capex_depr_init[t + 1] += amount;
    else ws.depr[T - 1] += amount;
  }
  double initial_total = 0.0;
  for (int t = 0; t < C; ++t) initial_total += ws.capex_init[t];
  if (C < T) ws.capex_depr_init[C] += initial_total;

  // Pass 2: tax depreciation. Whatever is not yet deducted when the timeline ends is written off
  // in the final year, as a closing company would.
  const auto& sched = p.fiscal.initial_depreciation;
  const int ns = static_cast<int>(sched.size());
  const int nsust = std::max(1, p.fiscal.sustaining_depreciation_years);
  for (int s = 0; s < T; ++s) {
    const double base = ws.capex_depr_init[s];
    if (base != 0.0)
      for (int k = 0; k < ns; ++k) ws.depr[std::min(s + k, T - 1)] += base * sched[k];
    const double sust = ws.capex_sust[s];
    if (sust != 0.0) {
      const double share = sust / nsust;
      for (int k = 1; k <= nsust; ++k) ws.depr[std::min(s + k, T - 1)] += share;
    }
  }

  // Pass 3: working capital, levies, duties and income tax with loss carry-forward.
  const auto& f = p.fiscal;
  const double r = p.discount_rate;
  double df = std::pow(1.0 + r, -discount_offset(p.discounting));
  const double step = 1.0 / (1.0 + r);
  int loss_head = 0, loss_n = 0;
  double prev_wc = 0.0, npv_pre = 0.0, npv_after = 0.0;
  esc = 1.0;
  for (int t = 0; t < T; ++t, esc *= 1.0 + infl) {
    const double rev = ws.revenue[t];
    const double wc = t == T - 1 ? 0.0 : p.working_capital_share * rev;
    ws.wc[t] = wc;
    ws.dwc[t] = wc - prev_wc;
    prev_wc = wc;

    double lev = 0.0, lev_nd = 0.0, duty = 0.0;
    if (rev > 0.0) {
      const double opex = ws.opex[t];
      const double op_profit = rev - opex - ws.depr[t];
      double margin_levies = 0.0, other_levies = 0.0, margin_nd = 0.0, other_nd = 0.0;
      for (const auto& l : f.levies) {
        double amount = 0.0;
        switch (l.kind) {
          case LevyKind::AdValorem:
            amount = l.rate * std::max(0.0, rev - l.mine_head_opex_deduction * opex);
            break;
          case LevyKind::PriceTiered:
            // Brackets are in base-year dollars, so the rate is read at the real price.
            amount = tiered_rate(l.brackets, l.mode, ws.price[t] / esc) * rev;
            break;
          case LevyKind::MarginTiered:
            amount = op_profit > 0.0 ? tiered_rate(l.brackets, l.mode, op_profit / rev) * op_profit : 0.0;
            amount = std::max(amount, l.min_rate_on_revenue * rev);
            break;
        }
        if (l.kind == LevyKind::MarginTiered) {
          margin_levies += amount;
          if (!l.deductible) margin_nd += amount;
        } else {
          other_levies += amount;
          if (!l.deductible) other_nd += amount;
        }
      }
      if (f.burden_cap > 0.0 && margin_levies > 0.0 && op_profit > 0.0) {
        const double tau = f.income_tax_rate;
        const double cap = std::max(0.0, (f.burden_cap - tau) * op_profit / (1.0 - tau));
        if (other_levies + margin_levies > cap) {
          const double cut = std::max(0.0, cap - other_levies);
          margin_nd *= margin_levies > 0.0 ? cut / margin_levies : 0.0;
          margin_levies = cut;
        }
      }
      lev = margin_levies + other_levies;
      lev_nd = margin_nd + other_nd;
      if (f.export_duty_free_from_year == 0 || t + 1 < f.export_duty_free_from_year) duty = f.export_duty_rate * rev;
    }
    ws.levies[t] = lev;
    ws.levies_nd[t] = lev_nd;
    ws.duty[t] = duty;

    const double taxable = rev - ws.opex[t] - (lev - lev_nd) - duty - ws.depr[t] - ws.closure[t];
    ws.taxable[t] = taxable;
    double tax = 0.0;
    if (taxable <= 0.0) {
      if (taxable < 0.0) {
        ws.loss_year[loss_n] = t;
        ws.loss_amount[loss_n] = -taxable;
        ++loss_n;
      }
    } else {
      double room = f.loss_offset_limit * taxable;
      while (loss_head < loss_n && room > 0.0) {
        if (f.loss_carryforward_years > 0 && t - ws.loss_year[loss_head] > f.loss_carryforward_years) {
          ++loss_head;  // expired
          continue;
        }
        const double use = std::min(room, ws.loss_amount[loss_head]);
        ws.loss_amount[loss_head] -= use;
        room -= use;
        if (ws.loss_amount[loss_head] <= 0.0) ++loss_head;
      }
      const double used = f.loss_offset_limit * taxable - room;
      const int y = t - C;
      const double rate = (f.reduced_tax_years > 0 && y >= 0 && y < f.reduced_tax_years) ? f.reduced_tax_rate
                                                                                          : f.income_tax_rate;
      tax = rate * (taxable - used);
    }
    ws.tax[t] = tax;
    const double pre_gov = rev - ws.opex[t] - ws.capex_init[t] - ws.capex_sust[t] - ws.dwc[t] - ws.closure[t];
    ws.pre_gov[t] = pre_gov;
    ws.pre_tax[t] = pre_gov - lev - duty;
    ws.after_tax[t] = ws.pre_tax[t] - tax;
    npv_pre += ws.pre_tax[t] * df;
    npv_after += ws.after_tax[t] * df;
    df *= step;
  }
  CoreResult out;
  out.npv_pre_tax = npv_pre;
  out.npv_after_tax = npv_after;
  if (want_irr) out.irr_after_tax = irr(ws.after_tax.data(), T);
  return out;
}

double npv(const std::vector<double>& cf, double rate, double offset) {
  double df = std::pow(1.0 + rate, -offset), acc = 0.0;
  for (double c : cf) {
    acc += c * df;
    df /= 1.0 + rate;
  }
  return acc;
}

double irr(const double* cf, int n) {
  bool pos = false, neg = false;
  for (int t = 0; t < n; ++t) {
    pos |= cf[t] > 0.0;
    neg |= cf[t] < 0.0;
  }
  if (!pos || !neg) return kNaN;
  // f(r) = sum cf_t x^t with x = 1/(1+r) = P(x), by Horner.
  auto value = [&](double r, double*) {
    const double x = 1.0 / (1.0 + r);
    double v = cf[n - 1];
    for (int t = n - 2; t >= 0; --t) v = v * x + cf[t];
    return v;
  };
  // Halley's method from 10 %: P, P' and P'' come from three independent Horner chains in one
  // pass, and the cubic convergence needs about three passes where Newton needs six (a Monte
  // Carlo path spends much of its time here). With dx/dr = -x^2:
  //   f' = -x^2 P'(x),   f'' = x^4 P''(x) + 2 x^3 P'(x).
  double r = 0.1;
  for (int it = 0; it < 40; ++it) {
    const double x = 1.0 / (1.0 + r);
    double v = cf[n - 1], d1 = 0.0, d2 = 0.0;
    for (int t = n - 2; t >= 0; --t) {
      d2 = d2 * x + d1;
      d1 = d1 * x + v;
      v = v * x + cf[t];
    }
    const double x2 = x * x;
    const double f1 = -x2 * d1;
    const double f2 = x2 * x2 * 2.0 * d2 + 2.0 * x2 * x * d1;
    const double den = 2.0 * f1 * f1 - v * f2;
    if (den == 0.0 || !std::isfinite(v)) break;
    const double step = 2.0 * v * f1 / den;
    const double next = r - step;
    if (!(next > -0.99) || next > 1e3) break;
    // Halley converges cubically: after a step below 1e-4 the error is of order 1e-12, so accept
    // without another pass.
    if (std::fabs(step) < 1e-4 * std::max(1.0, std::fabs(r))) return next;
    r = next;
  }
  // Fallback: scan for a sign change, then bisect.
  static constexpr double grid[] = {-0.99, -0.9, -0.7, -0.5, -0.3, -0.2, -0.1, -0.05, 0.0, 0.02, 0.05, 0.1,
                                    0.15,  0.2,  0.3,  0.5,  0.75, 1.0,  1.5,  2.0,   3.0, 5.0,  10.0, 30.0,
                                    100.0, 300.0, 1000.0};
  double lo = grid[0], flo = value(lo, nullptr);
  for (std::size_t i = 1; i < std::size(grid); ++i) {
    const double hi = grid[i], fhi = value(hi, nullptr);
    if ((flo > 0.0) != (fhi > 0.0)) {
      double a = lo, b = hi, fa = flo;
      for (int it = 0; it < 200 && b - a > 1e-13 * std::max(1.0, std::fabs(a)); ++it) {
        const double m = 0.5 * (a + b), fm = value(m, nullptr);
        if ((fm > 0.0) == (fa > 0.0)) {
          a = m;
          fa = fm;
        } else {
          b = m;
        }
      }
      return 0.5 * (a + b);
    }
    lo = hi;
    flo = fhi;
  }
  return kNaN;
}

namespace {

// Years from the start of the timeline until cumulative flow turns non-negative for good;
// linear inside the crossing year (flows spread evenly over the year).
double payback_years(const std::vector<double>& cf) {
  double cum = 0.0, last_cross = kNaN;
  bool was_negative = false;
  for (std::size_t t = 0; t < cf.size(); ++t) {
    const double before = cum;
    cum += cf[t];
    if (cum < 0.0) {
      was_negative = true;
      last_cross = kNaN;
    } else if (was_negative && std::isnan(last_cross) && before < 0.0) {
      last_cross = static_cast<double>(t) + (-before / cf[t]);
    }
  }
  return last_cross;
}

}  // namespace

Evaluation evaluate(const Project& p, const Drivers& d) {
  Workspace ws;
  const CoreResult core = run_cash_flows(p, d, ws, true);
  Evaluation out;
  auto& tb = out.table;
  const int T = p.total_years();
  tb.production_t = ws.prod;
  tb.price_usd_per_t = ws.price;
  tb.revenue = ws.revenue;
  tb.opex = ws.opex;
  tb.royalties = ws.levies;
  tb.export_duty = ws.duty;
  tb.initial_capex = ws.capex_init;
  tb.sustaining_capex = ws.capex_sust;
  tb.closure = ws.closure;
  tb.working_capital_change = ws.dwc;
  tb.depreciation = ws.depr;
  tb.taxable_income = ws.taxable;
  tb.income_tax = ws.tax;
  tb.pre_government_cf = ws.pre_gov;
  tb.pre_tax_cf = ws.pre_tax;
  tb.after_tax_cf = ws.after_tax;
  tb.discount_factor.resize(T);
  const double off = discount_offset(p.discounting);
  for (int t = 0; t < T; ++t) tb.discount_factor[t] = std::pow(1.0 + p.discount_rate, -(t + off));

  auto& m = out.metrics;
  m.npv_pre_tax = core.npv_pre_tax;
  m.npv_after_tax = core.npv_after_tax;
  m.irr_after_tax = core.irr_after_tax;
  m.irr_pre_tax = irr(tb.pre_tax_cf);
  m.payback_from_construction = payback_years(tb.after_tax_cf);
  m.payback_from_production = m.payback_from_construction - p.construction_years;
  if (m.payback_from_production < 0.0) m.payback_from_production = 0.0;
  for (int t = 0; t < T; ++t) {
    const double gov = tb.royalties[t] + tb.export_duty[t] + tb.income_tax[t];
    m.royalties += tb.royalties[t];
    m.export_duties += tb.export_duty[t];
    m.income_taxes += tb.income_tax[t];
    m.government_take_npv += gov * tb.discount_factor[t];
    m.pre_government_cf += tb.pre_government_cf[t];
    m.pre_government_npv += tb.pre_government_cf[t] * tb.discount_factor[t];
  }
  m.government_take = m.royalties + m.export_duties + m.income_taxes;
  if (m.pre_government_cf > 0.0) m.government_take_share = m.government_take / m.pre_government_cf;
  if (m.pre_government_npv > 0.0) m.government_take_share_npv = m.government_take_npv / m.pre_government_npv;

  // Breakeven: after-tax NPV rises with the price, so bisect on a flat real price.
  Drivers b = d;
  auto npv_at = [&](double price) {
    b.flat_price = price;
    return run_cash_flows(p, b, ws, false).npv_after_tax;
  };
  if (npv_at(0.0) >= 0.0) {
    m.breakeven_price = 0.0;
  } else {
    double lo = 0.0, hi = 1000.0;
    while (npv_at(hi) < 0.0 && hi < 1e9) {
      lo = hi;
      hi *= 2.0;
    }
    if (hi < 1e9) {
      for (int it = 0; it < 100 && hi - lo > 1e-7 * hi; ++it) {
        const double mid = 0.5 * (lo + hi);
        (npv_at(mid) < 0.0 ? lo : hi) = mid;
      }
      m.breakeven_price = 0.5 * (lo + hi);
    }
  }
  return out;
}

}  // namespace cadena::finance
