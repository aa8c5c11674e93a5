// Cross-record checks of a Dataset. Each error names the row it comes from (the record's
// provenance: file and line), the column and the record id, and says what was expected, so a
// user can fix the file without reading code. Per-value syntax (numbers, enums) is io/'s job.
#include <fmt/format.h>

#include <cmath>
#include <set>
#include <string>

#include "cadena/model/dataset.hpp"

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

// Facility types by stage (docs/data-format.md). A type outside the list is most often a typo
// that would silently drop the facility from type-based reports.
bool known_type(Stage s, std::string_view t) {
  switch (s) {
    case Stage::Mining: return t == "brine" || t == "spodumene" || t == "lepidolite" || t == "clay";
    case Stage::Refining: return t == "carbonate" || t == "hydroxide";
    case Stage::Cathode: return t == "lfp" || t == "nmc";
    case Stage::Cell: return t == "lfp" || t == "nmc";
    case Stage::Recycling: return t == "recycler";
  }
  return false;
}

const char* types_of(Stage s) {
  switch (s) {
    case Stage::Mining: return "brine, spodumene, lepidolite, clay";
    case Stage::Refining: return "carbonate, hydroxide";
    case Stage::Cathode: return "lfp, nmc";
    case Stage::Cell: return "lfp, nmc";
    case Stage::Recycling: return "recycler";
  }
  return "";
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

Status check_facility(const Dataset& d, const Facility& f) {
  const Provenance& p = f.prov;
  const std::string& el = f.id;
  if (f.id.empty()) return err(ErrorCategory::Missing, p, "id", el, "a facility needs an id");
  if (!known_type(f.stage, f.type))
    return err(ErrorCategory::Value, p, "type", el,
               fmt::format("unknown type '{}' for stage {}; expected one of: {}", f.type, to_string(f.stage),
                           types_of(f.stage)));
  CADENA_TRY(country_ref(d, f.country, p, "country", el, false));
  if (f.lat < -90.0 || f.lat > 90.0)
    return err(ErrorCategory::Value, p, "lat", el, fmt::format("latitude {} is outside [-90, 90]", f.lat));
  if (f.lon < -180.0 || f.lon > 180.0)
    return err(ErrorCategory::Value, p, "lon", el, fmt::format("longitude {} is outside [-180, 180]", f.lon));
  CADENA_TRY(product_ref(d, f.output, p, "output", el, false));
  const Product& out = *d.find_product(f.output);
  // Recyclers make refinery-grade salts; every other facility makes its own stage's product.
  if (f.stage != Stage::Recycling && out.stage != f.stage)
    return err(ErrorCategory::Value, p, "output", el,
               fmt::format("a {} facility cannot make '{}', a {} product; expected a product of stage {}",
                           to_string(f.stage), out.id, to_string(out.stage), to_string(f.stage)));
  CADENA_TRY(non_negative(f.capacity, p, "capacity", el, "capacity"));
  if (!(f.availability >= 0.0 && f.availability <= 1.0))
    return err(ErrorCategory::Value, p, "availability", el,
               fmt::format("availability {} is outside [0, 1]; expected the share of nameplate capacity "
                           "available in the dataset year",
                           f.availability));
  if (f.reported_output) CADENA_TRY(non_negative(*f.reported_output, p, "output", el, "reported output"));
  CADENA_TRY(non_negative(f.unit_cost, p, "unit_cost_usd", el, "unit cost"));
  CADENA_TRY(non_negative(f.co2_per_unit, p, "co2_t_per_unit", el, "CO2 intensity"));
  CADENA_TRY(non_negative(f.water_per_unit, p, "water_m3_per_unit", el, "water intensity"));
  if (f.stage == Stage::Mining && !f.inputs.empty())
    return err(ErrorCategory::Value, p, "inputs", el, "a mine has no process inputs; expected an empty field");
  if (f.stage != Stage::Mining && f.inputs.empty())
    return err(ErrorCategory::Missing, p, "inputs", el,
               fmt::format("a {} facility needs process inputs; expected product:amount", to_string(f.stage)));
  for (const ProcessInput& in : f.inputs) {
    CADENA_TRY(product_ref(d, in.product, p, "inputs", el, false));
    if (!(in.per_unit_output > 0.0))
      return err(ErrorCategory::Value, p, "inputs", el,
                 fmt::format("input '{}' has amount {}; expected an amount > 0 per unit of output", in.product,
                             in.per_unit_output));
    const Product& ip = *d.find_product(in.product);
    // Lithium is conserved: one t LCE out needs at least one t LCE in (a yield of at most 100 %).
    if (ip.unit == "t LCE" && out.unit == "t LCE" && in.per_unit_output < 1.0)
      return err(ErrorCategory::Value, p, "inputs", el,
                 fmt::format("input '{}' is {} t LCE per t LCE of output, a yield above 100 %; expected an "
                             "amount >= 1",
                             in.product, in.per_unit_output));
  }
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
  for (const Product& p : d.products)
    if (p.unit != "t LCE" && p.unit != "t CAM" && p.unit != "GWh")
      return err(ErrorCategory::Unit, p.prov, "unit", p.id,
                 fmt::format("unknown unit '{}'; expected one of: t LCE, t CAM, GWh", p.unit));
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
    if (!demand_keys.insert(el).second)
      return err(ErrorCategory::Duplicate, m.prov, "region", el,
                 fmt::format("demand {} is defined twice; expected one row per region/product", el));
  }
  for (const ReferenceStat& r : d.reference) {
    if (!is_iso_code(r.country))
      return err(ErrorCategory::Value, r.prov, "country", r.country,
                 fmt::format("'{}' is not a country code; expected two capital letters (ISO 3166-1 alpha-2)",
                             r.country));
    CADENA_TRY(non_negative(r.t_li, r.prov, "t_li", r.country, "production"));
  }
  return ok_status();
}

}  // namespace cadena::model
