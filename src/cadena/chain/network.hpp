#pragma once
// The supply-chain LP: a min-cost network over (product, country) markets, for one year or for a
// list of periods. One builder function per constraint family (see network.cpp and
// docs/formulation.md, same names). The Network keeps the column/row index of every facility,
// route, demand and market, so bounds, costs and demand can be changed in place and the model
// re-solved without a rebuild (the solver adapter sees the same structure_version and warm-starts).
//
// Periods (docs/formulation.md, "Periods"): the per-period families are built once per period, as
// one block of columns and rows each, in period order, every block with the same structure. The
// index structures below hold period 0; column (row) j of period 0 is column (row)
// j + k x block_columns() (block_rows()) in period k. A single-year Network is one block whose
// names keep the form `<family>:<element>`; with periods every name ends in `:<year>`.
//
// Costs enter the LP multiplied by `cost_scale` (default 1e-6: the objective is in million USD,
// which keeps the coefficients of t-LCE and GWh products within a few orders of magnitude);
// every USD figure the Network hands back (objective, prices, reduced costs) is unscaled.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cadena/chain/rules.hpp"
#include "cadena/core/error.hpp"
#include "cadena/lp/model.hpp"
#include "cadena/model/dataset.hpp"

namespace cadena::chain {

// What differs between the periods of a multi-period model (docs/formulation.md, "Periods"). The
// structure — markets, facilities, inputs, routes, demand keys — is the same in every period.
struct PeriodInput {
  int year = 0;              // names the period's columns and rows: `<family>:<element>:<year>`
  double cost_weight = 1.0;  // multiplies every cost of the period's columns (discounted years it stands for)
  // Per facility, in Dataset::facilities order; empty = the single-year value (capacity x
  // availability when active, else 0; the production floor; factor 1).
  std::vector<double> capacity;      // upper bound of prod:<f>:<year>
  std::vector<double> floor;         // lower bound of prod:<f>:<year>
  std::vector<double> input_factor;  // multiplies every input amount of the facility's recipe
  std::vector<double> by_product_factor;  // multiplies the facility's by-product amounts
  // Per Dataset::demands row (repeated rows add up); empty = the rows' quantities.
  std::vector<double> demand;
};

struct BuildOptions {
  double cost_scale = 1e-6;  // LP cost = USD x cost_scale
  // Empty: the single-year model of the dataset year, names `<family>:<element>`. Otherwise one
  // block of the per-period families per entry, in this order (years strictly increasing).
  std::vector<PeriodInput> periods;
};

// Where each record of the dataset went in the LP (indices into lp::Model columns/rows; -1 = none).
struct FacilityIndex {
  std::string id;
  int production_col = -1;  // prod:<facility>, output units per year
  bool active = false;      // counted under the dataset's settings (status, include_non_operating)
  struct Use {
    std::string product;
    double per_unit_output = 0.0;
    int col = -1;   // use:<facility>:<product>, units of the input product consumed
    double haulage_usd = 0.0;  // per unit, from a domestic (from == to) route if any
  };
  std::vector<Use> uses;
  std::vector<int> recipe_rows;  // recipe:<facility>:g<group>, one per input group
};

struct MarketIndex {
  std::string product, country;
  int balance_row = -1;  // balance:<product>:<country>
  int stock_col = -1;    // stock:<product>:<country>, only with a production floor
  int dispose_col = -1;  // dispose:<product>:<country>, only where a facility makes it as a by-product
};

struct TradeIndex {
  std::string from, to, product;
  int col = -1;  // flow:<from>-<to>:<product>
  double transport_usd = 0.0, export_duty_usd = 0.0, import_tariff_usd = 0.0;  // per unit
  std::size_t route = 0;  // index into Dataset::routes
};

struct DeliveryIndex {
  std::string country, region, product;
  int col = -1;  // deliver:<country>-<region>:<product>
  double haulage_usd = 0.0;  // per unit, from a domestic (from == to) route if any
};

struct DemandIndex {
  std::string region, product;
  int row = -1;         // demand:<region>:<product>  (sum of deliveries + unmet >= quantity)
  int unmet_col = -1;   // unmet:<region>:<product>
  double quantity = 0.0;
  double penalty_usd = 0.0;  // per unit unmet
};

// One nonzero LP column, in the terms of the domain (the rows of flows.csv).
struct FlowRecord {
  std::string family;   // prod | use | flow | deliver | unmet | stock
  std::string element;  // facility id, or "<from>-<to>", or "<region>"
  std::string from, to;
  std::string product;
  double quantity = 0.0;
  std::string unit;
  double unit_cost_usd = 0.0;
  double cost_usd = 0.0;
};

struct FacilityRecord {
  std::string id, name;
  std::string stage;  // model::StageDef::id
  std::string country, product, unit;
  double output = 0.0;
  double capacity = 0.0;       // as counted in the LP: nameplate x availability (0 when not active)
  double utilisation = 0.0;    // output / capacity; 0 when capacity is 0
  // Reduced cost of prod:<facility> in USD per unit: at full capacity it is <= 0 and its
  // magnitude is what one more unit of capacity would save; when idle it is the cost gap.
  double reduced_cost_usd = 0.0;
  double cost_usd = 0.0;       // output x (unit cost - by-product credit + carbon price x co2)
  double co2_t = 0.0;
  double water_m3 = 0.0;       // fresh water
  double brine_m3 = 0.0;       // brine pumped
  bool active = false;
  std::string source;
};

struct PriceRecord {
  std::string region_or_country;
  std::string product;
  double usd_per_unit = 0.0;
  std::string unit;
};

// Output put into stock at a market (production-floor mode only; entries > tolerance).
struct StockRecord {
  std::string product, country;
  double quantity = 0.0;
  std::string unit;
};

struct UnmetRecord {
  std::string region, product;
  double quantity = 0.0;
  double demand = 0.0;
  std::string unit;
};

// The solved network in domain terms. `termination` other than optimal leaves the vectors empty.
struct ChainResult {
  lp::Termination termination = lp::Termination::NotSolved;
  std::string solver;
  double objective_usd = 0.0;
  // Objective split by family (USD): production (incl. carbon), transport (trade + haulage),
  // duties (export duties + import tariffs), unmet penalty.
  double production_usd = 0.0, carbon_usd = 0.0, transport_usd = 0.0, duties_usd = 0.0,
         penalty_usd = 0.0;
  double stock_usd = 0.0;  // stock quantity x settings.stock_cost_usd_per_unit
  std::vector<FacilityRecord> facilities;
  std::vector<FlowRecord> flows;
  std::vector<PriceRecord> demand_prices;  // dual of demand:<region>:<product>
  std::vector<PriceRecord> market_prices;  // dual of balance:<product>:<country>
  std::vector<UnmetRecord> unmet;          // only entries with quantity > tolerance
  std::vector<StockRecord> stock;          // only entries with quantity > tolerance
  double co2_t = 0.0;
  double water_m3 = 0.0;  // fresh water
  double brine_m3 = 0.0;  // brine pumped (reported apart: it is not fresh water)
  // Policy rules (docs/formulation.md "Policy rules"): one record per rule in force, and what
  // their own terms cost (origin tariffs, royalties, minimum-output shortfalls; credits < 0),
  // part of the objective split.
  std::vector<RuleRecord> rules;
  double policy_usd = 0.0;
};

class Network {
 public:
  // Builds the LP for `dataset` (normally validated already; engine::run_dataset validates).
  // Errors carry the record's file and line: a demand or facility naming a product, country or
  // region that does not exist (Reference); an input amount <= 0 (Value). Routes and policies
  // naming unknown codes are left out (model::validate reports them).
  static Result<Network> build(const model::Dataset& dataset, const BuildOptions& options = {});

