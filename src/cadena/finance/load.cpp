#include "cadena/finance/load.hpp"

#include "cadena/core/data_dir.hpp"
#include "cadena/core/text_file.hpp"
#include "cadena/core/toml_parse.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <set>
#include <sstream>

namespace cadena::finance {

namespace fs = std::filesystem;

namespace {

int line_of(const toml::node* n) { return n ? static_cast<int>(n->source().begin.line) : 0; }

Error fail(ErrorCategory c, const std::string& file, const toml::node* at, const std::string& key, std::string msg) {
  return make_error(c, std::move(msg), {file, line_of(at), key, ""});
}

std::string join(const std::string& prefix, std::string_view key) {
  return prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
}

// A view of one table of one file, with the dotted path used in messages.
struct Tbl {
  const toml::table* t = nullptr;
  std::string file;
  std::string prefix;

  const toml::node* get(std::string_view k) const { return t ? t->get(k) : nullptr; }
  std::string key(std::string_view k) const { return join(prefix, k); }

  Result<Tbl> sub(std::string_view k, bool required) const {
    const toml::node* n = get(k);
    if (!n) {
      if (required) return fail(ErrorCategory::Missing, file, t, key(k), "missing table [" + key(k) + "]");
      return Tbl{nullptr, file, key(k)};
    }
    if (!n->is_table()) return fail(ErrorCategory::Type, file, n, key(k), "expected a table");
    return Tbl{n->as_table(), file, key(k)};
  }

  Result<double> num(std::string_view k, std::optional<double> def, const char* expected) const {
    const toml::node* n = get(k);
    if (!n) {
      if (def) return *def;
      return fail(ErrorCategory::Missing, file, t, key(k), std::string("missing key; expected ") + expected);
    }
    if (auto v = n->value<double>(); v && (n->is_integer() || n->is_floating_point())) {
      if (!std::isfinite(*v)) return fail(ErrorCategory::Value, file, n, key(k), std::string("expected ") + expected);
      return *v;
    }
    return fail(ErrorCategory::Type, file, n, key(k), std::string("expected a number: ") + expected);
  }

  // A number that must satisfy lo <= x <= hi (open bounds with the flags).
  Result<double> ranged(std::string_view k, std::optional<double> def, double lo, double hi, const char* expected,
                        bool lo_open = false, bool hi_open = false) const {
    auto v = num(k, def, expected);
    if (!v) return v;
    const double x = *v;
    if ((lo_open ? x <= lo : x < lo) || (hi_open ? x >= hi : x > hi))
      return fail(ErrorCategory::Value, file, get(k), key(k), "value " + fmt(x) + " out of range; expected " + expected);
    return v;
  }

  Result<long> integer(std::string_view k, std::optional<long> def, long lo, long hi, const char* expected) const {
    const toml::node* n = get(k);
    if (!n) {
      if (def) return *def;
      return fail(ErrorCategory::Missing, file, t, key(k), std::string("missing key; expected ") + expected);
    }
    if (!n->is_integer()) return fail(ErrorCategory::Type, file, n, key(k), std::string("expected an integer: ") + expected);
    const long v = static_cast<long>(n->as_integer()->get());
    if (v < lo || v > hi)
      return fail(ErrorCategory::Value, file, n, key(k), "value " + std::to_string(v) + " out of range; expected " + expected);
    return v;
  }

  Result<std::string> str(std::string_view k, std::optional<std::string> def, const char* expected) const {
    const toml::node* n = get(k);
    if (!n) {
      if (def) return *def;
      return fail(ErrorCategory::Missing, file, t, key(k), std::string("missing key; expected ") + expected);
    }
    if (!n->is_string()) return fail(ErrorCategory::Type, file, n, key(k), std::string("expected a string: ") + expected);
    return n->as_string()->get();
  }

  Result<bool> boolean(std::string_view k, bool def) const {
    const toml::node* n = get(k);
    if (!n) return def;
    if (!n->is_boolean()) return fail(ErrorCategory::Type, file, n, key(k), "expected true or false");
    return n->as_boolean()->get();
  }

  // A scalar (repeated) or a list of numbers, each within [lo, hi]; a list shorter than n holds
  // its last value, a longer one is an error. n = 0: any length, no padding.
  Result<std::vector<double>> series(std::string_view k, int n, double lo, double hi, const char* expected,
                                     bool required, Error (*range_error)(Error) = nullptr) const {
    const toml::node* node = get(k);
    if (!node) {
      if (!required) return std::vector<double>{};
      return fail(ErrorCategory::Missing, file, t, key(k), std::string("missing key; expected ") + expected);
    }
    std::vector<double> out;
    auto check = [&](const toml::node& e) -> Status {
      auto v = e.value<double>();
      if (!v || !(e.is_integer() || e.is_floating_point()))
        return fail(ErrorCategory::Type, file, &e, key(k), std::string("expected a number: ") + expected);
      if (!(*v >= lo && *v <= hi)) {
        Error err = fail(ErrorCategory::Value, file, &e, key(k), "value " + fmt(*v) + " out of range; expected " + expected);
        return range_error && *v > hi ? range_error(err) : err;  // the hook names the upper-bound breach
      }
      out.push_back(*v);
      return ok_status();
    };
    if (const auto* arr = node->as_array()) {
      if (arr->empty() && required) return fail(ErrorCategory::Value, file, node, key(k), "empty list; expected " + std::string(expected));
      if (n > 0 && static_cast<int>(arr->size()) > n)
        return fail(ErrorCategory::Value, file, node, key(k),
                    "list has " + std::to_string(arr->size()) + " values; expected at most " + std::to_string(n));
      for (const auto& e : *arr) CADENA_TRY(check(e));
      while (n > 0 && !out.empty() && static_cast<int>(out.size()) < n) out.push_back(out.back());
    } else {
      CADENA_TRY(check(*node));
      if (n > 0) out.assign(static_cast<std::size_t>(n), out.front());
    }
    return out;
  }

