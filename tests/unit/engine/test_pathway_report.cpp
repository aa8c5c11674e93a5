// report.html of a pathway run (report::pathway_report_json, `cadena run --years ... --report`) on
// the pathway-mini fixture: the page's data is the pathway's summary.json as written, with the
// dataset's product units and country names; capacity built by owner adds up to capacity built;
// the CLI writes report.html beside the other outputs, and a one-year pathway gets one too. Two
// pathways compare over their common years (report/pathway_compare.hpp); a pathway folder
// against a single-year run exits 2 with nothing written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cadena/engine/pathway.hpp"
#include "cadena/report/html_report.hpp"
#include "cadena/report/pathway_compare.hpp"
#include "../../integration/cli_run.hpp"

namespace cadena::engine {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::read_file;
using test::run_cli;

const fs::path kMini = fs::path(CADENA_FIXTURES_DIR) / "chain/pathway-mini";

report::PathwayReport mini(const std::string& years) {
  RunOptions o;
  o.dataset = kMini.string();
  PathwayOptions p;
  p.years = years;
  auto r = run_pathway(std::nullopt, o, p);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().format());
  return r.ok() ? std::move(*r) : report::PathwayReport{};
}

TEST(PathwayReport, DataIsTheSummaryWithTheDatasetsNames) {
  const auto r = mini("2024:2030:5");
  ASSERT_EQ(r.years.size(), 3u);
  ASSERT_TRUE(r.dataset) << "the pathway report carries no dataset";
  const json j = json::parse(report::pathway_report_json(r));
  EXPECT_EQ(j["kind"], "pathway");
  EXPECT_EQ(j["summary"], json::parse(report::pathway_summary_json(r)));
  EXPECT_EQ(j["summary"]["years"], json({2024, 2025, 2030}));
  EXPECT_EQ(j["stages"].front(), "mining");
  bool li2co3 = false;
  for (const auto& p : j["products"])
    if (p["id"] == "li2co3") li2co3 = p["unit"] == "t LCE";
  EXPECT_TRUE(li2co3) << j["products"].dump();
  EXPECT_FALSE(j["countries"].empty());
  EXPECT_NE(j["meta"]["title"].get<std::string>().find("2024-2030"), std::string::npos);
}

// Σ over owners of capacity_built_by_owner = capacity_built, per stage, host and year; and
// something is built in the mini pathway, so the check is not empty.
TEST(PathwayReport, CapacityBuiltByOwnerAddsUpToCapacityBuilt) {
  const auto r = mini("2024:2030");
  const json s = json::parse(report::pathway_summary_json(r))["series"];
  int compared = 0;
  for (const auto& [stage, hosts] : s["capacity_built"].items())
    for (const auto& [host, total] : hosts.items())
      for (std::size_t t = 0; t < total.size(); ++t) {
        double sum = 0.0;
        for (const auto& [owner, v] : s["capacity_built_by_owner"][stage][host].items()) sum += v[t].get<double>();
        EXPECT_NEAR(sum, total[t].get<double>(), 1e-9 * (1.0 + total[t].get<double>())) << stage << " " << host << " " << t;
        compared += total[t].get<double>() > 0.0;
      }
  EXPECT_GT(compared, 0) << "nothing is built in the mini pathway";
}

TEST(PathwayReport, CliWritesReportHtmlBesideTheOutputs) {
  if (!report::html_reports_available()) GTEST_SKIP() << "built without the report libraries";
  for (const std::string years : {"2024:2030:5", "2024:2024"}) {
    const fs::path out = fs::temp_directory_path() / fmt::format("cadena-pathway-report-{}", ::getpid());
    fs::remove_all(out);
    auto r = run_cli(fmt::format("run --dataset '{}' --years {} --report --out '{}'", kMini.string(), years, out.string()));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("report.html"), std::string::npos) << r.out;
    const std::string html = read_file(out / "report.html");
    EXPECT_NE(html.find("\"kind\":\"pathway\""), std::string::npos) << years;
    EXPECT_NE(html.find("C.views.pathway = function"), std::string::npos) << "view_pathway.js is not embedded";
    EXPECT_TRUE(fs::exists(out / "summary.json"));
    fs::remove_all(out);
  }
}

