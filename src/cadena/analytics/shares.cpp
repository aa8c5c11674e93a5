#include "cadena/analytics/shares.hpp"

#include <algorithm>
#include <map>
#include <set>

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

std::vector<StageSummary> stage_summaries(const model::Dataset& d, const chain::ChainResult& r) {
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
    std::vector<std::pair<std::string, double>> by_country, by_owner;
    for (const auto& fr : r.facilities) {
      if (fr.stage != stage) continue;
      const auto* f = d.find_facility(fr.id);
      if (!f) continue;
      units.insert(fr.unit);
      s.capacity += fr.capacity;
      if (fr.output <= 0) continue;
      s.output += fr.output;
      by_country.emplace_back(fr.country, fr.output);
      double attributed = 0.0;
      for (const auto& o : f->owners) {
        const auto* c = d.find_company(o.company);
        if (!c) continue;  // validate() rejects this; unknown owners count as unattributed
        by_owner.emplace_back(c->hq_country, fr.output * o.share);
        attributed += o.share;
      }
      // Shares may sum to 1 + 1e-6 (the format's tolerance); never a negative remainder.
      double rest = std::max(0.0, 1.0 - attributed);
      if (rest > 1e-9) by_owner.emplace_back(kUnattributed, fr.output * rest);
    }
    s.unit = units.size() == 1 ? *units.begin() : (units.empty() ? "" : "mixed");
    s.by_country = to_shares(by_country);
    s.by_owner_country = to_shares(by_owner);
    s.hhi_country = hhi(s.by_country);
    s.hhi_owner_country = hhi(s.by_owner_country);
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace cadena::analytics
