#pragma once
// The domain model of the supply chain: what the data says, validated once, solver-free.
// Quantities are stored as doubles in the unit named by the product (`Product::unit`) and
// checked by io/ when read; typed Quantity<> values are produced at the edges (see units.hpp).
// Every record keeps its source and the place it was read from, so any number a user sees
// can be traced back to an input row.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cadena/core/error.hpp"

namespace cadena::model {

// Where a record came from: the dataset row (file:line) and the publication it cites.
struct Provenance {
  std::string file;
  int line = 0;
  std::string source;   // publication and year, or address
  bool estimate = false;  // true when the figure is our own estimate (said so in the row)
  std::string note;
};

// A stage of the value chain, declared by the dataset (dataset.toml, [[stage]]) in chain order:
// lithium has mining, refining, cathode, cells (and recycling); copper mining, smelting,
// refining. Nothing in the engine knows a stage by name.
struct StageDef {
  std::string id;    // e.g. "mining"
  std::string name;  // for reports; the id when not given
  // Extraction: its facilities have no process inputs (mines, brines). Every other stage's
  // facilities need at least one input.
  bool extraction = false;
  // Secondary supply (recycling, scrap): its facilities may make products of any stage; their
  // output counts under this stage in stage summaries.
  bool secondary = false;
  std::vector<std::string> types;  // allowed facility types; empty = any
  Provenance prov;
};

// A unit of measure a product or a reference statistic may use (dataset.toml, [[unit]]).
// `contained` converts one unit into the dataset's contained-metal unit (Dataset::contained_unit):
// 1 for the contained unit itself, 5.323 for t Li when the contained unit is t LCE. A unit
// without it (t CAM, GWh) needs a factor on every product that uses it.
struct UnitDef {
  std::string id;
  std::optional<double> contained;
  std::optional<double> unmet_penalty;  // USD per unit of unmet demand; Settings::unmet_penalty when absent
  Provenance prov;
};

// Announced: a project made public without a decision to build (counted only by pathways, through
// its projects.csv row; never in the single year).
enum class FacilityStatus { Operating, Construction, Planned, Announced, Suspended, Cancelled };
const char* to_string(FacilityStatus s);
std::optional<FacilityStatus> parse_facility_status(std::string_view s);

struct Country {
  std::string code;  // ISO 3166-1 alpha-2
  std::string name;
  std::string region;  // demand region id this country belongs to
  Provenance prov;
};

struct Region {
  std::string id;  // e.g. CN, EU, US, ROW
  std::string name;
  Provenance prov;
};

struct Company {
  std::string id;
  std::string name;
  std::string hq_country;  // ISO alpha-2: the owner nationality used for control shares
  Provenance prov;
};

// A traded good, measured in a unit the dataset declares.
struct Product {
  std::string id;    // e.g. spodumene_conc, li2co3, lioh, cam_lfp, cell_lfp
  std::string name;
  std::string unit;   // UnitDef::id
  std::string stage;  // StageDef::id: the stage whose facilities make it
  Provenance prov;
  // Contained metal per unit of product, in Dataset::contained_unit (0.234 t LCE per t LFP);
  // when absent the unit's own conversion applies.
  std::optional<double> contained_per_unit = std::nullopt;
};

struct Ownership {
  std::string company;  // Company::id
  double share = 0.0;   // equity fraction in (0, 1]
};

// An equity stake from stakes.csv: a company holding part of a company or of a facility, with the
// period it was held (see ownership.hpp for how a run year picks the stakes in force).
struct Stake {
  std::string holder;    // Company::id of the shareholder
  std::string company;   // the company held (exactly one of company and facility is set)
  std::string facility;  // the facility held
  double share = 0.0;    // equity fraction in (0, 1]
  std::string from;      // first day in force: YYYY, YYYY-MM or YYYY-MM-DD; empty = always
  std::string until;     // the day it ended (no longer in force), same forms; empty = still held
  Provenance prov;
};

// One process input of a facility: `amount` units of `product` per unit of output.
// Several inputs with the same `group` are alternatives (any mix); different groups are all
// required (a cell needs cathode AND nothing else here, but the shape allows it).
struct ProcessInput {
  std::string product;
  double per_unit_output = 0.0;
  int group = 0;
};

struct Facility {
  std::string id;
  std::string name;
  std::string stage;     // StageDef::id
  std::string type;      // one of the stage's declared types (brine, spodumene, carbonate, ...)
  std::string country;   // ISO alpha-2 of the location
  double lat = 0.0, lon = 0.0;
  std::string output;    // Product::id
  double capacity = 0.0; // nameplate: units of output per year (pathways build on it)
  // Share of nameplate available in the dataset year (ramp-up, idle trains, shortage of feed);
  // the single-year model uses capacity x availability (effective_capacity()). 1 = all of it.
  double availability = 1.0;
  std::string availability_reason;  // why availability < 1 (column availability_reason)
  double effective_capacity() const { return capacity * availability; }
  double unit_cost = 0.0;  // USD per unit of output (opex, before royalties and taxes): the gross cost
  // Revenue from by-products per unit of output (molybdenum, gold, silver and sulphuric acid at a
  // copper mine), column byproduct_credit_usd; 0 <= credit <= unit_cost. The LP charges the net
  // cost, unit_cost - byproduct_credit (net_unit_cost()), so a by-product-rich mine is cheaper.
  double byproduct_credit = 0.0;
  double net_unit_cost() const { return unit_cost - byproduct_credit; }
  std::vector<ProcessInput> inputs;  // empty for mines
  double co2_per_unit = 0.0;    // t CO2 per unit of output
  double water_per_unit = 0.0;  // m3 of fresh water per unit of output
  double brine_per_unit = 0.0;  // m3 of brine pumped per unit of output (brine fields; not fresh water)
  FacilityStatus status = FacilityStatus::Operating;
  int start_year = 0;  // first year of operation (0 = unknown, before the dataset year)
  // Reported or estimated output in the dataset year (column output_<year>); for calibration
  // against reference statistics, never a bound. Empty when unknown.
  std::optional<double> reported_output;
  std::vector<Ownership> owners;  // shares sum to <= 1; the rest is "unattributed"
  // Products made alongside the output: `per_unit_output` units of `product` per unit of output
  // (production scrap in a pathway; not read from facilities.csv).
  std::vector<ProcessInput> by_products;
  Provenance prov;
};

// A trade link for a product between two countries (from == to allowed: domestic haulage).
// Trade between countries without a route is not possible.
struct Route {
  std::string from, to;  // ISO alpha-2
  std::string product;   // Product::id or "*" for every product
  double cost_per_unit = 0.0;  // USD per unit of product
  std::optional<double> capacity;  // units per year; none = unlimited
  Provenance prov;
};

enum class PolicyKind { ExportDuty, ImportTariff };
// Ad-valorem duty: rate x reference_price per unit crossing from `from` to `to`.
// `from`/`to` may be "*" (any country other than the other side).
struct TradePolicy {
  PolicyKind kind = PolicyKind::ExportDuty;
  std::string product;
  std::string from, to;
  double rate = 0.0;             // fraction, 0.045 = 4.5 %
  double reference_price = 0.0;  // USD per unit of product
  Provenance prov;
};

// A policy rule beyond per-leg duties (docs/formulation.md, "Policy rules"; scenario [[rule]]).
// Every rule has an id (its rows and columns are named rule:<id>...), a kind, selectors that say
// what it applies to ("*" or empty = any) and the numbers its kind uses. It is in force in the
// years from_year..to_year (0 = open); a single-year run applies it when the dataset year is in.
enum class RuleKind {
  OriginTariff,      // import tariff by origin (country of last substantial transformation)
  OriginQuota,       // cap on imports of an origin into a country, whatever the route
  RouteQuota,        // cap (0 = ban) on the trade of a product from one country to another
  Ownership,         // FEOC-style: a region accepts only chains without an owner above a threshold
  ProductionCredit,  // subsidy per unit of output (amount_usd + rate x unit cost)
  Royalty,           // rate x mine-head value of extraction output (fixed or price-dependent)
  DutyExempt,        // a facility's output leaves without export duty (RIGI-style duty-free years)
  TechExportBan,     // no new capacity of a technology outside a country
  LocalValueAdded,   // a minimum share of a country's extracted output processed at home
  CarbonCap,         // t CO2 per year, world or one country
  WaterCap,          // m3 of water per year, world or one country
  MinOutput,         // forced build / named investment: a facility produces at least a quantity
  CarbonPrice,       // USD per t CO2 of the selected facilities (a country's, or all), on top of the global price
  ExportDuty,        // USD per unit of a product leaving a country (rate x reference price + amount), dated
  ImportTariff,      // USD per unit of a product entering a country (rate x reference price + amount), dated
};
const char* to_string(RuleKind k);
std::optional<RuleKind> parse_rule_kind(std::string_view s);

struct Rule {
  std::string id;
  RuleKind kind = RuleKind::RouteQuota;
  // Selectors ("*" = any): product, stage and facility type, a facility id, the country the rule
  // applies in (location, importer or region id by kind), trade origin/destination, and the owner
  // nationality of ownership rules.
  std::string product = "*", stage = "*", type = "*", facility = "*", country = "*";
  std::string from = "*", to = "*";
  std::string owner_country;
  double rate = 0.0;               // fraction
  double reference_price = 0.0;    // USD per unit; 0 = the market price where the kind allows it
  double amount = 0.0;             // USD per unit of output (credits)
  std::optional<double> quantity;  // caps and quotas (units, t CO2, m3), minimum output
  double share = 0.0;              // ownership threshold, minimum local share
  // Price-dependent royalty: marginal rates by price band, "0:0.068,4000:0.08,..." (USD per unit
  // from which each rate applies to the part of the price above it).
  std::vector<std::pair<double, double>> brackets;
  int from_year = 0, to_year = 0;  // in force in these years (0 = open)
  bool in_force(int year) const {
    return (from_year == 0 || year >= from_year) && (to_year == 0 || year <= to_year);
  }
  Provenance prov;
};

struct Demand {
  std::string region;   // Region::id
  std::string product;  // Product::id
  double quantity = 0.0;  // product units per year
  Provenance prov;
  // The part of quantity that is inventory build, not end use (column stock_build). With a
  // production floor the floors' stock columns carry inventory, so the LP drops this part.
  double stock_build = 0.0;
};

// A published statistic the dataset is checked against (mine output by country from USGS,
// refined output, a price range), read from the dataset's reference table; never used by the
// model itself, only by calibration reports and tests.
//   metric "output":      key = a stage id; value in a unit with a contained conversion, or in
//                         the unit all the stage's products share (t CAM, GWh)
//   metric "consumption": key = a stage id or "*"; same units as output
//   metric "share":       key = a stage id; unit "share", value in [0, 1]: the country's share of
//                         the stage's world output
//   metric "price":       key = a product id; unit "USD/<unit of the product>"
// `country` is an ISO code, a region id, or "*" for the world.
struct ReferenceStat {
  std::string metric;
  std::string key;
  std::string country;
  int year = 0;
  double value = 0.0;
  std::string unit;
  std::optional<double> low, high;  // published range, when the source gives one
  Provenance prov;
};

// Model-wide settings a scenario may change.
struct Settings {
  int year = 2024;
  double unmet_penalty = 100000.0;  // USD per unit of unmet demand (Busch et al. 2024 use ~1e5 USD/t LCE)
  // USD per GWh of unmet demand for products measured in GWh (used instead of unmet_penalty).
  double unmet_penalty_per_gwh = 1.0e9;
  double carbon_price = 0.0;  // USD per t CO2 added to every facility's unit cost
  bool include_non_operating = false;  // count construction/planned capacity
  // "observed" mode: with Reported, every active facility with a reported output produces at
  // least min(reported_output x production_floor_share, capacity), and each market balance gets
  // a stock column (stock:<product>:<country>) that absorbs output nobody consumed.
  enum class ProductionFloor { None, Reported };
  ProductionFloor production_floor = ProductionFloor::None;
  double production_floor_share = 1.0;  // in [0, 1]
  double stock_cost_usd_per_unit = 0.0;  // USD per unit put into stock (only with a floor)
};

struct Dataset {
  std::string name;  // e.g. lithium-2024
  std::string description;
  Settings settings;
  std::string contained_unit;      // the metal every product converts to (t LCE, t Cu, t Nb)
  std::vector<StageDef> stages;    // in chain order
  std::vector<UnitDef> units;
  std::vector<Country> countries;
  std::vector<Region> regions;
  std::vector<Company> companies;
  std::vector<Product> products;
  std::vector<Facility> facilities;
  std::vector<Route> routes;
  std::vector<TradePolicy> policies;
  std::vector<Demand> demands;
  std::vector<Stake> stakes;  // may be empty: then the facilities' owners column is all there is
  std::vector<Rule> rules;  // policy rules (scenario [[rule]]); empty = none
  std::vector<ReferenceStat> reference;  // may be empty

  const Country* find_country(std::string_view code) const;
  const Company* find_company(std::string_view id) const;
  const Product* find_product(std::string_view id) const;
  const Facility* find_facility(std::string_view id) const;
  const Region* find_region(std::string_view id) const;
  const StageDef* find_stage(std::string_view id) const;
  const UnitDef* find_unit(std::string_view id) const;
  // Position of a stage in chain order, or -1.
  int stage_index(std::string_view id) const;
  // Contained metal per unit of the product (its own factor, else its unit's), if known.
  std::optional<double> contained_per_unit(const Product& p) const;
  // Contained metal per unit of a unit id (the unit's conversion), if known.
  std::optional<double> contained_per_unit(std::string_view unit) const;
};

// Cross-record checks (references, shares, yields, units): the first error found, with the
// row's file and line. io/ calls it after reading; engine/ after applying a scenario.
Status validate(const Dataset& d);

// "origin_tariff, origin_quota, ...": the rule kinds, for messages.
std::string rule_kind_names();
namespace detail {
Status validate_rules(const Dataset& d);  // model/rules.cpp
}  // namespace detail

}  // namespace cadena::model
