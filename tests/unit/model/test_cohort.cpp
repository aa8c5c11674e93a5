// The cohort stock model against closed forms (docs/formulation.md, "add_secondary_supply").
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "cadena/model/cohort.hpp"

namespace cadena::model {
namespace {

// Exponential lifetime (Weibull shape 1, scale L): a unit retires at age a with probability
// q^(a-1) (1 - q), q = exp(-1/L). A constant inflow I from year 0 gives end of life
// I (1 - q^t) in year t and a stock in use of I (1 - q^(t+1)) / (1 - q) at the end of year t.
TEST(Cohort, ConstantInflowWithExponentialLifetime) {
  const double I = 50.0, L = 8.0, q = std::exp(-1.0 / L);
  WeibullLifetime life{1.0, L};
  std::vector<double> inflow(40, I);
  const auto out = end_of_life(inflow, life);
  const auto stock = in_use(inflow, out);
  for (int t = 0; t < 40; ++t) {
    EXPECT_NEAR(out[static_cast<std::size_t>(t)], I * (1.0 - std::pow(q, t)), 1e-9) << t;
    EXPECT_NEAR(stock[static_cast<std::size_t>(t)], I * (1.0 - std::pow(q, t + 1)) / (1.0 - q), 1e-9) << t;
  }
}

// One cohort of 1,000 units placed in year 0 (Weibull shape 2.5, scale 12): year t receives
// 1000 (S(t-1) - S(t)); by year T, 1000 (1 - S(T)) have retired; none retire in year 0.
TEST(Cohort, OnePulseFollowsTheSurvivalCurve) {
  WeibullLifetime life{2.5, 12.0};
  std::vector<double> inflow(30, 0.0);
  inflow[0] = 1000.0;
  const auto out = end_of_life(inflow, life);
  EXPECT_DOUBLE_EQ(out[0], 0.0);
  double cum = 0.0;
  for (int t = 1; t < 30; ++t) {
    const double S0 = std::exp(-std::pow((t - 1) / 12.0, 2.5)), S1 = std::exp(-std::pow(t / 12.0, 2.5));
    EXPECT_NEAR(out[static_cast<std::size_t>(t)], 1000.0 * (S0 - S1), 1e-9) << t;
    cum += out[static_cast<std::size_t>(t)];
    EXPECT_NEAR(cum, 1000.0 * (1.0 - S1), 1e-9) << t;
  }
}

// A cohort placed later is the same curve shifted: linearity in the inflow.
TEST(Cohort, CohortsAddUp) {
  WeibullLifetime life{3.0, 10.0};
  std::vector<double> a(25, 0.0), b(25, 0.0), ab(25, 0.0);
  a[2] = 10.0;
  b[7] = 4.0;
  ab[2] = 10.0;
  ab[7] = 4.0;
  const auto oa = end_of_life(a, life), ob = end_of_life(b, life), oab = end_of_life(ab, life);
  for (std::size_t t = 0; t < 25; ++t) EXPECT_NEAR(oab[t], oa[t] + ob[t], 1e-12);
  EXPECT_NEAR(ob[8], 4.0 * (1.0 - std::exp(-std::pow(0.1, 3.0))), 1e-12);
}

}  // namespace
}  // namespace cadena::model
