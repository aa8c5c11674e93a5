#pragma once
// What a solved network says about concentration and control: per stage output, shares by
// location country and by owner nationality (equity-weighted through each owner company's
// hq_country), Herfindahl-Hirschman indices, and the totals users quote (cost, CO2, water).
#include <string>
#include <vector>

#include "cadena/chain/network.hpp"
#include "cadena/model/dataset.hpp"

namespace cadena::analytics {

// Owner key for the equity share no listed owner holds (free float, undisclosed holders).
inline constexpr const char* kUnattributed = "unattributed";

struct Share {
  std::string key;        // ISO alpha-2, or kUnattributed
  double quantity = 0.0;  // in the stage's unit
  double share = 0.0;     // fraction of the stage output, 0..1
};

struct StageSummary {
  std::string stage;  // model::StageDef::id
  std::string unit;  // the unit of the stage's products; "mixed" if they differ
  double output = 0.0;
  double capacity = 0.0;  // active capacity
  std::vector<Share> by_country;        // largest first
  std::vector<Share> by_owner_country;  // direct owners' nationality, largest first; includes kUnattributed
  // After look-through to the ultimate owners (model/ownership.hpp), largest first.
  std::vector<Share> by_ultimate_owner_country;
  std::vector<Share> by_owner_company;  // direct owner companies (ids), largest first
  // Location x ultimate owner country: for each location country (largest output first), the
  // shares of its output by ultimate owner nationality ("how much of AR's output is Chinese").
  std::vector<std::pair<std::string, std::vector<Share>>> by_location_owner_country;
  double hhi_country = 0.0;  // 0..10,000
  // Over attributed owner countries only: the unattributed remainder is many small holders,
  // not one, so it adds (close to) nothing; the value is therefore a lower bound.
  double hhi_owner_country = 0.0;
  double hhi_ultimate_owner_country = 0.0;  // the same lower bound, after look-through
};

// Sum of squared percentage shares (0..10,000), skipping kUnattributed.
double hhi(const std::vector<Share>& shares);

// Shares of each key in `quantities` (key -> quantity), sorted largest first (ties by key).
std::vector<Share> to_shares(const std::vector<std::pair<std::string, double>>& quantities);

// One summary per stage the dataset declares, in chain order, with zero output when nothing is
// produced; a secondary-supply stage (recycling) only when the dataset has facilities in it.
// Owners are those in force in `year` (a pathway passes each period's year; model/ownership.hpp).
std::vector<StageSummary> stage_summaries(const model::Dataset& dataset, const chain::ChainResult& result, int year);
// The same in the run year (settings.year).
std::vector<StageSummary> stage_summaries(const model::Dataset& dataset, const chain::ChainResult& result);

// A facility's owners in the run year (settings.year): direct and after look-through, as
// company:share pairs and as country:share pairs (companies' hq countries merged; the part no
// owner holds is kUnattributed). Shares are fractions of the facility.
struct FacilityOwners {
  std::vector<Share> direct_companies, ultimate_companies;
  std::vector<Share> direct_countries, ultimate_countries;
};
FacilityOwners facility_owners(const model::Dataset& dataset, const model::Facility& facility);
// The same in `year`.
FacilityOwners facility_owners(const model::Dataset& dataset, const model::Facility& facility, int year);

// "company:0.5;other:0.25" (shares with up to 6 significant digits), empty for none.
std::string owners_text(const std::vector<Share>& shares);

}  // namespace cadena::analytics
