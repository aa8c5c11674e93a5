// The scenario workflow end to end: sweeps (engine/sweep.hpp), comparisons (engine/compare.hpp,
// report/compare.hpp), value added per country (analytics/value_added.hpp) and their CLI forms.
// Numbers are hand-solved on the two-mines fixture (tests/fixtures/chain/two-mines): 60 t CN
// carbonate demand, 66 t of concentrate from the AU mine at 500 + 100 transport, refined at 1000:
// optimum 99,600 USD; CN carbonate price 1660; CO2 2 t per t of ore and 5 t per t of carbonate.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cadena/analytics/value_added.hpp"
#include "cadena/engine/compare.hpp"
#include "cadena/engine/sweep.hpp"
#include "cadena/report/compare.hpp"
#include "cadena/report/run_report.hpp"
#include "cadena/report/sweep_table.hpp"
#include "../../integration/cli_run.hpp"

namespace cadena::engine {
namespace {

namespace fs = std::filesystem;
using test::read_file;
using test::run_cli;

const fs::path kFixtures = fs::path(CADENA_FIXTURES_DIR);
const fs::path kTwoMines = kFixtures / "chain/two-mines";

fs::path scratch(const std::string& name) {
  fs::path p = fs::temp_directory_path() / fmt::format("cadena-workflow-test-{}", ::getpid()) / name;
  fs::remove_all(p);
  fs::create_directories(p.parent_path());
  return p;
}

class ScratchCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(fs::temp_directory_path() / fmt::format("cadena-workflow-test-{}", ::getpid()), ec);
  }
};
[[maybe_unused]] const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

RunOptions two_mines() {
  RunOptions o;
  o.dataset = kTwoMines.string();
  return o;
}

TEST(Sweep, ValuesAreRoundedAndIncludeTheEnd) {
  auto spec = parse_sweep("carbon_price_usd_per_t=0:1:0.1");
  ASSERT_TRUE(spec.ok()) << spec.error().format();
  auto v = sweep_values(*spec);
  ASSERT_EQ(v.size(), 11u);
  EXPECT_EQ(fmt::format("{}", v[3]), "0.3");
  EXPECT_DOUBLE_EQ(v.back(), 1.0);
  auto down = parse_sweep("x=10:0:-5");
  ASSERT_TRUE(down.ok());
  EXPECT_EQ(sweep_values(*down), (std::vector<double>{10, 5, 0}));
  auto one = parse_sweep("x=3:3:0");
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(sweep_values(*one).size(), 1u);
}

TEST(Sweep, BadSpecsNameWhatIsWrong) {
  for (const char* bad : {"nokey", "x=1:2", "x=1:2:3:4", "x=a:2:1", "x=0:10:-1", "x=0:10:0", "x=0:1e9:1", "=0:1:1"}) {
    auto spec = parse_sweep(bad);
    ASSERT_FALSE(spec.ok()) << bad;
    EXPECT_NE(spec.error().category, ErrorCategory::Internal) << bad;
  }
  auto sign = parse_sweep("x=0:10:-1");
  EXPECT_EQ(sign.error().category, ErrorCategory::Value);
  EXPECT_EQ(sign.error().context.key, "x");
}

TEST(Sweep, CarbonPriceRaisesTheCostByTheChainsEmissions) {
  // Emissions: 66 t ore x 2 + 60 t carbonate x 5 = 432 t CO2; the AU mine stays cheapest at any
  // price (500 + 100 + 2c < 800 + 3c), so cost = 99,600 + 432 c.
  auto spec = parse_sweep("carbon_price_usd_per_t=0:100:50");
  ASSERT_TRUE(spec.ok());
  auto t = run_sweep(std::nullopt, two_mines(), *spec, {"objective_usd", "prices.*.li2co3", "emissions_t_co2"});
  ASSERT_TRUE(t.ok()) << t.error().format();
  ASSERT_EQ(t->columns, (std::vector<std::string>{"objective_usd", "prices.CN.li2co3", "emissions_t_co2"}));
  ASSERT_EQ(t->rows.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const double c = 50.0 * static_cast<double>(i);
    EXPECT_EQ(t->rows[i].status, "optimal");
    EXPECT_NEAR(*t->rows[i].cells[0], 99600 + 432 * c, 1e-6);
    EXPECT_NEAR(*t->rows[i].cells[1], 1660 + 7.2 * c, 1e-6);  // 1000 + 5c + 1.1 (600 + 2c)
    EXPECT_NEAR(*t->rows[i].cells[2], 432, 1e-9);
  }
  EXPECT_EQ(t->rows[1].value, "50");
  const std::string csv = report::sweep_csv(*t);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "carbon_price_usd_per_t,status,objective_usd,prices.CN.li2co3,emissions_t_co2");
  auto j = nlohmann::json::parse(report::sweep_json(*t));
  EXPECT_EQ(j["rows"][2]["outputs"]["objective_usd"].get<double>(), 99600 + 432 * 100);
}

