#include "cadena/analytics/bottlenecks.hpp"

#include <algorithm>

namespace cadena::analytics {

std::vector<Bottleneck> bottlenecks(const chain::ChainResult& r, std::size_t limit, double min_value_usd) {
  std::vector<Bottleneck> out;
  for (const auto& f : r.facilities) {
    if (!f.active || f.capacity <= 0 || f.utilisation < 1.0 - 1e-6) continue;
    double value = -f.reduced_cost_usd;
    if (value <= min_value_usd) continue;
    out.push_back(Bottleneck{f.id, f.stage, f.country, f.product, f.unit, f.capacity, value});
  }
  std::sort(out.begin(), out.end(), [](const Bottleneck& a, const Bottleneck& b) {
    return a.value_usd_per_unit != b.value_usd_per_unit ? a.value_usd_per_unit > b.value_usd_per_unit
                                                        : a.facility < b.facility;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

}  // namespace cadena::analytics
