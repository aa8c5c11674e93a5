#pragma once
// Value added per country at the LP's dual prices: what a country's plants sell, valued at the
// market price of their output where they make it, minus what they buy of the chain's own products
// (valued at the market price where they use them). Costs outside the chain (labour, energy,
// reagents, capital) are part of the value a country adds, so they are not subtracted. At the
// optimum a plant below capacity earns exactly its unit cost plus haulage per unit (zero rent) and
// a full plant earns that plus the scarcity rent of its capacity, so value added = operating cost +
// haulage + rent. docs/formulation.md, "Value added (analytics::value_added)".
#include <string>
#include <vector>

#include "cadena/chain/network.hpp"

namespace cadena::analytics {

struct CountryValue {
  std::string country;
  double revenue_usd = 0.0;      // output x market price of the output in the plant's country
  double input_cost_usd = 0.0;   // chain inputs x market price in the plant's country
  double value_added_usd = 0.0;  // revenue - input cost
};

// One entry per country with production, largest value added first (ties by code).
std::vector<CountryValue> value_added(const chain::ChainResult& result);

}  // namespace cadena::analytics
