// `cadena compare A B [--json] [--report FILE] [--db FILE] [--flows N] [--solver clp|glpk]`: two
// runs side by side (report/compare.hpp). A and B are output folders of `cadena run`, scenario
// files (solved now), `baseline`, or run ids / scenario names in the results store --db FILE.
// --report FILE writes the HTML report (both runs' views side by side with the deltas). Two output
// folders of pathway runs (`cadena run --years`) compare over the years both have.
#include <fmt/core.h>

#include <memory>
#include <optional>
#include <string>

#include "cadena/core/atomic_file.hpp"
#include "cadena/engine/compare.hpp"
#include "cadena/report/compare.hpp"
#include "cadena/report/html_report.hpp"
#include "commands.hpp"

namespace cadena::cli {

namespace {

struct CompareArgs {
  std::string a, b, db, solver = "clp", report;
  bool json = false;
  std::size_t flows = 15;
};

// Two pathway output folders: the comparison over the years both have (report/pathway_compare.hpp).
int pathway_compare_command(const CompareArgs& args, const report::PathwaySide& a, const report::PathwaySide& b,
                            const std::vector<std::string>& notes) {
  auto out = args.json ? report::pathway_compare_json(a, b) : report::pathway_compare_text(a, b);
  if (!out) return report_error(out.error());
  if (!args.report.empty()) {
    auto html = report::pathway_compare_report_html(a, b, notes);
    if (!html) return report_error(html.error());
    auto w = write_file_atomically(args.report, *html);
    if (!w) return report_error(w.error());
  }
  fmt::print("{}", *out);
  if (!args.report.empty() && !args.json) fmt::print("wrote {}\n", args.report);
  return kExitOk;
}

int compare_command(const CompareArgs& args) {
  // Pathway output folders compare with each other, never with a single-year run.
  std::vector<std::string> notes;
  std::optional<report::PathwaySide> pathways[2];
  const std::string* given[2] = {&args.a, &args.b};
  for (int k = 0; k < 2; ++k) {
    auto side = engine::load_pathway_side(*given[k], notes);
    if (!side) return report_error(side.error());
    pathways[k] = std::move(*side);
  }
  if (pathways[0] && pathways[1]) return pathway_compare_command(args, *pathways[0], *pathways[1], notes);
  if (pathways[0] || pathways[1]) {
    const int k = pathways[0] ? 0 : 1;
    return report_error(make_error(
        ErrorCategory::Value,
        fmt::format("{} is a pathway run (cadena run --years) and {} a single-year run; expected two single-year runs or two "
                    "pathway output folders",
                    *given[k], *given[1 - k]),
        {*given[k], 0, k == 0 ? "A" : "B", ""}));
  }
  engine::RunOptions opt;
  opt.solver = args.solver;
  report::RunSnapshot snaps[2];
  const std::string* specs[2] = {&args.a, &args.b};
  for (int k = 0; k < 2; ++k) {
    auto snap = engine::load_snapshot(*specs[k], opt, args.db);
    if (!snap) {
      Error e = snap.error();
      if (e.context.key.empty()) e.context.key = k == 0 ? "A" : "B";
      return report_error(e);
    }
    snaps[k] = std::move(*snap);
  }
  report::CompareOptions copt;
  copt.max_flows = args.flows;
  auto c = report::compare_runs(snaps[0], snaps[1], copt);
  if (!c) return report_error(c.error());
  if (!args.report.empty()) {
    // A side read from a folder or the store gets the dataset its summary.json names (for the
    // map and the flows by stage); when that cannot be read the report says so, it is no error.
    std::vector<std::string> notes;
    for (auto& snap : snaps)
      if (auto note = engine::add_report_dataset(snap)) notes.push_back(*note);
    auto html = report::compare_report_html(*c, snaps[0], snaps[1], notes);
    if (!html) return report_error(html.error());
    auto w = write_file_atomically(args.report, *html);
    if (!w) return report_error(w.error());
  }
  fmt::print("{}", args.json ? report::compare_json(*c) : report::compare_text(*c));
  if (!args.report.empty() && !args.json) fmt::print("wrote {}\n", args.report);
  return kExitOk;
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<CompareArgs>();
  auto* cmd = app.add_subcommand(
      "compare", "Two runs side by side: costs, prices, shares, HHI, value added, rules, flows that changed most");
  cmd->add_option("A", args->a, "output folder, scenario .toml, 'baseline', or run id/scenario name with --db")->required();
  cmd->add_option("B", args->b, "the same, for the run compared with A")->required();
  cmd->add_flag("--json", args->json, "print the comparison as JSON (docs/formulation.md, \"Comparing runs\")");
  cmd->add_option("--report", args->report,
                  "also write the HTML report to FILE: both runs' views side by side with the deltas");
  cmd->add_option("--db", args->db, "results store holding runs named by id or scenario");
  cmd->add_option("--flows", args->flows, "how many of the most-changed trade flows to list (default 15)")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--solver", args->solver, "LP solver for sides solved now: clp (default) or glpk");
  cmd->callback([args, &exit_code] { exit_code = compare_command(*args); });
}

}  // namespace cadena::cli
