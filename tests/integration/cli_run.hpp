#pragma once
// Runs the built `cadena` executable from the source folder (so paths in its messages are the
// relative ones the tests pass) and captures its exit code, stdout and stderr. Every black-box
// CLI test (integration/, pit, engine, finance, report) uses this one helper.
#include <filesystem>
#include <string>

namespace cadena::test {

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// `args` is appended to the command line as is (quote paths with spaces yourself);
// `env` is an optional "NAME=value" prefix.
CliRun run_cli(const std::string& args, const std::string& env = "");

// The whole text of a file (an output the CLI wrote, a fixture); "" when it cannot be read.
std::string read_file(const std::filesystem::path& p);

}  // namespace cadena::test
