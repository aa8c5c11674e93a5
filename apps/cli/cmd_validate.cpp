// `cadena validate [FILE...]`: reads datasets, scenarios, project files and fiscal regime files
// (told apart by their tables: [files] a dataset manifest, [project] a project, [regime] a fiscal
// regime, else a scenario) and reports the first problem.
// Reading only: nothing is written, so a failed validation leaves nothing behind.
#include <fmt/core.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "cadena/io/dataset_io.hpp"
#include "cadena/io/scenario_io.hpp"
#include "commands.hpp"

namespace cadena::cli {

namespace {

std::string counts(const model::Dataset& d) {
  return fmt::format("{} facilities, {} companies, {} countries, {} products, {} routes, {} policies, {} demands",
                     d.facilities.size(), d.companies.size(), d.countries.size(), d.products.size(),
                     d.routes.size(), d.policies.size(), d.demands.size());
}

// Validates one argument; prints its ok line or returns the error.
Status validate_one(const std::string& arg) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path p(arg);
  if (!fs::exists(p, ec))
    return make_error(ErrorCategory::Missing, "no such file or folder; expected a dataset folder, a dataset.toml, "
                                              "a scenario, project or fiscal regime .toml",
                      {arg, 0, "", ""});
  bool scenario = false;
  if (!fs::is_directory(p, ec) && p.filename() != "dataset.toml") {
    // Projects and fiscal regimes first: their own readers give the file:line errors.
    auto kind = finance::finance_file_kind(p.string());
    if (!kind) return kind.error();
    if (*kind == "project") {
      auto pf = finance::load_project(p.string(), store_price);
      if (!pf) return pf.error();
      fmt::print("ok: {} (project '{}' under fiscal regime '{}')\n", arg, pf->project.name, pf->regime_id);
      return ok_status();
    }
    if (*kind == "regime") {
      auto reg = finance::load_regime_file(p.string());
      if (!reg) return reg.error();
      fmt::print("ok: {} (fiscal regime '{}': {} levies)\n", arg, reg->name, reg->levies.size());
      return ok_status();
    }
  }
  if (!fs::is_directory(p, ec)) {
    auto s = io::is_scenario_file(p);
    if (!s) return s.error();
    scenario = *s;
  }
  if (scenario) {
    auto sc = io::load_scenario(p);
    if (!sc) return sc.error();
    auto d = io::load_scenario_dataset(*sc);
    if (!d) return d.error();
    fmt::print("ok: {} (scenario '{}' on {}: {})\n", arg, sc->name,
               sc->dataset.empty() ? sc->builtin : sc->dataset.string(), counts(*d));
    return ok_status();
  }
  auto d = io::load_dataset(p);
  if (!d) return d.error();
  fmt::print("ok: {} (dataset '{}': {})\n", arg, d->name, counts(*d));
  return ok_status();
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "validate", "Check datasets, scenarios, projects and fiscal regimes: syntax, types, references, units, ranges (reads only)");
  auto files = std::make_shared<std::vector<std::string>>();
  cmd->add_option("FILE", *files,
                  "dataset folders, dataset.toml, scenario, project or fiscal regime .toml files (default: the built-in dataset)");
  cmd->callback([&exit_code, files] {
    if (files->empty()) {
      auto d = io::load_builtin();
      if (!d) {
        exit_code = report_error(d.error());
        return;
      }
      fmt::print("ok: built-in {} ({})\n", d->name, counts(*d));
      return;
    }
    for (const std::string& f : *files) {
      auto st = validate_one(f);
      if (!st) {
        std::fflush(stdout);  // keep the ok lines before the error line when both go to a terminal
        exit_code = report_error(st.error());
        return;
      }
    }
  });
}

}  // namespace cadena::cli
