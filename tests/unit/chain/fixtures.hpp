#pragma once
// Tiny datasets built in code for the chain and engine tests; each test states its hand-solved
// optimum next to its assertions.
#include <string>
#include <vector>

#include "cadena/model/dataset.hpp"

namespace cadena::testing {

// The stages and units of a lithium-like chain, declared as a dataset.toml would: mining
// (extraction), refining, cathode, cells, recycling (secondary); t LCE contained, t Li, t CAM, GWh.
inline void declare_lithium_like(model::Dataset& d) {
  d.contained_unit = "t LCE";
  d.stages = {{"mining", "Mining", true, false, {"brine", "spodumene", "lepidolite", "clay"}, {}},
              {"refining", "Refining", false, false, {"carbonate", "hydroxide"}, {}},
              {"cathode", "Cathode", false, false, {"lfp", "nmc"}, {}},
              {"cells", "Cells", false, false, {"lfp", "nmc"}, {}},
              {"recycling", "Recycling", false, true, {"recycler"}, {}}};
  d.units = {{"t LCE", 1.0, std::nullopt, {}},
             {"t Li", 5.323, std::nullopt, {}},
             {"t CAM", std::nullopt, std::nullopt, {}},
             {"GWh", std::nullopt, std::nullopt, {}}};
}

inline model::Facility facility(std::string id, std::string stage, std::string country, std::string output,
                                double capacity, double unit_cost,
                                std::vector<model::ProcessInput> inputs = {}) {
  model::Facility f;
  f.id = id;
  f.name = id;
  f.stage = stage;
  // A type valid for the stage, so the datasets pass model::validate.
  f.type = stage == "mining" ? "spodumene" : stage == "refining" ? "carbonate" : stage == "recycling" ? "recycler" : "lfp";
  f.country = std::move(country);
  f.output = std::move(output);
  f.capacity = capacity;
  f.unit_cost = unit_cost;
  f.inputs = std::move(inputs);
  f.prov.source = "test";
  return f;
}

inline model::Route route(std::string from, std::string to, std::string product, double cost) {
  model::Route r;
  r.from = std::move(from);
  r.to = std::move(to);
  r.product = std::move(product);
  r.cost_per_unit = cost;
  return r;
}

// Countries AU, AR, CL (region ROW) and CN (region CN); products ore (mining), chem
// (refining), cam (cathode, t CAM), cell (cells, GWh). No facilities, routes or demand.
inline model::Dataset base_dataset() {
  model::Dataset d;
  d.name = "tiny";
  declare_lithium_like(d);
  d.regions = {{"CN", "China", {}}, {"ROW", "Rest of world", {}}};
  d.countries = {{"AU", "Australia", "ROW", {}},
                 {"AR", "Argentina", "ROW", {}},
                 {"CL", "Chile", "ROW", {}},
                 {"CN", "China", "CN", {}}};
  d.products = {{"ore", "ore", "t LCE", "mining", {}},
                {"chem", "chem", "t LCE", "refining", {}},
                {"cam", "cam", "t CAM", "cathode", {}, 0.2342},
                {"cell", "cell", "GWh", "cells", {}, 515.0}};
  d.companies = {{"co_cn", "CN Co", "CN", {}}, {"co_au", "AU Co", "AU", {}}, {"co_cl", "CL Co", "CL", {}}};
  return d;
}

// Network A: two mines (AU 100 @ 500, CN 50 @ 800), a CN refinery (1.1 ore per chem, 200 @ 1000),
// route AU->CN ore @ 100, CN demand for chem `demand`.
inline model::Dataset network_a(double demand) {
  auto d = base_dataset();
  d.facilities = {facility("mine_au", "mining", "AU", "ore", 100, 500),
                  facility("mine_cn", "mining", "CN", "ore", 50, 800),
                  facility("ref_cn", "refining", "CN", "chem", 200, 1000, {{"ore", 1.1, 0}})};
  d.routes = {route("AU", "CN", "ore", 100)};
  d.demands = {{"CN", "chem", demand, {}}};
  return d;
}

}  // namespace cadena::testing
