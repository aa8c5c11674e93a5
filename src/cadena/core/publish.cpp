#include "cadena/core/publish.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

#include "cadena/core/atomic_file.hpp"
#include "cadena/core/crash_point.hpp"
#include "cadena/core/text.hpp"

namespace cadena {

namespace fs = std::filesystem;

namespace {

Error io_error(const fs::path& p, const std::string& what, const std::error_code& ec) {
  return make_error(ErrorCategory::Io, fmt::format("{}: {}", what, ec.message()), {p.string(), 0, "", ""});
}

Status write_whole(const fs::path& p, std::string_view text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  if (!f) return make_error(ErrorCategory::Io, "cannot open for writing", {p.string(), 0, "", ""});
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) return make_error(ErrorCategory::Io, "write failed", {p.string(), 0, "", ""});
  return ok_status();
}

// A process id that may still be working on its leftovers.
bool process_alive(long pid) {
  if (pid <= 0) return false;
  if (pid == static_cast<long>(::getpid())) return true;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// ".<stem>.<kind>-<pid>" -> pid, or -1.
long leftover_pid(const std::string& entry, const std::string& stem, const char* kind) {
  const std::string prefix = fmt::format(".{}.{}-", stem, kind);
  if (entry.size() <= prefix.size() || entry.compare(0, prefix.size(), prefix) != 0) return -1;
  long pid = -1;
  const char* b = entry.data() + prefix.size();
  const char* e = entry.data() + entry.size();
  auto [p, ec] = std::from_chars(b, e, pid);
  return (ec == std::errc() && p == e) ? pid : -1;
}

// Cleans up after runs killed while publishing `target`; says what it did.
void recover(const fs::path& parent, const fs::path& target, std::vector<std::string>& notes) {
  const std::string stem = target.filename().string();
  std::error_code ec;
  std::vector<fs::path> olds, tmps;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (long pid = leftover_pid(name, stem, "old"); pid > 0 && !process_alive(pid)) olds.push_back(it->path());
    if (long pid = leftover_pid(name, stem, "tmp"); pid > 0 && !process_alive(pid)) tmps.push_back(it->path());
  }
  for (const fs::path& old : olds) {
    std::error_code e;
    if (!fs::exists(target, e)) {
      fs::rename(old, target, e);
      if (!e) {
        notes.push_back(fmt::format("restored {} from {}, left by a run killed while publishing", target.string(),
                                    old.filename().string()));
        continue;
      }
    }
    fs::remove_all(old, e);
    if (!e) notes.push_back(fmt::format("removed {}, left by a run killed while publishing", old.string()));
  }
  for (const fs::path& tmp : tmps) {
    std::error_code e;
    fs::remove_all(tmp, e);
    if (!e) notes.push_back(fmt::format("removed {}, left by a run killed before it finished", tmp.string()));
  }
}

// Swaps two paths atomically; false when the file system (or kernel) cannot.
bool exchange(const fs::path& a, const fs::path& b, std::error_code& ec) {
  if (const char* off = std::getenv("CADENA_PUBLISH_NO_EXCHANGE"); off && *off) return false;  // tests, odd file systems
#ifdef RENAME_EXCHANGE
  if (::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0) return true;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) ec = std::error_code(errno, std::generic_category());
#else
  (void)a;
  (void)b;
  (void)ec;
#endif
  return false;
}

}  // namespace

Status check_folder_name(std::string_view name) {
  const char* expected =
      "expected 1 to 100 characters without '/', '\\' or control characters, not starting with '.'; it names the "
      "output folder ./out/<name>";
  bool bad = name.empty() || name.size() > 100 || name.front() == '.' || first_invalid_utf8(name).has_value();
  for (char c : name) bad = bad || c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  if (bad) return make_error(ErrorCategory::Value, fmt::format("name {} cannot name a folder; {}", echo(name), expected));
  return ok_status();
}

