#include "cadena/report/compare.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

namespace cadena::report {

using nlohmann::ordered_json;

namespace {

std::optional<double> number_at(const ordered_json& j, std::initializer_list<std::string_view> path) {
  const ordered_json* node = &j;
  for (auto p : path) {
    if (!node->is_object()) return std::nullopt;
    auto it = node->find(std::string(p));
    if (it == node->end()) return std::nullopt;
    node = &*it;
  }
  if (!node->is_number()) return std::nullopt;
  return node->get<double>();
}

std::string text_at(const ordered_json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const ordered_json& object_at(const ordered_json& j, std::initializer_list<std::string_view> path) {
  static const ordered_json empty = ordered_json::object();
  const ordered_json* node = &j;
  for (auto p : path) {
    if (!node->is_object()) return empty;
    auto it = node->find(std::string(p));
    if (it == node->end()) return empty;
    node = &*it;
  }
  return node->is_object() || node->is_array() ? *node : empty;
}

// Keys of an object in A, then those only B has (first-seen order).
std::vector<std::string> keys_of(const ordered_json& a, const ordered_json& b) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto* j : {&a, &b})
    if (j->is_object())
      for (const auto& [k, v] : j->items())
        if (seen.insert(k).second) out.push_back(k);
  return out;
}

bool changed(const Pair& p, double tol) {
  const double a = p.a.value_or(0.0), b = p.b.value_or(0.0);
  const double scale = std::max({std::abs(a), std::abs(b), 1e-9});
  return std::abs(b - a) > tol * scale;
}

// Shares of `dimension` (by_country, ...) in a stage of A and B, largest of either first.
std::vector<Row> share_rows(const ordered_json& sa, const ordered_json& sb, const char* dimension) {
  const auto& da = object_at(sa, {dimension});
  const auto& db = object_at(sb, {dimension});
  std::vector<Row> rows;
  for (const auto& k : keys_of(da, db))
    rows.push_back(Row{k, "share", Pair{number_at(da, {k, "share"}), number_at(db, {k, "share"})}});
  std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    return std::max(x.value.a.value_or(0), x.value.b.value_or(0)) > std::max(y.value.a.value_or(0), y.value.b.value_or(0));
  });
  return rows;
}

double contained_total(const ordered_json& s) {
  double total = 0.0;
  const auto& unmet = object_at(s, {"unmet_demand"});
  if (!unmet.is_array()) return 0.0;
  for (const auto& u : unmet) {
    if (!u.is_object() || !u.contains("product") || !u.contains("quantity") || !u["quantity"].is_number()) continue;
    const double k = number_at(s, {"contained_per_unit", u["product"].get<std::string>()}).value_or(1.0);
    total += u["quantity"].get<double>() * k;
  }
  return total;
}

Comparison::Side side_of(const RunSnapshot& snap, const ordered_json& s) {
  Comparison::Side side;
  side.label = snap.label;
  side.scenario = text_at(s, "scenario");
  side.dataset = text_at(s, "dataset");
  side.status = text_at(s, "status");
  side.solver = text_at(s, "solver");
  side.year = static_cast<int>(number_at(s, {"year"}).value_or(0));
  if (auto it = s.find("overrides"); it != s.end() && it->is_array())
    for (const auto& o : *it)
      if (o.is_string()) side.overrides.push_back(o.get<std::string>());
  return side;
}

Result<ordered_json> parse_summary(const RunSnapshot& snap) {
  ordered_json j = ordered_json::parse(snap.summary_json, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return make_error(ErrorCategory::Value, "its summary.json is not valid JSON; expected the summary a cadena run wrote",
                      {snap.label, 0, "", ""});
  if (!number_at(j, {"objective_usd"}))
    return make_error(ErrorCategory::Value,
                      fmt::format("its summary.json has no objective_usd (status '{}'); expected an optimal run",
                                  text_at(j, "status")),
                      {snap.label, 0, "objective_usd", ""});
  return j;
}

std::string unit_of(const ordered_json& a, const ordered_json& b, const std::string& product) {
  for (const auto* j : {&b, &a})
    if (auto it = j->find("units"); it != j->end() && it->contains(product) && (*it)[product].is_string())
      return (*it)[product].get<std::string>();
  return "";
}

}  // namespace

