#include "cadena/io/pathway_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cadena/io/csv.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/io/ranges.hpp"
#include "cadena/io/tables.hpp"
#include "cadena/io/toml_util.hpp"

namespace cadena::io {

namespace fs = std::filesystem;

namespace detail {

// Column schemas of the pathway tables (docs/data-format.md, "Pathway data").
const Columns& pathway_columns(std::string_view table) {
  static const Columns paths{{"path", true},  {"series", true}, {"group", false},  {"product", false},
                             {"region", true}, {"year", true},   {"value", true},   {"unit", true},
                             {"source", true}, {"estimate", false}, {"note", false}};
  static const Columns projects{{"facility", true},        {"earliest_year", false},  {"retirement_year", false},
                                {"capex_usd_per_unit", false}, {"fixed_om_usd_per_unit", false},
                                {"lead_time_years", false}, {"ramp_up", false},      {"lumpy", false},
                                {"deposit", false},        {"source", true},         {"estimate", false},
                                {"note", false}};
  static const Columns options{{"id", true},
                               {"stage", true},
                               {"type", true},
                               {"country", true},
                               {"output", true},
                               {"unit", true},
                               {"owner_countries", true},
                               {"capex_usd_per_unit", true},
                               {"fixed_om_usd_per_unit", false},
                               {"unit_cost_usd", true},
                               {"inputs", false},
                               {"co2_t_per_unit", false},
                               {"water_m3_per_unit", false},
                               {"lead_time_years", true},
                               {"earliest_year", false},
                               {"max_build_per_year", false},
                               {"min_size", false},
                               {"ramp_up", false},
                               {"life_years", false},
                               {"deposit", false},
                               {"source", true},
                               {"estimate", false},
                               {"note", false}};
  static const Columns resources{{"deposit", true}, {"tranche", true},  {"category", false},
                                 {"quantity", true}, {"unit", true},     {"extra_cost_usd_per_unit", true},
                                 {"source", true},   {"estimate", false}, {"note", false}};
  static const Columns placed{{"group", true}, {"region", true},  {"year", true},    {"quantity", true},
                              {"unit", true},  {"source", true},  {"estimate", false}, {"note", false}};
  if (table == "paths") return paths;
  if (table == "projects") return projects;
  if (table == "options") return options;
  if (table == "resources") return resources;
  return placed;
}

}  // namespace detail

namespace {

using detail::parse_bool;
using detail::parse_integer;
using detail::parse_number;

constexpr const char* kPathwayTables[] = {"paths", "projects", "options", "resources", "placed_on_market"};

const Field* present(const Record& r, std::string_view key) {
  const Field* f = r.find(key);
  return f && !f->text.empty() ? f : nullptr;
}

Error missing(const Record& r, std::string_view key, std::string_view el) {
  return make_error(ErrorCategory::Missing, fmt::format("a value for '{}' is required", key),
                    {r.file, r.line, std::string(key), std::string(el)});
}

Result<std::string> text(const Record& r, std::string_view key, std::string_view el) {
  const Field* f = present(r, key);
  if (!f) return missing(r, key, el);
  return f->text;
}

// "0.3;0.7;1": shares of nameplate in the first years of output, each in (0, 1].
Result<std::vector<double>> parse_ramp(const Field& f, const Record& r, std::string_view el) {
  std::vector<double> out;
  std::size_t start = 0;
  while (start <= f.text.size()) {
    std::size_t end = f.text.find(';', start);
    if (end == std::string::npos) end = f.text.size();
    std::string part = f.text.substr(start, end - start);
    part.erase(0, part.find_first_not_of(" \t"));
    part.erase(part.find_last_not_of(" \t") + 1);
    if (!part.empty()) {
      Field one{"ramp_up", part, f.line};
      auto v = parse_number(one, r, el);
      if (!v) return v.error();
      out.push_back(*v);
    }
    start = end + 1;
  }
  return out;
}

Status read_path(const Record& r, model::PathPoint& x) {
  CADENA_ASSIGN(x.path, text(r, "path", ""));
  CADENA_ASSIGN(x.series, text(r, "series", ""));
  if (const Field* f = present(r, "group")) x.group = f->text;
  if (const Field* f = present(r, "product")) x.product = f->text;
  CADENA_ASSIGN(x.region, text(r, "region", ""));
  const std::string el = fmt::format("{}:{}:{}:{}", x.path, x.series, x.group.empty() ? x.product : x.group, x.region);
  const Field* y = present(r, "year");
  if (!y) return missing(r, "year", el);
  CADENA_ASSIGN(x.year, parse_integer(*y, r, el));
  const Field* v = present(r, "value");
  if (!v) return missing(r, "value", el);
  CADENA_ASSIGN(x.value, parse_number(*v, r, el));
  CADENA_ASSIGN(x.unit, text(r, "unit", el));
  return detail::read_provenance(r, el, true, x.prov);
}

// `complete`: a CSV row or a new record; otherwise only the fields given change (an override).
Status read_project(const Record& r, bool complete, model::ProjectData& x) {
  if (complete || present(r, "facility")) CADENA_ASSIGN(x.facility, text(r, "facility", ""));
  const std::string el = x.facility;
  auto integer = [&](std::string_view key, int& dst) -> Status {
    if (const Field* f = present(r, key)) CADENA_ASSIGN(dst, parse_integer(*f, r, el));
    return ok_status();
  };
  auto number = [&](std::string_view key, double& dst) -> Status {
    if (const Field* f = present(r, key)) CADENA_ASSIGN(dst, parse_number(*f, r, el));
    return ok_status();
  };
  CADENA_TRY(integer("earliest_year", x.earliest_year));
  CADENA_TRY(integer("retirement_year", x.retirement_year));
  CADENA_TRY(number("capex_usd_per_unit", x.capex_usd_per_unit));
  CADENA_TRY(number("fixed_om_usd_per_unit", x.fixed_om_usd_per_unit));
  CADENA_TRY(integer("lead_time_years", x.lead_time_years));
  if (const Field* f = r.find("ramp_up")) CADENA_ASSIGN(x.ramp_up, parse_ramp(*f, r, el));
  if (const Field* f = present(r, "lumpy")) CADENA_ASSIGN(x.lumpy, parse_bool(*f, r, el));
  if (const Field* f = r.find("deposit")) x.deposit = f->text;
  model::Provenance p = x.prov;
  CADENA_TRY(detail::read_provenance(r, el, complete, p));
  x.prov = std::move(p);
  return ok_status();
}

Status read_option(const Record& r, const model::Dataset& d, bool complete, model::ExpansionOption& x) {
  if (complete || present(r, "id")) CADENA_ASSIGN(x.id, text(r, "id", ""));
  const std::string el = x.id;
  auto str = [&](std::string_view key, std::string& dst) -> Status {
    if (complete) {
      CADENA_ASSIGN(dst, text(r, key, el));
    } else if (const Field* f = present(r, key)) {
      dst = f->text;
    }
    return ok_status();
  };
  auto number = [&](std::string_view key, double& dst, bool required) -> Status {
    const Field* f = present(r, key);
    if (!f) return complete && required ? Status(missing(r, key, el)) : ok_status();
    CADENA_ASSIGN(dst, parse_number(*f, r, el));
    return ok_status();
  };
  auto integer = [&](std::string_view key, int& dst, bool required) -> Status {
    const Field* f = present(r, key);
    if (!f) return complete && required ? Status(missing(r, key, el)) : ok_status();
    CADENA_ASSIGN(dst, parse_integer(*f, r, el));
    return ok_status();
  };
  CADENA_TRY(str("stage", x.stage));
  CADENA_TRY(str("type", x.type));
  CADENA_TRY(str("country", x.country));
  CADENA_TRY(str("output", x.output));
  if (const Field* u = present(r, "unit")) {
    const auto* p = d.find_product(x.output);
    if (p && u->text != p->unit)
      return make_error(ErrorCategory::Unit,
                        fmt::format("unit '{}' does not match product '{}', which is measured in '{}'", u->text, p->id,
                                    p->unit),
                        {r.file, u->line, "unit", el});
  } else if (complete) {
    return missing(r, "unit", el);
  }
  if (const Field* f = present(r, "owner_countries")) {
    x.owner_countries.clear();
    std::size_t start = 0;
    while (start <= f->text.size()) {
      std::size_t end = f->text.find(';', start);
      if (end == std::string::npos) end = f->text.size();
      std::string c = f->text.substr(start, end - start);
      c.erase(0, c.find_first_not_of(" \t"));
      c.erase(c.find_last_not_of(" \t") + 1);
      if (!c.empty()) x.owner_countries.push_back(c);
      start = end + 1;
    }
  } else if (complete) {
    return missing(r, "owner_countries", el);
  }
  CADENA_TRY(number("capex_usd_per_unit", x.capex_usd_per_unit, true));
  CADENA_TRY(number("fixed_om_usd_per_unit", x.fixed_om_usd_per_unit, false));
  CADENA_TRY(number("unit_cost_usd", x.unit_cost, true));
  if (const Field* f = r.find("inputs")) {
    if (f->text.empty()) x.inputs.clear();
    else CADENA_ASSIGN(x.inputs, detail::parse_inputs(*f, r, el));
  }
  CADENA_TRY(number("co2_t_per_unit", x.co2_per_unit, false));
  CADENA_TRY(number("water_m3_per_unit", x.water_per_unit, false));
  CADENA_TRY(integer("lead_time_years", x.lead_time_years, true));
  CADENA_TRY(integer("earliest_year", x.earliest_year, false));
  if (const Field* f = r.find("max_build_per_year")) {
    if (f->text.empty()) x.max_build_per_year = std::numeric_limits<double>::infinity();
    else CADENA_ASSIGN(x.max_build_per_year, parse_number(*f, r, el));
  }
  CADENA_TRY(number("min_size", x.min_size, false));
  if (const Field* f = r.find("ramp_up")) CADENA_ASSIGN(x.ramp_up, parse_ramp(*f, r, el));
  CADENA_TRY(integer("life_years", x.life_years, false));
  if (const Field* f = r.find("deposit")) x.deposit = f->text;
  model::Provenance p = x.prov;
  CADENA_TRY(detail::read_provenance(r, el, complete, p));
  x.prov = std::move(p);
  return ok_status();
}

Status read_resource(const Record& r, model::ResourceTranche& x) {
  CADENA_ASSIGN(x.deposit, text(r, "deposit", ""));
  const Field* t = present(r, "tranche");
  if (!t) return missing(r, "tranche", x.deposit);
  CADENA_ASSIGN(x.tranche, parse_integer(*t, r, x.deposit));
  const std::string el = fmt::format("{}:t{}", x.deposit, x.tranche);
  if (const Field* f = present(r, "category")) x.category = f->text;
  const Field* q = present(r, "quantity");
  if (!q) return missing(r, "quantity", el);
  CADENA_ASSIGN(x.quantity, parse_number(*q, r, el));
  CADENA_ASSIGN(x.unit, text(r, "unit", el));
  const Field* c = present(r, "extra_cost_usd_per_unit");
  if (!c) return missing(r, "extra_cost_usd_per_unit", el);
  CADENA_ASSIGN(x.extra_cost_usd_per_unit, parse_number(*c, r, el));
  return detail::read_provenance(r, el, true, x.prov);
}

Status read_placed(const Record& r, model::PlacedOnMarket& x) {
  CADENA_ASSIGN(x.group, text(r, "group", ""));
  CADENA_ASSIGN(x.region, text(r, "region", ""));
  const Field* y = present(r, "year");
  const std::string el = fmt::format("{}:{}", x.group, x.region);
  if (!y) return missing(r, "year", el);
  CADENA_ASSIGN(x.year, parse_integer(*y, r, el));
  const Field* q = present(r, "quantity");
  if (!q) return missing(r, "quantity", el);
  CADENA_ASSIGN(x.quantity, parse_number(*q, r, el));
  if (!present(r, "unit")) return missing(r, "unit", el);
  return detail::read_provenance(r, el, true, x.prov);
}

Status read_table(std::string_view table, const CsvTable& t, const model::Dataset& d, model::PathwayData& p) {
  CADENA_TRY(detail::check_header(t, detail::pathway_columns(table)));
  for (const CsvRow& row : t.rows) {
    const Record r = detail::record_of(t, row);
    if (table == "paths") {
      model::PathPoint x;
      CADENA_TRY(read_path(r, x));
      p.paths.push_back(std::move(x));
    } else if (table == "projects") {
      model::ProjectData x;
      CADENA_TRY(read_project(r, true, x));
      p.projects.push_back(std::move(x));
    } else if (table == "options") {
      model::ExpansionOption x;
      CADENA_TRY(read_option(r, d, true, x));
      p.options.push_back(std::move(x));
    } else if (table == "resources") {
      model::ResourceTranche x;
      CADENA_TRY(read_resource(r, x));
      p.resources.push_back(std::move(x));
    } else {
      model::PlacedOnMarket x;
      CADENA_TRY(read_placed(r, x));
      p.placed_on_market.push_back(std::move(x));
    }
  }
  return ok_status();
}

// A number key of pathway.toml, range-checked.
Result<double> toml_number(const Field& f, const std::string& file) {
  Record r{file, f.line, {f}};
  return parse_number(f, r, "");
}

Status read_recycling(const toml::table& t, const std::string& file, model::RecyclingSetup& rc) {
  rc.enabled = true;
  rc.prov = model::Provenance{file, detail::line_of(t), "pathway.toml", false, ""};
  for (const auto& [k, v] : t) {
    auto f = detail::field_of(k.str(), v, file);
    if (!f) return f.error();
    const std::string key(k.str());
    rc.lines[key] = f->line;
    auto at = [&](Error e) {
      e.context.key = "recycling." + key;
      return e;
    };
    if (key == "group") rc.group = f->text;
    else if (key == "feed") rc.feed = f->text;
    else if (key == "lifetime_source") rc.lifetime_source = f->text;
    else if (key == "scrap_stage") rc.scrap_stage = f->text;
    else if (key == "scrap_source") rc.scrap_source = f->text;
    else if (key == "lifetime_shape" || key == "lifetime_scale" || key == "collection" || key == "scrap_share") {
      auto x = toml_number(*f, file);
      if (!x) return at(x.error());
      (key == "lifetime_shape"   ? rc.lifetime_shape
       : key == "lifetime_scale" ? rc.lifetime_scale
       : key == "collection"     ? rc.default_collection
                                 : rc.scrap_share) = *x;
    } else {
      return make_error(ErrorCategory::Syntax,
                        fmt::format("unknown key '{}' in [recycling]; expected group, feed, lifetime_shape, lifetime_scale, "
                                    "lifetime_source, collection, scrap_stage, scrap_share or scrap_source",
                                    key),
                        {file, f->line, "recycling." + key, ""});
    }
  }
  if (rc.group.empty() || rc.feed.empty())
    return make_error(ErrorCategory::Missing, "[recycling] needs group (what is placed on the market) and feed (the product "
                                              "collected end-of-life material becomes)",
                      {file, rc.prov.line, rc.group.empty() ? "recycling.group" : "recycling.feed", ""});
  return ok_status();
}

}  // namespace

Result<fs::path> dataset_dir(const std::string& name_or_path) {
  std::error_code ec;
  if (fs::exists(name_or_path, ec) || name_or_path.find('/') != std::string::npos) {
    fs::path p(name_or_path);
    if (fs::is_regular_file(p, ec)) return p.parent_path();
    return p;
  }
  return data_dir() / name_or_path;
}

Status read_pathway_table_text(std::string_view table, std::string_view csv, const std::string& file,
                               const model::Dataset& d, model::PathwayData& p) {
  auto t = parse_csv(csv, file);
  if (!t) return t.error();
  return read_table(table, *t, d, p);
}

Result<model::PathwayData> load_pathway(const fs::path& dir, const model::Dataset& d, bool validate) {
  model::PathwayData p;
  const fs::path manifest = dir / "pathway.toml";
  std::error_code ec;
  if (!fs::exists(manifest, ec)) return p;
  auto parsed = detail::parse_toml_file(manifest);
  if (!parsed) return parsed.error();
  const std::string mfile = manifest.string();
  p.present = true;
  p.file = mfile;
  p.last_year = d.settings.year;
  std::map<std::string, fs::path> files;
  std::map<std::string, int> named;
  for (const char* t : kPathwayTables) files[t] = dir / (std::string(t) + ".csv");
  bool has_last_year = false;
  for (const auto& [k, v] : *parsed) {
    const std::string key(k.str());
    if (key == "recycling") {
      const toml::table* t = v.as_table();
      if (!t) return make_error(ErrorCategory::Type, "expected a [recycling] table", {mfile, detail::line_of(v), key, ""});
      CADENA_TRY(read_recycling(*t, mfile, p.recycling));
      continue;
    }
    if (key == "files") {
      const toml::table* ft = v.as_table();
      if (!ft) return make_error(ErrorCategory::Type, "expected a [files] table", {mfile, detail::line_of(v), key, ""});
      for (const auto& [fk, fv] : *ft) {
        const std::string table(fk.str());
        if (!files.count(table))
          return make_error(ErrorCategory::Syntax,
                            fmt::format("unknown table '{}'; expected one of: paths, projects, options, resources, "
                                        "placed_on_market",
                                        table),
                            {mfile, detail::line_of(fv), "files." + table, ""});
        if (!fv.is_string())
          return make_error(ErrorCategory::Type, "expected a file name in quotes", {mfile, detail::line_of(fv), "files." + table, ""});
        files[table] = dir / fv.as_string()->get();
        named[table] = detail::line_of(fv);
      }
      continue;
    }
    auto f = detail::field_of(key, v, mfile);
    if (!f) return f.error();
    if (key == "last_year") {
      Record r{mfile, f->line, {*f}};
      CADENA_ASSIGN(p.last_year, parse_integer(*f, r, ""));
      has_last_year = true;
    } else if (key == "discount_rate") {
      CADENA_ASSIGN(p.discount_rate, toml_number(*f, mfile));
    } else if (key == "demand_path") {
      p.demand_path = f->text;
    } else if (key == "default_ramp_up") {
      Record r{mfile, f->line, {*f}};
      CADENA_ASSIGN(p.default_ramp_up, parse_ramp(*f, r, ""));
    } else {
      return make_error(ErrorCategory::Syntax,
                        fmt::format("unknown key '{}'; expected last_year, discount_rate, demand_path, default_ramp_up, "
                                    "[recycling] or [files]",
                                    key),
                        {mfile, f->line, key, ""});
    }
  }
  if (!has_last_year)
    return make_error(ErrorCategory::Missing, "pathway.toml needs last_year, the last year its data covers",
                      {mfile, 0, "last_year", ""});
  for (const char* t : kPathwayTables) {
    const fs::path& path = files[t];
    if (!fs::exists(path, ec)) {
      if (named.count(t))
        return make_error(ErrorCategory::Missing, fmt::format("table '{}' file {} does not exist", t, path.string()),
                          {mfile, named[t], std::string("files.") + t, ""});
      continue;
    }
    auto csv = read_csv(path);
    if (!csv) return csv.error();
    CADENA_TRY(read_table(t, *csv, d, p));
  }
  if (validate) CADENA_TRY(model::validate_pathway(d, p));
  return p;
}

Result<model::PathwayData> apply_scenario_pathway(const Scenario& s, const model::Dataset& d, model::PathwayData p) {
  const std::string sfile = s.file.string();
  auto with_source = [&](const Record& r) {
    Record x = r;
    if (!r.find("source")) x.fields.push_back(Field{"source", fmt::format("scenario {}", s.name), r.line});
    return x;
  };
  if (!s.paths.empty() || !s.pathway_options.empty() || !s.projects.empty() || !s.resources.empty()) {
    if (!p.present) {
      p.present = true;
      p.file = sfile;
      p.last_year = d.settings.year + 26;
    }
  }
  for (const Record& r : s.paths) {
    model::PathPoint x;
    CADENA_TRY(read_path(with_source(r), x));
    auto it = std::find_if(p.paths.begin(), p.paths.end(), [&](const model::PathPoint& y) {
      return y.path == x.path && y.series == x.series && y.group == x.group && y.product == x.product &&
             y.region == x.region && y.year == x.year;
    });
    if (it != p.paths.end()) {
      *it = std::move(x);
      continue;
    }
    // A new point goes after the last point of its series, so the years stay in order.
    auto last = std::find_if(p.paths.rbegin(), p.paths.rend(), [&](const model::PathPoint& y) {
      return y.path == x.path && y.series == x.series && y.group == x.group && y.product == x.product &&
             y.region == x.region && y.year < x.year;
    });
    p.paths.insert(last == p.paths.rend() ? p.paths.end() : last.base(), std::move(x));
  }
  for (const Record& r : s.projects) {
    const Field* id = r.find("facility");
    const std::string fid = id ? id->text : "";
    auto it = std::find_if(p.projects.begin(), p.projects.end(), [&](const auto& x) { return x.facility == fid; });
    if (it != p.projects.end()) {
      CADENA_TRY(read_project(r, false, *it));
    } else {
      model::ProjectData x;
      CADENA_TRY(read_project(with_source(r), true, x));
      p.projects.push_back(std::move(x));
    }
  }
  for (const Record& r : s.pathway_options) {
    const Field* id = r.find("id");
    const std::string oid = id ? id->text : "";
    auto it = std::find_if(p.options.begin(), p.options.end(), [&](const auto& x) { return x.id == oid; });
    if (it != p.options.end()) {
      CADENA_TRY(read_option(r, d, false, *it));
    } else {
      model::ExpansionOption x;
      CADENA_TRY(read_option(with_source(r), d, true, x));
      p.options.push_back(std::move(x));
    }
  }
  for (const Record& r : s.resources) {
    model::ResourceTranche x;
    CADENA_TRY(read_resource(with_source(r), x));
    auto it = std::find_if(p.resources.begin(), p.resources.end(),
                           [&](const auto& y) { return y.deposit == x.deposit && y.tranche == x.tranche; });
    if (it != p.resources.end()) *it = std::move(x);
    else p.resources.push_back(std::move(x));
  }
  for (const Field& f : s.pathway) {
    if (f.key == "discount_rate") CADENA_ASSIGN(p.discount_rate, toml_number(f, sfile));
    else if (f.key == "demand_path") p.demand_path = f.text;
  }
  CADENA_TRY(model::validate_pathway(d, p));
  return p;
}

}  // namespace cadena::io