  static std::string fmt(double x) {
    std::ostringstream s;
    s << x;
    return s.str();
  }
};

// ---- Fiscal regimes: the project's [fiscal.override], then the regime file, then its bases. ----

struct Layer {
  std::shared_ptr<toml::table> owned;
  const toml::table* t;
  std::string file;
  bool regime_file;  // false for the project's override table
};

struct Layers {
  std::vector<Layer> list;

  // The first layer holding path (dotted), and that layer.
  std::pair<Tbl, const toml::node*> find(const std::string& table_path, std::string_view k) const {
    for (const auto& l : list) {
      const toml::node* tn = table_path.empty() ? l.t : l.t->at_path(table_path).node();
      if (!tn || !tn->is_table()) continue;
      if (const toml::node* n = tn->as_table()->get(k)) return {Tbl{tn->as_table(), l.file, table_path}, n};
    }
    return {Tbl{}, nullptr};
  }
  // A Tbl positioned on the layer that holds the key (or the first layer that has the table, for
  // defaults and "missing" messages).
  Tbl holder(const std::string& table_path, std::string_view k) const {
    auto [tbl, n] = find(table_path, k);
    if (n) return tbl;
    for (const auto& l : list) {
      const toml::node* tn = l.t->at_path(table_path).node();
      if (tn && tn->is_table()) return Tbl{tn->as_table(), l.file, table_path};
    }
    return Tbl{nullptr, list.empty() ? "" : list.back().file, table_path};
  }
  bool has_table(const std::string& table_path) const {
    for (const auto& l : list) {
      const toml::node* tn = l.t->at_path(table_path).node();
      if (tn && tn->is_table()) return true;
    }
    return false;
  }
  // The regime file must say where each section's figures come from.
  Status require_source(const std::string& table_path) const {
    for (const auto& l : list) {
      if (!l.regime_file) continue;
      const toml::node* tn = l.t->at_path(table_path).node();
      if (!tn || !tn->is_table()) continue;
      const toml::node* s = tn->as_table()->get("source");
      if (s && s->is_string() && !s->as_string()->get().empty()) return ok_status();
      return fail(ErrorCategory::Missing, l.file, tn, join(table_path, "source"),
                  "every fiscal parameter needs its source: add source = \"...\" to [" + table_path + "]");
    }
    return ok_status();
  }
};

// A key the reader does not know is an error, not a silent default: in a financial model a
// misspelt "sustaining_musd_per_yr" would otherwise drop a cost without a word.
Status check_keys(const toml::table& t, const std::string& file, const std::string& prefix,
                  std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : t) {
    bool known = false;
    for (auto a : allowed) known |= (k.str() == a);
    if (known) continue;
    std::string list;
    for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return fail(ErrorCategory::Value, file, &v, join(prefix, k.str()),
                "unknown key; expected one of: " + list);
  }
  return ok_status();
}

// "dotted.key = value" for every leaf of an override table, in file order.
void describe_overrides(const toml::table& t, const std::string& prefix, std::vector<std::string>& out) {
  for (const auto& [k, v] : t) {
    const std::string key = join(prefix, k.str());
    if (const auto* sub = v.as_table()) {
      describe_overrides(*sub, key, out);
      continue;
    }
    std::ostringstream s;
    if (v.is_integer() || v.is_floating_point()) s << Tbl::fmt(*v.value<double>());
    else if (v.is_boolean()) s << (v.as_boolean()->get() ? "true" : "false");
    else if (v.is_string()) s << '"' << v.as_string()->get() << '"';
    else if (const auto* arr = v.as_array()) s << *arr;
    else s << "...";
    out.push_back(key + " = " + s.str());
  }
}

// Keys each section of a regime file (or a project's [fiscal.override]) may hold.
Status check_regime_keys(const toml::table& root, const std::string& file, const std::string& prefix, bool regime_file) {
  for (const auto& [k, v] : root) {
    const std::string key(k.str());
    const std::string full = join(prefix, key);
    const toml::table* t = v.as_table();
    if (!t) return fail(ErrorCategory::Type, file, &v, full, "expected a table");
    if (key == "regime") {
      if (!regime_file) return fail(ErrorCategory::Value, file, &v, full, "[regime] cannot be overridden; choose another regime");
      CADENA_TRY(check_keys(*t, file, full, {"id", "name", "country", "base"}));
    } else if (key == "levies") {
      for (const auto& [lk, lv] : *t) {
        const std::string lfull = join(full, lk.str());
        if (!lv.is_table()) return fail(ErrorCategory::Type, file, &lv, lfull, "expected a table per levy");
        CADENA_TRY(check_keys(*lv.as_table(), file, lfull,
                              {"kind", "mode", "rate", "mine_head_opex_deduction", "brackets", "min_rate_on_revenue",
                               "deductible", "enabled", "source"}));
      }
    } else if (key == "export_duty") {
      CADENA_TRY(check_keys(*t, file, full, {"rate", "free_from_year", "source"}));
    } else if (key == "income_tax") {
      CADENA_TRY(check_keys(*t, file, full,
                            {"rate", "reduced_rate", "reduced_years", "initial_depreciation",
                             "sustaining_depreciation_years", "loss_carryforward_years", "loss_offset_limit", "source"}));
    } else if (key == "burden_cap") {
      CADENA_TRY(check_keys(*t, file, full, {"share", "source"}));
    } else {
      return fail(ErrorCategory::Value, file, &v, full,
                  "unknown section; expected regime, levies, export_duty, income_tax or burden_cap");
    }
  }
  return ok_status();
}

std::string regime_path(const std::string& id) { return (data_dir() / "fiscal" / (id + ".toml")).string(); }

std::string known_regimes() {
  std::set<std::string> ids;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(data_dir() / "fiscal", ec))
    if (e.path().extension() == ".toml") ids.insert(e.path().stem().string());
  std::string s;
  for (const auto& id : ids) s += (s.empty() ? "" : ", ") + id;
  return s.empty() ? "(none found in " + (data_dir() / "fiscal").string() + ")" : s;
}

