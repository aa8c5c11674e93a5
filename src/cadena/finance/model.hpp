#pragma once
// Cash-flow model of one mining project under a fiscal regime (docs/finance.md), by period
// (years, or halves, quarters or months of a year) with the fiscal computation by fiscal year.
// Money is in millions of USD (MUSD) throughout; production of the main product in tonnes,
// prices and unit costs in USD per tonne of it; by-products in their own unit.
#include <limits>
#include <string>
#include <vector>

namespace cadena::finance {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ---- Fiscal regime ----

// How a royalty or special mining levy computes its amount.
enum class LevyKind {
  AdValorem,     // rate x base; base = revenue, or mine-head value (revenue - share of opex)
  PriceTiered,   // rate read from brackets on the sale price, applied to revenue (Chile CORFO)
  MarginTiered,  // rate read from brackets on the operating margin, applied to operating profit (Peru, Chile 21,591)
  VolumeTiered,  // rate read from brackets on the year's output of the main product (Chile Law 20,026, 12-50 kt)
};
enum class TierMode {
  Marginal,  // each bracket's rate applies to the slice of price/margin/volume inside it (progressive by tranche)
  Whole,     // the rate of the bracket holding the value applies to the whole base
};
enum class LevyBase { Revenue, OperatingProfit };  // what a volume-tiered rate applies to
struct Bracket {
  double upto = std::numeric_limits<double>::infinity();  // upper bound of the bracket (price, margin or volume)
  double rate = 0.0;
};
struct Levy {
  std::string name;
  LevyKind kind = LevyKind::AdValorem;
  TierMode mode = TierMode::Marginal;
  double rate = 0.0;                     // AdValorem
  double mine_head_opex_deduction = 0.0; // AdValorem: share of opex deducted from revenue (mine-head value)
  std::vector<Bracket> brackets;         // PriceTiered (USD/t), MarginTiered (fraction of revenue), VolumeTiered (t/yr)
  double min_rate_on_revenue = 0.0;      // MarginTiered: floor as a share of revenue (Peru: 1 %)
  LevyBase base = LevyBase::Revenue;     // VolumeTiered
  bool deductible = true;                // deductible from the income-tax base
};

// Where one section of a regime file comes from (`cadena data show REGIME`).
struct RegimeSource {
  std::string section;  // "levies.cfem", "income_tax", ...
  std::string source;
  std::string file;
  int line = 0;
};

struct FiscalRegime {
  std::string id;
  std::string name;
  std::string country;
  std::string base;  // the regime this one builds on, if any
  std::vector<Levy> levies;
  double export_duty_rate = 0.0;
  int export_duty_free_from_year = 0;  // project year (1 = first construction year) from which exports are duty-free; 0 = never
  double income_tax_rate = 0.0;
  double reduced_tax_rate = 0.0;       // an incentive rate (Brazil SUDENE) ...
  int reduced_tax_years = 0;           // ... for this many production years; 0 = none
  // Share of initial (and deferred) capex deducted in each year from first production (sums to 1).
  std::vector<double> initial_depreciation{0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
  int sustaining_depreciation_years = 5;  // straight line from the year after the spend
  int loss_carryforward_years = 0;        // 0 = losses never expire
  double loss_offset_limit = 1.0;         // share of a year's taxable income that old losses may offset (Brazil 0.3)
  double burden_cap = 0.0;                // Chile 21,591: margin levies cut so levies + income tax <= cap x operating profit; 0 = none
  double salvage_taxable_share = 1.0;     // share of the salvage value taxed as income in the year of sale
  bool interest_deductible = true;        // debt interest and fees deducted from the income-tax base
  double dividend_withholding = 0.0;      // tax withheld on profits distributed to a foreign shareholder
  std::vector<RegimeSource> sources;
};

// ---- Project ----

enum class Money { Real, Nominal };
// Where in its period a flow is discounted: t + 1 (end), t + 1/2 (middle), t (start), in periods.
enum class Discounting { EndOfPeriod, MidPeriod, StartOfPeriod };
enum class Repayment { Annuity, EqualPrincipal, Sculpted };

// Net smelter return terms of a product sold in concentrate (or as metal: grade 0, no TC).
struct SaleTerms {
  double payable = 1.0;               // share of the contained product that is paid for
  double concentrate_grade = 0.0;     // product units per dry tonne of concentrate; 0 = no per-tonne charges
  double tc_usd_per_dmt = 0.0;        // treatment charge per dry tonne of concentrate
  double penalties_usd_per_dmt = 0.0; // deleterious elements, per dry tonne of concentrate
  double freight_usd_per_dmt = 0.0;   // transport and selling, per dry tonne of concentrate
  double rc_usd_per_unit = 0.0;       // refining charge per payable unit
  // USD deducted per unit of product (TC, penalties and freight per unit of contained product, RC
  // on the payable share).
  double deduction_per_unit() const {
    const double conc = concentrate_grade > 0.0 ? (tc_usd_per_dmt + penalties_usd_per_dmt + freight_usd_per_dmt) / concentrate_grade : 0.0;
    return payable * rc_usd_per_unit + conc;
  }
};

// A product sold beside the main one (gold and silver in copper concentrate, molybdenum, potash
// from brine). Its output follows the main product's ramp-up, recovery driver and delay.
struct ByProduct {
  std::string name;
  std::string unit = "t";
  std::vector<double> quantity;   // per production year at full ramp (units of `unit`)
  std::vector<double> price_usd;  // per production year (USD per unit)
  SaleTerms terms;
};

// Senior debt drawn with the initial capex.
struct Debt {
  double share_of_initial_capex = 0.0;  // the facility is this share of initial capex, drawn with it; 0 = no debt
  double interest_rate = 0.08;          // annual, charged per period as rate / periods_per_year
  double upfront_fee = 0.0;             // share of the facility, paid at the first draw
  double commitment_fee = 0.0;          // annual rate on the undrawn facility during construction
  bool capitalize_interest = true;      // interest during construction added to the balance (else paid by equity)
  double grace_years = 0.0;             // after construction: interest only
  double tenor_years = 7.0;             // repayment period after the grace
  Repayment repayment = Repayment::Annuity;
  double target_dscr = 1.3;             // Sculpted: principal = CFADS / target - interest
  bool active() const { return share_of_initial_capex > 0.0; }
};

// Equipment leased instead of bought (a mining fleet): its cost leaves capex and returns as level
// lease payments, deductible like an operating cost.
struct Lease {
  std::string name;
  double musd = 0.0;         // value of the leased equipment (real MUSD)
  int production_year = 1;   // delivered at the start of this production year (payments from then)
  double term_years = 5.0;
  double rate = 0.08;        // annual rate implicit in the lease
};

struct Project {
  std::string name;
  std::string product;
  int periods_per_year = 1;           // 1, 2, 4 or 12
  int start_year = 0;                 // calendar year of the first period; 0 = an undated timeline
  int start_period_in_year = 0;       // the first period's place in its fiscal (calendar) year
  int construction_years = 2;         // whole years; construction_periods overrides when >= 0
  int construction_periods = -1;      // construction in periods (dates or fractional years)
  int production_years = 20;
  int closure_years = 1;
  std::vector<double> capacity_t;        // per production year (tonnes of product at full ramp)
  std::vector<double> ramp;              // share of capacity in the first production years; 1 after
  std::vector<double> ramp_periods;      // the same per production period (overrides ramp when set)
  std::vector<double> price_usd_per_t;   // per production year (real, base-year USD)
  SaleTerms terms;                       // of the main product
  std::vector<ByProduct> byproducts;
  std::vector<double> opex_usd_per_t;    // per production year
  double fixed_opex_musd_per_year = 0.0;
  std::vector<double> initial_capex_musd;  // per construction period
  double sustaining_musd_per_year = 0.0;
  double sustaining_usd_per_t = 0.0;
  std::vector<double> sustaining_musd_by_year;  // a schedule per production year, on top (missing years: 0)
  struct Deferred { int production_year; double musd; };
  std::vector<Deferred> deferred_capex;
  double closure_musd = 0.0;
  double salvage_musd = 0.0;           // received at the end of production, taxed as the regime says
  double working_capital_share = 0.0;  // working capital held, as a share of the year's revenue
  double discount_rate = 0.08;
  Money money = Money::Real;
  double inflation = 0.0;              // used only when money = Nominal
  Discounting discounting = Discounting::EndOfPeriod;
  Debt debt;
  std::vector<Lease> leases;
  double equity_discount_rate = kNaN;  // NaN: the project rate
  FiscalRegime fiscal;

