#pragma once
// The cohort stock model of products in use (docs/formulation.md, "Recycling"): what is placed on
// the market in year c leaves use (reaches end of life) in year c + a with the probability the
// lifetime distribution gives age a. Pure arithmetic, no data: the pathway feeds it the yearly
// quantities placed on the market and gets the yearly end-of-life quantities back.
#include <vector>

namespace cadena::model {

// Weibull lifetime: survival S(x) = exp(-(x / scale)^shape), x in years. A unit placed on the
// market in year c retires in year c + a (a = 1, 2, ...) with probability S(a - 1) - S(a): it
// serves at least its first year. shape = 1 is the exponential lifetime (a constant retirement
// rate); larger shapes concentrate retirements around the scale.
struct WeibullLifetime {
  double shape = 1.0;
  double scale = 10.0;
  double survival(double years) const;
  // Probability of retiring at age a (a >= 1); 0 for a < 1.
  double retire_at_age(int a) const;
};

// End of life per year: out[t] = sum_{c <= t} inflow[c] x retire_at_age(t - c), with inflow and
// out indexed by the same consecutive years (index 0 = the first year of inflow).
std::vector<double> end_of_life(const std::vector<double>& inflow, const WeibullLifetime& life);

// In use at the end of each year: cumulative inflow minus cumulative end of life.
std::vector<double> in_use(const std::vector<double>& inflow, const std::vector<double>& out);

}  // namespace cadena::model
