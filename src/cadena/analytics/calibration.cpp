#include "cadena/analytics/calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace cadena::analytics {

namespace {

// Whether a facility or market in `country` counts for a reference row's country (an ISO code,
// a region id or "*").
bool in_scope(const model::Dataset& d, std::string_view scope, std::string_view country) {
  if (scope == "*") return true;
  if (scope == country) return true;
  const model::Country* c = d.find_country(country);
  return c && !d.find_country(scope) && c->region == scope;
}

// Output of a stage in scope, in the contained unit when `contained` (each product's factor), else
// in the products' own unit.
double stage_output(const model::Dataset& d, const chain::ChainResult& r, std::string_view stage,
                    std::string_view scope, bool contained) {
  double sum = 0.0;
  for (const auto& f : r.facilities) {
    if (f.stage != stage || !in_scope(d, scope, f.country)) continue;
    double factor = 1.0;
    if (contained) {
      const model::Product* p = d.find_product(f.product);
      factor = p ? d.contained_per_unit(*p).value_or(0.0) : 0.0;
    }
    sum += f.output * factor;
  }
  return sum;
}

// Deliveries to end use (the chain's consumption) in a demand region or "*", in the contained
// unit. A demand row's stock_build is inventory, not consumption: deliveries to a (region, product)
// count up to its quantity less its stock build. The cost-minimal chain delivers the stock build;
// with a production floor it is not demanded at all, so both runs compare the same thing.
double consumption(const model::Dataset& d, const chain::ChainResult& r, std::string_view scope) {
  std::map<std::pair<std::string, std::string>, double> delivered, end_use;
  for (const auto& fl : r.flows)
    if (fl.family == "deliver" && (scope == "*" || fl.to == scope)) delivered[{fl.to, fl.product}] += fl.quantity;
  for (const auto& m : d.demands) end_use[{m.region, m.product}] += m.quantity - m.stock_build;
  double sum = 0.0;
  for (const auto& [key, q] : delivered) {
    const model::Product* p = d.find_product(key.second);
    if (!p) continue;
    const auto cap = end_use.find(key);
    sum += (cap == end_use.end() ? q : std::min(q, cap->second)) * d.contained_per_unit(*p).value_or(0.0);
  }
  return sum;
}

std::optional<double> price(const chain::ChainResult& r, const model::Dataset& d, std::string_view product,
                            std::string_view where) {
  for (const auto& p : r.market_prices)
    if (p.product == product && p.region_or_country == where) return p.usd_per_unit;
  const model::Country* c = d.find_country(where);
  const std::string region = c ? c->region : std::string(where);
  for (const auto& p : r.demand_prices)
    if (p.product == product && p.region_or_country == region) return p.usd_per_unit;
  return std::nullopt;
}

}  // namespace

std::optional<double> CalibrationRow::baseline_deviation() const {
  if (!reference || *reference == 0.0) return std::nullopt;
  return baseline / *reference - 1.0;
}

std::optional<double> CalibrationRow::observed_deviation() const {
  if (!reference || *reference == 0.0) return std::nullopt;
  return observed / *reference - 1.0;
}

std::vector<CalibrationRow> calibration_rows(const model::Dataset& d, const chain::ChainResult& base,
                                             const chain::ChainResult& obs) {
  std::vector<CalibrationRow> out;
  const int year = d.settings.year;
  for (const auto& ref : d.reference) {
    if (ref.year != year) continue;
    CalibrationRow row;
    row.metric = ref.metric;
    row.key = ref.key;
    row.country = ref.country;
    row.source = ref.prov.source;
    row.line = ref.prov.line;
    double factor = 1.0;
    if (ref.metric == "output" || ref.metric == "consumption") {
      const auto conv = d.contained_per_unit(ref.unit);
      const bool contained = conv.has_value();
      factor = contained ? *conv : 1.0;
      row.unit = contained ? d.contained_unit : ref.unit;
      if (ref.metric == "output") {
        row.baseline = stage_output(d, base, ref.key, ref.country, contained);
        row.observed = stage_output(d, obs, ref.key, ref.country, contained);
      } else {
        if (!contained) continue;  // consumption is compared in contained units only
        row.baseline = consumption(d, base, ref.country);
        row.observed = consumption(d, obs, ref.country);
      }
    } else if (ref.metric == "share") {
      row.unit = "share";
      const bool contained = [&] {
        for (const auto& p : d.products)
          if (p.stage == ref.key && !d.contained_per_unit(p)) return false;
        return true;
      }();
      const double bw = stage_output(d, base, ref.key, "*", contained);
      const double ow = stage_output(d, obs, ref.key, "*", contained);
      row.baseline = bw > 0 ? stage_output(d, base, ref.key, ref.country, contained) / bw : 0.0;
      row.observed = ow > 0 ? stage_output(d, obs, ref.key, ref.country, contained) / ow : 0.0;
    } else if (ref.metric == "price") {
      row.unit = ref.unit;
      auto b = price(base, d, ref.key, ref.country);
      auto o = price(obs, d, ref.key, ref.country);
      if (!b && !o) continue;
      row.baseline = b.value_or(0.0);
      row.observed = o.value_or(0.0);
    } else {
      continue;
    }
    row.reference = ref.value * factor;
    if (ref.low) row.low = *ref.low * factor;
    if (ref.high) row.high = *ref.high * factor;
    out.push_back(std::move(row));
  }
  // Reported output by stage and country (active facilities, capped at what they could make).
  std::map<std::pair<std::string, std::string>, double> reported;
  std::map<std::string, std::string> unit_of_stage;
  for (const auto& f : d.facilities) {
    if (!f.reported_output || !chain::Network::is_active(f, d.settings)) continue;
    reported[{f.stage, f.country}] += std::min(*f.reported_output, f.effective_capacity());
    const model::Product* p = d.find_product(f.output);
    if (p) unit_of_stage[f.stage] = unit_of_stage.count(f.stage) && unit_of_stage[f.stage] != p->unit ? "mixed" : p->unit;
  }
  std::vector<std::pair<int, std::pair<std::string, std::string>>> order;  // chain order, then country
  for (const auto& [k, q] : reported) order.push_back({d.stage_index(k.first), k});
  std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [idx, k] : order) {
    CalibrationRow row;
    row.metric = "reported";
    row.key = k.first;
    row.country = k.second;
    row.unit = unit_of_stage[k.first];
    row.reference = reported[k];
    row.baseline = stage_output(d, base, k.first, k.second, false);
    row.observed = stage_output(d, obs, k.first, k.second, false);
    row.source = fmt::format("facilities.csv output_{}", year);
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace cadena::analytics
