#pragma once
// toml++ helpers shared by the dataset and scenario readers (io-internal: toml++ is a private
// dependency of cadena_io).
#include <toml++/toml.h>

#include <filesystem>
#include <string>

#include "cadena/core/error.hpp"
#include "cadena/io/record.hpp"

namespace cadena::io::detail {

// Parses a TOML file; Syntax error with toml++'s line and description, Missing/Io when unreadable.
Result<toml::table> parse_toml_file(const std::filesystem::path& p);

int line_of(const toml::node& n);

// A scalar TOML value as text (strings as written, numbers in shortest round-trip form,
// booleans as true/false); Type error for arrays, tables and dates.
Result<Field> field_of(std::string_view key, const toml::node& n, const std::string& file);

// All scalar keys of a table as a Record (nested tables are a Type error).
Result<Record> record_of_table(const toml::table& t, const std::string& file);

}  // namespace cadena::io::detail