  const lp::Model& lp() const { return m_lp; }
  lp::Model& lp() { return m_lp; }
  const model::Dataset& dataset() const { return m_data; }
  double cost_scale() const { return m_scale; }

  // In-place data changes (no rebuild). Each updates both the LP and the Network's copy of
  // the dataset, so extract() and a later fresh build agree. Unknown ids are Reference errors.
  // Single-year Networks only: on a multi-period one they return a Value error (rebuild).
  // Nameplate capacity; the LP bound is capacity x the facility's availability.
  Status set_facility_capacity(std::string_view facility, double capacity);
  Status set_facility_unit_cost(std::string_view facility, double usd_per_unit);
  Status set_facility_active(std::string_view facility, bool active);
  // Demand of a (region, product) that was in the dataset when the Network was built.
  Status set_demand(std::string_view region, std::string_view product, double quantity);
  Status set_carbon_price(double usd_per_t_co2);
  Status set_route_capacity(std::size_t route_index, std::optional<double> capacity);
  // Production floor mode and share (see apply_production_floor). Switching to Reported needs
  // the stock columns, which exist only when the Network was built with a floor: a Network
  // built without one returns a Value error (rebuild instead). Switching to None keeps the
  // stock columns; with stock cost >= 0 and positive unit costs they stay at zero.
  Status set_production_floor(model::Settings::ProductionFloor floor, double share);

