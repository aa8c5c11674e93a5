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
                               "base", "deductible", "enabled", "source"}));
      }
    } else if (key == "export_duty") {
      CADENA_TRY(check_keys(*t, file, full, {"rate", "free_from_year", "source"}));
    } else if (key == "income_tax") {
      CADENA_TRY(check_keys(*t, file, full,
                            {"rate", "reduced_rate", "reduced_years", "initial_depreciation",
                             "sustaining_depreciation_years", "loss_carryforward_years", "loss_offset_limit",
                             "salvage_taxable_share", "interest_deductible", "source"}));
    } else if (key == "burden_cap") {
      CADENA_TRY(check_keys(*t, file, full, {"share", "source"}));
    } else if (key == "dividend_withholding") {
      CADENA_TRY(check_keys(*t, file, full, {"rate", "source"}));
    } else {
      return fail(ErrorCategory::Value, file, &v, full,
                  "unknown section; expected regime, levies, export_duty, income_tax, burden_cap or dividend_withholding");
    }
  }
  return ok_status();
}

std::string regime_path(const std::string& id) { return (data_dir() / "fiscal" / (id + ".toml")).string(); }

std::string known_regimes() {
  const auto ids = regime_ids();
  std::string s;
  for (const auto& id : ids) s += (s.empty() ? "" : ", ") + id;
  return s.empty() ? "(none found in " + (data_dir() / "fiscal").string() + ")" : s;
}

