#include "cadena/model/pathway.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace cadena::model {

namespace {

Error err(ErrorCategory c, const Provenance& p, std::string_view key, std::string_view element, std::string msg) {
  return make_error(c, std::move(msg), {p.file, p.line, std::string(key), std::string(element)});
}

// Series anchored at the dataset year: their points must lie after it.
bool anchored(std::string_view series) { return series != "collection"; }

constexpr const char* kSeries[] = {"total", "share", "demand", "growth", "intensity", "collection"};

Status check_ramp(const std::vector<double>& ramp, const Provenance& p, std::string_view el) {
  for (std::size_t i = 0; i < ramp.size(); ++i)
    if (!(ramp[i] > 0.0 && ramp[i] <= 1.0))
      return err(ErrorCategory::Value, p, "ramp_up", el,
                 fmt::format("ramp-up share {} in year {} of output is outside (0, 1]; expected shares of nameplate "
                             "capacity such as 0.3;0.7;1",
                             ramp[i], i + 1));
  return ok_status();
}

Status check_lead_time(int lead, int horizon_years, const PathwayData& p, const Provenance& prov, std::string_view el) {
  if (lead < 0 || lead > horizon_years)
    return err(ErrorCategory::Value, prov, "lead_time_years", el,
               fmt::format("lead time {} years is longer than the pathway horizon of {} years ({} last_year); expected "
                           "0 to {} years",
                           lead, horizon_years, p.file.empty() ? std::string("pathway.toml") : p.file, horizon_years));
  return ok_status();
}

// The unit of a demand group: the unit of the products its share rows name.
std::map<std::string, std::string> group_units(const Dataset& d, const PathwayData& p) {
  std::map<std::string, std::string> out;
  for (const auto& r : p.paths) {
    if (r.series != "share" || r.product.rfind("outside:", 0) == 0) continue;
    if (const auto* pr = d.find_product(r.product)) out.emplace(r.group, pr->unit);
  }
  return out;
}

}  // namespace

const ProjectData* PathwayData::find_project(std::string_view facility) const {
  for (const auto& x : projects)
    if (x.facility == facility) return &x;
  return nullptr;
}

const ExpansionOption* PathwayData::find_option(std::string_view id) const {
  for (const auto& x : options)
    if (x.id == id) return &x;
  return nullptr;
}

std::vector<std::string> PathwayData::path_names() const {
  std::set<std::string> names;
  for (const auto& r : paths)
    if (r.path != "*") names.insert(r.path);
  return {names.begin(), names.end()};
}

std::string option_facility_id(const ExpansionOption& o, std::string_view owner) {
  return fmt::format("{}@{}", o.id, owner);
}

std::string investors_company_id(std::string_view country) { return fmt::format("investors_{}", country); }

Dataset with_options(const Dataset& d, const PathwayData& p) {
  Dataset out = d;
  for (const auto& o : p.options) {
    for (const auto& owner : o.owner_countries) {
      const std::string company = investors_company_id(owner);
      if (!out.find_company(company)) {
        const auto* c = d.find_country(owner);
        Company co;
        co.id = company;
        co.name = fmt::format("Investors of {} (expansion options)", c ? c->name : owner);
        co.hq_country = owner;
        co.prov = o.prov;
        out.companies.push_back(std::move(co));
      }
      Facility f;
      f.id = option_facility_id(o, owner);
      f.name = fmt::format("{} ({}-owned expansion)", o.id, owner);
      f.stage = o.stage;
      f.type = o.type;
      f.country = o.country;
      f.output = o.output;
      f.capacity = 0.0;
      f.unit_cost = o.unit_cost;
      f.inputs = o.inputs;
      f.co2_per_unit = o.co2_per_unit;
      f.water_per_unit = o.water_per_unit;
      f.status = FacilityStatus::Announced;  // nothing exists until the pathway builds it
      f.owners = {Ownership{company, 1.0}};
      f.prov = o.prov;
      out.facilities.push_back(std::move(f));
    }
  }
  return out;
}

