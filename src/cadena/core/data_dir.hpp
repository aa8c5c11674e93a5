#pragma once
// Where the built-in data lives (datasets, fiscal regimes): one rule for every module that reads it.
#include <filesystem>
#include <string>

namespace cadena {

struct DataDirLookup {
  std::filesystem::path path;
  // How it was found: "CADENA_DATA_DIR", "installed" (PREFIX/share/cadena/data beside the
  // running executable's PREFIX/bin) or "source tree" (the repository's data/ as configured).
  std::string origin;
};

// In this order: $CADENA_DATA_DIR when set and not empty; else the installed share folder of
// the running executable (<exe>/../share/cadena/data) when it exists; else the source tree's
// data/ folder configured at build time. The path may not exist (the caller says so).
DataDirLookup locate_data_dir();

// locate_data_dir().path
std::filesystem::path data_dir();

}  // namespace cadena
