#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <tuple>

#include "cadena/pit/model.hpp"
#include "cadena/pit/pseudoflow.hpp"
#include "oracle.hpp"

namespace cadena::pit {
namespace {

using testing::brute_force_max_closure;
using testing::oracle_max_closure;

ExplicitPrecedence prec_of(std::size_t n, std::vector<std::pair<BlockId, BlockId>> arcs) {
  return ExplicitPrecedence::from_arcs(n, arcs);
}

TEST(Pseudoflow, HandSolvedTwoBenchCone) {
  // Ore block 2 under two waste blocks 0 and 1 (each -1): worth mining iff ore > 2.
  auto prec = prec_of(3, {{2, 0}, {2, 1}});
  auto rich = max_closure(std::vector<std::int64_t>{-1, -1, 3}, prec);
  ASSERT_TRUE(rich.ok());
  EXPECT_EQ(rich->value, 1);
  EXPECT_EQ(rich->blocks, 3u);
  auto poor = max_closure(std::vector<std::int64_t>{-1, -1, 2}, prec);
  ASSERT_TRUE(poor.ok());
  EXPECT_EQ(poor->value, 0);
  EXPECT_EQ(poor->blocks, 0u) << "break-even ore is left out: the smallest optimal pit";
}

TEST(Pseudoflow, SharedWasteIsPaidOnce) {
  // Two ore blocks (+3 each) share one waste block (-5) above them: 3 + 3 - 5 = 1 > 0.
  auto prec = prec_of(3, {{1, 0}, {2, 0}});
  auto c = max_closure(std::vector<std::int64_t>{-5, 3, 3}, prec);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->value, 1);
  EXPECT_EQ(c->in_pit, (std::vector<std::uint8_t>{1, 1, 1}));
}

TEST(Pseudoflow, RejectsOverflowAndSizeMismatch) {
  auto prec = prec_of(2, {});
  auto big = std::int64_t{1} << 61;
  EXPECT_FALSE(max_closure(std::vector<std::int64_t>{big, big}, prec).ok());
  EXPECT_FALSE(max_closure(std::vector<std::int64_t>{1}, prec).ok());
}

// Random layered DAGs: every block requires up to 4 blocks of the layer above.
ExplicitPrecedence random_dag(std::mt19937_64& rng, std::size_t n, int layers) {
  std::vector<std::pair<BlockId, BlockId>> arcs;
  const std::size_t per = (n + layers - 1) / layers;
  for (std::size_t b = per; b < n; ++b) {
    const std::size_t layer = b / per;
    const std::size_t lo = (layer - 1) * per;
    std::uniform_int_distribution<std::size_t> pick(lo, lo + per - 1), k(0, 4);
    std::set<BlockId> req;
    for (std::size_t i = k(rng); i > 0; --i) req.insert(static_cast<BlockId>(pick(rng)));
    for (BlockId p : req) arcs.emplace_back(static_cast<BlockId>(b), p);
  }
  return ExplicitPrecedence::from_arcs(n, arcs);
}

TEST(Pseudoflow, MatchesBruteForceOnTinyModels) {
  std::mt19937_64 rng(11);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t n = 2 + trial % 11;
    auto prec = random_dag(rng, n, 1 + trial % 4);
    std::uniform_int_distribution<std::int64_t> val(-9, 7);
    std::vector<std::int64_t> values(n);
    for (auto& v : values) v = val(rng);
    auto c = max_closure(values, prec);
    ASSERT_TRUE(c.ok());
    ASSERT_EQ(c->value, brute_force_max_closure(values, prec)) << "trial " << trial;
    ASSERT_TRUE(is_closed(c->in_pit, prec));
  }
}

TEST(Pseudoflow, ReturnsTheSmallestOptimalPitWhenThereAreTies) {
  // Values in -3..3 make many optimal pits; the answer must be their intersection.
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 300; ++trial) {
    const std::size_t n = 3 + trial % 10;
    auto prec = random_dag(rng, n, 1 + trial % 4);
    std::uniform_int_distribution<std::int64_t> val(-3, 3);
    std::vector<std::int64_t> values(n);
    for (auto& v : values) v = val(rng);
    std::uint32_t smallest = 0;
    const std::int64_t best = brute_force_max_closure(values, prec, &smallest);
    auto c = max_closure(values, prec);
    ASSERT_TRUE(c.ok());
    ASSERT_EQ(c->value, best);
    for (std::size_t b = 0; b < n; ++b) ASSERT_EQ(c->in_pit[b], (smallest >> b) & 1u) << "trial " << trial << " block " << b;
  }
}

TEST(Pseudoflow, MatchesBoostPushRelabelOnRandomDags) {
  std::mt19937_64 rng(2024);
  for (int trial = 0; trial < 60; ++trial) {
    const std::size_t n = 50 + trial * 37;
    auto prec = random_dag(rng, n, 3 + trial % 7);
    std::uniform_int_distribution<std::int64_t> val(-1000, 800);
    std::vector<std::int64_t> values(n);
    for (auto& v : values) v = val(rng);
    auto c = max_closure(values, prec);
    ASSERT_TRUE(c.ok());
    ASSERT_EQ(c->value, oracle_max_closure(values, prec)) << "trial " << trial;
    ASSERT_TRUE(is_closed(c->in_pit, prec));
  }
}

