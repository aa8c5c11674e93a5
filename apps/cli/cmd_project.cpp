// cadena project evaluate FILE.toml [--json] [--out DIR] [--report] [--paths N] [--seed S] [--threads T] [--regime A,B,C]
// Thin: load, evaluate, optionally run the Monte Carlo, then print or write. Files are written
// only after everything succeeded, each through a temporary name and a rename.
// Also the fiscal-regime half of `cadena data list` / `cadena data show` (regime_listing, show_regime).
#include <fmt/core.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cadena/core/publish.hpp"
#include "cadena/core/version.hpp"
#include "cadena/finance/load.hpp"
#include "cadena/finance/model.hpp"
#include "cadena/finance/montecarlo.hpp"
#include "cadena/report/html_report.hpp"
#include "cadena/report/results_store.hpp"
#include "commands.hpp"

namespace cadena::cli {

namespace {

namespace fin = cadena::finance;
using nlohmann::json;

json num(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

// Names from the user's files may hold any bytes: replace invalid UTF-8 rather than throw.
std::string dump(const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); }

struct Options {
  std::string file;
  bool json_out = false;
  std::string out_dir;
  bool report = false;
  long paths = -1;  // -1: as the file says
  long seed = -1;
  int threads = 0;
  std::string regimes;  // "a,b,c": evaluate under each, side by side
};

const char* period_word(int ppy) {
  switch (ppy) {
    case 1: return "years";
    case 2: return "half-years";
    case 4: return "quarters";
    case 12: return "months";
  }
  return "periods";
}

const char* discounting_word(fin::Discounting d) {
  switch (d) {
    case fin::Discounting::EndOfPeriod: return "end of each period";
    case fin::Discounting::MidPeriod: return "middle of each period";
    case fin::Discounting::StartOfPeriod: return "start of each period";
  }
  return "?";
}

// "2024-Q3" for a dated timeline, "" otherwise.
std::string period_label(const fin::Project& p, int t) {
  if (p.start_year == 0) return "";
  const int ppy = p.periods_per_year;
  const int at = p.start_period_in_year + t;
  const int year = p.start_year + at / ppy, k = at % ppy;
  switch (ppy) {
    case 1: return std::to_string(year);
    case 2: return fmt::format("{}-H{}", year, k + 1);
    case 4: return fmt::format("{}-Q{}", year, k + 1);
    default: return fmt::format("{}-{:02d}", year, k + 1);
  }
}

std::string cashflow_csv(const fin::Project& p, const fin::CashFlowTable& t) {
  const int C = p.construction_p(), ppy = p.periods_per_year;
  const bool equity = !t.equity_cf.empty();
  std::string s =
      "year,phase,production_t,price_usd_per_t,revenue_musd,opex_musd,royalties_musd,export_duty_musd,"
      "development_capex_musd,sustaining_capex_musd,closure_musd,working_capital_change_musd,depreciation_musd,"
      "taxable_income_musd,income_tax_musd,pre_government_cf_musd,pre_tax_cf_musd,after_tax_cf_musd,discount_factor,"
      "period,fiscal_year,date,gross_revenue_musd,realization_musd,lease_musd,salvage_musd";
  for (const auto& pf : t.products) s += fmt::format(",revenue_{}_musd", pf.name);
  if (equity)
    s += ",debt_draw_musd,interest_musd,principal_musd,fees_musd,debt_balance_musd,income_tax_levered_musd,cfads_musd,"
         "dscr,withholding_musd,equity_cf_musd";
  s += "\n";
  int prod_end = t.size();
  while (prod_end > 0 && t.production_t[prod_end - 1] == 0.0 && t.revenue[prod_end - 1] == 0.0) --prod_end;
  for (int i = 0; i < t.size(); ++i) {
    const char* phase = i < C ? "construction" : i < prod_end ? "production" : "closure";
    s += fmt::format(
        "{},{},{:.3f},{:.2f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.8f}",
        i / ppy + 1, phase, t.production_t[i], t.price_usd_per_t[i], t.revenue[i], t.opex[i], t.royalties[i],
        t.export_duty[i], t.initial_capex[i], t.sustaining_capex[i], t.closure[i], t.working_capital_change[i],
        t.depreciation[i], t.taxable_income[i], t.income_tax[i], t.pre_government_cf[i], t.pre_tax_cf[i],
        t.after_tax_cf[i], t.discount_factor[i]);
    s += fmt::format(",{},{},{},{:.6f},{:.6f},{:.6f},{:.6f}", i + 1, t.fiscal_year[i] + 1, period_label(p, i),
                     t.gross_revenue[i], t.realization[i], t.lease[i], t.salvage[i]);
    for (const auto& pf : t.products) s += fmt::format(",{:.6f}", pf.gross[i] - pf.deductions[i]);
    if (equity)
      s += fmt::format(",{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{},{:.6f},{:.6f}", t.debt_draw[i], t.interest[i],
                       t.principal[i], t.fees[i], t.debt_balance[i], t.income_tax_levered[i], t.cfads[i],
                       std::isfinite(t.dscr[i]) ? fmt::format("{:.4f}", t.dscr[i]) : "", t.withholding[i],
                       t.equity_cf[i]);
    s += "\n";
  }
  return s;
}

json pairs_json(const std::vector<std::pair<std::string, double>>& v) {
  json j = json::object();
  for (const auto& [k, x] : v) j[k] = num(x);
  return j;
}

json metrics_json(const fin::Project& p, const fin::Metrics& m) {
  json j{{"npv_pre_tax_musd", num(m.npv_pre_tax)},
         {"npv_after_tax_musd", num(m.npv_after_tax)},
         {"irr_pre_tax", num(m.irr_pre_tax)},
         {"irr_after_tax", num(m.irr_after_tax)},
         {"payback_from_production_years", num(m.payback_from_production)},
         {"payback_from_construction_years", num(m.payback_from_construction)},
         {"breakeven_price_usd_per_t", num(m.breakeven_price)},
         {"revenue_by_product_musd", pairs_json(m.revenue_by_product)},
         {"government_take",
          {{"royalties_musd", num(m.royalties)},
           {"levies_musd", pairs_json(m.levies)},
           {"export_duties_musd", num(m.export_duties)},
           {"income_taxes_musd", num(m.income_taxes)},
           {"dividend_withholding_musd", num(m.withholding)},
           {"total_musd", num(m.government_take)},
           {"total_npv_musd", num(m.government_take_npv)},
           {"pre_government_cf_musd", num(m.pre_government_cf)},
           {"share_of_pre_government_cf", num(m.government_take_share)},
           {"share_of_pre_government_npv", num(m.government_take_share_npv)}}}};
  if (p.has_equity_view())
    j["financing"] = {{"debt_musd", num(m.debt_musd)},
                      {"interest_during_construction_musd", num(m.interest_during_construction)},
                      {"interest_musd", num(m.interest_total)},
                      {"fees_musd", num(m.fees_total)},
                      {"dscr_min", num(m.dscr_min)},
                      {"dscr_mean", num(m.dscr_mean)},
                      {"npv_equity_musd", num(m.npv_equity)},
                      {"irr_equity", num(m.irr_equity)}};
  return j;
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

}  // namespace

// `deck = "store"`: finance asks, the results store (report layer) answers.
// A pathway run (`cadena run --years ... --db`) gives its price path by year; "latest-pathway"
// names the store's latest pathway run.
Result<fin::SourcedPrice> store_price(const fin::StoreDeck& d) {
  auto store = report::ResultsStore::open(d.db, false);
  if (!store) return store.error();
  std::string run = d.run;
  if (run == "latest-pathway") {
    auto runs = store->runs();
    if (!runs) return runs.error();
    const auto last = std::find_if(runs->rbegin(), runs->rend(), [](const report::StoredRun& r) { return r.pathway(); });
    if (last == runs->rend())
      return make_error(ErrorCategory::Reference,
                        fmt::format("no pathway run in the results store {} (`cadena run --years ... --db`)", d.db),
                        {d.db, 0, "run", ""});
    run = std::to_string(last->id);
  }
  auto found = store->find_run(run);
  if (!found) return found.error();
  if (!found->pathway()) {
    auto p = store->price(run, d.region, d.product);
    if (!p) return p.error();
    return fin::SourcedPrice{p->usd_per_unit, p->unit,
                             fmt::format("run {} ({}){}", p->run_id, p->scenario, p->market ? " market" : ""), {}};
  }
  auto path = store->price_path(run, d.region, d.product);
  if (!path) return path.error();
  fin::SourcedPrice out{0.0, path->unit, {}, {}};
  for (const auto& [year, usd] : path->usd_per_unit) out.by_year.push_back({year, usd});
  if (out.by_year.empty())
    return make_error(ErrorCategory::Value, fmt::format("run {} of {} has no year with a price", path->run_id, d.db),
                      {d.db, 0, "run", ""});
  out.label = fmt::format("run {} ({}{}, years {}-{})", path->run_id, path->scenario, path->market ? " market" : "",
                          out.by_year.front().year, out.by_year.back().year);
  return out;
}

namespace {

std::vector<std::string> split_ids(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s + ",") {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  return out;
}

// `--regime A,B,C`: the same project under each regime, side by side. The file's own regime
// keeps the file's overrides; the others are taken as written in data/fiscal.
int run_compare(const fin::ProjectFile& pf, const Options& o) {
  struct Row {
    std::string id, name;
    bool overridden;
    fin::Metrics m;
  };
  std::vector<Row> rows;
  for (const auto& id : split_ids(o.regimes)) {
    fin::Project p = pf.project;
    const bool own = id == pf.regime_id;
    if (!own) {
      auto reg = fin::load_regime(id);
      if (!reg) {
        Error e = reg.error();
        e.message = "--regime: " + e.message;
        if (e.context.key.empty() || e.context.key == "regime") e.context.key = "--regime";
        return report_error(e);
      }
      p.fiscal = std::move(*reg);
    }
    rows.push_back({id, p.fiscal.name, own && !pf.regime_overrides.empty(), fin::evaluate(p).metrics});
  }
  if (rows.empty())
    return report_error(make_error(ErrorCategory::Value, "expected a comma-separated list of regime ids", {"", 0, "--regime", o.regimes}));
  const bool equity = pf.project.has_equity_view();
  if (o.json_out) {
    json arr = json::array();
    for (const auto& r : rows) {
      fin::Project p = pf.project;
      arr.push_back({{"regime", r.id},
                     {"regime_name", r.name},
                     {"regime_overrides", r.overridden ? json(pf.regime_overrides) : json::array()},
                     {"metrics", metrics_json(p, r.m)}});
    }
    fmt::print("{}\n", dump(json{{"project", pf.project.name}, {"discount_rate", pf.project.discount_rate}, {"regimes", arr}}));
    return kExitOk;
  }
  fmt::print("{} — {} under {} regimes (MUSD, {} money, {} discount rate)\n", pf.project.name, pf.project.product,
             rows.size(), pf.project.money == fin::Money::Real ? "real" : "nominal", pct(pf.project.discount_rate));
  fmt::print("  {:<22} {:>10} {:>7} {:>9} {:>10} {:>9} {:>10} {:>11} {:>10} {:>8}{}\n", "regime", "NPV after", "IRR",
             "payback", "royalties", "exp. duty", "income tax", "withholding", "take", "take %",
             equity ? fmt::format(" {:>10} {:>7}", "NPV equity", "IRR eq.") : "");
  for (const auto& r : rows) {
    const auto& m = r.m;
    fmt::print("  {:<22} {:>10.1f} {:>7} {:>9} {:>10.1f} {:>9.1f} {:>10.1f} {:>11.1f} {:>10.1f} {:>8}{}\n",
               r.id + (r.overridden ? " (+file)" : ""), m.npv_after_tax, pct(m.irr_after_tax),
               std::isfinite(m.payback_from_production) ? fmt::format("{:.2f} y", m.payback_from_production) : "never",
               m.royalties, m.export_duties, m.income_taxes, m.withholding, m.government_take, pct(m.government_take_share),
               equity ? fmt::format(" {:>10.1f} {:>7}", m.npv_equity, pct(m.irr_equity)) : "");
  }
  fmt::print("  royalties by levy:\n");
  for (const auto& r : rows) {
    std::string s;
    for (const auto& [name, x] : r.m.levies) s += fmt::format("{}{} {:.1f}", s.empty() ? "" : ", ", name, x);
    fmt::print("    {:<20} {}\n", r.id, s.empty() ? "none" : s);
  }
  fmt::print("  payback from the start of production; take = royalties + export duties + income tax + dividend withholding, "
             "undiscounted; take % of the pre-government cash flow\n");
  for (const auto& r : rows)
    if (r.overridden)
      fmt::print("  (+file): {} with the project file's overrides ({} change{})\n", r.id, pf.regime_overrides.size(),
                 pf.regime_overrides.size() == 1 ? "" : "s");
  return kExitOk;
}

// The data of the project report (kind "project"): summary.json's content (`summary`), the cash
// flow table by year, the spider points and the after-tax NPV histogram of the Monte Carlo.
json project_report_json(const fin::ProjectFile& pf, const fin::Evaluation& ev, const std::vector<fin::SpiderPoint>& spider,
                         const std::optional<fin::MonteCarloResult>& mc, const json& summary) {
  const auto& t = ev.table;
  const int cy = pf.project.construction_years, py = pf.project.production_years;
  json years = json::array();
  for (int i = 0; i < t.size(); ++i)
    years.push_back({{"year", i + 1},
                     {"phase", i < cy ? "construction" : i < cy + py ? "production" : "closure"},
                     {"production_t", t.production_t[i]},
                     {"revenue", t.revenue[i]},
                     {"opex", t.opex[i]},
                     {"royalties", t.royalties[i]},
                     {"export_duty", t.export_duty[i]},
                     {"development_capex", t.initial_capex[i]},
                     {"sustaining_capex", t.sustaining_capex[i]},
                     {"closure", t.closure[i]},
                     {"working_capital_change", t.working_capital_change[i]},
                     {"income_tax", t.income_tax[i]},
                     {"pre_tax_cf", t.pre_tax_cf[i]},
                     {"after_tax_cf", t.after_tax_cf[i]},
                     {"discount_factor", t.discount_factor[i]}});
  json sp = json::array();
  for (const auto& s : spider)
    sp.push_back({{"variable", fin::to_string(s.variable)}, {"change", s.change}, {"npv_after_tax_musd", num(s.npv)}, {"irr_after_tax", num(s.irr)}});
  json hist = nullptr;
  if (mc && !mc->npv.empty()) {
    // 40 equal bins between the smallest and largest finite NPV.
    double lo = INFINITY, hi = -INFINITY;
    for (double v : mc->npv)
      if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (lo <= hi) {
      const int bins = 40;
      const double w = hi > lo ? (hi - lo) / bins : 1.0;
      std::vector<long> counts(bins, 0);
      for (double v : mc->npv)
        if (std::isfinite(v)) counts[std::min(bins - 1, static_cast<int>((v - lo) / w))]++;
      json edges = json::array();
      for (int b = 0; b <= bins; ++b) edges.push_back(lo + b * w);
      hist = {{"edges", edges}, {"counts", counts}};
    }
  }
  return json{{"kind", "project"},
              {"meta",
               {{"title", pf.project.name},
                {"subtitle", fmt::format("{} under {}, discount rate {:.1f} % ({} money)", pf.project.product,
                                         pf.project.fiscal.name, 100 * pf.project.discount_rate,
                                         pf.project.money == fin::Money::Real ? "real" : "nominal")},
                {"project_file", pf.path},
                {"cadena_version", version()}}},
              {"summary", summary},
              {"cashflow", years},
              {"spider", sp},
              {"npv_histogram", hist}};
}

int run_evaluate(const Options& o) {
  auto loaded = fin::load_project(o.file, store_price);
  if (!loaded) return report_error(loaded.error());
  auto& pf = *loaded;
  if (!o.regimes.empty()) return run_compare(pf, o);
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

  const fin::Project& pr = pf.project;
  const fin::Evaluation ev = fin::evaluate(pr);
  const auto bars = fin::tornado(pr, sens_spec);
  const auto spider = fin::spider(pr);
  std::optional<fin::MonteCarloResult> mc;
  if (mc_spec) {
    progress_phase(progress(), "Monte Carlo");
    auto r = fin::run_monte_carlo(pr, *mc_spec, o.threads, progress());
    if (!r) return report_error(r.error().in_file(o.file).at_key("montecarlo"));
    mc = std::move(*r);
  }
  const bool equity = pr.has_equity_view();

  const auto& m = ev.metrics;
  json j{{"project", pr.name},
         {"product", pr.product},
         {"regime", pf.regime_id},
         {"regime_name", pr.fiscal.name},
         {"regime_overrides", pf.regime_overrides},
         {"discount_rate", pr.discount_rate},
         {"money", pr.money == fin::Money::Real ? "real" : "nominal"},
         {"timeline",
          {{"periods_per_year", pr.periods_per_year},
           {"construction_periods", pr.construction_p()},
           {"production_years", pr.production_years},
           {"closure_years", pr.closure_years},
           {"start", pr.start_year ? json(period_label(pr, 0)) : json(nullptr)},
           {"first_production", pr.start_year ? json(period_label(pr, pr.construction_p())) : json(nullptr)},
           {"discounting", discounting_word(pr.discounting)}}},
         {"metrics", metrics_json(pr, m)}};
  if (pf.store_deck) {
    j["price_deck"] = {{"deck", "store"},           {"db", pf.store_deck->db},
                       {"run", pf.store_deck->run}, {"product", pf.store_deck->product},
                       {"region", pf.store_deck->region}, {"source", pf.deck_label},
                       {"usd_per_t", pr.price_usd_per_t.empty() ? 0.0 : pr.price_usd_per_t[0]}};
    if (!pf.deck_years.empty()) {  // a pathway run: its years, and the deck by production year
      json run_years = json::object(), deck = json::array();
      for (const auto& y : pf.deck_years) run_years[std::to_string(y.year)] = y.usd_per_unit;
      for (std::size_t i = 0; i < pr.price_usd_per_t.size(); ++i)
        deck.push_back({{"year", pf.store_deck->first_year + static_cast<int>(i)}, {"usd_per_t", pr.price_usd_per_t[i]}});
      j["price_deck"]["first_year"] = pf.store_deck->first_year;
      j["price_deck"]["run_years_usd_per_t"] = run_years;
      j["price_deck"]["by_production_year"] = deck;
      j["price_deck"]["between_run_years"] = "linear interpolation; the first run year's price before it, the last's after it";
    }
  }
  if (pf.published) {
    const auto& pb = *pf.published;
    j["published"] = {{"source", pb.source},
                      {"npv_after_tax_musd", num(pb.npv_after_tax_musd)},
                      {"irr_after_tax", num(pb.irr_after_tax)},
                      {"npv_pre_tax_musd", num(pb.npv_pre_tax_musd)},
                      {"irr_pre_tax", num(pb.irr_pre_tax)},
                      {"npv_equity_musd", num(pb.npv_equity_musd)},
                      {"irr_equity", num(pb.irr_equity)},
                      {"payback_years", num(pb.payback_years)},
                      {"reproduced", pb.reproduced},
                      {"note", pb.note}};
  }
  json tj = json::array();
  for (const auto& b : bars)
    tj.push_back({{"variable", fin::to_string(b.variable)}, {"low_input", b.low_input}, {"high_input", b.high_input},
                  {"basis", tornado_basis(b)}, {"npv_low_musd", num(b.npv_low)}, {"npv_high_musd", num(b.npv_high)}});
  j["tornado"] = tj;
  if (mc_skipped_no_uncertainty) j["montecarlo"] = {{"skipped", kNoUncertainty}};
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
    if (!mc->npv_equity.empty())
      j["montecarlo"]["equity"] = {
          {"npv_musd",
           {{"mean", num(mc->npv_equity_summary.mean)}, {"p10", num(mc->npv_equity_summary.p10)},
            {"p50", num(mc->npv_equity_summary.p50)}, {"p90", num(mc->npv_equity_summary.p90)}}},
          {"irr",
           {{"p10", num(mc->irr_equity_summary.p10)}, {"p50", num(mc->irr_equity_summary.p50)},
            {"p90", num(mc->irr_equity_summary.p90)}}},
          {"paths_without_irr", mc->irr_equity_undefined}};
  }