Result<Comparison> compare_runs(const RunSnapshot& ra, const RunSnapshot& rb, const CompareOptions& opt) {
  auto pa = parse_summary(ra);
  if (!pa) return pa.error();
  auto pb = parse_summary(rb);
  if (!pb) return pb.error();
  const ordered_json& a = *pa;
  const ordered_json& b = *pb;
  Comparison c;
  c.a = side_of(ra, a);
  c.b = side_of(rb, b);
  c.contained_unit = text_at(b, "contained_unit");
  if (c.contained_unit.empty()) c.contained_unit = text_at(a, "contained_unit");
  if (c.a.dataset != c.b.dataset)
    c.notes.push_back(fmt::format("the runs use different datasets ({} and {})", c.a.dataset, c.b.dataset));
  if (c.a.year != c.b.year) c.notes.push_back(fmt::format("the runs are for different years ({} and {})", c.a.year, c.b.year));

  c.totals.push_back(Row{"total cost", "USD", Pair{number_at(a, {"objective_usd"}), number_at(b, {"objective_usd"})}});
  for (const auto& k : keys_of(object_at(a, {"cost_usd"}), object_at(b, {"cost_usd"})))
    c.totals.push_back(Row{k, "USD", Pair{number_at(a, {"cost_usd", k}), number_at(b, {"cost_usd", k})}});
  c.totals.push_back(Row{"emissions", "t CO2", Pair{number_at(a, {"emissions_t_co2"}), number_at(b, {"emissions_t_co2"})}});
  c.totals.push_back(Row{"water", "m3", Pair{number_at(a, {"water_m3"}), number_at(b, {"water_m3"})}});
  c.totals.push_back(Row{"unmet demand", c.contained_unit.empty() ? "contained" : c.contained_unit,
                         Pair{contained_total(a), contained_total(b)}});

  const auto& prices_a = object_at(a, {"prices"});
  const auto& prices_b = object_at(b, {"prices"});
  for (const auto& region : keys_of(prices_a, prices_b))
    for (const auto& product : keys_of(object_at(prices_a, {region}), object_at(prices_b, {region})))
      c.prices.push_back(Row{region + "." + product, "USD/" + unit_of(a, b, product),
                             Pair{number_at(prices_a, {region, product}), number_at(prices_b, {region, product})}});
  const auto& market_a = object_at(a, {"market_prices"});
  const auto& market_b = object_at(b, {"market_prices"});
  for (const auto& product : keys_of(market_a, market_b))
    for (const auto& country : keys_of(object_at(market_a, {product}), object_at(market_b, {product})))
      c.market_prices.push_back(Row{product + "." + country, "USD/" + unit_of(a, b, product),
                                    Pair{number_at(market_a, {product, country}), number_at(market_b, {product, country})}});

  const auto& stages_a = object_at(a, {"stages"});
  const auto& stages_b = object_at(b, {"stages"});
  for (const auto& stage : keys_of(stages_a, stages_b)) {
    const auto& sa = object_at(stages_a, {stage});
    const auto& sb = object_at(stages_b, {stage});
    StageComparison st;
    st.stage = stage;
    st.unit = text_at(sb, "unit").empty() ? text_at(sa, "unit") : text_at(sb, "unit");
    st.output = Pair{number_at(sa, {"output"}), number_at(sb, {"output"})};
    st.capacity = Pair{number_at(sa, {"capacity"}), number_at(sb, {"capacity"})};
    st.hhi_country = Pair{number_at(sa, {"hhi", "by_country"}), number_at(sb, {"hhi", "by_country"})};
    st.hhi_owner_country = Pair{number_at(sa, {"hhi", "by_owner_country"}), number_at(sb, {"hhi", "by_owner_country"})};
    st.hhi_ultimate_owner_country = Pair{number_at(sa, {"hhi", "by_ultimate_owner_country"}),
                                         number_at(sb, {"hhi", "by_ultimate_owner_country"})};
    st.by_country = share_rows(sa, sb, "by_country");
    st.by_owner_country = share_rows(sa, sb, "by_owner_country");
    st.by_ultimate_owner_country = share_rows(sa, sb, "by_ultimate_owner_country");
    c.stages.push_back(std::move(st));
  }

  const auto& va_a = object_at(a, {"value_added"});
  const auto& va_b = object_at(b, {"value_added"});
  for (const auto& country : keys_of(va_a, va_b))
    c.value_added.push_back(Row{country, "USD", Pair{number_at(va_a, {country, "value_added_usd"}),
                                                     number_at(va_b, {country, "value_added_usd"})}});
  std::stable_sort(c.value_added.begin(), c.value_added.end(),
                   [](const Row& x, const Row& y) { return std::abs(x.value.delta()) > std::abs(y.value.delta()); });

  auto unmet_map = [](const ordered_json& s) {
    std::map<std::string, std::pair<double, std::string>> m;
    const auto& list = object_at(s, {"unmet_demand"});
    if (list.is_array())
      for (const auto& u : list)
        if (u.is_object() && u.value("quantity", ordered_json()).is_number())
          m[u.value("region", "") + "." + u.value("product", "")] = {u["quantity"].get<double>(), u.value("unit", "")};
    return m;
  };
  const auto ua = unmet_map(a), ub = unmet_map(b);
  std::set<std::string> unmet_keys;
  for (const auto* m : {&ua, &ub})
    for (const auto& [k, v] : *m) unmet_keys.insert(k);
  for (const auto& k : unmet_keys) {
    Row r{k, "", {}};
    if (auto it = ua.find(k); it != ua.end()) r.value.a = it->second.first, r.unit = it->second.second;
    if (auto it = ub.find(k); it != ub.end()) r.value.b = it->second.first, r.unit = it->second.second;
    c.unmet.push_back(std::move(r));
  }

  // Rules: summary.json "rules" is a list of {id, kind, unit, activity, bound, dual_usd_per_unit, binding}.
  std::map<std::string, RuleComparison> rules;
  std::vector<std::string> rule_order;
  auto read_rules = [&](const ordered_json& s, bool is_b) {
    const auto& list = object_at(s, {"rules"});
    if (!list.is_array()) return;
    for (const auto& r : list) {
      if (!r.is_object() || !r.contains("id")) continue;
      const std::string id = r.value("id", "");
      auto [it, fresh] = rules.try_emplace(id);
      if (fresh) rule_order.push_back(id);
      auto& rc = it->second;
      rc.id = id;
      rc.kind = r.value("kind", rc.kind);
      rc.unit = r.value("unit", rc.unit);
      auto num = [&](const char* key) { return number_at(r, {key}); };
      (is_b ? rc.activity.b : rc.activity.a) = num("activity");
      (is_b ? rc.bound.b : rc.bound.a) = num("bound");
      (is_b ? rc.dual_usd.b : rc.dual_usd.a) = num("dual_usd_per_unit");
      (is_b ? rc.binding_b : rc.binding_a) = r.value("binding", false);
    }
  };
  read_rules(a, false);
  read_rules(b, true);
  for (const auto& id : rule_order)
    if (rules[id].binding_a || rules[id].binding_b) c.rules.push_back(rules[id]);

  using FlowKey = std::tuple<std::string, std::string, std::string>;  // from, to, product
  std::map<FlowKey, FlowComparison> flows;
  for (int side = 0; side < 2; ++side)
    for (const auto& f : (side ? rb : ra).flows) {
      if (f.family != "flow") continue;
      auto& fc = flows[FlowKey{f.from, f.to, f.product}];
      fc.family = f.family;
      fc.from = f.from;
      fc.to = f.to;
      fc.product = f.product;
      fc.unit = f.unit;
      (side ? fc.quantity.b : fc.quantity.a) = f.quantity;
    }
  for (auto& [key, fc] : flows) {
    if (!changed(fc.quantity, opt.tolerance)) continue;
    const double k = number_at(b, {"contained_per_unit", fc.product})
                         .value_or(number_at(a, {"contained_per_unit", fc.product}).value_or(1.0));
    fc.contained_delta = fc.quantity.delta() * k;
    c.flows.push_back(fc);
  }
  std::stable_sort(c.flows.begin(), c.flows.end(), [](const FlowComparison& x, const FlowComparison& y) {
    return std::abs(x.contained_delta) > std::abs(y.contained_delta);
  });
  if (c.flows.size() > opt.max_flows) c.flows.resize(opt.max_flows);
  return c;
}

