#pragma once
// What changed between two runs' summary.json: every number (objective, cost split, each
// stage's output, shares and HHI, prices, emissions, water, unmet demand...) by its JSON path,
// so the comparison follows whatever stages and products the runs' dataset declares. Used by
// `cadena runs diff`.
#include <string>
#include <vector>

#include "cadena/core/error.hpp"

namespace cadena::report {

struct SummaryChange {
  std::string path;  // e.g. "stages.mining.by_country.AR.share"
  double a = 0.0, b = 0.0;
  bool in_a = true, in_b = true;  // false: the key exists in one run only (read as 0)
};

// Numbers that differ by more than `rel_tol` (relative to the larger magnitude) or exist in one
// summary only, in the order of `a` then the keys only `b` has. Timings, LP sizes and the
// provenance block are left out: they describe the run, not its answer. Bad JSON is a Value error.
Result<std::vector<SummaryChange>> diff_summaries(const std::string& summary_a, const std::string& summary_b,
                                                  double rel_tol = 1e-9);

}  // namespace cadena::report