  std::string out_dir = o.out_dir;
  if (o.report && out_dir.empty()) out_dir = (std::filesystem::path("out") / std::filesystem::path(o.file).stem()).string();
  if (!out_dir.empty()) {
    std::string tornado_csv = "variable,low_input,high_input,basis,npv_low_musd,npv_high_musd\n";
    for (const auto& b : bars)
      tornado_csv += fmt::format("{},{:.6g},{:.6g},{},{:.6f},{:.6f}\n", fin::to_string(b.variable), b.low_input, b.high_input,
                                 tornado_basis(b), b.npv_low, b.npv_high);
    std::string spider_csv = "variable,change,npv_after_tax_musd,irr_after_tax\n";
    for (const auto& s : spider)
      spider_csv += fmt::format("{},{:.2f},{:.6f},{}\n", fin::to_string(s.variable), s.change, s.npv,
                                std::isfinite(s.irr) ? fmt::format("{:.6f}", s.irr) : "");
    std::vector<OutputFile> files{{"cashflow.csv", cashflow_csv(pr, ev.table)},
                                  {"summary.json", dump(j) + "\n"},
                                  {"tornado.csv", tornado_csv},
                                  {"spider.csv", spider_csv}};
    if (mc) {
      const bool mc_equity = !mc->npv_equity.empty();
      std::string paths_csv = mc_equity ? "path,npv_after_tax_musd,irr_after_tax,npv_equity_musd,irr_equity\n"
                                        : "path,npv_after_tax_musd,irr_after_tax\n";
      auto rate = [](double x) { return std::isfinite(x) ? fmt::format("{:.6f}", x) : std::string(); };
      for (std::size_t i = 0; i < mc->npv.size(); ++i) {
        paths_csv += fmt::format("{},{:.6f},{}", i, mc->npv[i], rate(mc->irr[i]));
        if (mc_equity) paths_csv += fmt::format(",{:.6f},{}", mc->npv_equity[i], rate(mc->irr_equity[i]));
        paths_csv += "\n";
      }
      files.push_back({"montecarlo.csv", std::move(paths_csv)});
    }
    if (o.report) {
      progress_phase(progress(), "report");
      auto html = report::html_page(pf.project.name, project_report_json(pf, ev, spider, mc, j).dump(-1, ' ', false, json::error_handler_t::replace));
      if (!html) return report_error(html.error());
      files.push_back({"report.html", std::move(*html)});
    }
    // All files at once, replacing only a folder cadena wrote (core/publish.hpp), as `cadena run`.
    auto published = publish_folder(out_dir, files);
    if (!published) return report_error(published.error());
    end_progress();
    for (const auto& n : published->notes) fmt::print(stderr, "cadena: note: {}\n", n);
  }