// Appends the regime file `id` and the chain of files it builds on.
Status add_regime_layers(Layers& layers, const std::string& id, const std::string& ref_file, const toml::node* ref_node,
                         const std::string& ref_key, int depth) {
  if (depth > 8) return fail(ErrorCategory::Reference, ref_file, ref_node, ref_key, "regime bases form a cycle");
  bool plain = !id.empty();
  for (char c : id) plain &= (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  const std::string path = regime_path(id);
  std::error_code ec;
  if (!plain || !fs::exists(path, ec))
    return fail(ErrorCategory::Reference, ref_file, ref_node, ref_key,
                "unknown fiscal regime '" + id + "'; expected one of: " + known_regimes());
  auto text = read_text_file(path);
  if (!text) return text.error();
  auto tbl = parse_toml_text(*text, path);
  if (!tbl) return tbl.error();
  auto owned = std::make_shared<toml::table>(std::move(*tbl));
  CADENA_TRY(check_regime_keys(*owned, path, "", true));
  layers.list.push_back({owned, owned.get(), path, true});
  Tbl root{owned.get(), path, ""};
  auto reg = root.sub("regime", true);
  if (!reg) return reg.error();
  auto base = reg->str("base", std::string(), "the id of a regime this one modifies");
  if (!base) return base.error();
  if (!base->empty()) return add_regime_layers(layers, *base, path, reg->get("base"), "regime.base", depth + 1);
  return ok_status();
}

Result<Levy> parse_levy(const Layers& L, const std::string& name) {
  const std::string tp = "levies." + name;
  CADENA_TRY(L.require_source(tp));
  Levy l;
  l.name = name;
  auto kind = L.holder(tp, "kind").str("kind", std::nullopt, "\"ad_valorem\", \"price_tiered\" or \"margin_tiered\"");
  if (!kind) return kind.error();
  if (*kind == "ad_valorem") l.kind = LevyKind::AdValorem;
  else if (*kind == "price_tiered") l.kind = LevyKind::PriceTiered;
  else if (*kind == "margin_tiered") l.kind = LevyKind::MarginTiered;
  else {
    auto h = L.holder(tp, "kind");
    return fail(ErrorCategory::Value, h.file, h.get("kind"), h.key("kind"),
                "unknown levy kind '" + *kind + "'; expected \"ad_valorem\", \"price_tiered\" or \"margin_tiered\"");
  }
  auto mode = L.holder(tp, "mode").str("mode", std::string("marginal"), "\"marginal\" or \"whole\"");
  if (!mode) return mode.error();
  if (*mode == "whole") l.mode = TierMode::Whole;
  else if (*mode != "marginal") {
    auto h = L.holder(tp, "mode");
    return fail(ErrorCategory::Value, h.file, h.get("mode"), h.key("mode"), "expected \"marginal\" or \"whole\"");
  }
  auto num = [&](std::string_view k, double def, double lo, double hi, const char* what) {
    return L.holder(tp, k).ranged(k, def, lo, hi, what);
  };
  auto rate = num("rate", 0.0, 0.0, 1.0, "a rate between 0 and 1");
  if (!rate) return rate.error();
  l.rate = *rate;
  auto ded = num("mine_head_opex_deduction", 0.0, 0.0, 1.0, "a share of opex between 0 and 1");
  if (!ded) return ded.error();
  l.mine_head_opex_deduction = *ded;
  auto floor = num("min_rate_on_revenue", 0.0, 0.0, 1.0, "a rate between 0 and 1");
  if (!floor) return floor.error();
  l.min_rate_on_revenue = *floor;
  auto deductible = L.holder(tp, "deductible").boolean("deductible", true);
  if (!deductible) return deductible.error();
  l.deductible = *deductible;
  if (l.kind != LevyKind::AdValorem) {
    auto [h, node] = L.find(tp, "brackets");
    if (!node) {
      auto hh = L.holder(tp, "brackets");
      return fail(ErrorCategory::Missing, hh.file, hh.t, hh.key("brackets"),
                  "a tiered levy needs brackets = [{ upto = ..., rate = ... }, ..., { rate = ... }]");
    }
    const auto* arr = node->as_array();
    if (!arr || arr->empty())
      return fail(ErrorCategory::Type, h.file, node, h.key("brackets"), "expected a non-empty list of { upto, rate } tables");
    double prev = -1e300;
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto* bt = arr->get(i)->as_table();
      if (!bt) return fail(ErrorCategory::Type, h.file, arr->get(i), h.key("brackets"), "expected a table { upto, rate }");
      Tbl b{bt, h.file, h.key("brackets") + "[" + std::to_string(i) + "]"};
      const bool last = i + 1 == arr->size();
      Bracket br;
      auto r = b.ranged("rate", std::nullopt, 0.0, 1.0, "a rate between 0 and 1");
      if (!r) return r.error();
      br.rate = *r;
      auto up = b.num("upto", last ? std::optional<double>(br.upto) : std::nullopt, "the bracket's upper bound");
      if (!up) return up.error();
      if (!(*up > prev))
        return fail(ErrorCategory::Value, h.file, bt, b.key("upto"), "bracket bounds must increase");
      br.upto = *up;
      prev = *up;
      l.brackets.push_back(br);
    }
  }
  return l;
}

