#pragma once
// A record as text: named fields, each with the line it was read from. CSV rows and TOML
// tables (dataset settings, scenario overrides) both become Records, so one set of column
// parsers reads a facility from facilities.csv and a facility override from a scenario alike,
// with the same checks and messages.
#include <string>
#include <string_view>
#include <vector>

namespace cadena::io {

struct Field {
  std::string key;   // column or TOML key
  std::string text;  // the value as written (numbers are parsed later, with their context)
  int line = 0;
};

struct Record {
  std::string file;
  int line = 0;  // the row, or the start of the TOML table
  std::vector<Field> fields;

  const Field* find(std::string_view key) const {
    for (const Field& f : fields)
      if (f.key == key) return &f;
    return nullptr;
  }
};

}  // namespace cadena::io
