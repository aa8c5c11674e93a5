#include "cli_run.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace cadena::test {

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CliRun run_cli(const std::string& args, const std::string& env) {
  static int counter = 0;
  const std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) /
                                    ("cadena_cli_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  const std::string cmd = "cd '" CADENA_SOURCE_DIR "' && " + env + (env.empty() ? "" : " ") + "'" CADENA_CLI_PATH "' " +
                          args + " >'" + (dir / "out").string() + "' 2>'" + (dir / "err").string() + "'";
  const int status = std::system(cmd.c_str());
  CliRun r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(dir / "out");
  r.err = read_file(dir / "err");
  std::filesystem::remove_all(dir);
  return r;
}

}  // namespace cadena::test
