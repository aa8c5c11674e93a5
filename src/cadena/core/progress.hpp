#pragma once
// Progress of long operations, for a front end to show. Library code never prints: it reports
// phases and counts to a Progress the caller passes (nullptr = nobody listens), and the front
// end decides what to show (apps/cli shows it on a terminal's stderr).
#include <string_view>

namespace cadena {

class Progress {
 public:
  virtual ~Progress() = default;
  // A named phase starts: "load", "build", "solve", "report", "shells", "Monte Carlo", ...
  virtual void phase(std::string_view name) = 0;
  // `done` of `total` units of work (Monte Carlo paths, pit shells, pathway years). May be
  // called from worker threads; implementations must be thread-safe and cheap.
  virtual void advance(std::string_view what, long long done, long long total) = 0;
};

// The same calls, doing nothing without a listener.
inline void progress_phase(Progress* p, std::string_view name) {
  if (p) p->phase(name);
}
inline void progress_advance(Progress* p, std::string_view what, long long done, long long total) {
  if (p) p->advance(what, done, total);
}

}  // namespace cadena
