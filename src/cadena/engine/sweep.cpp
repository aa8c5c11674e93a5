#include "cadena/engine/sweep.hpp"

#include <fmt/core.h>

#include <charconv>
#include <chrono>
#include <cmath>

#include "cadena/core/clock.hpp"
#include "cadena/core/split.hpp"
#include "cadena/report/run_report.hpp"

namespace cadena::engine {

namespace {

Error sweep_error(ErrorCategory c, std::string message, std::string key = "--sweep") {
  return make_error(c, std::move(message), {"", 0, std::move(key), ""});
}

std::optional<double> number(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string value_text(double v) { return fmt::format("{}", v); }

}  // namespace

Result<SweepSpec> parse_sweep(std::string_view text) {
  const char* expected = "expected --sweep KEY=FROM:TO:STEP, e.g. carbon_price_usd_per_t=0:200:50";
  const std::size_t eq = text.rfind('=');
  if (eq == std::string_view::npos || eq == 0)
    return sweep_error(ErrorCategory::Syntax, fmt::format("cannot read '{}'; {}", text, expected));
  SweepSpec spec;
  spec.key = std::string(text.substr(0, eq));
  std::string_view range = text.substr(eq + 1);
  const std::vector<std::string_view> parts = split(range, ':');
  if (parts.size() != 3)
    return sweep_error(ErrorCategory::Syntax,
                       fmt::format("'{}' has {} part{} after '='; {}", text, parts.size(), parts.size() == 1 ? "" : "s",
                                   expected),
                       spec.key);
  const char* names[] = {"FROM", "TO", "STEP"};
  double v[3];
  for (int k = 0; k < 3; ++k) {
    auto n = number(parts[static_cast<std::size_t>(k)]);
    if (!n)
      return sweep_error(ErrorCategory::Type,
                         fmt::format("{} '{}' is not a number; {}", names[k], parts[static_cast<std::size_t>(k)], expected),
                         spec.key);
    v[k] = *n;
  }
  spec.from = v[0];
  spec.to = v[1];
  spec.step = v[2];
  if (spec.from != spec.to && (spec.step == 0.0 || (spec.to > spec.from) != (spec.step > 0.0)))
    return sweep_error(ErrorCategory::Value,
                       fmt::format("STEP {} does not lead from {} to {}; expected a step of the sign of TO - FROM",
                                   spec.step, spec.from, spec.to),
                       spec.key);
  if (spec.from != spec.to) {
    const double n = std::floor((spec.to - spec.from) / spec.step + 1e-9) + 1.0;
    if (n > static_cast<double>(kMaxSweepPoints))
      return sweep_error(ErrorCategory::Value,
                         fmt::format("{}:{}:{} gives {:.0f} values; expected at most {}", spec.from, spec.to, spec.step,
                                     n, kMaxSweepPoints),
                         spec.key);
  }
  return spec;
}

std::vector<double> sweep_values(const SweepSpec& spec) {
  if (spec.from == spec.to || spec.step == 0.0) return {spec.from};
  const auto n = static_cast<std::size_t>(std::floor((spec.to - spec.from) / spec.step + 1e-9)) + 1;
  std::vector<double> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    double v = spec.from + static_cast<double>(i) * spec.step;
    v = std::stod(fmt::format("{:.12g}", v));
    out.push_back(v);
  }
  return out;
}

Result<report::SweepTable> run_sweep(const std::optional<std::filesystem::path>& scenario_file,
                                     const RunOptions& options, const SweepSpec& spec,
                                     const std::vector<std::string>& metrics) {
  auto t0 = std::chrono::steady_clock::now();
  if (spec.key == "name" || spec.key == "description" || spec.key == "dataset" || spec.key == "builtin")
    return sweep_error(ErrorCategory::Value,
                       fmt::format("'{}' is not a number; expected a numeric key such as carbon_price_usd_per_t or "
                                   "facility.<id>.capacity",
                                   spec.key),
                       spec.key);
  {  // the key's shape, before any file is read
    io::Scenario probe = io::baseline_scenario();
    CADENA_TRY(io::apply_assignment(probe, spec.key + "=" + value_text(spec.from), "--sweep"));
  }
  auto prepared = prepare_run(scenario_file, options.dataset, options.set);
  if (!prepared) return prepared.error();
  report::SweepTable table;
  table.scenario = prepared->scenario.name;
  table.key = spec.key;
  const std::vector<std::string> patterns = metrics.empty() ? report::default_sweep_metrics() : metrics;
  for (double v : sweep_values(spec)) {
    const std::string text = value_text(v);
    auto named = [&](Error e) {
      e.message = fmt::format("with {}={}: {}", spec.key, text, e.message);
      return e;
    };
    auto input = apply_prepared(*prepared, {spec.key + "=" + text}, "--sweep");
    if (!input) return named(input.error());
    auto rep = run_dataset(*input, options);
    if (!rep) return named(rep.error());
    const std::string summary = report::summary_json(*rep);
    if (table.columns.empty()) {
      auto cols = report::expand_metrics(patterns, summary);
      if (!cols) return cols.error();
      table.columns = std::move(*cols);
    }
    auto cells = report::read_metrics(table.columns, summary);
    if (!cells) return cells.error();
    table.rows.push_back(report::SweepRow{text, lp::to_string(rep->result.termination), std::move(*cells)});
  }
  table.seconds = seconds_since(t0);
  return table;
}

}  // namespace cadena::engine