Result<std::vector<int>> parse_years(std::string_view spec) {
  auto bad = [&](std::string what) {
    return make_error(ErrorCategory::Value,
                      fmt::format("cannot use years '{}': {}; expected FIRST:LAST, FIRST:LAST:STEP or a list such as "
                                  "2024,2030,2035",
                                  spec, what),
                      ErrorContext{"", 0, "years", std::string(spec)});
  };
  auto to_int = [](std::string_view s, int& out) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (s.empty()) return false;
    int v = 0;
    for (char c : s) {
      if (c < '0' || c > '9' || v > 100000) return false;
      v = v * 10 + (c - '0');
    }
    out = v;
    return true;
  };
  std::vector<int> years;
  if (spec.find(':') != std::string_view::npos) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
      const std::size_t c = spec.find(':', start);
      parts.push_back(spec.substr(start, c == std::string_view::npos ? std::string_view::npos : c - start));
      if (c == std::string_view::npos) break;
      start = c + 1;
    }
    int first = 0, last = 0, step = 1;
    if (parts.size() > 3 || !to_int(parts[0], first) || !to_int(parts[1], last) ||
        (parts.size() == 3 && !to_int(parts[2], step)))
      return bad("not whole years");
    if (step < 1) return bad("the step must be at least 1 year");
    if (last < first) return bad(fmt::format("the last year {} is before the first {} (years out of order)", last, first));
    years.push_back(first);
    for (int y = first + 1; y <= last; ++y)
      if (y % step == 0 || y == last) years.push_back(y);
  } else {
    std::size_t start = 0;
    while (start <= spec.size()) {
      std::size_t c = spec.find(',', start);
      if (c == std::string_view::npos) c = spec.size();
      int y = 0;
      if (!to_int(spec.substr(start, c - start), y)) return bad("not whole years");
      years.push_back(y);
      start = c + 1;
    }
  }
  for (std::size_t i = 0; i < years.size(); ++i) {
    if (years[i] < 1900 || years[i] > 2200) return bad(fmt::format("year {} is outside 1900..2200", years[i]));
    if (i > 0 && years[i] <= years[i - 1])
      return bad(fmt::format("year {} comes after {} (years out of order); expected increasing years", years[i], years[i - 1]));
  }
  return years;
}

std::vector<double> period_weights(const std::vector<int>& years) {
  std::vector<double> w(years.size(), 1.0);
  for (std::size_t i = 0; i + 1 < years.size(); ++i) w[i] = years[i + 1] - years[i];
  return w;
}

