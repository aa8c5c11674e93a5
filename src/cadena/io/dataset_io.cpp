#include "cadena/io/dataset_io.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "cadena/io/csv.hpp"
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
    {"facilities", "facilities.csv", true}, {"routes", "routes.csv", true},
    {"policies", "policies.csv", false},    {"demand", "demand.csv", true},
    {"reference", "usgs_mine_production.csv", false},
};


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
  if (table == "products") return read_rows(t, product_columns(), d.products, read_product);
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
  return make_error(ErrorCategory::Internal, fmt::format("no reader for table '{}'", table));
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

  // The year decides the name of the reported-output column, so settings come first.
  for (const auto& [k, v] : root) {
    const std::string key(k.str());
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
                                        "products, facilities, routes, policies, demand, reference",
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
    } else if (key == "description") {
      d.description = f->text;
    } else if (detail::is_setting_key(key)) {
      CADENA_TRY(detail::apply_setting(*f, mfile, d.settings));
    } else {
      return make_error(ErrorCategory::Syntax,
                        fmt::format("unknown key '{}'; expected name, description, year, unmet_penalty_usd, "
                                    "unmet_penalty_usd_per_gwh, carbon_price_usd_per_t, include_non_operating, production_floor, "
                                    "production_floor_share, stock_cost_usd_per_unit or [files]",
                                    key),
                        {mfile, f->line, key, ""});
    }
  }

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
  }
  CADENA_TRY(model::validate(d));
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
      {"routes", file_of(d.routes, "routes.csv"), d.routes.size()},
      {"policies", file_of(d.policies, "policies.csv"), d.policies.size()},
      {"demand", file_of(d.demands, "demand.csv"), d.demands.size()},
      {"reference", file_of(d.reference, "usgs_mine_production.csv"), d.reference.size()},
  };
}

}  // namespace cadena::io
