// Pathway runs end to end (engine/pathway.hpp, `cadena run --years`) on the pathway-mini fixture
// (tests/fixtures/chain/pathway-mini: the two-mines chain with a demand path, an AU mine and a CN
// refinery that can be built, and tranches on the AU deposit): the reported cost equals the LP
// objective, myopic costs at least what perfect foresight costs, the LP bound is at most the MIP
// objective, a pathway of the dataset year alone is the single-year run, the outputs carry years,
// and bad pathway input exits 2 naming file, line and key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cadena/engine/pathway.hpp"
#include "cadena/engine/run.hpp"
#include "../../integration/cli_run.hpp"

namespace cadena::engine {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::run_cli;

const fs::path kMini = fs::path(CADENA_FIXTURES_DIR) / "chain/pathway-mini";

fs::path scratch(const std::string& name) {
  fs::path p = fs::temp_directory_path() / fmt::format("cadena-pathway-test-{}", ::getpid()) / name;
  fs::remove_all(p);
  fs::create_directories(p.parent_path());
  return p;
}

class ScratchCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(fs::temp_directory_path() / fmt::format("cadena-pathway-test-{}", ::getpid()), ec);
  }
};
[[maybe_unused]] const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

report::PathwayReport run_mini(const std::string& years, PathwayOptions p = {}) {
  RunOptions o;
  o.dataset = kMini.string();
  p.years = years;
  auto r = run_pathway(std::nullopt, o, p);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? std::move(*r) : report::PathwayReport{};
}

// The ex-post cost (operating + build charges + depletion, discounted) is the LP objective.
TEST(PathwayRun, ForesightCostIsTheLpObjective) {
  auto r = run_mini("2024:2030");
  ASSERT_EQ(r.years.size(), 7u);
  EXPECT_EQ(r.termination, lp::Termination::Optimal);
  EXPECT_NEAR(r.total_cost_usd, r.lp_objective_usd, 1e-6 * r.total_cost_usd);
  // Demand doubles by 2026: something is built (the AU mine option or the CN refinery), and the
  // 2026 demand is met without the unmet penalty.
  EXPECT_FALSE(r.builds.empty());
  EXPECT_TRUE(r.years[2].result.unmet.empty());
  // Weights: seven single years, discounted at 7 %.
  EXPECT_DOUBLE_EQ(r.years[0].cost_weight, 1.0);
  EXPECT_NEAR(r.years[6].cost_weight, 1.0 / std::pow(1.07, 6), 1e-12);
}

TEST(PathwayRun, MyopicCostsAtLeastPerfectForesight) {
  auto pf = run_mini("2024:2030");
  PathwayOptions m;
  m.myopic = true;
  auto my = run_mini("2024:2030", m);
  EXPECT_EQ(my.mode, "myopic");
  EXPECT_GE(my.total_cost_usd, pf.total_cost_usd * (1 - 1e-9));
}

// Binary build decisions with minimum sizes can only cost more than the continuous LP, and the
// relaxation CBC reports is a lower bound of the MIP objective.
TEST(PathwayRun, LpBoundIsAtMostTheMipObjective) {
  auto lp = run_mini("2024:2030");
  PathwayOptions m;
  m.mip = true;
  m.mip_gap = 0.0;
  auto mip = run_mini("2024:2030", m);
  ASSERT_EQ(mip.termination, lp::Termination::Optimal);
  EXPECT_TRUE(mip.mip);
  EXPECT_LE(mip.lp_bound_usd, mip.total_cost_usd * (1 + 1e-9));
  EXPECT_NEAR(mip.lp_bound_usd, lp.total_cost_usd, 1e-6 * lp.total_cost_usd);
  EXPECT_GE(mip.total_cost_usd, lp.total_cost_usd * (1 - 1e-9));
  // Every option build respects its minimum size (au_mine 30 t, cn_refinery 25 t).
  for (const auto& b : mip.builds)
    if (b.kind == "option") EXPECT_GE(b.capacity, (b.option == "au_mine" ? 30.0 : 25.0) - 1e-6) << b.asset;
}

// A pathway of the dataset year alone is the single-year run: the same optimum and flows.
TEST(PathwayRun, OneYearIsTheSingleYearRun) {
  auto p = run_mini("2024");
  RunOptions o;
  o.dataset = kMini.string();
  auto single = run(std::nullopt, o);
  ASSERT_TRUE(single.ok());
  ASSERT_EQ(p.years.size(), 1u);
  EXPECT_NEAR(p.total_cost_usd, single->result.objective_usd, 1e-9 * single->result.objective_usd);
  EXPECT_NEAR(p.years[0].result.objective_usd, 99600, 1e-6);  // the two-mines optimum
  ASSERT_EQ(p.years[0].result.flows.size(), single->result.flows.size());
  for (std::size_t i = 0; i < single->result.flows.size(); ++i)
    EXPECT_NEAR(p.years[0].result.flows[i].quantity, single->result.flows[i].quantity, 1e-9);
}