Status validate_pathway(const Dataset& d, const PathwayData& p) {
  if (!p.present) return ok_status();
  const int y0 = d.settings.year;
  if (p.last_year <= y0)
    return err(ErrorCategory::Value, Provenance{p.file, 0, "", false, ""}, "last_year", "",
               fmt::format("last_year {} is not after the dataset year {}; expected the last year the pathway data covers",
                           p.last_year, y0));
  const int horizon = p.last_year - y0;
  const Provenance top{p.file, 0, "", false, ""};
  if (!(p.discount_rate > -1.0 && p.discount_rate <= 1.0))
    return err(ErrorCategory::Value, top, "discount_rate", "", fmt::format("discount rate {} is outside (-1, 1]", p.discount_rate));
  CADENA_TRY(check_ramp(p.default_ramp_up, top, "default_ramp_up"));

  // paths.csv
  const auto units = group_units(d, p);
  std::set<std::string> groups;
  for (const auto& r : p.paths)
    if (r.series == "total" || r.series == "share") groups.insert(r.group);
  std::map<std::tuple<std::string, std::string, std::string, std::string, std::string>, int> last_year_of;
  for (const auto& r : p.paths) {
    const std::string el = fmt::format("{}:{}:{}:{}", r.path, r.series, r.group.empty() ? r.product : r.group, r.region);
    if (std::find(std::begin(kSeries), std::end(kSeries), r.series) == std::end(kSeries))
      return err(ErrorCategory::Value, r.prov, "series", el,
                 fmt::format("unknown series '{}'; expected total, share, demand, growth, intensity or collection", r.series));
    if (r.region != "*" && !d.find_region(r.region))
      return err(ErrorCategory::Reference, r.prov, "region", el,
                 fmt::format("unknown region '{}'; expected a regions.csv id or '*'", r.region));
    if ((r.series == "total" || r.series == "share") && r.group.empty())
      return err(ErrorCategory::Missing, r.prov, "group", el, fmt::format("a {} row needs a group (e.g. cells)", r.series));
    const bool outside = r.series == "share" && r.product.rfind("outside:", 0) == 0;
    if (r.series == "share" || r.series == "demand" || r.series == "intensity" ||
        (r.series == "growth" && r.product != "*")) {
      if (!outside && !d.find_product(r.product))
        return err(ErrorCategory::Reference, r.prov, "product", el,
                   fmt::format("unknown product '{}'; expected a products.csv id{}", r.product,
                               r.series == "share" ? " or outside:<name>" : r.series == "growth" ? " or '*'" : ""));
    }
    if ((r.series == "share" || r.series == "collection") && !(r.value >= 0.0 && r.value <= 1.0))
      return err(ErrorCategory::Value, r.prov, "value", el, fmt::format("share {} is outside [0, 1]", r.value));
    if (r.series == "intensity" && !(r.value > 0.0))
      return err(ErrorCategory::Value, r.prov, "value", el, "expected a contained amount per unit > 0");
    if (!(r.value >= 0.0)) return err(ErrorCategory::Value, r.prov, "value", el, "expected a value >= 0");
    // Units: a total in its group's unit, a demand in its product's, intensity in contained per unit.
    std::string want;
    if (r.series == "total") {
      auto it = units.find(r.group);
      if (it == units.end())
        return err(ErrorCategory::Reference, r.prov, "group", el,
                   fmt::format("group '{}' has no share rows naming a product; expected share rows that say which "
                               "products make up the group",
                               r.group));
      want = it->second;
    } else if (r.series == "demand") {
      want = d.find_product(r.product)->unit;
    } else if (r.series == "intensity") {
      want = fmt::format("{}/{}", d.contained_unit, d.find_product(r.product)->unit);
    } else if (r.series == "growth") {
      want = "index";
    } else {
      want = "share";
    }
    if (r.unit != want)
      return err(ErrorCategory::Unit, r.prov, "unit", el,
                 fmt::format("unit '{}' does not fit a {} row; expected '{}'", r.unit, r.series, want));
    if (anchored(r.series) && r.year <= y0)
      return err(ErrorCategory::Value, r.prov, "year", el,
                 fmt::format("year {} is not after the dataset year {}; the dataset's own tables are the {} value of "
                             "every series, expected a later year",
                             r.year, y0, y0));
    auto key = std::make_tuple(r.path, r.series, r.group, r.product, r.region);
    auto [it, fresh] = last_year_of.emplace(key, r.year);
    if (!fresh) {
      if (r.year <= it->second)
        return err(ErrorCategory::Value, r.prov, "year", el,
                   fmt::format("year {} comes after year {} of the same series; expected the years of a series in "
                               "increasing order",
                               r.year, it->second));
      it->second = r.year;
    }
  }
  // A product belongs to at most one group.
  std::map<std::string, std::string> group_of;
  for (const auto& r : p.paths) {
    if (r.series != "share" || r.product.rfind("outside:", 0) == 0) continue;
    auto [it, fresh] = group_of.emplace(r.product, r.group);
    if (!fresh && it->second != r.group)
      return err(ErrorCategory::Value, r.prov, "group", r.product,
                 fmt::format("product '{}' is in groups '{}' and '{}'; expected one group per product", r.product,
                             it->second, r.group));
    if (units.at(r.group) != d.find_product(r.product)->unit)
      return err(ErrorCategory::Unit, r.prov, "product", r.product,
                 fmt::format("products of group '{}' must share one unit ('{}'); '{}' is in '{}'", r.group,
                             units.at(r.group), r.product, d.find_product(r.product)->unit));
  }
  if (!p.demand_path.empty()) {
    const auto names = p.path_names();
    if (std::find(names.begin(), names.end(), p.demand_path) == names.end())
      return err(ErrorCategory::Reference, top, "demand_path", p.demand_path,
                 fmt::format("paths.csv has no path '{}'", p.demand_path));
  }

  // projects.csv
  std::set<std::string> seen;
  std::set<std::string> deposits;
  for (const auto& x : p.projects) {
    const auto* f = d.find_facility(x.facility);
    if (!f)
      return err(ErrorCategory::Reference, x.prov, "facility", x.facility,
                 fmt::format("unknown facility '{}'; expected a facilities.csv id", x.facility));
    if (!seen.insert(x.facility).second)
      return err(ErrorCategory::Duplicate, x.prov, "facility", x.facility, "one projects.csv row per facility");
    if (f->status == FacilityStatus::Cancelled)
      return err(ErrorCategory::Value, x.prov, "facility", x.facility,
                 fmt::format("facility '{}' is cancelled; expected an operating facility (retirement) or a project "
                             "(construction, planned, announced, suspended)",
                             x.facility));
    CADENA_TRY(check_ramp(x.ramp_up, x.prov, x.facility));
    CADENA_TRY(check_lead_time(x.lead_time_years, horizon, p, x.prov, x.facility));
    if (x.retirement_year != 0 && x.retirement_year <= y0)
      return err(ErrorCategory::Value, x.prov, "retirement_year", x.facility,
                 fmt::format("retirement year {} is not after the dataset year {}; a plant retired already is not in "
                             "facilities.csv as operating",
                             x.retirement_year, y0));
    if (x.earliest_year != 0 && x.retirement_year != 0 && x.retirement_year <= x.earliest_year)
      return err(ErrorCategory::Value, x.prov, "retirement_year", x.facility, "retires before it may start");
    deposits.insert(x.deposit.empty() ? x.facility : x.deposit);
  }

  // options.csv: each option as the facilities it becomes, checked by the dataset's own rules.
  seen.clear();
  for (const auto& o : p.options) {
    if (!seen.insert(o.id).second) return err(ErrorCategory::Duplicate, o.prov, "id", o.id, "duplicate option id");
    if (o.owner_countries.empty())
      return err(ErrorCategory::Missing, o.prov, "owner_countries", o.id,
                 "an option needs the nationalities that may build it (e.g. AR;CN)");
    for (const auto& c : o.owner_countries)
      if (!d.find_country(c))
        return err(ErrorCategory::Reference, o.prov, "owner_countries", o.id,
                   fmt::format("unknown country '{}'; expected countries.csv codes joined by ';'", c));
    CADENA_TRY(check_ramp(o.ramp_up, o.prov, o.id));
    CADENA_TRY(check_lead_time(o.lead_time_years, horizon, p, o.prov, o.id));
    if (o.life_years < 1) return err(ErrorCategory::Value, o.prov, "life_years", o.id, "expected a life of 1 year or more");
    if (o.min_size > 0 && !std::isfinite(o.max_build_per_year))
      return err(ErrorCategory::Missing, o.prov, "max_build_per_year", o.id,
                 "an option with a minimum plant size needs max_build_per_year (the --mip model bounds each build by it)");
    if (o.min_size > 0 && o.min_size > o.max_build_per_year * horizon)
      return err(ErrorCategory::Value, o.prov, "min_size", o.id,
                 fmt::format("minimum plant size {} exceeds what max_build_per_year {} allows over the horizon",
                             o.min_size, o.max_build_per_year));
    if (!o.deposit.empty()) deposits.insert(o.deposit);
  }
  if (!p.options.empty()) {
    Dataset expanded = with_options(d, p);
    CADENA_TRY(validate(expanded));
  }

  // resources.csv: tranches numbered 1, 2, ... per deposit, costs not falling.
  std::map<std::string, const ResourceTranche*> last_tranche;
  for (const auto& t : p.resources) {
    const std::string el = fmt::format("{}:t{}", t.deposit, t.tranche);
    const Facility* f = d.find_facility(t.deposit);
    if (!f && !deposits.count(t.deposit))
      return err(ErrorCategory::Reference, t.prov, "deposit", el,
                 fmt::format("unknown deposit '{}'; expected a facility id or a deposit named by options.csv or "
                             "projects.csv",
                             t.deposit));
    if (f) {
      const auto* st = d.find_stage(f->stage);
      if (st && !st->extraction)
        return err(ErrorCategory::Value, t.prov, "deposit", el,
                   fmt::format("facility '{}' is in stage '{}', not an extraction stage; resources belong to mines",
                               t.deposit, f->stage));
      const auto* pr = d.find_product(f->output);
      if (pr && t.unit != pr->unit)
        return err(ErrorCategory::Unit, t.prov, "unit", el,
                   fmt::format("unit '{}' does not match the deposit's output '{}' in '{}'", t.unit, f->output, pr->unit));
    }
    auto it = last_tranche.find(t.deposit);
    const int expected = it == last_tranche.end() ? 1 : it->second->tranche + 1;
    if (t.tranche != expected)
      return err(ErrorCategory::Value, t.prov, "tranche", el,
                 fmt::format("tranche {} of deposit '{}' is out of order; expected tranche {} (tranches numbered 1, 2, ... "
                             "in order of rising cost)",
                             t.tranche, t.deposit, expected));
    if (it != last_tranche.end() && t.extra_cost_usd_per_unit < it->second->extra_cost_usd_per_unit)
      return err(ErrorCategory::Value, t.prov, "extra_cost_usd_per_unit", el,
                 fmt::format("tranche {} costs {} USD/unit extra, less than tranche {} ({}); the tranche table is out of "
                             "order, expected costs that do not fall",
                             t.tranche, t.extra_cost_usd_per_unit, it->second->tranche,
                             it->second->extra_cost_usd_per_unit));
    last_tranche[t.deposit] = &t;
  }

  // placed_on_market.csv
  for (const auto& x : p.placed_on_market) {
    const std::string el = fmt::format("{}:{}:{}", x.group, x.region, x.year);
    if (!groups.count(x.group))
      return err(ErrorCategory::Reference, x.prov, "group", el,
                 fmt::format("unknown group '{}'; expected a group of paths.csv", x.group));
    if (!d.find_region(x.region))
      return err(ErrorCategory::Reference, x.prov, "region", el, fmt::format("unknown region '{}'", x.region));
    if (x.year >= y0)
      return err(ErrorCategory::Value, x.prov, "year", el,
                 fmt::format("year {} is not before the dataset year {}; from {} on the demand paths say what is placed "
                             "on the market",
                             x.year, y0, y0));
  }

  // [recycling]
  const auto& rc = p.recycling;
  if (rc.enabled) {
    const auto* feed = d.find_product(rc.feed);
    if (!feed)
      return err(ErrorCategory::Reference, rc.at("feed"), "recycling.feed", rc.feed,
                 fmt::format("unknown product '{}'; expected the products.csv id of collected end-of-life material",
                             rc.feed));
    if (!groups.count(rc.group))
      return err(ErrorCategory::Reference, rc.at("group"), "recycling.group", rc.group,
                 fmt::format("unknown group '{}'; expected a group of paths.csv (what is placed on the market)", rc.group));
    if (!(rc.lifetime_shape > 0.0))
      return err(ErrorCategory::Value, rc.at("lifetime_shape"), "recycling.lifetime_shape", "",
                 "expected a Weibull lifetime with shape > 0");
    if (!(rc.lifetime_scale > 0.0))
      return err(ErrorCategory::Value, rc.at("lifetime_scale"), "recycling.lifetime_scale", "",
                 "expected a Weibull lifetime with scale > 0 years");
    if (!rc.scrap_stage.empty() && !d.find_stage(rc.scrap_stage))
      return err(ErrorCategory::Reference, rc.at("scrap_stage"), "recycling.scrap_stage", rc.scrap_stage, "unknown stage");
    if (!(rc.scrap_share >= 0.0 && rc.scrap_share < 1.0))
      return err(ErrorCategory::Value, rc.at("scrap_share"), "recycling.scrap_share", "", "expected a share in [0, 1)");
    if (!(rc.default_collection >= 0.0 && rc.default_collection <= 1.0))
      return err(ErrorCategory::Value, rc.at("collection"), "recycling.collection", "", "expected a share in [0, 1]");
    // Production scrap comes out of the recipe, never on top of it (docs/formulation.md,
    // add_secondary_supply): a plant of the scrap stage must consume at least the metal its product
    // is counted with, since scrap_share of that leaves as scrap and the rest goes into the product.
    if (!rc.scrap_stage.empty() && rc.scrap_share > 0.0) {
      auto check = [&](const std::string& id, const std::string& output, const std::vector<ProcessInput>& inputs,
                       const Provenance& prov) -> Status {
        const auto* out = d.find_product(output);
        const auto c_out = out ? d.contained_per_unit(*out) : std::nullopt;
        if (!c_out || !(*c_out > 0.0)) return ok_status();
        // Metal per unit of output of the leanest recipe: the sum over required groups of the
        // smallest of each group's alternatives.
        std::map<int, double> least;
        for (const auto& in : inputs) {
          const auto* q = d.find_product(in.product);
          const auto c = q ? d.contained_per_unit(*q) : std::nullopt;
          const double m = c ? in.per_unit_output * *c : 0.0;
          auto [it, fresh] = least.emplace(in.group, m);
          if (!fresh) it->second = std::min(it->second, m);
        }
        double c_in = 0.0;
        for (const auto& [g, m] : least) c_in += m;
        if (c_in >= *c_out * (1.0 - 1e-3)) return ok_status();
        return err(ErrorCategory::Value, prov, "inputs", id,
                   fmt::format("with recycling.scrap_stage = {} the recipe must hold at least the {} {} per unit "
                               "that '{}' is counted with (products.csv contained_per_unit), since a share "
                               "{} of it leaves as production scrap; it holds {:.6g}, so the scrap would be "
                               "counted twice; expected a gross recipe (scrap included) or a smaller contained_per_unit",
                               rc.scrap_stage, *c_out, d.contained_unit, output, rc.scrap_share, c_in));
      };
      for (const auto& f : d.facilities)
        if (f.stage == rc.scrap_stage) CADENA_TRY(check(f.id, f.output, f.inputs, f.prov));
      for (const auto& o : p.options)
        if (o.stage == rc.scrap_stage) CADENA_TRY(check(o.id, o.output, o.inputs, o.prov));
    }
  }
  return ok_status();
}

}  // namespace cadena::model
