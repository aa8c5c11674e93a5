#pragma once
// Who owns what, when: the equity stakes of stakes.csv (a company in a company, or a dated stake in
// a facility) on top of the facilities' undated `owners` column, and the look-through from a
// facility's direct owners to its ultimate owners. A stake is in force in a year when it started
// on or before 31 December of that year and had not ended by then (`until` is the day it ended),
// so the run year picks the owners at the end of the year: Centenario's 49.9 % held by Tsingshan
// until 24 October 2024 is Eramet's in a 2024 run and Tsingshan's in a 2023 run.
//
// Look-through is economic: a company's share of a facility passes to its shareholders in
// proportion to their stakes in force; the part no listed shareholder holds stays with the
// company. Tianqi's 22.16 % of SQM thus attributes 22.16 % of SQM's share of every asset to
// Tianqi (China) and 77.84 % to SQM (Chile).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cadena/model/dataset.hpp"

namespace cadena::model {

// yyyymmdd of a date written YYYY, YYYY-MM or YYYY-MM-DD; a partial date means its first day.
std::optional<int> date_key(std::string_view date);

// Whether a stake is in force at the end of `year`.
bool in_force(std::string_view from, std::string_view until, int year);

// The facility's direct owners in `year`: its stakes.csv rows in force, else its owners column.
std::vector<Ownership> owners_in_force(const Dataset& d, const Facility& f, int year);

// The shareholders of a company in `year` (stakes.csv rows in force).
std::vector<Ownership> holders_in_force(const Dataset& d, std::string_view company, int year);

// The facility's owners after look-through in `year`: companies with their effective share,
// largest first (ties by id). Shares sum to the sum of the direct owners' shares.
std::vector<Ownership> ultimate_owners(const Dataset& d, const Facility& f, int year);

// The effective share `holder` has in `company` after look-through (1 for itself).
double look_through_share(const Dataset& d, std::string_view holder, std::string_view company, int year);

namespace detail {
// The stakes.csv checks of validate() (see ownership.cpp); the first error with its row.
Status validate_stakes(const Dataset& d);
}  // namespace detail

}  // namespace cadena::model