  int construction_p() const { return construction_periods >= 0 ? construction_periods : construction_years * periods_per_year; }
  int total_periods() const { return construction_p() + (production_years + closure_years) * periods_per_year; }
  int total_years() const { return (total_periods() + periods_per_year - 1) / periods_per_year; }
  // Equity flows differ from the project's when there is debt or a dividend withholding tax.
  bool has_equity_view() const { return debt.active() || fiscal.dividend_withholding > 0.0; }
};

// Multipliers and shifts one Monte Carlo path (or a sensitivity) applies to the base case.
struct Drivers {
  double price = 1.0;      // every product's price
  double capex = 1.0;      // initial, sustaining, deferred capex and leased equipment
  double opex = 1.0;
  double recovery = 1.0;   // scales production of every product (metallurgical recovery, brine grade)
  double ramp_delay = 0.0; // years by which first production (and everything after it) moves later
  double flat_price = kNaN;  // when set, replaces the main product's deck by this flat real price (breakeven search)
};

// ---- Results ----

// Revenue of one product by period (MUSD).
struct ProductFlows {
  std::string name, unit;
  std::vector<double> quantity, gross, deductions;  // units; payable x price; TC/RC, penalties, freight
};

// One row per period; period 0 starts the first construction period.
struct CashFlowTable {
  int periods_per_year = 1;
  std::vector<int> fiscal_year;  // 0-based fiscal year of each period
  std::vector<double> production_t, price_usd_per_t, gross_revenue, realization, revenue, opex, lease, royalties,
      export_duty, initial_capex, sustaining_capex, closure, salvage, working_capital_change, depreciation,
      taxable_income, income_tax, pre_government_cf, pre_tax_cf, after_tax_cf, discount_factor;
  std::vector<ProductFlows> products;  // main product first
  // Financing and the shareholder's view (filled when the project has debt or a withholding tax).
  std::vector<double> debt_draw, interest, principal, fees, debt_balance, income_tax_levered, cfads, dscr,
      withholding, equity_cf;
  int size() const { return static_cast<int>(revenue.size()); }
};

struct Metrics {
  double npv_pre_tax = 0, npv_after_tax = 0;
  double irr_pre_tax = kNaN, irr_after_tax = kNaN;  // annual rates
  double payback_from_production = kNaN, payback_from_construction = kNaN;  // years, after tax
  double breakeven_price = kNaN;  // flat real price of the main product giving after-tax NPV = 0 (USD/t)
  double royalties = 0, export_duties = 0, income_taxes = 0, withholding = 0, government_take = 0;  // undiscounted MUSD
  std::vector<std::pair<std::string, double>> levies;  // undiscounted MUSD by levy, regime order
  double government_take_npv = 0;           // discounted at the project rate
  double pre_government_cf = 0, pre_government_npv = 0;
  double government_take_share = kNaN;      // government take / pre-government cash flow, undiscounted
  double government_take_share_npv = kNaN;  // same, discounted
  std::vector<std::pair<std::string, double>> revenue_by_product;  // undiscounted net revenue (MUSD)
  // Financing and equity (NaN / 0 without debt or withholding).
  double debt_musd = 0, interest_during_construction = 0, interest_total = 0, fees_total = 0;
  double dscr_min = kNaN, dscr_mean = kNaN;
  double npv_equity = kNaN, irr_equity = kNaN;
};

struct Evaluation {
  CashFlowTable table;
  Metrics metrics;
};

// Scratch arrays reused across Monte Carlo paths so a path allocates nothing once sized.
class Workspace {
 public:
  void resize(int periods, int years, int levies);
  // Caches the project's driver-independent flows by production period (output at full
  // recovery, opex, sustaining and deferred capex, charges). run_cash_flows prepares a project it
  // has not seen; call prepare again after changing a project this workspace already ran.
  void prepare(const Project& p);
  const Project* prepared = nullptr;
  double irr_guess = 0.1, irr_guess_equity = 0.1;  // per-period rates Halley's method starts from
  std::vector<double> pq, pded, popex, psust, psustq, pdef, pbq, pbv;
  int capacity_periods() const { return static_cast<int>(revenue.size()); }
  int capacity_years() const { return static_cast<int>(y_rev.size()); }
  // By period.
  std::vector<double> prod, price, gross, deduct, revenue, opex, lease, capex_init, capex_sust, capex_def, closure,
      salvage, wc, dwc, levies, duty, tax, pre_gov, pre_tax, after_tax, draw, interest, principal, fees, balance,
      tax_lev, cfads, withholding, equity;
  std::vector<int> fy;
  // By fiscal year.
  std::vector<double> y_rev, y_opex, y_lease, y_prod, y_price_rev, y_duty, y_closure, y_salvage, y_depr_base,
      y_sust_base, y_depr, y_levies, y_levies_nd, y_taxable, y_tax, y_interest, y_idc_depr, y_taxable_lev, y_tax_lev,
      y_withholding, loss_amount;
  std::vector<int> loss_year;
  std::vector<double> levy_amount;  // [levy][year]
  bool detail = false;              // also record each by-product's flows (evaluate, not the Monte Carlo)
  std::vector<double> bp_q, bp_gross, bp_ded;  // [by-product][period]
  int periods = 0, years = 0;       // of the last run
  // run_path's pieces of a yearly project at one ramp-up delay: its flows at unit drivers, split
  // by the drivers that scale them (see run_path). A few delays are kept (a discrete delay).
  struct Pieces {
    double delay = 0;
    int N = 0, prod_start = 0;
    std::vector<double> g, dd, oq, of, lease, k, kq, da, dq, clo, salv, q, pm, df, dfe, yi, ds;
  };
  std::vector<Pieces> pieces;
  const Project* pieces_for = nullptr;
  std::vector<double> loss_amount_lev;  // the shareholder's loss book when both run in one pass
  std::vector<int> loss_year_lev;
};

struct CoreResult {
  double npv_pre_tax = 0, npv_after_tax = 0, irr_after_tax = kNaN;
  double npv_equity = kNaN, irr_equity = kNaN;
};

// The cash-flow recursion; fills ws. Computes the IRRs only when want_irr is set, and the
// shareholder's view (debt, the shareholder's tax, withholding, equity NPV and IRR) only when
// want_equity is set and the project has debt or a withholding tax.
CoreResult run_cash_flows(const Project& p, const Drivers& d, Workspace& ws, bool want_irr, bool want_equity = false);

// One Monte Carlo path: NPVs and IRRs (and the shareholder's with want_equity), equal to
// run_cash_flows(p, d, ws, true, want_equity) up to rounding. For a project in whole years (no
// breakeven price, no sculpted debt) it caches, per ramp-up delay, the flows at unit drivers split
// by the drivers that scale them (every flow is linear, or positively homogeneous, in the price,
// capex, opex and recovery factors before levies and tax), so a path is one pass over the years
// with the levies, both income taxes, the NPVs and the equity flow; otherwise it is run_cash_flows.
// The cache is keyed by the project's address: after changing a project a workspace already ran,
// clear ws.pieces (as run_monte_carlo's fresh workspaces do).
CoreResult run_path(const Project& p, const Drivers& d, Workspace& ws, bool want_equity);

// Full evaluation: table, NPVs, IRRs, paybacks, breakeven price, government take, financing.
Evaluation evaluate(const Project& p, const Drivers& d = {});

// ---- Closed-form helpers (also used by tests) ----
// NPV of flows cf[0..n) with cf[t] discounted by (1+r)^-(t+offset).
double npv(const std::vector<double>& cf, double rate, double offset = 1.0);
// Internal rate of return of cf per period (timing-independent); NaN when the flows never change
// sign or no root lies in (-0.99, 1e3).
// Halley's method starts from `guess` (a per-period rate): a Monte Carlo starts every path from
// its base case's IRR, which saves an iteration and keeps paths independent of each other.
double irr(const double* cf, int n, double guess = 0.1);
inline double irr(const std::vector<double>& cf) { return irr(cf.data(), static_cast<int>(cf.size())); }
// The annual rate of a per-period rate: (1 + r)^periods_per_year - 1.
double annualize(double period_rate, int periods_per_year);
// Effective rate of a tiered schedule at value x.
double tiered_rate(const std::vector<Bracket>& b, TierMode mode, double x);
// Level payment per period that repays `principal` over n periods at `rate` per period.
double annuity_payment(double principal, double rate, int n);

}  // namespace cadena::finance
