#include "cadena/report/pathway_report.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace cadena::report {

using nlohmann::ordered_json;

namespace {

std::string num(double v) {
  if (v == 0.0) return "0";
  return fmt::format("{:.10g}", v);
}

std::string human(double v) { return human_number(v); }

// Owner nationality -> share of a build (direct or look-through owners), the rest unattributed.
std::vector<std::pair<std::string, double>> owner_split(const chain::BuildRecord& b, bool lookthrough = false) {
  std::vector<std::pair<std::string, double>> out;
  double sum = 0.0;
  for (const auto& owner : lookthrough ? b.owners_lookthrough : b.owners) {
    const auto& c = owner.first;  // not a structured binding: the lambda uses it (clang 14)
    const auto s = owner.second;
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& x) { return x.first == c; });
    if (it == out.end()) out.emplace_back(c, s);
    else it->second += s;
    sum += s;
  }
  if (sum < 1.0 - 1e-9) out.emplace_back(analytics::kUnattributed, 1.0 - sum);
  return out;
}

}  // namespace

std::string build_owners_text(const chain::BuildRecord& b, bool lookthrough) {
  std::string out;
  for (const auto& [c, s] : owner_split(b, lookthrough)) out += fmt::format("{}{}:{}", out.empty() ? "" : ";", c, num(s));
  return out;
}

std::string pathway_flows_csv(const PathwayReport& r) {
  std::string out = "year,family,element,from,to,product,quantity,unit,unit_cost_usd,cost_usd\n";
  for (const auto& y : r.years)
    for (const auto& f : y.result.flows)
      out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", y.year, f.family, csv_field(f.element), f.from, f.to,
                         f.product, num(f.quantity), csv_field(f.unit), num(f.unit_cost_usd), num(f.cost_usd));
  return out;
}

std::string pathway_facilities_csv(const PathwayReport& r) {
  std::string out =
      "year,id,name,stage,country,product,output,unit,capacity,utilisation,reduced_cost_usd_per_unit,cost_usd,co2_t,"
      "water_m3,active,source\n";
  for (const auto& y : r.years)
    for (const auto& f : y.result.facilities) {
      if (!(f.capacity > 0.0) && !(f.output > 0.0)) continue;
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", y.year, csv_field(f.id),
                         csv_field(f.name), f.stage, f.country, f.product, num(f.output), csv_field(f.unit),
                         num(f.capacity), num(f.utilisation), num(f.reduced_cost_usd), num(f.cost_usd), num(f.co2_t),
                         num(f.water_m3), f.active ? "yes" : "no", csv_field(f.source));
    }
  return out;
}

std::string builds_csv(const PathwayReport& r) {
  std::string out = "year,decision_year,asset,option,kind,stage,country,product,capacity,unit,capex_usd,owners,owners_lookthrough\n";
  for (const auto& b : r.builds)
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", b.year, b.decision_year, csv_field(b.asset),
                       csv_field(b.option), b.kind, b.stage, b.country, b.product, num(b.capacity), csv_field(b.unit),
                       num(b.capex_usd), build_owners_text(b), build_owners_text(b, true));
  return out;
}

