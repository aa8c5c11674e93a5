#include <fmt/core.h>

#include <exception>

#include "cadena/core/data_dir.hpp"
#include "cadena/core/version.hpp"
#include "commands.hpp"

namespace cadena::cli {

int report_error(const Error& e) {
  end_progress();
  fmt::print(stderr, "cadena: {}\n", e.format());
  switch (e.category) {
    case ErrorCategory::Solver:
    case ErrorCategory::Internal: return kExitFailure;
    default: return kExitBadInput;
  }
}

}  // namespace cadena::cli

int main(int argc, char** argv) {
  using namespace cadena::cli;
  CLI::App app{"cadena: the critical-minerals value chain, deposit to battery cell"};
  app.require_subcommand(1);
  // --version: the version and where the built-in data is read from.
  app.set_version_flag("--version", [] {
    const auto data = cadena::locate_data_dir();
    return fmt::format("cadena {}\nbuilt-in data: {} ({})", cadena::version(), data.path.string(), data.origin);
  });
  // --quiet anywhere on the line (subcommands fall through to it): no progress on stderr.
  app.fallthrough();
  app.add_flag_callback("--quiet,-q", [] { set_quiet(true); }, "no progress on stderr (shown only on a terminal anyway)");
  int exit_code = kExitOk;
  add_run_command(app, exit_code);
  add_compare_command(app, exit_code);
  add_calibrate_command(app, exit_code);
  add_validate_command(app, exit_code);
  add_data_command(app, exit_code);
  add_pit_command(app, exit_code);
  add_project_command(app, exit_code);
  add_runs_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "cadena: internal error: {}\n", e.what());
    return kExitFailure;
  }
  end_progress();
  return exit_code;
}
