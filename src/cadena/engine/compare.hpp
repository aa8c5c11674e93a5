#pragma once
// The runs `cadena compare A B` puts side by side, found from what the user typed: an output
// folder of `cadena run` (its summary.json and flows.csv), a scenario .toml (solved now, nothing
// written), the word `baseline` (the built-in baseline, solved now), or a run id or scenario name
// in a results store (`--db FILE`). The comparison itself is report/compare.hpp.
#include <optional>
#include <string>

#include "cadena/core/error.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/report/compare.hpp"
#include "cadena/report/pathway_compare.hpp"

namespace cadena::engine {

// One side of a comparison. `options` (dataset, solver, set) applies to sides solved now; `db` is
// the store for run ids ("" = none). A spec that is none of the above is a Missing error naming it
// (key "A"/"B" is the caller's to add) and what was expected.
// A side read from a folder also carries its facilities.csv (when present); a side solved now
// carries its facility results and dataset.
Result<report::RunSnapshot> load_snapshot(const std::string& spec, const RunOptions& options, const std::string& db);

// For the HTML report: gives a snapshot without a dataset (an output folder, a stored run) the
// dataset its summary.json names (built-in name or folder), read now. Its coordinates, owners and
// declarations are the dataset's as it is today, not a scenario's changes to it. When it cannot be
// read the snapshot stays without one and the returned note says why (not an error: the report
// then leaves out the map and the flows by stage for that side).
std::optional<std::string> add_report_dataset(report::RunSnapshot& snap);

// A side that is a pathway run's output folder (summary.json with years and series): its
// summary.json and the dataset it names (read now, as add_report_dataset does; when that fails
// the side has none and `notes` says why). nullopt for anything else (load_snapshot's business).
Result<std::optional<report::PathwaySide>> load_pathway_side(const std::string& spec, std::vector<std::string>& notes);

}  // namespace cadena::engine
