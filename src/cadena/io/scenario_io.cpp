#include "cadena/io/scenario_io.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "cadena/core/publish.hpp"
#include "cadena/core/split.hpp"
#include "cadena/core/text_file.hpp"
#include "cadena/core/toml_parse.hpp"
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
      e.message = fmt::format("matches no existing record, so it would add a new one, which needs every required column{}: {}",
                              r.line == 0 ? " (one KEY=VALUE per column on the command line)" : "", e.message);
    return e;
  }
  mark_from_scenario(s, r, true, x.prov);
  items.push_back(std::move(x));
  return ok_status();
}


// A [demand_scale] entry: product (or "*") = factor >= 0.
Result<DemandScale> read_demand_scale(const Field& f, const std::string& file) {
  Field scaled = f;
  scaled.key = "demand_scale." + f.key;  // the key and its range (io/ranges.cpp)
  Record r{file, f.line, {scaled}};
  auto factor = detail::parse_number(scaled, r, f.key);
  if (!factor) return factor.error();
  if (*factor < 0.0)
    return make_error(ErrorCategory::Value, fmt::format("demand factor {} is negative; expected a factor >= 0", *factor),
                      {file, f.line, "demand_scale." + f.key, f.key});
  return DemandScale{f.key, *factor, f.line};
}

// One scenario file without its bases: its overrides sorted into file order, and where its
// `base` key points (empty when none) with that key's line.
struct Layer {
  Scenario s;
  fs::path base;
  int base_line = 0;
  bool has_name = false, has_description = false;
};

