// The second round of project economics, worked by hand: by-products and net smelter return,
// a volume-tiered levy, salvage, a sustaining schedule, a delay that moves production later,
// periods shorter than a year, senior debt, leases and dividend withholding.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "cadena/finance/load.hpp"
#include "cadena/finance/model.hpp"
#include "cadena/finance/montecarlo.hpp"
#include "helpers.hpp"

namespace cadena::finance {
namespace {

using testing::simple_project;

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

// 1,000 t of copper in concentrate at 8,000 USD/t, 96.5 % payable, 25 % Cu concentrate (4,000 dmt)
// paying 80 USD/dmt treatment and 20 USD/dmt freight, refining 200 USD per payable tonne; and
// 1,000 oz of gold at 1,800 USD/oz, 90 % payable, refining 5 USD per payable oz.
Project copper_gold() {
  Project p = simple_project(0, 0, 2, 0.1);
  p.capacity_t.assign(2, 1000.0);
  p.price_usd_per_t.assign(2, 8000.0);
  p.terms.payable = 0.965;
  p.terms.concentrate_grade = 0.25;
  p.terms.tc_usd_per_dmt = 80;
  p.terms.freight_usd_per_dmt = 20;
  p.terms.rc_usd_per_unit = 200;
  p.byproducts = {testing::gold(2, 1000.0, 1800.0, 0.9, 5)};
  return p;
}

TEST(FinanceByProducts, NetSmelterReturnByHand) {
  const Evaluation e = evaluate(copper_gold());
  const double cu_gross = 1000 * 0.965 * 8000 * 1e-6;             // 7.72
  const double cu_ded = (4000 * (80 + 20) + 965 * 200) * 1e-6;     // 0.4 + 0.193
  const double au_gross = 1000 * 0.9 * 1800 * 1e-6;                // 1.62
  const double au_ded = 900 * 5 * 1e-6;                            // 0.0045
  ASSERT_EQ(e.table.products.size(), 2u);
  EXPECT_EQ(e.table.products[1].name, "gold");
  EXPECT_EQ(e.table.products[1].unit, "oz");
  EXPECT_NEAR(e.table.products[0].gross[1], cu_gross, 1e-12);
  EXPECT_NEAR(e.table.products[0].deductions[1], cu_ded, 1e-12);
  EXPECT_NEAR(e.table.products[1].quantity[1], 1000.0, 1e-9);
  EXPECT_NEAR(e.table.products[1].gross[1], au_gross, 1e-12);
  EXPECT_NEAR(e.table.products[1].deductions[1], au_ded, 1e-12);
  EXPECT_NEAR(e.table.revenue[1], cu_gross - cu_ded + au_gross - au_ded, 1e-12);
  EXPECT_NEAR(e.table.gross_revenue[1], cu_gross + au_gross, 1e-12);
  EXPECT_NEAR(e.table.realization[1], cu_ded + au_ded, 1e-12);
  ASSERT_EQ(e.metrics.revenue_by_product.size(), 2u);
  EXPECT_NEAR(e.metrics.revenue_by_product[1].second, 2 * (au_gross - au_ded), 1e-12);
  // The price factor moves every product's price, not the charges.
  Drivers d;
  d.price = 1.1;
  EXPECT_NEAR(evaluate(copper_gold(), d).table.revenue[1], 1.1 * (cu_gross + au_gross) - cu_ded - au_ded, 1e-12);
  // The breakeven is the copper price with gold at its deck (and the charges paid).
  Project q = copper_gold();
  q.initial_capex_musd = {12.0};
  const double be = evaluate(q).metrics.breakeven_price;
  ASSERT_GT(be, 0.0);
  d = {};
  d.flat_price = be;
  EXPECT_NEAR(evaluate(q, d).metrics.npv_after_tax, 0.0, 1e-6);
}

TEST(FinanceLevies, VolumeTieredOnOperatingProfitLikeChileLaw20026) {
  // 30,000 t: nothing to 12,000, then 0.5 / 1 / 1.5 / 2 % on the slices to 15, 20, 25, 30 kt.
  const std::vector<Bracket> brackets{{12000, 0.0},  {15000, 0.005}, {20000, 0.01}, {25000, 0.015},
                                      {30000, 0.02}, {35000, 0.025}, {40000, 0.03},
                                      {std::numeric_limits<double>::infinity(), 0.045}};
  const double rate = (3000 * 0.005 + 5000 * 0.01 + 5000 * 0.015 + 5000 * 0.02) / 30000;
  EXPECT_NEAR(tiered_rate(brackets, TierMode::Marginal, 30000), rate, 1e-15);
  Project p = simple_project(0, 0, 2, 0.1);
  p.capacity_t.assign(2, 30000.0);
  p.price_usd_per_t.assign(2, 9000.0);
  p.opex_usd_per_t.assign(2, 5000.0);  // operating profit 120 MUSD a year
  Levy l;
  l.name = "specific_mining_tax";
  l.kind = LevyKind::VolumeTiered;
  l.base = LevyBase::OperatingProfit;
  l.brackets = brackets;
  p.fiscal.levies = {l};
  const Evaluation e = evaluate(p);
  EXPECT_NEAR(e.table.royalties[1], rate * 120.0, 1e-9);
  ASSERT_EQ(e.metrics.levies.size(), 1u);
  EXPECT_EQ(e.metrics.levies[0].first, "specific_mining_tax");
  EXPECT_NEAR(e.metrics.levies[0].second, 2 * rate * 120.0, 1e-9);
  p.fiscal.levies[0].base = LevyBase::Revenue;
  EXPECT_NEAR(evaluate(p).table.royalties[1], rate * 270.0, 1e-9);
}

TEST(FinanceCapex, SalvageIsTaxedAsTheRegimeSays) {
  Project p = simple_project(0, 10, 3, 0.1);
  p.salvage_musd = 6;
  p.fiscal.income_tax_rate = 0.3;
  Evaluation e = evaluate(p);
  EXPECT_DOUBLE_EQ(e.table.salvage[3], 6.0);  // the last production year
  EXPECT_NEAR(e.table.income_tax[3], 0.3 * 16, 1e-12);
  EXPECT_NEAR(e.table.after_tax_cf[3], 16 - 0.3 * 16, 1e-12);
  p.fiscal.salvage_taxable_share = 0.0;
  e = evaluate(p);
  EXPECT_NEAR(e.table.income_tax[3], 0.3 * 10, 1e-12);
}

TEST(FinanceCapex, SustainingScheduleByYear) {
  Project p = simple_project(0, 10, 4, 0.1);
  p.sustaining_musd_per_year = 1;
  p.sustaining_musd_by_year = {0, 5, 0};  // year 4 (not listed) spends nothing extra
  p.fiscal.sustaining_depreciation_years = 2;
  const Evaluation e = evaluate(p);
  EXPECT_DOUBLE_EQ(e.table.sustaining_capex[1], 1.0);
  EXPECT_DOUBLE_EQ(e.table.sustaining_capex[2], 6.0);
  EXPECT_DOUBLE_EQ(e.table.sustaining_capex[4], 1.0);
  // Straight line over 2 years from the next: year 3 deducts 0.5 (year 1) + 3 (year 2).
  EXPECT_NEAR(e.table.depreciation[3], 0.5 + 3.0, 1e-12);
  // Everything is deducted by the end (what remains is written off in the last year).
  EXPECT_NEAR(sum(e.table.depreciation), 1 + 6 + 1 + 1, 1e-12);
}

TEST(FinanceProduction, DelayMovesProductionLaterWithoutDeletingIt) {
  Project p = simple_project(0, 10, 5, 0.1);
  p.ramp = {0.5, 0.8};
  p.closure_years = 1;
  const Evaluation base = evaluate(p);
  Drivers d;
  d.ramp_delay = 1.5;
  const Evaluation late = evaluate(p, d);
  EXPECT_EQ(late.table.size(), base.table.size() + 2);  // 1.5 years: two more years on the timeline
  EXPECT_NEAR(sum(late.table.production_t), sum(base.table.production_t), 1e-6);
  EXPECT_NEAR(sum(late.table.revenue), sum(base.table.revenue), 1e-9);
  EXPECT_DOUBLE_EQ(late.table.production_t[1], 0.0);
  EXPECT_DOUBLE_EQ(late.table.production_t[2], 0.5 * 0.5e6);         // half of year 1 moved into year 3
  EXPECT_DOUBLE_EQ(late.table.production_t[6], 0.5 * 1e6 + 0.5 * 1e6);
  EXPECT_DOUBLE_EQ(late.table.production_t[7], 0.5 * 1e6);            // the last half-year
  EXPECT_LT(late.metrics.npv_after_tax, base.metrics.npv_after_tax);
}

// One construction quarter spending I, then a year of production paying A/4 a quarter, no tax.
TEST(FinancePeriods, QuarterlyFlowsMatchTheirFormula) {
  const double I = 100, A = 160, r = 0.1;
  Project p = simple_project(I, A, 1, r);
  p.periods_per_year = 4;
  p.construction_periods = 1;
  const Evaluation e = evaluate(p);
  ASSERT_EQ(e.table.size(), 1 + 4);
  double expected = -I * std::pow(1 + r, -0.25);
  for (int q = 2; q <= 5; ++q) expected += A / 4 * std::pow(1 + r, -q / 4.0);
  EXPECT_NEAR(e.metrics.npv_after_tax, expected, 1e-9);
  // The IRR is annual: discounting at it gives a zero NPV.
  Project q = p;
  q.discount_rate = e.metrics.irr_after_tax;
  EXPECT_NEAR(evaluate(q).metrics.npv_after_tax, 0.0, 1e-8);
  // Mid-period discounting moves every flow half a quarter earlier.
  p.discounting = Discounting::MidPeriod;
  EXPECT_NEAR(evaluate(p).metrics.npv_after_tax, expected * std::pow(1 + r, 0.125), 1e-9);
  // Payback in years: 100 recovered after 2.5 of the 4 production quarters (40 a quarter).
  EXPECT_NEAR(e.metrics.payback_from_construction, 0.25 + 2.5 / 4, 1e-12);
  EXPECT_NEAR(e.metrics.payback_from_production, 2.5 / 4, 1e-12);
}

// Fiscal years are calendar years: a timeline starting in the third quarter has a short first
// year, and the income tax of a year is spread over its quarters by revenue.
TEST(FinancePeriods, TaxIsAnnualOverCalendarYears) {
  Project p = simple_project(0, 40, 2, 0.1);  // 40 MUSD a year, 10 a quarter
  p.periods_per_year = 4;
  p.construction_periods = 0;
  p.start_period_in_year = 2;  // Q3
  p.fiscal.income_tax_rate = 0.25;
  p.fiscal.initial_depreciation = {1.0};
  const Evaluation e = evaluate(p);
  ASSERT_EQ(e.table.size(), 8);
  EXPECT_EQ(e.table.fiscal_year[0], 0);
  EXPECT_EQ(e.table.fiscal_year[1], 0);
  EXPECT_EQ(e.table.fiscal_year[2], 1);
  EXPECT_EQ(e.table.fiscal_year[7], 2);
  EXPECT_NEAR(e.table.taxable_income[1], 20.0, 1e-12);  // shown in the year's last quarter
  EXPECT_NEAR(e.table.income_tax[0], 2.5, 1e-12);
  EXPECT_NEAR(sum(e.table.income_tax), 0.25 * 80, 1e-12);
}

// 100 MUSD over two construction years, 60 % borrowed at 10 %, interest capitalised, repaid in
// three equal instalments; 30 % tax.
Project with_debt() {
  Project p = simple_project(0, 60, 4, 0.1);
  p.construction_years = 2;
  p.initial_capex_musd = {50, 50};
  p.fiscal.income_tax_rate = 0.3;
  p.fiscal.initial_depreciation = {0.25, 0.25, 0.25, 0.25};
  p.debt.share_of_initial_capex = 0.6;
  p.debt.interest_rate = 0.1;
  p.debt.tenor_years = 3;
  p.debt.repayment = Repayment::EqualPrincipal;
  return p;
}

TEST(FinanceDebt, DrawsInterestDuringConstructionAndRepaymentByHand) {
  const Evaluation e = evaluate(with_debt());
  const auto& t = e.table;
  ASSERT_EQ(t.debt_draw.size(), 6u);
  EXPECT_DOUBLE_EQ(t.debt_draw[0], 30.0);
  EXPECT_DOUBLE_EQ(t.debt_draw[1], 30.0);
  EXPECT_NEAR(t.debt_balance[1], 63.0, 1e-12);  // 30 + 10 % capitalised + 30
  EXPECT_NEAR(e.metrics.interest_during_construction, 3.0, 1e-12);
  EXPECT_NEAR(t.interest[2], 6.3, 1e-12);
  EXPECT_NEAR(t.principal[2], 21.0, 1e-12);
  EXPECT_NEAR(t.interest[3], 4.2, 1e-12);
  EXPECT_NEAR(t.interest[4], 2.1, 1e-12);
  EXPECT_NEAR(t.debt_balance[4], 0.0, 1e-12);
  EXPECT_DOUBLE_EQ(t.principal[5], 0.0);
  // Interest is deducted (and capitalised interest depreciated with the capex): year 3's tax is
  // 30 % of 60 - 25 - 6.3 - 0.75.
  EXPECT_NEAR(t.income_tax[2], 0.3 * 35, 1e-12);
  EXPECT_NEAR(t.income_tax_levered[2], 0.3 * (35 - 6.3 - 0.75), 1e-12);
  EXPECT_NEAR(t.cfads[2], 60 - 0.3 * (35 - 6.3 - 0.75), 1e-12);
  EXPECT_NEAR(t.dscr[2], t.cfads[2] / 27.3, 1e-12);
  EXPECT_NEAR(e.metrics.dscr_min, t.cfads[2] / 27.3, 1e-9);
  // Equity pays 40 % of the capex and receives what is left after debt service.
  EXPECT_NEAR(t.equity_cf[0], -20.0, 1e-12);
  EXPECT_NEAR(t.equity_cf[2], t.cfads[2] - 27.3, 1e-12);
  EXPECT_NEAR(e.metrics.debt_musd, 60.0, 1e-12);
  EXPECT_TRUE(std::isfinite(e.metrics.irr_equity));
  EXPECT_GT(e.metrics.irr_equity, e.metrics.irr_after_tax);  // borrowing at 10 % below the project's return
  // Without deductibility the shareholder pays the project's tax.
  Project nd = with_debt();
  nd.fiscal.interest_deductible = false;
  EXPECT_NEAR(evaluate(nd).table.income_tax_levered[2], 0.3 * 35, 1e-12);
}

TEST(FinanceDebt, AnnuityAndSculptedRepayment) {
  Project p = with_debt();
  p.debt.repayment = Repayment::Annuity;
  p.debt.grace_years = 1;
  Evaluation e = evaluate(p);
  EXPECT_DOUBLE_EQ(e.table.principal[2], 0.0);  // grace: interest only
  EXPECT_NEAR(e.table.interest[2], 6.3, 1e-12);
  const double level = annuity_payment(63.0, 0.1, 3);
  for (int t = 3; t <= 5; ++t) EXPECT_NEAR(e.table.interest[t] + e.table.principal[t], level, 1e-9) << t;
  p.debt.repayment = Repayment::Sculpted;
  p.debt.target_dscr = 2.0;
  p.debt.grace_years = 0;
  e = evaluate(p);
  // Sculpted on the cash flow before the interest's tax shield: principal = CFADS0 / 2 - interest.
  const double cfads0 = e.table.pre_tax_cf[2] - e.table.income_tax[2];
  EXPECT_NEAR(e.table.principal[2], cfads0 / 2 - 6.3, 1e-9);
  EXPECT_NEAR(e.table.debt_balance[4], 0.0, 1e-12);  // the last instalment clears the rest
}

TEST(FinanceDebt, LeasePaymentsReplaceTheFleetCapex) {
  Project p = simple_project(0, 30, 6, 0.1);
  p.leases = {{"fleet", 20.0, 1, 4.0, 0.08}};
  const Evaluation e = evaluate(p);
  const double pay = annuity_payment(20.0, 0.08, 4);
  EXPECT_NEAR(e.table.lease[1], pay, 1e-12);
  EXPECT_NEAR(e.table.lease[4], pay, 1e-12);
  EXPECT_DOUBLE_EQ(e.table.lease[5], 0.0);
  EXPECT_NEAR(e.table.pre_tax_cf[1], 30 - pay, 1e-12);
  EXPECT_NEAR(pay * 4 - 20.0, 20.0 * (0.08 * 4 / (1 - std::pow(1.08, -4)) - 1), 1e-9);  // the lease's interest
}

TEST(FinanceTax, DividendWithholdingOnDistributedProfit) {
  Project p = simple_project(0, 10, 3, 0.1);
  p.fiscal.income_tax_rate = 0.25;
  p.fiscal.dividend_withholding = 0.07;
  const Evaluation e = evaluate(p);
  EXPECT_NEAR(e.table.withholding[1], 0.07 * (10 - 2.5), 1e-12);
  EXPECT_NEAR(e.metrics.withholding, 3 * 0.07 * 7.5, 1e-12);
  EXPECT_NEAR(e.metrics.government_take, 3 * (2.5 + 0.07 * 7.5), 1e-12);
  EXPECT_NEAR(e.table.equity_cf[1], 7.5 - 0.525, 1e-12);
  EXPECT_NEAR(e.table.after_tax_cf[1], 7.5, 1e-12);  // the project's after-tax flow is before withholding
}

TEST(FinanceMonteCarlo, EquityViewWithDebtAndByProducts) {
  Project p = with_debt();
  p.byproducts = copper_gold().byproducts;
  for (auto& b : p.byproducts) b.quantity.assign(4, 1000.0), b.price_usd.assign(4, 1800.0);
  MonteCarloSpec s;
  s.paths = 2000;
  s.vars[0] = *Distribution::lognormal(0.0, 0.2);
  auto r = run_monte_carlo(p, s, 2);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->npv_equity.size(), 2000u);
  Drivers d;
  const Evaluation e = evaluate(p, d);
  EXPECT_NEAR(r->npv_equity_summary.p50, e.metrics.npv_equity, 0.1 * std::fabs(e.metrics.npv_equity) + 1.0);
  EXPECT_LE(r->npv_equity_summary.p10, r->npv_equity_summary.p90);
}

}  // namespace
}  // namespace cadena::finance
