// Closed-form checks of the cash-flow model: annuity, perpetuity, IRR of simple flows, zero tax,
// royalty and tax arithmetic worked by hand, payback, breakeven, real vs nominal money.
#include <gtest/gtest.h>

#include <cmath>

#include "cadena/finance/load.hpp"
#include "cadena/finance/model.hpp"
#include "helpers.hpp"

namespace cadena::finance {
namespace {

using testing::simple_project;

TEST(FinanceClosedForm, AnnuityNpvMatchesFormula) {
  const double I = 100, A = 30, r = 0.1;
  const int n = 8;
  const Project p = simple_project(I, A, n, r);
  const Evaluation e = evaluate(p);
  // Capex at the end of year 1, the annuity from the end of year 2 on.
  const double expected = -I / (1 + r) + A * (1 - std::pow(1 + r, -n)) / r / (1 + r);
  EXPECT_NEAR(e.metrics.npv_pre_tax, expected, 1e-9);
  EXPECT_NEAR(e.metrics.npv_after_tax, expected, 1e-9);  // the default regime has no taxes
}

TEST(FinanceClosedForm, LongLifeApproachesPerpetuity) {
  const double A = 12, r = 0.08;
  const Project p = simple_project(0.0, A, 200, r);
  const double perpetuity = A / r / (1 + r);  // first payment at the end of year 2
  EXPECT_NEAR(evaluate(p).metrics.npv_pre_tax, perpetuity, perpetuity * 1e-6);
}

TEST(FinanceClosedForm, IrrOfSimpleFlows) {
  EXPECT_NEAR(irr({-100, 110}), 0.10, 1e-12);
  EXPECT_NEAR(irr({-100, 0, 121}), 0.10, 1e-12);
  // 100 = 60 x + 60 x^2, x = 1/(1+r)
  const double x = (-60 + std::sqrt(60.0 * 60 + 4 * 60 * 100)) / 120;
  EXPECT_NEAR(irr({-100, 60, 60}), 1 / x - 1, 1e-10);
  // Negative IRR: 100 = 50 x + 40 x^2
  const double y = (-50 + std::sqrt(50.0 * 50 + 4 * 40 * 100)) / 80;
  EXPECT_NEAR(irr({-100, 50, 40}), 1 / y - 1, 1e-10);
  EXPECT_NEAR(irr({-1, 10}), 9.0, 1e-9);  // 900 %, beyond where Newton starts
  EXPECT_TRUE(std::isnan(irr({10, 20})));  // never negative: no IRR
  EXPECT_TRUE(std::isnan(irr({-10, -20})));
  EXPECT_NEAR(npv({-100, 110}, 0.1, 0.0), 0.0, 1e-12);
}

TEST(FinanceClosedForm, IrrOfProjectMakesNpvZero) {
  Project p = simple_project(250, 40, 15, 0.1);
  const Evaluation e = evaluate(p);
  p.discount_rate = e.metrics.irr_after_tax;
  EXPECT_NEAR(evaluate(p).metrics.npv_after_tax, 0.0, 1e-8);
}

TEST(FinanceClosedForm, ZeroTaxEqualsPreTax) {
  Project p = simple_project(300, 55, 20, 0.08);
  p.working_capital_share = 0.15;
  p.closure_years = 2;
  p.closure_musd = 30;
  p.sustaining_musd_per_year = 4;
  const Evaluation e = evaluate(p);
  ASSERT_EQ(e.table.size(), 1 + 20 + 2);
  for (int t = 0; t < e.table.size(); ++t) EXPECT_DOUBLE_EQ(e.table.after_tax_cf[t], e.table.pre_tax_cf[t]);
  EXPECT_DOUBLE_EQ(e.metrics.npv_after_tax, e.metrics.npv_pre_tax);
  EXPECT_DOUBLE_EQ(e.metrics.irr_after_tax, e.metrics.irr_pre_tax);
  EXPECT_DOUBLE_EQ(e.metrics.government_take, 0.0);
  // Working capital is recovered: its changes sum to zero.
  double wc = 0;
  for (double x : e.table.working_capital_change) wc += x;
  EXPECT_NEAR(wc, 0.0, 1e-12);
}

TEST(FinanceRoyalty, AdValoremAndMineHead) {
  Project p = simple_project(0, 30, 3, 0.1);
  p.opex_usd_per_t.assign(3, 10.0);  // revenue 30, opex 10 MUSD a year
  Levy l;
  l.kind = LevyKind::AdValorem;
  l.rate = 0.03;
  p.fiscal.levies = {l};
  EXPECT_NEAR(evaluate(p).table.royalties[1], 0.9, 1e-12);  // 3 % of 30
  p.fiscal.levies[0].mine_head_opex_deduction = 0.5;          // mine-head value 30 - 5
  const Evaluation e = evaluate(p);
  EXPECT_NEAR(e.table.royalties[1], 0.75, 1e-12);
  EXPECT_NEAR(e.metrics.royalties, 3 * 0.75, 1e-12);
  EXPECT_NEAR(e.metrics.government_take_share, 3 * 0.75 / (3 * 20.0), 1e-12);
}

TEST(FinanceRoyalty, TieredRatesFromRegimeFiles) {
  auto chile = load_regime("chile_lithium");
  ASSERT_TRUE(chile.ok()) << chile.error().format();
  ASSERT_EQ(chile->levies.size(), 1u);
  // 12,000 USD/t through the CORFO tranches: 4000*6.8% + 1000*8% + 1000*10% + 1000*17% + 3000*25% + 2000*40%
  const double corfo = (4000 * 0.068 + 1000 * 0.08 + 1000 * 0.10 + 1000 * 0.17 + 3000 * 0.25 + 2000 * 0.40) / 12000;
  EXPECT_NEAR(tiered_rate(chile->levies[0].brackets, chile->levies[0].mode, 12000), corfo, 1e-12);
  EXPECT_NEAR(tiered_rate(chile->levies[0].brackets, chile->levies[0].mode, 3000), 0.068, 1e-12);

  auto peru = load_regime("peru");
  ASSERT_TRUE(peru.ok()) << peru.error().format();
  const Levy* royalty = nullptr;
  for (const auto& l : peru->levies)
    if (l.name == "mining_royalty") royalty = &l;
  ASSERT_NE(royalty, nullptr);
  // 50 % margin: 10 points at 1 %, then 5-point slices at 1.75 .. 7 %, averaged over 50 points.
  const double slices = 0.10 * 0.01 + 0.05 * (0.0175 + 0.025 + 0.0325 + 0.04 + 0.0475 + 0.055 + 0.0625 + 0.07);
  EXPECT_NEAR(tiered_rate(royalty->brackets, royalty->mode, 0.5), slices / 0.5, 1e-12);

  auto copper = load_regime("chile_copper");
  ASSERT_TRUE(copper.ok()) << copper.error().format();
  EXPECT_NEAR(copper->burden_cap, 0.465, 1e-12);
  for (const auto& l : copper->levies)
    if (l.kind == LevyKind::MarginTiered) {
      EXPECT_NEAR(tiered_rate(l.brackets, l.mode, 0.32), 0.155, 1e-12);  // whole bracket
    }
}

TEST(FinanceRoyalty, PeruFloorOnRevenueWhenMarginIsThin) {
  Project p = simple_project(0, 100, 2, 0.1);
  p.opex_usd_per_t.assign(2, 98.0);  // 2 % margin: royalty on profit 1 % * 2 = 0.02 < floor 1 % of 100
  Levy l;
  l.kind = LevyKind::MarginTiered;
  l.brackets = {{0.10, 0.01}, {std::numeric_limits<double>::infinity(), 0.12}};
  l.min_rate_on_revenue = 0.01;
  p.fiscal.levies = {l};
  EXPECT_NEAR(evaluate(p).table.royalties[1], 1.0, 1e-12);
}

TEST(FinanceRoyalty, BurdenCapLimitsMarginLevy) {
  Project p = simple_project(0, 100, 3, 0.1);
  Levy l;
  l.kind = LevyKind::MarginTiered;
  l.mode = TierMode::Whole;
  l.brackets = {{std::numeric_limits<double>::infinity(), 0.5}};
  p.fiscal.levies = {l};
  p.fiscal.income_tax_rate = 0.3;
  p.fiscal.burden_cap = 0.465;
  const Evaluation e = evaluate(p);
  // Levy L with L + 0.3 (100 - L) = 46.5  =>  L = 16.5 / 0.7
  EXPECT_NEAR(e.table.royalties[2], 16.5 / 0.7, 1e-9);
  EXPECT_NEAR(e.table.royalties[2] + e.table.income_tax[2], 46.5, 1e-9);
}

TEST(FinanceRoyalty, ExportDutyEndsInItsFreeYear) {
  Project p = simple_project(0, 10, 4, 0.1);
  p.fiscal.export_duty_rate = 0.045;
  p.fiscal.export_duty_free_from_year = 3;  // project years 1 (construction) and 2 pay, 3 on do not
  const Evaluation e = evaluate(p);
  EXPECT_NEAR(e.table.export_duty[1], 0.45, 1e-12);
  EXPECT_DOUBLE_EQ(e.table.export_duty[2], 0.0);
  EXPECT_NEAR(e.metrics.export_duties, 0.45, 1e-12);
}

TEST(FinanceTax, DepreciationAndLossCarryForwardByHand) {
  Project p = simple_project(30, 20, 3, 0.1);
  p.fiscal.income_tax_rate = 0.3;
  Evaluation e = evaluate(p);
  // Year 2: 20 - 30 depreciation = -10 loss; year 3: 20 - 10 = 10 taxed; year 4: 20 taxed.
  EXPECT_DOUBLE_EQ(e.table.income_tax[1], 0.0);
  EXPECT_NEAR(e.table.income_tax[2], 3.0, 1e-12);
  EXPECT_NEAR(e.table.income_tax[3], 6.0, 1e-12);
  EXPECT_NEAR(e.table.after_tax_cf[2], 17.0, 1e-12);

  p.fiscal.loss_offset_limit = 0.3;  // Brazil: old losses offset at most 30 % of the year's income
  e = evaluate(p);
  EXPECT_NEAR(e.table.income_tax[2], 0.3 * 14, 1e-12);
  EXPECT_NEAR(e.table.income_tax[3], 0.3 * 16, 1e-12);
}

TEST(FinanceTax, LossesExpire) {
  Project p = simple_project(60, 20, 3, 0.1);
  p.fiscal.income_tax_rate = 0.3;
  // Year 2 loses 40; year 3 uses 20 of it; in year 4 the rest is two years old.
  EXPECT_NEAR(evaluate(p).table.income_tax[3], 0.0, 1e-12);
  p.fiscal.loss_carryforward_years = 1;
  EXPECT_NEAR(evaluate(p).table.income_tax[3], 6.0, 1e-12);
}

TEST(FinanceTax, ReducedRateForIncentiveYears) {
  Project p = simple_project(0, 10, 4, 0.1);
  p.fiscal.income_tax_rate = 0.34;
  p.fiscal.reduced_tax_rate = 0.1525;
  p.fiscal.reduced_tax_years = 2;
  const Evaluation e = evaluate(p);
  EXPECT_NEAR(e.table.income_tax[1], 1.525, 1e-12);
  EXPECT_NEAR(e.table.income_tax[2], 1.525, 1e-12);
  EXPECT_NEAR(e.table.income_tax[3], 3.4, 1e-12);
}

TEST(FinanceMetrics, PaybackInterpolatesInsideTheYear) {
  Evaluation e = evaluate(simple_project(100, 50, 3, 0.1));
  EXPECT_NEAR(e.metrics.payback_from_construction, 3.0, 1e-12);
  EXPECT_NEAR(e.metrics.payback_from_production, 2.0, 1e-12);
  e = evaluate(simple_project(100, 40, 4, 0.1));  // -100, -60, -20, +20: crosses halfway through year 4
  EXPECT_NEAR(e.metrics.payback_from_production, 2.5, 1e-12);
}

TEST(FinanceMetrics, BreakevenPriceGivesZeroNpv) {
  Project p = simple_project(300, 0, 12, 0.08);
  p.price_usd_per_t.assign(12, 120.0);
  p.opex_usd_per_t.assign(12, 50.0);
  p.fiscal.income_tax_rate = 0.3;
  Levy l;
  l.rate = 0.03;
  p.fiscal.levies = {l};
  const Evaluation e = evaluate(p);
  ASSERT_TRUE(std::isfinite(e.metrics.breakeven_price));
  Drivers d;
  d.flat_price = e.metrics.breakeven_price;
  EXPECT_NEAR(evaluate(p, d).metrics.npv_after_tax, 0.0, 1e-4);
  EXPECT_LT(e.metrics.breakeven_price, 120.0);
  EXPECT_GT(e.metrics.breakeven_price, 50.0);
}

TEST(FinanceMoney, NominalWithFisherRateMatchesReal) {
  // No working capital here: in nominal money it must grow with prices, a genuine cost of inflation.
  Project p = simple_project(200, 35, 15, 0.08);
  const double real_npv = evaluate(p).metrics.npv_after_tax;
  p.money = Money::Nominal;
  p.inflation = 0.03;
  p.discount_rate = 1.08 * 1.03 - 1;
  // Year-t flows are escalated by 1.03^t but discounted by (1.08 * 1.03)^(t+1): one extra 1.03.
  EXPECT_NEAR(evaluate(p).metrics.npv_after_tax * 1.03, real_npv, 1e-9);

  // With income tax, depreciation is fixed in nominal money, so inflation lowers the real value.
  Project q = simple_project(200, 35, 15, 0.08);
  q.fiscal.income_tax_rate = 0.3;
  const double real_taxed = evaluate(q).metrics.npv_after_tax;
  q.money = Money::Nominal;
  q.inflation = 0.03;
  q.discount_rate = 1.08 * 1.03 - 1;
  EXPECT_LT(evaluate(q).metrics.npv_after_tax * 1.03, real_taxed);
}

TEST(FinanceProduction, RampAndDelay) {
  Project p = simple_project(0, 10, 5, 0.1);
  p.ramp = {0.5, 0.8};
  Evaluation e = evaluate(p);
  EXPECT_DOUBLE_EQ(e.table.production_t[1], 0.5e6);
  EXPECT_DOUBLE_EQ(e.table.production_t[2], 0.8e6);
  EXPECT_DOUBLE_EQ(e.table.production_t[3], 1e6);
  Drivers d;
  d.ramp_delay = 1.0;  // the curve starts a year late
  e = evaluate(p, d);
  EXPECT_DOUBLE_EQ(e.table.production_t[1], 0.0);
  EXPECT_DOUBLE_EQ(e.table.production_t[2], 0.5e6);
  EXPECT_DOUBLE_EQ(e.table.production_t[3], 0.8e6);
  d.ramp_delay = 0.5;  // halfway between
  e = evaluate(p, d);
  EXPECT_DOUBLE_EQ(e.table.production_t[1], 0.25e6);
  EXPECT_DOUBLE_EQ(e.table.production_t[2], 0.65e6);
}

}  // namespace
}  // namespace cadena::finance
