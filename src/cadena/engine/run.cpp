#include "cadena/engine/run.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include <fmt/core.h>

#include "cadena/analytics/bottlenecks.hpp"
#include "cadena/analytics/calibration.hpp"
#include "cadena/core/clock.hpp"
#include "cadena/core/publish.hpp"
#include "cadena/core/text_file.hpp"
#include "cadena/core/version.hpp"
#include "cadena/analytics/shares.hpp"
#include "cadena/analytics/value_added.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/io/scenario_io.hpp"
#include "cadena/lp/numerics.hpp"
#include "cadena/solvers/solver.hpp"

namespace cadena::engine {

namespace {

// One SHA-256 over several pieces.
class Sha256 {
 public:
  Sha256() : m_ctx(EVP_MD_CTX_new()) { EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr); }
  ~Sha256() { EVP_MD_CTX_free(m_ctx); }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void add(std::string_view bytes) { EVP_DigestUpdate(m_ctx, bytes.data(), bytes.size()); }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_DigestFinal_ex(m_ctx, md, &n);
    std::string out;
    for (unsigned int i = 0; i < n; ++i) out += fmt::format("{:02x}", md[i]);
    return out;
  }

 private:
  EVP_MD_CTX* m_ctx;
};

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  Sha256 h;
  h.add(bytes);
  return h.hex();
}

std::string dataset_version(const std::string& name, const std::filesystem::path& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec)) files.push_back(it->path());
  if (ec || files.empty()) return name;
  std::sort(files.begin(), files.end());
  Sha256 h;
  for (const auto& f : files) {
    auto text = read_text_file(f.string());
    if (!text) return name;
    h.add(f.filename().string());
    h.add(std::string_view("\0", 1));
    h.add(*text);
    h.add(std::string_view("\0", 1));
  }
  return fmt::format("{} sha256:{}", name, h.hex());
}

namespace {
// The folder a dataset was read from: where its countries table is (a scenario cannot override
// countries, so their provenance still names the base dataset's file).
std::filesystem::path dataset_folder(const model::Dataset& d) {
  return d.countries.empty() ? std::filesystem::path() : std::filesystem::path(d.countries.front().prov.file).parent_path();
}
}  // namespace

Result<PreparedRun> prepare_run(const std::optional<std::filesystem::path>& scenario_file, const std::string& dataset,
                                const std::vector<std::string>& set) {
  PreparedRun out;
  out.scenario = io::baseline_scenario();
  if (scenario_file) {
    auto loaded = io::load_scenario(*scenario_file);
    if (!loaded) return loaded.error();
    out.scenario = std::move(*loaded);
    out.source = scenario_file->string();
  }
  for (const auto& a : set) CADENA_TRY(io::apply_assignment(out.scenario, a));
  if (!scenario_file && !set.empty()) out.source = "--set";
  Result<model::Dataset> base = dataset.empty() ? io::load_scenario_base(out.scenario) : io::load_named_dataset(dataset);
  if (!base) return base.error();
  out.base = std::move(*base);
  out.dataset_version = dataset_version(out.base.name, dataset_folder(out.base));
  if (out.source.empty() && !out.base.facilities.empty())
    out.source = std::filesystem::path(out.base.facilities.front().prov.file).parent_path().string();
  return out;
}

Result<RunInput> apply_prepared(const PreparedRun& prepared, const std::vector<std::string>& more,
                                std::string_view origin) {
  const io::Scenario* s = &prepared.scenario;
  io::Scenario extended;
  if (!more.empty()) {
    extended = prepared.scenario;
    for (const auto& a : more) CADENA_TRY(io::apply_assignment(extended, a, origin));
    s = &extended;
  }
  auto d = io::apply_scenario(*s, prepared.base);
  if (!d) return d.error();
  RunInput in;
  in.dataset = std::move(*d);
  in.scenario = s->name;
  in.source = prepared.source;
  in.overrides = s->assignments;
  if (!s->file.empty()) {
    in.scenario_file = s->file.string();
    if (auto text = read_text_file(in.scenario_file)) {
      in.scenario_text = std::move(*text);
      in.scenario_sha256 = sha256_hex(in.scenario_text);
    }
  }
  in.dataset_version = prepared.dataset_version;
  return in;
}

