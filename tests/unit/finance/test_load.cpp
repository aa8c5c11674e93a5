// Bad inputs get clear errors with file, line and key; the CLI maps them to exit code 2 and
// writes nothing. Every fiscal regime file loads and cites its sources.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <algorithm>
#include <string>

#include "../../integration/cli_run.hpp"
#include "cadena/core/data_dir.hpp"
#include "cadena/finance/load.hpp"

#include <nlohmann/json.hpp>

namespace cadena::finance {
namespace {

namespace fs = std::filesystem;

std::string fixture(const std::string& name) { return std::string(CADENA_FIXTURES_DIR) + "/finance/" + name; }

struct Case {
  const char* file;
  ErrorCategory category;
  int line;
  const char* key;
  const char* message_part;
};

TEST(FinanceLoad, BadInputsNameFileLineAndKey) {
  const Case cases[] = {
      {"missing_price.toml", ErrorCategory::Missing, 12, "price.usd_per_t", "missing"},
      {"negative_capex.toml", ErrorCategory::Value, 20, "capex.initial_musd", ">= 0"},
      {"ramp_above_100.toml", ErrorCategory::Value, 10, "production.ramp", "above 100 %"},
      {"unknown_regime.toml", ErrorCategory::Reference, 26, "fiscal.regime", "unknown fiscal regime 'atlantis'"},
      {"bad_distribution.toml", ErrorCategory::Value, 30, "montecarlo.capex.dist", "min <= mode <= max"},
      {"bad_correlation.toml", ErrorCategory::Value, 0, "montecarlo.correlation", "not positive definite"},
      {"wrong_type.toml", ErrorCategory::Type, 23, "economics.discount_rate", "expected a number"},
      {"unknown_key.toml", ErrorCategory::Value, 21, "capex.sustaining_musd_per_yr", "unknown key"},
      {"unknown_override_key.toml", ErrorCategory::Value, 29, "fiscal.override.income_tax.rat", "unknown key"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.file);
    auto r = load_project(fixture(c.file));
    ASSERT_FALSE(r.ok());
    const Error& e = r.error();
    EXPECT_EQ(e.category, c.category) << e.format();
    EXPECT_EQ(e.context.file, fixture(c.file));
    if (c.line > 0) {
      EXPECT_EQ(e.context.line, c.line) << e.format();
    } else {
      EXPECT_GT(e.context.line, 0) << e.format();
    }
    EXPECT_EQ(e.context.key, c.key);
    EXPECT_NE(e.message.find(c.message_part), std::string::npos) << e.message;
  }
}

TEST(FinanceLoad, PriceFileErrorsPointIntoTheCsv) {
  auto r = load_project(fixture("bad_price_file.toml"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.file, fixture("bad_deck.csv"));
  EXPECT_EQ(r.error().context.line, 3);
}

TEST(FinanceLoad, PriceFileAndOverrides) {
  auto r = load_project(fixture("price_file.toml"));
  ASSERT_TRUE(r.ok()) << r.error().format();
  const auto& deck = r->project.price_usd_per_t;
  ASSERT_EQ(deck.size(), 10u);
  EXPECT_EQ(deck[0], 20000);
  EXPECT_EQ(deck[1], 18000);
  EXPECT_EQ(deck[2], 18000);  // a gap holds the last price
  EXPECT_EQ(deck[4], 15000);
  EXPECT_EQ(deck[9], 15000);

  auto o = load_project(fixture("override.toml"));
  ASSERT_TRUE(o.ok()) << o.error().format();
  ASSERT_EQ(o->project.fiscal.levies.size(), 1u);
  EXPECT_EQ(o->project.fiscal.levies[0].rate, 0.05);         // overridden
  EXPECT_EQ(o->project.fiscal.export_duty_rate, 0.045);      // from the regime file
  EXPECT_EQ(o->project.fiscal.income_tax_rate, 0.35);
}

TEST(FinanceLoad, EveryRegimeLoadsWithSources) {
  int n = 0;
  for (const auto& e : fs::directory_iterator(fs::path(data_dir()) / "fiscal")) {
    if (e.path().extension() != ".toml") continue;
    SCOPED_TRACE(e.path().string());
    auto r = load_regime(e.path().stem().string());
    ASSERT_TRUE(r.ok()) << r.error().format();
    EXPECT_EQ(r->id, e.path().stem().string());
    EXPECT_GT(r->income_tax_rate, 0.0);
    ++n;
  }
  EXPECT_GE(n, 6);  // Argentina, Chile, Bolivia, Brazil, Peru, Western Australia at least
  auto rigi = load_regime("argentina_rigi");
  ASSERT_TRUE(rigi.ok());
  EXPECT_EQ(rigi->income_tax_rate, 0.25);
  EXPECT_EQ(rigi->export_duty_rate, 0.045);  // inherited from argentina
  EXPECT_EQ(rigi->export_duty_free_from_year, 3);
}

// Decree 563/2025 freed copper, gold and the other metalliferous goods of export duty from 8 August
// 2025, not lithium or silver: argentina_metals_2025 is argentina with a 0 % duty. A copper project
// on it pays no duty; the same project, and a lithium project, on argentina pay 4.5 % of revenue.
TEST(FinanceLoad, ArgentinaMetalsRegimeFreesCopperNotLithium) {
  auto metals = load_regime("argentina_metals_2025");
  ASSERT_TRUE(metals.ok()) << metals.error().format();
  EXPECT_EQ(metals->base, "argentina");
  EXPECT_EQ(metals->export_duty_rate, 0.0);
  EXPECT_EQ(metals->income_tax_rate, 0.35);  // the rest is inherited
  bool decree = false;
  for (const auto& s : metals->sources)
    decree |= s.section == "export_duty" && s.source.find("Decree 563/2025") != std::string::npos;
  EXPECT_TRUE(decree) << "the 0 % cites the decree";

  auto duty_share = [](const Evaluation& ev) {
    double duty = 0, revenue = 0;
    for (int t = 0; t < ev.table.size(); ++t) duty += ev.table.export_duty[t], revenue += ev.table.revenue[t];
    return duty / revenue;
  };
  const fs::path projects = fs::path(CADENA_SOURCE_DIR) / "examples" / "projects";
  auto copper = load_project((projects / "altar_2025.toml").string());  // copper concentrate with Au, Ag
  ASSERT_TRUE(copper.ok()) << copper.error().format();
  EXPECT_EQ(copper->project.fiscal.id, "argentina_metals_2025");
  const Evaluation cu = evaluate(copper->project);
  EXPECT_GT(cu.metrics.royalties, 0.0);
  EXPECT_EQ(cu.metrics.export_duties, 0.0);
  auto general = load_regime("argentina");
  ASSERT_TRUE(general.ok());
  copper->project.fiscal = *general;  // the same copper project on the general regime: the old 4.5 %
  EXPECT_NEAR(duty_share(evaluate(copper->project)), 0.045, 1e-9);

  auto lithium = load_project((projects / "arizaro_2023.toml").string());  // Li2CO3
  ASSERT_TRUE(lithium.ok()) << lithium.error().format();
  EXPECT_EQ(lithium->project.fiscal.id, "argentina");
  EXPECT_NEAR(duty_share(evaluate(lithium->project)), 0.045, 1e-9);

  auto r = test::run_cli("data show argentina_metals_2025");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("export duty                 none (0 %)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Decree 563/2025"), std::string::npos) << r.out;
  r = test::run_cli("data list");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("argentina_metals_2025  Argentina"), std::string::npos) << r.out;
}

TEST(FinanceLoad, RegimeWithoutSourceIsRejected) {
  const fs::path dir = fs::temp_directory_path() / "cadena_finance_nosource";
  fs::create_directories(dir / "fiscal");
  std::ofstream(dir / "fiscal" / "nosource.toml") << "[regime]\nid = \"nosource\"\n\n[income_tax]\nrate = 0.3\n";
  setenv("CADENA_DATA_DIR", dir.c_str(), 1);
  auto r = load_regime("nosource");
  unsetenv("CADENA_DATA_DIR");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.key, "income_tax.source");
  EXPECT_EQ(r.error().context.line, 4);
  fs::remove_all(dir);
}

