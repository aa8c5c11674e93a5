#include "commands.hpp"

namespace cadena::cli {

void add_project_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("project", "not yet built");
  cmd->callback([&exit_code] { exit_code = kExitFailure; });
}

}  // namespace cadena::cli
