#include "cadena/report/run_report.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <system_error>

namespace cadena::report {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

namespace {

// Ten significant digits: exact enough to re-add the columns, short enough to read.
std::string num(double v) {
  if (v == 0.0) return "0";  // also turns -0 into 0
  return fmt::format("{:.10g}", v);
}

// Readable magnitudes for the text summary.
std::string human(double v) { return human_number(v); }

std::string percent(double share) { return fmt::format("{:.1f}%", 100.0 * share); }

ordered_json shares_json(const std::vector<analytics::Share>& shares) {
  ordered_json j = ordered_json::object();
  for (const auto& s : shares) j[s.key] = {{"quantity", s.quantity}, {"share", s.share}};
  return j;
}

// location -> {owner country -> {quantity, share of the location's output}}
ordered_json location_json(const std::vector<std::pair<std::string, std::vector<analytics::Share>>>& m) {
  ordered_json j = ordered_json::object();
  for (const auto& [loc, shares] : m) j[loc] = shares_json(shares);
  return j;
}

std::string top_shares(const std::vector<analytics::Share>& shares, std::size_t n) {
  std::string out;
  double rest = 0.0;
  for (std::size_t i = 0; i < shares.size(); ++i) {
    if (i < n) out += fmt::format("{}{} {}", out.empty() ? "" : ", ", shares[i].key, percent(shares[i].share));
    else rest += shares[i].share;
  }
  if (rest > 0) out += fmt::format(", others {}", percent(rest));
  return out.empty() ? "-" : out;
}

}  // namespace

std::string flows_csv(const chain::ChainResult& r) {
  std::string out = "family,element,from,to,product,quantity,unit,unit_cost_usd,cost_usd\n";
  for (const auto& f : r.flows)
    out += fmt::format("{},{},{},{},{},{},{},{},{}\n", f.family, csv_field(f.element), f.from, f.to, f.product,
                       num(f.quantity), csv_field(f.unit), num(f.unit_cost_usd), num(f.cost_usd));
  return out;
}

std::string facilities_csv(const RunReport& rep) {
  const auto& r = rep.result;
  std::string out =
      "id,name,stage,country,lat,lon,product,output,unit,capacity,utilisation,reduced_cost_usd_per_unit,cost_usd,"
      "co2_t,water_m3,brine_m3,active,owners,owner_countries,ultimate_owners,ultimate_owner_countries,source\n";
  for (std::size_t i = 0; i < r.facilities.size(); ++i) {
    const auto& f = r.facilities[i];
    const FacilityDetail x = i < rep.details.size() ? rep.details[i] : FacilityDetail{};
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(f.id),
                       csv_field(f.name), f.stage, f.country, num(x.lat), num(x.lon), f.product,
                       num(f.output), csv_field(f.unit), num(f.capacity), num(f.utilisation),
                       num(f.reduced_cost_usd), num(f.cost_usd), num(f.co2_t), num(f.water_m3), num(f.brine_m3),
                       f.active ? "yes" : "no", csv_field(x.owners), csv_field(x.owner_countries),
                       csv_field(x.ultimate_owners), csv_field(x.ultimate_owner_countries), csv_field(f.source));
  }
  return out;
}

