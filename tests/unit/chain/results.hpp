#pragma once
// Solving a chain Network in tests and reading its ChainResult back by id, shared by the chain
// test files. A lookup that finds nothing fails the test (flows default to 0: absent = not used).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cadena/chain/network.hpp"
#include "cadena/solvers/solver.hpp"

namespace cadena::testing {

using chain::ChainResult;
using chain::Network;
using chain::PriceRecord;

inline lp::Solution solve(const Network& n, const std::string& solver = "clp") {
  auto s = solvers::make_solver(solver);
  EXPECT_TRUE(s.ok()) << (s.ok() ? "" : s.error().format());
  auto sol = (*s)->solve(n.lp());
  EXPECT_TRUE(sol.ok()) << (sol.ok() ? "" : sol.error().format());
  return *sol;
}

inline double output_of(const ChainResult& r, const std::string& id) {
  for (const auto& f : r.facilities)
    if (f.id == id) return f.output;
  ADD_FAILURE() << "no facility " << id;
  return -1;
}

inline double price(const std::vector<PriceRecord>& v, const std::string& where, const std::string& product) {
  for (const auto& p : v)
    if (p.region_or_country == where && p.product == product) return p.usd_per_unit;
  ADD_FAILURE() << "no price for " << where << "/" << product;
  return -1;
}

inline double flow(const ChainResult& r, const std::string& family, const std::string& element,
                   const std::string& product) {
  for (const auto& f : r.flows)
    if (f.family == family && f.element == element && f.product == product) return f.quantity;
  return 0.0;
}

}  // namespace cadena::testing
