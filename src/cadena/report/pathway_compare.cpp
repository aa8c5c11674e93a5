#include "cadena/report/pathway_compare.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "cadena/core/clock.hpp"
#include "cadena/core/version.hpp"
#include "cadena/report/html_report.hpp"

namespace cadena::report {

using nlohmann::ordered_json;

namespace {

Result<ordered_json> parse_side(const PathwaySide& s) {
  ordered_json j = ordered_json::parse(s.summary_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("years") || !j["years"].is_array() || !j.contains("series") ||
      !j["series"].is_object())
    return make_error(ErrorCategory::Value, "summary.json is not a pathway run's (no years and series); expected an output folder of cadena run --years",
                      {s.label, 0, "years", ""});
  return j;
}

double num_at(const ordered_json& v) { return v.is_number() ? v.get<double>() : 0.0; }

// A series of one side on the common years (0 where the side has no value).
std::vector<double> on_years(const ordered_json* series, const std::vector<std::size_t>& index) {
  std::vector<double> out;
  for (std::size_t t : index)
    out.push_back(series && series->is_array() && t < series->size() ? num_at((*series)[t]) : 0.0);
  return out;
}

const ordered_json* path(const ordered_json& j, std::initializer_list<std::string> keys) {
  const ordered_json* at = &j;
  for (const auto& k : keys) {
    if (!at->is_object() || !at->contains(k)) return nullptr;
    at = &(*at)[k];
  }
  return at;
}

ordered_json triple(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> d(a.size());
  for (std::size_t t = 0; t < a.size(); ++t) d[t] = b[t] - a[t];
  return {{"a", a}, {"b", b}, {"delta", d}};
}

// Σ over every leaf series below `node` (investment: stage -> host -> owner -> series).
void add_leaves(const ordered_json& node, std::vector<double>& sum) {
  if (node.is_array()) {
    for (std::size_t t = 0; t < node.size() && t < sum.size(); ++t) sum[t] += num_at(node[t]);
  } else if (node.is_object()) {
    for (const auto& [_, v] : node.items()) add_leaves(v, sum);
  }
}

std::string human(double v) { return human_number(v); }

ordered_json side_meta(const PathwaySide& s, const ordered_json& j) {
  auto str = [&](const char* k) { return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string(); };
  return {{"label", s.label},        {"scenario", str("scenario")},  {"dataset", str("dataset")},
          {"mode", str("mode")},      {"demand_path", str("demand_path")},
          {"discount_rate", j.value("discount_rate", 0.0)}, {"years", j["years"]},
          {"total_cost_usd", j.value("total_cost_usd", 0.0)}};
}

Result<ordered_json> compare(const PathwaySide& a, const PathwaySide& b) {
  auto ja = parse_side(a);
  if (!ja) return ja.error();
  auto jb = parse_side(b);
  if (!jb) return jb.error();
  const ordered_json &A = *ja, &B = *jb;
  // The years both have, and where each side holds them.
  std::vector<int> years;
  std::vector<std::size_t> ia, ib;
  for (std::size_t i = 0; i < A["years"].size(); ++i)
    for (std::size_t k = 0; k < B["years"].size(); ++k)
      if (A["years"][i] == B["years"][k]) {
        years.push_back(A["years"][i].get<int>());
        ia.push_back(i);
        ib.push_back(k);
      }
  ordered_json j;
  j["kind"] = "pathway_compare";
  j["a"] = side_meta(a, A);
  j["b"] = side_meta(b, B);
  j["years"] = years;
  const double ta = A.value("total_cost_usd", 0.0), tb = B.value("total_cost_usd", 0.0);
  j["total_cost_usd"] = {{"a", ta}, {"b", tb}, {"delta", tb - ta}};
  std::vector<std::string> notes;
  if (A["years"] != B["years"])
    notes.push_back("the two pathways have different years: the discounted totals cover different periods; the series compare the years both have");
  if (A.value("discount_rate", 0.0) != B.value("discount_rate", 0.0))
    notes.push_back("the two pathways discount at different rates: their discounted totals do not compare");
  j["notes"] = notes;
  const ordered_json &SA = A["series"], &SB = B["series"];
  ordered_json s;
  s["cost_usd"] = triple(on_years(path(SA, {"cost_usd", "total"}), ia), on_years(path(SB, {"cost_usd", "total"}), ib));
  for (const char* k : {"co2_t", "water_m3"}) s[k] = triple(on_years(path(SA, {k}), ia), on_years(path(SB, {k}), ib));
  std::vector<double> ca(years.size()), cb(years.size());
  {
    std::vector<double> fa(A["years"].size()), fb(B["years"].size());
    if (const auto* x = path(SA, {"investment_usd"})) add_leaves(*x, fa);
    if (const auto* x = path(SB, {"investment_usd"})) add_leaves(*x, fb);
    for (std::size_t t = 0; t < years.size(); ++t) {
      ca[t] = fa[ia[t]];
      cb[t] = fb[ib[t]];
    }
  }
  s["capex_usd"] = triple(ca, cb);
  // Stages and products of either side, in A's order then B's.
  auto keys_of = [](const ordered_json* x, const ordered_json* y) {
    std::vector<std::string> out;
    for (const auto* o : {x, y})
      if (o && o->is_object())
        for (const auto& [k, _] : o->items())
          if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
    return out;
  };
  ordered_json stages = ordered_json::object();
  for (const auto& st : keys_of(path(SA, {"stages"}), path(SB, {"stages"}))) {
    stages[st] = triple(on_years(path(SA, {"stages", st, "output"}), ia), on_years(path(SB, {"stages", st, "output"}), ib));
    const auto* unit = path(SA, {"stages", st, "unit"});
    if (!unit) unit = path(SB, {"stages", st, "unit"});
    stages[st]["unit"] = unit && unit->is_string() ? unit->get<std::string>() : "";
  }
  s["stage_output"] = stages;
  ordered_json prices = ordered_json::object();
  for (const auto& p : keys_of(path(SA, {"demand_price_usd"}), path(SB, {"demand_price_usd"})))
    for (const auto& r : keys_of(path(SA, {"demand_price_usd", p}), path(SB, {"demand_price_usd", p}))) {
      const auto *x = path(SA, {"demand_price_usd", p, r}), *y = path(SB, {"demand_price_usd", p, r});
      if (x && y) prices[p][r] = triple(on_years(x, ia), on_years(y, ib));  // a price only where both have one
    }
  s["demand_price_usd"] = prices;
  ordered_json unmet = ordered_json::object();
  for (const auto& p : keys_of(path(SA, {"unmet"}), path(SB, {"unmet"}))) {
    std::vector<double> fa(A["years"].size()), fb(B["years"].size()), ua, ub;
    if (const auto* x = path(SA, {"unmet", p})) add_leaves(*x, fa);
    if (const auto* x = path(SB, {"unmet", p})) add_leaves(*x, fb);
    for (std::size_t t = 0; t < years.size(); ++t) {
      ua.push_back(fa[ia[t]]);
      ub.push_back(fb[ib[t]]);
    }
    unmet[p] = triple(ua, ub);
  }
  s["unmet"] = unmet;
  j["series"] = s;
  return j;
}

}  // namespace

bool is_pathway_summary(std::string_view summary_json) {
  const ordered_json j = ordered_json::parse(summary_json, nullptr, false);
  return !j.is_discarded() && j.is_object() && j.contains("years") && j["years"].is_array() && j.contains("series") &&
         j["series"].is_object();
}

Result<std::string> pathway_compare_json(const PathwaySide& a, const PathwaySide& b) {
  auto j = compare(a, b);
  if (!j) return j.error();
  return j->dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

Result<std::string> pathway_compare_text(const PathwaySide& a, const PathwaySide& b) {
  auto jr = compare(a, b);
  if (!jr) return jr.error();
  const ordered_json& j = *jr;
  auto side = [](const ordered_json& m) {
    const auto& y = m["years"];
    return fmt::format("{} ({} on {}, {}-{}, {} periods, {})", m["label"].get<std::string>(), m["scenario"].get<std::string>(),
                       m["dataset"].get<std::string>(), y.empty() ? 0 : y.front().get<int>(), y.empty() ? 0 : y.back().get<int>(),
                       y.size(), m["mode"].get<std::string>());
  };
  std::string out = fmt::format("cadena compare: A = {}\n                B = {}\n", side(j["a"]), side(j["b"]));
  const auto& tc = j["total_cost_usd"];
  out += fmt::format("discounted total cost: A {} USD, B {} USD, B - A {} USD\n", human(tc["a"].get<double>()),
                     human(tc["b"].get<double>()), human(tc["delta"].get<double>()));
  for (const auto& n : j["notes"]) out += "note: " + n.get<std::string>() + "\n";
  const auto& years = j["years"];
  if (years.empty()) return out + "no year in common: nothing to set side by side\n";
  std::string head = fmt::format("\n  {:<34}", "B - A (A → B) in year");
  for (const auto& y : years) head += fmt::format(" {:>24}", y.get<int>());
  out += head + "\n";
  auto row = [&](const std::string& label, const ordered_json& t) {
    std::string line = fmt::format("  {:<34}", label);
    for (std::size_t i = 0; i < years.size(); ++i) {
      const double a = t["a"][i].get<double>(), b = t["b"][i].get<double>(), d = t["delta"][i].get<double>();
      // Solver noise (1e-10 of a million) reads as no change.
      const bool same = std::abs(d) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
      line += fmt::format(" {:>24}", fmt::format("{} ({}→{})", same ? std::string("0") : human(d), human(a), human(b)));
    }
    return line + "\n";
  };
  const auto& s = j["series"];
  out += row("cost USD", s["cost_usd"]);
  out += row("capex coming online USD", s["capex_usd"]);
  out += row("CO2 t", s["co2_t"]);
  out += row("water m3", s["water_m3"]);
  for (const auto& [st, t] : s["stage_output"].items()) out += row(st + " output " + t["unit"].get<std::string>(), t);
  for (const auto& [p, t] : s["unmet"].items()) out += row("unmet " + p, t);
  return out;
}

Result<std::string> pathway_compare_report_html(const PathwaySide& a, const PathwaySide& b,
                                                const std::vector<std::string>& notes) {
  auto jr = compare(a, b);
  if (!jr) return jr.error();
  ordered_json j;
  j["kind"] = "pathway_compare";
  j["meta"] = {{"title", fmt::format("cadena compare: {} vs {}", a.label, b.label)},
               {"subtitle", fmt::format("A = {}, B = {} (pathways)", a.label, b.label)},
               {"generated_at", utc_now()},
               {"cadena_version", version()},
               {"notes", notes}};
  j["comparison"] = std::move(*jr);
  const PathwaySide* sides[2] = {&a, &b};
  const char* names[2] = {"run_a", "run_b"};
  for (int k = 0; k < 2; ++k) {
    // The folder's summary.json with the dataset's declarations (names, units), as in the pathway's
    // own report.
    ordered_json run = ordered_json::parse(dataset_declarations_json(sides[k]->dataset.get()));
    run["kind"] = "pathway";
    ordered_json summary = ordered_json::parse(sides[k]->summary_json);
    ordered_json stages = ordered_json::array();
    for (const auto& [st, _] : summary["series"]["stages"].items()) stages.push_back(st);
    run["stages"] = stages;
    run["meta"] = {{"label", sides[k]->label},
                   {"scenario", summary.value("scenario", "")},
                   {"dataset", summary.value("dataset", "")},
                   {"mode", summary.value("mode", "")},
                   {"demand_path", summary.value("demand_path", "")},
                   {"solver", summary.value("solver", "")},
                   {"status", summary.value("status", "")}};
    run["summary"] = std::move(summary);
    j[names[k]] = std::move(run);
  }
  return html_page(fmt::format("cadena compare: {} vs {}", a.label, b.label),
                   j.dump(-1, ' ', false, ordered_json::error_handler_t::replace));
}

}  // namespace cadena::report
