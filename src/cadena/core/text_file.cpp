#include "cadena/core/text_file.hpp"

#include "cadena/core/memory_limit.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

namespace cadena {

Result<std::string> read_text_file(const std::string& path, std::string_view expected) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    std::string msg = "file does not exist";
    if (!expected.empty()) msg.append("; ").append(expected);
    return make_error(ErrorCategory::Missing, std::move(msg), {path, 0, "", ""});
  }
  // Refuse a file larger than the memory limit before reading it into memory.
  if (const auto size = std::filesystem::file_size(path, ec); !ec)
    CADENA_TRY(check_memory(static_cast<double>(size), "reading the file", {path, 0, "", ""}));
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCategory::Io, "cannot open the file for reading", {path, 0, "", ""});
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace cadena
