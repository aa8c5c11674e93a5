#include "cadena/model/dataset.hpp"

#include <algorithm>

namespace cadena::model {

const char* to_string(FacilityStatus s) {
  switch (s) {
    case FacilityStatus::Operating: return "operating";
    case FacilityStatus::Construction: return "construction";
    case FacilityStatus::Planned: return "planned";
    case FacilityStatus::Announced: return "announced";
    case FacilityStatus::Suspended: return "suspended";
    case FacilityStatus::Cancelled: return "cancelled";
  }
  return "?";
}

std::optional<FacilityStatus> parse_facility_status(std::string_view s) {
  if (s == "operating") return FacilityStatus::Operating;
  if (s == "construction") return FacilityStatus::Construction;
  if (s == "planned") return FacilityStatus::Planned;
  if (s == "announced") return FacilityStatus::Announced;
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
const StageDef* Dataset::find_stage(std::string_view c) const { return find_by(stages, c, &StageDef::id); }
const UnitDef* Dataset::find_unit(std::string_view c) const { return find_by(units, c, &UnitDef::id); }

int Dataset::stage_index(std::string_view id) const {
  for (std::size_t i = 0; i < stages.size(); ++i)
    if (stages[i].id == id) return static_cast<int>(i);
  return -1;
}

std::optional<double> Dataset::contained_per_unit(std::string_view unit) const {
  const UnitDef* u = find_unit(unit);
  return u ? u->contained : std::nullopt;
}

std::optional<double> Dataset::contained_per_unit(const Product& p) const {
  if (p.contained_per_unit) return p.contained_per_unit;
  return contained_per_unit(p.unit);
}

}  // namespace cadena::model