TEST(Sweep, DemandSweepCrossesTheAuMinesCapacity) {
  // 120 t: the AU mine at capacity (100 t), the CN mine makes 32 t: 205,600 USD (fixture
  // two-mines-demand-120.toml); the AU mine's share of mining falls from 1 to 100/132.
  auto spec = parse_sweep("demand.CN.li2co3.quantity=60:120:60");
  ASSERT_TRUE(spec.ok());
  auto t = run_sweep(std::nullopt, two_mines(), *spec,
                     {"objective_usd", "stages.mining.by_country.*.share"});
  ASSERT_TRUE(t.ok()) << t.error().format();
  ASSERT_EQ(t->columns.size(), 2u);  // only AU produces in the first run
  EXPECT_EQ(t->columns[1], "stages.mining.by_country.AU.share");
  EXPECT_NEAR(*t->rows[0].cells[0], 99600, 1e-6);
  EXPECT_NEAR(*t->rows[1].cells[0], 205600, 1e-6);
  EXPECT_NEAR(*t->rows[1].cells[1], 100.0 / 132.0, 1e-9);
}

TEST(Sweep, BadKeyOrValueNamesTheSweep) {
  auto spec = parse_sweep("facility.mine_au.capacity=-10:10:10");
  ASSERT_TRUE(spec.ok());
  auto t = run_sweep(std::nullopt, two_mines(), *spec);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().context.file, "--sweep");
  EXPECT_EQ(t.error().context.key, "capacity");
  EXPECT_NE(t.error().message.find("facility.mine_au.capacity=-10"), std::string::npos) << t.error().message;
  auto key = parse_sweep("facility.mine_au.capcity=0:10:10");
  ASSERT_TRUE(key.ok());
  auto k = run_sweep(std::nullopt, two_mines(), *key);
  ASSERT_FALSE(k.ok());
  EXPECT_EQ(k.error().category, ErrorCategory::Syntax);
  auto metric = run_sweep(std::nullopt, two_mines(), *parse_sweep("carbon_price_usd_per_t=0:1:1"), {"prices.XX.li2co3"});
  ASSERT_FALSE(metric.ok());
  EXPECT_EQ(metric.error().context.key, "--metric");
  EXPECT_NE(metric.error().message.find("CN"), std::string::npos);  // says what prices holds
}

TEST(ValueAdded, RevenueAtMarketPricesMinusChainInputs) {
  auto in = load_run_input(std::nullopt, kTwoMines.string());
  ASSERT_TRUE(in.ok()) << in.error().format();
  auto rep = run_dataset(*in);
  ASSERT_TRUE(rep.ok()) << rep.error().format();
  // AU: 66 t at the AU market price 500 (its mine is below capacity) = 33,000, no chain inputs.
  // CN: 60 t at 1660 = 99,600 minus 66 t at the CN price 600 = 60,000. With transport (6,600)
  // the two add up to the optimum.
  ASSERT_EQ(rep->value_added.size(), 2u);
  EXPECT_EQ(rep->value_added[0].country, "CN");
  EXPECT_NEAR(rep->value_added[0].value_added_usd, 60000, 1e-6);
  EXPECT_NEAR(rep->value_added[0].input_cost_usd, 39600, 1e-6);
  EXPECT_EQ(rep->value_added[1].country, "AU");
  EXPECT_NEAR(rep->value_added[1].value_added_usd, 33000, 1e-6);
  auto j = nlohmann::json::parse(report::summary_json(*rep));
  EXPECT_NEAR(j["value_added"]["CN"]["value_added_usd"].get<double>(), 60000, 1e-6);
  EXPECT_EQ(j["contained_unit"], "t LCE");
  EXPECT_EQ(j["contained_per_unit"]["li2co3"].get<double>(), 1.0);
}

