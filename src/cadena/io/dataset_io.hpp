#pragma once
// Reading datasets: a folder with dataset.toml and CSV tables (docs/data-format.md). Every
// record gets its Provenance (file, line, source, estimate, note); the result has passed
// model::validate, so callers can rely on references, units and ranges.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cadena/core/data_dir.hpp"
#include "cadena/core/error.hpp"
#include "cadena/model/dataset.hpp"

namespace cadena::io {

// `dir` is a dataset folder or its dataset.toml.
Result<model::Dataset> load_dataset(const std::filesystem::path& dir);

// Reads one table ("regions", "facilities", ... as in dataset.toml's [files]) from CSV text into
// `d`, whose earlier tables it may refer to; `file` labels errors. No cross-record validation
// (model::validate does that). For tools and the fuzz targets (fuzz/), which read without files.
Status read_table_text(std::string_view table, std::string_view csv, const std::string& file, model::Dataset& d);

// Names of the built-in datasets (sub-folders of cadena::data_dir() with a dataset.toml), sorted.
std::vector<std::string> builtin_names();

// Loads data_dir()/name; Missing error naming the known datasets when there is no such dataset.
Result<model::Dataset> load_builtin(std::string_view name = "lithium-2024");

// A built-in dataset by name (copper-2024), or a dataset folder or dataset.toml by path: a name
// that is an existing folder or file is a path.
Result<model::Dataset> load_named_dataset(const std::string& name_or_path);

// One table of a loaded dataset, for listings: its file name and its row count.
struct TableInfo {
  std::string table;  // countries, regions, ...
  std::string file;   // as named in dataset.toml (or the default)
  size_t rows = 0;
};
std::vector<TableInfo> table_summary(const model::Dataset& d);

}  // namespace cadena::io
