#pragma once
// Pathway data of a dataset (its optional pathway.toml and the tables it names, read by
// io::load_pathway beside the Dataset): what a run over years needs beyond the single year — demand paths,
// the project pipeline and retirements, generic expansion options, resources in tranches and the
// recycling set-up (docs/data-format.md, "Pathway data"; the LP in docs/formulation.md,
// "Pathways"). All of it is optional: a dataset without pathway.toml runs a pathway with demand
// held at the dataset year and no new capacity. Nothing here names a mineral, stage or product.
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/model/dataset.hpp"

namespace cadena::model {

// One row of paths.csv: a point of a series, by demand path, region and year. Between points of
// a series values are interpolated linearly; the dataset year is the anchor (docs/formulation.md,
// "Demand paths"); after the last point the value is held.
//   series "total":     group (e.g. "cells"), region; value in the group's unit (GWh)
//   series "share":     group, product (a product id, or "outside:<name>" for a technology
//                       outside the chain such as sodium-ion), region; value 0..1
//   series "demand":    product, region; absolute demand in the product's unit
//   series "growth":    product (or "*"), region (or "*"); index relative to the dataset year (1 = same)
//   series "intensity": product, region "*"; contained metal per unit (t LCE per GWh); scales the
//                       input amounts of every facility making the product
//   series "collection": region; share of end-of-life material collected, 0..1
struct PathPoint {
  std::string path;     // demand path ("steps", "aps"), or "*" for every path
  std::string series;   // total | share | demand | growth | intensity | collection
  std::string group;    // total, share
  std::string product;  // share, demand, growth, intensity
  std::string region;   // a region id or "*"
  int year = 0;
  double value = 0.0;
  std::string unit;
  Provenance prov;
};

// Pathway attributes of a dataset facility (projects.csv): when a pipeline project can start,
// what it costs, how it ramps up; when an operating plant retires.
struct ProjectData {
  std::string facility;  // Facility::id
  int earliest_year = 0;       // first year it may produce (0 = the first pathway year it can)
  int retirement_year = 0;     // first year it no longer produces (0 = beyond the horizon)
  double capex_usd_per_unit = 0.0;      // USD per unit of annual capacity
  double fixed_om_usd_per_unit = 0.0;   // USD per unit of capacity per year
  int lead_time_years = 0;     // years from a decision to first output
  std::vector<double> ramp_up;  // share of nameplate in the 1st, 2nd, ... year of output; then 1
  bool lumpy = false;          // --mip: built whole or not at all
  std::string deposit;         // resource pool it draws on (resources.csv); empty = its own id
  Provenance prov;
};

// A generic expansion option (options.csv): new capacity of a stage in a country, owned by
// investors of one nationality. One row may list several owner nationalities; each is its own
// option in the LP (`<id>@<CC>`), sharing the row's maximum build per year.
struct ExpansionOption {
  std::string id;
  std::string stage, type, country, output;  // as a facility
  std::vector<std::string> owner_countries;  // ISO codes of the nationalities that may build it
  double capex_usd_per_unit = 0.0;
  double fixed_om_usd_per_unit = 0.0;
  double unit_cost = 0.0;  // USD per unit of output
  std::vector<ProcessInput> inputs;
  double co2_per_unit = 0.0, water_per_unit = 0.0;
  int lead_time_years = 0;
  int earliest_year = 0;   // 0 = first pathway year + lead time
  double max_build_per_year = std::numeric_limits<double>::infinity();  // units of capacity per year, all owners
  double min_size = 0.0;   // --mip: smallest plant (units of capacity) built at once
  std::vector<double> ramp_up;
  int life_years = 25;
  std::string deposit;     // extraction options: resource pool (resources.csv)
  Provenance prov;
};

// A tranche of a deposit's resources (resources.csv): in order of rising cost.
struct ResourceTranche {
  std::string deposit;  // a facility id, or a pool named by options/projects
  int tranche = 0;      // 1, 2, ... in file order
  std::string category; // reserves | measured_indicated | inferred | other (information)
  double quantity = 0.0;  // units of the deposit's output, cumulative over the horizon
  double extra_cost_usd_per_unit = 0.0;  // on top of the extracting facility's unit cost
  std::string unit;
  Provenance prov;
};

// Products placed on the market before the dataset year (placed_on_market.csv), for the cohort
// model of end-of-life material.
struct PlacedOnMarket {
  std::string group;   // a demand group of paths.csv (e.g. "cells")
  std::string region;
  int year = 0;
  double quantity = 0.0;  // in the group's unit
  Provenance prov;
};

// Recycling set-up (pathway.toml [recycling]).
struct RecyclingSetup {
  bool enabled = false;
  std::string group;         // the demand group placed on the market (e.g. "cells")
  std::string feed;          // product id of collected end-of-life material (contained units)
  double lifetime_shape = 0.0;   // Weibull shape k
  double lifetime_scale = 0.0;   // Weibull scale lambda, years
  std::string lifetime_source;
  double default_collection = 0.0;  // when paths.csv gives no collection series
  // Production scrap: facilities of `scrap_stage` shed scrap_share of their output's contained
  // metal as `feed` into their country's market.
  std::string scrap_stage;
  double scrap_share = 0.0;
  std::string scrap_source;
  Provenance prov;                   // the [recycling] table
  std::map<std::string, int> lines;  // key -> its line in pathway.toml (errors name it)
  // The provenance of one key: its own line where known, else the table's.
  Provenance at(const std::string& key) const {
    Provenance p = prov;
    if (auto it = lines.find(key); it != lines.end()) p.line = it->second;
    return p;
  }
};

struct PathwayData {
  bool present = false;     // the dataset has a pathway.toml
  std::string file;         // its path (for errors)
  int last_year = 0;        // the horizon the data covers (lead times must fit in it)
  double discount_rate = 0.07;
  std::string demand_path;  // default path ("" = demand held at the dataset year)
  std::vector<double> default_ramp_up;  // committed projects without a projects.csv row
  std::vector<PathPoint> paths;
  std::vector<ProjectData> projects;
  std::vector<ExpansionOption> options;
  std::vector<ResourceTranche> resources;
  std::vector<PlacedOnMarket> placed_on_market;
  RecyclingSetup recycling;

