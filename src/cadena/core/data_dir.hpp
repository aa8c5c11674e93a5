#pragma once
// Where the built-in data lives (datasets, fiscal regimes): one rule for every module that reads it.
#include <filesystem>

namespace cadena {

// $CADENA_DATA_DIR when set and not empty, else the repository's data/ folder as configured at
// build time.
std::filesystem::path data_dir();

}  // namespace cadena
