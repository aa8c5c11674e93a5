#include "cadena/pit/precedence.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <cstdlib>
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

namespace {

// Horizontal reach of bench k at the flattest angle, in grid steps along one axis, cut at `cap`.
// Computed in double and clamped before the conversion: a reach of 1e300 steps is `cap`, never an
// int overflow.
int reach_steps(double height, double min_angle_deg, double step, int cap) {
  constexpr double kEps = 1e-9;  // lattice points exactly on the cone (3-4-5 at 45 degrees) stay inside
  const double reach = height / std::tan(min_angle_deg * std::numbers::pi / 180.0);
  const double steps = std::floor(reach / step + kEps);
  if (!(steps < static_cast<double>(cap))) return cap;  // also NaN
  return steps < 0 ? 0 : static_cast<int>(steps);
}

double min_angle_of(const SlopeSpec& s) {
  double min_angle = 90.0;
  for (double a : s.angles_deg) min_angle = std::min(min_angle, a);
  return min_angle;
}

template <class F>
void for_each_cone_offset(const SlopeSpec& s, int max_dx, int max_dy, F&& f) {
  constexpr double kEps = 1e-9;
  const double min_angle = min_angle_of(s);
  for (int k = 1; k <= s.benches; ++k) {
    const double height = k * s.block_z;
    const int rx = reach_steps(height, min_angle, s.block_x, max_dx);
    const int ry = reach_steps(height, min_angle, s.block_y, max_dy);
    for (int dy = -ry; dy <= ry; ++dy) {
      for (int dx = -rx; dx <= rx; ++dx) {
        const double hx = dx * s.block_x, hy = dy * s.block_y;
        const double dist = std::hypot(hx, hy);
        const double angle = dist == 0 ? 90.0 : slope_angle_for(s, hx, hy);
        const double reach = height / std::tan(angle * std::numbers::pi / 180.0);
        if (dist <= reach * (1 + kEps) + kEps) f(GridOffset{dx, dy, k});
      }
    }
  }
}

}  // namespace

Status check_slope(const SlopeSpec& s, int nx, int ny) {
  if (s.angles_deg.empty()) return make_error(ErrorCategory::Missing, "no slope angle given", {"", 0, "--slope", ""});
  for (double a : s.angles_deg)
    if (!(a >= kMinSlopeDeg && a <= kMaxSlopeDeg))
      return make_error(ErrorCategory::Value,
                        fmt::format("slope angle {} deg: expected {} <= angle <= {} degrees", a, kMinSlopeDeg, kMaxSlopeDeg),
                        {"", 0, "--slope", ""});
  if (s.benches < 1 || s.benches > 64)
    return make_error(ErrorCategory::Value, fmt::format("benches {}: expected 1..64", s.benches), {"", 0, "--benches", ""});
  for (double b : {s.block_x, s.block_y, s.block_z})
    if (!(b > 0 && b <= 1e6))
      return make_error(ErrorCategory::Value, fmt::format("block size {}: expected a length > 0 and <= 1e6", b),
                        {"", 0, "--block-size", ""});
  const int max_dx = std::clamp(nx - 1, 0, GridPrecedence::kMaxReach);
  const int max_dy = std::clamp(ny - 1, 0, GridPrecedence::kMaxReach);
  // A bound first (the box around the top bench's disc, times the benches), so a hopeless cone
  // is refused without counting it; then the exact count.
  const double min_angle = min_angle_of(s);
  const double top = s.benches * s.block_z;
  const double box = (2.0 * reach_steps(top, min_angle, s.block_x, max_dx) + 1) *
                     (2.0 * reach_steps(top, min_angle, s.block_y, max_dy) + 1) * s.benches;
  std::size_t count = 0;
  if (box <= 8.0 * kMaxConeOffsets) for_each_cone_offset(s, max_dx, max_dy, [&](const GridOffset&) { ++count; });
  if (box > 8.0 * kMaxConeOffsets || count > kMaxConeOffsets)
    return make_error(ErrorCategory::Value,
                      fmt::format("a slope of {} deg over {} benches of blocks {} x {} x {} gives a search cone of {}{} "
                                  "offsets, more than the {} the solver takes; expected a steeper --slope, fewer --benches "
                                  "or larger blocks",
                                  min_angle, s.benches, s.block_x, s.block_y, s.block_z,
                                  box > 8.0 * kMaxConeOffsets ? "about " : "",
                                  box > 8.0 * kMaxConeOffsets ? static_cast<std::size_t>(box * 0.785) : count,
                                  kMaxConeOffsets),
                      {"", 0, "--slope", ""});
  return ok_status();
}