TEST(Pseudoflow, GridSolverMatchesBoostOnRandomBlockModels) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 24; ++trial) {
    const int nx = 4 + trial % 9, ny = 1 + trial % 5, nz = 3 + trial % 6;
    SlopeSpec slope;
    slope.angles_deg = {trial % 3 == 0 ? 45.0 : (trial % 3 == 1 ? 38.0 : 55.0)};
    slope.benches = 1 + trial % 5;
    auto grid = GridPrecedence::from_slope(nx, ny, nz, slope);
    ASSERT_TRUE(grid.ok());
    // Ore at depth, waste above: the shape real pits have, with noise.
    std::vector<std::int64_t> values(grid->size());
    std::uniform_int_distribution<std::int64_t> noise(-300, 300);
    for (int z = 0; z < nz; ++z)
      for (int y = 0; y < ny; ++y)
        for (int x = 0; x < nx; ++x) values[grid->id(x, y, z)] = (z < nz / 2 ? 250 : -200) + noise(rng);
    auto c = max_closure(values, *grid);
    ASSERT_TRUE(c.ok());
    auto explicit_prec = grid->to_explicit();
    ASSERT_EQ(c->value, oracle_max_closure(values, explicit_prec)) << "trial " << trial;
    ASSERT_TRUE(is_closed(c->in_pit, *grid));
    // The same graph given explicitly (singleton start instead of column start) agrees.
    auto e = max_closure(values, explicit_prec);
    ASSERT_TRUE(e.ok());
    EXPECT_EQ(e->in_pit, c->in_pit) << "both return the smallest maximum closure";
  }
}

TEST(Pattern, FortyFiveDegreesNineBenches) {
  SlopeSpec s;
  s.angles_deg = {45.0};
  s.benches = 9;
  auto cone = GridPrecedence::cone_offsets(s);
  // Lattice points with dx^2 + dy^2 <= k^2, summed over k = 1..9 (Gauss circle counts
  // 5, 13, 29, 49, 81, 113, 149, 197, 253).
  EXPECT_EQ(cone.size(), 889u);
  auto pattern = GridPrecedence::minimal_pattern(cone);
  EXPECT_EQ(pattern.size(), 25u);
  // Its closure, cut at 9 benches, is the cone again.
  std::set<std::tuple<int, int, int>> reach, want;
  for (auto& o : cone) want.insert({o.dx, o.dy, o.dz});
  std::vector<std::tuple<int, int, int>> stack = {{0, 0, 0}};
  while (!stack.empty()) {
    auto [x, y, z] = stack.back();
    stack.pop_back();
    for (auto& o : pattern) {
      std::tuple<int, int, int> n{x + o.dx, y + o.dy, z + o.dz};
      if (z + o.dz <= 9 && reach.insert(n).second) stack.push_back(n);
    }
  }
  EXPECT_EQ(reach, want);
}

TEST(Pattern, SectorSlopesAreSteeperWhereAsked) {
  SlopeSpec s;
  s.angles_deg = {60.0, 30.0, 60.0, 30.0};  // north, east, south, west
  s.benches = 1;
  auto cone = GridPrecedence::cone_offsets(s);
  std::set<std::pair<int, int>> at1;
  for (auto& o : cone) at1.insert({o.dx, o.dy});
  // East-west reach one bench up: 1/tan(30) = 1.73 blocks; north-south: 1/tan(60) = 0.58.
  EXPECT_TRUE(at1.count({1, 0}));
  EXPECT_TRUE(at1.count({-1, 0}));
  EXPECT_FALSE(at1.count({0, 1}));
  EXPECT_FALSE(at1.count({0, -1}));
  EXPECT_FALSE(at1.count({2, 0}));
}

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

TEST(SharedData, MineLibNewman1Optimum) {
  const char* dir = env("CADENA_MINELIB_DIR");
  if (!dir) GTEST_SKIP() << "CADENA_MINELIB_DIR unset";
  auto m = load_minelib(std::string(dir) + "/newman1", 0.0);
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->value_scale, 1e5) << "newman1.upit writes up to 5 decimals";
  auto c = solve(*m, m->values);
  ASSERT_TRUE(c.ok());
  // Published UPIT optimum 26,086,899 (Espinoza et al. 2013); the .sol pit sums to 26,086,899.03.
  EXPECT_NEAR(static_cast<double>(c->value) / m->value_scale, 26086899.03, 0.005);
  EXPECT_EQ(c->blocks, 1059u);
  EXPECT_TRUE(is_closed(*m, c->in_pit));
  // The published pit itself scores the same value under our reader.
  std::ifstream sol(std::string(dir) + "/newman1_upit.sol");
  std::int64_t sol_value = 0;
  for (std::size_t b; sol >> b;) sol_value += m->values.at(b);
  EXPECT_EQ(sol_value, c->value);
}

TEST(SharedData, BauxitemedReference) {
  const char* dir = env("CADENA_PIT_DATA_DIR");
  if (!dir) GTEST_SKIP() << "CADENA_PIT_DATA_DIR unset";
  SlopeSpec s;
  s.angles_deg = {45.0};
  s.benches = 9;
  auto m = load_values_grid(std::string(dir) + "/bauxitemed.dat", 120, 120, 26, s);
  ASSERT_TRUE(m.ok()) << m.error().format();
  auto c = solve(*m, m->values);
  ASSERT_TRUE(c.ok());
  // Reference solver with the same 9-bench 45-degree pattern: 74,587 blocks, 28,288,679.
  EXPECT_EQ(c->value, 28288679);
  EXPECT_EQ(c->blocks, 74587u);
  EXPECT_TRUE(is_closed(*m, c->in_pit));
}

}  // namespace
}  // namespace cadena::pit
