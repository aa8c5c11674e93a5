// Policy rules (model::Rule): kind names and the cross-record checks of validate().
#include <fmt/format.h>

#include <array>
#include <set>
#include <string_view>
#include <utility>

#include "cadena/model/dataset.hpp"

namespace cadena::model {

namespace {
constexpr std::array<std::pair<RuleKind, std::string_view>, 15> kRuleKinds{{
    {RuleKind::OriginTariff, "origin_tariff"},
    {RuleKind::OriginQuota, "origin_quota"},
    {RuleKind::RouteQuota, "route_quota"},
    {RuleKind::Ownership, "ownership"},
    {RuleKind::ProductionCredit, "production_credit"},
    {RuleKind::Royalty, "royalty"},
    {RuleKind::DutyExempt, "duty_exempt"},
    {RuleKind::TechExportBan, "tech_export_ban"},
    {RuleKind::LocalValueAdded, "local_value_added"},
    {RuleKind::CarbonCap, "carbon_cap"},
    {RuleKind::WaterCap, "water_cap"},
    {RuleKind::MinOutput, "min_output"},
    {RuleKind::CarbonPrice, "carbon_price"},
    {RuleKind::ExportDuty, "export_duty"},
    {RuleKind::ImportTariff, "import_tariff"},
}};
}  // namespace

const char* to_string(RuleKind k) {
  for (const auto& [kind, name] : kRuleKinds)
    if (kind == k) return name.data();
  return "?";
}

std::optional<RuleKind> parse_rule_kind(std::string_view s) {
  for (const auto& [kind, name] : kRuleKinds)
    if (name == s) return kind;
  return std::nullopt;
}

std::string rule_kind_names() {
  std::string out;
  for (const auto& [kind, name] : kRuleKinds) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

namespace detail {

// Every selector names something the dataset has (or "*"), ids are unique, and each kind has
// the numbers it needs. The first error, at the rule's file and line.
Status validate_rules(const Dataset& d) {
  std::set<std::string> ids;
  for (const auto& r : d.rules) {
    auto bad = [&](ErrorCategory c, std::string key, std::string msg) {
      return make_error(c, fmt::format("rule '{}' ({}): {}", r.id, to_string(r.kind), std::move(msg)),
                        ErrorContext{r.prov.file, r.prov.line, std::move(key), r.id});
    };
    if (!ids.insert(r.id).second) return bad(ErrorCategory::Value, "id", "the id is used by an earlier rule");
    auto country_or_any = [&](const std::string& code, const char* key, bool region_ok) -> Status {
      if (code == "*" || d.find_country(code) || (region_ok && d.find_region(code))) return ok_status();
      return bad(ErrorCategory::Reference, key,
                 fmt::format("unknown {} '{}'; expected a countries.csv code{} or \"*\"", key, code,
                             region_ok ? ", a region id" : ""));
    };
    const bool region_ok = r.kind == RuleKind::Ownership;
    CADENA_TRY(country_or_any(r.country, "country", region_ok));
    CADENA_TRY(country_or_any(r.from, "from", false));
    CADENA_TRY(country_or_any(r.to, "to", false));
    if (r.product != "*" && !d.find_product(r.product))
      return bad(ErrorCategory::Reference, "product", fmt::format("unknown product '{}'", r.product));
    if (r.stage != "*" && !d.find_stage(r.stage))
      return bad(ErrorCategory::Reference, "stage", fmt::format("unknown stage '{}'", r.stage));
    if (r.facility != "*" && !d.find_facility(r.facility))
      return bad(ErrorCategory::Reference, "facility", fmt::format("unknown facility '{}'", r.facility));
    if (!r.owner_country.empty() && !d.find_country(r.owner_country))
      return bad(ErrorCategory::Reference, "owner_country", fmt::format("unknown country '{}'", r.owner_country));
    if (r.from_year != 0 && r.to_year != 0 && r.to_year < r.from_year)
      return bad(ErrorCategory::Value, "to_year", fmt::format("to_year {} is before from_year {}", r.to_year, r.from_year));
    switch (r.kind) {
      case RuleKind::OriginTariff:
        if (r.product == "*" || r.from == "*")
          return bad(ErrorCategory::Value, r.product == "*" ? "product" : "from",
                     "an origin tariff needs a product and an origin country (from)");
        break;
      case RuleKind::OriginQuota:
        if (r.product == "*" || r.from == "*" || !r.quantity)
          return bad(ErrorCategory::Value, !r.quantity ? "quantity" : r.product == "*" ? "product" : "from",
                     "an origin quota needs a product, an origin country (from) and a quantity");
        break;
      case RuleKind::RouteQuota:
      case RuleKind::CarbonCap:
      case RuleKind::WaterCap:
        if (!r.quantity) return bad(ErrorCategory::Missing, "quantity", "a quantity (the cap) is required");
        break;
      case RuleKind::MinOutput:
        if (!r.quantity || r.facility == "*")
          return bad(ErrorCategory::Missing, !r.quantity ? "quantity" : "facility",
                     "a minimum output needs a facility and a quantity");
        break;
      case RuleKind::Ownership:
        if (r.owner_country.empty() || r.country == "*")
          return bad(ErrorCategory::Missing, r.owner_country.empty() ? "owner_country" : "country",
                     "an ownership rule needs the region or country it protects (country) and an owner_country");
        break;
      case RuleKind::LocalValueAdded:
        if (r.country == "*") return bad(ErrorCategory::Missing, "country", "a local value-added rule needs a country");
        break;
      case RuleKind::TechExportBan:
        if (r.country == "*") return bad(ErrorCategory::Missing, "country", "a technology export ban needs the country that keeps the technology");
        break;
      case RuleKind::DutyExempt:
        if (r.facility == "*") return bad(ErrorCategory::Missing, "facility", "a duty exemption needs a facility");
        break;
      case RuleKind::CarbonPrice:
        if (!(r.amount > 0.0))
          return bad(ErrorCategory::Missing, "amount_usd", "a carbon price needs amount_usd, USD per t CO2, above 0");
        break;
      case RuleKind::ExportDuty:
      case RuleKind::ImportTariff: {
        const bool exp = r.kind == RuleKind::ExportDuty;
        if (r.product == "*")
          return bad(ErrorCategory::Missing, "product", "a duty or tariff needs a product (its reference price is per unit of it)");
        if (exp ? r.from == "*" : r.to == "*")
          return bad(ErrorCategory::Missing, exp ? "from" : "to",
                     exp ? "an export duty needs the exporting country (from)" : "an import tariff needs the importing country (to)");
        if (r.rate < 0.0) return bad(ErrorCategory::Value, "rate", fmt::format("rate {} is negative", r.rate));
        if (r.amount < 0.0)
          return bad(ErrorCategory::Value, "amount_usd", fmt::format("amount_usd {} is negative; a duty is paid, not received", r.amount));
        if (r.rate > 0.0 && !(r.reference_price > 0.0))
          return bad(ErrorCategory::Missing, "reference_price_usd", "a rate needs reference_price_usd, the USD per unit it applies to");
        if (!(r.rate > 0.0) && !(r.amount > 0.0))
          return bad(ErrorCategory::Missing, "rate", "a duty needs rate (with reference_price_usd) or amount_usd above 0");
        break;
      }
      case RuleKind::Royalty:
      case RuleKind::ProductionCredit:
        break;
    }
  }
  return ok_status();
}

}  // namespace detail
}  // namespace cadena::model