Result<FiscalRegime> build_regime(const Layers& L) {
  FiscalRegime f;
  const Layer& file = *std::find_if(L.list.begin(), L.list.end(), [](const Layer& l) { return l.regime_file; });
  Tbl reg{file.t->get("regime")->as_table(), file.file, "regime"};
  auto id = reg.str("id", std::nullopt, "the regime id (its file name)");
  if (!id) return id.error();
  f.id = *id;
  auto name = reg.str("name", std::string(*id), "a descriptive name");
  if (!name) return name.error();
  f.name = *name;

  // Levies: the union of names over all layers; enabled = false drops one.
  std::vector<std::string> names;
  for (const auto& l : L.list)
    if (const auto* lv = l.t->get_as<toml::table>("levies"))
      for (const auto& [k, v] : *lv) {
        if (!v.is_table())
          return fail(ErrorCategory::Type, l.file, &v, "levies." + std::string(k.str()), "expected a table per levy");
        if (std::find(names.begin(), names.end(), k.str()) == names.end()) names.emplace_back(k.str());
      }
  for (const auto& n : names) {
    auto en = L.holder("levies." + n, "enabled").boolean("enabled", true);
    if (!en) return en.error();
    if (!*en) continue;
    auto levy = parse_levy(L, n);
    if (!levy) return levy.error();
    f.levies.push_back(std::move(*levy));
  }

  if (L.has_table("export_duty")) {
    CADENA_TRY(L.require_source("export_duty"));
    auto r = L.holder("export_duty", "rate").ranged("rate", 0.0, 0.0, 1.0, "a rate between 0 and 1");
    if (!r) return r.error();
    f.export_duty_rate = *r;
    auto y = L.holder("export_duty", "free_from_year").integer("free_from_year", 0, 0, 1000,
                                                                "a project year >= 1, or 0 for never");
    if (!y) return y.error();
    f.export_duty_free_from_year = static_cast<int>(*y);
  }

  {
    auto it = L.holder("income_tax", "rate");
    if (!it.t) return fail(ErrorCategory::Missing, file.file, file.t, "income_tax", "missing table [income_tax]");
    CADENA_TRY(L.require_source("income_tax"));
    auto r = it.ranged("rate", std::nullopt, 0.0, 0.99, "a rate between 0 and 0.99");
    if (!r) return r.error();
    f.income_tax_rate = *r;
    auto rr = L.holder("income_tax", "reduced_rate").ranged("reduced_rate", 0.0, 0.0, 0.99, "a rate between 0 and 0.99");
    if (!rr) return rr.error();
    f.reduced_tax_rate = *rr;
    auto ry = L.holder("income_tax", "reduced_years").integer("reduced_years", 0, 0, 200, "a number of production years");
    if (!ry) return ry.error();
    f.reduced_tax_years = static_cast<int>(*ry);
    auto dh = L.holder("income_tax", "initial_depreciation");
    if (dh.get("initial_depreciation")) {
      auto d = dh.series("initial_depreciation", 0, 0.0, 1.0, "shares between 0 and 1 summing to 1", true);
      if (!d) return d.error();
      double s = 0.0;
      for (double x : *d) s += x;
      if (std::fabs(s - 1.0) > 1e-6)
        return fail(ErrorCategory::Value, dh.file, dh.get("initial_depreciation"), dh.key("initial_depreciation"),
                    "depreciation shares sum to " + Tbl::fmt(s) + "; expected 1");
      f.initial_depreciation = *d;
    }
    auto sy = L.holder("income_tax", "sustaining_depreciation_years")
                  .integer("sustaining_depreciation_years", 5, 1, 100, "a number of years >= 1");
    if (!sy) return sy.error();
    f.sustaining_depreciation_years = static_cast<int>(*sy);
    auto lc = L.holder("income_tax", "loss_carryforward_years")
                  .integer("loss_carryforward_years", 0, 0, 100, "a number of years, 0 for no expiry");
    if (!lc) return lc.error();
    f.loss_carryforward_years = static_cast<int>(*lc);
    auto lo = L.holder("income_tax", "loss_offset_limit").ranged("loss_offset_limit", 1.0, 0.0, 1.0, "a share between 0 and 1");
    if (!lo) return lo.error();
    f.loss_offset_limit = *lo;
  }
  if (L.has_table("burden_cap")) {
    CADENA_TRY(L.require_source("burden_cap"));
    auto c = L.holder("burden_cap", "share").ranged("share", std::nullopt, 0.0, 1.0, "a share of operating profit");
    if (!c) return c.error();
    f.burden_cap = *c;
  }
  return f;
}

