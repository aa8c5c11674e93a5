#pragma once
// The valid range of every numeric key of the dataset tables, dataset.toml settings and scenario
// files, in one table (ranges.cpp) that the readers consult when they parse a number, so a value
// the solver cannot take safely is refused where it was written: file, line, key and the range.
// docs/data-format.md, "Valid ranges", lists the same table with the reason for each bound.
//
// A new numeric column adds one line to kRanges in ranges.cpp (and one to the docs table).
#include <string>
#include <string_view>

#include "cadena/core/error.hpp"

namespace cadena::io {

struct KeyRange {
  std::string_view key;  // column or setting; "output_<year>" stands for every output_YYYY
  double min, max;
  bool min_open;         // (min, ...] rather than [min, ...]
  std::string_view expected;  // what the value is, for the message ("a capacity in units of output per year")
};

// The range of `key`, or nullptr when it has none (a text column). "output_2024" finds
// "output_<year>"; "demand_scale.<product>" finds "demand_scale".
const KeyRange* key_range(std::string_view key);

// Value error (the caller adds file, line, key and element) when `v` lies outside `r`;
// "<v> is outside [min, max]; expected <expected>".
Status check_range(const KeyRange& r, double v);

// Every range, in table order (for tests and the docs check).
const KeyRange* ranges_begin();
const KeyRange* ranges_end();

}  // namespace cadena::io