using test::run_cli;

TEST(FinanceCli, BadInputExitsTwoAndWritesNothing) {
  const fs::path out = fs::temp_directory_path() / "cadena_finance_cli_bad";
  fs::remove_all(out);
  const auto r = run_cli("project evaluate " + fixture("ramp_above_100.toml") + " --out " + out.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("ramp_above_100.toml:10"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("production.ramp"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out / "cashflow.csv"));
}

TEST(FinanceCli, EvaluateWritesTables) {
  const fs::path out = fs::temp_directory_path() / "cadena_finance_cli_good";
  fs::remove_all(out);
  // uncertain.toml is good.toml with distributions: a Monte Carlo needs uncertain inputs.
  const auto r = run_cli("project evaluate " + fixture("uncertain.toml") + " --paths 500 --seed 3 --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"cashflow.csv", "summary.json", "tornado.csv", "spider.csv", "montecarlo.csv"})
    EXPECT_TRUE(fs::exists(out / f)) << f;
  std::ifstream csv(out / "cashflow.csv");
  int lines = 0;
  for (std::string l; std::getline(csv, l);) ++lines;
  EXPECT_EQ(lines, 1 + 2 + 10 + 1);  // header, construction, production, closure
  fs::remove_all(out);
}

}  // namespace
}  // namespace cadena::finance

