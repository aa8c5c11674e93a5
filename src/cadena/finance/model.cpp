#include "cadena/finance/model.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

namespace cadena::finance {

namespace {

// The IRR search of irr() for flows known to change sign.
double irr_search(const double* cf, int n, double guess);

double discount_offset(Discounting d) {
  switch (d) {
    case Discounting::EndOfPeriod: return 1.0;
    case Discounting::MidPeriod: return 0.5;
    case Discounting::StartOfPeriod: return 0.0;
  }
  return 1.0;
}

// Income tax year by year, with losses carried forward first-in first-out (expiring after
// loss_carryforward_years, offsetting at most loss_offset_limit of a year's income) and the
// incentive rate in the first production years. Call tax() for fiscal years 0, 1, 2, ... in order.
struct LossBook {
  int* __restrict year;
  double* __restrict amount;
  // The regime's terms, copied so the stores into year/amount cannot force their reloads.
  double limit, rate, reduced_rate;
  int expiry, reduced_years;
  int head = 0, n = 0;

  LossBook(const FiscalRegime& f, int* y, double* a)
      : year(y),
        amount(a),
        limit(f.loss_offset_limit),
        rate(f.income_tax_rate),
        reduced_rate(f.reduced_tax_rate),
        expiry(f.loss_carryforward_years),
        reduced_years(f.reduced_tax_years) {}

