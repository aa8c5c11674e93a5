// The README's scenario example is what a new user copies first: it must stay a valid scenario
// that runs on the built-in dataset.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "cli_run.hpp"

using cadena::test::run_cli;

namespace fs = std::filesystem;

TEST(Readme, ScenarioExampleValidatesAndRuns) {
  std::ifstream in(fs::path(CADENA_SOURCE_DIR) / "README.md");
  ASSERT_TRUE(in) << "README.md not found";
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  const auto begin = text.find("```toml\n");
  ASSERT_NE(begin, std::string::npos) << "README.md has no ```toml example";
  const auto body = begin + 8;
  const auto end = text.find("```", body);
  ASSERT_NE(end, std::string::npos);

  const fs::path dir = fs::temp_directory_path() / ("cadena_readme_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "example.toml";
  std::ofstream(file) << text.substr(body, end - body);

  auto v = run_cli("validate " + file.string());
  EXPECT_EQ(v.exit_code, 0) << v.err;
  auto r = run_cli("run " + file.string() + " --json --out " + (dir / "out").string());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"status\": \"optimal\""), std::string::npos) << r.out.substr(0, 400);
  fs::remove_all(dir);
}
