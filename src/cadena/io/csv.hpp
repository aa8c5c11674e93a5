#pragma once
// A small CSV reader for the dataset tables: one record per line, double-quoted fields with ""
// as an escaped quote, `#` comment lines, blank lines skipped, every row tagged with its
// 1-based line number so errors can point at it. Quoted fields may not span lines: a row is
// one line, so an unbalanced quote is reported on the line that has it instead of swallowing
// the rest of the file.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cadena/core/error.hpp"

namespace cadena::io {

struct CsvRow {
  int line = 0;
  std::vector<std::string> fields;  // as many as the header has columns
};

struct CsvTable {
  std::string file;  // as given to the reader; used in error contexts
  int header_line = 0;
  std::vector<std::string> header;
  std::vector<CsvRow> rows;

  // Index of a header column, or -1.
  int column(std::string_view name) const;
};

// Parses CSV text; `file` only labels errors. Errors: Syntax (unbalanced quote, wrong field
// count, text after a closing quote, empty header), Duplicate (a column named twice), Missing
// (no header line).
Result<CsvTable> parse_csv(std::string_view text, std::string file);

// Reads and parses a file; Io error when it cannot be opened, Missing when it does not exist.
Result<CsvTable> read_csv(const std::filesystem::path& path);

// Splits one CSV line into fields (the same rules as parse_csv); exposed for tests.
Result<std::vector<std::string>> split_csv_line(std::string_view line);

}  // namespace cadena::io
