#pragma once
// Precedence between blocks: "block b may be mined only if every block it requires is mined".
// Two representations share one interface, for_each_requirement(b, f), so the solver is written
// once: an explicit arc list (MineLib .prec, explicit files) and an implicit regular-grid pattern
// that generates the arcs of a slope cone on the fly instead of storing them (2M blocks x 25 arcs
// would otherwise cost 200 MB).
#include <cstdint>
#include <span>
#include <vector>

#include "cadena/core/error.hpp"

namespace cadena::pit {

using BlockId = std::uint32_t;

// Compressed-row list of requirements: the blocks of m_targets[m_first[b] .. m_first[b+1]) must be
// mined before b.
class ExplicitPrecedence {
 public:
  ExplicitPrecedence() : m_first(1, 0) {}
  // arcs: pairs (b, required p); ids must be < n_blocks (checked by the readers).
  static ExplicitPrecedence from_arcs(std::size_t n_blocks,
                                      std::span<const std::pair<BlockId, BlockId>> arcs);
  // Builds directly from the per-block lists (used by readers that see one block per line).
  ExplicitPrecedence(std::vector<std::uint32_t> first, std::vector<BlockId> targets)
      : m_first(std::move(first)), m_targets(std::move(targets)) {}

  std::size_t size() const { return m_first.size() - 1; }
  std::size_t arc_count() const { return m_targets.size(); }
  std::span<const BlockId> requirements(BlockId b) const {
    return {m_targets.data() + m_first[b], m_targets.data() + m_first[b + 1]};
  }
  template <class F>
  void for_each_requirement(BlockId b, F&& f) const {
    for (std::uint32_t i = m_first[b], e = m_first[b + 1]; i < e; ++i) f(m_targets[i]);
  }
  // The first requirement of b, from the arc numbered `arc` on, for which pred holds; `arc` is
  // left on it (the solver's current-arc pointer). Returns `none` when there is none.
  template <class Pred>
  BlockId find_requirement(BlockId b, std::uint32_t& arc, BlockId none, Pred&& pred) const {
    const std::uint32_t base = m_first[b], e = m_first[b + 1];
    for (std::uint32_t i = base + arc; i < e; ++i)
      if (pred(m_targets[i])) {
        arc = i - base;
        return m_targets[i];
      }
    arc = e - base;
    return none;
  }

 private:
  std::vector<std::uint32_t> m_first;
  std::vector<BlockId> m_targets;
};

// Offset from a block to one block it requires, in grid steps; dz >= 1 (a bench above).
struct GridOffset {
  int dx = 0;
  int dy = 0;
  int dz = 0;
  friend bool operator==(const GridOffset&, const GridOffset&) = default;
};

// Slope of the pit wall: one angle, or one angle per azimuth sector (sectors split the circle
// evenly, the first centred on azimuth 0 = +y, clockwise towards +x, as a mine plan is read).
struct SlopeSpec {
  std::vector<double> angles_deg;  // one entry = constant slope
  double block_x = 1.0;            // block dimensions, same unit
  double block_y = 1.0;
  double block_z = 1.0;
  int benches = 9;                 // how many benches up the cone is enumerated
};

// The valid slope input (docs/pit.md, "Valid ranges"): every angle in [kMinSlopeDeg, kMaxSlopeDeg],
// 1..64 benches, block sizes finite in (0, 1e6], and a search cone of at most kMaxConeOffsets
// offsets on a grid of nx x ny blocks (a flatter slope reaches further per bench: 5 degrees over 9
// benches of cubic blocks is a cone of ~117,000 offsets). Value errors name the flag at fault
// (--slope, --benches, --block-size).
inline constexpr double kMinSlopeDeg = 5.0;
inline constexpr double kMaxSlopeDeg = 85.0;
inline constexpr std::size_t kMaxConeOffsets = 20000;
Status check_slope(const SlopeSpec& slope, int nx = 100000, int ny = 100000);

// Regular grid, ids x fastest, then y, then z (z = 0 the bottom bench). Requirements that fall
// outside the grid are dropped: the model ends there, as in MineFlow and the MineLib generators.
class GridPrecedence {
 public:
  GridPrecedence(int nx, int ny, int nz, std::vector<GridOffset> pattern);