// `text` is the file's contents (read by the caller, so a scenario can be read from memory).
Result<Layer> load_layer(const std::string& text, const fs::path& file) {
  auto parsed = parse_toml_text(text, file.string());
  if (!parsed) return parsed.error();
  const toml::table& root = *parsed;
  const std::string sfile = file.string();
  Layer layer;
  Scenario& s = layer.s;
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
    } else if (key == "rule") {
      auto recs = read_array_of_tables(v, key, sfile, detail::rule_columns());
      if (!recs) return recs.error();
      s.rules = std::move(*recs);
    } else if (key == "demand_scale") {
      const toml::table* t = v.as_table();
      if (!t)
        return make_error(ErrorCategory::Type, "expected a [demand_scale] table of product = factor",
                          {sfile, line, key, ""});
      for (const auto& [pk, pv] : *t) {
        auto f = detail::field_of(pk.str(), pv, sfile);
        if (!f) return f.error();
        auto ds = read_demand_scale(*f, sfile);
        if (!ds) return ds.error();
        s.demand_scale.push_back(std::move(*ds));
      }
    } else if (key == "base") {
      auto f = detail::field_of(key, v, sfile);
      if (!f) return f.error();
      if (!v.is_string() || f->text.empty())
        return make_error(ErrorCategory::Type, "expected base = \"other.toml\", the path of a scenario file",
                          {sfile, line, key, ""});
      fs::path p(f->text);
      layer.base = p.is_absolute() ? p : file.parent_path() / p;
      layer.base_line = line;
    } else if (key == "years") {
      // "2024:2050:5", or a list of years (kept as "2024,2030"); parsed by the pathway run.
      s.years = Field{key, "", line};
      if (const toml::array* a = v.as_array()) {
        for (const auto& y : *a) {
          auto yi = y.value<std::int64_t>();
          if (!yi || y.is_floating_point())
            return make_error(ErrorCategory::Type, "expected a list of years such as [2024, 2030, 2035]", {sfile, line, key, ""});
          s.years.text += (s.years.text.empty() ? "" : ",") + std::to_string(*yi);
        }
      } else {
        auto f = detail::field_of(key, v, sfile);
        if (!f) return f.error();
        s.years.text = f->text;
      }
    } else if (key == "pathway") {
      const toml::table* t = v.as_table();
      if (!t) return make_error(ErrorCategory::Type, "expected a [pathway] table", {sfile, line, key, ""});
      for (const auto& [pk, pv] : *t) {
        auto f = detail::field_of(pk.str(), pv, sfile);
        if (!f) return f.error();
        static constexpr std::string_view kKeys[] = {"discount_rate", "demand_path", "mode", "mip", "mip_gap", "time_limit_s"};
        if (std::find(std::begin(kKeys), std::end(kKeys), f->key) == std::end(kKeys))
          return make_error(ErrorCategory::Syntax,
                            fmt::format("unknown key '{}' in [pathway]; expected discount_rate, demand_path, mode "
                                        "(foresight or myopic), mip, mip_gap or time_limit_s",
                                        f->key),
                            {sfile, f->line, "pathway." + f->key, ""});
        f->key = std::string(pk.str());
        s.pathway.push_back(std::move(*f));
      }
    } else if (key == "path" || key == "option" || key == "project" || key == "resource") {
      const char* table = key == "path" ? "paths" : key == "option" ? "options" : key == "project" ? "projects" : "resources";
      auto recs = read_array_of_tables(v, key, sfile, detail::pathway_columns(table));
      if (!recs) return recs.error();
      (key == "path" ? s.paths : key == "option" ? s.pathway_options : key == "project" ? s.projects : s.resources) =
          std::move(*recs);
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
        layer.has_description = true;
      } else if (key == "dataset") {
        fs::path p(f->text);
        s.dataset = p.is_absolute() ? p : file.parent_path() / p;
        s.dataset_line = f->line;
        s.dataset_file = file;
      } else {
        s.builtin = f->text;
        s.dataset_line = f->line;
        s.dataset_file = file;
      }
    } else {
      return make_error(ErrorCategory::Syntax,
                        fmt::format("unknown key '{}'; expected name, description, base, dataset, builtin, [settings], "
                                    "[[facility]], [[route]], [[policy]], [[demand]], [[rule]], [demand_scale], years, [pathway], "
                                    "[[path]], [[option]], [[project]] or [[resource]]",
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
  std::stable_sort(s.rules.begin(), s.rules.end(), by_line);
  for (const Record& r : s.rules)
    if (!r.find("id") || r.find("id")->text.empty())
      return make_error(ErrorCategory::Missing, "a [[rule]] needs an id (an existing rule or a new one)",
                        {sfile, r.line, "id", ""});
  for (auto* recs : {&s.paths, &s.pathway_options, &s.projects, &s.resources})
    std::stable_sort(recs->begin(), recs->end(), by_line);
  for (const Record& r : s.facilities)
    if (!r.find("id") || r.find("id")->text.empty())
      return make_error(ErrorCategory::Missing, "a [[facility]] needs an id (an existing facility or a new one)",
                        {sfile, r.line, "id", ""});
  layer.has_name = !name_from_file;
  return layer;
}

// The layers from `file` down to its deepest base; `chain` holds the files above it (for cycles).
// `text` is the file's contents (the top file's may come from memory; bases are read from disk).
Status load_stack(const std::string& text, const fs::path& file, std::vector<fs::path>& chain,
                  std::vector<Layer>& layers) {
  auto layer = load_layer(text, file);
  if (!layer) return layer.error();
  std::error_code ec;
  chain.push_back(fs::weakly_canonical(file, ec));
  const fs::path base = layer->base;
  const int base_line = layer->base_line;
  layers.push_back(std::move(*layer));
  if (base.empty()) return ok_status();
  const std::string sfile = file.string();
  if (!fs::is_regular_file(base, ec))
    return make_error(ErrorCategory::Missing,
                      fmt::format("base scenario '{}' is not a file; expected the path of a scenario .toml, "
                                  "relative to this file's folder",
                                  base.string()),
                      {sfile, base_line, "base", base.string()});
  const fs::path canon = fs::weakly_canonical(base, ec);
  for (const fs::path& above : chain)
    if (above == canon) {
      std::string cycle;
      for (const fs::path& c : chain) cycle += c.filename().string() + " -> ";
      return make_error(ErrorCategory::Value,
                        fmt::format("base scenarios form a cycle ({}{}); expected a chain that ends in a scenario "
                                    "without base",
                                    cycle, base.filename().string()),
                        {sfile, base_line, "base", base.string()});
    }
  if (chain.size() >= 64)
    return make_error(ErrorCategory::Value, "more than 64 stacked base scenarios; expected a shorter chain",
                      {sfile, base_line, "base", base.string()});
  auto base_text = read_text_file(base.string());
  if (!base_text) return base_text.error();
  return load_stack(*base_text, base, chain, layers);
}

}  // namespace

Result<Scenario> load_scenario(const fs::path& file) {
  auto text = read_text_file(file.string());
  if (!text) return text.error();
  return parse_scenario(*text, file);
}

Result<Scenario> parse_scenario(const std::string& text, const fs::path& file) {
  std::vector<fs::path> chain;
  std::vector<Layer> layers;
  CADENA_TRY(load_stack(text, file, chain, layers));
  // Deepest base first; each layer on top adds its overrides after the ones below it.
  Scenario out = std::move(layers.back().s);
  for (std::size_t k = layers.size() - 1; k-- > 0;) {
    Layer& top = layers[k];
    out.bases.push_back(out.file);
    auto append = [](auto& into, auto& from) { into.insert(into.end(), from.begin(), from.end()); };
    append(out.settings, top.s.settings);
    append(out.facilities, top.s.facilities);
    append(out.routes, top.s.routes);
    append(out.policies, top.s.policies);
    append(out.demands, top.s.demands);
    append(out.demand_scale, top.s.demand_scale);
    append(out.rules, top.s.rules);
    append(out.pathway, top.s.pathway);
    append(out.paths, top.s.paths);
    append(out.pathway_options, top.s.pathway_options);
    append(out.projects, top.s.projects);
    append(out.resources, top.s.resources);
    if (top.s.years.line > 0) out.years = top.s.years;
    if (top.s.dataset_line > 0) {
      out.dataset = top.s.dataset;
      out.builtin = top.s.builtin;
      out.dataset_line = top.s.dataset_line;
      out.dataset_file = top.s.dataset_file;
    }
    out.file = top.s.file;
    out.name = top.s.name;  // this file's name, or its file stem
    if (top.has_description) out.description = top.s.description;
  }
  return out;
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

  for (const Record& r : s.rules) {
    const std::string id = text_of(r, "id");
    CADENA_TRY(override_or_add(
        s, r, d.rules, [&](const model::Rule& x) { return x.id == id; },
        [](const Record& row, bool is_new, model::Rule& x) { return detail::read_rule(row, is_new, x); }));
  }

  auto valid = model::validate(d);
  if (!valid) {
    // A record the scenario wrote carries the line of its [[table]] header; point at the key.
    Error e = valid.error();
    for (const auto* recs : {&s.facilities, &s.routes, &s.policies, &s.demands, &s.rules})
      for (const Record& r : *recs)
        if (e.context.file == r.file && e.context.line == r.line)
          if (const Field* f = r.find(e.context.key)) e.context.line = f->line;
    if (e.context.file.empty()) e.context.file = sfile;  // a dataset-wide problem the scenario made
    return e;
  }
  return d;
}

Result<model::Dataset> load_scenario_base(const Scenario& s) {
  auto base = s.dataset.empty() ? load_builtin(s.builtin) : load_dataset(s.dataset);
  if (!base) {
    // A base that is not there is the scenario's mistake: point at its `dataset` key. Errors
    // inside an existing base dataset keep pointing into that dataset's files.
    Error& e = base.error();
    const bool base_missing = e.category == ErrorCategory::Missing &&
                              (e.context.file.empty() || e.context.file == s.dataset.string());
    if (base_missing) {
      e.context = ErrorContext{s.dataset_file.empty() ? s.file.string() : s.dataset_file.string(), s.dataset_line,
                               s.dataset.empty() ? "builtin" : "dataset",
                               s.dataset.empty() ? s.builtin : s.dataset.string()};
    }
    return e;
  }
  return base;
}

Result<model::Dataset> load_scenario_dataset(const Scenario& s) {
  auto base = load_scenario_base(s);
  if (!base) return base.error();
  return apply_scenario(s, std::move(*base));
}

Result<bool> is_scenario_file(const fs::path& file) {
  if (file.filename() == "dataset.toml") return false;
  auto parsed = detail::parse_toml_file(file);
  if (!parsed) return parsed.error();
  return !parsed->contains("files");
}

Scenario baseline_scenario() {
  Scenario s;
  s.name = "baseline";
  return s;
}

namespace {

std::vector<std::string> split_key(std::string_view key) {
  std::vector<std::string> parts;
  for (std::string_view p : split(key, '.')) parts.emplace_back(p);
  return parts;
}

std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Status apply_assignment(Scenario& s, std::string_view assignment, std::string_view origin) {
  const std::string file(origin);
  const std::size_t eq = assignment.find('=');
  const std::string key(trim_blanks(assignment.substr(0, eq == std::string_view::npos ? 0 : eq)));
  const char* forms =
      "expected KEY=VALUE with KEY one of name, description, dataset, builtin, settings.<key> (or a setting "
      "key alone), facility.<id>.<column>, route.<from>.<to>.<product>.<column>, "
      "policy.<kind>.<product>.<from>.<to>.<column>, demand.<region>.<product>.<column>, demand_scale.<product>, "
      "rule.<id>.<column>";
  if (eq == std::string_view::npos || key.empty())
    return make_error(ErrorCategory::Syntax, fmt::format("cannot read '{}'; {}", assignment, forms), {file, 0, "", ""});
  std::string value(trim_blanks(assignment.substr(eq + 1)));
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
    value = value.substr(1, value.size() - 2);
  s.assignments.emplace_back(assignment);
  const auto parts = split_key(key);
  auto bad_key = [&](std::string why) {
    return make_error(ErrorCategory::Syntax, fmt::format("'{}' {}; {}", key, why, forms), {file, 0, key, ""});
  };
  for (const auto& p : parts)
    if (p.empty()) return bad_key("has an empty part");
  const std::string& head = parts.front();

  if (parts.size() == 1 && (head == "name" || head == "description" || head == "dataset" || head == "builtin")) {
    if (head == "name") {
      if (auto ok = check_folder_name(value); !ok)
        return make_error(ErrorCategory::Value, ok.error().message, {file, 0, key, ""});
      s.name = value;
    } else if (head == "description") {
      s.description = value;
    } else if (head == "dataset") {
      s.dataset = value;  // relative to the working directory
      s.builtin.clear();
      s.dataset_line = 0;
      s.dataset_file = file;
    } else {
      s.dataset.clear();
      s.builtin = value;
      s.dataset_line = 0;
      s.dataset_file = file;
    }
    return ok_status();
  }
  const bool setting_path = head == "settings" && parts.size() == 2;
  if (setting_path || (parts.size() == 1 && detail::is_setting_key(head))) {
    Field f{setting_path ? parts[1] : head, value, 0};
    model::Settings scratch;
    CADENA_TRY(detail::apply_setting(f, file, scratch));  // unknown key or bad value, said now
    s.settings.push_back(std::move(f));
    return ok_status();
  }
  if (head == "demand_scale" && parts.size() == 2) {
    auto ds = read_demand_scale(Field{parts[1], value, 0}, file);
    if (!ds) return ds.error();
    s.demand_scale.push_back(std::move(*ds));
    return ok_status();
  }
  // A table row: the identifying columns from the path, then the one column to set.
  // A table row: the identifying columns from the path, then the one column to set. Successive
  // assignments to the same row from the same origin join one record, so a new record can be
  // given column by column.
  auto row = [&](std::vector<Record>& rows, std::vector<std::pair<std::string, std::string>> ids,
                 const std::string& column, const detail::Columns& cols, std::string_view what) -> Status {
    Record r{file, 0, {}};
    for (auto& [k, v] : ids) r.fields.push_back(Field{k, v, 0});
    r.fields.push_back(Field{column, value, 0});
    Record shape = r;
    std::erase_if(shape.fields, [](const Field& f) { return f.key.rfind("output_", 0) == 0; });
    if (auto st = detail::check_keys(shape, cols, what); !st) {
      Error e = st.error();
      e.context.key = key;
      return e;
    }
    if (!rows.empty() && rows.back().file == file) {
      Record& last = rows.back();
      const bool same = std::all_of(ids.begin(), ids.end(), [&](const auto& kv) {
        const Field* f = last.find(kv.first);
        return f && f->text == kv.second;
      });
      if (same) {
        std::erase_if(last.fields, [&](const Field& f) { return f.key == column; });
        last.fields.push_back(Field{column, value, 0});
        return ok_status();
      }
    }
    rows.push_back(std::move(r));
    return ok_status();
  };
  if (head == "facility" && parts.size() >= 3) {
    std::string id = key.substr(head.size() + 1, key.size() - head.size() - 2 - parts.back().size());
    return row(s.facilities, {{"id", id}}, parts.back(), detail::facility_columns(2024), "[[facility]]");
  }
  if (head == "route" && parts.size() == 5) {
    return row(s.routes, {{"from", parts[1]}, {"to", parts[2]}, {"product", parts[3]}}, parts[4],
               detail::route_columns(), "[[route]]");
  }
  if (head == "policy" && parts.size() == 6) {
    return row(s.policies, {{"kind", parts[1]}, {"product", parts[2]}, {"from", parts[3]}, {"to", parts[4]}},
               parts[5], detail::policy_columns(), "[[policy]]");
  }
  if (head == "demand" && parts.size() == 4) {
    return row(s.demands, {{"region", parts[1]}, {"product", parts[2]}}, parts[3], detail::demand_columns(),
               "[[demand]]");
  }
  if (head == "rule" && parts.size() == 3)
    return row(s.rules, {{"id", parts[1]}}, parts[2], detail::rule_columns(), "[[rule]]");
  if (head == "settings" || head == "facility" || head == "route" || head == "policy" || head == "demand" ||
      head == "demand_scale" || head == "rule")
    return bad_key(fmt::format("has {} part{} after '{}', which does not fit", parts.size() - 1,
                               parts.size() == 2 ? "" : "s", head));
  return bad_key("names no scenario key");
}

}  // namespace cadena::io
