// `cadena pit solve|shells`: ultimate pit and nested pit shells by pseudoflow (src/cadena/pit).
//   cadena pit solve --minelib PREFIX
//   cadena pit solve --values FILE (--grid NX NY NZ --slope DEG [DEG…] [--benches N] | --prec FILE)
//   cadena pit solve --blocks CSV --price P [--recovery …] (--slope DEG… | --prec FILE)
//   cadena pit shells <any of the above> --rf-min A --rf-max B --rf-step S [--capacity T] [--rate R] [--report FILE]
// Output files are written to a temporary name and renamed only once everything succeeded.
#include <fmt/core.h>
#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cadena/core/atomic_file.hpp"
#include "cadena/core/clock.hpp"
#include "cadena/core/memory_limit.hpp"
#include "cadena/core/version.hpp"
#include "cadena/finance/load.hpp"
#include "cadena/pit/model.hpp"
#include "cadena/pit/shells.hpp"
#include "cadena/report/html_report.hpp"
#include "commands.hpp"

namespace cadena::cli {

namespace {

struct PitArgs {
  std::string minelib, values, blocks, prec, out, fiscal, max_memory, report;
  std::vector<int> grid;
  std::vector<double> slope;
  std::vector<double> block_size;
  int benches = 9;
  double scale = 0.0;  // MineLib: 0 = as many decimals as the file has
  bool json = false;
  pit::Economics econ;
  // shells
  double rf_min = 0.5, rf_max = 1.5, rf_step = 0.1;
  pit::ScheduleSpec schedule;
};

Error bad_flag(const std::string& msg) { return make_error(ErrorCategory::Missing, msg); }

// Royalty share of revenue from a fiscal regime of data/fiscal (the finance module's files): the
// ad-valorem levies, and price-tiered ones at the given price. Margin-based levies depend on
// costs the block model does not separate per period, so they are refused rather than guessed.
Result<double> fiscal_royalty(const std::string& id, double price) {
  auto regime = finance::load_regime(id);
  if (!regime) return regime.error();
  double share = 0.0;
  for (const auto& levy : regime->levies) {
    switch (levy.kind) {
      case finance::LevyKind::AdValorem: share += levy.rate; break;
      case finance::LevyKind::PriceTiered: {
        double lo = 0.0, marginal = 0.0, whole = 0.0;
        for (const auto& b : levy.brackets) {
          if (price > lo) marginal += (std::min(price, b.upto) - lo) * b.rate;
          if (price > lo && price <= b.upto) whole = b.rate;
          lo = b.upto;
        }
        share += levy.mode == finance::TierMode::Whole ? whole : marginal / price;
        break;
      }
      case finance::LevyKind::MarginTiered:
        return make_error(ErrorCategory::Value,
                          fmt::format("fiscal regime '{}': levy '{}' is margin-based; give --royalty instead", id, levy.name));
      case finance::LevyKind::VolumeTiered:
        return make_error(ErrorCategory::Value,
                          fmt::format("fiscal regime '{}': levy '{}' depends on the year's output; give --royalty instead", id, levy.name));
    }
  }
  return share;
}

Result<pit::PitModel> load(const PitArgs& a) {
  if (!a.max_memory.empty()) {
    auto bytes = parse_memory_size(a.max_memory);
    if (!bytes) return bytes.error().at_key("--max-memory");
    set_memory_limit(*bytes);
  }
  const int sources = !a.minelib.empty() + !a.values.empty() + !a.blocks.empty();
  if (sources != 1) return bad_flag("give exactly one of --minelib PREFIX, --values FILE, --blocks CSV");
  pit::SlopeSpec slope;
  slope.angles_deg = a.slope;
  slope.benches = a.benches;
  if (!a.block_size.empty()) {
    if (a.block_size.size() != 3) return bad_flag("--block-size needs three numbers: X Y Z");
    slope.block_x = a.block_size[0];
    slope.block_y = a.block_size[1];
    slope.block_z = a.block_size[2];
  }
  pit::Economics econ_sizes = a.econ;
  econ_sizes.block_x = slope.block_x;
  econ_sizes.block_y = slope.block_y;
  econ_sizes.block_z = slope.block_z;
  if (!a.minelib.empty()) return pit::load_minelib(a.minelib, a.scale);
  if (!a.values.empty()) {
    if (!a.prec.empty()) return pit::load_values_prec(a.values, a.prec);
    if (a.grid.size() != 3) return bad_flag("--values needs --grid NX NY NZ (or --prec FILE)");
    if (a.slope.empty()) return bad_flag("--values with --grid needs --slope DEG (one angle, or one per azimuth sector)");
    return pit::load_values_grid(a.values, a.grid[0], a.grid[1], a.grid[2], slope);
  }
  if (a.prec.empty() && a.slope.empty()) return bad_flag("--blocks needs --slope DEG or --prec FILE");
  pit::Economics econ = econ_sizes;
  if (!(econ.price > 0)) return bad_flag("--blocks needs --price (currency per tonne of product)");
  if (!a.fiscal.empty()) {
    auto r = fiscal_royalty(a.fiscal, econ.price);
    if (!r) return r.error();
    econ.royalty += *r;
  }
  if (econ.recovery < 0 || econ.recovery > 1 || econ.royalty < 0 || econ.royalty >= 1)
    return make_error(ErrorCategory::Value, "--recovery must be in [0, 1] and --royalty in [0, 1)");
  return pit::load_block_csv(a.blocks, econ, slope, a.prec);
}

int solve_command(const PitArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  auto m = load(a);
  if (!m) return report_error(m.error());
  const double t_read = seconds_since(t0);
  const auto t1 = std::chrono::steady_clock::now();
  auto c = pit::solve(*m, m->values);
  if (!c) return report_error(c.error());
  const double t_solve = seconds_since(t1);
  if (!pit::is_closed(*m, c->in_pit))
    return report_error(make_error(ErrorCategory::Internal, "the solver returned a pit that breaks precedence"));
  const double value = static_cast<double>(c->value) / m->value_scale;
  if (!a.out.empty()) {
    std::string csv = "block,x,y,z\n";
    for (std::size_t b = 0; b < m->size(); ++b)
      if (c->in_pit[b]) {
        const auto xyz = m->coord(b);
        csv += fmt::format("{},{},{},{}\n", b, xyz[0], xyz[1], xyz[2]);
      }
    auto w = write_file_atomically(a.out, csv);
    if (!w) return report_error(w.error());
  }
  if (a.json) {
    // Integer models keep an integer value in JSON (exact beyond 2^53 too).
    nlohmann::json jvalue = m->value_scale == 1.0 ? nlohmann::json(c->value) : nlohmann::json(value);
    nlohmann::json j = {{"status", "optimal"},
                        {"value", jvalue},
                        {"blocks_in_pit", c->blocks},
                        {"blocks", m->size()},
                        {"seconds", t_solve},
                        {"seconds_read", t_read},
                        {"value_scale", m->value_scale},
                        {"mergers", c->stats.mergers},
                        {"relabels", c->stats.relabels}};
    if (!a.out.empty()) j["out"] = a.out;
    fmt::print("{}\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("ultimate pit: {} of {} blocks, value {:.{}f}\n", c->blocks, m->size(), value,
               static_cast<int>(std::lround(std::log10(std::max(1.0, m->value_scale)))));
    fmt::print("read {:.3f} s, solve {:.3f} s (pseudoflow, {} mergers)\n", t_read, t_solve, c->stats.mergers);
    if (!a.out.empty()) fmt::print("wrote {}\n", a.out);
  }
  return kExitOk;
}

int shells_command(const PitArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!(a.rf_step > 0) || !(a.rf_min > 0) || a.rf_max < a.rf_min)
    return report_error(make_error(ErrorCategory::Value, "need 0 < --rf-min <= --rf-max and --rf-step > 0"));
  std::vector<double> rfs;
  for (int i = 0;; ++i) {
    const double rf = a.rf_min + i * a.rf_step;
    if (rf > a.rf_max + 1e-9) break;
    rfs.push_back(std::round(rf * 1e9) / 1e9);
    if (rfs.size() > 1000) return report_error(make_error(ErrorCategory::Value, "more than 1000 shells; raise --rf-step"));
  }
  progress_phase(progress(), "load");
  auto m = load(a);
  if (!m) return report_error(m.error());
  auto r = pit::nested_shells(*m, rfs, a.schedule, progress());
  if (!r) {
    Error e = r.error();
    if (e.context.file.empty() && e.context.key.empty()) e.context.file = m->source;  // about the values read
    return report_error(e);
  }
  const double secs = seconds_since(t0);
  if (!a.out.empty()) {
    std::string csv = "block,x,y,z,shell,revenue_factor\n";
    for (std::size_t b = 0; b < m->size(); ++b)
      if (r->shell_of[b]) {
        const auto xyz = m->coord(b);
        csv += fmt::format("{},{},{},{},{},{}\n", b, xyz[0], xyz[1], xyz[2], r->shell_of[b], rfs[r->shell_of[b] - 1]);
      }
    auto w = write_file_atomically(a.out, csv);
    if (!w) return report_error(w.error());
  }
  // The pit at revenue factor 1 (or the nearest factor below it) is "the" pit of the run.
  const pit::Shell* at1 = &r->shells.front();
  for (const auto& s : r->shells)
    if (s.revenue_factor <= 1.0 + 1e-9) at1 = &s;
  if (a.json || !a.report.empty()) {
    nlohmann::json shells = nlohmann::json::array();
    for (std::size_t k = 0; k < r->shells.size(); ++k) {
      const auto& s = r->shells[k];
      shells.push_back({{"shell", k + 1}, {"revenue_factor", s.revenue_factor}, {"blocks", s.blocks},
                        {"tonnes", s.tonnes}, {"ore_tonnes", s.ore_tonnes}, {"ore_grade", s.ore_grade},
                        {"value", s.value}, {"best_discounted", s.best_discounted},
                        {"worst_discounted", s.worst_discounted}, {"periods", s.periods}});
    }
    nlohmann::json j = {{"status", "optimal"}, {"value", at1->value}, {"blocks_in_pit", at1->blocks},
                        {"revenue_factor", at1->revenue_factor}, {"seconds", secs}, {"shells", shells}};
    if (!a.out.empty()) j["out"] = a.out;
    if (!a.report.empty()) {
      // The pit-by-pit graph (kind "pit_shells"); `result` is exactly what --json prints.
      progress_phase(progress(), "report");
      const std::string source = !a.minelib.empty() ? a.minelib : !a.values.empty() ? a.values : a.blocks;
      nlohmann::json data = {
          {"kind", "pit_shells"},
          {"meta",
           {{"title", "cadena pit shells: " + std::filesystem::path(source).filename().string()},
            {"subtitle", fmt::format("{} blocks, revenue factors {}..{} step {}, discount rate {} per period{}", m->size(),
                                     a.rf_min, a.rf_max, a.rf_step, a.schedule.discount_rate,
                                     a.schedule.capacity_tonnes_per_period > 0
                                         ? fmt::format(", {} t per period", a.schedule.capacity_tonnes_per_period)
                                         : std::string(", all in one period"))},
            {"model", source},
            {"cadena_version", version()}}},
          {"result", j}};
      auto html = report::html_page(data["meta"]["title"].get<std::string>(),
                                    data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      if (!html) return report_error(html.error());
      auto w = write_file_atomically(a.report, *html);
      if (!w) return report_error(w.error());
    }
    end_progress();
    if (a.json) fmt::print("{}\n", j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  if (!a.json) {
    end_progress();
    fmt::print("{:>5} {:>6} {:>10} {:>14} {:>14} {:>9} {:>16} {:>16} {:>16}\n", "shell", "rf", "blocks", "tonnes",
               "ore_tonnes", "grade", "value", "best_disc", "worst_disc");
    for (std::size_t k = 0; k < r->shells.size(); ++k) {
      const auto& s = r->shells[k];
      fmt::print("{:>5} {:>6.3f} {:>10} {:>14.0f} {:>14.0f} {:>9.5f} {:>16.0f} {:>16.0f} {:>16.0f}\n", k + 1,
                 s.revenue_factor, s.blocks, s.tonnes, s.ore_tonnes, s.ore_grade, s.value, s.best_discounted,
                 s.worst_discounted);
    }
    fmt::print("{} shells in {:.3f} s\n", r->shells.size(), secs);
    if (!a.out.empty()) fmt::print("wrote {}\n", a.out);
    if (!a.report.empty()) fmt::print("wrote {}\n", a.report);
  }
  return kExitOk;
}

void add_model_options(CLI::App* cmd, PitArgs& a) {
  cmd->add_option("--minelib", a.minelib, "MineLib prefix: reads PREFIX.blocks, PREFIX.prec, PREFIX.upit");
  cmd->add_option("--values", a.values, "raw integer block values, one per line, x fastest, z = 0 the bottom");
  cmd->add_option("--blocks", a.blocks, "priced block model CSV (columns i, j, k, tonnes|density, grade)");
  cmd->add_option("--grid", a.grid, "grid size NX NY NZ (with --values)")->expected(3);
  cmd->add_option("--slope", a.slope, "slope angle in degrees; several = one per azimuth sector from north, clockwise")
      ->expected(1, 64);
  cmd->add_option("--benches", a.benches, "benches of the slope search pattern (default 9)");
  cmd->add_option("--block-size", a.block_size, "block dimensions X Y Z (default 1 1 1)")->expected(3);
  cmd->add_option("--prec", a.prec, "explicit precedence file, MineLib .prec layout");
  cmd->add_option("--scale", a.scale, "MineLib: integer value units per currency unit (default: 10^decimals in the file, exact)");
  cmd->add_option("--grade-column", a.econ.grade_column, "CSV grade column (mass fraction; default 'grade')");
  cmd->add_option("--price", a.econ.price, "price per tonne of payable product");
  cmd->add_option("--recovery", a.econ.recovery, "process recovery, fraction (default 1)");
  cmd->add_option("--mining-cost", a.econ.mining_cost, "mining cost per tonne");
  cmd->add_option("--processing-cost", a.econ.processing_cost, "processing cost per tonne of ore");
  cmd->add_option("--royalty", a.econ.royalty, "royalty, fraction of revenue");
  cmd->add_option("--fiscal", a.fiscal, "fiscal regime id of data/fiscal (adds its ad-valorem royalties)");
  cmd->add_option("--block-volume", a.econ.block_volume, "block volume (m3) when the CSV gives density");
  cmd->add_option("--value-scale", a.econ.value_scale, "CSV: integer value units per currency unit (default 1)");
  cmd->add_option("--out", a.out, "write the pit as CSV to FILE");
  cmd->add_option("--max-memory", a.max_memory,
                  "refuse models that need more memory than this (e.g. 4G; default: CADENA_MAX_MEMORY or the machine's RAM)");
  cmd->add_flag("--json", a.json, "print JSON {status, value, blocks_in_pit, seconds, …}");
}

}  // namespace

void add_pit_command(CLI::App& app, int& exit_code) {
  auto* pit = app.add_subcommand("pit", "Ultimate pit and nested pit shells (pseudoflow)");
  pit->require_subcommand(1);
  auto sa = std::make_shared<PitArgs>();
  auto* solve = pit->add_subcommand("solve", "Ultimate pit: the maximum-value closure under precedence");
  add_model_options(solve, *sa);
  solve->callback([sa, &exit_code] { exit_code = solve_command(*sa); });
  auto ha = std::make_shared<PitArgs>();
  auto* shells = pit->add_subcommand("shells", "Nested pits over a revenue-factor range, with best/worst discounted value");
  add_model_options(shells, *ha);
  shells->add_option("--rf-min", ha->rf_min, "smallest revenue factor (default 0.5)");
  shells->add_option("--rf-max", ha->rf_max, "largest revenue factor (default 1.5)");
  shells->add_option("--rf-step", ha->rf_step, "revenue factor step (default 0.1)");
  shells->add_option("--capacity", ha->schedule.capacity_tonnes_per_period, "tonnes mined per period (default: all in one)");
  shells->add_option("--rate", ha->schedule.discount_rate, "discount rate per period (default 0.10)");
  shells->add_option("--report", ha->report, "also write the pit-by-pit graph (value and tonnage per revenue factor) as a self-contained HTML file");
  shells->callback([ha, &exit_code] { exit_code = shells_command(*ha); });
}

}  // namespace cadena::cli
