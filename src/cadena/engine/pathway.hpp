#pragma once
// The façade for a pathway run (`cadena run --years 2024:2050`, or a scenario with `years`): load
// the dataset, its pathway data and the scenario's overrides, build and solve the chain over the
// years (perfect foresight: one LP; myopic: one per year, carrying what was built and extracted),
// and collect the per-year results (docs/formulation.md, "Pathways"). Nothing here prints or exits.
#include <filesystem>
#include <optional>
#include <string>

#include "cadena/core/error.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/report/pathway_report.hpp"

namespace cadena::engine {

// Command-line choices; each unset one comes from the scenario's `years` / [pathway], then the
// dataset's pathway.toml, then the default (7 %, perfect foresight, LP, gap 1 %, no time limit).
struct PathwayOptions {
  std::string years;  // "2024:2050", "2024:2050:5" or "2024,2030"; empty = the scenario's years
  std::optional<double> discount_rate;
  std::optional<std::string> demand_path;
  std::optional<bool> myopic;
  std::optional<bool> mip;
  std::optional<double> mip_gap;
  std::optional<double> time_limit_s;
};

// Whether `cadena run` should run a pathway: --years given, or the scenario has `years`.
Result<bool> wants_pathway(const std::optional<std::filesystem::path>& scenario_file, const PathwayOptions& p);

Result<report::PathwayReport> run_pathway(const std::optional<std::filesystem::path>& scenario_file,
                                          const RunOptions& run, const PathwayOptions& p);

// The same on a dataset and pathway data given in code (tests, benchmarks).
Result<report::PathwayReport> run_pathway_data(const model::Dataset& dataset, const model::PathwayData& data,
                                               const std::vector<int>& years, const PathwayOptions& p,
                                               const std::string& solver = "clp");

}  // namespace cadena::engine
