// report.html of a pathway run (report::pathway_report_json, `cadena run --years ... --report`) on
// the pathway-mini fixture: the page's data is the pathway's summary.json as written, with the
// dataset's product units and country names; capacity built by owner adds up to capacity built;
// the CLI writes report.html beside the other outputs, and a one-year pathway gets one too.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cadena/engine/pathway.hpp"
#include "cadena/report/html_report.hpp"
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

}  // namespace
}  // namespace cadena::engine
