#include "cadena/report/html_report.hpp"

#include <fmt/core.h>

#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "cadena/analytics/shares.hpp"
#include "cadena/core/clock.hpp"
#include "cadena/core/version.hpp"
#include "cadena/report/html_assets.hpp"

namespace cadena::report {

using nlohmann::ordered_json;

namespace {

std::string html_escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// JSON inside <script type="application/json">: '<' only occurs inside JSON strings, where
// \u003c is the same character, so no "</script" or "<!--" can end or confuse the element.
std::string script_json(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<') out += "\\u003c";
    else out += c;
  }
  return out;
}

// The licences of what the page inlines (NOTICE has the full texts).
constexpr const char* kNotice =
    "<!-- Made by cadena (Apache-2.0). Inlined: Apache ECharts (Apache-2.0; Copyright 2017-2026 The Apache\n"
    "     Software Foundation; includes ZRender, BSD-3-Clause, Copyright (c) 2017 Baidu Inc., and parts of d3,\n"
    "     ISC/BSD-3-Clause, Copyright Michael Bostock), topojson-client (ISC, Copyright 2012-2019 Michael\n"
    "     Bostock), world-atlas 1:110m countries (ISC, Copyright 2013-2019 Michael Bostock; data from\n"
    "     Natural Earth, public domain). Full licence texts: NOTICE in the cadena distribution. -->\n";

}  // namespace

bool html_reports_available() { return assets::libraries; }

Result<std::string> html_page(std::string_view title, std::string_view data_json) {
  if (!assets::libraries)
    return make_error(ErrorCategory::Internal,
                      "this cadena was built without the report libraries (node_modules was missing): run "
                      "`bash scripts/bootstrap.sh` (npm ci) in the source tree and rebuild");
  std::string out;
  out.reserve(assets::echarts.size() + assets::world.size() + assets::topojson.size() + assets::app.size() +
              assets::css.size() + data_json.size() + 4096);
  out += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // Nothing may be fetched: the report works offline and leaks nothing when opened.
  out += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline'; "
         "style-src 'unsafe-inline'; img-src data: blob:\">\n";
  out += fmt::format("<meta name=\"generator\" content=\"cadena {}\">\n", html_escape(version()));
  out += fmt::format("<title>{}</title>\n", html_escape(title));
  out += kNotice;
  out += "<style>\n";
  out += assets::css;
  out += "</style>\n</head>\n<body>\n<div id=\"app\"><noscript>This report needs JavaScript.</noscript></div>\n";
  out += "<script type=\"application/json\" id=\"cadena-data\">";
  out += script_json(data_json);
  out += "</script>\n<script type=\"application/json\" id=\"cadena-world\">";
  out += assets::world;
  out += "</script>\n<script>\n";
  out += assets::echarts;
  out += "\n</script>\n<script>\n";
  out += assets::topojson;
  out += "\n</script>\n<script>\n";
  out += assets::app;
  out += "\nCADENA.start();\n</script>\n</body>\n</html>\n";
  return out;
}

