// cadena project evaluate FILE.toml [--json] [--out DIR] [--paths N] [--seed S] [--threads T]
// Thin: load, evaluate, optionally run the Monte Carlo, then print or write. Files are written
// only after everything succeeded, each through a temporary name and a rename.
#include <fmt/core.h>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cadena/core/publish.hpp"
#include "cadena/finance/load.hpp"
#include "cadena/finance/model.hpp"
#include "cadena/finance/montecarlo.hpp"
#include "cadena/report/results_store.hpp"
#include "commands.hpp"

namespace cadena::cli {

namespace {

namespace fin = cadena::finance;
using nlohmann::json;

json num(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

struct Options {
  std::string file;
  bool json_out = false;
  std::string out_dir;
  long paths = -1;  // -1: as the file says
  long seed = -1;
  int threads = 0;
};

std::string cashflow_csv(const fin::CashFlowTable& t, int construction_years, int production_years) {
  std::string s =
      "year,phase,production_t,price_usd_per_t,revenue_musd,opex_musd,royalties_musd,export_duty_musd,"
      "development_capex_musd,sustaining_capex_musd,closure_musd,working_capital_change_musd,depreciation_musd,"
      "taxable_income_musd,income_tax_musd,pre_government_cf_musd,pre_tax_cf_musd,after_tax_cf_musd,discount_factor\n";
  for (int i = 0; i < t.size(); ++i) {
    const char* phase = i < construction_years                      ? "construction"
                        : i < construction_years + production_years ? "production"
                                                                    : "closure";
    s += fmt::format("{},{},{:.3f},{:.2f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.8f}\n",
                     i + 1, phase, t.production_t[i], t.price_usd_per_t[i], t.revenue[i], t.opex[i], t.royalties[i],
                     t.export_duty[i], t.initial_capex[i], t.sustaining_capex[i], t.closure[i],
                     t.working_capital_change[i], t.depreciation[i], t.taxable_income[i], t.income_tax[i],
                     t.pre_government_cf[i], t.pre_tax_cf[i], t.after_tax_cf[i], t.discount_factor[i]);
  }
  return s;
}

json metrics_json(const fin::Metrics& m) {
  return json{{"npv_pre_tax_musd", num(m.npv_pre_tax)},
              {"npv_after_tax_musd", num(m.npv_after_tax)},
              {"irr_pre_tax", num(m.irr_pre_tax)},
              {"irr_after_tax", num(m.irr_after_tax)},
              {"payback_from_production_years", num(m.payback_from_production)},
              {"payback_from_construction_years", num(m.payback_from_construction)},
              {"breakeven_price_usd_per_t", num(m.breakeven_price)},
              {"government_take",
               {{"royalties_musd", num(m.royalties)},
                {"export_duties_musd", num(m.export_duties)},
                {"income_taxes_musd", num(m.income_taxes)},
                {"total_musd", num(m.government_take)},
                {"total_npv_musd", num(m.government_take_npv)},
                {"pre_government_cf_musd", num(m.pre_government_cf)},
                {"share_of_pre_government_cf", num(m.government_take_share)},
                {"share_of_pre_government_npv", num(m.government_take_share_npv)}}}};
}

constexpr const char* kNoUncertainty =
    "no uncertainty was given (no distribution under [montecarlo]), so every path would be the base case";

// What a tornado bar's ends are: the variable's own P10/P90, or the fixed swing used without one.
std::string tornado_basis(const fin::TornadoBar& b) {
  if (b.from_distribution) return "P10/P90";
  return b.variable == fin::Variable::RampDelay ? "0..1 year" : "+-20 %";
}

std::string pct(double x) { return std::isfinite(x) ? fmt::format("{:.1f} %", 100.0 * x) : "n/a"; }
std::string musd(double x) { return std::isfinite(x) ? fmt::format("{:.1f} MUSD", x) : "n/a"; }
std::string yrs(double x) { return std::isfinite(x) ? fmt::format("{:.2f} years", x) : "never"; }

// `deck = "store"`: finance asks, the results store (report layer) answers.
Result<fin::SourcedPrice> store_price(const fin::StoreDeck& d) {
  auto store = report::ResultsStore::open(d.db, false);
  if (!store) return store.error();
  auto p = store->price(d.run, d.region, d.product);
  if (!p) return p.error();
  return fin::SourcedPrice{p->usd_per_unit, p->unit,
                           fmt::format("run {} ({}){}", p->run_id, p->scenario, p->market ? " market" : "")};
}

int run_evaluate(const Options& o) {
  auto loaded = fin::load_project(o.file, store_price);
  if (!loaded) return report_error(loaded.error());
  auto& pf = *loaded;
  // The file's distributions drive the tornado even when the Monte Carlo is skipped (--paths 0).
  const fin::MonteCarloSpec sens_spec = pf.montecarlo ? *pf.montecarlo : fin::MonteCarloSpec{};
  std::optional<fin::MonteCarloSpec> mc_spec = pf.montecarlo;
  if (o.paths == 0) mc_spec.reset();
  if (o.paths > 0) {
    if (!mc_spec) mc_spec = fin::MonteCarloSpec{};
    mc_spec->paths = o.paths;
  }
  if (o.seed >= 0 && mc_spec) mc_spec->seed = static_cast<std::uint64_t>(o.seed);
  // Without a distribution every path would be the base case: say so rather than print
  // P10 = P50 = P90 and P(NPV < 0) = 0 %.
  const bool mc_skipped_no_uncertainty = mc_spec && !mc_spec->uncertain();
  if (mc_skipped_no_uncertainty) mc_spec.reset();

  const fin::Evaluation ev = fin::evaluate(pf.project);
  const auto bars = fin::tornado(pf.project, sens_spec);
  const auto spider = fin::spider(pf.project);
  std::optional<fin::MonteCarloResult> mc;
  if (mc_spec) {
    auto r = fin::run_monte_carlo(pf.project, *mc_spec, o.threads);
    if (!r) return report_error(r.error().in_file(o.file).at_key("montecarlo"));
    mc = std::move(*r);
  }

  const auto& m = ev.metrics;
  json j{{"project", pf.project.name},
         {"product", pf.project.product},
         {"regime", pf.regime_id},
         {"regime_name", pf.project.fiscal.name},
         {"regime_overrides", pf.regime_overrides},
         {"discount_rate", pf.project.discount_rate},
         {"money", pf.project.money == fin::Money::Real ? "real" : "nominal"},
         {"metrics", metrics_json(m)}};
  if (pf.store_deck)
    j["price_deck"] = {{"deck", "store"},           {"db", pf.store_deck->db},
                       {"run", pf.store_deck->run}, {"product", pf.store_deck->product},
                       {"region", pf.store_deck->region}, {"source", pf.deck_label},
                       {"usd_per_t", pf.project.price_usd_per_t.empty() ? 0.0 : pf.project.price_usd_per_t[0]}};
  if (pf.published) {
    const auto& pb = *pf.published;
    j["published"] = {{"source", pb.source},
                      {"npv_after_tax_musd", num(pb.npv_after_tax_musd)},
                      {"irr_after_tax", num(pb.irr_after_tax)},
                      {"npv_pre_tax_musd", num(pb.npv_pre_tax_musd)},
                      {"irr_pre_tax", num(pb.irr_pre_tax)},
                      {"payback_years", num(pb.payback_years)},
                      {"reproduced", pb.reproduced},
                      {"note", pb.note}};
  }
  json tj = json::array();
  for (const auto& b : bars)
    tj.push_back({{"variable", fin::to_string(b.variable)}, {"low_input", b.low_input}, {"high_input", b.high_input},
                  {"basis", tornado_basis(b)}, {"npv_low_musd", num(b.npv_low)}, {"npv_high_musd", num(b.npv_high)}});
  j["tornado"] = tj;
  if (mc_skipped_no_uncertainty)
    j["montecarlo"] = {{"skipped", kNoUncertainty}};
  if (mc) {
    j["montecarlo"] = {{"paths", mc_spec->paths},
                       {"seed", mc_spec->seed},
                       {"npv_after_tax_musd",
                        {{"mean", num(mc->npv_summary.mean)}, {"p10", num(mc->npv_summary.p10)},
                         {"p50", num(mc->npv_summary.p50)}, {"p90", num(mc->npv_summary.p90)}}},
                       {"irr_after_tax",
                        {{"mean", num(mc->irr_summary.mean)}, {"p10", num(mc->irr_summary.p10)},
                         {"p50", num(mc->irr_summary.p50)}, {"p90", num(mc->irr_summary.p90)}}},
                       {"probability_npv_negative", num(mc->probability_npv_negative)},
                       {"paths_without_irr", mc->irr_undefined}};
  }

  if (!o.out_dir.empty()) {
    std::string tornado_csv = "variable,low_input,high_input,basis,npv_low_musd,npv_high_musd\n";
    for (const auto& b : bars)
      tornado_csv += fmt::format("{},{:.6g},{:.6g},{},{:.6f},{:.6f}\n", fin::to_string(b.variable), b.low_input, b.high_input,
                                 tornado_basis(b), b.npv_low, b.npv_high);
    std::string spider_csv = "variable,change,npv_after_tax_musd,irr_after_tax\n";
    for (const auto& s : spider)
      spider_csv += fmt::format("{},{:.2f},{:.6f},{}\n", fin::to_string(s.variable), s.change, s.npv,
                                std::isfinite(s.irr) ? fmt::format("{:.6f}", s.irr) : "");
    std::vector<OutputFile> files{
        {"cashflow.csv", cashflow_csv(ev.table, pf.project.construction_years, pf.project.production_years)},
        {"summary.json", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"},
        {"tornado.csv", tornado_csv},
        {"spider.csv", spider_csv}};
    if (mc) {
      std::string paths_csv = "path,npv_after_tax_musd,irr_after_tax\n";
      for (std::size_t i = 0; i < mc->npv.size(); ++i)
        paths_csv += fmt::format("{},{:.6f},{}\n", i, mc->npv[i],
                                 std::isfinite(mc->irr[i]) ? fmt::format("{:.6f}", mc->irr[i]) : "");
      files.push_back({"montecarlo.csv", std::move(paths_csv)});
    }
    // All files at once, replacing only a folder cadena wrote (core/publish.hpp), as `cadena run`.
    auto published = publish_folder(o.out_dir, files);
    if (!published) return report_error(published.error());
    for (const auto& n : published->notes) fmt::print(stderr, "cadena: note: {}\n", n);
  }

  if (o.json_out) {
    fmt::print("{}\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return kExitOk;
  }
  fmt::print("{} — {} under {}\n", pf.project.name, pf.project.product, pf.project.fiscal.name);
  if (!pf.regime_overrides.empty()) {
    std::string ov;
    for (const auto& x : pf.regime_overrides) ov += (ov.empty() ? "" : "; ") + x;
    fmt::print("  regime        {} as overridden in the project file: {}\n", pf.regime_id, ov);
  }
  fmt::print("  discount rate {} ({} money)\n", pct(pf.project.discount_rate),
             pf.project.money == fin::Money::Real ? "real" : "nominal");
  if (pf.store_deck)
    fmt::print("  price deck    {:.0f} USD/t: {} in {} from {} of {}\n", pf.project.price_usd_per_t[0],
               pf.store_deck->product, pf.store_deck->region, pf.deck_label, pf.store_deck->db);
  fmt::print("  NPV pre-tax   {:>20}   IRR pre-tax   {}\n", musd(m.npv_pre_tax), pct(m.irr_pre_tax));
  fmt::print("  NPV after tax {:>20}   IRR after tax {}\n", musd(m.npv_after_tax), pct(m.irr_after_tax));
  fmt::print("  payback       {} from start of production, {} from start of construction\n",
             yrs(m.payback_from_production), yrs(m.payback_from_construction));
  fmt::print("  breakeven     {} (flat real price for after-tax NPV = 0)\n",
             std::isfinite(m.breakeven_price) ? fmt::format("{:.0f} USD/t", m.breakeven_price) : "n/a");
  fmt::print("  government    royalties {}, export duties {}, income tax {}\n", musd(m.royalties), musd(m.export_duties),
             musd(m.income_taxes));
  fmt::print("                total {} = {} of pre-government cash flow ({} discounted)\n", musd(m.government_take),
             pct(m.government_take_share), pct(m.government_take_share_npv));
  if (pf.published) {
    const auto& pb = *pf.published;
    fmt::print("  published     NPV after tax {}, IRR after tax {} ({})\n", musd(pb.npv_after_tax_musd),
               pct(pb.irr_after_tax), pb.source);
  }
  fmt::print("  tornado (after-tax NPV with one input moved, the others at base):\n");
  for (const auto& b : bars)
    fmt::print("    {:<11} {:>8.3g} .. {:<8.3g} ({:<8}) NPV {} .. {}\n", fin::to_string(b.variable), b.low_input, b.high_input,
               tornado_basis(b), musd(b.npv_low), musd(b.npv_high));
  if (mc_skipped_no_uncertainty) fmt::print("  Monte Carlo   not run: {}\n", kNoUncertainty);
  if (mc) {
    fmt::print("  Monte Carlo   {} paths, seed {}\n", mc_spec->paths, mc_spec->seed);
    fmt::print("    NPV after tax P10 {}  P50 {}  P90 {}  mean {}\n", musd(mc->npv_summary.p10), musd(mc->npv_summary.p50),
               musd(mc->npv_summary.p90), musd(mc->npv_summary.mean));
    fmt::print("    IRR after tax P10 {}  P50 {}  P90 {}{}\n", pct(mc->irr_summary.p10), pct(mc->irr_summary.p50),
               pct(mc->irr_summary.p90), std::isfinite(mc->irr_summary.mean) ? "  mean " + pct(mc->irr_summary.mean) : "");
    if (mc->irr_undefined > 0)
      fmt::print("    {} of {} paths ({}) have no IRR (their flows never turn positive); they rank lowest in the IRR "
                 "percentiles and no IRR mean is given\n",
                 mc->irr_undefined, mc->npv.size(), pct(static_cast<double>(mc->irr_undefined) / mc->npv.size()));
    fmt::print("    P(NPV < 0) = {}\n", pct(mc->probability_npv_negative));
  }
  if (!o.out_dir.empty()) fmt::print("  wrote cashflow.csv, summary.json, tornado.csv, spider.csv{} to {}\n",
                                     mc ? ", montecarlo.csv" : "", o.out_dir);
  return kExitOk;
}

}  // namespace

void add_project_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("project", "economics of one mining project: cash flows, NPV, IRR, fiscal take, Monte Carlo");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<Options>();
  auto* ev = cmd->add_subcommand("evaluate", "evaluate a project file (see docs/finance.md)");
  ev->add_option("file", opts->file, "project TOML file")->required();
  ev->add_flag("--json", opts->json_out, "print the summary as JSON");
  ev->add_option("--out", opts->out_dir, "write cashflow.csv, summary.json, tornado.csv, spider.csv (and montecarlo.csv) here");
  ev->add_option("--paths", opts->paths, "Monte Carlo paths (overrides the file; 0 = skip the Monte Carlo)")->check(CLI::Range(0L, 100000000L));
  ev->add_option("--seed", opts->seed, "Monte Carlo seed (overrides the file)")->check(CLI::NonNegativeNumber);
  ev->add_option("--threads", opts->threads, "threads for the Monte Carlo (0 = all cores; at most 256)")->check(CLI::Range(0, 256));
  ev->callback([opts, &exit_code] { exit_code = run_evaluate(*opts); });
}

}  // namespace cadena::cli
