#pragma once
// The runs `cadena compare A B` puts side by side, found from what the user typed: an output
// folder of `cadena run` (its summary.json and flows.csv), a scenario .toml (solved now, nothing
// written), the word `baseline` (the built-in baseline, solved now), or a run id or scenario name
// in a results store (`--db FILE`). The comparison itself is report/compare.hpp.
#include <string>

#include "cadena/core/error.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/report/compare.hpp"

namespace cadena::engine {

// One side of a comparison. `options` (dataset, solver, set) applies to sides solved now; `db` is
// the store for run ids ("" = none). A spec that is none of the above is a Missing error naming it
// (key "A"/"B" is the caller's to add) and what was expected.
Result<report::RunSnapshot> load_snapshot(const std::string& spec, const RunOptions& options, const std::string& db);

}  // namespace cadena::engine