namespace {

// The run view's data (docs/report.md): `summary` (summary.json as it is), the stages in chain
// order (summary.json's order), the dataset's declarations, the facility results joined with
// their coordinates and owners, and every flow. `d` may be null (a run whose dataset cannot be
// read): then products, countries, companies and coordinates are empty and the view says so.
ordered_json run_data(ordered_json meta, ordered_json summary, const std::vector<chain::FlowRecord>& flow_records,
                      const std::vector<chain::FacilityRecord>& facility_records, const model::Dataset* d) {
  ordered_json j;
  j["kind"] = "run";
  if (d) meta["dataset_description"] = d->description;
  j["meta"] = std::move(meta);
  // Stage order as the run reports it (chain order); the views never assume a stage list.
  ordered_json stages = ordered_json::array();
  if (summary.contains("stages") && summary["stages"].is_object())
    for (const auto& [stage, _] : summary["stages"].items()) stages.push_back(stage);
  j["summary"] = std::move(summary);
  j["stages"] = stages;

  ordered_json products = ordered_json::array(), countries = ordered_json::object(),
               regions = ordered_json::object(), companies = ordered_json::object(),
               facilities = ordered_json::array();
  if (d) {
    for (const auto& p : d->products)
      products.push_back({{"id", p.id}, {"name", p.name}, {"unit", p.unit}, {"stage", p.stage}});
    for (const auto& c : d->countries) countries[c.code] = {{"name", c.name}, {"region", c.region}};
    for (const auto& r : d->regions) regions[r.id] = r.name;
    for (const auto& c : d->companies) companies[c.id] = {{"name", c.name}, {"country", c.hq_country}};
  }
  // Owners in the run year (stakes.csv rows in force, else the owners column): companies, and
  // their nationalities direct and after look-through, the part no owner holds "unattributed".
  // The look-through list only when the dataset has stakes (else it is the direct one, and the
  // map's switch says the dataset has none).
  auto countries_json = [](const std::vector<analytics::Share>& shares) {
    ordered_json a = ordered_json::array();
    for (const auto& s : shares) a.push_back({{"country", s.key}, {"share", s.share}});
    return a;
  };
  for (const auto& fr : facility_records) {
    const model::Facility* f = d ? d->find_facility(fr.id) : nullptr;
    ordered_json owners = ordered_json::array(), owner_countries, lookthrough;
    double lat = 0.0, lon = 0.0;
    std::string type;
    if (f) {
      lat = f->lat;
      lon = f->lon;
      type = f->type;
      const analytics::FacilityOwners own = analytics::facility_owners(*d, *f);
      for (const auto& o : own.direct_companies) owners.push_back({{"company", o.key}, {"share", o.share}});
      owner_countries = countries_json(own.direct_countries);
      if (!d->stakes.empty()) lookthrough = countries_json(own.ultimate_countries);
    }
    ordered_json rec = {{"id", fr.id},
                        {"name", fr.name},
                        {"stage", fr.stage},
                        {"type", type},
                        {"country", fr.country},
                        {"lat", lat},
                        {"lon", lon},
                        {"product", fr.product},
                        {"unit", fr.unit},
                        {"output", fr.output},
                        {"capacity", fr.capacity},
                        {"utilisation", fr.utilisation},
                        {"reduced_cost_usd_per_unit", fr.reduced_cost_usd},
                        {"cost_usd", fr.cost_usd},
                        {"co2_t", fr.co2_t},
                        {"water_m3", fr.water_m3},
                        {"active", fr.active},
                        {"owners", owners},
                          {"source", fr.source}};
    if (!owner_countries.is_null()) rec["owner_countries"] = std::move(owner_countries);
    if (!lookthrough.is_null()) rec["owner_countries_lookthrough"] = std::move(lookthrough);
    facilities.push_back(std::move(rec));
  }
  j["products"] = products;
  j["countries"] = countries;
  j["regions"] = regions;
  j["companies"] = companies;
  j["facilities"] = facilities;
  ordered_json flows = ordered_json::array();
  for (const auto& f : flow_records)
    flows.push_back({{"family", f.family}, {"element", f.element}, {"from", f.from}, {"to", f.to},
                     {"product", f.product}, {"quantity", f.quantity}, {"unit", f.unit},
                     {"unit_cost_usd", f.unit_cost_usd}, {"cost_usd", f.cost_usd}});
  j["flows"] = flows;
  return j;
}

std::string str_at(const ordered_json& j, std::initializer_list<const char*> path) {
  const ordered_json* at = &j;
  for (const char* k : path) {
    if (!at->is_object() || !at->contains(k)) return "";
    at = &(*at)[k];
  }
  if (at->is_string()) return at->get<std::string>();
  if (at->is_number()) return at->dump();
  return "";
}

// What the page header says about a run known by its summary.json.
ordered_json snapshot_meta(const RunSnapshot& snap, const ordered_json& s) {
  return {{"title", fmt::format("{}", snap.label)},
          {"label", snap.label},
          {"scenario", str_at(s, {"scenario"})},
          {"dataset", str_at(s, {"dataset"})},
          {"dataset_version", str_at(s, {"provenance", "dataset_version"})},
          {"year", str_at(s, {"year"})},
          {"solver", str_at(s, {"solver"})},
          {"status", str_at(s, {"status"})},
          {"cadena_version", str_at(s, {"provenance", "cadena_version"})},
          {"scenario_file", str_at(s, {"provenance", "scenario_file"})},
          {"scenario_sha256", str_at(s, {"provenance", "scenario_sha256"})}};
}

}  // namespace

std::string run_report_json(const RunReport& rep) {
  ordered_json meta = {{"title", fmt::format("cadena run: {} on {}", rep.info.scenario, rep.info.dataset)},
                       {"scenario", rep.info.scenario},
                       {"dataset", rep.info.dataset},
                       {"dataset_version", rep.info.dataset_version},
                       {"year", rep.info.year},
                       {"solver", rep.info.solver},
                       {"status", lp::to_string(rep.result.termination)},
                       {"cadena_version", rep.info.cadena_version},
                       {"scenario_file", rep.info.scenario_file},
                       {"scenario_sha256", rep.info.scenario_sha256},
                       {"generated_at", utc_now()}};
  // Text from the data that is not UTF-8 is replaced, never an exception.
  return run_data(std::move(meta), ordered_json::parse(summary_json(rep)), rep.result.flows, rep.result.facilities,
                  rep.dataset.get())
      .dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

Result<std::string> compare_report_json(const Comparison& c, const RunSnapshot& a, const RunSnapshot& b,
                                        const std::vector<std::string>& notes) {
  ordered_json j;
  j["kind"] = "compare";
  j["meta"] = {{"title", fmt::format("cadena compare: {} vs {}", c.a.label, c.b.label)},
               {"subtitle", fmt::format("A = {} ({} on {}), B = {} ({} on {})", c.a.label, c.a.scenario, c.a.dataset,
                                        c.b.label, c.b.scenario, c.b.dataset)},
               {"generated_at", utc_now()},
               {"cadena_version", version()},
               {"notes", notes}};
  j["comparison"] = ordered_json::parse(compare_json(c));
  const RunSnapshot* sides[2] = {&a, &b};
  const char* names[2] = {"run_a", "run_b"};
  for (int k = 0; k < 2; ++k) {
    const RunSnapshot& s = *sides[k];
    ordered_json summary = ordered_json::parse(s.summary_json, nullptr, false);
    if (summary.is_discarded() || !summary.is_object())
      return make_error(ErrorCategory::Value, "summary.json is not a JSON object", {s.label, 0, "", ""});
    ordered_json meta = snapshot_meta(s, summary);
    j[names[k]] = run_data(std::move(meta), std::move(summary), s.flows, s.facilities, s.dataset.get());
  }
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

Result<std::string> compare_report_html(const Comparison& c, const RunSnapshot& a, const RunSnapshot& b,
                                        const std::vector<std::string>& notes) {
  auto data = compare_report_json(c, a, b, notes);
  if (!data) return data.error();
  return html_page(fmt::format("cadena compare: {} vs {}", c.a.label, c.b.label), *data);
}

Result<std::string> run_report_html(const RunReport& rep) {
  return html_page(fmt::format("cadena: {} ({}, {})", rep.info.scenario, rep.info.dataset, rep.info.year),
                   run_report_json(rep));
}

}  // namespace cadena::report