std::string summary_json(const RunReport& rep) {
  const auto& r = rep.result;
  ordered_json j;
  j["status"] = lp::to_string(r.termination);
  j["dataset"] = rep.info.dataset;
  j["scenario"] = rep.info.scenario;
  j["mode"] = rep.mode;
  j["solver"] = rep.info.solver;
  j["year"] = rep.info.year;
  j["overrides"] = rep.info.overrides;
  j["objective_usd"] = r.objective_usd;
  j["cost_usd"] = {{"production", r.production_usd},
                   {"carbon", r.carbon_usd},
                   {"transport", r.transport_usd},
                   {"duties", r.duties_usd},
                   {"unmet_penalty", r.penalty_usd},
                   {"stock", r.stock_usd}};
  if (!r.rules.empty()) j["cost_usd"]["policy"] = r.policy_usd;  // policy rules' own terms
  ordered_json stages = ordered_json::object();
  for (const auto& s : rep.stages) {
    stages[s.stage] = {{"output", s.output},
                                         {"unit", s.unit},
                                         {"capacity", s.capacity},
                                         {"by_country", shares_json(s.by_country)},
                                         {"by_owner_country", shares_json(s.by_owner_country)},
                                         {"by_ultimate_owner_country", shares_json(s.by_ultimate_owner_country)},
                                         {"by_owner_company", shares_json(s.by_owner_company)},
                                         {"by_location_owner_country", location_json(s.by_location_owner_country)},
                                         {"hhi", {{"by_country", s.hhi_country}, {"by_owner_country", s.hhi_owner_country},
                                                  {"by_ultimate_owner_country", s.hhi_ultimate_owner_country}}}};
  }
  j["stages"] = stages;
  // prices.<region>.<product>: USD per unit of the product (units in "units").
  ordered_json prices = ordered_json::object(), market = ordered_json::object(), units = ordered_json::object();
  for (const auto& p : r.demand_prices) {
    prices[p.region_or_country][p.product] = p.usd_per_unit;
    units[p.product] = p.unit;
  }
  for (const auto& p : r.market_prices) {
    market[p.product][p.region_or_country] = p.usd_per_unit;
    units[p.product] = p.unit;
  }
  j["prices"] = prices;
  j["market_prices"] = market;
  j["units"] = units;
  // value_added.<country>: revenue at market prices minus chain inputs at market prices.
  ordered_json va = ordered_json::object();
  for (const auto& v : rep.value_added)
    va[v.country] = {{"value_added_usd", v.value_added_usd}, {"revenue_usd", v.revenue_usd},
                     {"input_cost_usd", v.input_cost_usd}};
  j["value_added"] = va;
  j["contained_unit"] = rep.info.contained_unit;
  ordered_json contained = ordered_json::object();
  for (const auto& [product, factor] : rep.info.contained_per_unit) contained[product] = factor;
  j["contained_per_unit"] = contained;
  j["emissions_t_co2"] = r.co2_t;
  j["water_m3"] = r.water_m3;  // fresh water
  j["brine_m3"] = r.brine_m3;  // brine pumped, reported apart
  ordered_json unmet = ordered_json::array();
  for (const auto& u : r.unmet)
    unmet.push_back({{"region", u.region}, {"product", u.product}, {"quantity", u.quantity}, {"demand", u.demand}, {"unit", u.unit}});
  j["unmet_demand"] = unmet;
  // stock_build.<product>.<country>: output put into stock (production-floor mode; else empty).
  ordered_json stock = ordered_json::object();
  for (const auto& st : r.stock) stock[st.product][st.country] = st.quantity;
  j["stock_build"] = stock;
  ordered_json binding = ordered_json::array();
  for (const auto& b : rep.bottlenecks)
    binding.push_back({{"facility", b.facility}, {"stage", b.stage}, {"country", b.country},
                       {"product", b.product}, {"capacity", b.capacity}, {"unit", b.unit},
                       {"value_usd_per_unit", b.value_usd_per_unit}});
  j["bottlenecks"] = binding;
  // Policy rules in force (docs/formulation.md "Policy rules"); absent when the run has none.
  if (!r.rules.empty()) {
    ordered_json rules = ordered_json::array();
    for (const auto& x : r.rules) {
      ordered_json e = {{"id", x.id}, {"kind", x.kind}, {"year", x.year}, {"binding", x.binding},
                        {"dual_usd_per_unit", x.dual_usd}, {"activity", x.quantity}, {"unit", x.unit},
                        {"bound", x.bound}, {"payment_usd", x.payment_usd}};
      if (x.shortfall > 0) e["shortfall"] = x.shortfall;
      if (x.excluded_capacity > 0) {
        e["excluded_capacity"] = x.excluded_capacity;
        ordered_json by = ordered_json::object();
        for (const auto& [k, v] : x.excluded_by_stage) by[k] = v;
        e["excluded_by"] = by;
      }
      e["source"] = x.source;
      rules.push_back(std::move(e));
    }
    j["rules"] = rules;
  }
  // What produced these numbers (the run history keeps the scenario's text as well).
  j["provenance"] = {{"cadena_version", rep.info.cadena_version},
                     {"scenario_file", rep.info.scenario_file},
                     {"scenario_sha256", rep.info.scenario_sha256},
                     {"dataset_version", rep.info.dataset_version}};
  j["timings"] = {{"load_s", rep.info.load_s}, {"build_s", rep.info.build_s}, {"solve_s", rep.info.solve_s}};
  j["lp"] = {{"columns", rep.info.lp_columns}, {"rows", rep.info.lp_rows}, {"nonzeros", rep.info.lp_nonzeros},
             {"iterations", rep.info.iterations}};
  // Invalid UTF-8 is refused by the readers; should any reach this far it is replaced, not thrown.
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string summary_text(const RunReport& rep) {
  const auto& r = rep.result;
  std::string out = fmt::format(
      "cadena run: {} - scenario {} on dataset {} ({}), solver {}: {}\n",
      rep.mode == "observed" ? "the observed chain (production held at the reported output)"
                             : "the cost-minimal chain, not the observed one (cadena calibrate compares both)",
      rep.info.scenario, rep.info.dataset, rep.info.year, rep.info.solver, lp::to_string(r.termination));
  if (!r.facilities.size() && r.termination != lp::Termination::Optimal) return out;
  out += fmt::format("total cost {} USD (production {}, carbon {}, transport {}, duties {}, unmet penalty {})\n",
                     human(r.objective_usd), human(r.production_usd), human(r.carbon_usd), human(r.transport_usd),
                     human(r.duties_usd), human(r.penalty_usd));
  out += fmt::format("emissions {} t CO2, fresh water {} m3, brine pumped {} m3\n", human(r.co2_t), human(r.water_m3),
                     human(r.brine_m3));
  if (!r.rules.empty()) {
    out += fmt::format("policy rules (own terms {} USD):\n", human(r.policy_usd));
    for (const auto& x : r.rules)
      out += fmt::format("  {:<28} {:<17} {} {} {}, dual {} USD/unit, payment {} USD{}\n", x.id, x.kind,
                         x.binding ? "binding" : "slack  ", human(x.quantity), x.unit, human(x.dual_usd),
                         human(x.payment_usd),
                         x.excluded_capacity > 0 ? fmt::format(", excluded capacity {}", human(x.excluded_capacity))
                         : x.shortfall > 0      ? fmt::format(", short {}", human(x.shortfall))
                                                : std::string());
  }
  if (!r.stock.empty()) {  // production-floor mode: output nobody consumed
    std::map<std::string, std::pair<double, std::string>> by_product;
    for (const auto& st : r.stock) {
      by_product[st.product].first += st.quantity;
      by_product[st.product].second = st.unit;
    }
    out += "stock build:";
    for (const auto& [product, q] : by_product) out += fmt::format(" {} {} {};", product, human(q.first), q.second);
    out.back() = '\n';
  }
  out += "\n";
  for (const auto& s : rep.stages) {
    if (s.capacity <= 0 && s.output <= 0) {
      out += fmt::format("{:<9} no active capacity\n", s.stage);
      continue;
    }
    out += fmt::format("{:<9} output {} {} of capacity {} ({})\n", s.stage, human(s.output), s.unit,
                       human(s.capacity), s.capacity > 0 ? percent(s.output / s.capacity) : "-");
    out += fmt::format("  by location:        {}  HHI {:.0f}\n", top_shares(s.by_country, 5), s.hhi_country);
    out += fmt::format("  by owner country:   {}  HHI {:.0f}\n", top_shares(s.by_owner_country, 5), s.hhi_owner_country);
    out += fmt::format("  by ultimate owner:  {}  HHI {:.0f}\n", top_shares(s.by_ultimate_owner_country, 5),
                       s.hhi_ultimate_owner_country);
  }
  out += "\nmarginal prices (dual of each demand row, USD per unit):\n";
  for (const auto& p : r.demand_prices)
    out += fmt::format("  {:<4} {:<16} {:>14} USD/{}\n", p.region_or_country, p.product, human(p.usd_per_unit), p.unit);
  // Intermediate products have no demand row; their market duals per country show what an
  // extra unit is worth where it is made or used.
  std::map<std::string, std::pair<double, double>> range;  // product -> (min, max)
  std::map<std::string, std::string> unit_of;
  for (const auto& p : r.market_prices) {
    auto [it, fresh] = range.try_emplace(p.product, p.usd_per_unit, p.usd_per_unit);
    if (!fresh) {
      it->second.first = std::min(it->second.first, p.usd_per_unit);
      it->second.second = std::max(it->second.second, p.usd_per_unit);
    }
    unit_of[p.product] = p.unit;
  }
  if (!range.empty()) {
    out += "market prices (dual of each product's country balance, lowest - highest country, USD per unit):\n";
    for (const auto& [product, mm] : range)
      out += fmt::format("  {:<21} {:>10} - {:<10} USD/{}\n", product, human(mm.first), human(mm.second), unit_of[product]);
  }
  if (r.unmet.empty()) {
    out += "unmet demand: none\n";
  } else {
    out += "unmet demand (short):\n";
    for (const auto& u : r.unmet)
      out += fmt::format("  {:<4} {:<16} {} of {} {}\n", u.region, u.product, human(u.quantity), human(u.demand), u.unit);
  }
  if (!rep.bottlenecks.empty()) {
    out += "binding capacities (saving per unit of extra capacity):\n";
    for (const auto& b : rep.bottlenecks)
      out += fmt::format("  {:<28} {:<9} {:<3} {} {} at capacity, {} USD/{}\n", b.facility, b.stage,
                         b.country, human(b.capacity), b.unit, human(b.value_usd_per_unit), b.unit);
  }
  out += fmt::format("timings: load {:.3f} s, build {:.3f} s, solve {:.3f} s\n", rep.info.load_s, rep.info.build_s,
                     rep.info.solve_s);
  return out;
}

Result<Publication> write_run_outputs(const RunReport& rep, const fs::path& dir, std::string_view marker,
                                      std::vector<OutputFile> extra) {
  // Every byte exists before the file system is touched.
  std::vector<OutputFile> files{{"flows.csv", flows_csv(rep.result)},
                                {"facilities.csv", facilities_csv(rep)},
                                {"summary.json", summary_json(rep)}};
  for (auto& f : extra) files.push_back(std::move(f));
  return publish_folder(dir, files, marker);
}

std::string human_number(double v) {
  double a = std::abs(v);
  if (a >= 1e9) return fmt::format("{:.2f} bn", v / 1e9);
  if (a >= 1e6) return fmt::format("{:.2f} M", v / 1e6);
  if (a >= 100) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}

}  // namespace cadena::report