// Appends the regime file `id` (or the file `given`, when not empty) and the chain of files it
// builds on.
Status add_regime_layers(Layers& layers, const std::string& id, const std::string& ref_file, const toml::node* ref_node,
                         const std::string& ref_key, int depth, const std::string& given = "") {
  if (depth > 8) return fail(ErrorCategory::Reference, ref_file, ref_node, ref_key, "regime bases form a cycle");
  bool plain = !id.empty() || !given.empty();
  for (char c : id) plain &= (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-');
  const std::string path = given.empty() ? regime_path(id) : given;
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
  constexpr const char* kinds = "\"ad_valorem\", \"price_tiered\", \"margin_tiered\" or \"volume_tiered\"";
  auto kind = L.holder(tp, "kind").str("kind", std::nullopt, kinds);
  if (!kind) return kind.error();
  if (*kind == "ad_valorem") l.kind = LevyKind::AdValorem;
  else if (*kind == "price_tiered") l.kind = LevyKind::PriceTiered;
  else if (*kind == "margin_tiered") l.kind = LevyKind::MarginTiered;
  else if (*kind == "volume_tiered") l.kind = LevyKind::VolumeTiered;
  else {
    auto h = L.holder(tp, "kind");
    return fail(ErrorCategory::Value, h.file, h.get("kind"), h.key("kind"),
                "unknown levy kind '" + *kind + "'; expected " + kinds);
  }
  auto base = L.holder(tp, "base").str("base", std::string("revenue"), "\"revenue\" or \"operating_profit\"");
  if (!base) return base.error();
  if (*base == "operating_profit") l.base = LevyBase::OperatingProfit;
  else if (*base != "revenue") {
    auto h = L.holder(tp, "base");
    return fail(ErrorCategory::Value, h.file, h.get("base"), h.key("base"), "expected \"revenue\" or \"operating_profit\"");
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
  auto country = reg.str("country", std::string(), "a country code");
  if (!country) return country.error();
  f.country = *country;
  auto base = reg.str("base", std::string(), "the id of a regime this one modifies");
  if (!base) return base.error();
  f.base = *base;

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
    auto sv = L.holder("income_tax", "salvage_taxable_share")
                  .ranged("salvage_taxable_share", 1.0, 0.0, 1.0, "a share of the salvage value between 0 and 1");
    if (!sv) return sv.error();
    f.salvage_taxable_share = *sv;
    auto idd = L.holder("income_tax", "interest_deductible").boolean("interest_deductible", true);
    if (!idd) return idd.error();
    f.interest_deductible = *idd;
  }
  if (L.has_table("dividend_withholding")) {
    CADENA_TRY(L.require_source("dividend_withholding"));
    auto w = L.holder("dividend_withholding", "rate").ranged("rate", std::nullopt, 0.0, 0.99, "a rate between 0 and 0.99");
    if (!w) return w.error();
    f.dividend_withholding = *w;
  }
  // Each section's source, from the first layer that gives one (`cadena data show REGIME`).
  {
    std::vector<std::string> sections;
    for (const auto& l : L.list)
      for (const auto& [k, v] : *l.t) {
        if (k.str() == "regime" || !v.is_table()) continue;
        if (k.str() == "levies") {
          for (const auto& [lk, lv] : *v.as_table())
            if (std::find(sections.begin(), sections.end(), "levies." + std::string(lk.str())) == sections.end())
              sections.push_back("levies." + std::string(lk.str()));
        } else if (std::find(sections.begin(), sections.end(), std::string(k.str())) == sections.end()) {
          sections.emplace_back(k.str());
        }
      }
    for (const auto& sec : sections) {
      const bool levy = sec.rfind("levies.", 0) == 0;
      if (levy && std::none_of(f.levies.begin(), f.levies.end(), [&](const Levy& x) { return "levies." + x.name == sec; }))
        continue;  // a disabled levy
      for (const auto& l : L.list) {
        if (!l.regime_file) continue;
        const toml::node* tn = l.t->at_path(sec).node();
        if (!tn || !tn->is_table()) continue;
        const toml::node* src = tn->as_table()->get("source");
        if (!src || !src->is_string()) continue;
        f.sources.push_back({sec, src->as_string()->get(), l.file, line_of(src)});
        break;
      }
    }
    std::stable_sort(f.sources.begin(), f.sources.end(), [](const RegimeSource& a, const RegimeSource& b) {
      return a.file != b.file ? a.file > b.file : a.line < b.line;  // a derived regime's own sources first, in file order
    });
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
  auto eq = mc.boolean("equity", true);
  if (!eq) return eq.error();
  s.equity = *eq;
  for (const auto& [k, v] : *mc.t) {
    const std::string key(k.str());
    if (key == "paths" || key == "seed" || key == "correlation" || key == "equity") continue;
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


// A date on the timeline: "2025", "2025-H1" / "H1 2025", "2025-Q3" / "Q3 2025", "2025-07".
struct TimelineDate {
  int year = 0;
  int month0 = 0;  // first month of the period, 0..11
  int ppy = 1;     // periods per year needed to place it
};

std::optional<TimelineDate> parse_date(const std::string& raw) {
  std::string s;
  for (char c : raw) s += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto all_digits = [](const std::string& x) {
    return !x.empty() && std::all_of(x.begin(), x.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  };
  auto year_of = [&](const std::string& x) -> std::optional<int> {
    if (x.size() != 4 || !all_digits(x)) return std::nullopt;
    const int y = std::stoi(x);
    if (y < 1900 || y > 2200) return std::nullopt;
    return y;
  };
  // "H1 2025" / "Q3 2025" -> "2025-H1" / "2025-Q3"
  if (s.size() == 7 && (s[0] == 'H' || s[0] == 'Q') && s[2] == ' ') s = s.substr(3) + "-" + s.substr(0, 2);
  if (auto y = year_of(s)) return TimelineDate{*y, 0, 1};
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  auto y = year_of(s.substr(0, 4));
  if (!y) return std::nullopt;
  const std::string tail = s.substr(5);
  if (tail[0] == 'H' && (tail[1] == '1' || tail[1] == '2')) return TimelineDate{*y, (tail[1] - '1') * 6, 2};
  if (tail[0] == 'Q' && tail[1] >= '1' && tail[1] <= '4') return TimelineDate{*y, (tail[1] - '1') * 3, 4};
  if (all_digits(tail)) {
    const int m = std::stoi(tail);
    if (m >= 1 && m <= 12) return TimelineDate{*y, m - 1, 12};
  }
  return std::nullopt;
}

// [timeline]: periods, construction (in years, possibly fractional, or from two dates),
// production and closure years.
Status parse_timeline(const Tbl& tl, Project& p) {
  const std::string& path = tl.file;
  auto ppy_v = tl.integer("periods_per_year", 0, 0, 12, "1, 2, 4 or 12 (years, halves, quarters, months)");
  if (!ppy_v) return ppy_v.error();
  int ppy = static_cast<int>(*ppy_v);
  if (tl.get("periods_per_year") && ppy != 1 && ppy != 2 && ppy != 4 && ppy != 12)
    return fail(ErrorCategory::Value, path, tl.get("periods_per_year"), tl.key("periods_per_year"),
                "expected 1, 2, 4 or 12 (years, halves, quarters, months)");
  auto py = tl.integer("production_years", std::nullopt, 1, 200, "a number of years between 1 and 200");
  if (!py) return py.error();
  auto ky = tl.integer("closure_years", 1, 0, 50, "a number of years between 0 and 50");
  if (!ky) return ky.error();
  p.production_years = static_cast<int>(*py);
  p.closure_years = static_cast<int>(*ky);

  constexpr const char* date_form = "a date \"2025\", \"2025-H1\" (or \"H1 2025\"), \"2025-Q3\" (or \"Q3 2025\") or \"2025-07\"";
  auto start_s = tl.str("start", std::string(), date_form);
  if (!start_s) return start_s.error();
  auto fp_s = tl.str("first_production", std::string(), date_form);
  if (!fp_s) return fp_s.error();
  std::optional<TimelineDate> start, fp;
  if (tl.get("start")) {
    start = parse_date(*start_s);
    if (!start) return fail(ErrorCategory::Value, path, tl.get("start"), tl.key("start"), "'" + *start_s + "' is not " + date_form);
  }
  if (tl.get("first_production")) {
    if (!start)
      return fail(ErrorCategory::Missing, path, tl.get("first_production"), tl.key("start"),
                  "first_production needs start (the date the cash flows begin)");
    if (tl.get("construction_years"))
      return fail(ErrorCategory::Value, path, tl.get("construction_years"), tl.key("construction_years"),
                  "give construction either as construction_years or as start and first_production, not both");
    fp = parse_date(*fp_s);
    if (!fp)
      return fail(ErrorCategory::Value, path, tl.get("first_production"), tl.key("first_production"),
                  "'" + *fp_s + "' is not " + date_form);
  }
  const int needed = std::max(start ? start->ppy : 1, fp ? fp->ppy : 1);
  if (ppy == 0) ppy = needed;
  if (ppy < needed) {
    const bool at_start = start && start->ppy > ppy;
    const char* k = at_start ? "start" : "first_production";
    return fail(ErrorCategory::Value, path, tl.get(k), tl.key(k),
                "this date needs periods_per_year = " + std::to_string(needed) + " or more; the timeline has " + std::to_string(ppy));
  }
  if (needed > 1 && ppy % needed != 0)  // halves in months or quarters, quarters in months: always whole
    return fail(ErrorCategory::Value, path, tl.get("periods_per_year"), tl.key("periods_per_year"),
                "the dates do not fall on period boundaries; use 12");
  p.periods_per_year = ppy;
  const int months = 12 / ppy;
  if (start) {
    p.start_year = start->year;
    p.start_period_in_year = start->month0 / months;
  }
  if (fp) {
    const int c = (fp->year * ppy + fp->month0 / months) - (start->year * ppy + start->month0 / months);
    if (c < 0)
      return fail(ErrorCategory::Value, path, tl.get("first_production"), tl.key("first_production"),
                  "first production '" + *fp_s + "' comes before the start '" + *start_s + "'");
    if (c > 20 * ppy)
      return fail(ErrorCategory::Value, path, tl.get("first_production"), tl.key("first_production"),
                  "construction longer than 20 years");
    p.construction_periods = c;
    p.construction_years = (c + ppy - 1) / ppy;
    return ok_status();
  }
  auto cy = tl.ranged("construction_years", std::nullopt, 0.0, 20.0, "a number of years between 0 and 20");
  if (!cy) return cy.error();
  const double cp = *cy * ppy;
  if (std::fabs(cp - std::round(cp)) > 1e-9)
    return fail(ErrorCategory::Value, path, tl.get("construction_years"), tl.key("construction_years"),
                "construction of " + Tbl::fmt(*cy) + " years is not a whole number of periods (periods_per_year = " +
                    std::to_string(ppy) + ")");
  p.construction_periods = static_cast<int>(std::lround(cp));
  p.construction_years = (p.construction_periods + ppy - 1) / ppy;
  return ok_status();
}

// Net smelter return terms: [sales] for the main product, or one [[byproduct]].
Result<SaleTerms> parse_sale_terms(const Tbl& t, const char* rc_key, const char* rc_what) {
  SaleTerms s;
  auto pay = t.ranged("payable", 1.0, 0.0, 1.0, "a payable share between 0 and 1", true);
  if (!pay) return pay.error();
  s.payable = *pay;
  auto grade = t.ranged("concentrate_grade", 0.0, 0.0, 1e9, "units of product per dry tonne of concentrate, >= 0 (0.25 = 25 % Cu)");
  if (!grade) return grade.error();
  s.concentrate_grade = *grade;
  struct K {
    const char* key;
    double* out;
  } charges[] = {{"tc_usd_per_dmt", &s.tc_usd_per_dmt},
                 {"penalties_usd_per_dmt", &s.penalties_usd_per_dmt},
                 {"freight_usd_per_dmt", &s.freight_usd_per_dmt}};
  for (const auto& c : charges) {
    auto v = t.ranged(c.key, 0.0, 0.0, 1e6, "USD per dry tonne of concentrate, >= 0");
    if (!v) return v.error();
    if (*v > 0.0 && s.concentrate_grade <= 0.0)
      return fail(ErrorCategory::Missing, t.file, t.get(c.key), t.key("concentrate_grade"),
                  std::string("a charge per dry tonne of concentrate (") + c.key +
                      ") needs concentrate_grade, the product per tonne of concentrate");
    *c.out = *v;
  }
  auto rc = t.ranged(rc_key, 0.0, 0.0, 1e9, rc_what);
  if (!rc) return rc.error();
  s.rc_usd_per_unit = *rc;
  return s;
}

// [financing]: senior debt with the initial capex, and [[financing.lease]].
Status parse_financing(const Tbl& fz, Project& p) {
  const std::string& path = fz.file;
  Debt& d = p.debt;
  auto share = fz.ranged("debt_share", 0.0, 0.0, 1.0, "the share of initial capex borrowed, between 0 and 1");
  if (!share) return share.error();
  d.share_of_initial_capex = *share;
  const bool debt = d.share_of_initial_capex > 0.0;
  auto rate = fz.ranged("interest_rate", debt ? std::nullopt : std::optional<double>(0.08), 0.0, 1.0,
                        "an annual interest rate between 0 and 1 (0.08 = 8 %)");
  if (!rate) return rate.error();
  d.interest_rate = *rate;
  auto up = fz.ranged("upfront_fee", 0.0, 0.0, 0.2, "a share of the facility between 0 and 0.2");
  if (!up) return up.error();
  d.upfront_fee = *up;
  auto cf = fz.ranged("commitment_fee", 0.0, 0.0, 0.2, "an annual rate on the undrawn facility between 0 and 0.2");
  if (!cf) return cf.error();
  d.commitment_fee = *cf;
  auto cap = fz.boolean("capitalize_interest", true);
  if (!cap) return cap.error();
  d.capitalize_interest = *cap;
  auto grace = fz.ranged("grace_years", 0.0, 0.0, 50.0, "years of interest only after construction, between 0 and 50");
  if (!grace) return grace.error();
  d.grace_years = *grace;
  auto tenor = fz.ranged("tenor_years", debt ? std::nullopt : std::optional<double>(7.0), 0.0, 50.0,
                         "years of repayment after the grace, above 0 and at most 50", true);
  if (!tenor) return tenor.error();
  d.tenor_years = *tenor;
  for (const char* k : {"grace_years", "tenor_years"}) {
    const double x = (std::string(k) == "grace_years" ? d.grace_years : d.tenor_years) * p.periods_per_year;
    if (fz.get(k) && std::fabs(x - std::round(x)) > 1e-9)
      return fail(ErrorCategory::Value, path, fz.get(k), fz.key(k), "not a whole number of periods of the timeline");
  }
  auto rep = fz.str("repayment", std::string("annuity"), "\"annuity\", \"equal_principal\" or \"sculpted\"");
  if (!rep) return rep.error();
  if (*rep == "equal_principal") d.repayment = Repayment::EqualPrincipal;
  else if (*rep == "sculpted") d.repayment = Repayment::Sculpted;
  else if (*rep != "annuity")
    return fail(ErrorCategory::Value, path, fz.get("repayment"), fz.key("repayment"),
                "unknown repayment '" + *rep + "'; expected \"annuity\", \"equal_principal\" or \"sculpted\"");
  auto dscr = fz.ranged("target_dscr", 1.3, 0.5, 10.0, "a debt-service cover ratio between 0.5 and 10");
  if (!dscr) return dscr.error();
  if (fz.get("target_dscr") && d.repayment != Repayment::Sculpted)
    return fail(ErrorCategory::Value, path, fz.get("target_dscr"), fz.key("target_dscr"),
                "target_dscr applies to repayment = \"sculpted\" only");
  d.target_dscr = *dscr;
  if (!debt)
    for (const char* k : {"interest_rate", "upfront_fee", "commitment_fee", "capitalize_interest", "grace_years", "tenor_years",
                          "repayment", "target_dscr"})
      if (fz.get(k))
        return fail(ErrorCategory::Missing, path, fz.get(k), fz.key("debt_share"),
                    std::string("debt terms (") + k + ") without debt; set debt_share, the share of initial capex borrowed");
  if (const toml::node* ln = fz.get("lease")) {
    const auto* arr = ln->as_array();
    if (!arr) return fail(ErrorCategory::Type, path, ln, fz.key("lease"), "expected [[financing.lease]] tables");
    for (const auto& e : *arr) {
      if (!e.is_table()) return fail(ErrorCategory::Type, path, &e, fz.key("lease"), "expected a table per lease");
      Tbl l{e.as_table(), path, fz.key("lease")};
      CADENA_TRY(check_keys(*e.as_table(), path, l.prefix, {"name", "musd", "production_year", "term_years", "rate"}));
      Lease ls;
      auto name = l.str("name", std::string("lease"), "a name (e.g. \"mining fleet\")");
      if (!name) return name.error();
      ls.name = *name;
      auto musd = l.ranged("musd", std::nullopt, 0.0, 1e6, "the leased equipment's value in MUSD, > 0", true);
      if (!musd) return musd.error();
      ls.musd = *musd;
      auto y = l.integer("production_year", 1, 1, p.production_years, "the production year of delivery, within the life");
      if (!y) return y.error();
      ls.production_year = static_cast<int>(*y);
      auto term = l.ranged("term_years", std::nullopt, 0.0, 50.0, "the lease term in years, above 0 and at most 50", true);
      if (!term) return term.error();
      ls.term_years = *term;
      auto r = l.ranged("rate", std::nullopt, 0.0, 1.0, "the lease's annual rate between 0 and 1");
      if (!r) return r.error();
      ls.rate = *r;
      p.leases.push_back(std::move(ls));
    }
  }
  return ok_status();
}

Error ramp_error(Error e) {
  e.message = "ramp-up above 100 % of capacity: " + e.message;
  return e;
}

}  // namespace

std::vector<std::string> regime_ids() {
  std::set<std::string> ids;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(data_dir() / "fiscal", ec))
    if (e.path().extension() == ".toml") ids.insert(e.path().stem().string());
  return {ids.begin(), ids.end()};
}

Result<FiscalRegime> load_regime(const std::string& id) {
  Layers L;
  CADENA_TRY(add_regime_layers(L, id, "", nullptr, "regime", 0));
  return build_regime(L);
}

Result<std::string> finance_file_kind(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.error();
  auto tbl = parse_toml_text(*text, path);
  if (!tbl) return tbl.error();
  if (tbl->contains("project")) return std::string("project");
  if (tbl->contains("regime")) return std::string("regime");
  return std::string();
}

Result<FiscalRegime> load_regime_file(const std::string& path) {
  Layers L;
  CADENA_TRY(add_regime_layers(L, "", "", nullptr, "regime", 0, path));
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
                        {"project", "timeline", "production", "price", "sales", "byproduct", "opex", "capex",
                         "working_capital", "economics", "financing", "fiscal", "published", "montecarlo"}));
  struct Allowed {
    const char* table;
    std::initializer_list<std::string_view> keys;
  };
  const Allowed allowed[] = {
      {"project", {"name", "product", "source", "description"}},
      {"timeline", {"construction_years", "production_years", "closure_years", "periods_per_year", "start", "first_production"}},
      {"production", {"capacity_tpa", "schedule_t", "ramp", "ramp_periods"}},
      {"price", {"deck", "usd_per_t", "path", "db", "run", "product", "region", "first_year", "between_years"}},
      {"sales", {"payable", "concentrate_grade", "tc_usd_per_dmt", "penalties_usd_per_dmt", "freight_usd_per_dmt", "rc_usd_per_t"}},
      {"opex", {"usd_per_t", "fixed_musd_per_year"}},
      {"capex", {"initial_musd", "initial_split", "sustaining_musd_per_year", "sustaining_usd_per_t", "sustaining_musd_by_year",
                 "closure_musd", "salvage_musd", "deferred"}},
      {"working_capital", {"share_of_revenue"}},
      {"economics", {"discount_rate", "money", "inflation", "discounting", "equity_discount_rate"}},
      {"financing", {"debt_share", "interest_rate", "upfront_fee", "commitment_fee", "capitalize_interest", "grace_years",
                     "tenor_years", "repayment", "target_dscr", "lease"}},
      {"fiscal", {"regime", "override"}},
      {"published", {"source", "npv_after_tax_musd", "irr_after_tax", "npv_pre_tax_musd", "irr_pre_tax", "payback_years",
                     "npv_equity_musd", "irr_equity", "reproduced", "note"}},
  };
  for (const auto& a : allowed)
    if (const auto* t = root_t.get_as<toml::table>(a.table)) CADENA_TRY(check_keys(*t, path, a.table, a.keys));

  CADENA_GET(proj, root.sub("project", true));
  CADENA_GET(name, proj->str("name", std::nullopt, "the project's name"));
  p.name = *name;
  CADENA_GET(product, proj->str("product", std::string("product"), "the product sold"));
  p.product = *product;

  CADENA_GET(tl, root.sub("timeline", true));
  CADENA_TRY(parse_timeline(*tl, p));
  const int P = p.production_years, C = p.construction_p(), ppy = p.periods_per_year;

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
  CADENA_GET(rampp, prod->series("ramp_periods", 0, 0.0, 1.0, "a share of capacity between 0 and 1 per production period",
                                 false, ramp_error));
  if (!rampp->empty() && !ramp->empty())
    return fail(ErrorCategory::Value, path, prod->get("ramp_periods"), prod->key("ramp_periods"),
                "give the ramp-up either per production year (ramp) or per period (ramp_periods), not both");
  if (static_cast<int>(rampp->size()) > P * ppy)
    return fail(ErrorCategory::Value, path, prod->get("ramp_periods"), prod->key("ramp_periods"), "ramp-up is longer than production");
  p.ramp_periods = *rampp;

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
    CADENA_GET(fy, price->integer("first_year", 0L, 1900, 2300,
                                  "the calendar year of the first production year (e.g. 2028), for a pathway run's prices by year"));
    CADENA_GET(between, price->str("between_years", std::string("linear"),
                                   "\"linear\" (interpolate between a pathway run's years) or \"step\" (each year's price holds until the next)"));
    if (*between != "linear" && *between != "step")
      return fail(ErrorCategory::Value, path, price->get("between_years"), price->key("between_years"),
                  "unknown '" + *between + "'; expected \"linear\" or \"step\"");
    StoreDeck sd;
    sd.step = *between == "step";
    sd.years_required = price->get("first_year") != nullptr;
    sd.first_year = static_cast<int>(*fy);
    if (sd.first_year == 0 && p.start_year != 0)  // a dated timeline: the year of first production
      sd.first_year = (p.start_year * p.periods_per_year + p.start_period_in_year + std::max(0, p.construction_periods)) /
                      p.periods_per_year;
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
    if (got->by_year.empty()) {
      if (sd.years_required)
        return fail(ErrorCategory::Value, path, price->get("run"), price->key("run"),
                    got->label + " is a single-year run: it has no prices by year for price.first_year; name a pathway "
                    "run (`cadena run --years`), or \"latest-pathway\", or drop first_year for a flat deck");
      if (!(got->usd_per_unit > 0.0) || !std::isfinite(got->usd_per_unit))
        return fail(ErrorCategory::Value, path, price->get("region"), price->key("region"),
                    fmt_price_error(got->label, sd.product, sd.region, got->usd_per_unit));
      p.price_usd_per_t.assign(static_cast<std::size_t>(P), got->usd_per_unit);
    } else {
      if (sd.first_year == 0)
        return fail(ErrorCategory::Missing, path, price->t, price->key("first_year"),
                    "missing key; " + got->label + " is a pathway run (prices for " +
                        std::to_string(got->by_year.front().year) + "-" + std::to_string(got->by_year.back().year) +
                        "): give the calendar year of the first production year (first_year = 2028) or date the "
                        "timeline (timeline.start)");
      for (std::size_t i = 0; i < got->by_year.size(); ++i) {
        const YearPrice& y = got->by_year[i];
        if (i > 0 && y.year <= got->by_year[i - 1].year)
          return fail(ErrorCategory::Value, path, price->get("run"), price->key("run"),
                      got->label + ": the years of its prices are not ascending (" + std::to_string(y.year) + ")");
        if (!(y.usd_per_unit > 0.0) || !std::isfinite(y.usd_per_unit))
          return fail(ErrorCategory::Value, path, price->get("region"), price->key("region"),
                      fmt_price_error(got->label + " " + std::to_string(y.year), sd.product, sd.region, y.usd_per_unit));
      }
      p.price_usd_per_t = store_price_path(got->by_year, sd.first_year, P, sd.step);
      out.deck_years = got->by_year;
    }
    out.deck_label = got->label;
    out.store_deck = std::move(sd);
  } else {
    return fail(ErrorCategory::Value, path, price->get("deck"), price->key("deck"),
                "unknown price deck '" + *deck + "'; expected \"flat\", \"by_year\", \"file\" or \"store\"");
  }

  CADENA_GET(sales, root.sub("sales", false));
  {
    CADENA_GET(t, parse_sale_terms(*sales, "rc_usd_per_t", "refining charge in USD per payable tonne, >= 0"));
    p.terms = *t;
  }
  if (const toml::node* bn = root.get("byproduct")) {
    const auto* arr = bn->as_array();
    if (!arr) return fail(ErrorCategory::Type, path, bn, "byproduct", "expected [[byproduct]] tables");
    for (const auto& e : *arr) {
      if (!e.is_table()) return fail(ErrorCategory::Type, path, &e, "byproduct", "expected a table per by-product");
      Tbl b{e.as_table(), path, "byproduct"};
      CADENA_TRY(check_keys(*e.as_table(), path, "byproduct",
                            {"name", "unit", "quantity", "usd_per_unit", "payable", "concentrate_grade", "tc_usd_per_dmt",
                             "penalties_usd_per_dmt", "freight_usd_per_dmt", "rc_usd_per_unit", "source"}));
      ByProduct bp;
      CADENA_GET(bname, b.str("name", std::nullopt, "the by-product's name (e.g. \"gold\")"));
      for (const auto& other : p.byproducts)
        if (other.name == *bname)
          return fail(ErrorCategory::Duplicate, path, b.get("name"), "byproduct.name", "by-product '" + *bname + "' is listed twice");
      bp.name = *bname;
      CADENA_GET(unit, b.str("unit", std::string("t"), "the unit its quantity and price are in (e.g. \"oz\", \"lb\", \"t\")"));
      if (unit->empty()) return fail(ErrorCategory::Value, path, b.get("unit"), "byproduct.unit", "expected a unit name");
      bp.unit = *unit;
      CADENA_GET(qty, b.series("quantity", P, 0.0, 1e15, "units produced per production year at full ramp, >= 0", true));
      bp.quantity = *qty;
      CADENA_GET(pr, b.series("usd_per_unit", P, 0.0, 1e12, "a price in USD per unit, one value or one per production year (the last holds)", true));
      bp.price_usd = *pr;
      CADENA_GET(t, parse_sale_terms(b, "rc_usd_per_unit", "refining charge in USD per payable unit, >= 0"));
      bp.terms = *t;
      p.byproducts.push_back(std::move(bp));
    }
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
      CADENA_GET(v, capex->series("initial_musd", C, 0.0, 1e7, "capex in MUSD per construction period, >= 0", true));
      if (static_cast<int>(ini->as_array()->size()) != C)
        return fail(ErrorCategory::Value, path, ini, capex->key("initial_musd"),
                    "expected one value per construction period (" + std::to_string(C) + ")");
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
                      "expected one share per construction period (" + std::to_string(C) + ") summing to 1");
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
  CADENA_GET(sched, capex->series("sustaining_musd_by_year", 0, 0.0, 1e6, "sustaining capex in MUSD per production year, >= 0", false));
  if (static_cast<int>(sched->size()) > P)
    return fail(ErrorCategory::Value, path, capex->get("sustaining_musd_by_year"), capex->key("sustaining_musd_by_year"),
                "list has " + std::to_string(sched->size()) + " values; expected at most one per production year (" +
                    std::to_string(P) + ")");
  p.sustaining_musd_by_year = *sched;
  CADENA_GET(cl, capex->ranged("closure_musd", 0.0, 0.0, 1e6, "closure cost in MUSD, >= 0"));
  p.closure_musd = *cl;
  CADENA_GET(sv, capex->ranged("salvage_musd", 0.0, 0.0, 1e6, "salvage value in MUSD at the end of production, >= 0"));
  p.salvage_musd = *sv;
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
  constexpr const char* disc_values = "\"end_of_period\", \"mid_period\" or \"start_of_period\" (with yearly periods also \"end_of_year\", \"mid_year\", \"start_of_year\")";
  CADENA_GET(disc, eco->str("discounting", std::string("end_of_period"), disc_values));
  const bool yearly_word = *disc == "end_of_year" || *disc == "mid_year" || *disc == "start_of_year";
  if (*disc == "mid_year" || *disc == "mid_period") p.discounting = Discounting::MidPeriod;
  else if (*disc == "start_of_year" || *disc == "start_of_period") p.discounting = Discounting::StartOfPeriod;
  else if (*disc != "end_of_year" && *disc != "end_of_period")
    return fail(ErrorCategory::Value, path, eco->get("discounting"), eco->key("discounting"), std::string("expected ") + disc_values);
  if (yearly_word && ppy > 1)
    return fail(ErrorCategory::Value, path, eco->get("discounting"), eco->key("discounting"),
                "'" + *disc + "' with periods shorter than a year is ambiguous; expected \"end_of_period\", \"mid_period\" or \"start_of_period\"");
  CADENA_GET(edr, eco->ranged("equity_discount_rate", kNaN, -0.5, 1.0, "a rate between -0.5 and 1 (default: discount_rate)"));
  p.equity_discount_rate = *edr;

  CADENA_GET(finz, root.sub("financing", false));
  if (finz->t) CADENA_TRY(parse_financing(*finz, p));

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
    CADENA_GET(ne, pub->num("npv_equity_musd", kNaN, "MUSD (equity, after financing)"));
    pb.npv_equity_musd = *ne;
    CADENA_GET(ie, pub->num("irr_equity", kNaN, "a rate (equity IRR)"));
    pb.irr_equity = *ie;
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

std::vector<double> store_price_path(const std::vector<YearPrice>& steps, int first_year, int production_years,
                                     bool step) {
  std::vector<double> out(static_cast<std::size_t>(std::max(0, production_years)));
  if (steps.empty()) return out;
  std::size_t k = 0;  // steps[k] is the last solved year <= the year priced
  for (int y = 0; y < production_years; ++y) {
    const int year = first_year + y;
    while (k + 1 < steps.size() && steps[k + 1].year <= year) ++k;
    const YearPrice& a = steps[k];
    if (year <= a.year || k + 1 == steps.size() || step) {
      out[static_cast<std::size_t>(y)] = a.usd_per_unit;  // before the first year, on a step, or after the horizon
      continue;
    }
    const YearPrice& b = steps[k + 1];
    const double w = static_cast<double>(year - a.year) / static_cast<double>(b.year - a.year);
    out[static_cast<std::size_t>(y)] = a.usd_per_unit + w * (b.usd_per_unit - a.usd_per_unit);
  }
  return out;
}

}  // namespace cadena::finance
