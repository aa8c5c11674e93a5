#pragma once
// Self-contained HTML reports. A report is one file: its data as JSON (whose "kind" picks the
// view: run, project, pit_shells; compare and year series plug in the same way) plus the shared
// report JS/CSS (src/cadena/report/web/) and the inlined libraries (Apache ECharts,
// topojson-client, world-atlas), all compiled into the library. Viewing needs no network: the
// page's Content-Security-Policy forbids every fetch. docs/report.md describes the views.
#include <string>
#include <string_view>

#include "cadena/core/error.hpp"
#include "cadena/report/compare.hpp"
#include "cadena/report/pathway_report.hpp"
#include "cadena/report/run_report.hpp"

namespace cadena::report {

// False when this cadena was built without node_modules (no libraries to inline).
bool html_reports_available();

// The page for `data_json` (an object with "kind" and "meta"). An Internal error naming the
// fix when the libraries were not built in. `data_json` must be valid JSON (not checked here).
Result<std::string> html_page(std::string_view title, std::string_view data_json);

// The data of a network run's report: summary.json's content plus what the views draw from the
// dataset (stages, products and units as declared, facilities with coordinates and owners,
// countries, companies) and every nonzero flow. kind = "run".
std::string run_report_json(const RunReport& rep);

// run_report_json + html_page.
Result<std::string> run_report_html(const RunReport& rep);

// The data of `cadena compare A B --report`: kind = "compare", "comparison" (exactly
// compare_json(c)), and "run_a"/"run_b", each a run's data as run_report_json builds it from
// what the snapshot holds (summary.json, flows, facility results, its dataset when read). A
// summary.json that is not a JSON object is a Value error naming the side's label.
Result<std::string> compare_report_json(const Comparison& c, const RunSnapshot& a, const RunSnapshot& b,
                                        const std::vector<std::string>& notes = {});
// `notes` (what the report leaves out, e.g. a side whose dataset could not be read) go into
// meta.notes. compare_report_json + html_page.
Result<std::string> compare_report_html(const Comparison& c, const RunSnapshot& a, const RunSnapshot& b,
                                        const std::vector<std::string>& notes = {});

// The data of a pathway run's report (`cadena run --years ... --report`): kind = "pathway",
// "summary" (exactly the pathway's summary.json, with its per-year series), "stages" (chain
// order), and from the dataset when the report has it: products (id, name, unit, stage),
// countries, regions, companies. The year set is the run's (summary.years).
std::string pathway_report_json(const PathwayReport& r);

// What the year-series views draw from a dataset: {"products": [{id, name, unit, stage}],
// "countries": {code: {name, region}}, "regions": {id: name}, "companies": {id: {name, country}}}
// (empty lists for a null dataset).
std::string dataset_declarations_json(const model::Dataset* d);

// pathway_report_json + html_page.
Result<std::string> pathway_report_html(const PathwayReport& r);

}  // namespace cadena::report
