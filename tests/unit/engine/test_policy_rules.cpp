// The two leaks of issue 9 on the built-in data, and the example policy scenarios: each test
// fails if the leak reopens (a duty that lets concentrate leave duty-free, a tariff that Chinese
// cells escape by transiting Argentina) or a scenario's rule stops doing what its README says.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "cadena/engine/run.hpp"
#include "cadena/io/dataset_io.hpp"

namespace cadena::engine {
namespace {

namespace fs = std::filesystem;

fs::path scenario(const char* name) { return fs::path(CADENA_SOURCE_DIR) / "scenarios" / (std::string(name) + ".toml"); }

report::RunReport run_ok(const std::optional<fs::path>& file, std::vector<std::string> set = {}) {
  RunOptions o;
  o.set = std::move(set);
  auto r = run(file, o);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? *r : report::RunReport{};
}

double traded(const chain::ChainResult& r, const std::string& from, const std::string& to, const std::string& product) {
  double q = 0;
  for (const auto& f : r.flows)
    if (f.family == "flow" && f.product == product && (from == "*" || f.from == from) && (to == "*" || f.to == to))
      q += f.quantity;
  return q;
}

const chain::RuleRecord* rule_of(const chain::ChainResult& r, const std::string& id) {
  auto it = std::find_if(r.rules.begin(), r.rules.end(), [&](const auto& x) { return x.id == id; });
  return it == r.rules.end() ? nullptr : &*it;
}

// Leak (a): a 20 % duty on carbonate and hydroxide only lets Argentine brine concentrate leave
// for China duty-free (reproducer: more than 10 kt LCE of it is exported). The scenario that
// charges concentrate too keeps it home and raises more duty.
TEST(PolicyLeaks, ExportDutyOnCompoundsOnlyLeaksThroughConcentrateAndThePerProductDutyClosesIt) {
  auto compounds = run_ok(std::nullopt, {"policy.export_duty.li2co3.AR.*.rate=0.2", "policy.export_duty.lioh.AR.*.rate=0.2"});
  EXPECT_GT(traded(compounds.result, "AR", "*", "brine_conc"), 10000);
  auto all = run_ok(scenario("ar-export-duty-concentrate"));
  EXPECT_NEAR(traded(all.result, "AR", "*", "brine_conc"), 0, 1e-6);
  EXPECT_GT(all.result.duties_usd, compounds.result.duties_usd + 50e6);
}

// Leak (b): without rules of origin Chinese LFP cells reach the US through Argentina at the 3.4 %
// MFN duty (reproducer: the built-in data with its rules removed ships cells CN -> AR -> US).
// With the built-in origin tariffs (data/lithium-2024/rules.csv) no cell transits Argentina, and
// every Chinese-origin cell entering the US pays 10.9 % x 55 M USD per GWh.
TEST(PolicyLeaks, ChineseCellsThroughArgentinaPayTheChinaTariff) {
  auto data = io::load_builtin();
  ASSERT_TRUE(data.ok());
  RunInput in;
  in.dataset = *data;
  in.dataset.rules.clear();
  in.scenario = "no-origin-rules";
  auto leaky = run_dataset(in);
  ASSERT_TRUE(leaky.ok());
  EXPECT_GT(traded(leaky->result, "CN", "AR", "cell_lfp"), 1.0);
  EXPECT_GT(traded(leaky->result, "AR", "US", "cell_lfp"), 1.0);

  const auto base = run_ok(std::nullopt);
  EXPECT_NEAR(traded(base.result, "CN", "AR", "cell_lfp"), 0, 1e-6);
  const auto* lfp = rule_of(base.result, "us_301_cn_cell_lfp");
  ASSERT_NE(lfp, nullptr);
  EXPECT_GT(lfp->quantity, 1.0);
  EXPECT_NEAR(lfp->payment_usd, lfp->quantity * 0.109 * 55e6, 1e-6 * lfp->payment_usd);
  EXPECT_GE(base.result.objective_usd, leaky->result.objective_usd);  // closing a leak never saves
}

// The example scenarios' rules do what scenarios/README.md says (signs and bindings; the numbers
// are in the README).
TEST(PolicyScenarios, RulesBindWhereTheReadmeSaysTheyDo) {
  const auto base = run_ok(std::nullopt);
  const auto feoc = run_ok(scenario("feoc-rule"));
  ASSERT_NE(rule_of(feoc.result, "feoc_us_cells"), nullptr);
  EXPECT_TRUE(rule_of(feoc.result, "feoc_us_cells")->binding);
  EXPECT_GT(rule_of(feoc.result, "feoc_us_cells")->excluded_capacity, 0);
  EXPECT_GE(feoc.result.objective_usd, base.result.objective_usd);

  const auto open = run_ok(std::nullopt, {"include_non_operating=true"});
  const auto ban = run_ok(scenario("china-tech-export-ban"));
  ASSERT_NE(rule_of(ban.result, "cn_ban_refining"), nullptr);
  EXPECT_GT(rule_of(ban.result, "cn_ban_refining")->excluded_capacity, 0);
  EXPECT_GE(ban.result.objective_usd, open.result.objective_usd * (1 - 1e-9));

  const auto carbon = run_ok(scenario("carbon-100"));
  ASSERT_NE(rule_of(carbon.result, "cn_co2_cap"), nullptr);
  EXPECT_TRUE(rule_of(carbon.result, "cn_co2_cap")->binding);
  EXPECT_LT(rule_of(carbon.result, "cn_co2_cap")->dual_usd, 0);
  EXPECT_LE(rule_of(carbon.result, "cn_co2_cap")->quantity, 45e6 * (1 + 1e-9));

  const auto chile = run_ok(scenario("chile-local-value-added"));
  ASSERT_NE(rule_of(chile.result, "cl_local_cathode"), nullptr);
  EXPECT_TRUE(rule_of(chile.result, "cl_local_cathode")->binding);
  // Met by the revived cathode plant (a later stage), not by a Chilean hydroxide plant fed with
  // Chilean carbonate (same stage: does not count).
  double byd = 0.0;
  for (const auto& f : chile.result.facilities)
    if (f.id == "byd_chile_lfp") byd = f.output;
  EXPECT_GT(byd, 0.0);

  const auto rigi = run_ok(scenario("argentina-rigi"));
  ASSERT_NE(rule_of(rigi.result, "rigi_rincon_carbonate"), nullptr);
  EXPECT_LT(rule_of(rigi.result, "rigi_rincon_carbonate")->payment_usd, 0);  // duty not paid

  // Argentine cells are Argentine: the plant's output enters the US outside the China tariff.
  const auto cells = run_ok(scenario("argentina-cells"));
  EXPECT_LT(rule_of(cells.result, "us_301_cn_cell_lfp")->quantity, rule_of(base.result, "us_301_cn_cell_lfp")->quantity);
}

// Bad rules are bad input: one error naming the file, line and key; --set rule.<id>.<column>
// adds or changes a rule from the command line.
TEST(PolicyScenarios, BadRulesNameFileLineAndKey) {
  const fs::path dir = fs::temp_directory_path() / ("cadena-rules-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto write = [&](const char* name, const char* text) {
    std::ofstream(dir / name) << text;
    return dir / name;
  };
  auto kind = run(write("kind.toml", "[[rule]]\nid = \"x\"\nkind = \"tarif\"\n"));
  ASSERT_FALSE(kind.ok());
  EXPECT_EQ(kind.error().context.key, "kind");
  EXPECT_EQ(kind.error().context.line, 3);
  EXPECT_NE(kind.error().message.find("origin_tariff"), std::string::npos) << kind.error().message;
  auto facility = run(write("fac.toml", "[[rule]]\nid = \"x\"\nkind = \"min_output\"\nfacility = \"nope\"\nquantity = 1\n"));
  ASSERT_FALSE(facility.ok());
  EXPECT_EQ(facility.error().context.key, "facility");
  EXPECT_NE(facility.error().context.file.find("fac.toml"), std::string::npos);
  auto cap = run(write("cap.toml", "[[rule]]\nid = \"x\"\nkind = \"carbon_cap\"\n"));
  ASSERT_FALSE(cap.ok());
  EXPECT_EQ(cap.error().context.key, "quantity");
  auto column = run(write("col.toml", "[[rule]]\nid = \"x\"\nkind = \"carbon_cap\"\nquantiy = 1\n"));
  ASSERT_FALSE(column.ok());
  EXPECT_EQ(column.error().context.key, "quantiy");
  fs::remove_all(dir);

  // From the command line: a world carbon cap of 1 Mt binds.
  auto set = run_ok(std::nullopt, {"rule.cap.kind=carbon_cap", "rule.cap.quantity=1000000"});
  ASSERT_NE(rule_of(set.result, "cap"), nullptr);
  EXPECT_TRUE(rule_of(set.result, "cap")->binding);
  EXPECT_NEAR(set.result.co2_t, 1e6, 1.0);
}

}  // namespace
}  // namespace cadena::engine
