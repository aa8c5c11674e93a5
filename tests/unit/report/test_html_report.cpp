// The HTML report page: self-contained (the libraries inline, a Content-Security-Policy that
// forbids every fetch), data that cannot end its <script> element, and stages, products and
// units taken from the run's dataset. The browser test (tests/browser) checks what it draws.
#include "cadena/report/html_report.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace cadena::report
