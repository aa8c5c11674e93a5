// The HTML report page: self-contained (the libraries inline, a Content-Security-Policy that
// forbids every fetch), data that cannot end its <script> element, and stages, products and
// units taken from the run's dataset. The browser test (tests/browser) checks what it draws.
#include "cadena/report/html_report.hpp"

#include <gtest/gtest.h>

#include <fmt/core.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cadena/analytics/shares.hpp"
#include "cadena/engine/compare.hpp"
#include "cadena/engine/run.hpp"
#include "cadena/io/dataset_io.hpp"

namespace cadena::report {
namespace {

TEST(HtmlPage, IsSelfContainedAndKeepsItsDataInside) {
  ASSERT_TRUE(html_reports_available()) << "built without node_modules: run scripts/bootstrap.sh";
  auto page = html_page("a <title>", R"({"kind":"run","meta":{"title":"</script><script>alert(1)</script>"}})");
  ASSERT_TRUE(page.ok()) << page.error().format();
  const std::string& h = *page;
  EXPECT_NE(h.find("<title>a &lt;title&gt;</title>"), std::string::npos);
  EXPECT_NE(h.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  EXPECT_EQ(h.find("</script><script>alert(1)"), std::string::npos) << "data must not close its element";
  EXPECT_NE(h.find("\\u003c/script>\\u003cscript>alert(1)"), std::string::npos);
  // Nothing is loaded from anywhere: no src= or href= to another file or host.
  EXPECT_EQ(h.find("<script src"), std::string::npos);
  EXPECT_EQ(h.find("<link "), std::string::npos);
  EXPECT_EQ(h.find("https://cdn"), std::string::npos);
  EXPECT_NE(h.find("echarts"), std::string::npos);
  EXPECT_NE(h.find("\"type\":\"Topology\""), std::string::npos);  // world-atlas
  EXPECT_NE(h.find("CADENA.start()"), std::string::npos);
  EXPECT_GT(h.size(), 1000000u);  // ECharts alone is about 1.1 MB
}

TEST(RunReportJson, TakesStagesProductsAndUnitsFromTheDataset) {
  auto in = engine::load_run_input(std::filesystem::path(CADENA_FIXTURES_DIR) / "chain" / "two-mines-demand-120.toml");
  ASSERT_TRUE(in.ok()) << in.error().format();
  auto rep = engine::run_dataset(*in);
  ASSERT_TRUE(rep.ok()) << rep.error().format();
  const auto j = nlohmann::json::parse(run_report_json(*rep));
  EXPECT_EQ(j["kind"], "run");
  ASSERT_EQ(j["products"].size(), in->dataset.products.size());
  for (std::size_t i = 0; i < in->dataset.products.size(); ++i) {
    EXPECT_EQ(j["products"][i]["id"], in->dataset.products[i].id);
    EXPECT_EQ(j["products"][i]["unit"], in->dataset.products[i].unit);
  }
  ASSERT_EQ(j["stages"].size(), rep->stages.size());
  for (const auto& s : j["stages"]) EXPECT_TRUE(j["summary"]["stages"].contains(s.get<std::string>())) << s;
  ASSERT_EQ(j["facilities"].size(), rep->result.facilities.size());
  const auto* f = in->dataset.find_facility(j["facilities"][0]["id"].get<std::string>());
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(j["facilities"][0]["lat"], f->lat);
  EXPECT_EQ(j["facilities"][0]["lon"], f->lon);
  EXPECT_EQ(j["flows"].size(), rep->result.flows.size());
  EXPECT_EQ(j["summary"]["objective_usd"], rep->result.objective_usd);
}

// Owners as the map colours them: direct in the run year and, when the dataset has stakes, after
// look-through (analytics::facility_owners); a dataset without stakes has no look-through list.
TEST(RunReportJson, OwnerCountriesDirectAndLookThrough) {
  auto rep = engine::run(std::nullopt);  // the built-in lithium dataset, which has stakes.csv
  ASSERT_TRUE(rep.ok()) << rep.error().format();
  ASSERT_FALSE(rep->dataset->stakes.empty());
  const auto j = nlohmann::json::parse(run_report_json(*rep));
  int differ = 0;
  for (const auto& f : j["facilities"]) {
    ASSERT_TRUE(f.contains("owner_countries")) << f["id"];
    ASSERT_TRUE(f.contains("owner_countries_lookthrough")) << f["id"];
    const auto* fac = rep->dataset->find_facility(f["id"].get<std::string>());
    ASSERT_NE(fac, nullptr);
    const auto own = analytics::facility_owners(*rep->dataset, *fac);
    ASSERT_EQ(f["owner_countries_lookthrough"].size(), own.ultimate_countries.size());
    for (std::size_t i = 0; i < own.ultimate_countries.size(); ++i) {
      EXPECT_EQ(f["owner_countries_lookthrough"][i]["country"], own.ultimate_countries[i].key);
      EXPECT_DOUBLE_EQ(f["owner_countries_lookthrough"][i]["share"].get<double>(), own.ultimate_countries[i].share);
    }
    if (!own.direct_countries.empty() && !own.ultimate_countries.empty() &&
        own.direct_countries[0].key != own.ultimate_countries[0].key)
      ++differ;
  }
  EXPECT_GT(differ, 0) << "no facility whose largest owner nationality changes after look-through";

  auto two = engine::load_run_input(std::nullopt, (std::filesystem::path(CADENA_FIXTURES_DIR) / "chain" / "two-mines").string());
  ASSERT_TRUE(two.ok()) << two.error().format();
  auto rep2 = engine::run_dataset(*two);
  ASSERT_TRUE(rep2.ok()) << rep2.error().format();
  const auto j2 = nlohmann::json::parse(run_report_json(*rep2));
  for (const auto& f : j2["facilities"]) {
    EXPECT_TRUE(f.contains("owner_countries")) << f["id"];
    EXPECT_FALSE(f.contains("owner_countries_lookthrough")) << "no stakes, no look-through: " << f["id"];
  }
}

// `cadena compare --report`'s data: the comparison exactly as --json prints it, and each side as
// the run view draws it, from an output folder (facilities.csv read back, the dataset named by
// summary.json) and from a run solved now (its results and dataset).
TEST(CompareReportJson, CarriesTheComparisonAndBothRunsAsTheRunViewDrawsThem) {
  const auto fixtures = std::filesystem::path(CADENA_FIXTURES_DIR) / "chain";
  auto rep = engine::run(fixtures / "two-mines-demand-120.toml");
  ASSERT_TRUE(rep.ok()) << rep.error().format();
  const auto folder = std::filesystem::temp_directory_path() / fmt::format("cadena-cmp-report-{}", ::getpid());
  std::filesystem::remove_all(folder);
  ASSERT_TRUE(write_run_outputs(*rep, folder).ok());
  auto a = engine::load_snapshot(folder.string(), {}, "");
  ASSERT_TRUE(a.ok()) << a.error().format();
  EXPECT_EQ(a->dataset, nullptr);  // a folder names its dataset; the report reads it on request
  ASSERT_EQ(a->facilities.size(), rep->result.facilities.size());
  for (std::size_t i = 0; i < a->facilities.size(); ++i) {
    EXPECT_EQ(a->facilities[i].id, rep->result.facilities[i].id);
    EXPECT_DOUBLE_EQ(a->facilities[i].output, rep->result.facilities[i].output);
    EXPECT_DOUBLE_EQ(a->facilities[i].co2_t, rep->result.facilities[i].co2_t);
    EXPECT_EQ(a->facilities[i].active, rep->result.facilities[i].active);
  }
  // The fixture is no built-in dataset: its name cannot be read back, and the note says so.
  auto note = engine::add_report_dataset(*a);
  ASSERT_TRUE(note.has_value());
  EXPECT_NE(note->find("could not be read"), std::string::npos) << *note;
  engine::RunOptions two_mines;
  two_mines.dataset = (fixtures / "two-mines").string();
  auto b = engine::load_snapshot("baseline", two_mines, "");
  ASSERT_TRUE(b.ok()) << b.error().format();
  ASSERT_NE(b->dataset, nullptr);
  EXPECT_FALSE(engine::add_report_dataset(*b).has_value());
  auto c = compare_runs(*a, *b);
  ASSERT_TRUE(c.ok()) << c.error().format();
  auto data = compare_report_json(*c, *a, *b, {*note});
  ASSERT_TRUE(data.ok()) << data.error().format();
  const auto j = nlohmann::json::parse(*data);
  EXPECT_EQ(j["kind"], "compare");
  EXPECT_EQ(j["comparison"], nlohmann::json::parse(compare_json(*c)));
  EXPECT_EQ(j["meta"]["notes"][0], *note);
  EXPECT_EQ(j["run_a"]["summary"], nlohmann::json::parse(a->summary_json));
  EXPECT_EQ(j["run_a"]["facilities"].size(), a->facilities.size());
  EXPECT_EQ(j["run_a"]["products"].size(), 0u);  // no dataset: the view leaves out Sankey and map
  EXPECT_EQ(j["run_a"]["flows"].size(), a->flows.size());
  EXPECT_EQ(j["run_b"]["products"].size(), b->dataset->products.size());
  EXPECT_EQ(j["run_b"]["stages"].size(), j["run_b"]["summary"]["stages"].size());
  auto broken = RunSnapshot{"broken", "[1]", {}};
  EXPECT_FALSE(compare_report_json(*c, *a, broken).ok());
  std::filesystem::remove_all(folder);
}

}  // namespace
}  // namespace cadena::report