std::string pathway_summary_json(const PathwayReport& r) {
  const std::size_t n = r.years.size();
  auto series = [n]() { return std::vector<double>(n, 0.0); };
  ordered_json j;
  j["status"] = lp::to_string(r.termination);
  j["dataset"] = r.info.dataset;
  j["scenario"] = r.info.scenario;
  j["solver"] = r.info.solver;
  j["mode"] = r.mode;
  j["demand_path"] = r.demand_path;
  j["discount_rate"] = r.discount_rate;
  j["overrides"] = r.info.overrides;
  std::vector<int> years;
  std::vector<double> weights, cost_weights;
  for (const auto& y : r.years) {
    years.push_back(y.year);
    weights.push_back(y.weight);
    cost_weights.push_back(y.cost_weight);
  }
  j["years"] = years;
  j["weights"] = weights;
  j["cost_weights"] = cost_weights;
  j["total_cost_usd"] = r.total_cost_usd;
  j["lp_objective_usd"] = r.lp_objective_usd;
  if (r.mip) j["mip"] = {{"lp_bound_usd", r.lp_bound_usd}, {"gap", r.mip_gap}, {"nodes", r.mip_nodes}};

  // Look-through series only when the dataset has company stakes: without them they would repeat
  // the direct ones (the HTML report then shows its look-through switch disabled).
  const bool lookthrough = r.dataset && !r.dataset->stakes.empty();
  ordered_json s;
  std::vector<double> cost = series(), prod = series(), transport = series(), duties = series(), penalty = series(),
                      charge = series(), depl = series(), co2 = series(), water = series();
  std::map<std::string, std::map<std::string, std::vector<double>>> demand_price, unmet;
  std::map<std::string, std::pair<std::vector<double>, std::vector<double>>> market_range;  // product -> min, max
  ordered_json stages = ordered_json::object();
  std::map<std::string, std::vector<double>> feed_avail, feed_used;
  for (std::size_t t = 0; t < n; ++t) {
    const auto& y = r.years[t];
    const auto& res = y.result;
    cost[t] = res.objective_usd;
    prod[t] = res.production_usd + res.carbon_usd;
    transport[t] = res.transport_usd;
    duties[t] = res.duties_usd;
    penalty[t] = res.penalty_usd;
    charge[t] = y.build_charge_usd;
    depl[t] = y.depletion_usd;
    co2[t] = res.co2_t;
    water[t] = res.water_m3;
    for (const auto& p : res.demand_prices) {
      auto& v = demand_price[p.product][p.region_or_country];
      if (v.empty()) v = series();
      v[t] = p.usd_per_unit;
    }
    for (const auto& p : res.market_prices) {
      auto& mm = market_range[p.product];
      if (mm.first.empty()) {
        mm.first.assign(n, std::nan(""));
        mm.second.assign(n, std::nan(""));
      }
      if (std::isnan(mm.first[t]) || p.usd_per_unit < mm.first[t]) mm.first[t] = p.usd_per_unit;
      if (std::isnan(mm.second[t]) || p.usd_per_unit > mm.second[t]) mm.second[t] = p.usd_per_unit;
    }
    for (const auto& u : res.unmet) {
      auto& v = unmet[u.product][u.region];
      if (v.empty()) v = series();
      v[t] = u.quantity;
    }
    for (const auto& st : y.stages) {
      auto& js = stages[st.stage];
      if (js.empty()) {
        js["unit"] = st.unit;
        for (const char* k : {"output", "capacity", "hhi_country", "hhi_owner_country"}) js[k] = series();
        js["by_country"] = ordered_json::object();
        js["by_owner_country"] = ordered_json::object();
      }
      js["output"][t] = st.output;
      js["capacity"][t] = st.capacity;
      js["hhi_country"][t] = st.hhi_country;
      js["hhi_owner_country"][t] = st.hhi_owner_country;
      if (lookthrough) {
        if (!js.contains("hhi_ultimate_owner_country")) {
          js["hhi_ultimate_owner_country"] = series();
          js["by_ultimate_owner_country"] = ordered_json::object();
        }
        js["hhi_ultimate_owner_country"][t] = st.hhi_ultimate_owner_country;
        for (const auto& sh : st.by_ultimate_owner_country) {
          auto& v = js["by_ultimate_owner_country"][sh.key];
          if (v.is_null()) v = series();
          v[t] = sh.share;
        }
      }
      for (const auto& [key, list] : {std::pair{"by_country", &st.by_country}, {"by_owner_country", &st.by_owner_country}})
        for (const auto& sh : *list) {
          auto& v = js[key][sh.key];
          if (v.is_null()) v = series();
          v[t] = sh.share;
        }
    }
    for (const auto& [reg, q] : y.feed_available) {
      auto& v = feed_avail[reg];
      if (v.empty()) v = series();
      v[t] = q;
    }
    for (const auto& [reg, q] : y.feed_used) {
      auto& v = feed_used[reg];
      if (v.empty()) v = series();
      v[t] = q;
    }
  }
  s["cost_usd"] = {{"total", cost},          {"production", prod}, {"transport", transport}, {"duties", duties},
                   {"unmet_penalty", penalty}, {"build_charges", charge}, {"depletion", depl}};
  s["co2_t"] = co2;
  s["water_m3"] = water;
  s["demand_price_usd"] = demand_price;
  ordered_json mp = ordered_json::object();
  for (const auto& [p, mm] : market_range) mp[p] = {{"min", mm.first}, {"max", mm.second}};
  s["market_price_usd"] = mp;
  s["unmet"] = unmet;
  s["stages"] = stages;
  // Capacity coming online and its capex by stage, host country and owner nationality.
  std::map<int, std::size_t> at;
  for (std::size_t t = 0; t < n; ++t) at[r.years[t].year] = t;
  auto period_of = [&](int year) -> std::size_t {
    auto it = at.upper_bound(year);
    return it == at.begin() ? 0 : std::prev(it)->second;
  };
  ordered_json built = ordered_json::object();
  ordered_json built_owner[2] = {ordered_json::object(), ordered_json::object()};
  ordered_json invest[2] = {ordered_json::object(), ordered_json::object()};
  for (const auto& b : r.builds) {
    const std::size_t t = period_of(b.year);
    auto& c = built[b.stage][b.country];
    if (c.is_null()) c = series();
    c[t] = c[t].get<double>() + b.capacity;
    for (const int lt : {0, 1}) {
      if (lt && !lookthrough) break;
      for (const auto& [owner, share] : owner_split(b, lt == 1)) {
        auto& v = invest[lt][b.stage][b.country][owner];
        if (v.is_null()) v = series();
        v[t] = v[t].get<double>() + share * b.capex_usd;
        auto& q = built_owner[lt][b.stage][b.country][owner];
        if (q.is_null()) q = series();
        q[t] = q[t].get<double>() + share * b.capacity;
      }
    }
  }
  s["capacity_built"] = built;
  s["capacity_built_by_owner"] = built_owner[0];
  s["investment_usd"] = invest[0];
  if (lookthrough) {
    s["capacity_built_by_owner_lookthrough"] = built_owner[1];
    s["investment_usd_lookthrough"] = invest[1];
  }
  if (!feed_avail.empty()) s["end_of_life_feed"] = {{"available", feed_avail}, {"used", feed_used}};
  j["series"] = s;

  ordered_json jb = ordered_json::array();
  for (const auto& b : r.builds)
    jb.push_back({{"year", b.year},         {"decision_year", b.decision_year}, {"asset", b.asset},
                  {"option", b.option},     {"kind", b.kind},                   {"stage", b.stage},
                  {"country", b.country},   {"product", b.product},             {"capacity", b.capacity},
                  {"unit", b.unit},         {"capex_usd", b.capex_usd},         {"owners", build_owners_text(b)}});
  j["builds"] = jb;
  ordered_json jr = ordered_json::array();
  for (const auto& x : r.retirements)
    jr.push_back({{"year", x.year}, {"asset", x.asset}, {"stage", x.stage}, {"country", x.country}, {"capacity", x.capacity}, {"unit", x.unit}});
  j["retirements"] = jr;
  ordered_json jd = ordered_json::array();
  for (const auto& d : r.depletion)
    jd.push_back({{"deposit", d.deposit}, {"unit", d.unit}, {"tranches", d.quantity}, {"extracted", d.extracted}});
  j["depletion"] = jd;
  j["notes"] = r.notes;
  j["timing_s"] = {{"load", r.info.load_s}, {"build", r.info.build_s}, {"solve", r.info.solve_s}};
  j["lp"] = {{"columns", r.info.lp_columns}, {"rows", r.info.lp_rows}, {"nonzeros", r.info.lp_nonzeros}};
  return j.dump(2) + "\n";
}

