#include "cadena/pit/precedence.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <set>
#include <tuple>

#include <fmt/format.h>

namespace cadena::pit {

ExplicitPrecedence ExplicitPrecedence::from_arcs(std::size_t n_blocks,
                                                 std::span<const std::pair<BlockId, BlockId>> arcs) {
  std::vector<std::uint32_t> first(n_blocks + 1, 0);
  for (const auto& [b, p] : arcs) ++first[b + 1];
  for (std::size_t i = 0; i < n_blocks; ++i) first[i + 1] += first[i];
  std::vector<BlockId> targets(arcs.size());
  std::vector<std::uint32_t> fill(first.begin(), first.end() - 1);
  for (const auto& [b, p] : arcs) targets[fill[b]++] = p;
  return ExplicitPrecedence(std::move(first), std::move(targets));
}

GridPrecedence::GridPrecedence(int nx, int ny, int nz, std::vector<GridOffset> pattern)
    : m_nx(nx), m_ny(ny), m_nz(nz), m_pattern(std::move(pattern)) {
  std::sort(m_pattern.begin(), m_pattern.end(), [](const GridOffset& a, const GridOffset& b) {
    return std::tie(a.dz, a.dy, a.dx) < std::tie(b.dz, b.dy, b.dx);
  });
  for (const GridOffset& o : m_pattern) {
    const std::int64_t delta = o.dx + static_cast<std::int64_t>(nx) * (o.dy + static_cast<std::int64_t>(ny) * o.dz);
    m_arcs.push_back({o.dx, o.dy, o.dz, delta});
  }
}

namespace {

// Allowed horizontal reach per bench in direction (dx, dy), from the sector table.
double slope_angle_for(const SlopeSpec& s, double dx, double dy) {
  if (s.angles_deg.size() == 1) return s.angles_deg[0];
  const double two_pi = 2.0 * std::numbers::pi;
  // Azimuth measured clockwise from +y (north) towards +x (east).
  double az = std::atan2(dx, dy);
  if (az < 0) az += two_pi;
  const double width = two_pi / static_cast<double>(s.angles_deg.size());
  // Sector 0 is centred on azimuth 0.
  auto sector = static_cast<std::size_t>(std::floor((az + width / 2) / width)) % s.angles_deg.size();
  return s.angles_deg[sector];
}

}  // namespace

std::vector<GridOffset> GridPrecedence::cone_offsets(const SlopeSpec& s) {
  std::vector<GridOffset> out;
  // A tiny tolerance keeps lattice points exactly on the cone (3-4-5 at 45 degrees) inside despite
  // rounding in tan().
  constexpr double kEps = 1e-9;
  double min_angle = 90.0;
  for (double a : s.angles_deg) min_angle = std::min(min_angle, a);
  for (int k = 1; k <= s.benches; ++k) {
    const double height = k * s.block_z;
    const double max_reach = height / std::tan(min_angle * std::numbers::pi / 180.0);
    const int rx = static_cast<int>(std::floor(max_reach / s.block_x + kEps));
    const int ry = static_cast<int>(std::floor(max_reach / s.block_y + kEps));
    for (int dy = -ry; dy <= ry; ++dy) {
      for (int dx = -rx; dx <= rx; ++dx) {
        const double hx = dx * s.block_x, hy = dy * s.block_y;
        const double dist = std::hypot(hx, hy);
        const double angle = dist == 0 ? 90.0 : slope_angle_for(s, hx, hy);
        const double reach = height / std::tan(angle * std::numbers::pi / 180.0);
        if (dist <= reach * (1 + kEps) + kEps) out.push_back({dx, dy, k});
      }
    }
  }
  return out;
}

std::vector<GridOffset> GridPrecedence::minimal_pattern(const std::vector<GridOffset>& cone) {
  std::set<std::tuple<int, int, int>> in_cone;
  for (const auto& o : cone) in_cone.insert({o.dx, o.dy, o.dz});
  std::vector<GridOffset> out;
  for (const auto& o : cone) {
    bool redundant = false;
    // o is implied when it is p + q with p, q in the cone (dz of each >= 1, so p has dz < o.dz).
    for (const auto& p : cone) {
      if (p.dz >= o.dz) continue;
      if (in_cone.count({o.dx - p.dx, o.dy - p.dy, o.dz - p.dz})) {
        redundant = true;
        break;
      }
    }
    if (!redundant) out.push_back(o);
  }
  return out;
}

Result<GridPrecedence> GridPrecedence::from_slope(int nx, int ny, int nz, const SlopeSpec& s) {
  if (nx <= 0 || ny <= 0 || nz <= 0)
    return make_error(ErrorCategory::Value, fmt::format("grid {}x{}x{}: every dimension must be positive", nx, ny, nz));
  if (static_cast<double>(nx) * ny * nz >= 4.0e9)
    return make_error(ErrorCategory::Value, "grid has more than 4e9 blocks; ids are 32-bit");
  if (s.angles_deg.empty()) return make_error(ErrorCategory::Missing, "no slope angle given");
  for (double a : s.angles_deg)
    if (!(a > 0.0 && a < 90.0))
      return make_error(ErrorCategory::Value, fmt::format("slope angle {} deg: expected 0 < angle < 90", a));
  if (s.benches < 1 || s.benches > 64)
    return make_error(ErrorCategory::Value, fmt::format("benches {}: expected 1..64", s.benches));
  if (!(s.block_x > 0 && s.block_y > 0 && s.block_z > 0))
    return make_error(ErrorCategory::Value, "block dimensions must be positive");
  return GridPrecedence(nx, ny, nz, minimal_pattern(cone_offsets(s)));
}

ExplicitPrecedence GridPrecedence::to_explicit() const {
  std::vector<std::pair<BlockId, BlockId>> arcs;
  for (BlockId b = 0; b < size(); ++b)
    for_each_requirement(b, [&](BlockId p) { arcs.emplace_back(b, p); });
  return ExplicitPrecedence::from_arcs(size(), arcs);
}

}  // namespace cadena::pit