  end_progress();
  if (o.json_out) {
    fmt::print("{}\n", dump(j));
    return kExitOk;
  }
  fmt::print("{} — {} under {}\n", pr.name, pr.product, pr.fiscal.name);
  if (!pf.regime_overrides.empty()) {
    std::string ov;
    for (const auto& x : pf.regime_overrides) ov += (ov.empty() ? "" : "; ") + x;
    fmt::print("  regime        {} as overridden in the project file: {}\n", pf.regime_id, ov);
  }
  fmt::print("  discount rate {} ({} money), cash flows by {} discounted at the {}\n", pct(pr.discount_rate),
             pr.money == fin::Money::Real ? "real" : "nominal", period_word(pr.periods_per_year),
             discounting_word(pr.discounting));
  if (pr.periods_per_year > 1 || pr.start_year)
    fmt::print("  timeline      {} construction {} then {} production years{}\n", pr.construction_p(),
               period_word(pr.periods_per_year), pr.production_years,
               pr.start_year ? fmt::format(", from {} (first production {})", period_label(pr, 0),
                                           period_label(pr, pr.construction_p()))
                             : "");
  if (pf.store_deck && pf.deck_years.empty())
    fmt::print("  price deck    {:.0f} USD/t: {} in {} from {} of {}\n", pr.price_usd_per_t[0], pf.store_deck->product,
               pf.store_deck->region, pf.deck_label, pf.store_deck->db);
  if (pf.store_deck && !pf.deck_years.empty()) {
    const int y0 = pf.store_deck->first_year, y1 = y0 + pr.production_years - 1;
    fmt::print("  price deck    {} in {} from {} of {}: {:.0f} USD/t in {}, {:.0f} in {}", pf.store_deck->product,
               pf.store_deck->region, pf.deck_label, pf.store_deck->db, pr.price_usd_per_t.front(), y0,
               pr.price_usd_per_t.back(), y1);
    fmt::print(" (linear between the run's years{})\n",
               y1 > pf.deck_years.back().year ? fmt::format("; {}'s price held after {}", pf.deck_years.back().year,
                                                           pf.deck_years.back().year)
                                              : "");
  }
  fmt::print("  NPV pre-tax   {:>20}   IRR pre-tax   {}\n", musd(m.npv_pre_tax), pct(m.irr_pre_tax));
  fmt::print("  NPV after tax {:>20}   IRR after tax {}\n", musd(m.npv_after_tax), pct(m.irr_after_tax));
  fmt::print("  payback       {} from start of production, {} from start of construction\n",
             yrs(m.payback_from_production), yrs(m.payback_from_construction));
  fmt::print("  breakeven     {} (flat real price of {} for after-tax NPV = 0{})\n",
             std::isfinite(m.breakeven_price) ? fmt::format("{:.0f} USD/t", m.breakeven_price) : "n/a", pr.product,
             pr.byproducts.empty() ? "" : ", by-products at their decks");
  if (m.revenue_by_product.size() > 1 || pr.terms.deduction_per_unit() > 0.0) {
    std::string s;
    for (const auto& [name, x] : m.revenue_by_product) s += fmt::format("{}{} {}", s.empty() ? "" : ", ", name, musd(x));
    double real = 0.0;
    for (double x : ev.table.realization) real += x;
    fmt::print("  revenue       {} (net of {} treatment, refining, penalties and freight)\n", s, musd(real));
  }
  std::string levies;
  for (const auto& [name, x] : m.levies) levies += fmt::format("{}{} {}", levies.empty() ? "" : ", ", name, musd(x));
  fmt::print("  government    royalties {}{}, export duties {}, income tax {}{}\n", musd(m.royalties),
             m.levies.size() > 1 ? " (" + levies + ")" : "", musd(m.export_duties), musd(m.income_taxes),
             pr.fiscal.dividend_withholding > 0.0 ? ", dividend withholding " + musd(m.withholding) : "");
  fmt::print("                total {} = {} of pre-government cash flow ({} discounted)\n", musd(m.government_take),
             pct(m.government_take_share), pct(m.government_take_share_npv));
  if (!pr.leases.empty()) {
    double lease = 0.0;
    for (double x : ev.table.lease) lease += x;
    fmt::print("  leases        {} of lease payments over the life ({} lease{})\n", musd(lease), pr.leases.size(),
               pr.leases.size() == 1 ? "" : "s");
  }
  if (pr.debt.active())
    fmt::print("  debt          {} drawn ({} of initial capex) at {}, interest during construction {}, fees {}; "
               "DSCR min {:.2f}, mean {:.2f}\n",
               musd(m.debt_musd), pct(pr.debt.share_of_initial_capex), pct(pr.debt.interest_rate),
               musd(m.interest_during_construction), musd(m.fees_total), m.dscr_min, m.dscr_mean);
  if (equity)
    fmt::print("  equity        NPV {}   IRR {}   (after {}dividend withholding)\n", musd(m.npv_equity), pct(m.irr_equity),
               pr.debt.active() ? "debt service and " : "");
  if (pf.published) {
    const auto& pb = *pf.published;
    fmt::print("  published     NPV after tax {}, IRR after tax {}{} ({})\n", musd(pb.npv_after_tax_musd),
               pct(pb.irr_after_tax),
               std::isfinite(pb.npv_equity_musd) ? fmt::format("; equity NPV {}, IRR {}", musd(pb.npv_equity_musd), pct(pb.irr_equity)) : "",
               pb.source);
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
    if (!mc->npv_equity.empty())
      fmt::print("    equity NPV P10 {}  P50 {}  P90 {}; equity IRR P10 {}  P50 {}  P90 {}\n",
                 musd(mc->npv_equity_summary.p10), musd(mc->npv_equity_summary.p50), musd(mc->npv_equity_summary.p90),
                 pct(mc->irr_equity_summary.p10), pct(mc->irr_equity_summary.p50), pct(mc->irr_equity_summary.p90));
  }
  if (!out_dir.empty()) fmt::print("  wrote cashflow.csv, summary.json, tornado.csv, spider.csv{}{} to {}\n",
                                   mc ? ", montecarlo.csv" : "", o.report ? ", report.html" : "", out_dir);
  return kExitOk;
}

}  // namespace

json regime_listing(bool print) {
  json arr = json::array();
  const auto ids = fin::regime_ids();
  if (print && !ids.empty()) fmt::print("fiscal regimes (data/fiscal; `cadena data show REGIME` for one with its sources)\n");
  std::size_t width = 20;  // the id column: at least 20, and two spaces past the longest id
  for (const auto& id : ids) width = std::max(width, id.size() + 2);
  for (const auto& id : ids) {
    auto r = fin::load_regime(id);
    const std::string name = r ? r->name : "(cannot be read: " + r.error().format() + ")";
    if (print) fmt::print("  {:<{}}{}\n", id, width, name);
    arr.push_back({{"kind", "fiscal_regime"}, {"id", id}, {"name", name}, {"country", r ? r->country : ""}});
  }
  return arr;
}

std::optional<Result<json>> show_regime(const std::string& id, bool print) {
  const auto ids = fin::regime_ids();
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) return std::nullopt;
  auto r = fin::load_regime(id);
  if (!r) return Result<json>(r.error());
  const fin::FiscalRegime& f = *r;
  auto kind = [](fin::LevyKind k) {
    switch (k) {
      case fin::LevyKind::AdValorem: return "ad_valorem";
      case fin::LevyKind::PriceTiered: return "price_tiered";
      case fin::LevyKind::MarginTiered: return "margin_tiered";
      case fin::LevyKind::VolumeTiered: return "volume_tiered";
    }
    return "?";
  };
  auto source_of = [&](const std::string& section) -> const fin::RegimeSource* {
    for (const auto& s : f.sources)
      if (s.section == section) return &s;
    return nullptr;
  };
  json levies = json::array();
  for (const auto& l : f.levies) {
    json br = json::array();
    for (const auto& b : l.brackets) br.push_back({{"upto", std::isfinite(b.upto) ? json(b.upto) : json(nullptr)}, {"rate", b.rate}});
    const auto* s = source_of("levies." + l.name);
    levies.push_back({{"name", l.name},
                      {"kind", kind(l.kind)},
                      {"mode", l.mode == fin::TierMode::Marginal ? "marginal" : "whole"},
                      {"rate", l.rate},
                      {"mine_head_opex_deduction", l.mine_head_opex_deduction},
                      {"min_rate_on_revenue", l.min_rate_on_revenue},
                      {"base", l.base == fin::LevyBase::Revenue ? "revenue" : "operating_profit"},
                      {"brackets", br},
                      {"deductible", l.deductible},
                      {"source", s ? s->source : ""}});
  }
  json sources = json::array();
  for (const auto& s : f.sources)
    sources.push_back({{"section", s.section}, {"source", s.source}, {"file", s.file}, {"line", s.line}});
  json j{{"kind", "fiscal_regime"},
         {"id", f.id},
         {"name", f.name},
         {"country", f.country},
         {"base", f.base},
         {"levies", levies},
         {"export_duty", {{"rate", f.export_duty_rate}, {"free_from_year", f.export_duty_free_from_year}}},
         {"income_tax",
          {{"rate", f.income_tax_rate},
           {"reduced_rate", f.reduced_tax_rate},
           {"reduced_years", f.reduced_tax_years},
           {"initial_depreciation", f.initial_depreciation},
           {"sustaining_depreciation_years", f.sustaining_depreciation_years},
           {"loss_carryforward_years", f.loss_carryforward_years},
           {"loss_offset_limit", f.loss_offset_limit},
           {"salvage_taxable_share", f.salvage_taxable_share},
           {"interest_deductible", f.interest_deductible}}},
         {"burden_cap", f.burden_cap},
         {"dividend_withholding", f.dividend_withholding},
         {"sources", sources}};
  if (print) {
    auto row = [](const std::string& label, const std::string& value) { fmt::print("  {:<28}{}\n", label, value); };
    auto rate = [](double x) { return fmt::format("{:.4g} %", 100.0 * x); };
    fmt::print("fiscal regime {} — {}\n", f.id, f.name);
    if (!f.country.empty()) row("country", f.country);
    if (!f.base.empty()) row("builds on", f.base);
    for (const auto& l : f.levies) {
      std::string what;
      if (l.kind == fin::LevyKind::AdValorem) {
        what = fmt::format("{} of revenue", rate(l.rate));
        if (l.mine_head_opex_deduction > 0) what += fmt::format(" less {} of opex", rate(l.mine_head_opex_deduction));
      } else {
        const char* on = l.kind == fin::LevyKind::PriceTiered    ? "price (USD/t)"
                         : l.kind == fin::LevyKind::MarginTiered ? "operating margin"
                                                                 : "output (t/yr)";
        std::string br;
        for (const auto& b : l.brackets) {
          std::string upto = "above";
          if (std::isfinite(b.upto))
            upto = l.kind == fin::LevyKind::MarginTiered ? fmt::format("to {:g} %", 100 * b.upto)
                   : l.kind == fin::LevyKind::PriceTiered ? fmt::format("to {:g} USD/t", b.upto)
                                                          : fmt::format("to {:g} t", b.upto);
          br += fmt::format("{}{} {}", br.empty() ? "" : ", ", rate(b.rate), upto);
        }
        what = fmt::format("{} by {}, {}: {}", kind(l.kind), on, l.mode == fin::TierMode::Marginal ? "marginal" : "whole bracket", br);
        if (l.kind == fin::LevyKind::VolumeTiered)
          what += l.base == fin::LevyBase::Revenue ? " (on revenue)" : " (on operating profit)";
        if (l.min_rate_on_revenue > 0) what += fmt::format("; at least {} of revenue", rate(l.min_rate_on_revenue));
      }
      if (!l.deductible) what += "; not deductible";
      row("levy " + l.name, what);
    }
    if (f.export_duty_rate > 0)
      row("export duty", fmt::format("{} of revenue{}", rate(f.export_duty_rate),
                                     f.export_duty_free_from_year ? fmt::format(" until project year {}", f.export_duty_free_from_year) : ""));
    else if (std::any_of(f.sources.begin(), f.sources.end(), [](const auto& s) { return s.section == "export_duty"; }))
      row("export duty", "none (0 %)");  // a regime that sets the duty to 0 says so, with its source below
    row("income tax", fmt::format("{}{}", rate(f.income_tax_rate),
                                  f.reduced_tax_years ? fmt::format(" ({} for the first {} production years)", rate(f.reduced_tax_rate),
                                                                    f.reduced_tax_years)
                                                      : ""));
    std::string dep;
    for (double x : f.initial_depreciation) dep += fmt::format("{}{:.3g}", dep.empty() ? "" : "/", 100 * x);
    row("depreciation", fmt::format("initial capex {} % a year; sustaining over {} years", dep, f.sustaining_depreciation_years));
    row("losses", fmt::format("{}; offset up to {} of a year's income",
                              f.loss_carryforward_years ? fmt::format("carried forward {} years", f.loss_carryforward_years)
                                                        : std::string("carried forward without expiry"),
                              pct(f.loss_offset_limit)));
    row("salvage", fmt::format("{} of the salvage value taxed", pct(f.salvage_taxable_share)));
    row("interest", f.interest_deductible ? "deductible" : "not deductible");
    if (f.burden_cap > 0) row("burden cap", fmt::format("{} of operating profit", rate(f.burden_cap)));
    if (f.dividend_withholding > 0) row("dividend withholding", rate(f.dividend_withholding) + " of distributed profit");
    fmt::print("  sources:\n");
    for (const auto& s : f.sources) fmt::print("    {:<28}{}  ({}:{})\n", s.section, s.source, s.file, s.line);
  }
  return Result<json>(j);
}

