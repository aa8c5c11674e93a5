#include "cadena/model/cohort.hpp"

#include <cmath>

namespace cadena::model {

double WeibullLifetime::survival(double years) const {
  if (years <= 0.0) return 1.0;
  return std::exp(-std::pow(years / scale, shape));
}

double WeibullLifetime::retire_at_age(int a) const {
  if (a < 1) return 0.0;
  return survival(a - 1) - survival(a);
}

std::vector<double> end_of_life(const std::vector<double>& inflow, const WeibullLifetime& life) {
  const std::size_t n = inflow.size();
  std::vector<double> pdf(n + 1, 0.0);
  for (std::size_t a = 1; a <= n; ++a) pdf[a] = life.retire_at_age(static_cast<int>(a));
  std::vector<double> out(n, 0.0);
  for (std::size_t c = 0; c < n; ++c) {
    if (inflow[c] == 0.0) continue;
    for (std::size_t t = c + 1; t < n; ++t) out[t] += inflow[c] * pdf[t - c];
  }
  return out;
}

std::vector<double> in_use(const std::vector<double>& inflow, const std::vector<double>& out) {
  std::vector<double> stock(inflow.size(), 0.0);
  double s = 0.0;
  for (std::size_t t = 0; t < inflow.size(); ++t) {
    s += inflow[t] - (t < out.size() ? out[t] : 0.0);
    stock[t] = s;
  }
  return stock;
}

}  // namespace cadena::model
