#include "cadena/io/ranges.hpp"

#include <fmt/format.h>

#include <iterator>

namespace cadena::io {

namespace {

// Bounds are generous for any mineral (world iron ore output is 2.5e9 t/yr) and keep every
// number the LP sees between 1e-6 and 1e13 or so, far inside what CLP and GLPK handle (their
// aborts on 1e40 costs and 1e308 demands, issue 13); docs/data-format.md gives each reason.
constexpr double kQuantity = 1e10;  // units per year: capacities, demands, outputs
constexpr double kUsdPerUnit = 1e10;  // USD per unit: cells cost ~1e8 USD/GWh
constexpr KeyRange kRanges[] = {
    // facilities.csv (and [[facility]] overrides)
    {"lat", -90, 90, false, "a latitude in degrees, -90 to 90"},
    {"lon", -180, 180, false, "a longitude in degrees, -180 to 180"},
    {"capacity", 0, kQuantity, false, "a capacity >= 0 in units per year, at most 1e10"},
    {"availability", 0, 1, false, "the share of nameplate capacity available in the year, 0 to 1"},
    {"output_<year>", 0, kQuantity, false, "an output >= 0 in units per year, at most 1e10"},
    {"unit_cost_usd", 0, kUsdPerUnit, false, "a cost >= 0 in USD per unit, at most 1e10"},
    {"byproduct_credit_usd", 0, kUsdPerUnit, false, "a credit >= 0 in USD per unit, at most 1e10"},
    {"co2_t_per_unit", 0, 1e6, false, "an intensity >= 0 in t CO2 per unit, at most 1e6"},
    {"water_m3_per_unit", 0, 1e9, false, "an intensity >= 0 in m3 per unit, at most 1e9"},
    {"brine_m3_per_unit", 0, 1e9, false, "an intensity >= 0 in m3 of brine per unit, at most 1e9"},
    {"start_year", 0, 2200, false, "a year up to 2200 (0 = unknown)"},
    {"inputs", 1e-6, 1e6, false, "an amount > 0 per unit of output, at least 1e-6 and at most 1e6"},
    {"owners", 0, 1, true, "ownership shares in (0, 1]"},
    // stakes.csv
    {"share", 0, 1, true, "an equity share in (0, 1]"},
    // routes.csv ("capacity" above)
    {"cost_usd_per_unit", 0, 1e9, false, "a cost >= 0 in USD per unit moved, at most 1e9"},
    // policies.csv
    {"rate", 0, 1, false, "a fraction (0.045 = 4.5 %)"},
    {"reference_price_usd", 0, kUsdPerUnit, false, "a price >= 0 in USD per unit, at most 1e10"},
    // scenario [[rule]] (policy rules; "rate", "reference_price_usd" and "quantity" above)
    {"amount_usd", -kUsdPerUnit, kUsdPerUnit, false, "an amount in USD per unit, at most 1e10 either way"},
    {"share", 0, 1, false, "a share between 0 and 1"},
    {"from_year", 1900, 2200, false, "a year between 1900 and 2200"},
    {"to_year", 1900, 2200, false, "a year between 1900 and 2200"},
    // demand.csv
    {"quantity", 0, kQuantity, false, "a demand >= 0 in units per year, at most 1e10"},
    {"stock_build", 0, kQuantity, false, "a stock build >= 0 in units per year, at most 1e10 (and at most quantity)"},
    // usgs_mine_production.csv
    {"t_li", 0, kQuantity, false, "a production >= 0 in t Li, at most 1e10"},
    // dataset.toml settings and scenario [settings] ("year" also in usgs_mine_production.csv)
    {"year", 1900, 2200, false, "a year between 1900 and 2200"},
    {"unmet_penalty_usd", 0, 1e12, true, "a penalty > 0 USD per unit, at most 1e12"},
    {"unmet_penalty_usd_per_gwh", 0, 1e13, true, "a penalty > 0 USD per GWh, at most 1e13"},
    {"carbon_price_usd_per_t", 0, 1e5, false, "a price >= 0 USD per t CO2, at most 1e5"},
    {"production_floor_share", 0, 1, false, "a share between 0 and 1"},
    {"stock_cost_usd_per_unit", 0, kUsdPerUnit, false, "a cost >= 0 in USD per unit, at most 1e10"},
    // dataset.toml [[unit]]
    {"unit.contained", 0, 1e6, true, "the contained amount per unit (t LCE per t Li is 5.323), > 0 and at most 1e6"},
    {"unit.unmet_penalty_usd", 0, 1e13, true, "a penalty > 0 USD per unit, at most 1e13"},
    // scenario [demand_scale]
    {"demand_scale", 0, 1e3, false, "a factor >= 0, at most 1000"},
    // pathway data (pathway.toml, paths/projects/options/resources/placed_on_market.csv, scenario [pathway])
    {"value", 0, kQuantity, false, "a value >= 0, at most 1e10"},
    {"earliest_year", 0, 2200, false, "a year up to 2200 (0 = as soon as the lead time allows)"},
    {"retirement_year", 0, 2200, false, "a year up to 2200 (0 = beyond the horizon)"},
    {"capex_usd_per_unit", 0, kUsdPerUnit, false, "a capital cost >= 0 in USD per unit of annual capacity, at most 1e10"},
    {"fixed_om_usd_per_unit", 0, kUsdPerUnit, false, "a fixed cost >= 0 in USD per unit of capacity per year, at most 1e10"},
    {"lead_time_years", 0, 50, false, "a lead time of 0 to 50 years"},
    {"ramp_up", 0, 1, true, "ramp-up shares of nameplate capacity in (0, 1], e.g. 0.3;0.7;1"},
    {"max_build_per_year", 0, kQuantity, false, "a build limit >= 0 in units of capacity per year, at most 1e10"},
    {"min_size", 0, kQuantity, false, "a minimum plant size >= 0 in units of capacity, at most 1e10"},
    {"life_years", 1, 100, false, "a life of 1 to 100 years"},
    {"tranche", 1, 1000, false, "a tranche number 1, 2, ... (at most 1000)"},
    {"extra_cost_usd_per_unit", 0, kUsdPerUnit, false, "an extra cost >= 0 in USD per unit extracted, at most 1e10"},
    {"last_year", 1900, 2200, false, "a year between 1900 and 2200"},
    {"discount_rate", 0, 1, false, "a real discount rate between 0 and 1 (0.07 = 7 %)"},
    {"lifetime_shape", 0, 20, true, "a Weibull shape > 0, at most 20"},
    {"lifetime_scale", 0, 100, true, "a Weibull scale > 0 years, at most 100"},
    {"collection", 0, 1, false, "a collection rate between 0 and 1"},
    {"scrap_share", 0, 1, false, "a share of output between 0 and 1"},
    {"mip_gap", 0, 1, false, "a relative MIP gap between 0 and 1 (0.01 = 1 %)"},
    {"time_limit_s", 0, 1e6, false, "a time limit >= 0 seconds (0 = none)"},
};

}  // namespace

const KeyRange* ranges_begin() { return std::begin(kRanges); }
const KeyRange* ranges_end() { return std::end(kRanges); }

const KeyRange* key_range(std::string_view key) {
  if (key.rfind("output_", 0) == 0 && key.size() > 7) key = "output_<year>";
  if (key.rfind("demand_scale.", 0) == 0) key = "demand_scale";
  for (const KeyRange& r : kRanges)
    if (r.key == key) return &r;
  return nullptr;
}

Status check_range(const KeyRange& r, double v) {
  const bool above_min = r.min_open ? v > r.min : v >= r.min;
  if (above_min && v <= r.max) return ok_status();
  return make_error(ErrorCategory::Value,
                    fmt::format("{} is outside {}{:g}, {:g}]; expected {}", v, r.min_open ? "(" : "[", r.min, r.max, r.expected));
}

}  // namespace cadena::io