Result<RunInput> load_run_input(const std::optional<std::filesystem::path>& scenario_file, const std::string& dataset,
                                const std::vector<std::string>& set) {
  if (!scenario_file && set.empty()) {
    auto d = dataset.empty() ? io::load_builtin() : io::load_named_dataset(dataset);
    if (!d) return d.error();
    std::string source = d->facilities.empty() ? std::string() : std::filesystem::path(d->facilities.front().prov.file).parent_path().string();
    RunInput in;
    in.dataset = std::move(*d);
    in.scenario = "baseline";
    in.source = std::move(source);
    in.dataset_version = dataset_version(in.dataset.name, dataset_folder(in.dataset));
    return in;
  }
  auto prepared = prepare_run(scenario_file, dataset, set);
  if (!prepared) return prepared.error();
  return apply_prepared(*prepared);
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
  rep.info.scenario_file = input.scenario_file;
  rep.info.scenario_sha256 = input.scenario_sha256;
  rep.info.scenario_text = input.scenario_text;
  rep.info.dataset_version = input.dataset_version;
  rep.info.cadena_version = version();
  rep.info.overrides = input.overrides;
  rep.info.contained_unit = input.dataset.contained_unit;
  for (const auto& p : input.dataset.products)
    if (auto k = input.dataset.contained_per_unit(p)) rep.info.contained_per_unit.emplace_back(p.id, *k);

  progress_phase(options.progress, "build");
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

  progress_phase(options.progress, "solve");
  auto t1 = std::chrono::steady_clock::now();
  auto solution = (*solver)->solve(lp);
  if (!solution) return solution.error();
  // Royalties on the market price: re-solve with each royalty set from the last solve's prices
  // until none moves by more than 0.01 USD per unit (docs/formulation.md "add_royalties").
  for (int it = 0; solution->ok() && it < 50 && network->update_royalties(*solution) > 1e-2; ++it) {
    solution = (*solver)->solve(lp);
    if (!solution) return solution.error();
  }
  rep.info.solve_s = seconds_since(t1);
  rep.info.iterations = solution->iterations;

  rep.result = network->extract(*solution);
  if (solution->ok()) {
    rep.stages = analytics::stage_summaries(network->dataset(), rep.result);
    rep.bottlenecks = analytics::bottlenecks(rep.result);
    rep.value_added = analytics::value_added(rep.result);
  }
  rep.dataset = std::make_shared<const model::Dataset>(network->dataset());
  const auto& d = network->dataset();
  rep.mode = d.settings.production_floor == model::Settings::ProductionFloor::Reported ? "observed" : "cost-minimal";
  for (const auto& fr : rep.result.facilities) {
    report::FacilityDetail x;
    if (const auto* f = d.find_facility(fr.id)) {
      x.lat = f->lat;
      x.lon = f->lon;
      const auto own = analytics::facility_owners(d, *f);
      x.owners = analytics::owners_text(own.direct_companies);
      x.owner_countries = analytics::owners_text(own.direct_countries);
      x.ultimate_owners = analytics::owners_text(own.ultimate_companies);
      x.ultimate_owner_countries = analytics::owners_text(own.ultimate_countries);
    }
    rep.details.push_back(std::move(x));
  }
  return rep;
}

Result<report::RunReport> run(const std::optional<std::filesystem::path>& scenario_file, const RunOptions& options) {
  progress_phase(options.progress, "load");
  auto t0 = std::chrono::steady_clock::now();
  auto input = load_run_input(scenario_file, options.dataset, options.set);
  if (!input) return input.error();
  double load_s = seconds_since(t0);
  auto rep = run_dataset(*input, options);
  if (rep) rep->info.load_s = load_s;
  return rep;
}

Result<Calibration> calibrate(const RunInput& input, const RunOptions& options) {
  Calibration c;
  RunInput base = input;
  base.dataset.settings.production_floor = model::Settings::ProductionFloor::None;
  auto b = run_dataset(base, options);
  if (!b) return b.error();
  RunInput obs = input;
  obs.dataset.settings.production_floor = model::Settings::ProductionFloor::Reported;
  obs.dataset.settings.production_floor_share = 1.0;
  auto o = run_dataset(obs, options);
  if (!o) return o.error();
  c.baseline = std::move(*b);
  c.observed = std::move(*o);
  c.rows = analytics::calibration_rows(input.dataset, c.baseline.result, c.observed.result);
  return c;
}

Result<std::filesystem::path> default_out_dir(const std::string& scenario) {
  if (auto st = check_folder_name(scenario); !st) return std::move(st.error().at_key("name"));
  return std::filesystem::path("out") / scenario;
}

}  // namespace cadena::engine
