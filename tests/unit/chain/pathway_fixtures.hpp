#pragma once
// Tiny pathways built in code for the chain and engine tests: one ore market in CN fed by an
// Australian mine (import at 600 USD/t delivered) and, when asked, a Chinese mine that can be
// built. Each test states its hand-solved optimum next to its assertions.
#include <string>
#include <vector>

#include "cadena/chain/pathway.hpp"
#include "fixtures.hpp"

namespace cadena::testing {

// AU mine 300 t/yr at 500 USD/t, route AU->CN 100 USD/t: ore delivered in CN costs 600.
// Demand for ore in CN: 100 in the dataset year 2024.
inline model::Dataset import_dataset() {
  auto d = base_dataset();
  d.settings.year = 2024;
  d.facilities = {facility("mine_au", "mining", "AU", "ore", 300, 500)};
  d.routes = {route("AU", "CN", "ore", 100)};
  d.demands = {{"CN", "ore", 100, {}}};
  return d;
}

inline model::PathPoint point(std::string series, std::string product, std::string region, int year, double value,
                              std::string unit, std::string group = "", std::string path = "base") {
  model::PathPoint p;
  p.path = std::move(path);
  p.series = std::move(series);
  p.group = std::move(group);
  p.product = std::move(product);
  p.region = std::move(region);
  p.year = year;
  p.value = value;
  p.unit = std::move(unit);
  p.prov.source = "test";
  return p;
}

// Pathway data with CN ore demand per year (after 2024) on path "base".
inline model::PathwayData demand_path(const std::vector<std::pair<int, double>>& ore_cn) {
  model::PathwayData p;
  p.present = true;
  p.last_year = 2050;
  p.discount_rate = 0.0;
  p.demand_path = "base";
  for (const auto& [y, q] : ore_cn) p.paths.push_back(point("demand", "ore", "CN", y, q, "t LCE"));
  return p;
}

// A mine that can be built in CN by Chinese investors: unit cost 300, capex `capex` per t/yr,
// life 10 years, lead time `lead`, ramp-up `ramp`.
inline model::ExpansionOption cn_mine_option(double capex, int lead = 1, std::vector<double> ramp = {}) {
  model::ExpansionOption o;
  o.id = "cn_mine";
  o.stage = "mining";
  o.type = "spodumene";
  o.country = "CN";
  o.output = "ore";
  o.owner_countries = {"CN"};
  o.capex_usd_per_unit = capex;
  o.unit_cost = 300;
  o.lead_time_years = lead;
  o.life_years = 10;
  o.ramp_up = std::move(ramp);
  o.prov.source = "test";
  return o;
}

inline chain::PathwayOptions years_of(std::vector<int> years, double rate = 0.0, std::string path = "base") {
  chain::PathwayOptions o;
  o.years = std::move(years);
  o.discount_rate = rate;
  o.demand_path = std::move(path);
  return o;
}

}  // namespace cadena::testing
