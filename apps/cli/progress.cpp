// Progress on stderr for a person at a terminal: one line, rewritten in place, cleared when the
// command prints its result. Nothing when stderr is not a terminal (pipes, CI, tests) or with
// --quiet, so captured output never holds progress lines.
#include <fmt/core.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <string>

#include "commands.hpp"

namespace cadena::cli {

namespace {

class TerminalProgress final : public Progress {
 public:
  void phase(std::string_view name) override {
    std::lock_guard lock(m_mutex);
    m_phase = std::string(name);
    draw(fmt::format("cadena: {} ...", m_phase));
  }
  void advance(std::string_view what, long long done, long long total) override {
    // At most ten redraws a second, and always the last step.
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    const auto last = m_last.load(std::memory_order_relaxed);
    if (done < total && now - last < 100'000'000LL) return;
    std::lock_guard lock(m_mutex);
    m_last.store(now, std::memory_order_relaxed);
    const double pct = total > 0 ? 100.0 * static_cast<double>(done) / static_cast<double>(total) : 0.0;
    draw(fmt::format("cadena: {} {} {}/{} ({:.0f} %)", m_phase, what, done, total, pct));
  }
  void clear() {
    std::lock_guard lock(m_mutex);
    if (m_drawn) fmt::print(stderr, "\r\033[K");
    std::fflush(stderr);
    m_drawn = false;
  }

 private:
  void draw(const std::string& line) {
    fmt::print(stderr, "\r\033[K{}", line);
    std::fflush(stderr);
    m_drawn = true;
  }
  std::mutex m_mutex;
  std::string m_phase;
  std::atomic<long long> m_last{0};
  bool m_drawn = false;
};

bool g_quiet = false;

TerminalProgress& terminal() {
  static TerminalProgress p;
  return p;
}

}  // namespace

void set_quiet(bool quiet) { g_quiet = quiet; }
bool quiet() { return g_quiet; }

Progress* progress() {
  if (g_quiet || !::isatty(STDERR_FILENO)) return nullptr;
  return &terminal();
}

void end_progress() {
  if (progress()) terminal().clear();
}

}  // namespace cadena::cli
