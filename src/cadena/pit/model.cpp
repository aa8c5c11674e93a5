#include "cadena/pit/model.hpp"

#include <cmath>

#include <fmt/format.h>

namespace cadena::pit {

std::vector<std::int64_t> PitModel::values_at(double rf) const {
  std::vector<std::int64_t> out(values.size());
  for (std::size_t b = 0; b < values.size(); ++b)
    out[b] = static_cast<std::int64_t>(std::nearbyint(block_value(revenue[b], rf, cost_process[b], cost_waste[b]) * value_scale));
  return out;
}

void split_values(PitModel& m) {
  const std::size_t n = m.values.size();
  m.revenue.assign(n, 0.0);
  m.cost_process.assign(n, 0.0);
  m.cost_waste.assign(n, 0.0);
  for (std::size_t b = 0; b < n; ++b) {
    const double v = static_cast<double>(m.values[b]) / m.value_scale;
    if (v > 0) m.revenue[b] = v;
    else m.cost_process[b] = m.cost_waste[b] = -v;
  }
}

Result<Closure> solve(const PitModel& m, const std::vector<std::int64_t>& values) {
  return std::visit([&](const auto& p) { return max_closure(values, p); }, m.precedence);
}

bool is_closed(const PitModel& m, const std::vector<std::uint8_t>& in_pit) {
  return std::visit([&](const auto& p) { return is_closed(in_pit, p); }, m.precedence);
}

namespace {
void grid_coords(PitModel& m, int nx, int ny, int nz) {
  m.coords.resize(static_cast<std::size_t>(nx) * ny * nz);
  std::size_t b = 0;
  for (int z = 0; z < nz; ++z)
    for (int y = 0; y < ny; ++y)
      for (int x = 0; x < nx; ++x) m.coords[b++] = {x, y, z};
}
}  // namespace

Result<PitModel> load_minelib(const std::string& prefix, double value_scale) {
  auto ml = read_minelib(prefix, value_scale);
  CADENA_TRY(ml);
  PitModel m;
  m.value_scale = ml->value_scale;
  m.values = std::move(ml->values);
  m.precedence = std::move(ml->precedence);
  m.coords.reserve(ml->blocks.size());
  for (const auto& b : ml->blocks) m.coords.push_back({b.x, b.y, b.z});
  split_values(m);
  return m;
}

Result<PitModel> load_values_grid(const std::string& values_file, int nx, int ny, int nz, const SlopeSpec& slope) {
  auto prec = GridPrecedence::from_slope(nx, ny, nz, slope);
  CADENA_TRY(prec);
  auto values = read_values_file(values_file, prec->size());
  CADENA_TRY(values);
  PitModel m;
  m.values = std::move(*values);
  m.precedence = std::move(*prec);
  grid_coords(m, nx, ny, nz);
  split_values(m);
  return m;
}

Result<PitModel> load_values_prec(const std::string& values_file, const std::string& prec_file) {
  auto values = read_values_file(values_file, 0);
  CADENA_TRY(values);
  if (values->empty()) return make_error(ErrorCategory::Missing, "no block values", {values_file, 0, "", ""});
  auto prec = read_precedence_file(prec_file, values->size());
  CADENA_TRY(prec);
  PitModel m;
  m.values = std::move(*values);
  m.precedence = std::move(*prec);
  for (std::size_t b = 0; b < m.values.size(); ++b) m.coords.push_back({static_cast<int>(b), 0, 0});
  split_values(m);
  return m;
}

Result<PitModel> load_block_csv(const std::string& csv, const Economics& econ, const SlopeSpec& slope,
                                const std::string& prec_file) {
  auto pm = read_block_csv(csv, econ);
  CADENA_TRY(pm);
  PitModel m;
  m.value_scale = econ.value_scale;
  m.values = std::move(pm->values);
  m.tonnes = std::move(pm->tonnes);
  m.grade = std::move(pm->grade);
  m.revenue = std::move(pm->revenue);
  m.cost_process = std::move(pm->cost_process);
  m.cost_waste = std::move(pm->cost_waste);
  grid_coords(m, pm->nx, pm->ny, pm->nz);
  if (!prec_file.empty()) {
    auto prec = read_precedence_file(prec_file, m.values.size());
    CADENA_TRY(prec);
    m.precedence = std::move(*prec);
  } else {
    auto prec = GridPrecedence::from_slope(pm->nx, pm->ny, pm->nz, slope);
    CADENA_TRY(prec);
    m.precedence = std::move(*prec);
  }
  return m;
}

}  // namespace cadena::pit
