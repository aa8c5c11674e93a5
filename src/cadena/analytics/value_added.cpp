#include "cadena/analytics/value_added.hpp"

#include <algorithm>
#include <map>
#include <utility>

namespace cadena::analytics {

std::vector<CountryValue> value_added(const chain::ChainResult& r) {
  std::map<std::pair<std::string, std::string>, double> price;  // (product, country) -> USD per unit
  for (const auto& p : r.market_prices) price[{p.product, p.region_or_country}] = p.usd_per_unit;
  auto price_of = [&](const std::string& product, const std::string& country) {
    auto it = price.find({product, country});
    return it == price.end() ? 0.0 : it->second;
  };
  std::map<std::string, CountryValue> by_country;
  for (const auto& f : r.flows) {
    if (f.family != "prod" && f.family != "use") continue;
    auto& cv = by_country[f.from];
    cv.country = f.from;
    const double value = f.quantity * price_of(f.product, f.from);
    if (f.family == "prod") cv.revenue_usd += value;
    else cv.input_cost_usd += value;
  }
  std::vector<CountryValue> out;
  for (auto& [c, cv] : by_country) {
    cv.value_added_usd = cv.revenue_usd - cv.input_cost_usd;
    out.push_back(cv);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const CountryValue& a, const CountryValue& b) { return a.value_added_usd > b.value_added_usd; });
  return out;
}

}  // namespace cadena::analytics
