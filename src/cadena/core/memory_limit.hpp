#pragma once
// The memory a reader may commit to sizes a file declares (a MineLib NBLOCKS, a --grid, the extent
// of a block CSV), checked before allocating: a header that claims four billion blocks is bad
// input with a file and a line, not an out-of-memory crash. The limit is the physical memory of
// the machine unless CADENA_MAX_MEMORY ("512M", "4G", "1.5G", bytes) or set_memory_limit() (the
// CLI's --max-memory) says otherwise.
#include <cstdint>
#include <string_view>

#include "cadena/core/error.hpp"

namespace cadena {

std::uint64_t memory_limit();
void set_memory_limit(std::uint64_t bytes);  // 0 = back to the default

// "512M", "4G", "1.5G", "4096" (bytes), K/M/G/T powers of 1024, an optional trailing B. Value error
// when it is none of these or not between 1 MB and 1 PB.
Result<std::uint64_t> parse_memory_size(std::string_view text);

// A Value error when `bytes` exceed the limit: "<what> needs about N GB, more than the memory
// limit of M GB (CADENA_MAX_MEMORY or --max-memory)", with `where` as its context.
Status check_memory(double bytes, std::string_view what, ErrorContext where);

}  // namespace cadena
