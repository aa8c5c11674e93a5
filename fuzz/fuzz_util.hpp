#pragma once
// Shared by the fuzz targets (fuzz/README.md): a private scratch folder for readers that take
// paths, and the split of one input into several files.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/core/memory_limit.hpp"

namespace cadena::fuzz {

// A folder of this process, on tmpfs when there is one (a write per execution costs little there),
// removed at exit.
inline std::filesystem::path& scratch_path() {
  static std::filesystem::path dir;
  return dir;
}

inline const std::filesystem::path& scratch() {
  namespace fs = std::filesystem;
  if (scratch_path().empty()) {
    std::error_code ec;
    const fs::path base = fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
    scratch_path() = base / ("cadena-fuzz-" + std::to_string(::getpid()));
    fs::remove_all(scratch_path(), ec);
    fs::create_directories(scratch_path());
    std::atexit([] {
      std::error_code e;
      std::filesystem::remove_all(scratch_path(), e);
    });
  }
  return scratch_path();
}

inline void write_file(const std::filesystem::path& p, std::string_view text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

// The input cut at each line "-----" (five dashes), into at most `n` parts; missing parts empty.
inline std::vector<std::string_view> split_parts(std::string_view data, std::size_t n) {
  std::vector<std::string_view> parts;
  constexpr std::string_view kSep = "\n-----\n";
  while (parts.size() + 1 < n) {
    const auto at = data.find(kSep);
    if (at == std::string_view::npos) break;
    parts.push_back(data.substr(0, at));
    data.remove_prefix(at + kSep.size());
  }
  parts.push_back(data);
  parts.resize(n);
  return parts;
}

// Takes one byte from the front of the input (0 when it is empty).
inline std::uint8_t take_byte(std::string_view& data) {
  if (data.empty()) return 0;
  const auto b = static_cast<std::uint8_t>(data.front());
  data.remove_prefix(1);
  return b;
}

// The oracle every target applies to a reader's error (issue 13, item 4): bad input is never an
// internal error, and its message names the file it came from (a command-line flag is its own
// context: key "--slope" and the like). A violation stops the run like a crash.
inline void check_error(const cadena::Error& e) {
  const bool internal = e.category == cadena::ErrorCategory::Internal;
  const bool no_file = e.context.file.empty() && e.context.key.rfind("--", 0) != 0;
  if (internal || no_file) {
    std::fprintf(stderr, "fuzz oracle: %s error: %s\n", internal ? "internal" : "file-less", e.format().c_str());
    __builtin_trap();
  }
}
// A target's setup (the fixture it reads once) must work; when it does not, every first input
// crashes, and libFuzzer's first input is the empty one (crash-da39a3ee..., SHA-1 of nothing):
// say that it is the setup, not the input, before stopping.
template <class R>
void setup_or_die(const R& r, const char* what) {
  if (r) return;
  std::fprintf(stderr, "fuzz setup failed (%s), not a finding: %s\n", what, r.error().format().c_str());
  std::abort();
}
template <class R>
bool ok_or_checked(const R& r) {
  if (!r.ok()) check_error(r.error());
  return r.ok();
}

// One of `options`, chosen by the next input byte.
inline double pick(std::string_view& data, std::initializer_list<double> options) {
  return *(options.begin() + take_byte(data) % options.size());
}

// The readers' memory limit (core/memory_limit.hpp) well inside libFuzzer's -rss_limit_mb, so
// a model too large for the run is refused by the reader, as the limit promises, not killed as
// out-of-memory; it also keeps every model small enough to solve within the timeout.
inline constexpr std::uint64_t kMemoryLimit = std::uint64_t{4} << 20;
inline void limit_memory() {
  static const bool done = [] {
    cadena::set_memory_limit(kMemoryLimit);
    return true;
  }();
  (void)done;
}

// The source folder's fixtures (tests/fixtures), compiled in by fuzz/CMakeLists.txt.
inline std::filesystem::path fixtures() { return CADENA_FIXTURES_DIR; }

}  // namespace cadena::fuzz