Result<Distribution> parse_distribution(const Tbl& t) {
  auto dist = t.str("dist", std::nullopt, "triangular, pert, normal, lognormal, uniform or discrete");
  if (!dist) return dist.error();
  auto wrap = [&](Result<Distribution> r) -> Result<Distribution> {
    if (!r) return fail(r.error().category, t.file, t.t, t.key("dist"), r.error().message);
    return r;
  };
  auto n = [&](std::string_view k) { return t.num(k, std::nullopt, "a number"); };
  if (*dist == "triangular" || *dist == "pert") {
    auto a = n("min");
    if (!a) return a.error();
    auto m = n("mode");
    if (!m) return m.error();
    auto b = n("max");
    if (!b) return b.error();
    if (*dist == "triangular") return wrap(Distribution::triangular(*a, *m, *b));
    auto lam = t.num("lambda", 4.0, "a shape parameter > 0");
    if (!lam) return lam.error();
    return wrap(Distribution::pert(*a, *m, *b, *lam));
  }
  if (*dist == "normal") {
    auto m = n("mean");
    if (!m) return m.error();
    auto s = n("sd");
    if (!s) return s.error();
    return wrap(Distribution::normal(*m, *s));
  }
  if (*dist == "lognormal") {
    auto m = n("mu");
    if (!m) return m.error();
    auto s = n("sigma");
    if (!s) return s.error();
    return wrap(Distribution::lognormal(*m, *s));
  }
  if (*dist == "uniform") {
    auto a = n("min");
    if (!a) return a.error();
    auto b = n("max");
    if (!b) return b.error();
    return wrap(Distribution::uniform(*a, *b));
  }
  if (*dist == "discrete") {
    auto v = t.series("values", 0, -1e300, 1e300, "a list of values", true);
    if (!v) return v.error();
    auto p = t.series("probabilities", 0, -1e300, 1e300, "a list of probabilities", true);
    if (!p) return p.error();
    return wrap(Distribution::discrete(*v, *p));
  }
  return fail(ErrorCategory::Value, t.file, t.get("dist"), t.key("dist"),
              "unknown distribution '" + *dist + "'; expected triangular, pert, normal, lognormal, uniform or discrete");
}

std::optional<Variable> variable_named(const std::string& s) {
  for (int i = 0; i < kVariableCount; ++i)
    if (s == to_string(static_cast<Variable>(i))) return static_cast<Variable>(i);
  return std::nullopt;
}

Result<MonteCarloSpec> parse_montecarlo(const Tbl& mc) {
  MonteCarloSpec s;
  auto paths = mc.integer("paths", 10000, 1, 100000000L, "a number of paths between 1 and 1e8");
  if (!paths) return paths.error();
  s.paths = *paths;
  auto seed = mc.integer("seed", 1, 0, std::numeric_limits<long>::max(), "a non-negative integer seed");
  if (!seed) return seed.error();
  s.seed = static_cast<std::uint64_t>(*seed);
  for (const auto& [k, v] : *mc.t) {
    const std::string key(k.str());
    if (key == "paths" || key == "seed" || key == "correlation") continue;
    auto var = variable_named(key);
    if (!var)
      return fail(ErrorCategory::Value, mc.file, &v, mc.key(key),
                  "unknown uncertain variable; expected price, capex, opex, recovery or ramp_delay");
    if (!v.is_table()) return fail(ErrorCategory::Type, mc.file, &v, mc.key(key), "expected a table { dist = ..., ... }");
    auto d = parse_distribution(Tbl{v.as_table(), mc.file, mc.key(key)});
    if (!d) return d.error();
    s.vars[static_cast<int>(*var)] = std::move(*d);
  }
  if (const toml::node* cn = mc.get("correlation")) {
    const auto* arr = cn->as_array();
    if (!arr) return fail(ErrorCategory::Type, mc.file, cn, mc.key("correlation"), "expected [[montecarlo.correlation]] tables");
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto* ct = arr->get(i)->as_table();
      if (!ct) return fail(ErrorCategory::Type, mc.file, arr->get(i), mc.key("correlation"), "expected a table { a, b, rho }");
      Tbl c{ct, mc.file, mc.key("correlation")};
      auto a = c.str("a", std::nullopt, "a variable name");
      if (!a) return a.error();
      auto b = c.str("b", std::nullopt, "a variable name");
      if (!b) return b.error();
      auto rho = c.ranged("rho", std::nullopt, -1.0, 1.0, "a correlation strictly between -1 and 1", true, true);
      if (!rho) return rho.error();
      auto va = variable_named(*a), vb = variable_named(*b);
      if (!va || !vb)
        return fail(ErrorCategory::Value, c.file, ct, c.key(!va ? "a" : "b"),
                    "unknown variable; expected price, capex, opex, recovery or ramp_delay");
      s.correlations.push_back({*va, *vb, *rho});
    }
  }
  auto chol = copula_factor(s);
  if (!chol) return fail(chol.error().category, mc.file, mc.get("correlation") ? mc.get("correlation") : mc.t,
                         mc.key("correlation"), chol.error().message);
  return s;
}

// A zero or negative marginal price (a region the run over-supplies) makes no deck.
std::string fmt_price_error(const std::string& label, const std::string& product, const std::string& region, double v) {
  std::ostringstream o;
  o << "the " << label << " price of '" << product << "' in '" << region << "' is " << v
    << " USD; a project deck needs a price > 0";
  return o.str();
}

