// Dated stakes and look-through (model/ownership.hpp): the run year picks the stakes in force on
// 31 December, and a company's share passes to its shareholders in proportion to their stakes.
#include <gtest/gtest.h>

#include "cadena/model/ownership.hpp"

namespace cadena::model {
namespace {

Dataset sample() {
  Dataset d;
  d.countries = {{"CL", "Chile", "ROW", {}}, {"CN", "China", "CN", {}}, {"FR", "France", "EU", {}}};
  d.regions = {{"CN", "China", {}}, {"ROW", "Rest", {}}, {"EU", "EU", {}}};
  d.companies = {{"sqm", "SQM", "CL", {}}, {"tianqi", "Tianqi", "CN", {}}, {"eramet", "Eramet", "FR", {}},
                 {"tsingshan", "Tsingshan", "CN", {}}, {"holdco", "Holdco", "CN", {}}};
  Facility atacama;
  atacama.id = "atacama";
  atacama.owners = {{"sqm", 1.0}};
  Facility centenario;
  centenario.id = "centenario";
  d.facilities = {atacama, centenario};
  auto stake = [](std::string holder, std::string company, std::string facility, double share, std::string from,
                  std::string until) {
    Stake s;
    s.holder = holder;
    s.company = company;
    s.facility = facility;
    s.share = share;
    s.from = from;
    s.until = until;
    return s;
  };
  d.stakes = {stake("tianqi", "sqm", "", 0.2216, "2018-12", ""),
              stake("holdco", "tianqi", "", 0.5, "2020", ""),
              stake("eramet", "", "centenario", 0.501, "2021-03", "2024-10-24"),
              stake("tsingshan", "", "centenario", 0.499, "2021-03", "2024-10-24"),
              stake("eramet", "", "centenario", 1.0, "2024-10-24", "")};
  return d;
}

TEST(Ownership, DatesReadAsTheirFirstDay) {
  EXPECT_EQ(date_key("2024"), 20240101);
  EXPECT_EQ(date_key("2024-10"), 20241001);
  EXPECT_EQ(date_key("2024-10-24"), 20241024);
  EXPECT_FALSE(date_key("24-10-2024"));
  EXPECT_FALSE(date_key("2024-13"));
  EXPECT_FALSE(date_key(""));
}

// Tsingshan's 49.9 % ended on 24 October 2024: a 2023 run has it, a 2024 run has Eramet at 100 %.
TEST(Ownership, TheRunYearPicksTheStakesInForceAtItsEnd) {
  const Dataset d = sample();
  auto y2023 = owners_in_force(d, d.facilities[1], 2023);
  ASSERT_EQ(y2023.size(), 2u);
  EXPECT_EQ(y2023[0].company, "eramet");
  EXPECT_DOUBLE_EQ(y2023[0].share, 0.501);
  EXPECT_EQ(y2023[1].company, "tsingshan");
  auto y2024 = owners_in_force(d, d.facilities[1], 2024);
  ASSERT_EQ(y2024.size(), 1u);
  EXPECT_EQ(y2024[0].company, "eramet");
  EXPECT_DOUBLE_EQ(y2024[0].share, 1.0);
  EXPECT_TRUE(owners_in_force(d, d.facilities[1], 2020).empty());  // before 2021-03: nobody listed
}

// SQM owns Atacama; Tianqi holds 22.16 % of SQM and Holdco half of Tianqi: look-through gives
// SQM 77.84 %, Tianqi 11.08 %, Holdco 11.08 %. Before Tianqi bought in (2017) SQM holds it all.
TEST(Ownership, LookThroughPassesSharesToShareholders) {
  const Dataset d = sample();
  auto u = ultimate_owners(d, d.facilities[0], 2024);
  ASSERT_EQ(u.size(), 3u);
  EXPECT_EQ(u[0].company, "sqm");
  EXPECT_NEAR(u[0].share, 0.7784, 1e-12);
  EXPECT_NEAR(u[1].share + u[2].share, 0.2216, 1e-12);
  EXPECT_NEAR(u[1].share, 0.1108, 1e-12);
  EXPECT_NEAR(look_through_share(d, "holdco", "sqm", 2024), 0.1108, 1e-12);
  EXPECT_NEAR(look_through_share(d, "sqm", "sqm", 2024), 0.7784, 1e-12);
  auto before = ultimate_owners(d, d.facilities[0], 2017);
  ASSERT_EQ(before.size(), 1u);
  EXPECT_EQ(before[0].company, "sqm");
  EXPECT_DOUBLE_EQ(before[0].share, 1.0);
}

TEST(Ownership, ValidateRejectsFacilityOwnersGivenTwice) {
  Dataset d = sample();
  d.facilities[1].owners = {{"eramet", 1.0}};
  auto st = detail::validate_stakes(d);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().context.key, "facility");
  EXPECT_NE(st.error().message.find("one place"), std::string::npos) << st.error().message;
}

}  // namespace
}  // namespace cadena::model
