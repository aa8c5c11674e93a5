#pragma once
// Which capacities limit the chain: facilities running at full capacity whose extra unit would
// lower the total cost, ranked by that saving (minus the reduced cost of prod:<facility>). With
// unmet demand these are the plants that say *where* the chain is short, not only which demand.
#include <string>
#include <vector>

#include "cadena/chain/network.hpp"

namespace cadena::analytics {

struct Bottleneck {
  std::string facility;
  std::string stage;  // model::StageDef::id
  std::string country, product, unit;
  double capacity = 0.0;
  double value_usd_per_unit = 0.0;  // saving per unit of extra capacity (> 0)
};

// At most `limit` facilities with utilisation >= 1 - 1e-6 and a saving above `min_value_usd`,
// largest saving first (ties by id).
std::vector<Bottleneck> bottlenecks(const chain::ChainResult& result, std::size_t limit = 10,
                                    double min_value_usd = 1e-6);

}  // namespace cadena::analytics