std::vector<GridOffset> GridPrecedence::cone_offsets(const SlopeSpec& s, int max_dx, int max_dy) {
  std::vector<GridOffset> out;
  for_each_cone_offset(s, std::clamp(max_dx, 0, kMaxReach), std::clamp(max_dy, 0, kMaxReach),
                       [&](const GridOffset& o) { out.push_back(o); });
  return out;
}

std::vector<GridOffset> GridPrecedence::minimal_pattern(const std::vector<GridOffset>& cone) {
  if (cone.empty()) return {};
  // The cone as a dense bitmap over its bounding box: one lookup per candidate pair.
  int rx = 0, ry = 0, rz = 0;
  for (const auto& o : cone) {
    rx = std::max(rx, std::abs(o.dx));
    ry = std::max(ry, std::abs(o.dy));
    rz = std::max(rz, o.dz);
  }
  const std::size_t wx = 2 * static_cast<std::size_t>(rx) + 1, wy = 2 * static_cast<std::size_t>(ry) + 1;
  std::vector<std::uint8_t> in_cone(wx * wy * (static_cast<std::size_t>(rz) + 1), 0);
  auto at = [&](int dx, int dy, int dz) -> std::size_t {
    return static_cast<std::size_t>(dx + rx) + wx * (static_cast<std::size_t>(dy + ry) + wy * static_cast<std::size_t>(dz));
  };
  for (const auto& o : cone) in_cone[at(o.dx, o.dy, o.dz)] = 1;
  // Candidates p, lowest benches first and the vertical (0, 0, 1) ahead, so the usual proof of
  // redundancy is found on the first try.
  std::vector<GridOffset> by_dz = cone;
  std::stable_sort(by_dz.begin(), by_dz.end(), [](const GridOffset& a, const GridOffset& b) {
    return std::tuple(a.dz, std::abs(a.dx) + std::abs(a.dy)) < std::tuple(b.dz, std::abs(b.dx) + std::abs(b.dy));
  });
  std::vector<GridOffset> out;
  for (const auto& o : cone) {
    bool redundant = false;
    // o is implied when it is p + q with p, q in the cone (dz of each >= 1, so p has dz < o.dz).
    for (const auto& p : by_dz) {
      if (p.dz >= o.dz) break;
      const int qx = o.dx - p.dx, qy = o.dy - p.dy;
      if (std::abs(qx) > rx || std::abs(qy) > ry) continue;
      if (in_cone[at(qx, qy, o.dz - p.dz)]) {
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
    return make_error(ErrorCategory::Value, fmt::format("grid {}x{}x{}: every dimension must be positive", nx, ny, nz),
                      {"", 0, "--grid", ""});
  if (static_cast<double>(nx) * ny * nz >= 4.0e9)
    return make_error(ErrorCategory::Value, "grid has more than 4e9 blocks; ids are 32-bit", {"", 0, "--grid", ""});
  CADENA_TRY(check_slope(s, nx, ny));
  return GridPrecedence(nx, ny, nz, minimal_pattern(cone_offsets(s, nx - 1, ny - 1)));
}

ExplicitPrecedence GridPrecedence::to_explicit() const {
  std::vector<std::pair<BlockId, BlockId>> arcs;
  for (BlockId b = 0; b < size(); ++b)
    for_each_requirement(b, [&](BlockId p) { arcs.emplace_back(b, p); });
  return ExplicitPrecedence::from_arcs(size(), arcs);
}

}  // namespace cadena::pit
