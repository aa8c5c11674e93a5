#pragma once
// Column schemas and record parsers of the dataset tables (docs/data-format.md). Internal to
// io/: dataset_io reads whole tables with them, scenario_io applies overrides with them.
#include <string>
#include <string_view>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/io/csv.hpp"
#include "cadena/io/record.hpp"
#include "cadena/model/dataset.hpp"

namespace cadena::io::detail {

struct ColumnSpec {
  std::string name;
  bool required;  // the column must be in the header (its values may still be optional)
};
using Columns = std::vector<ColumnSpec>;

const Columns& region_columns();
const Columns& country_columns();
const Columns& company_columns();
const Columns& product_columns();
// The reported-output column is named after the dataset year (output_2024), so it is passed in.
Columns facility_columns(int year);
const Columns& route_columns();
const Columns& policy_columns();
const Columns& demand_columns();
const Columns& reference_columns();
const Columns& stake_columns();
// paths, projects, options, resources, placed_on_market (io/pathway_io.cpp).
const Columns& pathway_columns(std::string_view table);

// Unknown column (a typo must not be silently ignored) or missing required column.
Status check_header(const CsvTable& t, const Columns& columns);
// The same for a TOML table's keys (scenario overrides); `what` names the table in messages.
Status check_keys(const Record& r, const Columns& columns, std::string_view what);

Record record_of(const CsvTable& t, const CsvRow& row);

// Each parser fills `out` from the fields present. With `complete` every required value must be
// there (a CSV row, a new record in a scenario); without it only present fields are applied
// (an override of an existing record). `d` supplies products for the unit checks.
Result<model::Region> read_region(const Record& r);
Result<model::Country> read_country(const Record& r);
Result<model::Company> read_company(const Record& r);
// Checks the unit against the dataset's declared units (dataset.toml is read before the tables).
Result<model::Product> read_product(const Record& r, const model::Dataset& d);
Status read_facility(const Record& r, const model::Dataset& d, bool complete, model::Facility& out);
Status read_route(const Record& r, bool complete, model::Route& out);
Status read_policy(const Record& r, bool complete, model::TradePolicy& out);
Status read_demand(const Record& r, const model::Dataset& d, bool complete, model::Demand& out);
Result<model::ReferenceStat> read_reference(const Record& r);
Result<model::Stake> read_stake(const Record& r);
// A policy rule; only `id` is required when !complete (an override of an existing rule).
const Columns& rule_columns();
Status read_rule(const Record& r, bool complete, model::Rule& out);

// One dataset.toml / scenario [settings] key; Missing-category error for an unknown key.
Status apply_setting(const Field& f, const std::string& file, model::Settings& s);
bool is_setting_key(std::string_view key);

// The record's source (required with `complete`), estimate and note, and where it was read.
Status read_provenance(const Record& r, std::string_view element, bool complete, model::Provenance& p);
// A facility's `inputs` column: product:amount, alternatives joined by '|', groups by '+'.
Result<std::vector<model::ProcessInput>> parse_inputs(const Field& f, const Record& r, std::string_view element);

// Value parsers with the record's context in their errors.
Result<double> parse_number(const Field& f, const Record& r, std::string_view element);
Result<int> parse_integer(const Field& f, const Record& r, std::string_view element);
Result<bool> parse_bool(const Field& f, const Record& r, std::string_view element);

}  // namespace cadena::io::detail
