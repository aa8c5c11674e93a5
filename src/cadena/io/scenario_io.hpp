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
  std::filesystem::path dataset_file;  // the file of that key: this one or a base
  // The scenarios this one stacks on (`base = "other.toml"`), the deepest first; empty when
  // none. Their overrides come first in every list below, so this file's win.
  std::vector<std::filesystem::path> bases;
  // KEY=VALUE overrides from the command line (`cadena run --set`), in the order given; their
  // records carry the file name "--set".
  std::vector<std::string> assignments;
  std::vector<Field> settings;       // dataset.toml setting keys
  std::vector<Record> facilities;    // [[facility]]: override by id, or a new facility
  std::vector<Record> policies;      // [[policy]]: replace by kind/product/from/to, or add
  std::vector<Record> demands;       // [[demand]]: replace by region/product, or add
  std::vector<Record> routes;        // [[route]]: replace by from/to/product, or add
  std::vector<DemandScale> demand_scale;  // applied after [[demand]]
  std::vector<Record> rules;         // [[rule]]: override by id, or add (policy rules)
  // Pathways (io/pathway_io.hpp applies them): `years` ("2024:2050:5" or a list, as text
  // "2024,2030"; empty = not given), [pathway] keys, [[path]], [[option]], [[project]], [[resource]].
  Field years;
  std::vector<Field> pathway;
  std::vector<Record> paths, pathway_options, projects, resources;
};

// Reads and checks the shape of a scenario (known keys, types); references are checked when
// it is applied to a dataset. A `base = "other.toml"` key (relative to the file's folder) stacks
// the scenario on another one, recursively: the base's overrides are applied first, then this
// file's; name and description are this file's, `dataset`/`builtin` this file's when given, else
// the base's. A base that does not exist or a cycle is an error at the `base` key's file and line.
Result<Scenario> load_scenario(const std::filesystem::path& file);
// The same from the file's text (`file` labels errors and anchors a relative `dataset`).
Result<Scenario> parse_scenario(const std::string& text, const std::filesystem::path& file);

// A scenario with no file: the built-in dataset unchanged, named "baseline" (what `cadena run`
// runs without a scenario), ready for apply_assignment.
Scenario baseline_scenario();

// Adds one command-line override `KEY=VALUE` (`cadena run --set`) after everything the scenario
// file says. KEY is a scenario key written as a path:
//   name | description | dataset | builtin            the scenario's own keys
//   settings.<key> or <key>                           a dataset.toml setting (carbon_price_usd_per_t)
//   facility.<id>.<column>                            a facilities.csv column of facility <id>
//   route.<from>.<to>.<product>.<column>              a routes.csv column
//   policy.<kind>.<product>.<from>.<to>.<column>      a policies.csv column
//   demand.<region>.<product>.<column>                a demand.csv column
//   demand_scale.<product>                            a demand factor ("*" for every product)
//   rule.<id>.<column>                                a [[rule]] column (a policy rule)
// VALUE is the text as it would be written in the file (surrounding quotes are dropped). A KEY
// that names no scenario key, or a column the table does not have, is a Syntax error naming the
// KEY; a bad value is reported when the scenario is applied, with file "--set" and the column.
// Successive assignments to the same record join into one, so a new record (a policy that did not
// exist) can be given column by column. `origin` names the flag in errors ("--set", "--sweep").
Status apply_assignment(Scenario& s, std::string_view assignment, std::string_view origin = "--set");

// Applies the overrides (settings, facilities, routes, policies, demands, demand scale; each kind
// in file order)
// and re-validates. Overridden records point their provenance at the scenario row.
Result<model::Dataset> apply_scenario(const Scenario& s, model::Dataset base);

// The scenario's base dataset (its folder or the built-in one), not yet applied; a base that is
// not there is an error at the scenario's `dataset`/`builtin` key.
Result<model::Dataset> load_scenario_base(const Scenario& s);

// Loads the scenario's base dataset (its folder or the built-in one) and applies it.
Result<model::Dataset> load_scenario_dataset(const Scenario& s);

// True when a TOML file is a scenario rather than a dataset manifest: it has no [files] table
// and is not named dataset.toml. Syntax errors are returned.
Result<bool> is_scenario_file(const std::filesystem::path& file);

}  // namespace cadena::io
