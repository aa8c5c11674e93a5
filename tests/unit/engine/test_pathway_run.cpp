// Pathway runs end to end (engine/pathway.hpp, `cadena run --years`) on the pathway-mini fixture
// (tests/fixtures/chain/pathway-mini: the two-mines chain with a demand path, an AU mine and a CN
// refinery that can be built, and tranches on the AU deposit): the reported cost equals the LP
// objective, myopic costs at least what perfect foresight costs, the LP bound is at most the MIP
// objective, a pathway of the dataset year alone is the single-year run, the outputs carry years,
// and bad pathway input exits 2 naming file, line and key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <tuple>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cadena/chain/pathway.hpp"
#include "cadena/chain/rules.hpp"
#include "cadena/engine/pathway.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/io/pathway_io.hpp"
#include "cadena/model/pathway.hpp"
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

// Issue 8 item 6: who builds, by owner nationality direct AND after look-through of company
// stakes. On the built-in data Covalent's Kwinana refinery (committed, online 2025) is 50 % SQM,
// and Tianqi holds 22.16 % of SQM (stakes.csv): 11.08 % of the plant is Chinese after
// look-through, none directly; the summary's look-through series carry it.
TEST(PathwayRun, BuildsCarryLookThroughOwners) {
  PathwayOptions p;
  p.years = "2024:2025";
  auto r = run_pathway(std::nullopt, RunOptions{}, p);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const chain::BuildRecord* kwinana = nullptr;
  for (const auto& b : r->builds)
    if (b.asset == "kwinana_covalent") kwinana = &b;
  ASSERT_NE(kwinana, nullptr);
  auto share = [](const std::vector<std::pair<std::string, double>>& v, const std::string& c) {
    double s = 0.0;
    for (const auto& [k, x] : v)
      if (k == c) s += x;
    return s;
  };
  EXPECT_EQ(share(kwinana->owners, "CN"), 0.0);
  EXPECT_NEAR(share(kwinana->owners, "CL"), 0.5, 1e-12);
  EXPECT_NEAR(share(kwinana->owners_lookthrough, "CN"), 0.5 * 0.2216, 1e-12);
  EXPECT_NEAR(share(kwinana->owners_lookthrough, "CL"), 0.5 * (1 - 0.2216), 1e-12);
  EXPECT_NEAR(share(kwinana->owners_lookthrough, "AU"), 0.5, 1e-12);

  const auto j = nlohmann::json::parse(report::pathway_summary_json(*r));
  const auto& s = j["series"];
  ASSERT_TRUE(s.contains("capacity_built_by_owner_lookthrough"));
  ASSERT_TRUE(s.contains("investment_usd_lookthrough"));
  const auto& lt = s["capacity_built_by_owner_lookthrough"]["refining"]["AU"];
  const auto& direct = s["capacity_built_by_owner"]["refining"]["AU"];
  const double cn_lt = lt.contains("CN") ? lt["CN"][1].get<double>() : 0.0;
  const double cn_direct = direct.contains("CN") ? direct["CN"][1].get<double>() : 0.0;
  EXPECT_GE(cn_lt - cn_direct, 0.5 * 0.2216 * kwinana->capacity * (1 - 1e-9));
  EXPECT_TRUE(s["stages"]["mining"].contains("by_ultimate_owner_country"));
  EXPECT_EQ(s["stages"]["mining"]["hhi_ultimate_owner_country"].size(), 2u);
}

// Issue 8: a pathway's stage shares use the owners in force in each period's year, not the
// dataset year's. The fixture copied with one dated stake (CN group takes all of the AU miner from
// 2026): ownership does not change the LP, so every flow is the same as without the stake; the
// shares of 2024 and 2025 are unchanged, and from 2026 China's look-through share of mining gains
// exactly the AU miner's 60 % of mine_au's output, while the direct owners stay as they were.
TEST(PathwayRun, StageSharesUseTheOwnersOfEachYear) {
  const fs::path copy = scratch("mini-stakes");
  fs::copy(kMini, copy, fs::copy_options::recursive);
  std::ofstream(copy / "stakes.csv") << "holder,company,facility,share,from,until,source,estimate,note\n"
                                        "cn_group,au_miner,,1.0,2026-01-01,,test fixture,,\n";
  const auto base = run_mini("2024:2028");
  RunOptions o;
  o.dataset = copy.string();
  PathwayOptions p;
  p.years = "2024:2028";
  auto r = run_pathway(std::nullopt, o, p);
  ASSERT_TRUE(r.ok()) << r.error().format();
  ASSERT_EQ(r->years.size(), base.years.size());
  auto share = [](const std::vector<analytics::StageSummary>& st, const std::string& stage, bool ultimate,
                  const std::string& c) {
    for (const auto& s : st)
      if (s.stage == stage)
        for (const auto& x : ultimate ? s.by_ultimate_owner_country : s.by_owner_country)
          if (x.key == c) return x.share;
    return 0.0;
  };
  int changed = 0;
  for (std::size_t t = 0; t < r->years.size(); ++t) {
    const auto& y = r->years[t];
    const auto& b = base.years[t];
    double mine_au = 0.0, total = 0.0;
    for (const auto& fr : y.result.facilities)
      if (fr.stage == "mining") {
        total += fr.output;
        if (fr.id == "mine_au") mine_au = fr.output;
      }
    ASSERT_GT(total, 0.0);
    const double gain = y.year >= 2026 ? 0.6 * mine_au / total : 0.0;
    if (gain > 1e-9) ++changed;
    EXPECT_NEAR(share(y.stages, "mining", true, "CN"), share(b.stages, "mining", true, "CN") + gain, 1e-9) << y.year;
    EXPECT_NEAR(share(y.stages, "mining", false, "CN"), share(b.stages, "mining", false, "CN"), 1e-12) << y.year;
  }
  EXPECT_GE(changed, 1);  // mine_au produces in some year from 2026
}

