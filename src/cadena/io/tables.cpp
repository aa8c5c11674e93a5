#include "cadena/io/tables.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "cadena/core/text.hpp"
#include "cadena/io/ranges.hpp"

namespace cadena::io::detail {

namespace {

const Columns kRegionColumns{{"id", true}, {"name", true},
                                    {"source", true}, {"estimate", false},
                                    {"note", false}};
const Columns kCountryColumns{{"code", true},    {"name", true},
                                     {"region", true},  {"source", true},
                                     {"estimate", false}, {"note", false}};
const Columns kCompanyColumns{{"id", true},        {"name", true},
                                     {"hq_country", true}, {"source", true},
                                     {"estimate", false},  {"note", false}};
const Columns kProductColumns{{"id", true},     {"name", true},
                                     {"unit", true},   {"stage", false},
                                     {"contained_per_unit", false},
                                     {"source", true}, {"estimate", false},
                                     {"note", false}};
const Columns kRouteColumns{{"from", true},     {"to", true},
                                   {"product", true},  {"cost_usd_per_unit", true},
                                   {"capacity", false}, {"source", true},
                                   {"estimate", false}, {"note", false}};
const Columns kPolicyColumns{{"kind", true},   {"product", true},
                                    {"from", true},   {"to", true},
                                    {"rate", true},   {"reference_price_usd", true},
                                    {"source", true}, {"estimate", false},
                                    {"note", false}};
const Columns kDemandColumns{{"region", true},   {"product", true},
                                    {"quantity", true}, {"stock_build", false}, {"unit", true},
                                    {"source", true},   {"estimate", false},
                                    {"note", false}};
const Columns kStakeColumns{{"holder", true},   {"company", false}, {"facility", false},
                             {"share", true},    {"from", false},    {"until", false},
                             {"source", true},   {"estimate", false}, {"note", false}};
const Columns kReferenceColumns{{"metric", true}, {"key", true},     {"country", true},
                                {"year", true},   {"value", true},   {"unit", true},
                                {"low", false},   {"high", false},   {"source", true},
                                {"estimate", false}, {"note", false}};

std::string column_list(const Columns& cols) {
  std::string out;
  for (const auto& c : cols) {
    if (!out.empty()) out += ", ";
    out += c.name;
  }
  return out;
}

Error field_error(ErrorCategory c, const Record& r, const Field& f, std::string_view element,
                  std::string msg) {
  return make_error(c, std::move(msg), {r.file, f.line ? f.line : r.line, f.key, std::string(element)});
}

Error record_error(ErrorCategory c, const Record& r, std::string_view key, std::string_view element,
                   std::string msg) {
  return make_error(c, std::move(msg), {r.file, r.line, std::string(key), std::string(element)});
}

// A present, non-empty field, or nullptr.
const Field* value_of(const Record& r, std::string_view key) {
  const Field* f = r.find(key);
  return (f && !f->text.empty()) ? f : nullptr;
}

Result<std::string> required_text(const Record& r, std::string_view key, std::string_view element) {
  const Field* f = value_of(r, key);
  if (!f) return record_error(ErrorCategory::Missing, r, key, element, fmt::format("a value for '{}' is required", key));
  return f->text;
}

Result<double> required_number(const Record& r, std::string_view key, std::string_view element) {
  const Field* f = value_of(r, key);
  if (!f) return record_error(ErrorCategory::Missing, r, key, element, fmt::format("a number for '{}' is required", key));
  return parse_number(*f, r, element);
}

}  // namespace

// Fills prov from the record: where it was read and what it cites.
Status read_provenance(const Record& r, std::string_view element, bool complete, model::Provenance& p) {
  p.file = r.file;
  p.line = r.line;
  if (complete) {
    auto src = required_text(r, "source", element);
    if (!src) return src.error();
    p.source = *src;
  } else if (const Field* f = value_of(r, "source")) {
    p.source = f->text;
  }
  if (const Field* f = value_of(r, "estimate")) {
    auto b = parse_bool(*f, r, element);
    if (!b) return b.error();
    p.estimate = *b;
  }
  if (const Field* f = value_of(r, "note")) p.note = f->text;
  return ok_status();
}

namespace {

Status check_unit(const Record& r, const model::Dataset& d, std::string_view product_id,
                  std::string_view element) {
  const Field* u = value_of(r, "unit");
  const model::Product* p = d.find_product(product_id);
  if (!u || !p) return ok_status();  // an unknown product is reported by model::validate
  if (u->text != p->unit)
    return field_error(ErrorCategory::Unit, r, *u, element,
                       fmt::format("unit '{}' does not match product '{}', which is measured in '{}'",
                                   u->text, p->id, p->unit));
  return ok_status();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    parts.push_back(trim(s.substr(start, p == std::string_view::npos ? std::string_view::npos : p - start)));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return parts;
}

std::optional<double> to_double(std::string_view s) {
  s = trim(s);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

// `product:amount` alternatives joined by `|`, groups joined by `+`.
Result<std::vector<model::ProcessInput>> parse_inputs(const Field& f, const Record& r, std::string_view element) {
  std::vector<model::ProcessInput> out;
  const char* expected = "expected product:amount, alternatives joined by '|', required groups by '+' "
                         "(e.g. spodumene_conc:1.05|lepidolite_conc:1.08)";
  int group = 0;
  for (std::string_view g : split(f.text, '+')) {
    for (std::string_view alt : split(g, '|')) {
      size_t colon = alt.find(':');
      if (alt.empty() || colon == std::string_view::npos)
        return field_error(ErrorCategory::Syntax, r, f, element, fmt::format("cannot read '{}': {}", alt, expected));
      std::string_view prod = trim(alt.substr(0, colon));
      auto amount = to_double(alt.substr(colon + 1));
      if (prod.empty())
        return field_error(ErrorCategory::Syntax, r, f, element, fmt::format("cannot read '{}': {}", alt, expected));
      if (!amount)
        return field_error(ErrorCategory::Type, r, f, element,
                           fmt::format("amount '{}' of input '{}' is not a number; {}", trim(alt.substr(colon + 1)),
                                       prod, expected));
      if (auto st = check_range(*key_range("inputs"), *amount); !st)
        return field_error(ErrorCategory::Value, r, f, element, fmt::format("input '{}': {}", prod, st.error().message));
      out.push_back(model::ProcessInput{std::string(prod), *amount, group});
    }
    ++group;
  }
  return out;
}

namespace {

// `company:share;company:share`.
Result<std::vector<model::Ownership>> parse_owners(const Field& f, const Record& r, std::string_view element) {
  std::vector<model::Ownership> out;
  for (std::string_view part : split(f.text, ';')) {
    if (part.empty()) continue;  // a trailing ';'
    size_t colon = part.find(':');
    if (colon == std::string_view::npos || trim(part.substr(0, colon)).empty())
      return field_error(ErrorCategory::Syntax, r, f, element,
                         fmt::format("cannot read owner '{}'; expected company_id:share, joined by ';'", part));
    auto share = to_double(part.substr(colon + 1));
    if (!share)
      return field_error(ErrorCategory::Type, r, f, element,
                         fmt::format("share '{}' of owner '{}' is not a number; expected a fraction in (0, 1]",
                                     trim(part.substr(colon + 1)), trim(part.substr(0, colon))));
    if (auto st = check_range(*key_range("owners"), *share); !st)
      return field_error(ErrorCategory::Value, r, f, element,
                         fmt::format("share of owner '{}': {}", trim(part.substr(0, colon)), st.error().message));
    out.push_back(model::Ownership{std::string(trim(part.substr(0, colon))), *share});
  }
  return out;
}

std::optional<model::PolicyKind> parse_policy_kind(std::string_view s) {
  if (s == "export_duty") return model::PolicyKind::ExportDuty;
  if (s == "import_tariff") return model::PolicyKind::ImportTariff;
  return std::nullopt;
}

}  // namespace

const Columns& region_columns() { return kRegionColumns; }
const Columns& country_columns() { return kCountryColumns; }
const Columns& company_columns() { return kCompanyColumns; }
const Columns& product_columns() { return kProductColumns; }
const Columns& route_columns() { return kRouteColumns; }
const Columns& policy_columns() { return kPolicyColumns; }
const Columns& demand_columns() { return kDemandColumns; }
const Columns& reference_columns() { return kReferenceColumns; }
const Columns& stake_columns() { return kStakeColumns; }

Columns facility_columns(int year) {
  std::string reported = fmt::format("output_{}", year);
  return {{"id", true},          {"name", true},          {"stage", true},   {"type", true},
          {"country", true},     {"lat", false},          {"lon", false},    {"output", true},
          {"capacity", true},    {"availability", false}, {"availability_reason", false}, {"unit", true},          {reported, false},  {"unit_cost_usd", true},
          {"byproduct_credit_usd", false},
          {"inputs", false},     {"co2_t_per_unit", false}, {"water_m3_per_unit", false}, {"brine_m3_per_unit", false},
          {"status", true},      {"start_year", false},   {"owners", false}, {"source", true},
          {"estimate", false},   {"note", false}};
}

Status check_header(const CsvTable& t, const Columns& columns) {
  for (const std::string& h : t.header) {
    bool known = false;
    for (const auto& c : columns) known = known || c.name == h;
    if (!known)
      return make_error(ErrorCategory::Syntax,
                        fmt::format("unknown column '{}'; expected columns: {}", h, column_list(columns)),
                        {t.file, t.header_line, h, ""});
  }
  for (const auto& c : columns)
    if (c.required && t.column(c.name) < 0)
      return make_error(ErrorCategory::Missing, fmt::format("required column '{}' is not in the header", c.name),
                        {t.file, t.header_line, std::string(c.name), ""});
  return ok_status();
}

Status check_keys(const Record& r, const Columns& columns, std::string_view what) {
  for (const Field& f : r.fields) {
    bool known = false;
    for (const auto& c : columns) known = known || c.name == f.key;
    if (!known)
      return make_error(ErrorCategory::Syntax,
                        fmt::format("unknown key '{}' in {}; expected keys: {}", f.key, what, column_list(columns)),
                        {r.file, f.line, f.key, ""});
  }
  return ok_status();
}

Record record_of(const CsvTable& t, const CsvRow& row) {
  Record r{t.file, row.line, {}};
  r.fields.reserve(t.header.size());
  for (size_t i = 0; i < t.header.size(); ++i) r.fields.push_back(Field{t.header[i], row.fields[i], row.line});
  return r;
}

Result<double> parse_number(const Field& f, const Record& r, std::string_view element) {
  auto v = to_double(f.text);
  if (!v)
    return field_error(ErrorCategory::Type, r, f, element,
                       fmt::format("{} is not a number; expected a plain decimal like 1250.5 (no thousands "
                                   "separators, no units)",
                                   echo(f.text)));
  // The key's valid range (ranges.cpp), where the line is known.
  if (const KeyRange* range = key_range(f.key))
    if (auto st = check_range(*range, *v); !st) return field_error(ErrorCategory::Value, r, f, element, st.error().message);
  return *v;
}

Result<int> parse_integer(const Field& f, const Record& r, std::string_view element) {
  std::string_view s = trim(f.text);
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size())
    return field_error(ErrorCategory::Type, r, f, element, fmt::format("{} is not an integer; expected e.g. 2024", echo(f.text)));
  if (const KeyRange* range = key_range(f.key))
    if (auto st = check_range(*range, v); !st) return field_error(ErrorCategory::Value, r, f, element, st.error().message);
  return v;
}

Result<bool> parse_bool(const Field& f, const Record& r, std::string_view element) {
  std::string_view s = trim(f.text);
  if (s == "yes" || s == "true") return true;
  if (s == "no" || s == "false" || s.empty()) return false;
  return field_error(ErrorCategory::Type, r, f, element, fmt::format("{} is not yes/no (or true/false)", echo(f.text)));
}

Result<model::Region> read_region(const Record& r) {
  model::Region x;
  CADENA_ASSIGN(x.id, required_text(r, "id", ""));
  CADENA_ASSIGN(x.name, required_text(r, "name", x.id));
  CADENA_TRY(read_provenance(r, x.id, true, x.prov));
  return x;
}

Result<model::Country> read_country(const Record& r) {
  model::Country x;
  CADENA_ASSIGN(x.code, required_text(r, "code", ""));
  CADENA_ASSIGN(x.name, required_text(r, "name", x.code));
  CADENA_ASSIGN(x.region, required_text(r, "region", x.code));
  CADENA_TRY(read_provenance(r, x.code, true, x.prov));
  return x;
}

Result<model::Company> read_company(const Record& r) {
  model::Company x;
  CADENA_ASSIGN(x.id, required_text(r, "id", ""));
  CADENA_ASSIGN(x.name, required_text(r, "name", x.id));
  CADENA_ASSIGN(x.hq_country, required_text(r, "hq_country", x.id));
  CADENA_TRY(read_provenance(r, x.id, true, x.prov));
  return x;
}

Result<model::Product> read_product(const Record& r, const model::Dataset& d) {
  model::Product x;
  CADENA_ASSIGN(x.id, required_text(r, "id", ""));
  CADENA_ASSIGN(x.name, required_text(r, "name", x.id));
  CADENA_ASSIGN(x.unit, required_text(r, "unit", x.id));
  if (!d.units.empty() && !d.find_unit(x.unit)) {
    std::string ids;
    for (const auto& u : d.units) ids += (ids.empty() ? "" : ", ") + u.id;
    return field_error(ErrorCategory::Unit, r, *r.find("unit"), x.id,
                       fmt::format("unknown unit '{}'; expected one of the units declared in dataset.toml: {}", x.unit, ids));
  }
  // The stage is checked against the declared stages by model::validate; it may also come from a
  // [[stage]] products list in dataset.toml.
  if (const Field* f = value_of(r, "stage")) x.stage = f->text;
  if (const Field* f = value_of(r, "contained_per_unit")) CADENA_ASSIGN(x.contained_per_unit, parse_number(*f, r, x.id));
  CADENA_TRY(read_provenance(r, x.id, true, x.prov));
  return x;
}

Status read_facility(const Record& r, const model::Dataset& d, bool complete, model::Facility& out) {
  model::Facility& x = out;
  if (complete || value_of(r, "id")) CADENA_ASSIGN(x.id, required_text(r, "id", ""));
  const std::string el = x.id;
  auto text = [&](std::string_view key, std::string& dst) -> Status {
    if (complete) {
      CADENA_ASSIGN(dst, required_text(r, key, el));
    } else if (const Field* f = value_of(r, key)) {
      dst = f->text;
    }
    return ok_status();
  };
  auto number = [&](std::string_view key, double& dst, bool required) -> Status {
    const Field* f = value_of(r, key);
    if (!f) {
      if (complete && required)
        return record_error(ErrorCategory::Missing, r, key, el, fmt::format("a number for '{}' is required", key));
      return ok_status();
    }
    CADENA_ASSIGN(dst, parse_number(*f, r, el));
    return ok_status();
  };
  CADENA_TRY(text("name", x.name));
  CADENA_TRY(text("stage", x.stage));  // a declared stage: model::validate checks it
  CADENA_TRY(text("type", x.type));
  CADENA_TRY(text("country", x.country));
  CADENA_TRY(number("lat", x.lat, false));
  CADENA_TRY(number("lon", x.lon, false));
  CADENA_TRY(text("output", x.output));
  CADENA_TRY(number("capacity", x.capacity, true));
  CADENA_TRY(number("availability", x.availability, false));
  if (const Field* f = r.find("availability_reason")) x.availability_reason = f->text;
  if (complete && !value_of(r, "unit"))
    return record_error(ErrorCategory::Missing, r, "unit", el, "a value for 'unit' is required (the output product's unit)");
  CADENA_TRY(check_unit(r, d, x.output, el));
  if (const Field* f = value_of(r, fmt::format("output_{}", d.settings.year))) {
    CADENA_ASSIGN(x.reported_output, parse_number(*f, r, el));
  }
  CADENA_TRY(number("unit_cost_usd", x.unit_cost, true));
  CADENA_TRY(number("byproduct_credit_usd", x.byproduct_credit, false));
  if (const Field* f = r.find("inputs")) {
    if (f->text.empty())
      x.inputs.clear();
    else
      CADENA_ASSIGN(x.inputs, parse_inputs(*f, r, el));
  }
  CADENA_TRY(number("co2_t_per_unit", x.co2_per_unit, false));
  CADENA_TRY(number("water_m3_per_unit", x.water_per_unit, false));
  CADENA_TRY(number("brine_m3_per_unit", x.brine_per_unit, false));
  std::string status_text;
  CADENA_TRY(text("status", status_text));
  if (!status_text.empty()) {
    auto s = model::parse_facility_status(status_text);
    if (!s)
      return field_error(ErrorCategory::Value, r, *r.find("status"), el,
                         fmt::format("unknown status '{}'; expected one of: operating, construction, planned, announced, "
                                     "suspended, cancelled",
                                     status_text));
    x.status = *s;
  }
  if (const Field* f = value_of(r, "start_year")) CADENA_ASSIGN(x.start_year, parse_integer(*f, r, el));
  if (const Field* f = r.find("owners")) {
    if (f->text.empty())
      x.owners.clear();
    else
      CADENA_ASSIGN(x.owners, parse_owners(*f, r, el));
  }
  model::Provenance p = x.prov;
  CADENA_TRY(read_provenance(r, el, complete, p));
  x.prov = std::move(p);
  return ok_status();
}

Status read_route(const Record& r, bool complete, model::Route& x) {
  CADENA_ASSIGN(x.from, required_text(r, "from", ""));
  CADENA_ASSIGN(x.to, required_text(r, "to", ""));
  CADENA_ASSIGN(x.product, required_text(r, "product", ""));
  const std::string el = fmt::format("{}-{}:{}", x.from, x.to, x.product);
  if (complete || value_of(r, "cost_usd_per_unit"))
    CADENA_ASSIGN(x.cost_per_unit, required_number(r, "cost_usd_per_unit", el));
  if (const Field* f = r.find("capacity")) {
    if (f->text.empty())
      x.capacity.reset();  // empty = unlimited, also in an override
    else
      CADENA_ASSIGN(x.capacity, parse_number(*f, r, el));
  }
  return read_provenance(r, el, complete, x.prov);
}

Status read_policy(const Record& r, bool complete, model::TradePolicy& x) {
  std::string kind;
  CADENA_ASSIGN(kind, required_text(r, "kind", ""));
  CADENA_ASSIGN(x.product, required_text(r, "product", ""));
  CADENA_ASSIGN(x.from, required_text(r, "from", ""));
  CADENA_ASSIGN(x.to, required_text(r, "to", ""));
  const std::string el = fmt::format("{}:{}:{}-{}", kind, x.product, x.from, x.to);
  auto k = parse_policy_kind(kind);
  if (!k)
    return field_error(ErrorCategory::Value, r, *r.find("kind"), el,
                       fmt::format("unknown policy kind '{}'; expected export_duty or import_tariff", kind));
  x.kind = *k;
  if (complete || value_of(r, "rate")) CADENA_ASSIGN(x.rate, required_number(r, "rate", el));
  if (complete || value_of(r, "reference_price_usd"))
    CADENA_ASSIGN(x.reference_price, required_number(r, "reference_price_usd", el));
  return read_provenance(r, el, complete, x.prov);
}

Status read_demand(const Record& r, const model::Dataset& d, bool complete, model::Demand& x) {
  CADENA_ASSIGN(x.region, required_text(r, "region", ""));
  CADENA_ASSIGN(x.product, required_text(r, "product", ""));
  const std::string el = fmt::format("{}:{}", x.region, x.product);
  if (complete || value_of(r, "quantity")) CADENA_ASSIGN(x.quantity, required_number(r, "quantity", el));
  if (const Field* f = value_of(r, "stock_build")) CADENA_ASSIGN(x.stock_build, parse_number(*f, r, el));
  if (complete && !value_of(r, "unit"))
    return record_error(ErrorCategory::Missing, r, "unit", el, "a value for 'unit' is required (the product's unit)");
  CADENA_TRY(check_unit(r, d, x.product, el));
  return read_provenance(r, el, complete, x.prov);
}

Result<model::Stake> read_stake(const Record& r) {
  model::Stake x;
  CADENA_ASSIGN(x.holder, required_text(r, "holder", ""));
  if (const Field* f = value_of(r, "company")) x.company = f->text;
  if (const Field* f = value_of(r, "facility")) x.facility = f->text;
  const std::string el = fmt::format("{}:{}", x.holder, x.company.empty() ? x.facility : x.company);
  CADENA_ASSIGN(x.share, required_number(r, "share", el));
  if (const Field* f = value_of(r, "from")) x.from = f->text;
  if (const Field* f = value_of(r, "until")) x.until = f->text;
  CADENA_TRY(read_provenance(r, el, true, x.prov));
  return x;
}

Result<model::ReferenceStat> read_reference(const Record& r) {
  model::ReferenceStat x;
  CADENA_ASSIGN(x.metric, required_text(r, "metric", ""));
  CADENA_ASSIGN(x.key, required_text(r, "key", ""));
  CADENA_ASSIGN(x.country, required_text(r, "country", ""));
  const std::string el = fmt::format("{}:{}:{}", x.metric, x.key, x.country);
  const Field* y = value_of(r, "year");
  if (!y) return record_error(ErrorCategory::Missing, r, "year", el, "a value for 'year' is required");
  CADENA_ASSIGN(x.year, parse_integer(*y, r, el));
  CADENA_ASSIGN(x.value, required_number(r, "value", el));
  CADENA_ASSIGN(x.unit, required_text(r, "unit", el));
  if (const Field* f = value_of(r, "low")) CADENA_ASSIGN(x.low, parse_number(*f, r, el));
  if (const Field* f = value_of(r, "high")) CADENA_ASSIGN(x.high, parse_number(*f, r, el));
  CADENA_TRY(read_provenance(r, el, true, x.prov));
  return x;
}

bool is_setting_key(std::string_view key) {
  return key == "year" || key == "unmet_penalty_usd" || key == "unmet_penalty_usd_per_gwh" ||
         key == "carbon_price_usd_per_t" || key == "include_non_operating" || key == "production_floor" ||
         key == "production_floor_share" || key == "stock_cost_usd_per_unit";
}

Status apply_setting(const Field& f, const std::string& file, model::Settings& s) {
  Record r{file, f.line, {f}};
  // Ranges are checked here, where the line is known; model::validate repeats them for
  // datasets built in code.
  auto in_range = [&](double v, bool ok, const char* expected) -> Status {
    if (!ok)
      return make_error(ErrorCategory::Value, fmt::format("{} is out of range; expected {}", v, expected),
                        {file, f.line, f.key, ""});
    return ok_status();
  };
  if (f.key == "year") {
    CADENA_ASSIGN(s.year, parse_integer(f, r, ""));
    CADENA_TRY(in_range(s.year, s.year >= 1900 && s.year <= 2200, "a year between 1900 and 2200"));
  } else if (f.key == "unmet_penalty_usd") {
    CADENA_ASSIGN(s.unmet_penalty, parse_number(f, r, ""));
    CADENA_TRY(in_range(s.unmet_penalty, s.unmet_penalty > 0, "a penalty > 0 USD per unit"));
  } else if (f.key == "unmet_penalty_usd_per_gwh") {
    CADENA_ASSIGN(s.unmet_penalty_per_gwh, parse_number(f, r, ""));
    CADENA_TRY(in_range(s.unmet_penalty_per_gwh, s.unmet_penalty_per_gwh > 0, "a penalty > 0 USD per GWh"));
  } else if (f.key == "carbon_price_usd_per_t") {
    CADENA_ASSIGN(s.carbon_price, parse_number(f, r, ""));
    CADENA_TRY(in_range(s.carbon_price, s.carbon_price >= 0, "a price >= 0 USD per t CO2"));
  } else if (f.key == "include_non_operating") {
    CADENA_ASSIGN(s.include_non_operating, parse_bool(f, r, ""));
  } else if (f.key == "production_floor") {
    if (f.text == "none") {
      s.production_floor = model::Settings::ProductionFloor::None;
    } else if (f.text == "reported") {
      s.production_floor = model::Settings::ProductionFloor::Reported;
    } else {
      return make_error(ErrorCategory::Value,
                        fmt::format("unknown production_floor '{}'; expected \"none\" or \"reported\"", f.text),
                        {file, f.line, f.key, ""});
    }
  } else if (f.key == "production_floor_share") {
    CADENA_ASSIGN(s.production_floor_share, parse_number(f, r, ""));
    CADENA_TRY(in_range(s.production_floor_share, s.production_floor_share >= 0 && s.production_floor_share <= 1,
                        "a share between 0 and 1"));
  } else if (f.key == "stock_cost_usd_per_unit") {
    CADENA_ASSIGN(s.stock_cost_usd_per_unit, parse_number(f, r, ""));
    CADENA_TRY(in_range(s.stock_cost_usd_per_unit, s.stock_cost_usd_per_unit >= 0, "a cost >= 0 USD per unit"));
  } else {
    return make_error(ErrorCategory::Syntax,
                      fmt::format("unknown setting '{}'; expected one of: year, unmet_penalty_usd, "
                                  "unmet_penalty_usd_per_gwh, carbon_price_usd_per_t, include_non_operating, production_floor, "
                                  "production_floor_share, stock_cost_usd_per_unit",
                                  f.key),
                      {file, f.line, f.key, ""});
  }
  return ok_status();
}

// Policy rules (scenario [[rule]]; docs/data-format.md "Policy rules").
const Columns& rule_columns() {
  static const Columns cols{{"id", true},       {"kind", true},          {"product", false},  {"stage", false},
                            {"type", false},    {"facility", false},     {"country", false},  {"from", false},
                            {"to", false},      {"owner_country", false}, {"rate", false},    {"reference_price_usd", false},
                            {"amount_usd", false}, {"quantity", false},  {"share", false},    {"brackets", false},
                            {"from_year", false}, {"to_year", false},    {"source", false},   {"estimate", false},
                            {"note", false}};
  return cols;
}

Status read_rule(const Record& r, bool complete, model::Rule& x) {
  CADENA_ASSIGN(x.id, required_text(r, "id", ""));
  const std::string& el = x.id;
  if (complete || value_of(r, "kind")) {
    std::string kind;
    CADENA_ASSIGN(kind, required_text(r, "kind", el));
    auto k = model::parse_rule_kind(kind);
    if (!k)
      return field_error(ErrorCategory::Value, r, *r.find("kind"), el,
                         fmt::format("unknown rule kind '{}'; expected one of {}", kind, model::rule_kind_names()));
    x.kind = *k;
  }
  for (auto [key, into] : {std::pair<const char*, std::string*>{"product", &x.product}, {"stage", &x.stage},
                           {"type", &x.type}, {"facility", &x.facility}, {"country", &x.country}, {"from", &x.from},
                           {"to", &x.to}, {"owner_country", &x.owner_country}})
    if (const Field* f = value_of(r, key)) *into = f->text;
  for (auto [key, into] : {std::pair<const char*, double*>{"rate", &x.rate}, {"reference_price_usd", &x.reference_price},
                           {"amount_usd", &x.amount}, {"share", &x.share}})
    if (const Field* f = value_of(r, key)) CADENA_ASSIGN(*into, parse_number(*f, r, el));
  if (const Field* f = value_of(r, "quantity")) {
    double q = 0;
    CADENA_ASSIGN(q, parse_number(*f, r, el));
    x.quantity = q;
  }
  for (auto [key, into] : {std::pair<const char*, int*>{"from_year", &x.from_year}, {"to_year", &x.to_year}})
    if (const Field* f = value_of(r, key)) CADENA_ASSIGN(*into, parse_integer(*f, r, el));
  if (const Field* f = value_of(r, "brackets")) {
    // "price:rate,price:rate" with prices increasing from 0 and rates in [0, 1].
    x.brackets.clear();
    std::string_view text = f->text;
    while (!text.empty()) {
      const std::size_t comma = text.find(',');
      std::string_view item = text.substr(0, comma);
      const std::size_t colon = item.find(':');
      auto price = colon == std::string_view::npos ? std::nullopt : to_double(item.substr(0, colon));
      auto rate = colon == std::string_view::npos ? std::nullopt : to_double(item.substr(colon + 1));
      const double last = x.brackets.empty() ? -1.0 : x.brackets.back().first;
      if (!price || !rate || *price < 0 || *price <= last || *rate < 0 || *rate > 1 || (x.brackets.empty() && *price != 0))
        return field_error(ErrorCategory::Syntax, r, *f, el,
                           fmt::format("cannot read '{}'; expected price:rate pairs like \"0:0.068,4000:0.08\", prices "
                                       "increasing from 0, rates between 0 and 1",
                                       item));
      x.brackets.emplace_back(*price, *rate);
      if (comma == std::string_view::npos) break;
      text.remove_prefix(comma + 1);
    }
  }
  return read_provenance(r, el, complete, x.prov);
}

}  // namespace cadena::io::detail