// ---- JSON -------------------------------------------------------------------------------------

namespace {

double round6(double v) {
  if (v == 0.0 || !std::isfinite(v)) return v == 0.0 ? 0.0 : v;
  const double mag = std::pow(10.0, 5 - static_cast<int>(std::floor(std::log10(std::abs(v)))));
  return std::round(v * mag) / mag;
}

ordered_json opt_json(const std::optional<double>& v) { return v ? ordered_json(round6(*v)) : ordered_json(nullptr); }

ordered_json pair_json(const Pair& p, bool share = false) {
  ordered_json j;
  j["a"] = opt_json(p.a);
  j["b"] = opt_json(p.b);
  if (share) {
    j["delta_pp"] = round6(100.0 * p.delta());
  } else {
    j["delta"] = round6(p.delta());
    const double a = p.a.value_or(0.0);
    j["delta_pct"] = std::abs(a) > 1e-12 ? ordered_json(round6(100.0 * p.delta() / std::abs(a))) : ordered_json(nullptr);
  }
  return j;
}

ordered_json rows_json(const std::vector<Row>& rows, bool share = false) {
  ordered_json arr = ordered_json::array();
  for (const auto& r : rows) {
    ordered_json j = {{"key", r.key}};
    if (!share) j["unit"] = r.unit;
    j.update(pair_json(r.value, share));
    arr.push_back(std::move(j));
  }
  return arr;
}

ordered_json side_json(const Comparison::Side& s) {
  return {{"label", s.label},   {"scenario", s.scenario}, {"dataset", s.dataset}, {"year", s.year},
          {"status", s.status}, {"solver", s.solver},     {"overrides", s.overrides}};
}

}  // namespace

