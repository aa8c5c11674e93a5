#include "cadena/io/scenario_io.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cadena/core/publish.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/io/tables.hpp"
#include "cadena/io/toml_util.hpp"

namespace cadena::io {

namespace fs = std::filesystem;

namespace {

Result<std::vector<Record>> read_array_of_tables(const toml::node& n, std::string_view key, const std::string& file,
                                                 const detail::Columns& cols) {
  const toml::array* arr = n.as_array();
  if (!arr || !arr->is_array_of_tables())
    return make_error(ErrorCategory::Type, fmt::format("expected [[{}]] tables", key),
                      {file, detail::line_of(n), std::string(key), ""});
  std::vector<Record> out;
  for (const toml::node& t : *arr) {
    auto r = detail::record_of_table(*t.as_table(), file);
    if (!r) return r.error();
    // The reported-output column follows the dataset year, unknown until the base is loaded:
    // any output_<year> key passes here and is checked against the year when applied.
    Record shape = *r;
    std::erase_if(shape.fields, [](const Field& f) { return f.key.rfind("output_", 0) == 0; });
    CADENA_TRY(detail::check_keys(shape, cols, fmt::format("[[{}]]", key)));
    out.push_back(std::move(*r));
  }
  return out;
}

Error scenario_error(ErrorCategory c, const Record& r, std::string_view key, std::string_view el, std::string msg) {
  int line = r.line;
  if (const Field* f = r.find(key)) line = f->line;
  return make_error(c, std::move(msg), {r.file, line, std::string(key), std::string(el)});
}

std::string text_of(const Record& r, std::string_view key) {
  const Field* f = r.find(key);
  return f ? f->text : std::string();
}

// The provenance of a record a scenario wrote: the scenario row. A new record cites the
// scenario unless the row gives a source; an overridden one keeps its citation and says which
// keys the scenario changed.
void mark_from_scenario(const Scenario& s, const Record& r, bool is_new, model::Provenance& p) {
  p.file = r.file;
  p.line = r.line;
  if (is_new) {
    if (!r.find("source")) p.source = fmt::format("scenario {}", s.name);
    if (!r.find("note")) p.note = fmt::format("added by scenario {}", s.name);
    return;
  }
  if (r.find("note")) return;
  std::string keys;
  for (const Field& f : r.fields)
    if (f.key != "id" && f.key != "source") keys += (keys.empty() ? "" : ", ") + f.key;
  p.note = fmt::format("{} set by scenario {}{}{}", keys, s.name, p.note.empty() ? "" : "; ", p.note);
}

// A scenario row either overrides the element `same` finds (only the row's columns change) or
// adds a new one, which needs no source of its own: the scenario is its source. `read(row,
// is_new, element)` is the table's reader.
template <class T, class Same, class Read>
Status override_or_add(const Scenario& s, const Record& r, std::vector<T>& items, Same same, Read read) {
  auto it = std::find_if(items.begin(), items.end(), same);
  if (it != items.end()) {
    CADENA_TRY(read(r, false, *it));
    mark_from_scenario(s, r, false, it->prov);
    return ok_status();
  }
  T x;
  Record with_source = r;
  if (!r.find("source")) with_source.fields.push_back(Field{"source", fmt::format("scenario {}", s.name), r.line});
  if (auto added = read(with_source, true, x); !added.ok()) {
    // Most often a mistyped id meant as an override: say that it matched nothing before what a
    // new record would need.
    Error e = added.error();
    if (e.category == ErrorCategory::Missing)
      e.message = fmt::format("matches no existing record, so it would add a new one, which needs every required column: {}",
                              e.message);
    return e;
  }
  mark_from_scenario(s, r, true, x.prov);
  items.push_back(std::move(x));
  return ok_status();
}

}  // namespace

Result<Scenario> load_scenario(const fs::path& file) {
  auto parsed = detail::parse_toml_file(file);
  if (!parsed) return parsed.error();
  const toml::table& root = *parsed;
  const std::string sfile = file.string();
  Scenario s;
  s.file = file;
  s.name = file.stem().string();
  bool name_from_file = true;
  for (const auto& [k, v] : root) {
    const std::string key(k.str());
    const int line = detail::line_of(v);
    if (key == "settings") {
      const toml::table* t = v.as_table();
      if (!t) return make_error(ErrorCategory::Type, "expected a [settings] table", {sfile, line, key, ""});
      for (const auto& [sk, sv] : *t) {
        auto f = detail::field_of(sk.str(), sv, sfile);
        if (!f) return f.error();
        if (!detail::is_setting_key(f->key)) {
          model::Settings scratch;
          CADENA_TRY(detail::apply_setting(*f, sfile, scratch));  // reports the unknown key
        }
        s.settings.push_back(std::move(*f));
      }
    } else if (key == "facility") {
      auto recs = read_array_of_tables(v, key, sfile, detail::facility_columns(2024));
      if (!recs) return recs.error();
      s.facilities = std::move(*recs);
    } else if (key == "route") {
      auto recs = read_array_of_tables(v, key, sfile, detail::route_columns());
      if (!recs) return recs.error();
      s.routes = std::move(*recs);
    } else if (key == "policy") {
      auto recs = read_array_of_tables(v, key, sfile, detail::policy_columns());
      if (!recs) return recs.error();
      s.policies = std::move(*recs);
    } else if (key == "demand") {
      auto recs = read_array_of_tables(v, key, sfile, detail::demand_columns());
      if (!recs) return recs.error();
      s.demands = std::move(*recs);
    } else if (key == "demand_scale") {
      const toml::table* t = v.as_table();
      if (!t)
        return make_error(ErrorCategory::Type, "expected a [demand_scale] table of product = factor",
                          {sfile, line, key, ""});
      for (const auto& [pk, pv] : *t) {
        auto f = detail::field_of(pk.str(), pv, sfile);
        if (!f) return f.error();
        Field scaled = *f;
        scaled.key = "demand_scale." + f->key;  // the key and its range (io/ranges.cpp)
        Record r{sfile, f->line, {scaled}};
        auto factor = detail::parse_number(scaled, r, f->key);
        if (!factor) return factor.error();
        if (*factor < 0.0)
          return make_error(ErrorCategory::Value, fmt::format("demand factor {} is negative; expected a factor >= 0", *factor),
                            {sfile, f->line, "demand_scale." + f->key, f->key});
        s.demand_scale.push_back(DemandScale{f->key, *factor, f->line});
      }
    } else if (key == "name" || key == "description" || key == "dataset" || key == "builtin") {
      auto f = detail::field_of(key, v, sfile);
      if (!f) return f.error();
      if (key == "name") {
        // The name becomes the default output folder ./out/<name>: it must stay a plain name.
        if (auto ok = check_folder_name(f->text); !ok)
          return make_error(ErrorCategory::Value, ok.error().message, {sfile, f->line, key, ""});
        s.name = f->text;
        name_from_file = false;
      } else if (key == "description") {
        s.description = f->text;
      } else if (key == "dataset") {
        fs::path p(f->text);
        s.dataset = p.is_absolute() ? p : file.parent_path() / p;
        s.dataset_line = f->line;
      } else {
        s.builtin = f->text;
        s.dataset_line = f->line;
      }
    } else {
      return make_error(ErrorCategory::Syntax,
                        fmt::format("unknown key '{}'; expected name, description, dataset, builtin, [settings], "
                                    "[[facility]], [[route]], [[policy]], [[demand]] or [demand_scale]",
                                    key),
                        {sfile, line, key, ""});
    }
  }
  if (name_from_file)
    if (auto ok = check_folder_name(s.name); !ok)
      return make_error(ErrorCategory::Value,
                        ok.error().message + " (the scenario has no name = \"...\", so its file name is used)",
                        {sfile, 0, "name", ""});
  // toml++ iterates tables in key order; keep overrides in file order so later ones win.
  auto by_line = [](const Record& a, const Record& b) { return a.line < b.line; };
  std::stable_sort(s.facilities.begin(), s.facilities.end(), by_line);
  std::stable_sort(s.routes.begin(), s.routes.end(), by_line);
  std::stable_sort(s.policies.begin(), s.policies.end(), by_line);
  std::stable_sort(s.demands.begin(), s.demands.end(), by_line);
  for (const Record& r : s.facilities)
    if (!r.find("id") || r.find("id")->text.empty())
      return make_error(ErrorCategory::Missing, "a [[facility]] needs an id (an existing facility or a new one)",
                        {sfile, r.line, "id", ""});
  return s;
}

Result<model::Dataset> apply_scenario(const Scenario& s, model::Dataset d) {
  const std::string sfile = s.file.string();
  for (const Field& f : s.settings) CADENA_TRY(detail::apply_setting(f, sfile, d.settings));

  for (const Record& r : s.facilities) {
    const std::string id = text_of(r, "id");
    for (const Field& f : r.fields)
      if (f.key.rfind("output_", 0) == 0 && f.key != fmt::format("output_{}", d.settings.year))
        return scenario_error(ErrorCategory::Syntax, r, f.key, id,
                              fmt::format("unknown key '{}'; the dataset year is {}, expected output_{}", f.key,
                                          d.settings.year, d.settings.year));
    CADENA_TRY(override_or_add(
        s, r, d.facilities, [&](const model::Facility& f) { return f.id == id; },
        [&](const Record& row, bool is_new, model::Facility& f) { return detail::read_facility(row, d, is_new, f); }));
  }

  for (const Record& r : s.routes) {
    model::Route key;
    CADENA_TRY(detail::read_route(r, false, key));
    CADENA_TRY(override_or_add(
        s, r, d.routes,
        [&](const model::Route& x) { return x.from == key.from && x.to == key.to && x.product == key.product; },
        [](const Record& row, bool is_new, model::Route& x) { return detail::read_route(row, is_new, x); }));
  }

  for (const Record& r : s.policies) {
    model::TradePolicy key;
    CADENA_TRY(detail::read_policy(r, false, key));
    CADENA_TRY(override_or_add(
        s, r, d.policies,
        [&](const model::TradePolicy& p) {
          return p.kind == key.kind && p.product == key.product && p.from == key.from && p.to == key.to;
        },
        [](const Record& row, bool is_new, model::TradePolicy& p) { return detail::read_policy(row, is_new, p); }));
  }

  for (const Record& r : s.demands) {
    model::Demand key;
    CADENA_TRY(detail::read_demand(r, d, false, key));
    CADENA_TRY(override_or_add(
        s, r, d.demands, [&](const model::Demand& m) { return m.region == key.region && m.product == key.product; },
        [&](const Record& row, bool is_new, model::Demand& m) { return detail::read_demand(row, d, is_new, m); }));
  }

  for (const DemandScale& ds : s.demand_scale) {
    if (ds.product != "*" && !d.find_product(ds.product))
      return make_error(ErrorCategory::Reference,
                        fmt::format("unknown product '{}'; expected a products.csv id or \"*\"", ds.product),
                        {sfile, ds.line, "demand_scale." + ds.product, ds.product});
    for (model::Demand& m : d.demands)
      if (ds.product == "*" || m.product == ds.product) m.quantity *= ds.factor;
  }

  auto valid = model::validate(d);
  if (!valid) {
    // A record the scenario wrote carries the line of its [[table]] header; point at the key.
    Error e = valid.error();
    for (const auto* recs : {&s.facilities, &s.routes, &s.policies, &s.demands})
      for (const Record& r : *recs)
        if (e.context.file == r.file && e.context.line == r.line)
          if (const Field* f = r.find(e.context.key)) e.context.line = f->line;
    return e;
  }
  return d;
}

Result<model::Dataset> load_scenario_dataset(const Scenario& s) {
  auto base = s.dataset.empty() ? load_builtin(s.builtin) : load_dataset(s.dataset);
  if (!base) {
    // A base that is not there is the scenario's mistake: point at its `dataset` key. Errors
    // inside an existing base dataset keep pointing into that dataset's files.
    Error& e = base.error();
    const bool base_missing = e.category == ErrorCategory::Missing &&
                              (e.context.file.empty() || e.context.file == s.dataset.string());
    if (base_missing) {
      e.context = ErrorContext{s.file.string(), s.dataset_line, s.dataset.empty() ? "builtin" : "dataset",
                               s.dataset.empty() ? s.builtin : s.dataset.string()};
    }
    return e;
  }
  return apply_scenario(s, std::move(*base));
}

Result<bool> is_scenario_file(const fs::path& file) {
  if (file.filename() == "dataset.toml") return false;
  auto parsed = detail::parse_toml_file(file);
  if (!parsed) return parsed.error();
  return !parsed->contains("files");
}

}  // namespace cadena::io