// A scenario on the pathway-mini fixture with the given [[rule]] tables.
report::PathwayReport run_mini_rules(const std::string& name, const std::string& rules, const std::string& years,
                                     PathwayOptions p = {}) {
  const fs::path sc = scratch(name + ".toml");
  std::ofstream(sc) << fmt::format("name = \"{}\"\n{}", name, rules);
  RunOptions o;
  o.dataset = kMini.string();
  p.years = years;
  auto r = run_pathway(sc, o, p);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? std::move(*r) : report::PathwayReport{};
}

double flow(const report::PathwayYear& y, const std::string& element, const std::string& product) {
  double q = 0.0;
  for (const auto& f : y.result.flows)
    if (f.family == "flow" && f.element == element && f.product == product) q += f.quantity;
  return q;
}

const chain::RuleRecord* rule_record(const report::PathwayYear& y, const std::string& id) {
  for (const auto& r : y.result.rules)
    if (r.id == id) return &r;
  return nullptr;
}

// The same dated stake under an ownership rule (CN demand takes only material whose mines are at
// most 50 % Chinese-owned after look-through), without expansion options so that the excluded
// capacity is the existing mines': mine_cn (50 t, CN 100 %) is excluded every year, mine_au
// (100 t, CN 40 % until the stake, 100 % after it) from 2026 only. Before the rules used the
// period's year, mine_au stayed compliant in every year.
TEST(PathwayRules, AnOwnershipRuleSeesTheStakesOfEachYear) {
  const fs::path copy = scratch("mini-stakes-rule");
  fs::copy(kMini, copy, fs::copy_options::recursive);
  fs::remove(copy / "options.csv");
  std::ofstream(copy / "stakes.csv") << "holder,company,facility,share,from,until,source,estimate,note\n"
                                        "cn_group,au_miner,,1.0,2026-01-01,,test fixture,,\n";
  const fs::path sc = scratch("ownership-by-year.toml");
  std::ofstream(sc) << "name = \"ownership-by-year\"\n[[rule]]\nid = \"cn_mines\"\nkind = \"ownership\"\n"
                       "country = \"CN\"\nproduct = \"*\"\nowner_country = \"CN\"\nshare = 0.5\nstage = \"mining\"\n"
                       "source = \"test\"\n";
  RunOptions o;
  o.dataset = copy.string();
  PathwayOptions p;
  p.years = "2024:2027";
  auto r = run_pathway(sc, o, p);
  ASSERT_TRUE(r.ok()) << r.error().format();
  ASSERT_EQ(r->years.size(), 4u);
  for (const auto& y : r->years) {
    const auto* rec = rule_record(y, "cn_mines");
    ASSERT_NE(rec, nullptr) << y.year;
    double mining = 0.0;
    for (const auto& [stage, q] : rec->excluded_by_stage)
      if (stage == "mining") mining += q;
    EXPECT_NEAR(mining, y.year >= 2026 ? 150.0 : 50.0, 1e-9) << y.year;
  }
}


// Issue 9, "every lever works per year once pathways exist": a rule with from_year/to_year acts
// in its years only. Myopic runs (one LP per year, so years before a rule cannot anticipate it;
// with perfect foresight they legitimately change, e.g. the AU deposit's tranches are saved for
// later): without rules AU ships concentrate to the CN refinery every year; with a ban on that
// route from 2026 every flow of 2024 and 2025 is the same as without it and AU ships nothing from
// 2026; a ban in force in 2025 alone stops 2025 only; the rule has a record (and rows) only in its
// years. With perfect foresight the ban still stops the route exactly in its years.
TEST(PathwayRules, ARouteBanActsOnlyInItsYears) {
  const std::string years = "2024:2027";
  PathwayOptions myopic;
  myopic.myopic = true;
  auto free = run_mini(years, myopic);
  ASSERT_EQ(free.years.size(), 4u);
  for (const auto& y : free.years) EXPECT_GT(flow(y, "AU-CN", "spodumene_conc"), 1.0) << y.year;
  auto same_flows = [](const report::PathwayYear& a, const report::PathwayYear& b) {
    ASSERT_EQ(a.result.flows.size(), b.result.flows.size()) << a.year;
    for (std::size_t i = 0; i < a.result.flows.size(); ++i) {
      EXPECT_EQ(a.result.flows[i].element, b.result.flows[i].element) << a.year;
      EXPECT_NEAR(a.result.flows[i].quantity, b.result.flows[i].quantity, 1e-6) << a.year << " " << a.result.flows[i].element;
    }
  };

  const std::string ban = "[[rule]]\nid = \"au_cn_ban\"\nkind = \"route_quota\"\nproduct = \"spodumene_conc\"\n"
                          "from = \"AU\"\nto = \"CN\"\nquantity = 0\nsource = \"test\"\n";
  auto later = run_mini_rules("ban-from-2026", ban + "from_year = 2026\n", years, myopic);
  ASSERT_EQ(later.years.size(), 4u);
  same_flows(later.years[0], free.years[0]);
  same_flows(later.years[1], free.years[1]);
  EXPECT_EQ(flow(later.years[2], "AU-CN", "spodumene_conc"), 0.0);
  EXPECT_EQ(flow(later.years[3], "AU-CN", "spodumene_conc"), 0.0);
  for (const auto& y : later.years) EXPECT_EQ(rule_record(y, "au_cn_ban") != nullptr, y.year >= 2026) << y.year;

  auto one = run_mini_rules("ban-2025", ban + "from_year = 2025\nto_year = 2025\n", years, myopic);
  ASSERT_EQ(one.years.size(), 4u);
  same_flows(one.years[0], free.years[0]);
  EXPECT_EQ(flow(one.years[1], "AU-CN", "spodumene_conc"), 0.0);
  EXPECT_GT(flow(one.years[2], "AU-CN", "spodumene_conc"), 1.0);
  EXPECT_GT(flow(one.years[3], "AU-CN", "spodumene_conc"), 1.0);
  for (const auto& y : one.years) EXPECT_EQ(rule_record(y, "au_cn_ban") != nullptr, y.year == 2025) << y.year;

  auto foresight = run_mini_rules("ban-from-2026-pf", ban + "from_year = 2026\n", years);
  ASSERT_EQ(foresight.years.size(), 4u);
  EXPECT_GT(flow(foresight.years[1], "AU-CN", "spodumene_conc"), 1.0);
  EXPECT_EQ(flow(foresight.years[2], "AU-CN", "spodumene_conc"), 0.0);
  EXPECT_EQ(flow(foresight.years[3], "AU-CN", "spodumene_conc"), 0.0);
}