  const ProjectData* find_project(std::string_view facility) const;
  const ExpansionOption* find_option(std::string_view id) const;
  // Names of the demand paths the data gives (sorted; "*" rows count for every path).
  std::vector<std::string> path_names() const;
};

// Id of the facility an option becomes for one owner nationality: "<option>@<CC>".
std::string option_facility_id(const ExpansionOption& o, std::string_view owner_country);
// Company that owns an option built by investors of a country: "investors_<CC>" (hq_country CC).
std::string investors_company_id(std::string_view country);
// The dataset with every expansion option as a facility per owner nationality (status announced,
// capacity 0: nothing exists until a pathway builds it, so the single year is unchanged) and one
// company per owner nationality that the dataset does not have yet.
Dataset with_options(const Dataset& d, const PathwayData& p);

// A demand path evaluated for every calendar year from the dataset year to `last_year`
// (docs/formulation.md, "Demand paths"). Index i is year first_year + i.
struct PathSeries {
  std::string path;        // the path evaluated; "" = demand held at the dataset year
  int first_year = 0, last_year = 0;
  // The demand rows of the pathway: the dataset's own rows, then (region, product) keys the
  // paths add (quantity 0 in the dataset year, provenance of their first path row).
  std::vector<Demand> rows;
  std::vector<std::vector<double>> demand;  // [year index][row]
  // Products with an intensity series: factor on their recipes per year (1 in the dataset year).
  std::map<std::string, std::vector<double>> intensity_factor;
  // Share of end-of-life material collected per region per year (recycling).
  std::map<std::string, std::vector<double>> collection;
  // Demand of a group met outside the chain ("outside:<name>" shares), per year.
  struct Outside {
    std::string group, name, region, unit;
    std::vector<double> quantity;
  };
  std::vector<Outside> outside;
  // Quantity placed on the market per region, group member product and calendar year from the
  // earliest placed_on_market.csv year (history, split by the dataset year's product mix) to
  // last_year (the paths), for the cohort model. Empty without recycling.
  struct Placed {
    std::string region, product;
    int first_year = 0;
    std::vector<double> quantity;
  };
  std::vector<Placed> placed;

  int index(int year) const { return year - first_year; }
  double factor(const std::string& product, int year) const;
  double collection_rate(const std::string& region, int year, double fallback) const;
};

// Evaluates `path` (one of p.path_names(); "" holds demand at the dataset year) from the dataset
// year to last_year. An unknown path is a Reference error naming the key "demand_path" and the
// known paths.
Result<PathSeries> evaluate_paths(const Dataset& d, const PathwayData& p, const std::string& path, int last_year);

// The years of a pathway from a spec: "2024:2050" (every year), "2024:2050:5" (the first year,
// then every year divisible by 5, and the last: 2024, 2025, 2030, ..., 2050), or a list
// "2024,2025,2030". Years strictly increasing, within 1900..2200. Value error (key "years")
// otherwise; the caller adds file and line.
Result<std::vector<int>> parse_years(std::string_view spec);

// Years each period stands for: from its year to the next period's year (the last: 1).
std::vector<double> period_weights(const std::vector<int>& years);

// Cross-record checks of pathway data against its dataset: references, tranche order, ramp-up
// shares, lead times within the horizon, series years after the dataset year and in order.
// The first error, with its row's file, line and key.
Status validate_pathway(const Dataset& d, const PathwayData& p);

}  // namespace cadena::model
