#pragma once
// Annual cash-flow model of one mining project under a fiscal regime (docs/finance.md).
// Money is in millions of USD (MUSD) throughout; production in tonnes of the sold product;
// prices and unit costs in USD per tonne of that product.
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
};
enum class TierMode {
  Marginal,  // each bracket's rate applies to the slice of price/margin inside it (progressive by tranche)
  Whole,     // the rate of the bracket holding the value applies to the whole base
};
struct Bracket {
  double upto = std::numeric_limits<double>::infinity();  // upper bound of the bracket (price or margin)
  double rate = 0.0;
};
struct Levy {
  std::string name;
  LevyKind kind = LevyKind::AdValorem;
  TierMode mode = TierMode::Marginal;
  double rate = 0.0;                     // AdValorem
  double mine_head_opex_deduction = 0.0; // AdValorem: share of opex deducted from revenue (mine-head value)
  std::vector<Bracket> brackets;         // PriceTiered (USD/t) or MarginTiered (fraction of revenue)
  double min_rate_on_revenue = 0.0;      // MarginTiered: floor as a share of revenue (Peru: 1 %)
  bool deductible = true;                // deductible from the income-tax base
};

struct FiscalRegime {
  std::string id;
  std::string name;
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
};

// ---- Project ----

enum class Money { Real, Nominal };
enum class Discounting { EndOfYear, MidYear, StartOfYear };

struct Project {
  std::string name;
  std::string product;
  int construction_years = 2;
  int production_years = 20;
  int closure_years = 1;
  std::vector<double> capacity_t;        // per production year (tonnes of product at full ramp)
  std::vector<double> ramp;              // share of capacity in the first production years; 1 after
  std::vector<double> price_usd_per_t;   // per production year (real, base-year USD)
  std::vector<double> opex_usd_per_t;    // per production year
  double fixed_opex_musd_per_year = 0.0;
  std::vector<double> initial_capex_musd;  // per construction year
  double sustaining_musd_per_year = 0.0;
  double sustaining_usd_per_t = 0.0;
  struct Deferred { int production_year; double musd; };
  std::vector<Deferred> deferred_capex;
  double closure_musd = 0.0;
  double working_capital_share = 0.0;  // working capital held, as a share of the year's revenue
  double discount_rate = 0.08;
  Money money = Money::Real;
  double inflation = 0.0;              // used only when money = Nominal
  Discounting discounting = Discounting::EndOfYear;
  FiscalRegime fiscal;

  int total_years() const { return construction_years + production_years + closure_years; }
};

// Multipliers and shifts one Monte Carlo path (or a sensitivity) applies to the base case.
struct Drivers {
  double price = 1.0;
  double capex = 1.0;      // initial, sustaining and deferred capex
  double opex = 1.0;
  double recovery = 1.0;   // scales production (metallurgical recovery, brine grade)
  double ramp_delay = 0.0; // years by which the ramp-up curve is shifted later
  double flat_price = kNaN;  // when set, replaces the price deck by this flat real price (breakeven search)
};

// ---- Results ----

// One row per project year; year 1 is the first construction year.
struct CashFlowTable {
  std::vector<double> production_t, price_usd_per_t, revenue, opex, royalties, export_duty,
      initial_capex, sustaining_capex, closure, working_capital_change, depreciation, taxable_income,
      income_tax, pre_government_cf, pre_tax_cf, after_tax_cf, discount_factor;
  int size() const { return static_cast<int>(revenue.size()); }
};

struct Metrics {
  double npv_pre_tax = 0, npv_after_tax = 0;
  double irr_pre_tax = kNaN, irr_after_tax = kNaN;
  double payback_from_production = kNaN, payback_from_construction = kNaN;  // years, after tax
  double breakeven_price = kNaN;  // flat real price giving after-tax NPV = 0 (USD/t)
  double royalties = 0, export_duties = 0, income_taxes = 0, government_take = 0;  // undiscounted MUSD
  double government_take_npv = 0;           // discounted at the project rate
  double pre_government_cf = 0, pre_government_npv = 0;
  double government_take_share = kNaN;      // government take / pre-government cash flow, undiscounted
  double government_take_share_npv = kNaN;  // same, discounted
};

struct Evaluation {
  CashFlowTable table;
  Metrics metrics;
};

// Scratch arrays reused across Monte Carlo paths so a path allocates nothing.
class Workspace {
 public:
  void resize(int years);
  std::vector<double> prod, price, revenue, opex, capex_init, capex_sust, capex_depr_init, closure, wc,
      dwc, depr, levies, levies_nd, duty, taxable, tax, pre_gov, pre_tax, after_tax, loss_amount;
  std::vector<int> loss_year;
};

struct CoreResult {
  double npv_pre_tax = 0, npv_after_tax = 0, irr_after_tax = kNaN;
};

// The cash-flow recursion; fills ws. Computes the after-tax IRR only when want_irr is set.
CoreResult run_cash_flows(const Project& p, const Drivers& d, Workspace& ws, bool want_irr);

// Full evaluation: table, NPVs, IRRs, paybacks, breakeven price, government take.
Evaluation evaluate(const Project& p, const Drivers& d = {});

// ---- Closed-form helpers (also used by tests) ----
// NPV of flows cf[0..n) with cf[t] discounted by (1+r)^-(t+offset).
double npv(const std::vector<double>& cf, double rate, double offset = 1.0);
// Internal rate of return of cf (timing-independent); NaN when the flows never change sign
// or no root lies in (-0.99, 1e3).
double irr(const double* cf, int n);
inline double irr(const std::vector<double>& cf) { return irr(cf.data(), static_cast<int>(cf.size())); }
// Effective rate of a tiered schedule at value x.
double tiered_rate(const std::vector<Bracket>& b, TierMode mode, double x);

}  // namespace cadena::finance
