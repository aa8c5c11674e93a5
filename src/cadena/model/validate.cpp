// Cross-record checks of a Dataset. Each error names the row it comes from (the record's
// provenance: file and line), the column and the record id, and says what was expected, so a
// user can fix the file without reading code. Per-value syntax (numbers, enums) is io/'s job.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string>

#include "cadena/model/dataset.hpp"
#include "cadena/model/ownership.hpp"

namespace cadena::model {

namespace {

constexpr double kShareTolerance = 1e-6;  // rounding in published ownership tables

Error err(ErrorCategory c, const Provenance& p, std::string_view key, std::string_view element,
          std::string msg) {
  return make_error(c, std::move(msg), {p.file, p.line, std::string(key), std::string(element)});
}

bool is_iso_code(std::string_view s) {
  return s.size() == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z';
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
  return out;
}

std::string stage_list(const Dataset& d) {
  std::vector<std::string> ids;
  for (const auto& s : d.stages) ids.push_back(s.id);
  return join(ids);
}

Status non_negative(double v, const Provenance& p, std::string_view key, std::string_view el,
                    std::string_view what) {
  if (!(v >= 0.0))
    return err(ErrorCategory::Value, p, key, el, fmt::format("{} is {}; expected a value >= 0", what, v));
  return ok_status();
}

Status country_ref(const Dataset& d, std::string_view code, const Provenance& p, std::string_view key,
                   std::string_view el, bool allow_any) {
  if (allow_any && code == "*") return ok_status();
  if (!is_iso_code(code))
    return err(ErrorCategory::Value, p, key, el,
               fmt::format("'{}' is not a country code; expected two capital letters (ISO 3166-1 alpha-2){}", code,
                           allow_any ? " or '*'" : ""));
  if (!d.find_country(code))
    return err(ErrorCategory::Reference, p, key, el,
               fmt::format("unknown country '{}'; expected a code listed in countries.csv", code));
  return ok_status();
}

Status product_ref(const Dataset& d, std::string_view id, const Provenance& p, std::string_view key,
                   std::string_view el, bool allow_any) {
  if (allow_any && id == "*") return ok_status();
  if (!d.find_product(id))
    return err(ErrorCategory::Reference, p, key, el,
               fmt::format("unknown product '{}'; expected an id listed in products.csv{}", id,
                           allow_any ? " or '*'" : ""));
  return ok_status();
}

template <class T, class Key>
Status unique_ids(const std::vector<T>& v, Key key, std::string_view column, std::string_view table) {
  std::set<std::string> seen;
  for (const T& x : v) {
    const std::string& id = key(x);
    if (!seen.insert(id).second)
      return err(ErrorCategory::Duplicate, x.prov, column, id,
                 fmt::format("{} '{}' is defined twice; expected each id once", table, id));
  }
  return ok_status();
}

// The contained metal is conserved: whatever mix of alternatives a facility uses, its inputs
// carry at least the metal of one unit of output. Within an input group any mix is possible, so
// the group's least-metal alternative counts; groups are all required, so they add up.
Status check_conservation(const Dataset& d, const Facility& f, const Product& out) {
  const auto c_out = d.contained_per_unit(out);
  if (!c_out || *c_out <= 0.0 || f.inputs.empty()) return ok_status();
  std::map<int, std::pair<double, const ProcessInput*>> least;  // group -> (metal, input)
  for (const ProcessInput& in : f.inputs) {
    const auto c_in = d.contained_per_unit(*d.find_product(in.product));
    if (!c_in) return ok_status();  // validate() reports the missing conversion with the product row
    const double metal = in.per_unit_output * *c_in;
    auto it = least.find(in.group);
    if (it == least.end() || metal < it->second.first) least[in.group] = {metal, &in};
  }
  double total = 0.0;
  for (const auto& [g, m] : least) total += m.first;
  if (total < *c_out * (1.0 - 1e-9)) {
    const ProcessInput& worst = *std::min_element(least.begin(), least.end(), [](const auto& a, const auto& b) {
                                   return a.second.first < b.second.first;
                                 })->second.second;
    return err(ErrorCategory::Value, f.prov, "inputs", f.id,
               fmt::format("inputs carry {:.6g} {} per unit of output (least-metal mix, '{}' at {}), which holds "
                           "{:.6g} {}: a yield above 100 %; expected input amounts that carry at least the output's "
                           "metal",
                           total, d.contained_unit, worst.product, worst.per_unit_output, *c_out, d.contained_unit));
  }
  return ok_status();
}

Status check_facility(const Dataset& d, const Facility& f) {
  const Provenance& p = f.prov;
  const std::string& el = f.id;
  if (f.id.empty()) return err(ErrorCategory::Missing, p, "id", el, "a facility needs an id");
  const StageDef* stage = d.find_stage(f.stage);
  if (!stage)
    return err(ErrorCategory::Reference, p, "stage", el,
               fmt::format("unknown stage '{}'; expected one of the stages declared in dataset.toml: {}", f.stage,
                           stage_list(d)));
  // A type outside the declared list is most often a typo that would silently drop the facility
  // from type-based reports.
  if (!stage->types.empty() && std::find(stage->types.begin(), stage->types.end(), f.type) == stage->types.end())
    return err(ErrorCategory::Value, p, "type", el,
               fmt::format("unknown type '{}' for stage {}; expected one of: {}", f.type, f.stage, join(stage->types)));
  CADENA_TRY(country_ref(d, f.country, p, "country", el, false));
  if (f.lat < -90.0 || f.lat > 90.0)
    return err(ErrorCategory::Value, p, "lat", el, fmt::format("latitude {} is outside [-90, 90]", f.lat));
  if (f.lon < -180.0 || f.lon > 180.0)
    return err(ErrorCategory::Value, p, "lon", el, fmt::format("longitude {} is outside [-180, 180]", f.lon));
  CADENA_TRY(product_ref(d, f.output, p, "output", el, false));
  const Product& out = *d.find_product(f.output);
  // Secondary supply (recyclers) may make any stage's product; every other facility makes its own
  // stage's product.
  if (!stage->secondary && out.stage != f.stage)
    return err(ErrorCategory::Value, p, "output", el,
               fmt::format("a {} facility cannot make '{}', a {} product; expected a product of stage {}", f.stage,
                           out.id, out.stage, f.stage));
  CADENA_TRY(non_negative(f.capacity, p, "capacity", el, "capacity"));
  if (!(f.availability >= 0.0 && f.availability <= 1.0))
    return err(ErrorCategory::Value, p, "availability", el,
               fmt::format("availability {} is outside [0, 1]; expected the share of nameplate capacity "
                           "available in the dataset year",
                           f.availability));
  if (f.reported_output) CADENA_TRY(non_negative(*f.reported_output, p, "output", el, "reported output"));
  CADENA_TRY(non_negative(f.unit_cost, p, "unit_cost_usd", el, "unit cost"));
  CADENA_TRY(non_negative(f.byproduct_credit, p, "byproduct_credit_usd", el, "by-product credit"));
  // A net cost below zero would pay the LP to produce beyond demand (deliveries may exceed it).
  if (f.byproduct_credit > f.unit_cost)
    return err(ErrorCategory::Value, p, "byproduct_credit_usd", el,
               fmt::format("by-product credit {} exceeds the gross unit cost {}; expected a credit <= unit_cost_usd "
                           "(a negative net cost is entered as a credit equal to the cost)",
                           f.byproduct_credit, f.unit_cost));
  CADENA_TRY(non_negative(f.co2_per_unit, p, "co2_t_per_unit", el, "CO2 intensity"));
  CADENA_TRY(non_negative(f.water_per_unit, p, "water_m3_per_unit", el, "water intensity"));
  CADENA_TRY(non_negative(f.brine_per_unit, p, "brine_m3_per_unit", el, "brine intensity"));
  if (stage->extraction && !f.inputs.empty())
    return err(ErrorCategory::Value, p, "inputs", el,
               fmt::format("a facility of the extraction stage {} has no process inputs; expected an empty field",
                           f.stage));
  if (!stage->extraction && f.inputs.empty())
    return err(ErrorCategory::Missing, p, "inputs", el,
               fmt::format("a {} facility needs process inputs; expected product:amount", f.stage));
  for (const ProcessInput& in : f.inputs) {
    CADENA_TRY(product_ref(d, in.product, p, "inputs", el, false));
    if (!(in.per_unit_output > 0.0))
      return err(ErrorCategory::Value, p, "inputs", el,
                 fmt::format("input '{}' has amount {}; expected an amount > 0 per unit of output", in.product,
                             in.per_unit_output));
  }
  CADENA_TRY(check_conservation(d, f, out));
  double total = 0.0;
  std::set<std::string> owners;
  for (const Ownership& o : f.owners) {
    if (!d.find_company(o.company))
      return err(ErrorCategory::Reference, p, "owners", el,
                 fmt::format("unknown company '{}'; expected an id listed in companies.csv", o.company));
    if (!owners.insert(o.company).second)
      return err(ErrorCategory::Duplicate, p, "owners", el,
                 fmt::format("company '{}' is listed twice among the owners; expected one share per company",
                             o.company));
    if (!(o.share > 0.0 && o.share <= 1.0))
      return err(ErrorCategory::Value, p, "owners", el,
                 fmt::format("share {} of '{}' is outside (0, 1]", o.share, o.company));
    total += o.share;
  }
  if (total > 1.0 + kShareTolerance)
    return err(ErrorCategory::Value, p, "owners", el,
               fmt::format("owner shares sum to {:.6g}; expected a sum <= 1 (the rest is unattributed)", total));
  if (f.start_year < 0 || f.start_year > 2200)
    return err(ErrorCategory::Value, p, "start_year", el,
               fmt::format("start year {} is not plausible; expected a year such as 2026", f.start_year));
  return ok_status();
}

// The dataset's own vocabulary: the contained unit, the stages in chain order and the units.
Status check_declarations(const Dataset& d) {
  const Provenance none{};
  if (d.stages.empty())
    return err(ErrorCategory::Missing, none, "stage", "",
               "the dataset declares no stages; expected [[stage]] tables in dataset.toml (id, extraction, types)");
  if (d.contained_unit.empty())
    return err(ErrorCategory::Missing, none, "contained_unit", "",
               "the dataset declares no contained unit; expected contained_unit = \"t ...\" in dataset.toml");
  CADENA_TRY(unique_ids(d.stages, [](const StageDef& s) -> const std::string& { return s.id; }, "stage", "stage"));
  CADENA_TRY(unique_ids(d.units, [](const UnitDef& u) -> const std::string& { return u.id; }, "unit", "unit"));
  if (!std::any_of(d.stages.begin(), d.stages.end(), [](const StageDef& s) { return s.extraction; }))
    return err(ErrorCategory::Missing, d.stages.front().prov, "stage", "",
               "no stage is marked extraction = true; expected the first stage of the chain (the mines) to be");
  for (const StageDef& s : d.stages) {
    if (s.id.empty() || s.id == "*") return err(ErrorCategory::Value, s.prov, "stage.id", s.id, "expected a stage id");
    if (s.extraction && s.secondary)
      return err(ErrorCategory::Value, s.prov, "stage.secondary", s.id,
                 "a stage cannot be both extraction and secondary supply; expected one of the two");
  }
  const UnitDef* base = d.find_unit(d.contained_unit);
  if (!base)
    return err(ErrorCategory::Reference, none, "contained_unit", d.contained_unit,
               fmt::format("contained unit '{}' is not declared; expected a [[unit]] with id = \"{}\" and contained = 1",
                           d.contained_unit, d.contained_unit));
  if (!base->contained || std::abs(*base->contained - 1.0) > 1e-12)
    return err(ErrorCategory::Value, base->prov, "unit.contained", base->id,
               fmt::format("the contained unit '{}' converts to itself; expected contained = 1", base->id));
  for (const UnitDef& u : d.units) {
    if (u.contained && !(*u.contained >= 0.0 && std::isfinite(*u.contained)))
      return err(ErrorCategory::Value, u.prov, "unit.contained", u.id,
                 fmt::format("conversion {} is not a finite number >= 0", *u.contained));
    if (u.unmet_penalty && !(*u.unmet_penalty > 0.0 && std::isfinite(*u.unmet_penalty)))
      return err(ErrorCategory::Value, u.prov, "unit.unmet_penalty_usd", u.id,
                 fmt::format("penalty {} is not a finite number > 0", *u.unmet_penalty));
  }
  return ok_status();
}

Status check_product(const Dataset& d, const Product& p) {
  const UnitDef* u = d.find_unit(p.unit);
  if (!u) {
    std::vector<std::string> ids;
    for (const auto& x : d.units) ids.push_back(x.id);
    return err(ErrorCategory::Unit, p.prov, "unit", p.id,
               fmt::format("unknown unit '{}'; expected one of the units declared in dataset.toml: {}", p.unit,
                           join(ids)));
  }
  const StageDef* s = d.find_stage(p.stage);
  if (!s)
    return err(ErrorCategory::Reference, p.prov, "stage", p.id,
               fmt::format("unknown stage '{}'; expected one of the stages declared in dataset.toml: {}", p.stage,
                           stage_list(d)));
  if (s->secondary)
    return err(ErrorCategory::Value, p.prov, "stage", p.id,
               fmt::format("stage '{}' is secondary supply, which makes other stages' products; expected the stage "
                           "whose primary facilities make '{}'",
                           p.stage, p.id));
  if (p.contained_per_unit && !(*p.contained_per_unit >= 0.0 && std::isfinite(*p.contained_per_unit)))
    return err(ErrorCategory::Value, p.prov, "contained_per_unit", p.id,
               fmt::format("{} is not a finite number >= 0", *p.contained_per_unit));
  if (!d.contained_per_unit(p))
    return err(ErrorCategory::Unit, p.prov, "contained_per_unit", p.id,
               fmt::format("unit '{}' has no conversion to the contained unit '{}'; expected contained_per_unit on "
                           "the product (or contained = ... on the [[unit]])",
                           p.unit, d.contained_unit));
  return ok_status();
}

// Whether every product of the stage is measured in `unit` (then an output row in that unit
// compares without conversion: t CAM for cathode, GWh for cells).
bool stage_unit_is(const Dataset& d, std::string_view stage, std::string_view unit) {
  bool any = false;
  for (const Product& p : d.products) {
    if (p.stage != stage) continue;
    if (p.unit != unit) return false;
    any = true;
  }
  return any;
}

Status check_reference(const Dataset& d, const ReferenceStat& r) {
  const std::string el = fmt::format("{}:{}:{}:{}", r.metric, r.key, r.country, r.year);
  if (r.country != "*" && !d.find_region(r.country)) CADENA_TRY(country_ref(d, r.country, r.prov, "country", el, false));
  if (r.metric == "output" || r.metric == "consumption" || r.metric == "share") {
    if (!(r.metric == "consumption" && r.key == "*") && !d.find_stage(r.key))
      return err(ErrorCategory::Reference, r.prov, "key", el,
                 fmt::format("unknown stage '{}'; expected one of the stages declared in dataset.toml: {}", r.key,
                             stage_list(d)));
    if (r.metric == "share") {
      if (r.unit != "share" || !(r.value >= 0.0 && r.value <= 1.0))
        return err(ErrorCategory::Value, r.prov, r.unit != "share" ? "unit" : "value", el,
                   fmt::format("a share row has unit 'share' and a value in [0, 1]; got {} {}", r.value, r.unit));
    } else if (!d.contained_per_unit(r.unit) && !stage_unit_is(d, r.key, r.unit)) {
      return err(ErrorCategory::Unit, r.prov, "unit", el,
                 fmt::format("unit '{}' has no conversion to the contained unit '{}' and is not the unit of stage "
                             "'{}''s products; expected a [[unit]] with contained = ... in dataset.toml, or the "
                             "stage's own unit",
                             r.unit, d.contained_unit, r.key));
    }
  } else if (r.metric == "price") {
    const Product* p = d.find_product(r.key);
    if (!p)
      return err(ErrorCategory::Reference, r.prov, "key", el,
                 fmt::format("unknown product '{}'; expected an id listed in products.csv", r.key));
    if (r.unit != "USD/" + p->unit)
      return err(ErrorCategory::Unit, r.prov, "unit", el,
                 fmt::format("unit '{}' does not match product '{}'; expected 'USD/{}'", r.unit, p->id, p->unit));
  } else {
    return err(ErrorCategory::Value, r.prov, "metric", el,
               fmt::format("unknown metric '{}'; expected output, consumption, share or price", r.metric));
  }
  if (r.year < 1900 || r.year > 2200)
    return err(ErrorCategory::Value, r.prov, "year", el, fmt::format("year {} is not plausible", r.year));
  CADENA_TRY(non_negative(r.value, r.prov, "value", el, "value"));
  if (r.low && !(*r.low <= r.value))
    return err(ErrorCategory::Value, r.prov, "low", el, fmt::format("low {} is above the value {}", *r.low, r.value));
  if (r.high && !(*r.high >= r.value))
    return err(ErrorCategory::Value, r.prov, "high", el, fmt::format("high {} is below the value {}", *r.high, r.value));
  return ok_status();
}

}  // namespace

Status validate(const Dataset& d) {
  const Settings& s = d.settings;
  const Provenance settings_prov{};  // settings errors are rare; io checks types where it has the line
  if (s.year < 1900 || s.year > 2200)
    return err(ErrorCategory::Value, settings_prov, "year", "", fmt::format("year {} is not plausible", s.year));
  if (!(s.unmet_penalty > 0.0))
    return err(ErrorCategory::Value, settings_prov, "unmet_penalty_usd", "", "expected a penalty > 0");
  if (!(s.unmet_penalty_per_gwh > 0.0))
    return err(ErrorCategory::Value, settings_prov, "unmet_penalty_usd_per_gwh", "", "expected a penalty > 0");
  if (!(s.carbon_price >= 0.0))
    return err(ErrorCategory::Value, settings_prov, "carbon_price_usd_per_t", "", "expected a price >= 0");
  if (!(s.production_floor_share >= 0.0 && s.production_floor_share <= 1.0))
    return err(ErrorCategory::Value, settings_prov, "production_floor_share", "",
               fmt::format("expected a share in [0, 1], got {}", s.production_floor_share));
  if (!(s.stock_cost_usd_per_unit >= 0.0))
    return err(ErrorCategory::Value, settings_prov, "stock_cost_usd_per_unit", "", "expected a cost >= 0");

  CADENA_TRY(unique_ids(d.regions, [](const Region& r) -> const std::string& { return r.id; }, "id", "region"));
  CADENA_TRY(unique_ids(d.countries, [](const Country& c) -> const std::string& { return c.code; }, "code", "country"));
  CADENA_TRY(unique_ids(d.companies, [](const Company& c) -> const std::string& { return c.id; }, "id", "company"));
  CADENA_TRY(unique_ids(d.products, [](const Product& p) -> const std::string& { return p.id; }, "id", "product"));
  CADENA_TRY(unique_ids(d.facilities, [](const Facility& f) -> const std::string& { return f.id; }, "id", "facility"));

  for (const Country& c : d.countries) {
    if (!is_iso_code(c.code))
      return err(ErrorCategory::Value, c.prov, "code", c.code,
                 fmt::format("'{}' is not a country code; expected two capital letters (ISO 3166-1 alpha-2)", c.code));
    if (!d.find_region(c.region))
      return err(ErrorCategory::Reference, c.prov, "region", c.code,
                 fmt::format("unknown region '{}'; expected an id listed in regions.csv", c.region));
  }
  for (const Company& c : d.companies) CADENA_TRY(country_ref(d, c.hq_country, c.prov, "hq_country", c.id, false));
  CADENA_TRY(check_declarations(d));
  for (const Product& p : d.products) CADENA_TRY(check_product(d, p));
  for (const Facility& f : d.facilities) CADENA_TRY(check_facility(d, f));

  std::set<std::string> route_keys;
  for (const Route& r : d.routes) {
    const std::string el = fmt::format("{}-{}:{}", r.from, r.to, r.product);
    CADENA_TRY(country_ref(d, r.from, r.prov, "from", el, false));
    CADENA_TRY(country_ref(d, r.to, r.prov, "to", el, false));
    CADENA_TRY(product_ref(d, r.product, r.prov, "product", el, true));
    CADENA_TRY(non_negative(r.cost_per_unit, r.prov, "cost_usd_per_unit", el, "route cost"));
    if (r.capacity) CADENA_TRY(non_negative(*r.capacity, r.prov, "capacity", el, "route capacity"));
    if (!route_keys.insert(el).second)
      return err(ErrorCategory::Duplicate, r.prov, "from", el,
                 fmt::format("route {} is defined twice; expected one row per from/to/product", el));
  }
  std::set<std::string> policy_keys;
  for (const TradePolicy& t : d.policies) {
    const std::string el = fmt::format("{}:{}:{}-{}", t.kind == PolicyKind::ExportDuty ? "export_duty" : "import_tariff",
                                       t.product, t.from, t.to);
    CADENA_TRY(product_ref(d, t.product, t.prov, "product", el, true));
    CADENA_TRY(country_ref(d, t.from, t.prov, "from", el, true));
    CADENA_TRY(country_ref(d, t.to, t.prov, "to", el, true));
    if (!(t.rate >= 0.0 && t.rate <= 1.0))
      return err(ErrorCategory::Value, t.prov, "rate", el,
                 fmt::format("rate {} is outside [0, 1]; expected a fraction (0.045 = 4.5 %)", t.rate));
    CADENA_TRY(non_negative(t.reference_price, t.prov, "reference_price_usd", el, "reference price"));
    if (!policy_keys.insert(el).second)
      return err(ErrorCategory::Duplicate, t.prov, "kind", el,
                 fmt::format("policy {} is defined twice; expected one row per kind/product/from/to", el));
  }
  std::set<std::string> demand_keys;
  for (const Demand& m : d.demands) {
    const std::string el = fmt::format("{}:{}", m.region, m.product);
    if (!d.find_region(m.region))
      return err(ErrorCategory::Reference, m.prov, "region", el,
                 fmt::format("unknown region '{}'; expected an id listed in regions.csv", m.region));
    CADENA_TRY(product_ref(d, m.product, m.prov, "product", el, false));
    CADENA_TRY(non_negative(m.quantity, m.prov, "quantity", el, "demand"));
    if (!(m.stock_build >= 0.0 && m.stock_build <= m.quantity))
      return err(ErrorCategory::Value, m.prov, "stock_build", el,
                 fmt::format("stock build {} is outside [0, quantity {}]; expected the part of the demand that is "
                             "inventory build",
                             m.stock_build, m.quantity));
    if (!demand_keys.insert(el).second)
      return err(ErrorCategory::Duplicate, m.prov, "region", el,
                 fmt::format("demand {} is defined twice; expected one row per region/product", el));
  }
  for (const ReferenceStat& r : d.reference) CADENA_TRY(check_reference(d, r));
  CADENA_TRY(detail::validate_stakes(d));
  CADENA_TRY(detail::validate_rules(d));  // model/rules.cpp
  return ok_status();
}

}  // namespace cadena::model