  // Index lookups (nullptr when absent).
  const FacilityIndex* facility(std::string_view id) const;
  const DemandIndex* demand(std::string_view region, std::string_view product) const;
  const MarketIndex* market(std::string_view product, std::string_view country) const;
  const std::vector<FacilityIndex>& facilities() const { return m_facilities; }
  const std::vector<MarketIndex>& markets() const { return m_markets; }
  const std::vector<TradeIndex>& trades() const { return m_trades; }
  const std::vector<DeliveryIndex>& deliveries() const { return m_deliveries; }
  const std::vector<DemandIndex>& demands() const { return m_demands; }
  const std::vector<RuleIndex>& rules() const { return m_rules; }

  // Price-dependent royalties (docs/formulation.md "add_royalties"): sets each royalty's cost
  // from the market prices of `solution` (rate or bands applied to the dual of the mine's output
  // market) and returns the largest change in USD per unit; re-solve until it is small.
  double update_royalties(const lp::Solution& solution);

  // Turns a solution of lp() into domain records (flows, facilities, prices, unmet demand).
  // Values below `tolerance` count as zero. A multi-period Network: period 0 (extract_period).
  ChainResult extract(const lp::Solution& solution, double tolerance = 1e-6) const;
  // The records of period k, in USD of that year (costs undiscounted, prices and reduced costs
  // divided by the period's cost weight); objective_usd is the sum of the period's cost split.
  ChainResult extract_period(const lp::Solution& solution, int k, double tolerance = 1e-6) const;

  // Periods: 1 for a single-year Network. Column (row) j of period 0 is column (row)
  // j + k x block_columns() (block_rows()) in period k.
  int num_periods() const { return m_periods.empty() ? 1 : static_cast<int>(m_periods.size()); }
  bool multi_period() const { return !m_periods.empty(); }
  int period_year(int k) const;
  double period_cost_weight(int k) const;
  int block_columns() const { return m_block_cols; }
  int block_rows() const { return m_block_rows; }
  int column_in_period(int col0, int k) const { return col0 + k * m_block_cols; }
  int row_in_period(int row0, int k) const { return row0 + k * m_block_rows; }
  // Upper and lower bound of prod:<f> in period k and the factor on its input amounts.
  double capacity_in_period(std::size_t facility, int k) const;
  double floor_in_period(std::size_t facility, int k) const;
  double input_factor_in_period(std::size_t facility, int k) const;
  double by_product_factor_in_period(std::size_t facility, int k) const;
  // The demand of m_demands[j] in period k.
  double demand_in_period(std::size_t j, int k) const;

  // Whether a facility counts under the settings: operating always; construction and planned
  // only with include_non_operating; suspended and cancelled never.
  static bool is_active(const model::Facility& f, const model::Settings& s);

  // Lower bound of prod:<f>: min(reported_output x share, capacity) for an active facility with
  // a reported output when the floor is Reported, else 0.
  static double production_floor(const model::Facility& f, const model::Settings& s);

  // Demand the LP must meet for a row: quantity, less its stock_build when the floor is Reported
  // (the floors' stock columns then carry inventory).
  static double demand_quantity(const model::Demand& m, const model::Settings& s);

 private:
  Network() = default;
  friend struct Builder;
  friend struct RuleBuilder;

  // Single-year Networks only: a pathway rebuilds instead (its periods' bounds differ).
  Status single_year_only(std::string_view what) const;

  model::Dataset m_data;
  double m_scale = 1e-6;
  lp::Model m_lp;
  std::vector<PeriodInput> m_periods;  // empty: single-year
  int m_block_cols = 0, m_block_rows = 0;
  // Per period, per m_demands entry: the demand of the period (multi-period only).
  std::vector<std::vector<double>> m_period_demand;
  std::vector<FacilityIndex> m_facilities;  // same order as m_data.facilities
  std::vector<MarketIndex> m_markets;
  std::vector<TradeIndex> m_trades;
  std::vector<DeliveryIndex> m_deliveries;
  std::vector<DemandIndex> m_demands;
  std::vector<RuleIndex> m_rules;
  // Single year: USD per unit the rules add to each facility's production cost (credits,
  // royalties), kept by the in-place cost setters.
  std::vector<double> m_rule_cost;
  std::vector<int> m_route_capacity_rows;   // per route: routecap:<from>-<to> row for "*" routes, else -1
  std::vector<int> m_market_order;  // m_markets indices sorted by (product, country), for market()
  std::map<std::pair<std::string, std::string>, int> m_demand_by_key;   // (region, product) -> m_demands index
};

// Penalty per unit of unmet demand for a product: its unit's declared penalty ([[unit]]
// unmet_penalty_usd) when there is one; else settings.unmet_penalty_per_gwh for products in GWh
// (the dataset.toml/scenario shorthand); else settings.unmet_penalty.
double unmet_penalty_usd(const model::Dataset& dataset, const model::Product& product);

}  // namespace cadena::chain
