#pragma once
// The timings cadena reports (load, build, solve, pit seconds) all come from steady_clock, so a
// wall-clock change during a run cannot make a time negative.
#include <chrono>

namespace cadena {

inline double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace cadena