TEST(Compare, DeltasOfTwoRunsOfTheFixture) {
  RunOptions base = two_mines();
  RunOptions more = two_mines();
  more.set = {"demand.CN.li2co3.quantity=120"};
  auto a = load_snapshot("baseline", base, "");
  auto b = load_snapshot("baseline", more, "");
  ASSERT_TRUE(a.ok()) << a.error().format();
  ASSERT_TRUE(b.ok()) << b.error().format();
  auto c = report::compare_runs(*a, *b);
  ASSERT_TRUE(c.ok()) << c.error().format();
  EXPECT_EQ(c->b.overrides, (std::vector<std::string>{"demand.CN.li2co3.quantity=120"}));
  ASSERT_FALSE(c->totals.empty());
  EXPECT_EQ(c->totals[0].key, "total cost");
  EXPECT_NEAR(c->totals[0].value.delta(), 205600 - 99600, 1e-6);
  // The CN mine enters: 32 t of mining output; by location AU 100 % -> 100/132.
  ASSERT_EQ(c->stages[0].stage, "mining");
  const auto& loc = c->stages[0].by_country;
  ASSERT_EQ(loc.size(), 2u);
  EXPECT_EQ(loc[0].key, "AU");
  EXPECT_NEAR(loc[0].value.delta(), 100.0 / 132.0 - 1.0, 1e-9);
  EXPECT_EQ(loc[1].key, "CN");
  EXPECT_FALSE(loc[1].value.a.has_value());  // absent in A, not a zero share
  // The AU->CN concentrate flow rose from 66 to 100 t (the only trade flow).
  ASSERT_EQ(c->flows.size(), 1u);
  EXPECT_NEAR(c->flows[0].quantity.delta(), 34, 1e-6);
  EXPECT_NEAR(c->flows[0].contained_delta, 34, 1e-6);
  // JSON: the documented structure.
  auto j = nlohmann::json::parse(report::compare_json(*c));
  for (const char* key : {"a", "b", "contained_unit", "totals", "prices", "market_prices", "stages", "value_added",
                          "unmet", "rules", "flows", "notes"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_NEAR(j["stages"][0]["by_country"][0]["delta_pp"].get<double>(), 100.0 * (100.0 / 132.0 - 1.0), 1e-3);
  EXPECT_EQ(j["totals"][0]["delta"].get<double>(), 106000);
  const std::string text = report::compare_text(*c);
  EXPECT_NE(text.find("+106000"), std::string::npos) << text;
}

TEST(Compare, RulesBindingInEitherRunAreListedWithTheirDuals) {
  // Two hand-written summaries: a rule binding only in B.
  report::RunSnapshot a{"a", R"({"objective_usd": 10, "rules": [{"id": "q1", "kind": "quota", "unit": "t",
      "activity": 5, "bound": 8, "dual_usd_per_unit": 0, "binding": false},
      {"id": "never", "kind": "cap", "binding": false}]})", {}};
  report::RunSnapshot b{"b", R"({"objective_usd": 12, "rules": [{"id": "q1", "kind": "quota", "unit": "t",
      "activity": 8, "bound": 8, "dual_usd_per_unit": -250, "binding": true}]})", {}};
  auto c = report::compare_runs(a, b);
  ASSERT_TRUE(c.ok()) << c.error().format();
  ASSERT_EQ(c->rules.size(), 1u);
  EXPECT_EQ(c->rules[0].id, "q1");
  EXPECT_FALSE(c->rules[0].binding_a);
  EXPECT_TRUE(c->rules[0].binding_b);
  EXPECT_EQ(*c->rules[0].dual_usd.b, -250);
  auto bad = report::compare_runs(a, report::RunSnapshot{"broken", "{not json", {}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().context.file, "broken");
}

