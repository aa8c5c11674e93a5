#include "cadena/io/dataset_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "cadena/io/csv.hpp"
#include "cadena/io/ranges.hpp"
#include "cadena/io/tables.hpp"
#include "cadena/io/toml_util.hpp"

namespace cadena::io {

namespace fs = std::filesystem;

namespace {

struct TableFile {
  const char* table;
  const char* default_file;
  bool required;  // a dataset without it cannot describe a supply chain
};

// The order is the reading order: each table only refers to tables read before it.
constexpr TableFile kTables[] = {
    {"regions", "regions.csv", true},       {"countries", "countries.csv", true},
    {"companies", "companies.csv", true},   {"products", "products.csv", true},
    {"facilities", "facilities.csv", true}, {"stakes", "stakes.csv", false},
    {"routes", "routes.csv", true},
    {"policies", "policies.csv", false},    {"demand", "demand.csv", true},
    {"reference", "reference.csv", false},
    {"rules", "rules.csv", false},
};

// A list of strings (stage types, stage products); Type error naming the key otherwise.
Result<std::vector<std::string>> string_list(const toml::node& n, const std::string& key, const std::string& file) {
  const toml::array* a = n.as_array();
  if (!a)
    return make_error(ErrorCategory::Type, fmt::format("expected a list of strings such as [\"a\", \"b\"]"),
                      {file, detail::line_of(n), key, ""});
  std::vector<std::string> out;
  for (const auto& x : *a) {
    const auto* str = x.as_string();
    if (!str)
      return make_error(ErrorCategory::Type, "expected a list of strings; this entry is not a string",
                        {file, detail::line_of(x), key, ""});
    out.push_back(str->get());
  }
  return out;
}

// The tables of an array of tables ([[stage]] or stage = [{...}]); Type error otherwise.
Result<std::vector<const toml::table*>> table_list(const toml::node& n, const std::string& key, const std::string& file) {
  std::vector<const toml::table*> out;
  const toml::array* a = n.as_array();
  if (a)
    for (const auto& x : *a) out.push_back(x.as_table());
  if (!a || std::find(out.begin(), out.end(), nullptr) != out.end())
    return make_error(ErrorCategory::Type,
                      fmt::format("expected [[{}]] tables (or {} = [{{ id = ... }}, ...])", key, key),
                      {file, detail::line_of(n), key, ""});
  return out;
}

Result<double> toml_number(const toml::node& n, const std::string& key, const std::string& file, const std::string& el) {
  if (auto v = n.value<double>()) {
    if (const KeyRange* range = key_range(key))  // io/ranges.cpp
      if (auto st = check_range(*range, *v); !st)
        return make_error(ErrorCategory::Value, st.error().message, {file, detail::line_of(n), key, el});
    return *v;
  }
  return make_error(ErrorCategory::Type, "expected a number", {file, detail::line_of(n), key, el});
}

// [[stage]]: id, name, extraction, secondary, types, products.
Status read_stages(const toml::node& n, const std::string& file, model::Dataset& d,
                   std::map<std::string, std::string>& product_stage) {
  auto tables = table_list(n, "stage", file);
  if (!tables) return tables.error();
  for (const toml::table* t : *tables) {
    model::StageDef s;
    s.prov = model::Provenance{file, detail::line_of(*t), "dataset.toml", false, ""};
    std::vector<std::string> products;
    int products_line = 0;
    for (const auto& [k, v] : *t) {
      const std::string key = "stage." + std::string(k.str());
      if (k == "types") {
        CADENA_ASSIGN(s.types, string_list(v, key, file));
      } else if (k == "products") {
        CADENA_ASSIGN(products, string_list(v, key, file));
        products_line = detail::line_of(v);
      } else if (k == "extraction" || k == "secondary") {
        auto b = v.value<bool>();
        if (!b) return make_error(ErrorCategory::Type, "expected true or false", {file, detail::line_of(v), key, s.id});
        (k == "extraction" ? s.extraction : s.secondary) = *b;
      } else if (k == "id" || k == "name" || k == "source") {
        auto str = v.value<std::string>();
        if (!str) return make_error(ErrorCategory::Type, "expected a string in quotes", {file, detail::line_of(v), key, s.id});
        if (k == "id") s.id = *str;
        else if (k == "name") s.name = *str;
        else s.prov.source = *str;
      } else {
        return make_error(ErrorCategory::Syntax,
                          fmt::format("unknown key '{}' in [[stage]]; expected id, name, extraction, secondary, types, "
                                      "products or source",
                                      k.str()),
                          {file, detail::line_of(v), key, s.id});
      }
    }
    if (s.id.empty())
      return make_error(ErrorCategory::Missing, "a [[stage]] needs an id", {file, s.prov.line, "stage.id", ""});
    if (s.name.empty()) s.name = s.id;
    for (const auto& p : products) {
      auto [it, fresh] = product_stage.emplace(p, s.id);
      if (!fresh)
        return make_error(ErrorCategory::Duplicate,
                          fmt::format("product '{}' is declared in two stages, '{}' and '{}'; expected each product "
                                      "in one stage",
                                      p, it->second, s.id),
                          {file, products_line, "stage.products", p});
    }
    d.stages.push_back(std::move(s));
  }
  return ok_status();
}

// [[unit]]: id, contained, unmet_penalty_usd, source.
Status read_units(const toml::node& n, const std::string& file, model::Dataset& d) {
  auto tables = table_list(n, "unit", file);
  if (!tables) return tables.error();
  for (const toml::table* t : *tables) {
    model::UnitDef u;
    u.prov = model::Provenance{file, detail::line_of(*t), "dataset.toml", false, ""};
    for (const auto& [k, v] : *t) {
      const std::string key = "unit." + std::string(k.str());
      if (k == "id" || k == "source") {
        auto str = v.value<std::string>();
        if (!str) return make_error(ErrorCategory::Type, "expected a string in quotes", {file, detail::line_of(v), key, u.id});
        (k == "id" ? u.id : u.prov.source) = *str;
      } else if (k == "contained") {
        CADENA_ASSIGN(u.contained, toml_number(v, key, file, u.id));
      } else if (k == "unmet_penalty_usd") {
        CADENA_ASSIGN(u.unmet_penalty, toml_number(v, key, file, u.id));
      } else {
        return make_error(ErrorCategory::Syntax,
                          fmt::format("unknown key '{}' in [[unit]]; expected id, contained, unmet_penalty_usd or source",
                                      k.str()),
                          {file, detail::line_of(v), key, u.id});
      }
    }
    if (u.id.empty()) return make_error(ErrorCategory::Missing, "a [[unit]] needs an id", {file, u.prov.line, "unit.id", ""});
    d.units.push_back(std::move(u));
  }
  return ok_status();
}


template <class T, class F>
Status read_rows(const CsvTable& t, const detail::Columns& cols, std::vector<T>& out, F&& read) {
  CADENA_TRY(detail::check_header(t, cols));
  out.reserve(t.rows.size());
  for (const CsvRow& row : t.rows) {
    auto x = read(detail::record_of(t, row));
    if (!x) return x.error();
    out.push_back(std::move(*x));
  }
  return ok_status();
}

Status read_table(std::string_view table, const CsvTable& t, model::Dataset& d) {
  using namespace detail;
  if (table == "regions") return read_rows(t, region_columns(), d.regions, read_region);
  if (table == "countries") return read_rows(t, country_columns(), d.countries, read_country);
  if (table == "companies") return read_rows(t, company_columns(), d.companies, read_company);
  if (table == "products")
    return read_rows(t, product_columns(), d.products, [&](const Record& r) { return read_product(r, d); });
  if (table == "facilities")
    return read_rows(t, facility_columns(d.settings.year), d.facilities, [&](const Record& r) -> Result<model::Facility> {
      model::Facility f;
      CADENA_TRY(read_facility(r, d, true, f));
      return f;
    });
  if (table == "routes")
    return read_rows(t, route_columns(), d.routes, [](const Record& r) -> Result<model::Route> {
      model::Route x;
      CADENA_TRY(read_route(r, true, x));
      return x;
    });
  if (table == "policies")
    return read_rows(t, policy_columns(), d.policies, [](const Record& r) -> Result<model::TradePolicy> {
      model::TradePolicy p;
      CADENA_TRY(read_policy(r, true, p));
      return p;
    });
  if (table == "demand")
    return read_rows(t, demand_columns(), d.demands, [&](const Record& r) -> Result<model::Demand> {
      model::Demand m;
      CADENA_TRY(read_demand(r, d, true, m));
      return m;
    });
  if (table == "reference") return read_rows(t, reference_columns(), d.reference, read_reference);
  if (table == "stakes") return read_rows(t, stake_columns(), d.stakes, read_stake);
  if (table == "rules")
    return read_rows(t, rule_columns(), d.rules, [](const Record& r) -> Result<model::Rule> {
      model::Rule x;
      CADENA_TRY(read_rule(r, true, x));
      return x;
    });
  return make_error(ErrorCategory::Internal, fmt::format("no reader for table '{}'", table));
}

// A product listed under a [[stage]] takes that stage when its row leaves the column empty, and
// must agree with it when the row gives one.
Status apply_stage_products(const std::map<std::string, std::string>& product_stage, const std::string& mfile,
                            model::Dataset& d) {
  for (auto& p : d.products) {
    auto it = product_stage.find(p.id);
    if (it == product_stage.end()) continue;
    if (p.stage.empty()) {
      p.stage = it->second;
    } else if (p.stage != it->second) {
      return make_error(ErrorCategory::Value,
                        fmt::format("product '{}' has stage '{}' here but is listed under stage '{}' in {}; expected "
                                    "one stage per product",
                                    p.id, p.stage, it->second, mfile),
                        {p.prov.file, p.prov.line, "stage", p.id});
    }
  }
  for (const auto& [id, stage] : product_stage)
    if (!d.find_product(id))
      return make_error(ErrorCategory::Reference,
                        fmt::format("stage '{}' lists product '{}', which is not in the products table", stage, id),
                        {mfile, 0, "stage.products", id});
  return ok_status();
}

}  // namespace

Result<model::Dataset> load_dataset(const fs::path& dir_or_manifest) {
  std::error_code ec;
  fs::path dir = dir_or_manifest;
  fs::path manifest = dir / "dataset.toml";
  if (fs::is_regular_file(dir_or_manifest, ec)) {
    manifest = dir_or_manifest;
    dir = dir_or_manifest.parent_path();
  } else if (!fs::is_directory(dir, ec)) {
    return make_error(ErrorCategory::Missing, "no such dataset folder; expected a folder with a dataset.toml",
                      {dir.string(), 0, "", ""});
  }
  auto parsed = detail::parse_toml_file(manifest);
  if (!parsed) {
    if (parsed.error().category == ErrorCategory::Missing)
      parsed.error().message = "a dataset folder needs a dataset.toml manifest";
    return parsed.error();
  }
  const toml::table& root = *parsed;
  const std::string mfile = manifest.string();

  model::Dataset d;
  fs::path norm = fs::absolute(dir, ec).lexically_normal();
  if (norm.filename().empty()) norm = norm.parent_path();  // "tiny/" names the folder tiny
  d.name = norm.filename().string();
  std::map<std::string, fs::path> files;
  for (const TableFile& t : kTables) files[t.table] = dir / t.default_file;
  std::map<std::string, int> named;  // tables the manifest names explicitly (their line): the file must exist

  // The year decides the name of the reported-output column, so settings come first; stages and
  // units come before the tables that use them.
  std::map<std::string, std::string> product_stage;  // from [[stage]] products = [...]
  for (const auto& [k, v] : root) {
    const std::string key(k.str());
    if (key == "stage") {
      CADENA_TRY(read_stages(v, mfile, d, product_stage));
      continue;
    }
    if (key == "unit") {
      CADENA_TRY(read_units(v, mfile, d));
      continue;
    }
    if (key == "files") {
      const toml::table* ft = v.as_table();
      if (!ft)
        return make_error(ErrorCategory::Type, "expected a [files] table of table = \"file.csv\"",
                          {mfile, detail::line_of(v), key, ""});
      for (const auto& [fk, fv] : *ft) {
        const std::string table(fk.str());
        if (!files.count(table))
          return make_error(ErrorCategory::Syntax,
                            fmt::format("unknown table '{}'; expected one of: regions, countries, companies, "
                                        "products, facilities, stakes, routes, policies, demand, reference, rules",
                                        table),
                            {mfile, detail::line_of(fv), "files." + table, ""});
        auto f = detail::field_of(table, fv, mfile);
        if (!f) return f.error();
        if (!fv.is_string())
          return make_error(ErrorCategory::Type, "expected a file name in quotes", {mfile, f->line, "files." + table, ""});
        files[table] = dir / f->text;
        named[table] = f->line;
      }
      continue;
    }
    auto f = detail::field_of(key, v, mfile);
    if (!f) return f.error();
    if (key == "name") {
      d.name = f->text;
    } else if (key == "contained_unit") {
      d.contained_unit = f->text;
    } else if (key == "description") {
      d.description = f->text;
    } else if (detail::is_setting_key(key)) {
      CADENA_TRY(detail::apply_setting(*f, mfile, d.settings));
    } else {
      return make_error(ErrorCategory::Syntax,
                        fmt::format("unknown key '{}'; expected name, description, contained_unit, [[stage]], [[unit]], year, unmet_penalty_usd, "
                                    "unmet_penalty_usd_per_gwh, carbon_price_usd_per_t, include_non_operating, production_floor, "
                                    "production_floor_share, stock_cost_usd_per_unit or [files]",
                                    key),
                        {mfile, f->line, key, ""});
    }
  }

  // The vocabulary every table uses: without it no product or facility can be read meaningfully.
  if (d.stages.empty())
    return make_error(ErrorCategory::Missing,
                      "the dataset declares no stages; expected [[stage]] tables (id, extraction, types) in dataset.toml",
                      {mfile, 0, "stage", ""});
  if (d.contained_unit.empty())
    return make_error(ErrorCategory::Missing,
                      "the dataset declares no contained unit; expected contained_unit = \"t ...\" in dataset.toml",
                      {mfile, 0, "contained_unit", ""});
  for (const TableFile& t : kTables) {
    const fs::path& p = files[t.table];
    if (!fs::exists(p, ec)) {
      if (t.required || named.count(t.table))
        return make_error(ErrorCategory::Missing,
                          fmt::format("table '{}' file {} does not exist; expected it (name another file in "
                                      "[files] of dataset.toml)",
                                      t.table, p.string()),
                          {mfile, named.count(t.table) ? named[t.table] : 0, std::string("files.") + t.table, ""});
      continue;
    }
    auto csv = read_csv(p);
    if (!csv) return csv.error();
    CADENA_TRY(read_table(t.table, *csv, d));
    if (std::string_view(t.table) == "products") CADENA_TRY(apply_stage_products(product_stage, mfile, d));
  }
  if (auto valid = model::validate(d); !valid) {
    // A dataset-wide problem (settings, declarations) has no row of its own: it is the manifest's.
    Error e = valid.error();
    if (e.context.file.empty()) e.context.file = mfile;
    return e;
  }
  return d;
}

Status read_table_text(std::string_view table, std::string_view csv, const std::string& file, model::Dataset& d) {
  auto t = parse_csv(csv, file);
  if (!t) return t.error();
  return read_table(table, *t, d);
}

std::vector<std::string> builtin_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(data_dir(), ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && fs::exists(it->path() / "dataset.toml", ec))
      names.push_back(it->path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<model::Dataset> load_builtin(std::string_view name) {
  const auto names = builtin_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string known;
    for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
    return make_error(ErrorCategory::Missing,
                      fmt::format("no built-in dataset '{}' in {}; expected one of: {}", name, data_dir().string(),
                                  known.empty() ? "(none found)" : known),
                      {"", 0, "dataset", std::string(name)});
  }
  return load_dataset(data_dir() / std::string(name));
}

Result<model::Dataset> load_named_dataset(const std::string& name_or_path) {
  std::error_code ec;
  if (fs::exists(name_or_path, ec) || name_or_path.find('/') != std::string::npos) return load_dataset(name_or_path);
  return load_builtin(name_or_path);
}

std::vector<TableInfo> table_summary(const model::Dataset& d) {
  auto file_of = [&](auto& recs, const char* fallback) {
    return recs.empty() || recs.front().prov.file.empty() ? std::string(fallback)
                                                           : fs::path(recs.front().prov.file).filename().string();
  };
  return {
      {"regions", file_of(d.regions, "regions.csv"), d.regions.size()},
      {"countries", file_of(d.countries, "countries.csv"), d.countries.size()},
      {"companies", file_of(d.companies, "companies.csv"), d.companies.size()},
      {"products", file_of(d.products, "products.csv"), d.products.size()},
      {"facilities", file_of(d.facilities, "facilities.csv"), d.facilities.size()},
      {"stakes", file_of(d.stakes, "stakes.csv"), d.stakes.size()},
      {"routes", file_of(d.routes, "routes.csv"), d.routes.size()},
      {"policies", file_of(d.policies, "policies.csv"), d.policies.size()},
      {"demand", file_of(d.demands, "demand.csv"), d.demands.size()},
      {"reference", file_of(d.reference, "reference.csv"), d.reference.size()},
      {"rules", file_of(d.rules, "rules.csv"), d.rules.size()},
  };
}

}  // namespace cadena::io