Result<Publication> publish_folder(const fs::path& dir, const std::vector<OutputFile>& files, std::string_view marker) {
  std::error_code ec;
  fs::path target = fs::absolute(dir, ec).lexically_normal();
  if (ec) return io_error(dir, "cannot resolve the output folder", ec);
  if (target.filename().empty()) target = target.parent_path();  // "out/" names the folder out
  if (target == target.root_path() || target.filename() == "..")
    return make_error(ErrorCategory::Io, "cannot be an output folder; expected a folder name", {dir.string(), 0, "", ""});
  Publication pub;
  pub.folder = target;
  const fs::path parent = target.parent_path();
  fs::create_directories(parent, ec);
  if (ec) return io_error(parent, "cannot create the output folder's parent", ec);
  recover(parent, target, pub.notes);

  // Only an empty folder or one cadena wrote may be replaced.
  const auto st = fs::symlink_status(target, ec);
  const bool exists = fs::exists(st);
  if (exists) {
    if (!fs::is_directory(st))
      return make_error(ErrorCategory::Io, "exists and is not a folder; expected a folder cadena may (re)write",
                        {target.string(), 0, "", ""});
    const bool empty = fs::is_empty(target, ec);
    if (!empty && !fs::exists(target / kOutputMarker, ec))
      return make_error(ErrorCategory::Io,
                        fmt::format("exists, is not empty and was not written by cadena (it has no {} file); expected a "
                                    "new or empty folder, or one cadena wrote; nothing was changed",
                                    kOutputMarker),
                        {target.string(), 0, "", ""});
  }

  const long pid = static_cast<long>(::getpid());
  const std::string stem = target.filename().string();
  const fs::path tmp = parent / fmt::format(".{}.tmp-{}", stem, pid);
  fs::remove_all(tmp, ec);
  fs::create_directory(tmp, ec);
  if (ec) return io_error(tmp, "cannot create a temporary output folder", ec);
  auto fail = [&](Error e) -> Error {
    std::error_code ignore;
    fs::remove_all(tmp, ignore);
    return e;
  };
  for (const OutputFile& f : files) {
    auto w = write_whole(tmp / f.name, f.text);
    if (!w) return fail(w.error());
  }
  auto w = write_whole(tmp / kOutputMarker, fmt::format("{}{}written by cadena (process {})\n", marker,
                                                         marker.empty() || marker.back() == '\n' ? "" : "\n", pid));
  if (!w) return fail(w.error());
  crash_point("publish-written");

  if (!exists) {
    fs::rename(tmp, target, ec);  // also replaces an empty folder made meanwhile
    if (!ec) return pub;
    // Another run published the same folder meanwhile (twenty runs of one scenario into the
    // default ./out/<name>): replace it as any folder cadena wrote, else give up.
    const bool taken = ec == std::errc::directory_not_empty || ec == std::errc::file_exists;
    std::error_code mec;
    if (!taken || !fs::exists(target / kOutputMarker, mec))
      return fail(io_error(target, "cannot move the outputs into place", ec));
  }
  std::error_code xec;
  if (exchange(tmp, target, xec)) {
    fs::remove_all(tmp, ec);  // now the previous results
    return pub;
  }
  if (xec) return fail(io_error(target, "cannot replace the output folder", xec));
  // No atomic exchange here: two renames, the old folder aside in between (recoverable, item 4).
  const fs::path old = parent / fmt::format(".{}.old-{}", stem, pid);
  fs::remove_all(old, ec);
  fs::rename(target, old, ec);
  if (ec) return fail(io_error(target, "cannot replace the output folder", ec));
  crash_point("publish-old-moved");
  fs::rename(tmp, target, ec);
  if (ec) {
    std::error_code ignore;
    fs::rename(old, target, ignore);
    return fail(io_error(target, "cannot move the outputs into place", ec));
  }
  fs::remove_all(old, ec);
  return pub;
}

Result<bool> rewrite_marker(const fs::path& folder, std::string_view marker, std::string_view owner_line) {
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) {
    if (errno == ENOENT) return false;
    return io_error(folder, "cannot open the output folder", std::error_code(errno, std::generic_category()));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{dir};
  if (!owner_line.empty()) {
    std::string current;
    const int in = ::openat(dir, kOutputMarker, O_RDONLY | O_CLOEXEC);
    if (in < 0) return false;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(in, buf, sizeof buf)) > 0) current.append(buf, static_cast<std::size_t>(n));
    ::close(in);
    if (current.find(owner_line) == std::string::npos) return false;
  }
  const std::string text = fmt::format("{}{}written by cadena (process {})\n", marker,
                                       marker.empty() || marker.back() == '\n' ? "" : "\n", static_cast<long>(::getpid()));
  const std::string tmp = fmt::format("{}.tmp-{}", kOutputMarker, static_cast<long>(::getpid()));
  const int out = ::openat(dir, tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  // ENOENT here and at the rename: the opened folder was swapped out by a later run and is being
  // deleted by it, so it holds this run's results no longer.
  if (out < 0 && errno == ENOENT) return false;
  if (out < 0) return io_error(folder / tmp, "cannot open for writing", std::error_code(errno, std::generic_category()));
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t w = ::write(out, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      const std::error_code ec(errno, std::generic_category());
      ::close(out);
      ::unlinkat(dir, tmp.c_str(), 0);
      return io_error(folder / tmp, "write failed", ec);
    }
    done += static_cast<std::size_t>(w);
  }
  ::close(out);
  if (::renameat(dir, tmp.c_str(), dir, kOutputMarker) != 0) {
    const std::error_code ec(errno, std::generic_category());
    ::unlinkat(dir, tmp.c_str(), 0);
    if (ec == std::errc::no_such_file_or_directory) return false;
    return io_error(folder / kOutputMarker, "cannot replace the marker", ec);
  }
  return true;
}

std::optional<std::string> read_marker(const fs::path& folder) {
  std::ifstream in(folder / kOutputMarker, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace cadena