// Issue 9 item 6, a carbon price per country: 50 USD/t CO2 on Australian facilities from 2026
// prices exactly their CO2 (2 t per t LCE at mine_au), in 2026 and 2027 only; Chinese CO2 stays
// free; the rule's payment is the price times that CO2 and is part of each year's cost.
TEST(PathwayRules, ACarbonPricePerCountryActsOnlyInItsYears) {
  auto priced = run_mini_rules("au-carbon", "[[rule]]\nid = \"au_co2\"\nkind = \"carbon_price\"\ncountry = \"AU\"\n"
                                            "amount_usd = 50\nfrom_year = 2026\nsource = \"test\"\n", "2024:2027");
  ASSERT_EQ(priced.years.size(), 4u);
  for (const auto& y : priced.years) {
    const auto* rec = rule_record(y, "au_co2");
    ASSERT_EQ(rec != nullptr, y.year >= 2026) << y.year;
    if (!rec) continue;
    double au_co2 = 0.0, cn_co2 = 0.0;
    for (const auto& f : y.result.facilities) (f.country == "AU" ? au_co2 : cn_co2) += f.co2_t;
    EXPECT_GT(au_co2, 0.0);
    EXPECT_GT(cn_co2, 0.0);
    EXPECT_NEAR(rec->quantity, au_co2, 1e-6 * au_co2) << y.year;
    EXPECT_EQ(rec->unit, "t CO2");
    EXPECT_NEAR(rec->payment_usd, 50.0 * au_co2, 1e-6 * au_co2) << y.year;
    EXPECT_NEAR(y.result.policy_usd, 50.0 * au_co2, 1e-6 * au_co2) << y.year;
  }
  // A carbon price without a positive amount is bad input naming the key.
  const fs::path bad = scratch("bad-carbon.toml");
  std::ofstream(bad) << "name = \"bad-carbon\"\n[[rule]]\nid = \"x\"\nkind = \"carbon_price\"\ncountry = \"AU\"\nsource = \"t\"\n";
  auto r = run_cli(fmt::format("run '{}' --dataset '{}' --years 2024:2025 --out '{}'", bad.string(), kMini.string(),
                               scratch("bad-out").string()));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("amount_usd"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad-carbon.toml"), std::string::npos) << r.err;
}

// Issue 9 item 5, a dated export duty (export_duty rule, on top of policies.csv): 250 USD per t
// LCE on Australian concentrate to China. In 2024 the CN refinery needs 60 x 1.1 = 66 t of
// concentrate: AU's costs 500 + 100 = 600 delivered, the CN mine's 800 (50 t). The duty makes AU's
// 850 > 800, so the CN mine runs full and AU ships only 66 - 50 = 16 t, paying 16 x 250. From a
// later year (myopic, 2026) the duty leaves every flow of 2024 and 2025 as without it and is paid
// in 2026 and 2027 on exactly what AU ships; in force in 2024 alone (perfect foresight) it bites
// in 2024 only: 2025 ships what it ships without the duty.
TEST(PathwayRules, AnExportDutyFromALaterYearBitesOnlyInItsYears) {
  const std::string duty = "[[rule]]\nid = \"au_duty\"\nkind = \"export_duty\"\nproduct = \"spodumene_conc\"\n"
                           "from = \"AU\"\nto = \"*\"\namount_usd = 250\nsource = \"test\"\n";
  PathwayOptions myopic;
  myopic.myopic = true;
  auto free = run_mini("2024:2027", myopic);
  auto later = run_mini_rules("duty-from-2026", duty + "from_year = 2026\n", "2024:2027", myopic);
  ASSERT_EQ(free.years.size(), 4u);
  ASSERT_EQ(later.years.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i) {
    const auto& y = later.years[i];
    const auto* rec = rule_record(y, "au_duty");
    ASSERT_EQ(rec != nullptr, y.year >= 2026) << y.year;
    if (!rec) {
      ASSERT_EQ(y.result.flows.size(), free.years[i].result.flows.size()) << y.year;
      for (std::size_t f = 0; f < y.result.flows.size(); ++f)
        EXPECT_NEAR(y.result.flows[f].quantity, free.years[i].result.flows[f].quantity, 1e-6) << y.year;
      EXPECT_NEAR(y.result.objective_usd, free.years[i].result.objective_usd, 1e-6 * free.years[i].result.objective_usd);
      continue;
    }
    const double shipped = flow(y, "AU-CN", "spodumene_conc");
    EXPECT_GT(shipped, 1.0) << y.year;
    EXPECT_NEAR(rec->quantity, shipped, 1e-6) << y.year;
    EXPECT_NEAR(rec->payment_usd, 250.0 * shipped, 1e-6 * shipped) << y.year;
    EXPECT_NEAR(y.result.policy_usd, 250.0 * shipped, 1e-6 * shipped) << y.year;
  }

  auto free_pf = run_mini("2024:2025");
  auto once = run_mini_rules("duty-2024", duty + "from_year = 2024\nto_year = 2024\n", "2024:2025");
  ASSERT_EQ(once.years.size(), 2u);
  ASSERT_EQ(free_pf.years.size(), 2u);
  EXPECT_NEAR(flow(free_pf.years[0], "AU-CN", "spodumene_conc"), 66.0, 1e-6);
  EXPECT_NEAR(flow(once.years[0], "AU-CN", "spodumene_conc"), 16.0, 1e-6);
  ASSERT_NE(rule_record(once.years[0], "au_duty"), nullptr);
  EXPECT_NEAR(rule_record(once.years[0], "au_duty")->payment_usd, 16.0 * 250.0, 1e-6);
  EXPECT_EQ(rule_record(once.years[1], "au_duty"), nullptr);
  EXPECT_NEAR(flow(once.years[1], "AU-CN", "spodumene_conc"), flow(free_pf.years[1], "AU-CN", "spodumene_conc"), 1e-6);
}

// The built-in lithium-2024 dataset and its pathway data (pathway.toml and its tables), as the
// built-in-data tests below read them: `ASSERT_NO_FATAL_FAILURE(load_builtin_data(b))`.
struct BuiltinData {
  std::optional<model::Dataset> d;
  std::optional<model::PathwayData> pw;
};

void load_builtin_data(BuiltinData& b) {
  auto d = io::load_builtin("lithium-2024");
  ASSERT_TRUE(d.ok()) << d.error().format();
  auto dir = io::dataset_dir("lithium-2024");
  ASSERT_TRUE(dir.ok()) << dir.error().format();
  auto pw = io::load_pathway(*dir, *d);
  ASSERT_TRUE(pw.ok()) << pw.error().format();
  b.d.emplace(std::move(*d));
  b.pw.emplace(std::move(*pw));
}

// A pathway on the built-in dataset over `years`, with an optional scenario.
Result<report::PathwayReport> builtin_pathway(const std::string& years,
                                              const std::optional<fs::path>& scenario = std::nullopt) {
  PathwayOptions p;
  p.years = years;
  return run_pathway(scenario, RunOptions{}, p);
}

// scenarios/zw-concentrate-exports.toml on the built-in data (its README row): without it the
// pathway exports Zimbabwean concentrate from 2027; with it nothing leaves Zimbabwe from 2027
// (the dated ban), the 5 % tax is in force in 2025 and 2026 only and is paid on exactly what
// leaves then (5 % x 6,890 per t LCE).
TEST(PathwayRules, ZimbabweConcentrateScenarioActsInItsYears) {
  auto base = builtin_pathway("2024:2030");
  ASSERT_TRUE(base.ok()) << base.error().format();
  auto zw = builtin_pathway("2024:2030", fs::path(CADENA_SOURCE_DIR) / "scenarios/zw-concentrate-exports.toml");
  ASSERT_TRUE(zw.ok()) << zw.error().format();
  ASSERT_EQ(zw->years.size(), 7u);
  auto exports = [](const report::PathwayYear& y) {
    double q = 0.0;
    for (const auto& f : y.result.flows)
      if (f.family == "flow" && f.from == "ZW" && f.product == "spodumene_conc") q += f.quantity;
    return q;
  };
  EXPECT_GT(exports(base->years[3]), 1000.0);  // 2027 without the ban
  for (const auto& y : zw->years) {
    const auto* tax = rule_record(y, "zw_conc_tax");
    const auto* ban = rule_record(y, "zw_conc_ban");
    EXPECT_EQ(tax != nullptr, y.year == 2025 || y.year == 2026) << y.year;
    EXPECT_EQ(ban != nullptr, y.year >= 2027) << y.year;
    if (ban) EXPECT_NEAR(exports(y), 0.0, 1e-6) << y.year;
    if (tax) EXPECT_NEAR(tax->payment_usd, 0.05 * 6890 * exports(y), 1e-6 * (1.0 + exports(y))) << y.year;
  }
}

// The built-in 2024:2030 pathway builds NMC cells in China (options.csv cn_cells_nmc with its
// cathode cn_cam_nmc, added with the sourced Chinese build limit): without them the only NMC
// cathode options (DE, US: 100,000 t CAM a year each) capped NMC cells and 2030 went short. Each
// year the Chinese cell options together stay within 660 GWh, China's 2023 addition (IEA Global EV
// Outlook 2024 x 2023), although the engine caps each option alone.
TEST(PathwayRules, BuiltinPathwayBuildsChineseNmcCellsWithinTheSourcedLimit) {
  auto r = builtin_pathway("2024:2030");
  ASSERT_TRUE(r.ok()) << r.error().format();
  std::map<int, double> cn_cells, cn_nmc;
  for (const auto& b : r->builds) {
    if (b.option == "cn_cells_nmc" || b.option == "cn_cells_lfp") cn_cells[b.year] += b.capacity;
    if (b.option == "cn_cells_nmc") cn_nmc[b.year] += b.capacity;
  }
  double nmc = 0.0;
  for (const auto& [year, gwh] : cn_nmc) nmc += gwh;
  EXPECT_GT(nmc, 100.0);
  for (const auto& [year, gwh] : cn_cells) EXPECT_LE(gwh, 660.0 + 1e-6) << year;
  const auto& y2030 = r->years.back();
  ASSERT_EQ(y2030.year, 2030);
  for (const auto& u : y2030.result.unmet) {
    if (u.product == "cell_nmc") {
      EXPECT_NEAR(u.quantity, 0.0, 1e-6) << u.region;
    }
  }
}

// Options and projects act from 2025 on: the first year of the built-in pathway is the single-year
// 2024 baseline (the CLP objective 74,179.63404 M USD that test_engine.cpp pins), with no build
// dated 2024 and no build charge in it, in both demand paths; every build comes online in a year of
// the run after 2024 (options.csv lead times of 1 year included).
TEST(PathwayBuiltin, FirstYearIsTheSingleYearBaseline) {
  for (const char* path : {"steps", "aps"}) {
    PathwayOptions p;
    p.years = "2024:2027";
    p.demand_path = path;
    auto r = run_pathway(std::nullopt, RunOptions{}, p);
    ASSERT_TRUE(r.ok()) << path << ": " << r.error().format();
    ASSERT_EQ(r->years.size(), 4u) << path;
    EXPECT_EQ(r->years[0].year, 2024) << path;
    EXPECT_NEAR(r->years[0].result.objective_usd / 1e6, 74179.63404, 1e-5) << path;
    EXPECT_EQ(r->years[0].build_charge_usd, 0.0) << path;
    ASSERT_FALSE(r->builds.empty()) << path;
    for (const auto& b : r->builds) EXPECT_GE(b.year, 2025) << path << " " << b.asset;
  }
}

// Why the aps demand path used to go short of lithium (docs/pathways-outlook.md, "Sourced mining
// build limits and the aps shortfall"): the mining build limits bind. With the sourced limits,
// lead times and capex of options.csv (au_spodumene 116,200, ar_brine 59,000, cl_brine 56,000,
// zw_spodumene 87,200 t LCE a year) the built-in aps pathway meets all carbonate and hydroxide
// demand to 2032, and each of the four generic mining options still builds exactly at its yearly
// limit in 2030 (all owner nationalities together): the limits, not costs, pace mining, and the
// carbonate price is their scarcity price. That is primary supply alone: recycled lithium (pathway.toml
// [recycling], issue 8 item 5) relieves the costliest of them, so the limits are checked on the
// data without [recycling], and the built-in pathway with recycling must meet the same demand.
TEST(PathwayBuiltin, ApsLithiumDemandIsMetAtTheMiningBuildLimits) {
  BuiltinData b;
  ASSERT_NO_FATAL_FAILURE(load_builtin_data(b));
  auto& d = b.d;
  auto& data = b.pw;
  ASSERT_TRUE(data->recycling.enabled);
  auto dir = io::dataset_dir("lithium-2024");
  ASSERT_TRUE(dir.ok());
  // The built-in data with its [recycling] table (the file's last table) cut off.
  const fs::path primary = scratch("aps-primary");
  fs::create_directories(primary);
  for (const auto& e : fs::directory_iterator(*dir)) fs::copy_file(e.path(), primary / e.path().filename());
  std::string toml = read_file(*dir / "pathway.toml");
  ASSERT_NE(toml.find("\n[recycling]"), std::string::npos);
  toml.erase(toml.find("\n[recycling]") + 1);
  std::ofstream(primary / "pathway.toml", std::ios::trunc) << toml;
  PathwayOptions p;
  p.years = "2024:2032";
  p.demand_path = "aps";
  auto with_recycling = run_pathway(std::nullopt, RunOptions{}, p);
  ASSERT_TRUE(with_recycling.ok()) << with_recycling.error().format();
  RunOptions o;
  o.dataset = primary.string();
  auto r = run_pathway(std::nullopt, o, p);
  ASSERT_TRUE(r.ok()) << r.error().format();
  for (const auto* run : {&*r, &*with_recycling})
    for (const auto& y : run->years)
      for (const auto& u : y.result.unmet)
        if (u.product == "li2co3" || u.product == "lioh") EXPECT_NEAR(u.quantity, 0.0, 1e-6) << y.year << " " << u.product;
  for (const std::string id : {"au_spodumene", "ar_brine", "cl_brine", "zw_spodumene"}) {
    const auto o = std::find_if(data->options.begin(), data->options.end(), [&](const auto& x) { return x.id == id; });
    ASSERT_NE(o, data->options.end()) << id;
    ASSERT_TRUE(std::isfinite(o->max_build_per_year)) << id;
    double built = 0.0;
    for (const auto& b : r->builds)
      if (b.option == id && b.year == 2030) built += b.capacity;
    EXPECT_NEAR(built, o->max_build_per_year, 1e-6 * o->max_build_per_year) << id;
  }
}

TEST(PathwayCli, WritesYearColumnsBuildsAndSeries) {
  const fs::path out = scratch("cli");
  auto r = run_cli(fmt::format("run --dataset '{}' --years 2024:2030:5 --out '{}'", kMini.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2030"), std::string::npos);
  // The first line names the periods of a stepped run and has no stray space before a comma.
  EXPECT_NE(r.out.find("years 2024-2030 (3 periods: 2024, 2025, 2030), foresight, demand path"), std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')).find(" ,"), std::string::npos) << r.out;
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

// Issue 8 item 3 on the built-in data: data/lithium-2024/resources.csv loads, every deposit is a
// mining facility of the dataset (no option names a pool yet), and a 2024:2050:5 pathway reports
// each deposit's cumulative extraction within its tranches, tranche 1 drawn first. Without the
// file the built-in pathway has no depletion records at all.
TEST(PathwayResources, BuiltinDepositsLoadAndBoundExtraction) {
  BuiltinData b;
  ASSERT_NO_FATAL_FAILURE(load_builtin_data(b));
  auto& d = b.d;
  auto& pw = b.pw;
  ASSERT_GE(pw->resources.size(), 8u);
  std::map<std::string, double> total;
  for (const auto& t : pw->resources) {
    const auto f = std::find_if(d->facilities.begin(), d->facilities.end(),
                                [&](const auto& x) { return x.id == t.deposit; });
    ASSERT_NE(f, d->facilities.end()) << t.deposit << " names no facility";
    EXPECT_EQ(f->stage, "mining") << t.deposit;
    EXPECT_FALSE(t.prov.source.empty()) << t.deposit;
    total[t.deposit] += t.quantity;
  }
  // Greenbushes: IGO CY24 Ore Reserve 172 Mt at 1.9 % Li2O x 2.473 = 8.08 Mt LCE in tranche 1.
  ASSERT_TRUE(total.count("greenbushes"));
  EXPECT_NEAR(pw->resources.front().quantity, 172e6 * 0.019 * 2.473, 1000.0);

  PathwayOptions p;
  p.years = "2024:2050:5";
  auto r = run_pathway(std::nullopt, RunOptions{}, p);
  ASSERT_TRUE(r.ok()) << r.error().format();
  ASSERT_EQ(r->depletion.size(), total.size());
  double greenbushes = 0.0;
  for (const auto& dep : r->depletion) {
    ASSERT_EQ(dep.quantity.size(), dep.extracted.size()) << dep.deposit;
    double sum = 0.0;
    for (std::size_t i = 0; i < dep.quantity.size(); ++i) {
      EXPECT_LE(dep.extracted[i], dep.quantity[i] * (1 + 1e-9) + 1e-6) << dep.deposit << " tranche " << i + 1;
      // A costlier tranche is drawn only once the cheaper ones are exhausted.
      if (i > 0 && dep.extracted[i] > 1e-6) EXPECT_NEAR(dep.extracted[i - 1], dep.quantity[i - 1], 1e-6 * dep.quantity[i - 1]);
      sum += dep.extracted[i];
    }
    EXPECT_LE(sum, total[dep.deposit] * (1 + 1e-9)) << dep.deposit;
    if (dep.deposit == "greenbushes") greenbushes = sum;
  }
  // Greenbushes runs through the horizon: it extracts millions of t LCE, all from its reserve.
  EXPECT_GT(greenbushes, 1e6);
}

// Issue 8 item 2 on the built-in data: lithium-2024 has a projects.csv (planned PPG and Uyuni
// projects, capex and start years of the largest plants under construction). Without it the
// planned facilities are inactive and no build is of kind "project". With it a 2024:2050:5 run
// builds at least one planned project, never before its earliest year, and committed plants
// come online in their projects.csv year with their announced capex (Rincon: 2028).
TEST(PathwayBuiltin, ProjectPipelineFromProjectsCsv) {
  BuiltinData b;
  ASSERT_NO_FATAL_FAILURE(load_builtin_data(b));
  auto& d = b.d;
  auto& data = b.pw;
  ASSERT_GE(data->projects.size(), 6u);
  PathwayOptions p;
  p.years = "2024:2050:5";
  auto r = run_pathway(std::nullopt, RunOptions{}, p);
  ASSERT_TRUE(r.ok()) << r.error().format();
  int projects = 0;
  bool rincon = false;
  for (const auto& b : r->builds) {
    const auto* pr = data->find_project(b.asset);
    if (b.kind == "project") {
      ++projects;
      ASSERT_NE(pr, nullptr) << b.asset;
      EXPECT_GE(b.year, pr->earliest_year) << b.asset;
      EXPECT_GT(b.capex_usd, 0.0) << b.asset;
    }
    if (b.asset == "rincon_plant") {
      rincon = true;
      EXPECT_EQ(b.kind, "committed");
      EXPECT_EQ(b.year, 2028);
      EXPECT_NEAR(b.capex_usd, b.capacity * pr->capex_usd_per_unit, 1e-6 * b.capex_usd);
      EXPECT_GT(b.capex_usd, 0.0);
    }
  }
  EXPECT_GE(projects, 1);
  EXPECT_TRUE(rincon);
}

// Issue 8 item 4 on the built-in data: the sodium-ion share (outside:sodium_ion) and the lithium
// intensity paths of data/lithium-2024/paths.csv act. From the table's own rows, the lithium of
// each region's cells in 2035 is GWh x (LFP share x LFP intensity + NMC share x NMC intensity),
// the chemistry shares adding up to 1 - sodium share; the demand paths must give exactly that, the
// sodium-ion GWh as demand met outside the chain, and the LP of a 2024,2035 pathway must serve
// GWh x (1 - sodium share) of lithium cells and feed its cell plants cathode in proportion to the
// intensity (t CAM per GWh in 2035 = the 2024 recipe x intensity 2035 / products.csv value).
TEST(PathwayBuiltin, SodiumIonShareAndLithiumIntensityAct) {
  BuiltinData b;
  ASSERT_NO_FATAL_FAILURE(load_builtin_data(b));
  auto& d = b.d;
  auto& pw = b.pw;
  constexpr int kYear = 2035;
  // A series' value in `year` from the table: the path's own rows, else the "*" rows; linear
  // between points, held after the last (every series used here has a point at or before 2035).
  auto at = [&](const std::string& path, const std::string& series, const std::string& product,
                const std::string& region, int year) -> std::optional<double> {
    std::vector<std::pair<int, double>> pts;
    for (const char* which : {"own", "any"}) {
      for (const auto& r : pw->paths)
        if (r.series == series && r.product == product && r.region == region &&
            (std::string(which) == "own" ? r.path == path : r.path == "*"))
          pts.emplace_back(r.year, r.value);
      if (!pts.empty()) break;
    }
    if (pts.empty()) return std::nullopt;
    std::sort(pts.begin(), pts.end());
    if (year <= pts.front().first) return year == pts.front().first ? std::optional<double>(pts.front().second) : std::nullopt;
    for (std::size_t i = 1; i < pts.size(); ++i)
      if (year <= pts[i].first)
        return pts[i - 1].second + (pts[i].second - pts[i - 1].second) * (year - pts[i - 1].first) /
                                       static_cast<double>(pts[i].first - pts[i - 1].first);
    return pts.back().second;
  };
  const auto* lfp = d->find_product("cell_lfp");
  const auto* nmc = d->find_product("cell_nmc");
  ASSERT_TRUE(lfp && nmc);
  const double c_lfp = *d->contained_per_unit(*lfp), c_nmc = *d->contained_per_unit(*nmc);
  const auto i_lfp = at("*", "intensity", "cell_lfp", "*", kYear);
  const auto i_nmc = at("*", "intensity", "cell_nmc", "*", kYear);
  ASSERT_TRUE(i_lfp && i_nmc) << "paths.csv lost its intensity rows";
  EXPECT_LT(*i_lfp, 0.99 * c_lfp);
  EXPECT_LT(*i_nmc, 0.99 * c_nmc);

  for (const std::string path : {"steps", "aps"}) {
    auto s = model::evaluate_paths(*d, *pw, path, 2050);
    ASSERT_TRUE(s.ok()) << s.error().format();
    const auto k = static_cast<std::size_t>(s->index(kYear));
    EXPECT_NEAR(s->factor("cell_lfp", kYear), *i_lfp / c_lfp, 1e-12);
    EXPECT_NEAR(s->factor("cell_nmc", kYear), *i_nmc / c_nmc, 1e-12);
    double sodium_world = 0.0, gwh_world = 0.0;
    std::map<std::string, double> lithium_cells_gwh;  // region -> GWh of lithium cells the table asks
    for (const auto& reg : d->regions) {
      const auto total = at(path, "total", "", reg.id, kYear);
      const auto s_lfp = at(path, "share", "cell_lfp", reg.id, kYear);
      const auto s_nmc = at(path, "share", "cell_nmc", reg.id, kYear);
      ASSERT_TRUE(total && s_lfp && s_nmc) << path << " " << reg.id;
      const double s_na = at(path, "share", "outside:sodium_ion", reg.id, kYear).value_or(0.0);
      EXPECT_NEAR(*s_lfp + *s_nmc, 1.0 - s_na, 1e-9) << path << " " << reg.id;
      const double expected_li = *total * (*s_lfp * *i_lfp + *s_nmc * *i_nmc);
      double li = 0.0, gwh = 0.0;
      for (std::size_t j = 0; j < s->rows.size(); ++j) {
        const auto& row = s->rows[j];
        if (row.region != reg.id || (row.product != "cell_lfp" && row.product != "cell_nmc")) continue;
        const double q = s->demand[k][j];
        gwh += q;
        li += q * (row.product == "cell_lfp" ? c_lfp : c_nmc) * s->factor(row.product, kYear);
      }
      EXPECT_NEAR(gwh, *total * (1.0 - s_na), 1e-6 * *total) << path << " " << reg.id;
      EXPECT_NEAR(li, expected_li, 1e-6 * expected_li) << path << " " << reg.id;
      double outside = 0.0;
      for (const auto& o : s->outside)
        if (o.region == reg.id && o.name == "sodium_ion") outside += o.quantity[k];
      EXPECT_NEAR(outside, *total * s_na, 1e-6 * *total) << path << " " << reg.id;
      sodium_world += outside;
      gwh_world += *total;
      lithium_cells_gwh[reg.id] = gwh;
    }
    // BloombergNEF's base case: sodium-ion about 7 % of lithium demand in 2035 (paths.csv).
    EXPECT_GT(sodium_world, 0.05 * gwh_world) << path;

    if (path != "steps") continue;
    // The LP: lithium cells served (delivered or unmet) and cathode fed per GWh made.
    PathwayOptions p;
    p.years = "2024,2035";
    auto r = run_pathway(std::nullopt, RunOptions{}, p);
    ASSERT_TRUE(r.ok()) << r.error().format();
    ASSERT_EQ(r->years.size(), 2u);
    std::map<std::string, double> served;
    std::map<std::pair<int, std::string>, double> cam_used, cells_made;
    for (const auto& y : r->years) {
      for (const auto& f : y.result.flows) {
        if (f.family == "deliver" && (f.product == "cell_lfp" || f.product == "cell_nmc") && y.year == kYear)
          served[f.to] += f.quantity;
        if (f.family == "use" && (f.product == "cam_lfp" || f.product == "cam_nmc")) cam_used[{y.year, f.product}] += f.quantity;
        if (f.family == "prod" && (f.product == "cell_lfp" || f.product == "cell_nmc")) cells_made[{y.year, f.product}] += f.quantity;
      }
      if (y.year != kYear) continue;
      for (const auto& u : y.result.unmet) {
        if (u.product == "cell_lfp" || u.product == "cell_nmc") served[u.region] += u.quantity;
      }
    }
    for (const auto& [region, gwh] : lithium_cells_gwh)
      EXPECT_NEAR(served[region], gwh, 1e-6 * gwh + 1e-6) << region;
    for (const auto& [cam, cell, c, i] : {std::tuple{"cam_lfp", "cell_lfp", c_lfp, *i_lfp}, std::tuple{"cam_nmc", "cell_nmc", c_nmc, *i_nmc}}) {
      const double made_2024 = cells_made[std::make_pair(2024, std::string(cell))];
      const double made_2035 = cells_made[std::make_pair(kYear, std::string(cell))];
      ASSERT_GT(made_2024, 0.0) << cell;
      ASSERT_GT(made_2035, 0.0) << cell;
      const double per_gwh_2024 = cam_used[std::make_pair(2024, std::string(cam))] / made_2024;
      const double per_gwh_2035 = cam_used[std::make_pair(kYear, std::string(cam))] / made_2035;
      EXPECT_NEAR(per_gwh_2035, per_gwh_2024 * i / c, 1e-6 * per_gwh_2024) << cell;
    }
  }
}

// Issue 8 item 5 on the built-in data: lithium-2024 recycles. The end-of-life feed of every region
// in 2040 is positive and equals the cohort arithmetic written out here in closed form (cells placed
// on the market, history from placed_on_market.csv and the demand path after, times their in-use
// lithium, times the Weibull probability of retiring at that age, times collection); none in the
// dataset year. A 2024:2050:5 run recycles: in 2040 recyclers (the secondary stage) use feed,
// never more than is available, and make a product of another stage (recovered lithium enters the
// market that stage's customers buy from). Without [recycling] the feed is zero and this fails.
TEST(PathwayBuiltin, RecyclingFeedFollowsTheCohortModel) {
  BuiltinData b;
  ASSERT_NO_FATAL_FAILURE(load_builtin_data(b));
  auto& d = b.d;
  auto& data = b.pw;
  const auto& rc = data->recycling;
  ASSERT_TRUE(rc.enabled);
  ASSERT_FALSE(data->placed_on_market.empty());
  chain::PathwayOptions o;
  o.years = {2024, 2030, 2035, 2040, 2050};
  o.demand_path = data->demand_path;
  auto pw = chain::Pathway::prepare(*d, *data, o);
  ASSERT_TRUE(pw.ok()) << pw.error().format();
  const auto& series = pw->series();
  // History as read: China placed 415 GWh of cells on the market in 2023 (IEA).
  double cn2023 = 0.0;
  for (const auto& pl : series.placed)
    if (pl.region == "CN") cn2023 += pl.quantity[static_cast<std::size_t>(2023 - pl.first_year)];
  EXPECT_NEAR(cn2023, 415.0, 1e-9);

  auto survival = [&](double x) { return std::exp(-std::pow(x / rc.lifetime_scale, rc.lifetime_shape)); };
  const auto* feed = d->find_product(rc.feed);
  ASSERT_NE(feed, nullptr);
  const double feed_c = *d->contained_per_unit(*feed);
  const int k2040 = 3;
  double world = 0.0;
  for (const auto& reg : d->regions) {
    double expect = 0.0;
    for (const auto& pl : series.placed) {
      if (pl.region != reg.id) continue;
      const auto* prod = d->find_product(pl.product);
      ASSERT_NE(prod, nullptr);
      double c = *d->contained_per_unit(*prod);
      if (prod->stage == rc.scrap_stage) c *= 1.0 - rc.scrap_share;  // the production scrap left at the plant
      for (std::size_t t = 0; t < pl.quantity.size(); ++t) {
        const int year = pl.first_year + static_cast<int>(t);
        if (year >= 2040) break;
        const int age = 2040 - year;
        expect += pl.quantity[t] * c * series.factor(pl.product, std::max(year, 2024)) * (survival(age - 1) - survival(age));
      }
    }
    EXPECT_GT(expect, 0.0) << reg.id;
    EXPECT_NEAR(pw->end_of_life(reg.id, k2040), expect, 1e-9 * expect) << reg.id;
    const double collected = expect * series.collection_rate(reg.id, 2040, rc.default_collection) / feed_c;
    EXPECT_NEAR(pw->feed_available(reg.id, k2040), collected, 1e-9 * collected) << reg.id;
    EXPECT_EQ(pw->feed_available(reg.id, 0), 0.0) << reg.id;  // the dataset year is the single-year model
    world += collected;
  }
  EXPECT_GT(world, 10000.0);  // t LCE a year

  PathwayOptions p;
  p.years = "2024:2050:5";
  auto r = run_pathway(std::nullopt, RunOptions{}, p);
  ASSERT_TRUE(r.ok()) << r.error().format();
  const auto y = std::find_if(r->years.begin(), r->years.end(), [](const auto& x) { return x.year == 2040; });
  ASSERT_NE(y, r->years.end());
  double used = 0.0;
  for (const auto& [region, q] : y->feed_used) {
    EXPECT_LE(q, y->feed_available.at(region) * (1 + 1e-9) + 1e-6) << region;
    used += q;
  }
  for (const auto& reg : d->regions)
    EXPECT_NEAR(y->feed_available.at(reg.id), pw->feed_available(reg.id, k2040), 1e-9 * pw->feed_available(reg.id, k2040))
        << reg.id;
  EXPECT_GT(used, 0.0);
  double recovered = 0.0;
  for (const auto& f : y->result.facilities) {
    const auto* stage = d->find_stage(f.stage);
    if (!stage || !stage->secondary || f.output <= 0.0) continue;
    const auto* out = d->find_product(f.product);
    ASSERT_NE(out, nullptr) << f.id;
    EXPECT_NE(out->stage, f.stage) << f.id;
    EXPECT_EQ(out->stage, "refining") << f.id;  // lithium-2024: recovered lithium is carbonate
    recovered += f.output;
  }
  EXPECT_GT(recovered, 0.0);
  // Recyclers recover at most what they take in (end-of-life feed plus production scrap), and a
  // region's end-of-life feed is drawn only for what its recyclers take (never drawn and disposed).
  std::map<std::string, std::string> region_of, country_of;
  for (const auto& c : d->countries) region_of[c.code] = c.region;
  for (const auto& f : y->result.facilities) country_of[f.id] = f.country;
  std::map<std::string, double> taken;
  double feed_in = 0.0;
  for (const auto& fl : y->result.flows)
    if (fl.family == "use" && fl.product == rc.feed) {
      feed_in += fl.quantity;
      taken[region_of[country_of[fl.element]]] += fl.quantity;
    }
  EXPECT_GE(feed_in * feed_c, recovered * (1 - 1e-9));
  for (const auto& [region, q] : y->feed_used) EXPECT_LE(q, taken[region] * (1 + 1e-9) + 1e-6) << region;
}

// [recycling] and the scrap it implies, bad on the built-in data: exit 2 naming file, line and key.
TEST(PathwayCli, BadRecyclingInputExitsTwoNamingFileLineAndKey) {
  const fs::path src = fs::path(CADENA_SOURCE_DIR) / "data/lithium-2024";
  const std::string toml = read_file(src / "pathway.toml");
  auto line_of = [](const std::string& text, const std::string& what) {
    const auto at = text.find(what);
    return at == std::string::npos ? -1 : 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
  };
  auto replaced = [](std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  };
  struct Case {
    std::string name, file, from, to, key;
  };
  const std::string products = read_file(src / "products.csv");
  const std::vector<Case> cases{
      {"shape", "pathway.toml", "lifetime_shape = 4.23", "lifetime_shape = 0", "recycling.lifetime_shape"},
      {"scale", "pathway.toml", "lifetime_scale = 16.50", "lifetime_scale = -3", "recycling.lifetime_scale"},
      {"collect", "pathway.toml", "collection = 0.5", "collection = 1.5", "recycling.collection"},
      {"share", "pathway.toml", "scrap_share = 0.08", "scrap_share = 2", "recycling.scrap_share"},
      {"key", "pathway.toml", "scrap_share = 0.08", "scrap_rate = 0.08", "recycling.scrap_rate"},
      {"feed", "pathway.toml", "feed = \"black_mass\"", "feed = \"blackmass\"", "recycling.feed"},
      {"stage", "pathway.toml", "scrap_stage = \"cells\"", "scrap_stage = \"cell\"", "recycling.scrap_stage"},
      // A cell counted with more lithium than its recipe holds: the scrap would come on top.
      {"gross", "products.csv", "GWh,cells,515,", "GWh,cells,560,", "inputs"},
  };
  for (const auto& c : cases) {
    const fs::path dir = scratch("recy-" + c.name);
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(src)) fs::copy_file(e.path(), dir / e.path().filename());
    const std::string text = c.file == "pathway.toml" ? toml : products;
    std::ofstream(dir / c.file, std::ios::trunc) << replaced(text, c.from, c.to);
    const fs::path out = scratch("recy-" + c.name + "-out");
    auto r = run_cli(fmt::format("run --dataset '{}' --years 2024:2030 --out '{}'", dir.string(), out.string()));
    EXPECT_EQ(r.exit_code, 2) << c.name << ": " << r.err;
    // The file and line of the bad value: the [recycling] key's line, or the first LFP cell plant.
    const std::string where =
        c.file == "pathway.toml"
            ? fmt::format("pathway.toml:{}", line_of(toml, c.from))
            : fmt::format("facilities.csv:{}", line_of(read_file(src / "facilities.csv"), "\ncatl_cn_lfp,") + 1);
    EXPECT_NE(r.err.find(where), std::string::npos) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.key), std::string::npos) << c.name << ": " << r.err;
    EXPECT_FALSE(fs::exists(out)) << c.name;
  }
}

}  // namespace
}  // namespace cadena::engine
