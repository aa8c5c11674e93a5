#include "cadena/model/dataset.hpp"

#include <algorithm>

namespace cadena::model {

const char* to_string(Stage s) {
  switch (s) {
    case Stage::Mining: return "mining";
    case Stage::Refining: return "refining";
    case Stage::Cathode: return "cathode";
    case Stage::Cell: return "cells";
    case Stage::Recycling: return "recycling";
  }
  return "?";
}

std::optional<Stage> parse_stage(std::string_view s) {
  if (s == "mining" || s == "mine") return Stage::Mining;
  if (s == "refining" || s == "refinery") return Stage::Refining;
  if (s == "cathode") return Stage::Cathode;
  if (s == "cells" || s == "cell") return Stage::Cell;
  if (s == "recycling" || s == "recycler") return Stage::Recycling;
  return std::nullopt;
}

const char* to_string(FacilityStatus s) {
  switch (s) {
    case FacilityStatus::Operating: return "operating";
    case FacilityStatus::Construction: return "construction";
    case FacilityStatus::Planned: return "planned";
    case FacilityStatus::Suspended: return "suspended";
    case FacilityStatus::Cancelled: return "cancelled";
  }
  return "?";
}

std::optional<FacilityStatus> parse_facility_status(std::string_view s) {
  if (s == "operating") return FacilityStatus::Operating;
  if (s == "construction") return FacilityStatus::Construction;
  if (s == "planned") return FacilityStatus::Planned;
  if (s == "suspended") return FacilityStatus::Suspended;
  if (s == "cancelled") return FacilityStatus::Cancelled;
  return std::nullopt;
}

namespace {
template <class T>
const T* find_by(const std::vector<T>& v, std::string_view id, std::string T::*field) {
  auto it = std::find_if(v.begin(), v.end(), [&](const T& x) { return x.*field == id; });
  return it == v.end() ? nullptr : &*it;
}
}  // namespace

const Country* Dataset::find_country(std::string_view c) const { return find_by(countries, c, &Country::code); }
const Company* Dataset::find_company(std::string_view c) const { return find_by(companies, c, &Company::id); }
const Product* Dataset::find_product(std::string_view c) const { return find_by(products, c, &Product::id); }
const Facility* Dataset::find_facility(std::string_view c) const { return find_by(facilities, c, &Facility::id); }
const Region* Dataset::find_region(std::string_view c) const { return find_by(regions, c, &Region::id); }

}  // namespace cadena::model
