#include "cadena/core/data_dir.hpp"

#include <cstdlib>
#include <system_error>

namespace cadena {

namespace {

// PREFIX/share/cadena/data for an executable in PREFIX/bin (Linux: /proc/self/exe).
std::filesystem::path installed_data_dir() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
#ifdef CADENA_INSTALL_DATA_REL
  return exe.parent_path().parent_path() / CADENA_INSTALL_DATA_REL;
#else
  return exe.parent_path().parent_path() / "share" / "cadena" / "data";
#endif
}

}  // namespace

DataDirLookup locate_data_dir() {
  if (const char* env = std::getenv("CADENA_DATA_DIR"); env && *env) return {std::filesystem::path(env), "CADENA_DATA_DIR"};
  std::error_code ec;
  if (auto installed = installed_data_dir(); !installed.empty() && std::filesystem::is_directory(installed, ec))
    return {installed.lexically_normal(), "installed"};
#ifdef CADENA_DATA_DIR
  return {std::filesystem::path(CADENA_DATA_DIR), "source tree"};
#else
  return {std::filesystem::path("data"), "source tree"};
#endif
}

std::filesystem::path data_dir() { return locate_data_dir().path; }

}  // namespace cadena