TEST(CompareCli, FoldersScenariosAndBaselineAndBadInput) {
  const fs::path out = scratch("cmp-a");
  auto r = run_cli(fmt::format("run --dataset '{}' --out '{}'", kTwoMines.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto c = run_cli(fmt::format("compare '{}' '{}' --json", out.string(),
                               (kFixtures / "chain/two-mines-demand-120.toml").string()));
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto j = nlohmann::json::parse(c.out);
  EXPECT_EQ(j["totals"][0]["a"].get<double>(), 99600);
  EXPECT_EQ(j["totals"][0]["b"].get<double>(), 205600);
  EXPECT_EQ(j["b"]["scenario"], "two-mines-demand-120");

  auto text = run_cli(fmt::format("compare '{}' '{}'", out.string(), out.string()));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("trade flows: none changed"), std::string::npos) << text.out;

  auto missing = run_cli(fmt::format("compare '{}' no-such-run", out.string()));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("key 'B'"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("no-such-run"), std::string::npos) << missing.err;
  EXPECT_TRUE(missing.out.empty());

  const fs::path empty = scratch("cmp-empty");
  fs::create_directories(empty);
  auto no_summary = run_cli(fmt::format("compare '{}' '{}'", empty.string(), out.string()));
  EXPECT_EQ(no_summary.exit_code, 2);
  EXPECT_NE(no_summary.err.find("summary.json"), std::string::npos) << no_summary.err;
}

// --report FILE writes the HTML page (kind "compare", the comparison --json prints); bad input
// or a folder that does not exist is exit 2 with nothing written.
TEST(CompareCli, HtmlReportAndBadInput) {
  const fs::path out = scratch("cmp-report-a");
  auto r = run_cli(fmt::format("run --dataset '{}' --out '{}'", kTwoMines.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path page = scratch("cmp-report") / "compare.html";
  fs::create_directories(page.parent_path());
  const std::string b = (kFixtures / "chain/two-mines-demand-120.toml").string();
  auto c = run_cli(fmt::format("compare '{}' '{}' --json --report '{}'", out.string(), b, page.string()));
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const auto j = nlohmann::ordered_json::parse(c.out);  // --json keeps stdout pure JSON
  const std::string html = read_file(page);
  EXPECT_NE(html.find("\"kind\":\"compare\""), std::string::npos);
  EXPECT_NE(html.find("\"comparison\":" + j.dump()), std::string::npos) << "the page holds what --json printed";
  EXPECT_NE(html.find("\"run_b\":{\"kind\":\"run\""), std::string::npos);

  auto text = run_cli(fmt::format("compare '{}' '{}' --report '{}'", out.string(), b, page.string()));
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("wrote " + page.string()), std::string::npos) << text.out;

  const fs::path other = page.parent_path() / "other.html";
  auto missing = run_cli(fmt::format("compare '{}' no-such-run --report '{}'", out.string(), other.string()));
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_FALSE(fs::exists(other));
  const fs::path nowhere = page.parent_path() / "no-such-folder" / "compare.html";
  auto bad_path = run_cli(fmt::format("compare '{}' '{}' --report '{}'", out.string(), b, nowhere.string()));
  EXPECT_EQ(bad_path.exit_code, 2);
  EXPECT_NE(bad_path.err.find("no-such-folder"), std::string::npos) << bad_path.err;
  EXPECT_TRUE(bad_path.out.empty()) << "nothing printed when the report cannot be written";
  EXPECT_FALSE(fs::exists(nowhere));
}

TEST(CompareCli, StoredRunsById) {
  const fs::path db = scratch("cmp-store") / "runs.db";
  fs::create_directories(db.parent_path());
  auto r1 = run_cli(fmt::format("run --dataset '{}' --out '{}' --db '{}'", kTwoMines.string(),
                                scratch("cmp-s1").string(), db.string()));
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  auto r2 = run_cli(fmt::format("run --dataset '{}' --set carbon_price_usd_per_t=100 --out '{}' --db '{}'",
                                kTwoMines.string(), scratch("cmp-s2").string(), db.string()));
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  auto c = run_cli(fmt::format("compare 1 2 --db '{}' --json", db.string()));
  ASSERT_EQ(c.exit_code, 0) << c.err;
  auto j = nlohmann::json::parse(c.out);
  EXPECT_EQ(j["totals"][0]["delta"].get<double>(), 43200);  // 432 t CO2 x 100 USD
  EXPECT_EQ(j["b"]["overrides"][0], "carbon_price_usd_per_t=100");
  auto none = run_cli(fmt::format("compare 1 7 --db '{}'", db.string()));
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("no run '7'"), std::string::npos) << none.err;
}

TEST(SweepCli, WritesOneTableAndRefusesBadInput) {
  const fs::path out = scratch("sweep");
  auto r = run_cli(fmt::format("run --dataset '{}' --sweep carbon_price_usd_per_t=0:100:50 --metric objective_usd "
                               "--out '{}'",
                               kTwoMines.string(), out.string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string csv = read_file(out / "sweep.csv");
  EXPECT_EQ(csv, "carbon_price_usd_per_t,status,objective_usd\n0,optimal,99600\n50,optimal,121200\n100,optimal,142800\n");
  EXPECT_TRUE(fs::exists(out / "sweep.json"));

  for (const char* bad : {"--sweep carbon_price_usd_per_t=0:100", "--sweep nokey=0:1:1",
                          "--sweep carbon_price_usd_per_t=0:10:1 --metric nothing.here",
                          "--sweep carbon_price_usd_per_t=-10:0:10", "--metric objective_usd",
                          "--set facility.mine_au.capacity=-1", "--set nokey=1"}) {
    const fs::path none = scratch("sweep-bad");
    auto b = run_cli(fmt::format("run --dataset '{}' {} --out '{}'", kTwoMines.string(), bad, none.string()));
    EXPECT_EQ(b.exit_code, 2) << bad << ": " << b.err;
    EXPECT_FALSE(fs::exists(none)) << bad;  // nothing written
    EXPECT_EQ(std::count(b.err.begin(), b.err.end(), '\n'), 1) << bad << ": " << b.err;  // one line
  }
}

}  // namespace
}  // namespace cadena::engine
