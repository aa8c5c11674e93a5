// Ultimate-pit benchmark: pseudoflow on the regular models of ../shared/data/pit and the
// synthetic gen_blocks.py model, 45 degree slope by the 9-bench minimum search pattern.
// Each model runs in a forked child so VmHWM (peak resident memory) is that model's alone.
//
//   bench_pit                       all models found (CADENA_PIT_DATA_DIR, CADENA_SYN160)
//   bench_pit FILE NX NY NZ [REPS]  one model
#include <sys/wait.h>
#include <unistd.h>

#include <time.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include <fmt/core.h>

#include "cadena/pit/precedence.hpp"
#include "cadena/pit/pseudoflow.hpp"
#include "cadena/pit/readers.hpp"

namespace {

// CPU time of this process: on a shared machine the wall clock also counts other people's work.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

long vm_hwm_kb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

int run_one(const std::string& file, int nx, int ny, int nz, int reps) {
  using clock = std::chrono::steady_clock;
  cadena::pit::SlopeSpec slope;
  slope.angles_deg = {45.0};
  slope.benches = 9;
  auto prec = cadena::pit::GridPrecedence::from_slope(nx, ny, nz, slope);
  if (!prec) return fmt::print(stderr, "{}\n", prec.error().format()), 1;
  const auto t0 = clock::now();
  auto values = cadena::pit::read_values_file(file, prec->size());
  if (!values) return fmt::print(stderr, "{}\n", values.error().format()), 1;
  const auto t1 = clock::now();
  double best = 1e30, best_cpu = 1e30;
  cadena::pit::Closure pit;
  for (int r = 0; r < reps; ++r) {
    const auto a = clock::now();
    const double ca = cpu_seconds();
    auto c = cadena::pit::max_closure(*values, *prec);
    const double cb = cpu_seconds();
    const auto b = clock::now();
    best_cpu = std::min(best_cpu, cb - ca);
    if (!c) return fmt::print(stderr, "{}\n", c.error().format()), 1;
    best = std::min(best, std::chrono::duration<double>(b - a).count());
    pit = std::move(*c);
  }
  const long hwm = vm_hwm_kb();
  const bool closed = cadena::pit::is_closed(pit.in_pit, *prec);
  fmt::print("{:<40} blocks {:>9}  pattern {} arcs  read {:.3f} s  solve {:.3f} s wall, {:.3f} s cpu (best of {})  "
             "pit {} blocks  value {}  closed {}  mergers {}  relabels {}  gaps {}  peak {:.1f} MB = {:.1f} B/block\n",
             file, prec->size(), prec->pattern().size(), std::chrono::duration<double>(t1 - t0).count(), best, best_cpu, reps,
             pit.blocks, pit.value, closed ? "yes" : "NO", pit.stats.mergers, pit.stats.relabels, pit.stats.gaps, hwm / 1024.0,
             hwm * 1024.0 / static_cast<double>(prec->size()));
  return closed ? 0 : 1;
}

int fork_one(const std::string& file, int nx, int ny, int nz, int reps) {
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int rc = run_one(file, nx, ny, nz, reps);
    std::fflush(stdout);
    _exit(rc);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 5) return run_one(argv[1], std::atoi(argv[2]), std::atoi(argv[3]), std::atoi(argv[4]), argc > 5 ? std::atoi(argv[5]) : 3);
  int rc = 0;
  if (const char* d = std::getenv("CADENA_PIT_DATA_DIR")) {
    rc |= fork_one(std::string(d) + "/sim2d76.dat", 75, 1, 40, 3);
    rc |= fork_one(std::string(d) + "/bauxitemed.dat", 120, 120, 26, 5);
  } else {
    fmt::print("CADENA_PIT_DATA_DIR unset: skipping bauxitemed\n");
  }
  if (const char* s = std::getenv("CADENA_SYN160")) rc |= fork_one(s, 160, 160, 80, 3);
  else fmt::print("CADENA_SYN160 unset: skipping the 2,048,000-block synthetic model (see bench/pit_bench.sh)\n");
  return rc;
}
