#pragma once
// The timings cadena reports (load, build, solve, pit seconds) all come from steady_clock, so a
// wall-clock change during a run cannot make a time negative. utc_now() is the one wall-clock
// stamp (reports' generated_at, the results store's run time).
#include <chrono>
#include <ctime>
#include <string>

namespace cadena {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Now in UTC as ISO 8601, "2026-12-02T05:30:00Z".
inline std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace cadena
