#pragma once
// Two pathway runs side by side (`cadena compare A B` where A and B are output folders of
// `cadena run --years`): discounted totals, and on the years both have, cost, CO2, water, capex,
// each stage's output, prices per product and region and unmet demand per product, in A, in B and
// B - A (docs/report.md, "Comparing pathways"). Read from the folders' summary.json only.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/model/dataset.hpp"

namespace cadena::report {

struct PathwaySide {
  std::string label;         // what the user named (the folder)
  std::string summary_json;  // its summary.json (a pathway's: years and series)
  std::shared_ptr<const model::Dataset> dataset = {};  // for report.html's names and units (may be null)
};

// Whether a summary.json text is a pathway run's (an object with `years` and `series`).
bool is_pathway_summary(std::string_view summary_json);

// The comparison as JSON (kind "pathway_compare"); a Value error naming the side when its
// summary.json is not a pathway's.
Result<std::string> pathway_compare_json(const PathwaySide& a, const PathwaySide& b);
// The readable table of the same.
Result<std::string> pathway_compare_text(const PathwaySide& a, const PathwaySide& b);
// The HTML report: the comparison's charts, then both pathways' views side by side.
Result<std::string> pathway_compare_report_html(const PathwaySide& a, const PathwaySide& b,
                                                const std::vector<std::string>& notes = {});

}  // namespace cadena::report
