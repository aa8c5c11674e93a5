#include <gtest/gtest.h>

#include <random>

#include "cadena/pit/shells.hpp"

namespace cadena::pit {
namespace {

PitModel random_grid_model(unsigned seed, int nx, int ny, int nz) {
  SlopeSpec s;
  s.angles_deg = {45.0};
  s.benches = 3;
  auto g = GridPrecedence::from_slope(nx, ny, nz, s);
  PitModel m;
  m.precedence = *g;
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::int64_t> noise(-400, 600);
  m.values.resize(g->size());
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x) {
        m.values[g->id(x, y, z)] = z < nz / 2 ? noise(rng) : -100;
        m.coords.push_back({x, y, z});
      }
  split_values(m);
  return m;
}

TEST(Shells, NestedAndEqualToIndependentSolves) {
  auto m = random_grid_model(5, 12, 8, 8);
  const std::vector<double> rfs = {0.4, 0.6, 0.8, 1.0, 1.3};
  ScheduleSpec sched;
  sched.capacity_tonnes_per_period = 50;
  auto r = nested_shells(m, rfs, sched);
  ASSERT_TRUE(r.ok()) << r.error().format();
  ASSERT_EQ(r->shells.size(), rfs.size());
  for (std::size_t k = 0; k < rfs.size(); ++k) {
    // Independent: a full solve at this factor on the whole model.
    auto full = solve(m, m.values_at(rfs[k]));
    ASSERT_TRUE(full.ok());
    std::vector<std::uint8_t> shell_pit(m.size());
    for (std::size_t b = 0; b < m.size(); ++b) shell_pit[b] = r->shell_of[b] && r->shell_of[b] <= k + 1;
    EXPECT_EQ(shell_pit, full->in_pit) << "shell " << k + 1;
    EXPECT_EQ(r->shells[k].blocks, full->blocks);
    EXPECT_TRUE(is_closed(m, shell_pit));
    // Discounting only lowers a positive value; mining the rich core first never loses.
    EXPECT_GE(r->shells[k].best_discounted + 1e-6, r->shells[k].worst_discounted);
    if (k > 0) {
      EXPECT_GE(r->shells[k].blocks, r->shells[k - 1].blocks);
    }
  }
  // At revenue factor 1 the shell value is the ultimate pit value.
  auto ult = solve(m, m.values);
  ASSERT_TRUE(ult.ok());
  EXPECT_DOUBLE_EQ(r->shells[3].value, static_cast<double>(ult->value));
}

TEST(Shells, DiscountingByHand) {
  // One column of two blocks: waste -2 on top of ore +10, one block per period, 10 %.
  PitModel m;
  m.precedence = GridPrecedence(1, 1, 2, {{0, 0, 1}});
  m.values = {10, -2};
  m.coords = {{0, 0, 0}, {0, 0, 1}};
  split_values(m);
  ScheduleSpec sched;
  sched.capacity_tonnes_per_period = 1;
  sched.discount_rate = 0.10;
  auto r = nested_shells(m, {1.0}, sched);
  ASSERT_TRUE(r.ok());
  // Top down: -2 in period 0, +10 in period 1: -2 + 10 / 1.1.
  EXPECT_NEAR(r->shells[0].worst_discounted, -2 + 10 / 1.1, 1e-9);
  EXPECT_EQ(r->shells[0].periods, 2);
}

TEST(Shells, RejectsUnsortedFactors) {
  auto m = random_grid_model(1, 3, 3, 3);
  EXPECT_FALSE(nested_shells(m, {1.0, 0.5}, {}).ok());
  EXPECT_FALSE(nested_shells(m, {}, {}).ok());
}

}  // namespace
}  // namespace cadena::pit