std::string compare_json(const Comparison& c) {
  ordered_json j;
  j["a"] = side_json(c.a);
  j["b"] = side_json(c.b);
  j["contained_unit"] = c.contained_unit;
  j["totals"] = rows_json(c.totals);
  j["prices"] = rows_json(c.prices);
  j["market_prices"] = rows_json(c.market_prices);
  ordered_json stages = ordered_json::array();
  for (const auto& s : c.stages) {
    ordered_json hhi = {{"by_country", pair_json(s.hhi_country)}, {"by_owner_country", pair_json(s.hhi_owner_country)}};
    if (s.hhi_ultimate_owner_country.a || s.hhi_ultimate_owner_country.b)
      hhi["by_ultimate_owner_country"] = pair_json(s.hhi_ultimate_owner_country);
    ordered_json st = {{"stage", s.stage},
                       {"unit", s.unit},
                       {"output", pair_json(s.output)},
                       {"capacity", pair_json(s.capacity)},
                       {"hhi", hhi},
                       {"by_country", rows_json(s.by_country, true)},
                       {"by_owner_country", rows_json(s.by_owner_country, true)}};
    if (!s.by_ultimate_owner_country.empty())
      st["by_ultimate_owner_country"] = rows_json(s.by_ultimate_owner_country, true);
    stages.push_back(std::move(st));
  }
  j["stages"] = stages;
  j["value_added"] = rows_json(c.value_added);
  j["unmet"] = rows_json(c.unmet);
  ordered_json rules = ordered_json::array();
  for (const auto& r : c.rules)
    rules.push_back({{"id", r.id},
                     {"kind", r.kind},
                     {"unit", r.unit},
                     {"binding", {{"a", r.binding_a}, {"b", r.binding_b}}},
                     {"activity", pair_json(r.activity)},
                     {"bound", pair_json(r.bound)},
                     {"dual_usd_per_unit", pair_json(r.dual_usd)}});
  j["rules"] = rules;
  ordered_json flows = ordered_json::array();
  for (const auto& f : c.flows) {
    ordered_json fj = {{"family", f.family}, {"from", f.from}, {"to", f.to}, {"product", f.product}, {"unit", f.unit}};
    fj.update(pair_json(f.quantity));
    fj["delta_contained"] = round6(f.contained_delta);
    flows.push_back(std::move(fj));
  }
  j["flows"] = flows;
  j["notes"] = c.notes;
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

// ---- text -------------------------------------------------------------------------------------

namespace {

std::string human(double v) {
  const double a = std::abs(v);
  if (a >= 1e9) return fmt::format("{:.3g} bn", v / 1e9);
  if (a >= 1e6) return fmt::format("{:.3g} M", v / 1e6);
  if (a >= 1e4) return fmt::format("{:.0f}", v);
  if (a >= 1) return fmt::format("{:.4g}", v);
  if (a == 0) return "0";
  return fmt::format("{:.3g}", v);
}

std::string value(const std::optional<double>& v) { return v ? human(*v) : "-"; }

std::string signed_delta(const Pair& p, double tol) {
  if (!changed(p, tol)) return "0";
  const double d = p.delta();
  std::string out = d > 0 ? "+" : "";
  out += human(d);
  if (p.a && std::abs(*p.a) > 1e-12) out += fmt::format(" ({:+.1f}%)", 100.0 * d / std::abs(*p.a));
  return out;
}

std::string pct(const std::optional<double>& v) { return v ? fmt::format("{:.1f}%", 100.0 * *v) : "-"; }

std::string pp(const Pair& p) {
  const double d = 100.0 * p.delta();
  if (std::abs(d) < 0.05) return "0";
  return fmt::format("{:+.1f} pp", d);
}

constexpr double kTol = 1e-6;

std::string table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& r : rows)
    for (std::size_t k = 0; k < r.size(); ++k) {
      if (width.size() <= k) width.push_back(0);
      width[k] = std::max(width[k], r[k].size());
    }
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t k = 0; k < r.size(); ++k) {
      if (k == 0) out += fmt::format("  {:<{}}", r[k], width[k]);
      else out += fmt::format("  {:>{}}", r[k], width[k]);
    }
    out += "\n";
  }
  return out;
}

