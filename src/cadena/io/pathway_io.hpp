#pragma once
// Reading pathway data: a dataset folder's optional pathway.toml and the tables it names
// (docs/data-format.md, "Pathway data"), and a scenario's pathway overrides ([pathway], [[path]],
// [[option]], [[project]], [[resource]]). Errors name file, line and key like every reader.
#include <filesystem>
#include <string>

#include "cadena/core/error.hpp"
#include "cadena/io/scenario_io.hpp"
#include "cadena/model/dataset.hpp"
#include "cadena/model/pathway.hpp"

namespace cadena::io {

// The folder of a dataset given by name (a built-in dataset) or path (a folder or its dataset.toml).
Result<std::filesystem::path> dataset_dir(const std::string& name_or_path);

// Reads <dir>/pathway.toml and its tables; without pathway.toml the result has present = false.
// With `validate`, checks it against `d` (model::validate_pathway).
Result<model::PathwayData> load_pathway(const std::filesystem::path& dir, const model::Dataset& d, bool validate = true);

// Applies a scenario's [[path]] rows (replace the point of the same path, series, group, product,
// region and year, or add it), [[option]] and [[project]] rows (override the columns given of the
// option / facility row with that id, or add a complete one) and [[resource]] rows (replace the
// tranche of that deposit, or add one), then the [pathway] keys discount_rate and demand_path.
// Checks the result against `d`.
Result<model::PathwayData> apply_scenario_pathway(const Scenario& s, const model::Dataset& d, model::PathwayData p);

// Internal readers, shared with the fuzz targets: one table of CSV text into `p`.
Status read_pathway_table_text(std::string_view table, std::string_view csv, const std::string& file,
                               const model::Dataset& d, model::PathwayData& p);

}  // namespace cadena::io
