#include "cadena/pit/model.hpp"

#include <cmath>

#include <fmt/format.h>

namespace cadena::pit {

std::vector<std::int64_t> PitModel::values_at(double rf) const {
  if (rf == 1.0) return values;  // no re-rounding of the values as read
  std::vector<std::int64_t> out(values.size());
  for (std::size_t b = 0; b < values.size(); ++b)
    out[b] = static_cast<std::int64_t>(std::nearbyint(value_of(b, rf) * value_scale));
  return out;
}

std::array<int, 3> PitModel::coord(std::size_t b) const {
  if (!coords.empty()) return coords[b];
  if (const auto* g = std::get_if<GridPrecedence>(&precedence)) {
    const std::size_t plane = static_cast<std::size_t>(g->nx()) * g->ny();
    const auto z = static_cast<int>(b / plane);
    const std::size_t r = b % plane;
    return {static_cast<int>(r % g->nx()), static_cast<int>(r / g->nx()), z};
  }
  return {static_cast<int>(b), 0, 0};
}

double PitModel::revenue_of(std::size_t b) const {
  if (!revenue.empty()) return revenue[b];
  return values[b] > 0 ? static_cast<double>(values[b]) / value_scale : 0.0;
}
double PitModel::cost_process_of(std::size_t b) const {
  if (!cost_process.empty()) return cost_process[b];
  return values[b] < 0 ? -static_cast<double>(values[b]) / value_scale : 0.0;
}
double PitModel::cost_waste_of(std::size_t b) const {
  if (!cost_waste.empty()) return cost_waste[b];
  return values[b] < 0 ? -static_cast<double>(values[b]) / value_scale : 0.0;
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
  auto c = std::visit([&](const auto& p) { return max_closure(values, p); }, m.precedence);
  // The values are the file's (too large a sum for the solver): say which file.
  if (!c && c.error().context.file.empty()) c.error().context.file = m.source;
  return c;
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
  m.source = prefix + ".upit";
  m.value_scale = ml->value_scale;
  m.values = std::move(ml->values);
  m.precedence = std::move(ml->precedence);
  m.coords.reserve(ml->blocks.size());
  for (const auto& b : ml->blocks) m.coords.push_back({b.x, b.y, b.z});
  return m;
}

Result<PitModel> load_values_grid(const std::string& values_file, int nx, int ny, int nz, const SlopeSpec& slope) {
  auto prec = GridPrecedence::from_slope(nx, ny, nz, slope);
  CADENA_TRY(prec);
  auto values = read_values_file(values_file, prec->size());
  CADENA_TRY(values);
  PitModel m;
  m.source = values_file;
  m.values = std::move(*values);
  m.precedence = std::move(*prec);
  return m;
}

Result<PitModel> load_values_prec(const std::string& values_file, const std::string& prec_file) {
  auto values = read_values_file(values_file, 0);
  CADENA_TRY(values);
  if (values->empty()) return make_error(ErrorCategory::Missing, "no block values", {values_file, 0, "", ""});
  auto prec = read_precedence_file(prec_file, values->size());
  CADENA_TRY(prec);
  PitModel m;
  m.source = values_file;
  m.values = std::move(*values);
  m.precedence = std::move(*prec);
  return m;
}

Result<PitModel> load_block_csv(const std::string& csv, const Economics& econ, const SlopeSpec& slope,
                                const std::string& prec_file) {
  auto pm = read_block_csv(csv, econ);
  CADENA_TRY(pm);
  PitModel m;
  m.source = csv;
  m.value_scale = econ.value_scale;
  m.values = std::move(pm->values);
  m.tonnes = std::move(pm->tonnes);
  m.grade = std::move(pm->grade);
  m.revenue = std::move(pm->revenue);
  m.cost_process = std::move(pm->cost_process);
  m.cost_waste = std::move(pm->cost_waste);
  if (!prec_file.empty()) {
    grid_coords(m, pm->nx, pm->ny, pm->nz);  // explicit precedence: keep the CSV's grid position
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
