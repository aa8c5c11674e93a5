#include "cadena/core/memory_limit.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace cadena {

namespace {

std::atomic<std::uint64_t> g_limit{0};

std::uint64_t physical_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return std::uint64_t{8} << 30;  // unknown: assume 8 GB
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
}

std::string gigabytes(double bytes) {
  if (bytes < 1e9) return fmt::format("{:.0f} MB", bytes / 1e6);
  return fmt::format("{:.3g} GB", bytes / 1e9);
}

}  // namespace

Result<std::uint64_t> parse_memory_size(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (!s.empty() && (s.back() == 'B' || s.back() == 'b')) s.remove_suffix(1);
  double scale = 1.0;
  if (!s.empty()) {
    switch (s.back()) {
      case 'K': case 'k': scale = 1024.0; break;
      case 'M': case 'm': scale = 1024.0 * 1024; break;
      case 'G': case 'g': scale = 1024.0 * 1024 * 1024; break;
      case 'T': case 't': scale = 1024.0 * 1024 * 1024 * 1024; break;
      default: break;
    }
    if (scale != 1.0) s.remove_suffix(1);
  }
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  const double bytes = v * scale;
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || !(bytes >= 1024.0 * 1024 && bytes <= 1e15))
    return make_error(ErrorCategory::Value,
                      "expected a memory size between 1M and 1P such as 512M, 4G or 1.5G (powers of 1024)");
  return static_cast<std::uint64_t>(bytes);
}

std::uint64_t memory_limit() {
  if (const std::uint64_t set = g_limit.load()) return set;
  if (const char* env = std::getenv("CADENA_MAX_MEMORY"); env && *env)
    if (auto v = parse_memory_size(env)) return *v;
  return physical_memory();
}

void set_memory_limit(std::uint64_t bytes) { g_limit.store(bytes); }

Status check_memory(double bytes, std::string_view what, ErrorContext where) {
  const double limit = static_cast<double>(memory_limit());
  if (!(bytes <= limit))
    return make_error(ErrorCategory::Value,
                      fmt::format("{} needs about {}, more than the memory limit of {} (CADENA_MAX_MEMORY or --max-memory)",
                                  what, gigabytes(bytes), gigabytes(limit)),
                      std::move(where));
  return ok_status();
}

}  // namespace cadena
