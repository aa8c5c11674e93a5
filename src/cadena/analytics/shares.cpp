#include "cadena/analytics/shares.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "cadena/model/ownership.hpp"

namespace cadena::analytics {

double hhi(const std::vector<Share>& shares) {
  double h = 0.0;
  for (const auto& s : shares)
    if (s.key != kUnattributed) h += (100.0 * s.share) * (100.0 * s.share);
  return h;
}

std::vector<Share> to_shares(const std::vector<std::pair<std::string, double>>& quantities) {
  std::map<std::string, double> sum;
  double total = 0.0;
  for (const auto& [k, q] : quantities) {
    sum[k] += q;
    total += q;
  }
  std::vector<Share> out;
  for (const auto& [k, q] : sum)
    if (q > 0) out.push_back(Share{k, q, total > 0 ? q / total : 0.0});
  std::stable_sort(out.begin(), out.end(), [](const Share& a, const Share& b) { return a.quantity > b.quantity; });
  return out;
}

namespace {

std::vector<Share> as_shares(const std::vector<model::Ownership>& owners, bool countries, const model::Dataset& d) {
  std::map<std::string, double> m;
  double total = 0.0;
  for (const auto& o : owners) {
    const auto* c = d.find_company(o.company);
    if (!c) continue;  // validate() rejects this; unknown owners count as unattributed
    m[countries ? c->hq_country : o.company] += o.share;
    total += o.share;
  }
  // Shares may sum to 1 + 1e-6 (the format's tolerance); never a negative remainder.
  double rest = std::max(0.0, 1.0 - total);
  if (rest > 1e-9) m[kUnattributed] += rest;
  std::vector<Share> out;
  for (const auto& [k, s] : m) out.push_back(Share{k, s, s});
  std::stable_sort(out.begin(), out.end(), [](const Share& a, const Share& b) { return a.share > b.share; });
  return out;
}

}  // namespace

FacilityOwners facility_owners(const model::Dataset& d, const model::Facility& f) {
  return facility_owners(d, f, d.settings.year);
}

FacilityOwners facility_owners(const model::Dataset& d, const model::Facility& f, int year) {
  auto direct = model::owners_in_force(d, f, year);
  auto ultimate = model::ultimate_owners(d, f, year);
  return {as_shares(direct, false, d), as_shares(ultimate, false, d), as_shares(direct, true, d),
          as_shares(ultimate, true, d)};
}

std::string owners_text(const std::vector<Share>& shares) {
  std::string out;
  for (const auto& s : shares) out += fmt::format("{}{}:{:.6g}", out.empty() ? "" : ";", s.key, s.share);
  return out;
}

std::vector<StageSummary> stage_summaries(const model::Dataset& d, const chain::ChainResult& r) {
  return stage_summaries(d, r, d.settings.year);
}

std::vector<StageSummary> stage_summaries(const model::Dataset& d, const chain::ChainResult& r, int year) {
  std::vector<StageSummary> out;
  for (const auto& def : d.stages) {
    const std::string& stage = def.id;
    if (def.secondary && std::none_of(d.facilities.begin(), d.facilities.end(),
                                      [&](const model::Facility& f) { return f.stage == stage; }))
      continue;
    StageSummary s;
    s.stage = stage;
    std::set<std::string> units;
    for (const auto& p : d.products)
      if (p.stage == stage) units.insert(p.unit);
    std::vector<std::pair<std::string, double>> by_country, by_owner, by_ultimate, by_company;
    std::map<std::string, std::vector<std::pair<std::string, double>>> by_location;
    for (const auto& fr : r.facilities) {
      if (fr.stage != stage) continue;
      const auto* f = d.find_facility(fr.id);
      if (!f) continue;
      units.insert(fr.unit);
      s.capacity += fr.capacity;
      if (fr.output <= 0) continue;
      s.output += fr.output;
      by_country.emplace_back(fr.country, fr.output);
      const FacilityOwners own = facility_owners(d, *f, year);
      for (const auto& o : own.direct_countries) by_owner.emplace_back(o.key, fr.output * o.share);
      for (const auto& o : own.direct_companies) by_company.emplace_back(o.key, fr.output * o.share);
      for (const auto& o : own.ultimate_countries) {
        by_ultimate.emplace_back(o.key, fr.output * o.share);
        by_location[fr.country].emplace_back(o.key, fr.output * o.share);
      }
    }
    s.unit = units.size() == 1 ? *units.begin() : (units.empty() ? "" : "mixed");
    s.by_country = to_shares(by_country);
    s.by_owner_country = to_shares(by_owner);
    s.hhi_country = hhi(s.by_country);
    s.hhi_owner_country = hhi(s.by_owner_country);
    s.by_ultimate_owner_country = to_shares(by_ultimate);
    s.by_owner_company = to_shares(by_company);
    s.hhi_ultimate_owner_country = hhi(s.by_ultimate_owner_country);
    for (const auto& loc : s.by_country) s.by_location_owner_country.emplace_back(loc.key, to_shares(by_location[loc.key]));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace cadena::analytics
