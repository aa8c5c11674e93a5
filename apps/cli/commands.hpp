#pragma once
// Each command lives in its own file and adds itself to the CLI11 app here. The CLI is thin:
// parse arguments, call the library (engine/, pit/, finance/), print, map errors to exit codes.
#include <CLI/CLI.hpp>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cadena/core/error.hpp"
#include "cadena/core/progress.hpp"
#include "cadena/finance/load.hpp"

namespace cadena::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;    // the run finished but could not give a result (solver failure)
inline constexpr int kExitBadInput = 2;   // bad input: a file, a flag value, a scenario

// Prints "cadena: <error>" on stderr and returns the exit code for its category.
int report_error(const Error& e);

// Progress on stderr (progress.cpp): a listener when stderr is a terminal and --quiet was not
// given, else nullptr. end_progress() clears the progress line before a command prints.
void set_quiet(bool quiet);
bool quiet();
Progress* progress();
void end_progress();

// A project's `deck = "store"` price, read from the results store (cmd_project.cpp).
Result<finance::SourcedPrice> store_price(const finance::StoreDeck& d);

void add_run_command(CLI::App& app, int& exit_code);
void add_compare_command(CLI::App& app, int& exit_code);
void add_calibrate_command(CLI::App& app, int& exit_code);
void add_validate_command(CLI::App& app, int& exit_code);
void add_data_command(CLI::App& app, int& exit_code);
void add_pit_command(CLI::App& app, int& exit_code);
void add_project_command(CLI::App& app, int& exit_code);
void add_runs_command(CLI::App& app, int& exit_code);

// The fiscal regimes of data/fiscal for `cadena data list` (printed when `print`; JSON entries
// with "kind": "fiscal_regime"), and one of them with every parameter and its source for
// `cadena data show` (nullopt: no regime has this id). Live beside the project command.
nlohmann::json regime_listing(bool print);
std::optional<Result<nlohmann::json>> show_regime(const std::string& id, bool print);

}  // namespace cadena::cli