// Price deck from a CSV file "year,price": production year (1 = first) and USD/t.
Result<std::vector<double>> read_price_csv(const std::string& path, int years) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  std::istringstream in(*text);
  std::string line;
  std::vector<double> deck(static_cast<std::size_t>(years), kNaN);
  int ln = 0;
  while (std::getline(in, line)) {
    ++ln;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto comma = line.find(',');
    char* end = nullptr;
    const std::string ys = line.substr(0, comma), ps = comma == std::string::npos ? "" : line.substr(comma + 1);
    const long y = std::strtol(ys.c_str(), &end, 10);
    if (end == ys.c_str() || *end != '\0') {
      if (ln == 1) continue;  // header
      return make_error(ErrorCategory::Syntax, "expected 'year,price' with an integer production year", {path, ln, "year", ""});
    }
    const double price = std::strtod(ps.c_str(), &end);
    if (ps.empty() || *end != '\0' || !(price > 0.0 && price <= 1e9))  // as usd_per_t; "inf" parses
      return make_error(ErrorCategory::Value, "expected a positive price in USD/t, at most 1e9", {path, ln, "price", ""});
    if (y < 1 || y > years)
      return make_error(ErrorCategory::Value,
                        "production year " + std::to_string(y) + " outside 1.." + std::to_string(years), {path, ln, "year", ""});
    deck[static_cast<std::size_t>(y - 1)] = price;
  }
  if (std::isnan(deck[0])) return make_error(ErrorCategory::Missing, "no price for production year 1", {path, 0, "year", ""});
  for (std::size_t i = 1; i < deck.size(); ++i)
    if (std::isnan(deck[i])) deck[i] = deck[i - 1];  // a gap holds the last price
  return deck;
}

Error ramp_error(Error e) {
  e.message = "ramp-up above 100 % of capacity: " + e.message;
  return e;
}

}  // namespace

Result<FiscalRegime> load_regime(const std::string& id) {
  Layers L;
  CADENA_TRY(add_regime_layers(L, id, "", nullptr, "regime", 0));
  return build_regime(L);
}

Result<ProjectFile> load_project(const std::string& path, const PriceSource& prices) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  return parse_project(*text, path, prices);
}