TEST(PathwayCli, WritesYearColumnsBuildsAndSeries) {
  const fs::path out = scratch("cli");
  auto r = run_cli(fmt::format("run --dataset '{}' --years 2024:2030:5 --out '{}'", kMini.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2030"), std::string::npos);
  const std::string flows = read_file(out / "flows.csv");
  EXPECT_EQ(flows.rfind("year,family,", 0), 0u);
  EXPECT_NE(flows.find("\n2030,"), std::string::npos);
  EXPECT_EQ(read_file(out / "facilities.csv").rfind("year,id,", 0), 0u);
  EXPECT_EQ(read_file(out / "builds.csv").rfind("year,decision_year,", 0), 0u);
  auto j = nlohmann::json::parse(read_file(out / "summary.json"));
  EXPECT_EQ(j["years"], nlohmann::json({2024, 2025, 2030}));
  EXPECT_EQ(j["weights"], nlohmann::json({1.0, 5.0, 1.0}));
  EXPECT_EQ(j["series"]["cost_usd"]["total"].size(), 3u);
  EXPECT_TRUE(j["series"]["stages"].contains("mining"));
  EXPECT_EQ(j["series"]["demand_price_usd"]["li2co3"]["CN"].size(), 3u);
}

// Writes a copy of the fixture with one file changed.
fs::path broken(const std::string& name, const std::string& file, const std::string& text) {
  const fs::path dir = scratch(name);
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(kMini)) fs::copy_file(e.path(), dir / e.path().filename());
  std::ofstream(dir / file, std::ios::trunc) << text;
  return dir;
}

TEST(PathwayCli, BadInputExitsTwoNamingFileLineAndKey) {
  const std::string options_head =
      "id,stage,type,country,output,unit,owner_countries,capex_usd_per_unit,fixed_om_usd_per_unit,unit_cost_usd,inputs,"
      "co2_t_per_unit,water_m3_per_unit,lead_time_years,earliest_year,max_build_per_year,min_size,ramp_up,life_years,"
      "deposit,source\n";
  struct Case {
    std::string name, file, text, expect_key;
  };
  const std::vector<Case> cases{
      {"lead", "options.csv",
       options_head + "au_mine,mining,spodumene,AU,spodumene_conc,t LCE,AU,2000,0,450,,2,10,9,,80,,,10,,test fixture\n",
       "lead_time_years"},
      {"ramp", "options.csv",
       options_head + "au_mine,mining,spodumene,AU,spodumene_conc,t LCE,AU,2000,0,450,,2,10,1,,80,,0.5;1.5,10,,test fixture\n",
       "ramp_up"},
      {"tranche", "resources.csv",
       "deposit,tranche,category,quantity,unit,extra_cost_usd_per_unit,source\n"
       "mine_au,2,resources,2000,t LCE,250,test fixture\nmine_au,1,reserves,400,t LCE,0,test fixture\n",
       "tranche"},
  };
  for (const auto& c : cases) {
    const fs::path dir = broken(c.name, c.file, c.text);
    const fs::path out = scratch(c.name + "-out");
    auto r = run_cli(fmt::format("run --dataset '{}' --years 2024:2030 --out '{}'", dir.string(), out.string()));
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.file + ":2"), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect_key), std::string::npos) << c.name << ": " << r.err;
    EXPECT_FALSE(fs::exists(out)) << c.name;
  }
  // Years out of order, from the command line and from a scenario (file, line, key).
  auto cli = run_cli(fmt::format("run --dataset '{}' --years 2024,2030,2026 --out '{}'", kMini.string(),
                                 scratch("order-out").string()));
  EXPECT_EQ(cli.exit_code, 2) << cli.err;
  EXPECT_NE(cli.err.find("--years"), std::string::npos) << cli.err;
  const fs::path sc = scratch("order.toml");
  std::ofstream(sc) << "name = \"order\"\ndataset = \"" << kMini.string() << "\"\nyears = [2024, 2030, 2026]\n";
  auto scen = run_cli(fmt::format("run '{}' --out '{}'", sc.string(), scratch("order2-out").string()));
  EXPECT_EQ(scen.exit_code, 2) << scen.err;
  EXPECT_NE(scen.err.find("order.toml:3"), std::string::npos) << scen.err;
  EXPECT_NE(scen.err.find("years"), std::string::npos) << scen.err;
}

}  // namespace
}  // namespace cadena::engine