namespace cadena::finance {
namespace {

using test::run_cli;

// Defect: --paths 0 dropped the file's distributions, so the tornado fell back to +-20 % while
// still calling the bars P10/P90.
TEST(FinanceCli, PathsZeroKeepsTheDistributionsForTheTornado) {
  const auto r = run_cli("project evaluate " + fixture("uncertain.toml") + " --paths 0 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j.contains("montecarlo") && j["montecarlo"].contains("npv_after_tax_musd"));
  bool seen = false;
  for (const auto& b : j["tornado"])
    if (b["variable"] == "capex") {
      seen = true;
      auto tri = Distribution::triangular(0.9, 1.0, 1.5);
      EXPECT_NEAR(b["low_input"].get<double>(), tri->quantile(0.1), 1e-9);
      EXPECT_NEAR(b["high_input"].get<double>(), tri->quantile(0.9), 1e-9);
      EXPECT_EQ(b["basis"], "P10/P90");
    } else if (b["variable"] == "price") {
      EXPECT_EQ(b["basis"], "+-20 %");
    }
  EXPECT_TRUE(seen);
}

// Defect: the printed regime name ignored [fiscal.override].
TEST(FinanceCli, PrintedRegimeNamesTheOverrides) {
  auto r = run_cli("project evaluate " + fixture("override.toml") + " --paths 0");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("levies.provincial_royalty.rate = 0.05"), std::string::npos) << r.out;
  r = run_cli("project evaluate " + fixture("override.toml") + " --paths 0 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("regime_overrides"));
  EXPECT_EQ(j["regime_overrides"][0], "levies.provincial_royalty.rate = 0.05");
}

// Defect: without uncertain inputs the Monte Carlo printed P10 = P50 = P90 and P(NPV < 0) = 0 %
// without a word.
TEST(FinanceCli, NoUncertaintyIsSaidNotSimulated) {
  auto r = run_cli("project evaluate " + fixture("good.toml") + " --paths 500");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("no uncertainty was given"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("P(NPV < 0)"), std::string::npos) << r.out;
  r = run_cli("project evaluate " + fixture("good.toml") + " --paths 500 --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("montecarlo"));
  EXPECT_FALSE(j["montecarlo"].contains("npv_after_tax_musd"));
  EXPECT_NE(j["montecarlo"]["skipped"].get<std::string>().find("no uncertainty"), std::string::npos);
}

}  // namespace
}  // namespace cadena::finance

namespace cadena::finance {
namespace {

// good.toml with some of its text replaced and more appended.
std::string good_with(const std::string& extra, const std::string& from = "", const std::string& to = "") {
  std::string text = test::read_file(fixture("good.toml"));
  if (!from.empty()) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
  }
  return text + "\n" + extra;
}

int line_of_text(const std::string& text, const std::string& needle) {
  const auto at = text.rfind(needle);
  if (at == std::string::npos) return -1;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

struct TextCase {
  std::string text;
  std::string key;          // expected context key
  std::string line_needle;  // the line the error must point at
  std::string message_part;
};

// Every key of the second round: a wrong value names the file, the line and the key.
TEST(FinanceLoad, NewKeysRejectBadInputWithFileLineAndKey) {
  const std::string tl = "[timeline]\nconstruction_years = 2\nproduction_years = 10\n";
  const std::vector<TextCase> cases = {
      {good_with("[sales]\npayable = 1.5\n"), "sales.payable", "payable = 1.5", "out of range"},
      {good_with("[sales]\ntc_usd_per_dmt = 80\n"), "sales.concentrate_grade", "tc_usd_per_dmt = 80", "concentrate_grade"},
      {good_with("[sales]\nrc_usd_per_t = -1\n"), "sales.rc_usd_per_t", "rc_usd_per_t = -1", "out of range"},
      {good_with("[sales]\nrc_usd_per_lb = 0.08\n"), "sales.rc_usd_per_lb", "rc_usd_per_lb", "unknown key"},
      {good_with("[[byproduct]]\nunit = \"oz\"\nquantity = 1000\nusd_per_unit = 1800\n"), "byproduct.name",
       "[[byproduct]]", "missing"},
      {good_with("[[byproduct]]\nname = \"gold\"\nquantity = -5\nusd_per_unit = 1800\n"), "byproduct.quantity",
       "quantity = -5", "out of range"},
      {good_with("[[byproduct]]\nname = \"gold\"\nquantity = 5\nusd_per_unit = [1800, 1700, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600, 1600]\n"),
       "byproduct.usd_per_unit", "usd_per_unit", "at most 10"},
      {good_with("[[byproduct]]\nname = \"gold\"\nquantity = 5\nusd_per_unit = 1800\n[[byproduct]]\nname = \"gold\"\nquantity = 1\nusd_per_unit = 20\n"),
       "byproduct.name", "name = \"gold\"", "twice"},
      {good_with("[[byproduct]]\nname = \"gold\"\nquantity = 5\nusd_per_unit = 1800\npayable = 0\n"), "byproduct.payable",
       "payable = 0", "out of range"},
      {good_with("[[byproduct]]\nname = \"gold\"\nquantity = 5\nusd_per_unit = 1800\ngrade = 3\n"), "byproduct.grade",
       "grade = 3", "unknown key"},
      {good_with("", "initial_musd = 400\n", "initial_musd = 400\nsalvage_musd = -3\n"), "capex.salvage_musd",
       "salvage_musd = -3", "out of range"},
      {good_with("", "initial_musd = 400\n", "initial_musd = 400\nsustaining_musd_by_year = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n"),
       "capex.sustaining_musd_by_year", "sustaining_musd_by_year", "at most one per production year"},
      {good_with("", tl, "[timeline]\nconstruction_years = 1.3\nproduction_years = 10\nperiods_per_year = 4\n"),
       "timeline.construction_years", "construction_years = 1.3", "whole number of periods"},
      {good_with("", tl, "[timeline]\nconstruction_years = 2\nproduction_years = 10\nperiods_per_year = 3\n"),
       "timeline.periods_per_year", "periods_per_year = 3", "1, 2, 4 or 12"},
      {good_with("", tl, "[timeline]\nproduction_years = 10\nstart = \"2024-Q5\"\nfirst_production = \"2025\"\n"),
       "timeline.start", "start = ", "is not a date"},
      {good_with("", tl, "[timeline]\nproduction_years = 10\nstart = \"2025-Q3\"\nfirst_production = \"H1 2025\"\n"),
       "timeline.first_production", "first_production", "comes before the start"},
      {good_with("", tl, "[timeline]\nproduction_years = 10\nstart = \"2024-07\"\nfirst_production = \"2025\"\nperiods_per_year = 4\n"),
       "timeline.start", "start = ", "needs periods_per_year = 12"},
      {good_with("", tl, "[timeline]\nproduction_years = 10\nfirst_production = \"2025\"\n"), "timeline.start",
       "first_production", "needs start"},
      {good_with("", tl, "[timeline]\nconstruction_years = 2\nproduction_years = 10\nstart = \"2024\"\nfirst_production = \"2026\"\n"),
       "timeline.construction_years", "construction_years = 2", "not both"},
      {good_with("", "ramp = [0.5, 0.8]\n", "ramp = [0.5, 0.8]\nramp_periods = [0.2]\n"), "production.ramp_periods",
       "ramp_periods", "not both"},
      {good_with("[financing]\ndebt_share = 1.2\ninterest_rate = 0.08\ntenor_years = 7\n"), "financing.debt_share",
       "debt_share = 1.2", "out of range"},
      {good_with("[financing]\ndebt_share = 0.6\ntenor_years = 7\n"), "financing.interest_rate", "[financing]", "missing"},
      {good_with("[financing]\ndebt_share = 0.6\ninterest_rate = 0.08\n"), "financing.tenor_years", "[financing]", "missing"},
      {good_with("[financing]\ndebt_share = 0.6\ninterest_rate = 0.08\ntenor_years = 7\nrepayment = \"bullet\"\n"),
       "financing.repayment", "repayment", "unknown repayment"},
      {good_with("[financing]\ndebt_share = 0.6\ninterest_rate = 0.08\ntenor_years = 7\ntarget_dscr = 1.4\n"),
       "financing.target_dscr", "target_dscr", "sculpted"},
      {good_with("[financing]\ninterest_rate = 0.08\n"), "financing.debt_share", "interest_rate", "without debt"},
      {good_with("[financing]\ndebt_share = 0.6\ninterest_rate = 0.08\ntenor_years = 7\nupfront_fee = 0.5\n"),
       "financing.upfront_fee", "upfront_fee", "out of range"},
      {good_with("[financing]\ndebt_share = 0.6\ninterest_rate = 0.08\ntenor_years = 7\ncapitalize_interest = \"yes\"\n"),
       "financing.capitalize_interest", "capitalize_interest", "true or false"},
      {good_with("[[financing.lease]]\nmusd = 50\nterm_years = 5\nrate = 0.09\nproduction_year = 11\n"),
       "financing.lease.production_year", "production_year = 11", "out of range"},
      {good_with("[[financing.lease]]\nmusd = 0\nterm_years = 5\nrate = 0.09\n"), "financing.lease.musd", "musd = 0",
       "out of range"},
      {good_with("[[financing.lease]]\nmusd = 50\nterm = 5\nrate = 0.09\n"), "financing.lease.term", "term = 5", "unknown key"},
      {good_with("", "discount_rate = 0.08\n", "discount_rate = 0.08\nequity_discount_rate = 2\n"),
       "economics.equity_discount_rate", "equity_discount_rate", "out of range"},
      {good_with("[published]\nsource = \"x\"\nirr_equity = \"high\"\n"), "published.irr_equity", "irr_equity", "expected a number"},
      {good_with("[montecarlo]\nequity = 1\n"), "montecarlo.equity", "equity = 1", "expected true or false"},
  };
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    SCOPED_TRACE(c.key + " (case " + std::to_string(i) + ")");
    auto r = parse_project(c.text, "p.toml");
    ASSERT_FALSE(r.ok());
    const Error& e = r.error();
    EXPECT_EQ(e.context.file, "p.toml");
    EXPECT_EQ(e.context.key, c.key) << e.format();
    EXPECT_EQ(e.context.line, line_of_text(c.text, c.line_needle)) << e.format();
    EXPECT_NE(e.message.find(c.message_part), std::string::npos) << e.message;
  }
  // The yearly words are ambiguous with quarters.
  auto q = parse_project(good_with("", "discount_rate = 0.08\n", "discount_rate = 0.08\ndiscounting = \"mid_year\"\n"),
                         "p.toml");
  ASSERT_TRUE(q.ok()) << q.error().format();  // yearly periods: fine
  const std::string quarters =
      good_with("", "[timeline]\nconstruction_years = 2\nproduction_years = 10\n",
                "[timeline]\nconstruction_years = 2\nproduction_years = 10\nperiods_per_year = 4\n");
  auto mq = parse_project(quarters.substr(0, quarters.find("[economics]")) +
                              "[economics]\ndiscount_rate = 0.08\ndiscounting = \"mid_year\"\n\n[fiscal]\nregime = \"argentina\"\n",
                          "p.toml");
  ASSERT_FALSE(mq.ok());
  EXPECT_EQ(mq.error().context.key, "economics.discounting");
}

// A regime file's new sections and keys are checked like the old ones.
TEST(FinanceLoad, NewRegimeKeysAreChecked) {
  const fs::path dir = fs::temp_directory_path() / "cadena_finance_newkeys";
  fs::create_directories(dir / "fiscal");
  auto write = [&](const std::string& id, const std::string& body) {
    std::ofstream(dir / "fiscal" / (id + ".toml")) << "[regime]\nid = \"" << id << "\"\n\n[income_tax]\nrate = 0.3\nsource = \"s\"\n" << body;
  };
  write("wht_nosource", "\n[dividend_withholding]\nrate = 0.05\n");
  write("wht_bad", "\n[dividend_withholding]\nrate = 1.5\nsource = \"s\"\n");
  write("vol_bad_base", "\n[levies.ieam]\nkind = \"volume_tiered\"\nbase = \"profit\"\nbrackets = [{ rate = 0.01 }]\nsource = \"s\"\n");
  write("salvage_bad", "salvage_taxable_share = 2\n");
  write("ok", "interest_deductible = false\n\n[dividend_withholding]\nrate = 0.05\nsource = \"law\"\n"
              "\n[levies.ieam]\nkind = \"volume_tiered\"\nbase = \"operating_profit\"\nbrackets = [{ upto = 12000, rate = 0 }, { rate = 0.01 }]\nsource = \"law 2\"\n");
  setenv("CADENA_DATA_DIR", dir.c_str(), 1);
  auto a = load_regime("wht_nosource");
  auto b = load_regime("wht_bad");
  auto c = load_regime("vol_bad_base");
  auto d = load_regime("salvage_bad");
  auto ok = load_regime("ok");
  unsetenv("CADENA_DATA_DIR");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().context.key, "dividend_withholding.source");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().context.key, "dividend_withholding.rate");
  EXPECT_EQ(b.error().context.line, 9);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().context.key, "levies.ieam.base");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().context.key, "income_tax.salvage_taxable_share");
  ASSERT_TRUE(ok.ok()) << ok.error().format();
  EXPECT_FALSE(ok->interest_deductible);
  EXPECT_EQ(ok->dividend_withholding, 0.05);
  ASSERT_EQ(ok->levies.size(), 1u);
  EXPECT_EQ(ok->levies[0].kind, LevyKind::VolumeTiered);
  EXPECT_EQ(ok->levies[0].base, LevyBase::OperatingProfit);
  ASSERT_EQ(ok->sources.size(), 3u);
  EXPECT_EQ(ok->sources[0].section, "income_tax");
  fs::remove_all(dir);
}

