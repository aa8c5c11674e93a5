// Nothing in the engine is lithium-specific: a three-stage toy mineral that exists only in a test
// fixture (tests/fixtures/datasets/toy-mineral: stages dig -> melt -> cast, contained metal "t X",
// ore at 2 % grade) runs end to end through the engine and the CLI, with a hand-solved optimum.
//
// Hand solution. 120 t of bar in R1 (country XC) need 1.02 x 120 = 122.4 t ingot, made in XA from
// 55 t ore per t (2 % x 55 = 1.1 t X in, a 91 % yield): 6,732 t ore. Pit B (XB, 3 USD/t + 1 USD/t
// to XA) is cheaper than pit A (XA, 5 USD/t), so pit B runs at its 5,000 t and pit A gives 1,732 t.
//   ore      5,000 x 3 + 5,000 x 1 + 1,732 x 5 = 28,660
//   ingot    122.4 x 100 = 12,240; XA -> XC 122.4 x 10 = 1,224
//   bar      120 x 50 = 6,000                         total 48,124 USD
// Prices: ore in XA is set by pit A (5), ingot in XA = 55 x 5 + 100 = 375, in XC 385, bar in R1 =
// 1.02 x 385 + 50 = 442.7 USD/t X. Pit B's capacity saves 5 - 4 = 1 USD/t.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <filesystem>

#include "cadena/engine/run.hpp"
#include "cadena/io/dataset_io.hpp"
#include "../../integration/cli_run.hpp"

namespace cadena {
namespace {

const std::string kToy = std::string(CADENA_FIXTURES_DIR) + "/datasets/toy-mineral";

TEST(ToyMineral, DeclaresItsOwnStagesAndUnits) {
  auto d = io::load_dataset(kToy);
  ASSERT_TRUE(d.ok()) << d.error().format();
  ASSERT_EQ(d->stages.size(), 3u);
  EXPECT_EQ(d->stages[0].id, "dig");
  EXPECT_TRUE(d->stages[0].extraction);
  EXPECT_EQ(d->stages[2].id, "cast");
  EXPECT_EQ(d->contained_unit, "t X");
  // The ore's stage comes from the [[stage]] products list (its products.csv cell is empty).
  EXPECT_EQ(d->find_product("ore")->stage, "dig");
  EXPECT_DOUBLE_EQ(*d->contained_per_unit(*d->find_product("ore")), 0.02);
}

TEST(ToyMineral, RunsEndToEndWithTheHandSolvedOptimum) {
  engine::RunOptions opt;
  opt.dataset = kToy;
  auto rep = engine::run(std::nullopt, opt);
  ASSERT_TRUE(rep.ok()) << rep.error().format();
  const auto& r = rep->result;
  ASSERT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(r.objective_usd, 48124.0, 1e-6);
  ASSERT_EQ(rep->stages.size(), 3u);
  EXPECT_EQ(rep->stages[0].stage, "dig");
  EXPECT_EQ(rep->stages[0].unit, "t ore");
  EXPECT_NEAR(rep->stages[0].output, 6732.0, 1e-6);
  EXPECT_EQ(rep->stages[0].by_country[0].key, "XB");
  EXPECT_NEAR(rep->stages[0].by_country[0].share, 5000.0 / 6732.0, 1e-9);
  EXPECT_EQ(rep->stages[1].stage, "melt");
  EXPECT_NEAR(rep->stages[1].output, 122.4, 1e-6);
  EXPECT_EQ(rep->stages[2].stage, "cast");
  EXPECT_EQ(rep->stages[2].unit, "t X");
  ASSERT_EQ(r.demand_prices.size(), 1u);
  EXPECT_EQ(r.demand_prices[0].product, "bar");
  EXPECT_NEAR(r.demand_prices[0].usd_per_unit, 442.7, 1e-6);
  ASSERT_FALSE(rep->bottlenecks.empty());
  EXPECT_EQ(rep->bottlenecks[0].facility, "pit_b");
  EXPECT_EQ(rep->bottlenecks[0].stage, "dig");
  EXPECT_NEAR(rep->bottlenecks[0].value_usd_per_unit, 1.0, 1e-6);
}

TEST(ToyMineral, CliRunsItByPathAndSummaryUsesItsStages) {
  const auto out = std::filesystem::temp_directory_path() / ("cadena-toy-mineral-" + std::to_string(::getpid()));
  std::filesystem::remove_all(out);
  auto r = test::run_cli("run --dataset tests/fixtures/datasets/toy-mineral --json --out " + out.string());
  std::filesystem::remove_all(out);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["objective_usd"].get<double>(), 48124.0, 1e-6);
  ASSERT_TRUE(j["stages"].contains("dig")) << j["stages"].dump();
  ASSERT_TRUE(j["stages"].contains("melt"));
  ASSERT_TRUE(j["stages"].contains("cast"));
  EXPECT_FALSE(j["stages"].contains("mining"));
  EXPECT_EQ(j["stages"]["dig"]["unit"], "t ore");
  auto v = test::run_cli("validate tests/fixtures/datasets/toy-mineral");
  EXPECT_EQ(v.exit_code, 0) << v.err;
  auto bad = test::run_cli("run --dataset no-such-dataset");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("no-such-dataset"), std::string::npos) << bad.err;
}

// The lithium dataset declares today's stages in chain order, and they come back in that order.
TEST(ToyMineral, LithiumDeclaresItsFourStagesInChainOrder) {
  auto d = io::load_builtin("lithium-2024");
  ASSERT_TRUE(d.ok()) << d.error().format();
  std::vector<std::string> ids;
  for (const auto& s : d->stages) ids.push_back(s.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"mining", "refining", "cathode", "cells", "recycling"}));
  EXPECT_EQ(d->contained_unit, "t LCE");
  EXPECT_DOUBLE_EQ(*d->contained_per_unit("t Li"), 5.323);
}

}  // namespace
}  // namespace cadena