  // Tax of fiscal year y on taxable income x; py = years since the first production year.
  double tax(double x, int y, int py) {
    if (x < 0.0) {
      year[n] = y;
      amount[n] = -x;
      ++n;
      return 0.0;
    }
    if (x == 0.0) return 0.0;
    double room = limit * x;
    while (head < n && room > 0.0) {
      if (expiry > 0 && y - year[head] > expiry) {
        ++head;  // expired
        continue;
      }
      const double use = std::min(room, amount[head]);
      amount[head] -= use;
      room -= use;
      if (amount[head] <= 0.0) ++head;
    }
    const double used = limit * x - room;
    return ((reduced_years > 0 && py >= 0 && py < reduced_years) ? reduced_rate : rate) * (x - used);
  }
};

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

double annuity_payment(double principal, double rate, int n) {
  if (n <= 0) return principal;
  if (rate == 0.0) return principal / n;
  return principal * rate / (1.0 - std::pow(1.0 + rate, -n));
}

double annualize(double period_rate, int periods_per_year) {
  if (std::isnan(period_rate) || periods_per_year == 1) return period_rate;
  return std::pow(1.0 + period_rate, periods_per_year) - 1.0;
}

void Workspace::resize(int n, int ny, int nlevies) {
  const auto np = static_cast<std::size_t>(n), yy = static_cast<std::size_t>(ny);
  for (auto* v : {&prod, &price, &gross, &deduct, &revenue, &opex, &lease, &capex_init, &capex_sust, &capex_def,
                  &closure, &salvage, &wc, &dwc, &levies, &duty, &tax, &pre_gov, &pre_tax, &after_tax, &draw,
                  &interest, &principal, &fees, &balance, &tax_lev, &cfads, &withholding, &equity})
    v->assign(np, 0.0);
  fy.assign(np, 0);
  for (auto* v : {&y_rev, &y_opex, &y_lease, &y_prod, &y_price_rev, &y_duty, &y_closure, &y_salvage, &y_depr_base,
                  &y_sust_base, &y_depr, &y_levies, &y_levies_nd, &y_taxable, &y_tax, &y_interest, &y_idc_depr,
                  &y_taxable_lev, &y_tax_lev, &y_withholding, &loss_amount})
    v->assign(yy, 0.0);
  loss_year.assign(yy, 0);
  levy_amount.assign(yy * static_cast<std::size_t>(std::max(1, nlevies)), 0.0);
}

namespace {

// The levies of fiscal year y (royalties, mining taxes; not the export duty): each one's amount
// into amount[levy * stride + y], their sum into lev and the part not deductible from the
// income-tax base into lev_nd. price is the year's revenue-weighted real price of the main product
// (price-tiered levies), volume its output (volume-tiered ones).
[[gnu::always_inline]] inline void year_levies(const FiscalRegime& fis, double a_rev, double a_opex, double a_lease, double dep, double volume,
                        double price, double* __restrict amount_out, int stride, int y, double& lev, double& lev_nd) {
  const int NL = static_cast<int>(fis.levies.size());
  lev = 0.0;
  lev_nd = 0.0;
  if (!(a_rev > 0.0)) {
    for (int li = 0; li < NL; ++li) amount_out[static_cast<std::size_t>(li) * stride + y] = 0.0;
    return;
  }
  const double op_profit = a_rev - a_opex - a_lease - dep;
  double margin_levies = 0.0, other_levies = 0.0, margin_nd = 0.0, other_nd = 0.0;
  for (int li = 0; li < NL; ++li) {
    const Levy& l = fis.levies[li];
    double amount = 0.0;
    switch (l.kind) {
      case LevyKind::AdValorem:
        amount = l.rate * std::max(0.0, a_rev - l.mine_head_opex_deduction * a_opex);
        break;
      case LevyKind::PriceTiered:
        // Brackets are in base-year dollars, so the rate is read at the (revenue-weighted) real price.
        amount = tiered_rate(l.brackets, l.mode, price) * a_rev;
        break;
      case LevyKind::MarginTiered:
        amount = op_profit > 0.0 ? tiered_rate(l.brackets, l.mode, op_profit / a_rev) * op_profit : 0.0;
        amount = std::max(amount, l.min_rate_on_revenue * a_rev);
        break;
      case LevyKind::VolumeTiered:
        amount = tiered_rate(l.brackets, l.mode, volume) * (l.base == LevyBase::Revenue ? a_rev : std::max(0.0, op_profit));
        break;
    }
    amount_out[static_cast<std::size_t>(li) * stride + y] = amount;
    if (l.kind == LevyKind::MarginTiered) {
      margin_levies += amount;
      if (!l.deductible) margin_nd += amount;
    } else {
      other_levies += amount;
      if (!l.deductible) other_nd += amount;
    }
  }
  const double burden_cap = fis.burden_cap, tau = fis.income_tax_rate;
  if (burden_cap > 0.0 && margin_levies > 0.0 && op_profit > 0.0) {
    const double cap = std::max(0.0, (burden_cap - tau) * op_profit / (1.0 - tau));
    if (other_levies + margin_levies > cap) {
      const double cut = std::max(0.0, cap - other_levies);
      const double scale = cut / margin_levies;
      for (int li = 0; li < NL; ++li)
        if (fis.levies[li].kind == LevyKind::MarginTiered) amount_out[static_cast<std::size_t>(li) * stride + y] *= scale;
      margin_nd *= scale;
      margin_levies = cut;
    }
  }
  lev = margin_levies + other_levies;
  lev_nd = margin_nd + other_nd;
}

// kYearly: periods are whole fiscal years (periods_per_year = 1, no offset), the usual case;
// compiled separately so its loops carry no sub-year bookkeeping. kTable: keep every flow by
// period for the table (evaluate); without it only what the IRR and the equity view read.
template <bool kYearly, bool kTable>
CoreResult run_impl(const Project& p, const Drivers& d, Workspace& ws, bool want_irr, bool want_equity) {
  const int ppy = kYearly ? 1 : p.periods_per_year;
  const double dt = 1.0 / ppy;
  const int C = p.construction_p(), P = p.production_years, Pp = P * ppy, Kp = p.closure_years * ppy;
  // A Project built in code must carry one value per production year (the loader guarantees it).
  assert(ppy >= 1 && static_cast<int>(p.capacity_t.size()) == P && static_cast<int>(p.price_usd_per_t.size()) == P &&
         static_cast<int>(p.opex_usd_per_t.size()) == P && !p.fiscal.initial_depreciation.empty());
  // A delay of s periods moves every production-phase flow later: whole periods k, and a share f
  // of each period's flow into the next, so nothing is deleted and the life ends later.
  const double shift = std::max(0.0, d.ramp_delay) * ppy;
  const int k = static_cast<int>(std::floor(shift));
  const double f = shift - k;
  const int prod_start = C + k, prod_end = C + Pp + k + (f > 0.0 ? 1 : 0);
  const int N = prod_end + Kp;
  const int off = kYearly ? 0 : p.start_period_in_year;
  const int NY = kYearly ? N : (N - 1 + off) / ppy + 1;
  const int fy_prod = kYearly ? prod_start : (std::min(prod_start, N - 1) + off) / ppy;  // fiscal year of first production
  const auto& fis = p.fiscal;
  const int NL = static_cast<int>(fis.levies.size());
  if (ws.capacity_periods() < N || ws.capacity_years() < NY ||
      static_cast<int>(ws.levy_amount.size()) < std::max(1, NL) * NY)
    ws.resize(std::max(N, ws.capacity_periods()), std::max(NY, ws.capacity_years()), NL);
  ws.periods = N;
  ws.years = NY;

  const double infl = p.money == Money::Nominal ? p.inflation : 0.0;
  auto esc_at = [&](int t) { return infl == 0.0 ? 1.0 : std::pow(1.0 + infl, t * dt); };
  const double esc_step = infl == 0.0 ? 1.0 : std::pow(1.0 + infl, dt);
  const int nbp = static_cast<int>(p.byproducts.size());
  const bool detail = ws.detail && nbp > 0;  // by-product flows by period, for the table
  if (detail)
    for (auto* v : {&ws.bp_q, &ws.bp_gross, &ws.bp_ded}) v->assign(static_cast<std::size_t>(nbp) * N, 0.0);

  // Leases: level payments from delivery; what the timeline cannot hold is settled at its end.
  const bool has_lease = !p.leases.empty();
  if (has_lease) {
    std::fill(ws.lease.begin(), ws.lease.begin() + N, 0.0);
    for (const auto& l : p.leases) {
      const int td = prod_start + (l.production_year - 1) * ppy;
      if (td >= N) continue;
      const int n = std::max(1, static_cast<int>(std::lround(l.term_years * ppy)));
      const double i = l.rate * dt;
      const double pay = annuity_payment(l.musd * d.capex * esc_at(td), i, n);
      for (int m = 0; m < n && td + m < N; ++m) ws.lease[td + m] += pay;
      if (td + n > N) {
        const int left = td + n - N;  // payments after the end, as their value at the last period
        ws.lease[N - 1] += pay * (i == 0.0 ? left : (1.0 - std::pow(1.0 + i, -left)) / i);
      }
    }
  }
  const double salvage = p.salvage_musd * esc_at(prod_end - 1);

  // Inputs are read through local pointers and copies: stores into the workspace could otherwise
  // alias them and force reloads (this function is most of a Monte Carlo path's cost).
  if (ws.prepared != &p) ws.prepare(p);
  const double* __restrict pq = ws.pq.data();
  const double* __restrict pded = ws.pded.data();
  const double* __restrict popex = ws.popex.data();
  const double* __restrict psust = ws.psust.data();
  const double* __restrict psustq = ws.psustq.data();
  const double* __restrict pdef = ws.pdef.data();
  const double* __restrict pbq = ws.pbq.data();
  const double* __restrict pbv = ws.pbv.data();
  const double* __restrict deck = p.price_usd_per_t.data();
  const double* __restrict capex_c = p.initial_capex_musd.data();
  const int ncapex = static_cast<int>(p.initial_capex_musd.size());
  const bool flat = !std::isnan(d.flat_price);
  const double main_pay = p.terms.payable * d.price;
  const double fixed = p.fixed_opex_musd_per_year * dt;
  const double f_price = d.price, f_opex = d.opex, f_capex = d.capex, f_rec = d.recovery;
  const double flat_p = d.flat_price, closure_p = Kp > 0 ? p.closure_musd / Kp : 0.0;
  const double closure_end = Kp == 0 ? p.closure_musd : 0.0;
  const double wc_share = p.working_capital_share * ppy;  // of annualised revenue
  const double duty_rate = fis.export_duty_rate;
  // Exports pay duty before project year free_from_year (1 = the first construction year).
  const int duty_end = fis.export_duty_free_from_year == 0 ? N : (fis.export_duty_free_from_year - 1) * ppy;
  const auto& sched = fis.initial_depreciation;
  const int ns = static_cast<int>(sched.size());
  const int nsust = std::max(1, fis.sustaining_depreciation_years);
  const double inv_nsust = 1.0 / nsust;
  const double salvage_share = fis.salvage_taxable_share;
  const double r = p.discount_rate;
  const double off_d = discount_offset(p.discounting);
  const double step = kYearly ? 1.0 / (1.0 + r) : 1.0 / std::pow(1.0 + r, dt);
  double df = off_d == 1.0 ? step : off_d == 0.0 ? 1.0 : std::pow(1.0 + r, -off_d * dt);

  double* __restrict w_prod = ws.prod.data();
  double* __restrict w_price = ws.price.data();
  double* __restrict w_gross = ws.gross.data();
  double* __restrict w_ded = ws.deduct.data();
  double* __restrict w_rev = ws.revenue.data();
  double* __restrict w_opex = ws.opex.data();
  double* __restrict w_lease = ws.lease.data();
  double* __restrict w_ci = ws.capex_init.data();
  double* __restrict w_cs = ws.capex_sust.data();
  double* __restrict w_cd = ws.capex_def.data();
  double* __restrict w_clo = ws.closure.data();
  double* __restrict w_salv = ws.salvage.data();
  double* __restrict w_wc = ws.wc.data();
  double* __restrict w_dwc = ws.dwc.data();
  double* __restrict w_duty = ws.duty.data();
  double* __restrict w_lev = ws.levies.data();
  double* __restrict w_tax = ws.tax.data();
  double* __restrict w_pre_gov = ws.pre_gov.data();
  double* __restrict w_pre_tax = ws.pre_tax.data();
  double* __restrict w_after = ws.after_tax.data();
  int* __restrict w_fy = ws.fy.data();
  double* __restrict depr = ws.y_depr.data();
  double* __restrict y_sust = ws.y_sust_base.data();
  double* __restrict levy_amount = ws.levy_amount.data();
  std::fill(depr, depr + NY, 0.0);
  LossBook book{fis, ws.loss_year.data(), ws.loss_amount.data()};

  // One pass over the fiscal years. Within a year: its periods' physical and money flows, then
  // the year's depreciation, levies and income tax (which need only this and earlier years),
  // then its periods' share of those, their cash flows and present value.
  double esc = 1.0, initial_total = 0.0, prev_wc = 0.0, prev_def = 0.0;
  double window = 0.0, sust_total = 0.0, sust_deducted = 0.0;  // sustaining capex depreciation
  double npv_pre = 0.0, npv_after = 0.0;
  double last_pre_gov = 0.0, last_duty = 0.0;  // the period just computed (yearly periods: the year)
  int t = 0;
  for (int y = 0; y < NY; ++y) {
    const int t0 = t, t1 = kYearly ? t + 1 : std::min(N, (y + 1) * ppy - off);
    double a_rev = 0, a_opex = 0, a_lease = 0, a_prod = 0, a_prc = 0, a_duty = 0, a_clo = 0, a_salv = 0, a_sust = 0,
           a_def = 0;
    for (; t < t1; ++t, esc *= esc_step) {
      w_fy[t] = y;
      double q = 0, price = 0, gross = 0, ded = 0, opex = 0, cap_i = 0, cap_s = 0, cap_d = 0, clo = 0, pm = 0;
      if (t < C) {
        cap_i = (t < ncapex ? capex_c[t] : 0.0) * f_capex * esc;
        initial_total += cap_i;
      } else if (t < prod_end) {
        const int yt = std::min(kYearly ? t - C : (t - C) / ppy, P - 1);  // prices by position on the timeline
        const double deck_p = flat ? flat_p : deck[yt];
        pm = deck_p * f_price;
        price = pm * esc;
        double opex_f = 0, sust = 0, def = 0;
        // The undelayed production period j contributes with weight w.
        // The undelayed production period j contributes with weight w (prepared arrays, at
        // recovery 1 and factors 1; see Workspace::prepare).
        double opex_q = 0, sust_q = 0;
        auto add = [&](int j, double w) {
          if (j < 0 || j >= Pp) return;
          q += pq[j] * w;
          ded += pded[j] * w;
          opex_q += popex[j] * w;
          opex_f += fixed * w;
          sust += psust[j] * w;
          sust_q += psustq[j] * w;
          def += pdef[j] * w;
          for (int bi = 0; bi < nbp; ++bi) {
            const double qb = pbq[static_cast<std::size_t>(bi) * Pp + j] * w;
            const double g = qb * pbv[static_cast<std::size_t>(bi) * P + yt];
            gross += g;
            if (detail) {
              const std::size_t at = static_cast<std::size_t>(bi) * N + t;
              ws.bp_q[at] += qb * f_rec;
              ws.bp_gross[at] += g * f_rec * f_price * 1e-6 * esc;
              ws.bp_ded[at] += qb * f_rec * p.byproducts[bi].terms.deduction_per_unit() * 1e-6 * esc;
            }
          }
        };
        add(t - prod_start, 1.0 - f);
        if (f > 0.0) add(t - prod_start - 1, f);
        q *= f_rec;
        gross = (gross * f_price * f_rec + q * main_pay * deck_p) * 1e-6 * esc;
        ded = ded * f_rec * 1e-6 * esc;
        opex = (opex_q * f_rec + opex_f) * f_opex * esc;
        cap_s = (sust + sust_q * f_rec) * f_capex * esc;
        cap_d = def * f_capex * esc;
      } else {
        clo = closure_p * esc;
      }
      if (t == N - 1) clo += closure_end * esc;
      const double rev = gross - ded;
      const double lease = has_lease ? w_lease[t] : 0.0;
      const double salv = t == prod_end - 1 ? salvage : 0.0;
      const double wc = t == N - 1 ? 0.0 : wc_share * rev;
      const double duty = (rev > 0.0 && t < duty_end) ? duty_rate * rev : 0.0;
      w_rev[t] = rev;
      w_ci[t] = cap_i;
      last_pre_gov = rev - opex - lease - cap_i - cap_d - cap_s - (wc - prev_wc) - clo + salv;
      last_duty = duty;
      if (kTable || !kYearly) {
        w_duty[t] = duty;
        w_pre_gov[t] = last_pre_gov;
      }
      if (kTable) {  // the rest only for the table
        w_prod[t] = q;
        w_price[t] = price;
        w_gross[t] = gross;
        w_ded[t] = ded;
        w_opex[t] = opex;
        w_lease[t] = lease;
        w_cs[t] = cap_s;
        w_cd[t] = cap_d;
        w_clo[t] = clo;
        w_salv[t] = salv;
        w_wc[t] = wc;
        w_dwc[t] = wc - prev_wc;
      }
      prev_wc = wc;
      a_rev += rev;
      a_opex += opex;
      a_lease += lease;
      a_prod += q;
      a_prc += rev * pm;
      a_duty += duty;
      a_clo += clo;
      a_salv += salv;
      a_sust += cap_s;
      a_def += cap_d;
    }
    ws.y_rev[y] = a_rev;
    y_sust[y] = a_sust;

    // Tax depreciation of the year: initial capex from the year of first production, deferred
    // capex from the year after its spend (both by the regime's schedule), sustaining capex
    // straight line from the year after its spend (a running window). Whatever is not yet
    // deducted when the timeline ends is written off in the final year, as a closing company would.
    const double base = prev_def + (y == fy_prod ? initial_total : 0.0);
    if (base != 0.0)
      for (int kk = 0; kk < ns; ++kk) depr[std::min(y + kk, NY - 1)] += base * sched[kk];
    prev_def = a_def;
    if (y > 0) window += y_sust[y - 1];
    if (y > nsust) window -= y_sust[y - 1 - nsust];
    sust_total += a_sust;
    if (y < NY - 1) {
      depr[y] += window * inv_nsust;
      sust_deducted += window * inv_nsust;
    } else {
      depr[y] += a_def + (sust_total - sust_deducted);
    }
    const double dep = depr[y];

    // Levies of the year.
    double lev = 0.0, lev_nd = 0.0;
    year_levies(fis, a_rev, a_opex, a_lease, dep, a_prod, a_rev > 0.0 ? a_prc / a_rev : 0.0, levy_amount, NY, y, lev, lev_nd);

    // Income tax of the year.
    const double taxable = a_rev - a_opex - a_lease - (lev - lev_nd) - a_duty - dep - a_clo + salvage_share * a_salv;
    const double tax = book.tax(taxable, y, y - fy_prod);
    ws.y_levies[y] = lev;
    ws.y_taxable[y] = taxable;
    ws.y_tax[y] = tax;

    // The year's periods: their share of the levies and tax (by revenue; a year without revenue
    // pays in its last period), cash flows and present value.
    for (int u = t0; u < t1; ++u, df *= step) {
      const double share = kYearly || t1 - t0 == 1 ? 1.0 : a_rev > 0.0 ? w_rev[u] / a_rev : (u == t1 - 1 ? 1.0 : 0.0);
      const double lu = lev * share, tu = tax * share;
      if (kTable) w_lev[u] = lu;
      w_tax[u] = tu;
      const double pre_tax = (kYearly ? last_pre_gov : w_pre_gov[u]) - lu - (kYearly ? last_duty : w_duty[u]);
      w_pre_tax[u] = pre_tax;
      w_after[u] = pre_tax - tu;
      npv_pre += pre_tax * df;
      npv_after += (pre_tax - tu) * df;
    }
  }
  CoreResult out;
  out.npv_pre_tax = npv_pre;
  out.npv_after_tax = npv_after;
  if (want_irr) out.irr_after_tax = annualize(irr(w_after, N, ws.irr_guess), ppy);
  if (!want_equity || !p.has_equity_view()) return out;

  // Senior debt, the shareholder's income tax (with the interest deducted), dividend
  // withholding, and the equity cash flow: one more pass over the fiscal years.
  const Debt& db = p.debt;
  const bool has_debt = db.active();
  const double share_debt = db.share_of_initial_capex;
  const double facility = share_debt * initial_total;
  const double i = db.interest_rate * dt;
  const int tr = C + static_cast<int>(std::lround(db.grace_years * ppy));  // first repayment period
  const int n_rep = std::max(1, static_cast<int>(std::lround(db.tenor_years * ppy)));
  const bool shield = fis.interest_deductible;
  const double wht = fis.dividend_withholding;
  const double re = std::isnan(p.equity_discount_rate) ? r : p.equity_discount_rate;
  const double step_e = kYearly ? 1.0 / (1.0 + re) : 1.0 / std::pow(1.0 + re, dt);
  double dfe = off_d == 1.0 ? step_e : off_d == 0.0 ? 1.0 : std::pow(1.0 + re, -off_d * dt);
  double* __restrict w_draw = ws.draw.data();
  double* __restrict w_int = ws.interest.data();
  double* __restrict w_pr = ws.principal.data();
  double* __restrict w_fees = ws.fees.data();
  double* __restrict w_bal = ws.balance.data();
  double* __restrict w_tax_lev = ws.tax_lev.data();
  double* __restrict w_wh = ws.withholding.data();
  double* __restrict w_cfads = ws.cfads.data();
  double* __restrict w_eq = ws.equity.data();
  LossBook book_lev{fis, ws.loss_year.data(), ws.loss_amount.data()};
  double bal = 0.0, drawn = 0.0, idc = 0.0, level = 0.0, equal = 0.0, npv_eq = 0.0, idc_deducted = 0.0;
  bool first_draw = true;
  t = 0;
  for (int y = 0; y < NY; ++y) {
    const int t0 = t, t1 = kYearly ? t + 1 : std::min(N, (y + 1) * ppy - off);
    double y_int = 0.0;  // interest and fees paid in the year
    for (; t < t1; ++t) {
      double draw = 0.0, interest = 0.0, pr = 0.0, fee = 0.0;
      if (has_debt) {
        const double due = bal * i;
        if (t < C) {  // drawn with the capex; interest capitalised (or paid by equity)
          draw = share_debt * w_ci[t];
          fee = db.commitment_fee * dt * std::max(0.0, facility - drawn);
          if (draw > 0.0 && first_draw) {
            fee += db.upfront_fee * facility;
            first_draw = false;
          }
          if (db.capitalize_interest) {
            bal += due;
            idc += due;
          } else {
            interest = due;
          }
          bal += draw;
          drawn += draw;
        } else {
          if (t == tr) {
            level = annuity_payment(bal, i, n_rep);
            equal = bal / n_rep;
          }
          interest = due;
          if (t >= tr && t < tr + n_rep) {
            switch (db.repayment) {
              case Repayment::Annuity: pr = level - interest; break;
              case Repayment::EqualPrincipal: pr = equal; break;
              // Sculpted on the cash flow available before the interest's tax shield.
              case Repayment::Sculpted: pr = (w_pre_tax[t] - w_tax[t]) / db.target_dscr - interest; break;
            }
            if (t == tr + n_rep - 1) pr = bal;  // the last instalment clears the balance
          }
          if (t == N - 1) pr = bal;  // nothing outlives the project
          pr = std::clamp(pr, 0.0, bal);
          bal -= pr;
        }
      }
      w_draw[t] = draw;
      w_int[t] = interest;
      w_pr[t] = pr;
      w_fees[t] = fee;
      w_bal[t] = bal;
      y_int += interest + fee;
    }
    // Capitalised interest is part of the asset's cost: depreciated with the initial capex
    // (construction ends before the year of first production closes).
    double idc_dep = 0.0;
    if (idc > 0.0 && y >= fy_prod) {
      idc_dep = y == NY - 1 ? idc - idc_deducted : (y - fy_prod < ns ? idc * sched[y - fy_prod] : 0.0);
      idc_deducted += idc_dep;
    }
    const double x = ws.y_taxable[y] - (shield ? y_int + idc_dep : 0.0);
    const double tax_lev = book_lev.tax(x, y, y - fy_prod);
    const double wh = wht * std::max(0.0, x - tax_lev);
    ws.y_interest[y] = y_int;
    ws.y_idc_depr[y] = idc_dep;
    ws.y_taxable_lev[y] = x;
    ws.y_tax_lev[y] = tax_lev;
    ws.y_withholding[y] = wh;
    const double a_rev = ws.y_rev[y];
    for (int u = t0; u < t1; ++u, dfe *= step_e) {
      const double share = kYearly || t1 - t0 == 1 ? 1.0 : a_rev > 0.0 ? w_rev[u] / a_rev : (u == t1 - 1 ? 1.0 : 0.0);
      const double tl = tax_lev * share, whu = wh * share;
      const double cfads = w_pre_tax[u] - tl;
      const double eq = cfads + w_draw[u] - w_int[u] - w_pr[u] - w_fees[u] - whu;
      w_tax_lev[u] = tl;
      w_wh[u] = whu;
      w_cfads[u] = cfads;
      w_eq[u] = eq;
      npv_eq += eq * dfe;
    }
  }
  out.npv_equity = npv_eq;
  if (want_irr) out.irr_equity = annualize(irr(w_eq, N, ws.irr_guess_equity), ppy);
  return out;
}

}  // namespace

void Workspace::prepare(const Project& p) {
  const int ppy = p.periods_per_year, P = p.production_years, Pp = P * ppy;
  const double dt = 1.0 / ppy;
  const auto n = static_cast<std::size_t>(Pp);
  for (auto* v : {&pq, &pded, &popex, &psust, &psustq, &pdef}) v->assign(n, 0.0);
  const std::size_t nb = p.byproducts.size();
  pbq.assign(nb * n, 0.0);
  pbv.assign(nb * static_cast<std::size_t>(P), 0.0);
  for (std::size_t b = 0; b < nb; ++b)
    for (int y = 0; y < P; ++y) pbv[b * P + y] = p.byproducts[b].terms.payable * p.byproducts[b].price_usd[y];
  const double main_ded = p.terms.deduction_per_unit();
  for (int j = 0; j < Pp; ++j) {
    const int y = j / ppy;
    const double r = !p.ramp_periods.empty() ? (j < static_cast<int>(p.ramp_periods.size()) ? p.ramp_periods[j] : 1.0)
                                             : (y < static_cast<int>(p.ramp.size()) ? p.ramp[y] : 1.0);
    const double q = p.capacity_t[y] * r * dt;
    double ded = q * main_ded;
    for (std::size_t b = 0; b < nb; ++b) {
      const double qb = p.byproducts[b].quantity[y] * r * dt;
      pbq[b * n + j] = qb;
      ded += qb * p.byproducts[b].terms.deduction_per_unit();
    }
    pq[j] = q;
    pded[j] = ded;
    popex[j] = q * p.opex_usd_per_t[y] * 1e-6;
    psust[j] = (p.sustaining_musd_per_year +
                (y < static_cast<int>(p.sustaining_musd_by_year.size()) ? p.sustaining_musd_by_year[y] : 0.0)) * dt;
    psustq[j] = p.sustaining_usd_per_t * q * 1e-6;
    for (const auto& dc : p.deferred_capex)
      if (dc.production_year - 1 == y) pdef[j] += dc.musd * dt;
  }
  prepared = &p;
}

CoreResult run_cash_flows(const Project& p, const Drivers& d, Workspace& ws, bool want_irr, bool want_equity) {
  const bool yearly = p.periods_per_year == 1 && p.start_period_in_year == 0;
  if (ws.detail)
    return yearly ? run_impl<true, true>(p, d, ws, want_irr, want_equity) : run_impl<false, true>(p, d, ws, want_irr, want_equity);
  return yearly ? run_impl<true, false>(p, d, ws, want_irr, want_equity) : run_impl<false, false>(p, d, ws, want_irr, want_equity);
}

namespace {

constexpr std::size_t kMaxPieces = 8;  // ramp-up delays cached per workspace (a discrete delay)

// The pieces of a yearly project at one delay, derived from the reference recursion itself: a run
// at unit drivers and one at zero recovery separate what scales with the recovery from what does
// not; every flow before levies and tax is then a sum of these pieces times driver products.
const Workspace::Pieces* path_pieces(const Project& p, double delay, Workspace& ws) {
  if (ws.pieces_for != &p) {
    ws.pieces.clear();
    ws.pieces_for = &p;
  }
  for (const auto& pc : ws.pieces)
    if (pc.delay == delay) return &pc;
  if (ws.pieces.size() >= kMaxPieces) return nullptr;
  const bool eq = p.has_equity_view();
  Drivers a;
  a.ramp_delay = delay;
  Drivers b = a;
  b.recovery = 0.0;
  const bool detail = ws.detail;
  ws.detail = true;  // every flow by period
  run_cash_flows(p, b, ws, false, eq);
  const int N = ws.periods;
  const auto n = static_cast<std::size_t>(N);
  auto head = [&](const std::vector<double>& v) { return std::vector<double>(v.begin(), v.begin() + N); };
  Workspace::Pieces pc;
  pc.delay = delay;
  pc.N = N;
  pc.prod_start = p.construction_p() + static_cast<int>(std::floor(delay));
  pc.of = head(ws.opex);
  const std::vector<double> cs0 = head(ws.capex_sust), dep0 = head(ws.y_depr);
  run_cash_flows(p, a, ws, false, eq);
  ws.detail = detail;
  pc.g = head(ws.gross);
  pc.dd = head(ws.deduct);
  pc.lease = head(ws.lease);
  pc.clo = head(ws.closure);
  pc.salv = head(ws.salvage);
  pc.q = head(ws.prod);
  pc.da = dep0;
  for (auto* v : {&pc.oq, &pc.k, &pc.kq, &pc.dq, &pc.pm, &pc.df, &pc.dfe, &pc.yi, &pc.ds}) v->assign(n, 0.0);
  const int C = p.construction_p(), P = p.production_years;
  const int prod_end = C + P + static_cast<int>(std::floor(delay)) + (delay > std::floor(delay) ? 1 : 0);
  for (int t = 0; t < N; ++t) {
    pc.oq[t] = ws.opex[t] - pc.of[t];
    pc.k[t] = ws.capex_init[t] + cs0[t] + ws.capex_def[t];
    pc.kq[t] = ws.capex_sust[t] - cs0[t];
    pc.dq[t] = ws.y_depr[t] - dep0[t];
    if (t >= C && t < prod_end) pc.pm[t] = p.price_usd_per_t[std::min(t - C, P - 1)];
    if (eq) {
      pc.yi[t] = p.fiscal.interest_deductible ? ws.y_interest[t] + ws.y_idc_depr[t] : 0.0;
      pc.ds[t] = ws.draw[t] - ws.interest[t] - ws.principal[t] - ws.fees[t];
    }
  }
  // Discount factors by the recursion run_impl uses.
  const double off_d = discount_offset(p.discounting);
  const double r = p.discount_rate, step = 1.0 / (1.0 + r);
  const double re = std::isnan(p.equity_discount_rate) ? r : p.equity_discount_rate, step_e = 1.0 / (1.0 + re);
  double df = off_d == 1.0 ? step : off_d == 0.0 ? 1.0 : std::pow(1.0 + r, -off_d);
  double dfe = off_d == 1.0 ? step_e : off_d == 0.0 ? 1.0 : std::pow(1.0 + re, -off_d);
  for (int t = 0; t < N; ++t, df *= step, dfe *= step_e) {
    pc.df[t] = df;
    pc.dfe[t] = dfe;
  }
  if (ws.loss_year_lev.size() < n) {
    ws.loss_year_lev.assign(n, 0);
    ws.loss_amount_lev.assign(n, 0.0);
  }
  ws.pieces.push_back(std::move(pc));
  return &ws.pieces.back();
}

}  // namespace

CoreResult run_path(const Project& p, const Drivers& d, Workspace& ws, bool want_equity) {
  // The debt's flows (clamped repayments, fees on the undrawn facility) scale with the capex
  // factor only when it is not negative (a Monte Carlo draw never is).
  const bool eligible = p.periods_per_year == 1 && p.start_period_in_year == 0 && std::isnan(d.flat_price) &&
                        d.capex >= 0.0 && !ws.detail && !(p.debt.active() && p.debt.repayment == Repayment::Sculpted);
  const Workspace::Pieces* pc = eligible ? path_pieces(p, std::max(0.0, d.ramp_delay), ws) : nullptr;
  if (!pc) return run_cash_flows(p, d, ws, true, want_equity);
  const int N = pc->N, fy_prod = pc->prod_start;
  const auto& fis = p.fiscal;
  const double fp = d.price, fc = d.capex, fo = d.opex, fr = d.recovery, fpr = fp * fr;
  const double wc_share = p.working_capital_share, duty_rate = fis.export_duty_rate;
  const double salvage_share = fis.salvage_taxable_share, wht = fis.dividend_withholding;
  const int duty_end = fis.export_duty_free_from_year == 0 ? N : fis.export_duty_free_from_year - 1;
  const bool eq = want_equity && p.has_equity_view();
  const bool ad_valorem_only = std::all_of(fis.levies.begin(), fis.levies.end(),
                                           [](const Levy& l) { return l.kind == LevyKind::AdValorem; });
  const double* __restrict g = pc->g.data();
  const double* __restrict dd = pc->dd.data();
  const double* __restrict oq = pc->oq.data();
  const double* __restrict of = pc->of.data();
  const double* __restrict ls = pc->lease.data();
  const double* __restrict k = pc->k.data();
  const double* __restrict kq = pc->kq.data();
  const double* __restrict da = pc->da.data();
  const double* __restrict dq = pc->dq.data();
  const double* __restrict clo = pc->clo.data();
  const double* __restrict salv = pc->salv.data();
  const double* __restrict q = pc->q.data();
  const double* __restrict pm = pc->pm.data();
  const double* __restrict df = pc->df.data();
  const double* __restrict dfe = pc->dfe.data();
  const double* __restrict yi = pc->yi.data();
  const double* __restrict ds = pc->ds.data();
  double* __restrict w_after = ws.after_tax.data();
  double* __restrict w_eq = ws.equity.data();
  double* __restrict levy_amount = ws.levy_amount.data();
  LossBook book{fis, ws.loss_year.data(), ws.loss_amount.data()};
  LossBook book_lev{fis, ws.loss_year_lev.data(), ws.loss_amount_lev.data()};
  double prev_wc = 0.0, npv_pre = 0.0, npv_after = 0.0, npv_eq = 0.0;
  bool pos = false, neg = false, pos_e = false, neg_e = false;  // signs seen, for the IRRs
  // One pass over the years: the flows from the pieces, the year's levies and income tax, and
  // with the shareholder's view the tax with interest deducted, the withholding and the equity
  // flow (the debt's flows scale with the capex factor alone), all as run_impl computes them.
  for (int t = 0; t < N; ++t) {
    const double rev = fpr * g[t] - fr * dd[t];
    const double opex = fo * (fr * oq[t] + of[t]);
    const double lease = fc * ls[t];
    const double dep = fc * (da[t] + fr * dq[t]);
    const double wc = t == N - 1 ? 0.0 : wc_share * rev;
    const double duty = (rev > 0.0 && t < duty_end) ? duty_rate * rev : 0.0;
    const double pre_gov = rev - opex - lease - fc * (k[t] + fr * kq[t]) - (wc - prev_wc) - clo[t] + salv[t];
    prev_wc = wc;
    double lev = 0.0, lev_nd = 0.0;
    if (rev > 0.0) {
      if (ad_valorem_only) {  // what year_levies computes for these, without its dispatch
        for (const Levy& l : fis.levies) {
          const double amount = l.rate * std::max(0.0, rev - l.mine_head_opex_deduction * opex);
          lev += amount;
          if (!l.deductible) lev_nd += amount;
        }
      } else {
        year_levies(fis, rev, opex, lease, dep, fr * q[t], fp * pm[t], levy_amount, N, t, lev, lev_nd);
      }
    }
    const double taxable = rev - opex - lease - (lev - lev_nd) - duty - dep - clo[t] + salvage_share * salv[t];
    const double tax = book.tax(taxable, t, t - fy_prod);
    const double pre_tax = pre_gov - lev - duty;
    const double after = pre_tax - tax;
    w_after[t] = after;
    pos |= after > 0.0;
    neg |= after < 0.0;
    npv_pre += pre_tax * df[t];
    npv_after += after * df[t];
    if (eq) {
      const double x = taxable - fc * yi[t];
      const double tax_lev = book_lev.tax(x, t, t - fy_prod);
      const double e = pre_tax - tax_lev + fc * ds[t] - wht * std::max(0.0, x - tax_lev);
      w_eq[t] = e;
      pos_e |= e > 0.0;
      neg_e |= e < 0.0;
      npv_eq += e * dfe[t];
    }
  }
  CoreResult out;
  out.npv_pre_tax = npv_pre;
  out.npv_after_tax = npv_after;
  out.irr_after_tax = pos && neg ? irr_search(w_after, N, ws.irr_guess) : kNaN;
  if (eq) {
    out.npv_equity = npv_eq;
    out.irr_equity = pos_e && neg_e ? irr_search(w_eq, N, ws.irr_guess_equity) : kNaN;
  }
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

double irr(const double* cf, int n, double guess) {
  bool pos = false, neg = false;
  for (int t = 0; t < n; ++t) {
    pos |= cf[t] > 0.0;
    neg |= cf[t] < 0.0;
  }
  return pos && neg ? irr_search(cf, n, guess) : kNaN;
}

namespace {

double irr_search(const double* cf, int n, double guess) {
  // f(r) = sum cf_t x^t with x = 1/(1+r) = P(x), by Horner.
  auto value = [&](double r, double*) {
    const double x = 1.0 / (1.0 + r);
    double v = cf[n - 1];
    for (int t = n - 2; t >= 0; --t) v = v * x + cf[t];
    return v;
  };
  // Halley's method from 10 %: P, P' and P'' in one pass, and the cubic convergence needs about
  // three passes where Newton needs six (a Monte Carlo path spends much of its time here). With
  // dx/dr = -x^2:
  //   f' = -x^2 P'(x),   f'' = x^4 P''(x) + 2 x^3 P'(x).
  // The pass splits P into its even and odd coefficients, P(x) = E(y) + x O(y) with y = x^2, and
  // runs Horner's three chains (value, first derivative, half the second) on E and O side by
  // side: six independent chains of n/2 steps instead of three of n, half the latency.
  //   P'    = 2x E'(y) + O(y) + 2y O'(y)
  //   P''/2 = E'(y) + 4y E''(y)/2 + 3x O'(y) + 4xy O''(y)/2
  const int m = (n + 1) / 2;  // coefficients of E; O has m too, with a zero on top when n is odd
  double r = std::isfinite(guess) && guess > -0.9 && guess < 1e3 ? guess : 0.1;
  for (int it = 0; it < 40; ++it) {
    const double x = 1.0 / (1.0 + r), y = x * x;
    double e = cf[2 * (m - 1)], e1 = 0.0, e2 = 0.0;
    double o = 2 * m - 1 < n ? cf[2 * m - 1] : 0.0, o1 = 0.0, o2 = 0.0;
    for (int k = m - 2; k >= 0; --k) {
      e2 = e2 * y + e1;
      e1 = e1 * y + e;
      e = e * y + cf[2 * k];
      o2 = o2 * y + o1;
      o1 = o1 * y + o;
      o = o * y + cf[2 * k + 1];
    }
    const double v = e + x * o;
    const double d1 = 2.0 * x * e1 + o + 2.0 * y * o1;
    const double d2 = e1 + 4.0 * y * e2 + 3.0 * x * o1 + 4.0 * x * y * o2;
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

// Periods from the start of the timeline until cumulative flow turns non-negative for good;
// linear inside the crossing period (flows spread evenly over it).
double payback_periods(const std::vector<double>& cf) {
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

std::vector<double> head(const std::vector<double>& v, int n) { return {v.begin(), v.begin() + n}; }

}  // namespace

Evaluation evaluate(const Project& p, const Drivers& d) {
  Workspace ws;
  ws.detail = true;
  const CoreResult core = run_cash_flows(p, d, ws, true, true);
  Evaluation out;
  auto& tb = out.table;
  const int N = ws.periods, NY = ws.years, ppy = p.periods_per_year;
  const double dt = 1.0 / ppy;
  tb.periods_per_year = ppy;
  tb.fiscal_year.assign(ws.fy.begin(), ws.fy.begin() + N);
  tb.production_t = head(ws.prod, N);
  tb.price_usd_per_t = head(ws.price, N);
  tb.gross_revenue = head(ws.gross, N);
  tb.realization = head(ws.deduct, N);
  tb.revenue = head(ws.revenue, N);
  tb.opex = head(ws.opex, N);
  tb.lease = head(ws.lease, N);
  tb.royalties = head(ws.levies, N);
  tb.export_duty = head(ws.duty, N);
  tb.initial_capex.resize(N);
  for (int t = 0; t < N; ++t) tb.initial_capex[t] = ws.capex_init[t] + ws.capex_def[t];
  tb.sustaining_capex = head(ws.capex_sust, N);
  tb.closure = head(ws.closure, N);
  tb.salvage = head(ws.salvage, N);
  tb.working_capital_change = head(ws.dwc, N);
  // Fiscal-year figures shown in the last period of each year.
  tb.depreciation.assign(N, 0.0);
  tb.taxable_income.assign(N, 0.0);
  for (int t = 0; t < N; ++t)
    if (t == N - 1 || ws.fy[t + 1] != ws.fy[t]) {
      tb.depreciation[t] = ws.y_depr[ws.fy[t]];
      tb.taxable_income[t] = ws.y_taxable[ws.fy[t]];
    }
  tb.income_tax = head(ws.tax, N);
  tb.pre_government_cf = head(ws.pre_gov, N);
  tb.pre_tax_cf = head(ws.pre_tax, N);
  tb.after_tax_cf = head(ws.after_tax, N);
  tb.discount_factor.resize(N);
  const double off = discount_offset(p.discounting);
  for (int t = 0; t < N; ++t) tb.discount_factor[t] = std::pow(1.0 + p.discount_rate, -(t + off) * dt);

  // Revenue by product, main product first.
  {
    ProductFlows main{p.product.empty() ? "product" : p.product, "t", tb.production_t, std::vector<double>(N),
                      std::vector<double>(N)};
    const double infl = p.money == Money::Nominal ? p.inflation : 0.0;
    const double main_ded = p.terms.deduction_per_unit();
    for (int t = 0; t < N; ++t) {
      const double esc = infl == 0.0 ? 1.0 : std::pow(1.0 + infl, t * dt);
      main.gross[t] = tb.production_t[t] * p.terms.payable * tb.price_usd_per_t[t] * 1e-6;
      main.deductions[t] = tb.production_t[t] * main_ded * 1e-6 * esc;
    }
    tb.products.push_back(std::move(main));
    for (std::size_t bi = 0; bi < p.byproducts.size(); ++bi) {
      const auto at = ws.bp_q.begin() + static_cast<std::ptrdiff_t>(bi * N);
      const auto ag = ws.bp_gross.begin() + static_cast<std::ptrdiff_t>(bi * N);
      const auto ad = ws.bp_ded.begin() + static_cast<std::ptrdiff_t>(bi * N);
      tb.products.push_back({p.byproducts[bi].name, p.byproducts[bi].unit, {at, at + N}, {ag, ag + N}, {ad, ad + N}});
    }
  }

  auto& m = out.metrics;
  m.npv_pre_tax = core.npv_pre_tax;
  m.npv_after_tax = core.npv_after_tax;
  m.irr_after_tax = core.irr_after_tax;
  m.irr_pre_tax = annualize(irr(tb.pre_tax_cf), ppy);
  const double shift_years = std::max(0.0, d.ramp_delay);
  m.payback_from_construction = payback_periods(tb.after_tax_cf) * dt;
  m.payback_from_production = m.payback_from_construction - p.construction_p() * dt - shift_years;
  if (m.payback_from_production < 0.0) m.payback_from_production = 0.0;
  for (const auto& pf : tb.products) {
    double s = 0.0;
    for (int t = 0; t < N; ++t) s += pf.gross[t] - pf.deductions[t];
    m.revenue_by_product.emplace_back(pf.name, s);
  }
  for (std::size_t l = 0; l < p.fiscal.levies.size(); ++l) {
    double s = 0.0;
    for (int y = 0; y < NY; ++y) s += ws.levy_amount[l * NY + y];
    m.levies.emplace_back(p.fiscal.levies[l].name, s);
  }
  const bool eq = p.has_equity_view();
  for (int t = 0; t < N; ++t) {
    const double wh = eq ? ws.withholding[t] : 0.0;
    const double gov = tb.royalties[t] + tb.export_duty[t] + tb.income_tax[t] + wh;
    m.royalties += tb.royalties[t];
    m.export_duties += tb.export_duty[t];
    m.income_taxes += tb.income_tax[t];
    m.withholding += wh;
    m.government_take_npv += gov * tb.discount_factor[t];
    m.pre_government_cf += tb.pre_government_cf[t];
    m.pre_government_npv += tb.pre_government_cf[t] * tb.discount_factor[t];
  }
  m.government_take = m.royalties + m.export_duties + m.income_taxes + m.withholding;
  if (m.pre_government_cf > 0.0) m.government_take_share = m.government_take / m.pre_government_cf;
  if (m.pre_government_npv > 0.0) m.government_take_share_npv = m.government_take_npv / m.pre_government_npv;

  if (eq) {
    tb.debt_draw = head(ws.draw, N);
    tb.interest = head(ws.interest, N);
    tb.principal = head(ws.principal, N);
    tb.fees = head(ws.fees, N);
    tb.debt_balance = head(ws.balance, N);
    tb.income_tax_levered = head(ws.tax_lev, N);
    tb.cfads = head(ws.cfads, N);
    tb.withholding = head(ws.withholding, N);
    tb.equity_cf = head(ws.equity, N);
    tb.dscr.assign(N, kNaN);
    double dmin = kNaN, dsum = 0.0;
    int dn = 0;
    for (int t = 0; t < N; ++t) {
      m.debt_musd += ws.draw[t];
      m.interest_total += ws.interest[t];
      m.fees_total += ws.fees[t];
      const double service = ws.interest[t] + ws.principal[t];
      if (t >= p.construction_p() && service > 1e-12) {
        const double x = ws.cfads[t] / service;
        tb.dscr[t] = x;
        dmin = std::isnan(dmin) ? x : std::min(dmin, x);
        dsum += x;
        ++dn;
      }
    }
    // Interest during construction: what was capitalised (the balance above the draws) or paid.
    double drawn = 0.0, bal_c = 0.0, paid_c = 0.0;
    for (int t = 0; t < p.construction_p() && t < N; ++t) {
      drawn += ws.draw[t];
      bal_c = ws.balance[t];
      paid_c += ws.interest[t];
    }
    m.interest_during_construction = (bal_c - drawn) + paid_c;
    m.interest_total += bal_c - drawn;
    m.dscr_min = dmin;
    m.dscr_mean = dn > 0 ? dsum / dn : kNaN;
    m.npv_equity = core.npv_equity;
    m.irr_equity = core.irr_equity;
  }

  // Breakeven: after-tax NPV rises with the price, so bisect on a flat real price.
  ws.detail = false;
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