TEST(FinanceLoad, DatesPlaceConstructionInPeriods) {
  auto r = parse_project(good_with("", "[timeline]\nconstruction_years = 2\nproduction_years = 10\n",
                                   "[timeline]\nproduction_years = 10\nstart = \"2024-Q3\"\nfirst_production = \"H1 2025\"\n"),
                         "p.toml");
  ASSERT_TRUE(r.ok()) << r.error().format();
  EXPECT_EQ(r->project.periods_per_year, 4);
  EXPECT_EQ(r->project.start_year, 2024);
  EXPECT_EQ(r->project.start_period_in_year, 2);
  EXPECT_EQ(r->project.construction_p(), 2);  // Q3 and Q4 2024
  EXPECT_EQ(r->project.initial_capex_musd, std::vector<double>(2, 200.0));
  auto y = parse_project(good_with("", "[timeline]\nconstruction_years = 2\nproduction_years = 10\n",
                                   "[timeline]\nconstruction_years = 1.5\nproduction_years = 10\nperiods_per_year = 2\n"),
                         "p.toml");
  ASSERT_TRUE(y.ok()) << y.error().format();
  EXPECT_EQ(y->project.construction_p(), 3);
}

TEST(FinanceCli, NewKeyBadInputExitsTwo) {
  const fs::path dir = fs::temp_directory_path() / "cadena_finance_cli_newkey";
  fs::create_directories(dir);
  const fs::path f = dir / "p.toml";
  std::ofstream(f) << good_with("[[byproduct]]\nname = \"gold\"\nquantity = 5\nusd_per_unit = -1800\n");
  const auto r = run_cli("project evaluate " + f.string() + " --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("p.toml:31"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("byproduct.usd_per_unit"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out" / "cashflow.csv"));
  fs::remove_all(dir);
}

