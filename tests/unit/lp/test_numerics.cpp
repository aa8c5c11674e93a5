// The LP range check (lp/numerics.hpp): what CLP aborted on (issue 13) is refused with the names
// of the entries at fault; ordinary models pass.
#include <gtest/gtest.h>

#include <limits>

#include "cadena/lp/numerics.hpp"

namespace cadena::lp {
namespace {

// min x + 2 y, x + y >= 10, x - 3 y <= 4: coefficients 1..3, costs 1..2, rhs 10.
Model small() {
  Model m;
  const int x = m.add_column("flow:x", 0, kInf, 1);
  const int y = m.add_column("flow:y", 0, 100, 2);
  const int r = m.add_row("balance:a", 10, kInf);
  const int s = m.add_row("cap:b", -kInf, 4);
  m.add_coefficient(r, x, 1);
  m.add_coefficient(r, y, 1);
  m.add_coefficient(s, x, 1);
  m.add_coefficient(s, y, -3);
  return m;
}

TEST(Numerics, RangesOfASmallModel) {
  const auto r = numeric_ranges(small());
  EXPECT_EQ(r.matrix_min.value, 1);
  EXPECT_EQ(r.matrix_max.value, -3);
  EXPECT_DOUBLE_EQ(r.matrix_ratio(), 3);
  EXPECT_EQ(r.cost_max.value, 2);
  EXPECT_EQ(r.bound_max.value, 100);
  EXPECT_EQ(r.rhs_max.value, 10);
  EXPECT_TRUE(check_numerics(small()).ok());
  EXPECT_NE(describe(r).find("matrix [1.0e+00, 3.0e+00]"), std::string::npos) << describe(r);
}

TEST(Numerics, ACostOf1e40IsRefusedNamingTheColumn) {
  Model m = small();
  m.set_column_cost(1, 1e40);
  auto st = check_numerics(m);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().category, ErrorCategory::Value);
  EXPECT_NE(st.error().message.find("column 'flow:y'"), std::string::npos) << st.error().message;
}

TEST(Numerics, ABoundOf1e308IsRefusedNamingTheRow) {
  Model m = small();
  m.set_row_bounds(0, 1e308, kInf);
  auto st = check_numerics(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("row 'balance:a'"), std::string::npos) << st.error().message;
}

TEST(Numerics, AWideCoefficientRatioIsRefused) {
  // A yield of 1e-12: 1e12 units of input per unit of output beside coefficients of 1.
  Model m = small();
  m.add_coefficient(1, 0, 1e12);
  auto st = check_numerics(m);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("ratio"), std::string::npos) << st.error().message;
  Model tiny = small();
  tiny.add_coefficient(1, 1, 1e-12);
  EXPECT_FALSE(check_numerics(tiny).ok());
}

TEST(Numerics, NanAndInfiniteEntriesAreRefused) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Model a = small();
  a.add_coefficient(0, 0, kInf);
  EXPECT_FALSE(check_numerics(a).ok());
  Model b = small();
  b.set_column_bounds(0, nan, 1);
  EXPECT_FALSE(check_numerics(b).ok());
  Model c = small();
  c.set_column_cost(0, -kInf);
  EXPECT_FALSE(check_numerics(c).ok());
  Model d = small();
  d.set_objective_offset(nan);
  EXPECT_FALSE(check_numerics(d).ok());
}

TEST(Numerics, InfiniteBoundsMeanNoBound) {
  Model m;
  const int x = m.add_column("x", -kInf, kInf, 1);
  const int r = m.add_row("r", -kInf, kInf);
  m.add_coefficient(r, x, 1);
  EXPECT_TRUE(check_numerics(m).ok());
  EXPECT_EQ(numeric_ranges(m).bound_max.value, 0);
}

}  // namespace
}  // namespace cadena::lp