std::string side_line(const char* name, const Comparison::Side& s) {
  std::string out = fmt::format("{} = {}: scenario {} on {} ({}), {}", name, s.label, s.scenario, s.dataset, s.year, s.status);
  for (const auto& o : s.overrides) out += " --set " + o;
  return out + "\n";
}

}  // namespace

std::string compare_text(const Comparison& c) {
  std::string out = "cadena compare\n" + side_line("A", c.a) + side_line("B", c.b);
  for (const auto& n : c.notes) out += "note: " + n + "\n";

  std::vector<std::vector<std::string>> rows{{"", "A", "B", "B - A"}};
  for (const auto& r : c.totals)
    rows.push_back({r.key + " (" + r.unit + ")", value(r.value.a), value(r.value.b), signed_delta(r.value, kTol)});
  out += "\n" + table(rows);

  rows = {{"price", "A", "B", "B - A"}};
  for (const auto& r : c.prices)
    rows.push_back({r.key + " (" + r.unit + ")", value(r.value.a), value(r.value.b), signed_delta(r.value, kTol)});
  out += "\nmarginal prices (dual of each demand row)\n" + table(rows);

  for (const auto& s : c.stages) {
    out += fmt::format("\n{}: output {} -> {} {} ({}); HHI by location {} -> {}, by owner country {} -> {}", s.stage,
                       value(s.output.a), value(s.output.b), s.unit, signed_delta(s.output, kTol),
                       value(s.hhi_country.a), value(s.hhi_country.b), value(s.hhi_owner_country.a),
                       value(s.hhi_owner_country.b));
    if (s.hhi_ultimate_owner_country.a || s.hhi_ultimate_owner_country.b)
      out += fmt::format(", look-through {} -> {}", value(s.hhi_ultimate_owner_country.a),
                         value(s.hhi_ultimate_owner_country.b));
    out += "\n";
    rows = {{"share", "A", "B", "B - A"}};
    auto add = [&](const char* dim, const std::vector<Row>& shares) {
      std::size_t shown = 0;
      for (const auto& r : shares) {
        const bool big = std::max(r.value.a.value_or(0), r.value.b.value_or(0)) >= 0.05;
        if (!big && std::abs(r.value.delta()) < 0.0005) continue;
        if (++shown > 8) break;
        rows.push_back({fmt::format("{} {}", dim, r.key), pct(r.value.a), pct(r.value.b), pp(r.value)});
      }
    };
    add("location", s.by_country);
    add("owner", s.by_owner_country);
    add("look-through", s.by_ultimate_owner_country);
    if (rows.size() > 1) out += table(rows);
  }

  rows = {{"country", "A", "B", "B - A"}};
  for (const auto& r : c.value_added) {
    if (rows.size() > 10) break;
    if (!changed(r.value, kTol) && rows.size() > 5) continue;
    rows.push_back({r.key, value(r.value.a), value(r.value.b), signed_delta(r.value, kTol)});
  }
  if (rows.size() > 1) out += "\nvalue added (USD, output at market prices minus chain inputs)\n" + table(rows);

  if (c.unmet.empty()) {
    out += "\nunmet demand: none in either run\n";
  } else {
    rows = {{"unmet", "A", "B", "B - A"}};
    for (const auto& r : c.unmet)
      rows.push_back({r.key + " (" + r.unit + ")", value(r.value.a), value(r.value.b), signed_delta(r.value, kTol)});
    out += "\nunmet demand\n" + table(rows);
  }

  if (c.rules.empty()) {
    out += "binding rules: none in either run\n";
  } else {
    rows = {{"rule", "binding A", "B", "dual A", "dual B (USD per unit)"}};
    for (const auto& r : c.rules)
      rows.push_back({r.id + " (" + r.kind + ")", r.binding_a ? "yes" : "no", r.binding_b ? "yes" : "no",
                      value(r.dual_usd.a), value(r.dual_usd.b)});
    out += "\nbinding rules (dual: cost of the rule per unit of its activity)\n" + table(rows);
  }

  if (c.flows.empty()) {
    out += "trade flows: none changed\n";
  } else {
    rows = {{"trade flow", "A", "B", "B - A"}};
    for (const auto& f : c.flows)
      rows.push_back({fmt::format("{} {}->{} ({})", f.product, f.from, f.to, f.unit), value(f.quantity.a),
                      value(f.quantity.b), signed_delta(f.quantity, kTol)});
    out += fmt::format("\ntrade flows that changed most (ranked by {} contained)\n", c.contained_unit) + table(rows);
  }
  return out;
}

}  // namespace cadena::report