// A over 2024, 2025, 2030 and B over 2024..2030: the common years are A's; each side's series
// are its summary.json's on those years, delta = B - A.
TEST(PathwayCompare, SeriesOnTheCommonYears) {
  const auto ra = mini("2024:2030:5"), rb = mini("2024:2030");
  const report::PathwaySide a{"A", report::pathway_summary_json(ra)}, b{"B", report::pathway_summary_json(rb)};
  ASSERT_TRUE(report::is_pathway_summary(a.summary_json));
  auto c = report::pathway_compare_json(a, b);
  ASSERT_TRUE(c.ok()) << c.error().format();
  const json j = json::parse(*c), sa = json::parse(a.summary_json), sb = json::parse(b.summary_json);
  EXPECT_EQ(j["kind"], "pathway_compare");
  EXPECT_EQ(j["years"], json({2024, 2025, 2030}));
  EXPECT_NEAR(j["total_cost_usd"]["delta"].get<double>(), rb.total_cost_usd - ra.total_cost_usd, 1e-6 * ra.total_cost_usd);
  EXPECT_FALSE(j["notes"].empty()) << "different years are said";
  const auto& cost = j["series"]["cost_usd"];
  for (std::size_t t = 0; t < 3; ++t) {
    EXPECT_EQ(cost["a"][t], sa["series"]["cost_usd"]["total"][t]);
    const std::size_t tb = t == 2 ? 6 : t;  // 2030 is B's seventh year
    EXPECT_EQ(cost["b"][t], sb["series"]["cost_usd"]["total"][tb]);
    EXPECT_DOUBLE_EQ(cost["delta"][t].get<double>(), cost["b"][t].get<double>() - cost["a"][t].get<double>());
  }
  EXPECT_TRUE(j["series"]["stage_output"].contains("mining"));
  auto text = report::pathway_compare_text(a, b);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("mining output"), std::string::npos) << *text;
  // A single-year summary is no pathway: a Value error naming the side.
  const report::PathwaySide single{"S", R"({"status": "optimal", "objective_usd": 1})"};
  EXPECT_FALSE(report::is_pathway_summary(single.summary_json));
  auto bad = report::pathway_compare_json(a, single);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().context.file, "S");
}

TEST(PathwayCompare, CliComparesPathwayFoldersAndRefusesAMix) {
  if (!report::html_reports_available()) GTEST_SKIP() << "built without the report libraries";
  const fs::path dir = fs::temp_directory_path() / fmt::format("cadena-pathway-compare-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string ds = kMini.string();
  ASSERT_EQ(run_cli(fmt::format("run --dataset '{}' --years 2024:2030:5 --out '{}'", ds, (dir / "a").string())).exit_code, 0);
  ASSERT_EQ(run_cli(fmt::format("run --dataset '{}' --years 2024:2030:5 --discount-rate 0.1 --out '{}'", ds, (dir / "b").string())).exit_code, 0);
  ASSERT_EQ(run_cli(fmt::format("run --dataset '{}' --out '{}'", ds, (dir / "single").string())).exit_code, 0);
  auto r = run_cli(fmt::format("compare '{}' '{}' --report '{}'", (dir / "a").string(), (dir / "b").string(), (dir / "c.html").string()));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("discounted total cost"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("different rates"), std::string::npos) << r.out;
  const std::string html = read_file(dir / "c.html");
  EXPECT_NE(html.find("\"kind\":\"pathway_compare\""), std::string::npos);
  EXPECT_NE(html.find("C.views.pathway_compare = function"), std::string::npos) << "view_pathway_compare.js is not embedded";
  auto j = run_cli(fmt::format("compare '{}' '{}' --json", (dir / "a").string(), (dir / "b").string()));
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_EQ(json::parse(j.out)["years"], json({2024, 2025, 2030}));
  for (const auto& [x, y] : {std::pair{"a", "single"}, {"single", "a"}}) {
    auto mix = run_cli(fmt::format("compare '{}' '{}' --report '{}'", (dir / x).string(), (dir / y).string(), (dir / "mix.html").string()));
    EXPECT_EQ(mix.exit_code, 2) << mix.out;
    EXPECT_NE(mix.err.find("is a pathway run"), std::string::npos) << mix.err;
    EXPECT_EQ(std::count(mix.err.begin(), mix.err.end(), '\n'), 1) << "one line: " << mix.err;
    EXPECT_FALSE(fs::exists(dir / "mix.html"));
    EXPECT_TRUE(mix.out.empty()) << mix.out;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cadena::engine
