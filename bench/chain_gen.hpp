#pragma once
// Deterministic synthetic supply chains for the chain benchmark: N facilities over M countries
// across mine -> refinery -> cathode -> cell, with the products, trade routes, policies and
// regional demand of the built-in lithium dataset's shape. Same (options) -> same Dataset, bit
// for bit (std::mt19937_64 with a fixed seed and no unordered containers).
//
// Capacities are rescaled stage by stage from the cells upstream so that every stage has about
// 25 % more capacity than the stage below could use: the LP is feasible, has slack everywhere,
// and the optimum has to choose among many suppliers, as the real one does.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "cadena/model/dataset.hpp"

namespace cadena::bench {

struct ChainGenOptions {
  int facilities = 1000;
  int countries = 0;         // 0 = scale with facilities: clamp(facilities / 50, 10, 200)
  int partners = 6;          // outbound "*" trade routes per country besides the domestic one
  int regions = 6;           // demand regions
  std::uint64_t seed = 20240601;
};

inline model::Dataset generate_chain(const ChainGenOptions& opt) {
  std::mt19937_64 rng(opt.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  auto uniform = [&](double lo, double hi) { return lo + (hi - lo) * unit(rng); };

  model::Dataset d;
  d.name = "synthetic-" + std::to_string(opt.facilities);
  d.description = "cadena bench/chain_gen.hpp synthetic chain";
  // The stages and units of lithium-2024's dataset.toml.
  d.contained_unit = "t LCE";
  d.stages = {{"mining", "Mining", true, false, {"brine", "spodumene"}, {}},
              {"refining", "Refining", false, false, {"carbonate", "hydroxide"}, {}},
              {"cathode", "Cathode", false, false, {"lfp", "nmc"}, {}},
              {"cells", "Cells", false, false, {"lfp", "nmc"}, {}}};
  d.units = {{"t LCE", 1.0, std::nullopt, {}}, {"t CAM", std::nullopt, std::nullopt, {}}, {"GWh", std::nullopt, std::nullopt, {}}};
  auto prov = [](int line) {
    model::Provenance p;
    p.file = "synthetic";
    p.line = line;
    p.source = "bench/chain_gen.hpp";
    p.estimate = true;
    return p;
  };

  const int n_regions = std::max(1, opt.regions);
  for (int r = 0; r < n_regions; ++r) {
    const std::string id = std::string("R") + static_cast<char>('A' + r);
    d.regions.push_back({id, "Region " + id, prov(r + 1)});
  }
  const int m = opt.countries > 0 ? std::min(opt.countries, 26 * 26)
                                  : std::clamp(opt.facilities / 50, 10, 200);
  for (int c = 0; c < m; ++c) {
    std::string code{static_cast<char>('A' + c / 26), static_cast<char>('A' + c % 26)};
    d.countries.push_back({code, "Country " + code, d.regions[static_cast<std::size_t>(c % n_regions)].id, prov(c + 1)});
  }

  // The products of lithium-2024 (docs/data-format.md), with their units and stages.
  struct P { const char* id; const char* unit; const char* stage; double contained; };
  const P products[] = {{"brine_conc", "t LCE", "mining", 1.0},   {"spodumene_conc", "t LCE", "mining", 1.0},
                        {"li2co3", "t LCE", "refining", 1.0},     {"lioh", "t LCE", "refining", 1.0},
                        {"cam_lfp", "t CAM", "cathode", 0.2342},  {"cam_nmc", "t CAM", "cathode", 0.380},
                        {"cell_lfp", "GWh", "cells", 468.0},      {"cell_nmc", "GWh", "cells", 532.0}};
  int line = 0;
  for (const auto& p : products) d.products.push_back({p.id, p.id, p.unit, p.stage, prov(++line), p.contained});

  // Facility archetypes: output, stage, type, inputs (alternatives share a group), cost range.
  struct Kind {
    const char* type; const char* stage; const char* output;
    std::vector<model::ProcessInput> inputs;
    double cost_lo, cost_hi, co2, water;
    double weight;  // share of the facility count
  };
  const std::vector<Kind> kinds = {
      {"brine", "mining", "brine_conc", {}, 3000, 7000, 3.0, 200, 0.15},
      {"spodumene", "mining", "spodumene_conc", {}, 4000, 9000, 1.5, 25, 0.15},
      {"carbonate", "refining", "li2co3", {{"brine_conc", 1.05, 0}, {"spodumene_conc", 1.10, 0}}, 800, 3000, 1.0, 11, 0.15},
      {"hydroxide", "refining", "lioh", {{"spodumene_conc", 1.12, 0}, {"li2co3", 1.02, 0}}, 1000, 3500, 1.5, 10, 0.10},
      {"lfp", "cathode", "cam_lfp", {{"li2co3", 0.25, 0}}, 2500, 5000, 3.0, 5, 0.13},
      {"nmc", "cathode", "cam_nmc", {{"lioh", 0.45, 0}}, 4000, 8000, 6.0, 8, 0.12},
      {"lfp", "cells", "cell_lfp", {{"cam_lfp", 2000.0, 0}}, 4.0e7, 7.0e7, 6.0e4, 2.0e4, 0.10},
      {"nmc", "cells", "cell_nmc", {{"cam_nmc", 1400.0, 0}}, 5.0e7, 9.0e7, 7.0e4, 2.0e4, 0.10},
  };
  std::vector<double> weights;
  for (const auto& k : kinds) weights.push_back(k.weight);
  std::discrete_distribution<int> kind_of(weights.begin(), weights.end());

  std::vector<int> kind_index;
  for (int i = 0; i < opt.facilities; ++i) {
    // The first eight facilities cover every kind, so even tiny instances have a whole chain.
    const int k = i < static_cast<int>(kinds.size()) ? i : kind_of(rng);
    const auto& kd = kinds[static_cast<std::size_t>(k)];
    model::Facility f;
    f.id = "f" + std::to_string(i);
    f.name = f.id;
    f.stage = kd.stage;
    f.type = kd.type;
    f.country = d.countries[static_cast<std::size_t>(rng() % static_cast<std::uint64_t>(m))].code;
    f.output = kd.output;
    f.capacity = uniform(0.2, 1.8);  // relative; rescaled below
    f.unit_cost = uniform(kd.cost_lo, kd.cost_hi);
    f.inputs = kd.inputs;
    f.co2_per_unit = kd.co2 * uniform(0.7, 1.3);
    f.water_per_unit = kd.water * uniform(0.7, 1.3);
    f.status = unit(rng) < 0.05 ? model::FacilityStatus::Construction : model::FacilityStatus::Operating;
    f.prov = prov(i + 1);
    d.facilities.push_back(std::move(f));
    kind_index.push_back(k);
  }

  // Cells: 5-40 GWh each. Then, product by product upstream, scale the makers' capacities to
  // 1.25x what the consumers of that product need at full capacity (split evenly over
  // alternatives).
  std::vector<double> need(std::size(products), 0.0);
  auto product_index = [&](const std::string& id) {
    for (std::size_t p = 0; p < std::size(products); ++p)
      if (id == products[p].id) return p;
    return std::size(products);
  };
  for (auto& f : d.facilities)
    if (f.stage == "cells") f.capacity = 5.0 + 35.0 * (f.capacity - 0.2) / 1.6;
  const char* upstream_order[] = {"cam_lfp", "cam_nmc", "lioh", "li2co3", "brine_conc", "spodumene_conc"};
  auto add_needs_of = [&](const model::Facility& f) {
    const double alternatives = static_cast<double>(f.inputs.size());
    for (const auto& in : f.inputs) need[product_index(in.product)] += f.capacity * in.per_unit_output / alternatives;
  };
  for (const auto& f : d.facilities)
    if (f.stage == "cells") add_needs_of(f);
  for (const char* p : upstream_order) {
    double total = 0.0;
    for (const auto& f : d.facilities)
      if (f.output == p) total += f.capacity;
    const double target = 1.25 * need[product_index(p)];
    for (auto& f : d.facilities)
      if (f.output == p) {
        f.capacity *= total > 0.0 ? target / total : 0.0;
        add_needs_of(f);
      }
  }

  // Demand: 80 % of the operating cell capacity of each chemistry, spread over regions.
  for (const char* p : {"cell_lfp", "cell_nmc"}) {
    double cap = 0.0;
    for (const auto& f : d.facilities)
      if (f.output == p && f.status == model::FacilityStatus::Operating) cap += f.capacity;
    std::vector<double> share(static_cast<std::size_t>(n_regions));
    double sum = 0.0;
    for (auto& s : share) sum += (s = uniform(0.5, 1.5));
    for (int r = 0; r < n_regions; ++r)
      d.demands.push_back({d.regions[static_cast<std::size_t>(r)].id, p, 0.8 * cap * share[static_cast<std::size_t>(r)] / sum,
                           prov(++line)});
  }

  // Routes: a domestic "*" route per country and `partners` outbound "*" routes to distinct
  // other countries; cost grows with a random distance; one in ten has a capacity.
  for (int c = 0; c < m; ++c) {
    const auto& from = d.countries[static_cast<std::size_t>(c)].code;
    d.routes.push_back({from, from, "*", uniform(5, 30), std::nullopt, prov(++line)});
    std::vector<int> partners;
    const int k = std::min(opt.partners, m - 1);
    while (static_cast<int>(partners.size()) < k) {
      const int o = static_cast<int>(rng() % static_cast<std::uint64_t>(m));
      if (o != c && std::find(partners.begin(), partners.end(), o) == partners.end()) partners.push_back(o);
    }
    for (int o : partners) {
      std::optional<double> cap;
      if (unit(rng) < 0.1) cap = 1.0e5 * uniform(0.5, 2.0);
      d.routes.push_back({from, d.countries[static_cast<std::size_t>(o)].code, "*", uniform(30, 300), cap, prov(++line)});
    }
  }

  // Policies: a few export duties on refined lithium and import tariffs on cells.
  for (int c = 0; c < m; ++c) {
    const auto& code = d.countries[static_cast<std::size_t>(c)].code;
    if (unit(rng) < 0.1)
      d.policies.push_back({model::PolicyKind::ExportDuty, "li2co3", code, "*", 0.045, 11000.0, prov(++line)});
    if (unit(rng) < 0.1)
      d.policies.push_back({model::PolicyKind::ImportTariff, "cell_lfp", "*", code, 0.10, 7.0e7, prov(++line)});
  }
  return d;
}

}  // namespace cadena::bench
