#include "cadena/engine/run.hpp"

#include <chrono>

#include "cadena/analytics/bottlenecks.hpp"
#include "cadena/core/clock.hpp"
#include "cadena/core/publish.hpp"
#include "cadena/analytics/shares.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/io/scenario_io.hpp"
#include "cadena/lp/numerics.hpp"
#include "cadena/solvers/solver.hpp"

namespace cadena::engine {

Result<RunInput> load_run_input(const std::optional<std::filesystem::path>& scenario_file, const std::string& dataset) {
  if (!scenario_file) {
    auto d = dataset.empty() ? io::load_builtin() : io::load_named_dataset(dataset);
    if (!d) return d.error();
    std::string source = d->facilities.empty() ? std::string() : std::filesystem::path(d->facilities.front().prov.file).parent_path().string();
    return RunInput{std::move(*d), "baseline", std::move(source)};
  }
  auto s = io::load_scenario(*scenario_file);
  if (!s) return s.error();
  Result<model::Dataset> d = make_error(ErrorCategory::Internal, "no dataset");
  if (dataset.empty()) {
    d = io::load_scenario_dataset(*s);
  } else {
    auto base = io::load_named_dataset(dataset);
    if (!base) return base.error();
    d = io::apply_scenario(*s, std::move(*base));
  }
  if (!d) return d.error();
  std::string name = s->name.empty() ? scenario_file->stem().string() : s->name;
  return RunInput{std::move(*d), std::move(name), scenario_file->string()};
}

Result<report::RunReport> run_dataset(const RunInput& input, const RunOptions& options) {
  // Ask for the solver first: an unknown name is bad input and should not cost a build.
  auto solver = solvers::make_solver(options.solver);
  if (!solver) return solver.error();

  // Datasets from io are validated already; one built in code (tests, benchmarks, other front
  // ends) gets the same checks before it reaches the LP.
  CADENA_TRY(model::validate(input.dataset));

  report::RunReport rep;
  rep.info.dataset = input.dataset.name;
  rep.info.scenario = input.scenario;
  rep.info.solver = options.solver;
  rep.info.year = input.dataset.settings.year;

  auto t0 = std::chrono::steady_clock::now();
  auto network = chain::Network::build(input.dataset, options.build);
  if (!network) {
    Error e = network.error();
    if (e.context.file.empty()) e.context.file = input.source;  // every input error names a file
    return e;
  }
  rep.info.build_s = seconds_since(t0);
  const auto& lp = network->lp();
  rep.info.lp_columns = lp.num_columns();
  rep.info.lp_rows = lp.num_rows();
  rep.info.lp_nonzeros = lp.num_coefficients();

  // What the solver cannot take safely is bad input, refused before any solver sees it: the
  // readers' ranges keep single values sane, this catches what they combine into.
  if (auto st = lp::check_numerics(lp); !st) {
    Error e = st.error();
    if (e.context.file.empty()) e.context.file = input.source;
    return e;
  }
  if (options.export_mps) CADENA_TRY(solvers::write_mps(lp, options.export_mps->string()));

  auto t1 = std::chrono::steady_clock::now();
  auto solution = (*solver)->solve(lp);
  if (!solution) return solution.error();
  rep.info.solve_s = seconds_since(t1);
  rep.info.iterations = solution->iterations;

  rep.result = network->extract(*solution);
  if (solution->ok()) {
    rep.stages = analytics::stage_summaries(network->dataset(), rep.result);
    rep.bottlenecks = analytics::bottlenecks(rep.result);
  }
  return rep;
}

Result<report::RunReport> run(const std::optional<std::filesystem::path>& scenario_file, const RunOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  auto input = load_run_input(scenario_file, options.dataset);
  if (!input) return input.error();
  double load_s = seconds_since(t0);
  auto rep = run_dataset(*input, options);
  if (rep) rep->info.load_s = load_s;
  return rep;
}

Result<std::filesystem::path> default_out_dir(const std::string& scenario) {
  if (auto st = check_folder_name(scenario); !st) return std::move(st.error().at_key("name"));
  return std::filesystem::path("out") / scenario;
}

}  // namespace cadena::engine
