#pragma once
// Independent answers for the closure tests: the Boost Graph push-relabel max flow on the
// classical closure network (Picard 1976), and brute force over all subsets for tiny models.
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>

#include <cstdint>
#include <vector>

#include "cadena/pit/precedence.hpp"

namespace cadena::pit::testing {

// Maximum closure value = sum of positive values - minimum cut.
inline std::int64_t oracle_max_closure(const std::vector<std::int64_t>& values, const ExplicitPrecedence& prec) {
  using Traits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
  using Graph = boost::adjacency_list<
      boost::vecS, boost::vecS, boost::directedS, boost::no_property,
      boost::property<boost::edge_capacity_t, std::int64_t,
                      boost::property<boost::edge_residual_capacity_t, std::int64_t,
                                      boost::property<boost::edge_reverse_t, Traits::edge_descriptor>>>>;
  const std::size_t n = values.size();
  Graph g(n + 2);
  const auto s = n, t = n + 1;
  auto cap = boost::get(boost::edge_capacity, g);
  auto rev = boost::get(boost::edge_reverse, g);
  auto add = [&](std::size_t u, std::size_t v, std::int64_t c) {
    auto e = boost::add_edge(u, v, g).first;
    auto r = boost::add_edge(v, u, g).first;
    cap[e] = c;
    cap[r] = 0;
    rev[e] = r;
    rev[r] = e;
  };
  std::int64_t positive = 0, infinite = 1;
  for (auto v : values) {
    if (v > 0) positive += v;
    infinite += v > 0 ? v : -v;
  }
  for (std::size_t b = 0; b < n; ++b) {
    if (values[b] > 0) add(s, b, values[b]);
    if (values[b] < 0) add(b, t, -values[b]);
    for (BlockId p : prec.requirements(static_cast<BlockId>(b))) add(b, p, infinite);
  }
  const std::int64_t flow = boost::push_relabel_max_flow(g, s, t);
  return positive - flow;
}

// The best value, and in `smallest` the intersection of all optimal closures (itself optimal).
inline std::int64_t brute_force_max_closure(const std::vector<std::int64_t>& values, const ExplicitPrecedence& prec,
                                            std::uint32_t* smallest = nullptr) {
  const std::size_t n = values.size();
  std::int64_t best = 0;
  std::uint32_t inter = 0;
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    bool closed = true;
    std::int64_t v = 0;
    for (std::size_t b = 0; b < n && closed; ++b) {
      if (!(mask >> b & 1)) continue;
      v += values[b];
      for (BlockId p : prec.requirements(static_cast<BlockId>(b)))
        if (!(mask >> p & 1)) closed = false;
    }
    if (!closed) continue;
    if (v > best) {
      best = v;
      inter = mask;
    } else if (v == best) {
      inter &= mask;
    }
  }
  if (smallest) *smallest = inter;
  return best;
}

}  // namespace cadena::pit::testing
