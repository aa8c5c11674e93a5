#pragma once
// Scenarios: a TOML file that names a base dataset and overrides parts of it
// (docs/data-format.md, "Scenario files"). Reading keeps every override as text with its line,
// so applying it reports errors at the scenario's own file, line and key.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/io/record.hpp"
#include "cadena/model/dataset.hpp"

namespace cadena::io {

struct DemandScale {
  std::string product;  // a product id or "*" for every product
  double factor = 1.0;
  int line = 0;
};

struct Scenario {
  std::string name;
  std::string description;
  std::filesystem::path file;  // the scenario file itself (for error messages)
  // The base dataset: a folder (resolved against the scenario's folder) or, when empty, the
  // built-in dataset named `builtin`.
  std::filesystem::path dataset;
  std::string builtin = "lithium-2024";
  int dataset_line = 0;              // where `dataset` or `builtin` was given (0 = default)
  std::vector<Field> settings;       // dataset.toml setting keys
  std::vector<Record> facilities;    // [[facility]]: override by id, or a new facility
  std::vector<Record> policies;      // [[policy]]: replace by kind/product/from/to, or add
  std::vector<Record> demands;       // [[demand]]: replace by region/product, or add
  std::vector<Record> routes;        // [[route]]: replace by from/to/product, or add
  std::vector<DemandScale> demand_scale;  // applied after [[demand]]
};

// Reads and checks the shape of a scenario (known keys, types); references are checked when
// it is applied to a dataset.
Result<Scenario> load_scenario(const std::filesystem::path& file);

// Applies the overrides (settings, facilities, routes, policies, demands, demand scale; each kind
// in file order)
// and re-validates. Overridden records point their provenance at the scenario row.
Result<model::Dataset> apply_scenario(const Scenario& s, model::Dataset base);

// Loads the scenario's base dataset (its folder or the built-in one) and applies it.
Result<model::Dataset> load_scenario_dataset(const Scenario& s);

// True when a TOML file is a scenario rather than a dataset manifest: it has no [files] table
// and is not named dataset.toml. Syntax errors are returned.
Result<bool> is_scenario_file(const std::filesystem::path& file);

}  // namespace cadena::io
