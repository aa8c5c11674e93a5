#include "cadena/core/atomic_file.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <system_error>

namespace cadena {

std::string temp_path_for(const std::string& path) { return path + ".tmp"; }

Status publish_temp_file(const std::string& tmp, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    return make_error(ErrorCategory::Io, fmt::format("cannot rename '{}' to '{}': {}", tmp, path, ec.message()),
                      {path, 0, "", ""});
  }
  return ok_status();
}

Status write_file_atomically(const std::string& path, std::string_view text) {
  const std::string tmp = temp_path_for(path);
  {
    std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
    if (!f) return make_error(ErrorCategory::Io, "cannot open for writing", {tmp, 0, "", ""});
    f.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!f.flush()) {
      f.close();
      std::remove(tmp.c_str());
      return make_error(ErrorCategory::Io, "write failed", {tmp, 0, "", ""});
    }
  }
  return publish_temp_file(tmp, path);
}

}  // namespace cadena
