// The published feasibility studies under examples/projects/: with the published inputs cadena
// must reproduce the published after-tax NPV within 10 % and IRR within 2 points (and the pre-tax
// figures, and the leveraged equity figures, where the study gives them). A case marked
// reproduced = false documents a known gap and must say why. One test per study
// (FinanceStudies/Study.Reproduced/<file>), and a test that every file under
// examples/projects/ is one of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "cadena/finance/load.hpp"

namespace cadena::finance {
namespace {

namespace fs = std::filesystem;

// Every study under examples/projects/, by file stem.
const std::vector<std::string> kStudies = {
    "altar_2025",     "arizaro_2023",   "bandeira_2023",   "cauchari_aal_2019", "cauchari_olaroz_2017",   "cotabambas_2015",     "falchani_2024",
    "grota_do_cirilo_2022", "hombre_muerto_west_2023", "los_azules_2023", "los_azules_2025", "maricunga_2022", "marimaca_2025", "olaroz_2011", "pozuelos_pastos_grandes_2018",
    "sal_de_vida_2016", "tres_quebradas_2021", "kachi_2020",
};

fs::path projects_dir() { return fs::path(CADENA_SOURCE_DIR) / "examples" / "projects"; }

class Study : public ::testing::TestWithParam<std::string> {};

TEST_P(Study, Reproduced) {
  const fs::path file = projects_dir() / (GetParam() + ".toml");
  auto pf = load_project(file.string());
  ASSERT_TRUE(pf.ok()) << pf.error().format();
  ASSERT_TRUE(pf->published.has_value()) << "an example must carry its published figures";
  const Published& pb = *pf->published;
  EXPECT_FALSE(pb.source.empty());
  const Evaluation ev = evaluate(pf->project);
  const Metrics& m = ev.metrics;
  if (!pb.reproduced) {
    EXPECT_FALSE(pb.note.empty()) << "a case that is not reproduced must say why";
    return;
  }
  ASSERT_TRUE(std::isfinite(pb.npv_after_tax_musd));
  ASSERT_TRUE(std::isfinite(pb.irr_after_tax));
  EXPECT_NEAR(m.npv_after_tax, pb.npv_after_tax_musd, 0.10 * pb.npv_after_tax_musd);
  EXPECT_NEAR(m.irr_after_tax, pb.irr_after_tax, 0.02);
  if (std::isfinite(pb.npv_pre_tax_musd)) {
    EXPECT_NEAR(m.npv_pre_tax, pb.npv_pre_tax_musd, 0.10 * pb.npv_pre_tax_musd);
  }
  if (std::isfinite(pb.irr_pre_tax)) {
    EXPECT_NEAR(m.irr_pre_tax, pb.irr_pre_tax, 0.02);
  }
  // A leveraged case: the shareholder's NPV and IRR after debt service.
  if (std::isfinite(pb.npv_equity_musd)) {
    ASSERT_TRUE(pf->project.debt.active()) << "equity figures are compared only for a project with debt";
    EXPECT_NEAR(m.npv_equity, pb.npv_equity_musd, 0.10 * pb.npv_equity_musd);
  }
  if (std::isfinite(pb.irr_equity)) {
    EXPECT_NEAR(m.irr_equity, pb.irr_equity, 0.02);
  }
}

INSTANTIATE_TEST_SUITE_P(FinanceStudies, Study, ::testing::ValuesIn(kStudies),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param; });

TEST(FinanceExamples, EveryStudyFileIsTested) {
  std::set<std::string> listed(kStudies.begin(), kStudies.end());
  int reproduced = 0;
  for (const auto& e : fs::directory_iterator(projects_dir())) {
    if (e.path().extension() != ".toml") continue;
    EXPECT_TRUE(listed.count(e.path().stem().string())) << e.path().filename() << " is not in kStudies";
    auto pf = load_project(e.path().string());
    ASSERT_TRUE(pf.ok()) << pf.error().format();
    if (pf->published && pf->published->reproduced) ++reproduced;
  }
  EXPECT_GE(reproduced, 3);
}

}  // namespace
}  // namespace cadena::finance
