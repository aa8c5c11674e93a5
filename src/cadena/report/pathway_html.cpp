// report.html of a pathway run: its summary.json (per-year series) and the dataset's
// declarations, drawn by web/view_pathway.js (docs/report.md, "Year series").
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cadena/core/clock.hpp"
#include "cadena/core/version.hpp"
#include "cadena/report/html_report.hpp"

namespace cadena::report {

using nlohmann::ordered_json;

namespace {

std::string years_text(const PathwayReport& r) {
  if (r.years.empty()) return "no years";
  if (r.years.size() == 1) return fmt::format("{} (one period)", r.years.front().year);
  return fmt::format("{}-{} ({} periods)", r.years.front().year, r.years.back().year, r.years.size());
}

}  // namespace

std::string dataset_declarations_json(const model::Dataset* d) {
  ordered_json products = ordered_json::array(), countries = ordered_json::object(), regions = ordered_json::object(),
               companies = ordered_json::object();
  if (d) {
    for (const auto& p : d->products)
      products.push_back({{"id", p.id}, {"name", p.name}, {"unit", p.unit}, {"stage", p.stage}});
    for (const auto& c : d->countries) countries[c.code] = {{"name", c.name}, {"region", c.region}};
    for (const auto& g : d->regions) regions[g.id] = g.name;
    for (const auto& c : d->companies) companies[c.id] = {{"name", c.name}, {"country", c.hq_country}};
  }
  ordered_json j = {{"products", products}, {"countries", countries}, {"regions", regions}, {"companies", companies}};
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string pathway_report_json(const PathwayReport& r) {
  ordered_json j;
  j["kind"] = "pathway";
  j["meta"] = {{"title", fmt::format("cadena pathway: {} on {}, {}", r.info.scenario, r.info.dataset, years_text(r))},
               {"scenario", r.info.scenario},
               {"dataset", r.info.dataset},
               {"dataset_version", r.info.dataset_version},
               {"years", years_text(r)},
               {"mode", r.mode},
               {"demand_path", r.demand_path},
               {"discount_rate", r.discount_rate},
               {"solver", r.info.solver},
               {"status", lp::to_string(r.termination)},
               {"cadena_version", version()},
               {"scenario_file", r.info.scenario_file},
               {"generated_at", utc_now()}};
  ordered_json summary = ordered_json::parse(pathway_summary_json(r));
  // Stages in chain order (the series' order, as the analytics report them).
  ordered_json stages = ordered_json::array();
  if (summary["series"]["stages"].is_object())
    for (const auto& [stage, _] : summary["series"]["stages"].items()) stages.push_back(stage);
  j["summary"] = std::move(summary);
  j["stages"] = stages;
  if (const model::Dataset* d = r.dataset.get()) j["meta"]["dataset_description"] = d->description;
  ordered_json decl = ordered_json::parse(dataset_declarations_json(r.dataset.get()));
  for (auto& [k, v] : decl.items()) j[k] = std::move(v);
  // Text from the data that is not UTF-8 is replaced, never an exception.
  return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

Result<std::string> pathway_report_html(const PathwayReport& r) {
  return html_page(fmt::format("cadena pathway: {} ({}, {})", r.info.scenario, r.info.dataset, years_text(r)),
                   pathway_report_json(r));
}

}  // namespace cadena::report