TEST(FinanceCli, RegimesSideBySide) {
  auto r = run_cli("project evaluate " + fixture("override.toml") + " --regime argentina,peru,chile_copper --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["regimes"].size(), 3u);
  EXPECT_EQ(j["regimes"][0]["regime"], "argentina");
  EXPECT_EQ(j["regimes"][0]["regime_overrides"].size(), 1u);  // the file's own regime keeps its override
  EXPECT_EQ(j["regimes"][1]["regime_overrides"].size(), 0u);
  const auto& peru = j["regimes"][1]["metrics"]["government_take"]["levies_musd"];
  EXPECT_TRUE(peru.contains("mining_royalty") && peru.contains("special_mining_tax"));
  // Each column is the project evaluated under that regime alone.
  auto one = load_project(fixture("override.toml"));
  ASSERT_TRUE(one.ok());
  auto peru_regime = load_regime("peru");
  ASSERT_TRUE(peru_regime.ok());
  one->project.fiscal = *peru_regime;
  EXPECT_NEAR(j["regimes"][1]["metrics"]["npv_after_tax_musd"].get<double>(), evaluate(one->project).metrics.npv_after_tax, 1e-6);
  r = run_cli("project evaluate " + fixture("good.toml") + " --regime argentina,atlantis");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("atlantis"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--regime"), std::string::npos) << r.err;
  r = run_cli("project evaluate " + fixture("good.toml") + " --regime argentina,peru");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("peru"), std::string::npos);
  EXPECT_NE(r.out.find("take %"), std::string::npos);
}

TEST(FinanceCli, DataListsAndShowsRegimesWithSources) {
  auto r = run_cli("data list --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  int regimes = 0;
  for (const auto& e : j) regimes += e["kind"] == "fiscal_regime";
  EXPECT_GE(regimes, 9);
  r = run_cli("data show argentina_rigi --json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["kind"], "fiscal_regime");
  EXPECT_EQ(j["base"], "argentina");
  EXPECT_DOUBLE_EQ(j["income_tax"]["rate"].get<double>(), 0.25);
  bool royalty_source = false;
  for (const auto& s : j["sources"]) {
    EXPECT_FALSE(s["source"].get<std::string>().empty());
    EXPECT_EQ(s["source"].get<std::string>().find("FACTS.md"), std::string::npos) << "cite the primary source";
    royalty_source |= s["section"] == "levies.provincial_royalty";  // inherited from argentina, with its source
  }
  EXPECT_TRUE(royalty_source);
  r = run_cli("data show peru");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("fiscal regime peru"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Law 29,788"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace cadena::finance