Result<ProjectFile> parse_project(const std::string& text, const std::string& path, const PriceSource& prices) {
  auto parsed = parse_toml_text(text, path);
  if (!parsed) return parsed.error();
  const toml::table& root_t = *parsed;
  Tbl root{&root_t, path, ""};
  ProjectFile out;
  out.path = path;
  Project& p = out.project;

#define CADENA_GET(var, expr)          \
  auto var = (expr);                   \
  if (!var) return var.error();

  CADENA_TRY(check_keys(root_t, path, "",
                        {"project", "timeline", "production", "price", "opex", "capex", "working_capital", "economics",
                         "fiscal", "published", "montecarlo"}));
  struct Allowed {
    const char* table;
    std::initializer_list<std::string_view> keys;
  };
  const Allowed allowed[] = {
      {"project", {"name", "product", "source", "description"}},
      {"timeline", {"construction_years", "production_years", "closure_years"}},
      {"production", {"capacity_tpa", "schedule_t", "ramp"}},
      {"price", {"deck", "usd_per_t", "path", "db", "run", "product", "region"}},
      {"opex", {"usd_per_t", "fixed_musd_per_year"}},
      {"capex", {"initial_musd", "initial_split", "sustaining_musd_per_year", "sustaining_usd_per_t", "closure_musd", "deferred"}},
      {"working_capital", {"share_of_revenue"}},
      {"economics", {"discount_rate", "money", "inflation", "discounting"}},
      {"fiscal", {"regime", "override"}},
      {"published", {"source", "npv_after_tax_musd", "irr_after_tax", "npv_pre_tax_musd", "irr_pre_tax", "payback_years",
                     "reproduced", "note"}},
  };
  for (const auto& a : allowed)
    if (const auto* t = root_t.get_as<toml::table>(a.table)) CADENA_TRY(check_keys(*t, path, a.table, a.keys));

  CADENA_GET(proj, root.sub("project", true));
  CADENA_GET(name, proj->str("name", std::nullopt, "the project's name"));
  p.name = *name;
  CADENA_GET(product, proj->str("product", std::string("product"), "the product sold"));
  p.product = *product;

  CADENA_GET(tl, root.sub("timeline", true));
  CADENA_GET(cy, tl->integer("construction_years", std::nullopt, 0, 20, "a number of years between 0 and 20"));
  CADENA_GET(py, tl->integer("production_years", std::nullopt, 1, 200, "a number of years between 1 and 200"));
  CADENA_GET(ky, tl->integer("closure_years", 1, 0, 50, "a number of years between 0 and 50"));
  p.construction_years = static_cast<int>(*cy);
  p.production_years = static_cast<int>(*py);
  p.closure_years = static_cast<int>(*ky);
  const int P = p.production_years, C = p.construction_years;

  CADENA_GET(prod, root.sub("production", true));
  if (prod->get("schedule_t")) {
    CADENA_GET(s, prod->series("schedule_t", P, 0.0, 1e12, "tonnes per production year, >= 0", true));
    p.capacity_t = *s;
  } else {
    CADENA_GET(cap, prod->ranged("capacity_tpa", std::nullopt, 0.0, 1e12, "a capacity in tonnes per year > 0", true));
    p.capacity_t.assign(static_cast<std::size_t>(P), *cap);
  }
  CADENA_GET(ramp, prod->series("ramp", 0, 0.0, 1.0, "a share of capacity between 0 and 1 (1 = 100 %)", false, ramp_error));
  if (static_cast<int>(ramp->size()) > P)
    return fail(ErrorCategory::Value, path, prod->get("ramp"), prod->key("ramp"), "ramp-up is longer than production");
  p.ramp = *ramp;

  CADENA_GET(price, root.sub("price", true));
  CADENA_GET(deck, price->str("deck", std::string("flat"), "\"flat\", \"by_year\", \"file\" or \"store\""));
  if (*deck == "flat") {
    CADENA_GET(v, price->ranged("usd_per_t", std::nullopt, 0.0, 1e9, "a price in USD/t > 0", true));
    p.price_usd_per_t.assign(static_cast<std::size_t>(P), *v);
  } else if (*deck == "by_year") {
    CADENA_GET(v, price->series("usd_per_t", P, 0.0, 1e9, "prices in USD/t, one per production year (the last holds)", true));
    p.price_usd_per_t = *v;
  } else if (*deck == "file") {
    CADENA_GET(f, price->str("path", std::nullopt, "a CSV file 'year,price', relative to the project file"));
    const fs::path csv = fs::path(*f).is_absolute() ? fs::path(*f) : fs::path(path).parent_path() / *f;
    auto v = read_price_csv(csv.string(), P);
    if (!v) return v.error();
    p.price_usd_per_t = *v;
  } else if (*deck == "store") {
    CADENA_GET(db, price->str("db", std::nullopt, "the path of a results store written by `cadena run --db`"));
    CADENA_GET(run, price->str("run", std::nullopt, "a run id or a scenario name in the store"));
    CADENA_GET(sp, price->str("product", std::nullopt, "a product id of the run, priced in USD per tonne (e.g. \"li2co3\")"));
    CADENA_GET(region, price->str("region", std::nullopt, "a demand region of the run, or a country code"));
    StoreDeck sd;
    sd.db = (fs::path(*db).is_absolute() ? fs::path(*db) : fs::path(path).parent_path() / *db).string();
    sd.run = *run;
    sd.product = *sp;
    sd.region = *region;
    if (!prices)
      return fail(ErrorCategory::Value, path, price->get("deck"), price->key("deck"),
                  "a \"store\" price deck needs a results-store reader; this front end has none");
    auto got = prices(sd);
    if (!got) {
      // The source names the key at fault; put the project file's line for it beside the store's message.
      Error e = got.error();
      const std::string k = e.context.key.empty() ? std::string("db") : e.context.key;
      const std::string where = e.context.file;
      e.message = (where.empty() ? "" : where + ": ") + e.message;
      e.context = ErrorContext{path, line_of(price->get(k) ? price->get(k) : price->get("deck")), price->key(k), e.context.element};
      return e;
    }
    // Finance prices are per tonne; a run prices every product in its own unit ("t LCE", "GWh").
    if (!(got->unit == "t" || got->unit.rfind("t ", 0) == 0))
      return fail(ErrorCategory::Unit, path, price->get("product"), price->key("product"),
                  "the " + got->label + " price of '" + sd.product + "' is in USD per " + got->unit +
                      "; a project deck needs USD per tonne");
    if (!(got->usd_per_unit > 0.0) || !std::isfinite(got->usd_per_unit))
      return fail(ErrorCategory::Value, path, price->get("region"), price->key("region"),
                  fmt_price_error(got->label, sd.product, sd.region, got->usd_per_unit));
    p.price_usd_per_t.assign(static_cast<std::size_t>(P), got->usd_per_unit);
    out.deck_label = got->label;
    out.store_deck = std::move(sd);
  } else {
    return fail(ErrorCategory::Value, path, price->get("deck"), price->key("deck"),
                "unknown price deck '" + *deck + "'; expected \"flat\", \"by_year\", \"file\" or \"store\"");
  }

  CADENA_GET(opex, root.sub("opex", true));
  CADENA_GET(ou, opex->series("usd_per_t", P, 0.0, 1e9, "operating cost in USD per tonne sold, >= 0", true));
  p.opex_usd_per_t = *ou;
  CADENA_GET(of, opex->ranged("fixed_musd_per_year", 0.0, 0.0, 1e6, "fixed cost in MUSD per year, >= 0"));
  p.fixed_opex_musd_per_year = *of;

  CADENA_GET(capex, root.sub("capex", true));
  {
    const toml::node* ini = capex->get("initial_musd");
    if (ini && ini->is_array()) {
      CADENA_GET(v, capex->series("initial_musd", C, 0.0, 1e7, "capex in MUSD per construction year, >= 0", true));
      if (static_cast<int>(ini->as_array()->size()) != C)
        return fail(ErrorCategory::Value, path, ini, capex->key("initial_musd"),
                    "expected one value per construction year (" + std::to_string(C) + ")");
      p.initial_capex_musd = *v;
    } else {
      CADENA_GET(total, capex->ranged("initial_musd", std::nullopt, 0.0, 1e7, "initial capex in MUSD, >= 0"));
      std::vector<double> split(static_cast<std::size_t>(std::max(C, 1)), 1.0 / std::max(C, 1));
      if (const toml::node* sn = capex->get("initial_split")) {
        CADENA_GET(s, capex->series("initial_split", 0, 0.0, 1.0, "shares between 0 and 1 summing to 1", true));
        double sum = 0.0;
        for (double x : *s) sum += x;
        if (static_cast<int>(s->size()) != C || std::fabs(sum - 1.0) > 1e-6)
          return fail(ErrorCategory::Value, path, sn, capex->key("initial_split"),
                      "expected one share per construction year (" + std::to_string(C) + ") summing to 1");
        split = *s;
      }
      if (C == 0) {
        if (*total > 0.0)
          return fail(ErrorCategory::Value, path, capex->get("initial_musd"), capex->key("initial_musd"),
                      "initial capex needs at least one construction year");
      } else {
        for (double s : split) p.initial_capex_musd.push_back(*total * s);
      }
    }
  }
  CADENA_GET(sy, capex->ranged("sustaining_musd_per_year", 0.0, 0.0, 1e6, "sustaining capex in MUSD per year, >= 0"));
  p.sustaining_musd_per_year = *sy;
  CADENA_GET(st, capex->ranged("sustaining_usd_per_t", 0.0, 0.0, 1e9, "sustaining capex in USD per tonne, >= 0"));
  p.sustaining_usd_per_t = *st;
  CADENA_GET(cl, capex->ranged("closure_musd", 0.0, 0.0, 1e6, "closure cost in MUSD, >= 0"));
  p.closure_musd = *cl;
  if (const toml::node* dn = capex->get("deferred")) {
    const auto* arr = dn->as_array();
    if (!arr) return fail(ErrorCategory::Type, path, dn, capex->key("deferred"), "expected [[capex.deferred]] tables");
    for (const auto& e : *arr) {
      if (!e.is_table()) return fail(ErrorCategory::Type, path, &e, capex->key("deferred"), "expected a table { production_year, musd }");
      Tbl d{e.as_table(), path, capex->key("deferred")};
      CADENA_TRY(check_keys(*e.as_table(), path, d.prefix, {"production_year", "musd"}));
      CADENA_GET(y, d.integer("production_year", std::nullopt, 1, P, "a production year within the life"));
      CADENA_GET(m, d.ranged("musd", std::nullopt, 0.0, 1e7, "capex in MUSD, >= 0"));
      p.deferred_capex.push_back({static_cast<int>(*y), *m});
    }
  }

  CADENA_GET(wc, root.sub("working_capital", false));
  CADENA_GET(wcs, wc->ranged("share_of_revenue", 0.0, 0.0, 1.0, "a share of annual revenue between 0 and 1"));
  p.working_capital_share = *wcs;

  CADENA_GET(eco, root.sub("economics", true));
  CADENA_GET(dr, eco->ranged("discount_rate", std::nullopt, -0.5, 1.0, "a rate between -0.5 and 1 (0.08 = 8 %)"));
  p.discount_rate = *dr;
  CADENA_GET(money, eco->str("money", std::string("real"), "\"real\" or \"nominal\""));
  if (*money == "nominal") p.money = Money::Nominal;
  else if (*money != "real")
    return fail(ErrorCategory::Value, path, eco->get("money"), eco->key("money"), "expected \"real\" or \"nominal\"");
  CADENA_GET(inf, eco->ranged("inflation", 0.0, -0.5, 1.0, "an annual rate between -0.5 and 1"));
  p.inflation = *inf;
  CADENA_GET(disc, eco->str("discounting", std::string("end_of_year"), "\"end_of_year\", \"mid_year\" or \"start_of_year\""));
  if (*disc == "mid_year") p.discounting = Discounting::MidYear;
  else if (*disc == "start_of_year") p.discounting = Discounting::StartOfYear;
  else if (*disc != "end_of_year")
    return fail(ErrorCategory::Value, path, eco->get("discounting"), eco->key("discounting"),
                "expected \"end_of_year\", \"mid_year\" or \"start_of_year\"");

  CADENA_GET(fis, root.sub("fiscal", true));
  CADENA_GET(rid, fis->str("regime", std::nullopt, "a regime id from data/fiscal (e.g. \"argentina\")"));
  out.regime_id = *rid;
  {
    Layers L;
    CADENA_GET(ov, fis->sub("override", false));
    if (ov->t) {
      CADENA_TRY(check_regime_keys(*ov->t, path, ov->prefix, false));
      L.list.push_back({nullptr, ov->t, path, false});
      describe_overrides(*ov->t, "", out.regime_overrides);
    }
    CADENA_TRY(add_regime_layers(L, *rid, path, fis->get("regime"), fis->key("regime"), 0));
    auto f = build_regime(L);
    if (!f) return f.error();
    p.fiscal = std::move(*f);
  }

  CADENA_GET(pub, root.sub("published", false));
  if (pub->t) {
    Published pb;
    CADENA_GET(src, pub->str("source", std::nullopt, "where the published figures come from"));
    pb.source = *src;
    CADENA_GET(a, pub->num("npv_after_tax_musd", kNaN, "MUSD"));
    pb.npv_after_tax_musd = *a;
    CADENA_GET(b, pub->num("irr_after_tax", kNaN, "a rate (0.284 = 28.4 %)"));
    pb.irr_after_tax = *b;
    CADENA_GET(c, pub->num("npv_pre_tax_musd", kNaN, "MUSD"));
    pb.npv_pre_tax_musd = *c;
    CADENA_GET(d, pub->num("irr_pre_tax", kNaN, "a rate"));
    pb.irr_pre_tax = *d;
    CADENA_GET(e, pub->num("payback_years", kNaN, "years from start of production"));
    pb.payback_years = *e;
    CADENA_GET(rep, pub->boolean("reproduced", true));
    pb.reproduced = *rep;
    CADENA_GET(note, pub->str("note", std::string(), "why the case is not reproduced"));
    pb.note = *note;
    out.published = pb;
  }

  CADENA_GET(mc, root.sub("montecarlo", false));
  if (mc->t) {
    auto spec = parse_montecarlo(*mc);
    if (!spec) return spec.error();
    out.montecarlo = std::move(*spec);
  }
#undef CADENA_GET
  return out;
}

}  // namespace cadena::finance
