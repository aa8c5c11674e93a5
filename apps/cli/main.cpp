#include <fmt/core.h>

#include <exception>

#include "commands.hpp"

namespace cadena::cli {

int report_error(const Error& e) {
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
  app.set_version_flag("--version", "cadena 0.1.0");
  int exit_code = kExitOk;
  add_run_command(app, exit_code);
  add_validate_command(app, exit_code);
  add_data_command(app, exit_code);
  add_pit_command(app, exit_code);
  add_project_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitBadInput;
  } catch (const std::exception& e) {
    fmt::print(stderr, "cadena: internal error: {}\n", e.what());
    return kExitFailure;
  }
  return exit_code;
}