std::string pathway_summary_text(const PathwayReport& r, std::vector<int> show) {
  // The periods themselves when they are not every year: 2024:2030:3 is 2024, 2025, 2028, 2030
  // (the first year, the years divisible by the step, the last), which "4 periods" alone hides.
  std::string periods = fmt::format("{} periods", r.years.size());
  if (!r.years.empty() && static_cast<int>(r.years.size()) != r.years.back().year - r.years.front().year + 1) {
    periods += ":";
    for (std::size_t t = 0; t < r.years.size(); ++t) periods += fmt::format("{} {}", t ? "," : "", r.years[t].year);
  } else if (r.years.size() > 1) {
    periods += ", every year";
  }
  std::string out = fmt::format("cadena run: scenario {} on dataset {}, years {}-{} ({}), {}, demand path {}, "
                                "discount rate {:.1f}%, solver {}: {}\n",
                                r.info.scenario, r.info.dataset, r.years.empty() ? 0 : r.years.front().year,
                                r.years.empty() ? 0 : r.years.back().year, periods, r.mode,
                                r.demand_path.empty() ? "(held at the dataset year)" : r.demand_path,
                                100.0 * r.discount_rate, r.info.solver, lp::to_string(r.termination));
  if (r.years.empty()) return out;
  out += fmt::format("discounted total cost {} USD", human(r.total_cost_usd));
  if (r.mip) out += fmt::format(" (MIP; LP bound {} USD, gap {:.2f}%, {} nodes)", human(r.lp_bound_usd), 100.0 * r.mip_gap, r.mip_nodes);
  out += "\n";
  if (show.empty()) {
    const int first = r.years.front().year, last = r.years.back().year;
    for (int y : {first, 2030, 2035, last})
      if (y >= first && y <= last && std::find(show.begin(), show.end(), y) == show.end()) show.push_back(y);
  }
  std::vector<const PathwayYear*> cols;
  for (int y : show)
    for (const auto& py : r.years)
      if (py.year == y) cols.push_back(&py);
  if (cols.empty()) return out;
  auto row = [&](const std::string& label, auto value) {
    std::string line = fmt::format("  {:<30}", label);
    for (const auto* c : cols) line += fmt::format(" {:>12}", value(*c));
    return line + "\n";
  };
  out += "\n" + row("year", [](const PathwayYear& y) { return std::to_string(y.year); });
  out += row("operating cost USD", [](const PathwayYear& y) { return human(y.result.objective_usd); });
  out += row("build charges USD", [](const PathwayYear& y) { return human(y.build_charge_usd); });
  out += row("CO2 t", [](const PathwayYear& y) { return human(y.result.co2_t); });
  for (const auto& st : cols.front()->stages) {
    const std::string id = st.stage;
    auto stage_of = [&](const PathwayYear& y) -> const analytics::StageSummary* {
      for (const auto& s : y.stages)
        if (s.stage == id) return &s;
      return nullptr;
    };
    out += row(fmt::format("{} output {}", id, st.unit), [&](const PathwayYear& y) {
      const auto* s = stage_of(y);
      return s ? human(s->output) : std::string("-");
    });
    out += row(fmt::format("{} top country", id), [&](const PathwayYear& y) {
      const auto* s = stage_of(y);
      return s && !s->by_country.empty() ? fmt::format("{} {:.0f}%", s->by_country.front().key, 100 * s->by_country.front().share)
                                         : std::string("-");
    });
  }
  // Demand prices: the first product of each demand row, averaged over regions would hide
  // differences; show the lowest and highest region.
  std::set<std::string> products;
  for (const auto& p : cols.front()->result.demand_prices) products.insert(p.product);
  for (const auto& prod : products)
    out += row(fmt::format("price {} USD (min-max)", prod), [&](const PathwayYear& y) {
      double lo = 0, hi = 0;
      bool any = false;
      for (const auto& p : y.result.demand_prices)
        if (p.product == prod) {
          lo = any ? std::min(lo, p.usd_per_unit) : p.usd_per_unit;
          hi = any ? std::max(hi, p.usd_per_unit) : p.usd_per_unit;
          any = true;
        }
      return any ? (human(lo) == human(hi) ? human(lo) : human(lo) + "-" + human(hi)) : std::string("-");
    });
  out += row("unmet demand (rows short)", [](const PathwayYear& y) { return std::to_string(y.result.unmet.size()); });
  double capex = 0.0;
  for (const auto& b : r.builds) capex += b.capex_usd;
  out += fmt::format("\ncapacity coming online: {} builds, capex {} USD (builds.csv); retirements: {}\n", r.builds.size(),
                     human(capex), r.retirements.size());
  for (const auto& n : r.notes) out += "note: " + n + "\n";
  return out;
}

Result<Publication> write_pathway_outputs(const PathwayReport& r, const std::filesystem::path& dir,
                                          std::string_view marker, std::vector<OutputFile> extra) {
  std::vector<OutputFile> files{{"flows.csv", pathway_flows_csv(r)},
                                {"facilities.csv", pathway_facilities_csv(r)},
                                {"builds.csv", builds_csv(r)},
                                {"summary.json", pathway_summary_json(r)}};
  for (auto& f : extra) files.push_back(std::move(f));
  return publish_folder(dir, files, marker);
}

}  // namespace cadena::report
