#pragma once
// Reading a whole input file into memory, with the errors every reader reports the same way.
#include <string>
#include <string_view>

#include "cadena/core/error.hpp"

namespace cadena {

// The bytes of `path` as they are (no newline translation). Errors: Missing when the file does
// not exist ("file does not exist", then "; " and `expected` when given, e.g. "expected a CSV
// table here"), Io when it exists but cannot be opened.
Result<std::string> read_text_file(const std::string& path, std::string_view expected = {});

}  // namespace cadena