void add_project_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("project", "economics of one mining project: cash flows, NPV, IRR, fiscal take, Monte Carlo");
  cmd->require_subcommand(1);
  auto opts = std::make_shared<Options>();
  auto* ev = cmd->add_subcommand("evaluate", "evaluate a project file (see docs/finance.md)");
  ev->add_option("file", opts->file, "project TOML file")->required();
  ev->add_flag("--json", opts->json_out, "print the summary as JSON");
  ev->add_option("--out", opts->out_dir, "write cashflow.csv, summary.json, tornado.csv, spider.csv (and montecarlo.csv) here");
  ev->add_flag("--report", opts->report, "also write report.html (waterfall, cash flows, tornado, spider, NPV distribution); "
                                         "into --out, default ./out/<file stem>");
  ev->add_option("--paths", opts->paths, "Monte Carlo paths (overrides the file; 0 = skip the Monte Carlo)")->check(CLI::Range(0L, 100000000L));
  ev->add_option("--seed", opts->seed, "Monte Carlo seed (overrides the file)")->check(CLI::NonNegativeNumber);
  ev->add_option("--threads", opts->threads, "threads for the Monte Carlo (0 = all cores; at most 256)")->check(CLI::Range(0, 256));
  ev->add_option("--regime", opts->regimes,
                 "evaluate under these fiscal regimes side by side (comma-separated ids from `cadena data list`)");
  ev->callback([opts, &exit_code] { exit_code = run_evaluate(*opts); });
}

}  // namespace cadena::cli