  // The minimum search pattern for a slope: all (dx,dy,k), k = 1..benches, inside the slope cone,
  // reduced to those that are not the sum of two others (their transitive closure is the cone).
  // The slope is checked first (check_slope); offsets that reach past the grid are not enumerated.
  static Result<GridPrecedence> from_slope(int nx, int ny, int nz, const SlopeSpec& slope);
  // The cone, its horizontal reach cut at max_dx / max_dy grid steps (the grid's extent: a longer
  // offset never lands inside it). Call check_slope first: an unchecked slope may ask for more
  // offsets than memory holds.
  static std::vector<GridOffset> cone_offsets(const SlopeSpec& slope, int max_dx = kMaxReach, int max_dy = kMaxReach);
  static std::vector<GridOffset> minimal_pattern(const std::vector<GridOffset>& cone);
  static constexpr int kMaxReach = 100000;  // grid steps; the readers' largest index

  std::size_t size() const { return static_cast<std::size_t>(m_nx) * m_ny * m_nz; }
  int nx() const { return m_nx; }
  int ny() const { return m_ny; }
  int nz() const { return m_nz; }
  const std::vector<GridOffset>& pattern() const { return m_pattern; }

  BlockId id(int x, int y, int z) const {
    return static_cast<BlockId>(x + static_cast<std::int64_t>(m_nx) * (y + static_cast<std::int64_t>(m_ny) * z));
  }

  template <class F>
  void for_each_requirement(BlockId b, F&& f) const {
    const std::uint32_t plane = static_cast<std::uint32_t>(m_nx) * m_ny;
    const int z = static_cast<int>(b / plane);
    const std::uint32_t r = b - static_cast<std::uint32_t>(z) * plane;
    const int y = static_cast<int>(r / m_nx);
    const int x = static_cast<int>(r - static_cast<std::uint32_t>(y) * m_nx);
    for (const Arc& a : m_arcs) {
      if (z + a.dz >= m_nz) break;  // sorted by dz: the rest is above the model
      const int xx = x + a.dx, yy = y + a.dy;
      if (static_cast<unsigned>(xx) >= static_cast<unsigned>(m_nx) ||
          static_cast<unsigned>(yy) >= static_cast<unsigned>(m_ny))
        continue;
      f(static_cast<BlockId>(static_cast<std::int64_t>(b) + a.delta));
    }
  }

  // As ExplicitPrecedence::find_requirement; arcs are numbered in pattern order.
  template <class Pred>
  BlockId find_requirement(BlockId b, std::uint32_t& arc, BlockId none, Pred&& pred) const {
    const std::uint32_t plane = static_cast<std::uint32_t>(m_nx) * m_ny;
    const int z = static_cast<int>(b / plane);
    const std::uint32_t r = b - static_cast<std::uint32_t>(z) * plane;
    const int y = static_cast<int>(r / m_nx);
    const int x = static_cast<int>(r - static_cast<std::uint32_t>(y) * m_nx);
    const std::uint32_t n_arcs = static_cast<std::uint32_t>(m_arcs.size());
    for (std::uint32_t i = arc; i < n_arcs; ++i) {
      const Arc& a = m_arcs[i];
      if (z + a.dz >= m_nz) break;
      const int xx = x + a.dx, yy = y + a.dy;
      if (static_cast<unsigned>(xx) >= static_cast<unsigned>(m_nx) ||
          static_cast<unsigned>(yy) >= static_cast<unsigned>(m_ny))
        continue;
      const auto p = static_cast<BlockId>(static_cast<std::int64_t>(b) + a.delta);
      if (pred(p)) {
        arc = i;
        return p;
      }
    }
    arc = n_arcs;
    return none;
  }

  // Materialises the arcs (for tests and for small sub-models).
  ExplicitPrecedence to_explicit() const;

 private:
  struct Arc {
    int dx, dy, dz;
    std::int64_t delta;  // id difference
  };
  int m_nx, m_ny, m_nz;
  std::vector<GridOffset> m_pattern;
  std::vector<Arc> m_arcs;
};

}  // namespace cadena::pit
