#include "commands.hpp"

namespace cadena::cli {

void add_data_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("data", "not yet built");
  cmd->callback([&exit_code] { exit_code = kExitFailure; });
}

}  // namespace cadena::cli
