#pragma once
// Maximum-weight closure by pseudoflow (Hochbaum 2008), highest-label variant (Chandran &
// Hochbaum 2009) with strong roots in FIFO buckets by label, a current-arc pointer per block and
// gap detection. See docs/pit.md for the method and the invariants.
//
// Arithmetic is exact: block values are 64-bit integers (callers scale decimals, see readers.hpp),
// and the sum of the positive values must stay below 2^62 (checked), so no flow can overflow.
//
// Memory: about 61 bytes per block plus the caller's values; the precedence arcs are never stored
// by the solver (for a GridPrecedence they are never stored at all). This works because every
// precedence arc has infinite capacity: an arc leaves the normalized tree only when its flow drops
// to zero, so flow lives only on tree arcs, one per non-root node.
#include <cstdint>
#include <span>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/pit/precedence.hpp"

namespace cadena::pit {

struct ClosureStats {
  std::uint64_t mergers = 0;
  std::uint64_t relabels = 0;  // root relabels (one per exhausted branch scan)
  std::uint64_t gaps = 0;      // label gaps that froze everything above them
};

struct Closure {
  std::vector<std::uint8_t> in_pit;  // 1 = block is in the maximum closure (the smallest one)
  std::int64_t value = 0;            // sum of values over the closure
  std::size_t blocks = 0;            // number of blocks in the closure
  ClosureStats stats;
};

// The smallest maximum-weight closure: blocks of value 0 are left out unless required.
Result<Closure> max_closure(std::span<const std::int64_t> values, const ExplicitPrecedence& prec);
Result<Closure> max_closure(std::span<const std::int64_t> values, const GridPrecedence& prec);

// True when every block of the set has all its requirements in the set.
bool is_closed(std::span<const std::uint8_t> in_pit, const ExplicitPrecedence& prec);
bool is_closed(std::span<const std::uint8_t> in_pit, const GridPrecedence& prec);

}  // namespace cadena::pit
