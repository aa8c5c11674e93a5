#include "cadena/pit/shells.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include <fmt/format.h>

namespace cadena::pit {
namespace {

constexpr std::uint32_t kOut = 0xFFFFFFFFu;

// Discounted value of mining `order` (block ids) in sequence at a fixed tonnage per period.
double discounted(const PitModel& m, const std::vector<double>& value_rf1, const std::vector<std::uint32_t>& order,
                  const ScheduleSpec& s, int& periods) {
  double mined = 0.0, total = 0.0;
  int last = 0;
  for (std::uint32_t b : order) {
    const int t = s.capacity_tonnes_per_period > 0 ? static_cast<int>(std::floor(mined / s.capacity_tonnes_per_period)) : 0;
    total += value_rf1[b] / std::pow(1.0 + s.discount_rate, t);
    mined += m.tonnes_of(b);
    last = t;
  }
  periods = order.empty() ? 0 : last + 1;
  return total;
}

// Top bench first; within a bench, by id (x fastest): the order a bench-by-bench plan takes.
void sort_top_down(const PitModel& m, std::vector<std::uint32_t>& ids) {
  std::vector<int> z(ids.size());
  std::vector<std::uint32_t> idx(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    z[i] = m.coord(ids[i])[2];
    idx[i] = static_cast<std::uint32_t>(i);
  }
  std::stable_sort(idx.begin(), idx.end(), [&](std::uint32_t a, std::uint32_t b) {
    return z[a] != z[b] ? z[a] > z[b] : ids[a] < ids[b];
  });
  std::vector<std::uint32_t> sorted(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) sorted[i] = ids[idx[i]];
  ids = std::move(sorted);
}

}  // namespace

Result<ShellsResult> nested_shells(const PitModel& m, const std::vector<double>& rfs, const ScheduleSpec& schedule,
                                   Progress* progress) {
  if (rfs.empty()) return make_error(ErrorCategory::Missing, "no revenue factors");
  for (std::size_t i = 0; i < rfs.size(); ++i) {
    if (!(rfs[i] > 0) || (i > 0 && !(rfs[i] > rfs[i - 1])))
      return make_error(ErrorCategory::Value, "revenue factors must be positive and strictly ascending");
  }
  if (rfs.size() > 65000) return make_error(ErrorCategory::Value, "more than 65000 shells");
  if (schedule.discount_rate <= -1.0) return make_error(ErrorCategory::Value, "discount rate must be above -1");
  const std::size_t n = m.size();
  ShellsResult out;
  out.shell_of.assign(n, 0);

  // Largest factor first, on the whole model.
  progress_phase(progress, "shells");
  const auto total = static_cast<long long>(rfs.size());
  std::vector<std::uint8_t> in_prev;
  {
    auto c = solve(m, m.values_at(rfs.back()));
    CADENA_TRY(c);
    in_prev = std::move(c->in_pit);
  }
  progress_advance(progress, "revenue factors", 1, total);
  for (std::size_t b = 0; b < n; ++b)
    if (in_prev[b]) out.shell_of[b] = static_cast<std::uint16_t>(rfs.size());

  for (std::size_t k = rfs.size() - 1; k-- > 0;) {
    // Sub-model: the blocks of the previous (larger) pit, renumbered; their requirements are all
    // inside it because that pit is closed.
    std::vector<std::uint32_t> local(n, kOut), global;
    for (std::size_t b = 0; b < n; ++b)
      if (in_prev[b]) {
        local[b] = static_cast<std::uint32_t>(global.size());
        global.push_back(static_cast<std::uint32_t>(b));
      }
    if (global.empty()) break;
    std::vector<std::uint32_t> first(global.size() + 1, 0);
    std::vector<BlockId> targets;
    for (std::size_t i = 0; i < global.size(); ++i) {
      std::visit([&](const auto& p) { p.for_each_requirement(global[i], [&](BlockId q) { targets.push_back(local[q]); }); },
                 m.precedence);
      first[i + 1] = static_cast<std::uint32_t>(targets.size());
    }
    ExplicitPrecedence sub(std::move(first), std::move(targets));
    const std::vector<std::int64_t> all = m.values_at(rfs[k]);
    std::vector<std::int64_t> vals(global.size());
    for (std::size_t i = 0; i < global.size(); ++i) vals[i] = all[global[i]];
    auto c = max_closure(vals, sub);
    CADENA_TRY(c);
    std::fill(in_prev.begin(), in_prev.end(), 0);
    for (std::size_t i = 0; i < global.size(); ++i)
      if (c->in_pit[i]) {
        in_prev[global[i]] = 1;
        out.shell_of[global[i]] = static_cast<std::uint16_t>(k + 1);
      }
    progress_advance(progress, "revenue factors", total - static_cast<long long>(k), total);
  }

  // Report every shell at revenue factor 1.
  progress_phase(progress, "schedule");
  std::vector<double> value_rf1(n);
  for (std::size_t b = 0; b < n; ++b) value_rf1[b] = m.value_of(b, 1.0);
  std::vector<std::vector<std::uint32_t>> increments(rfs.size());
  for (std::size_t b = 0; b < n; ++b)
    if (out.shell_of[b]) increments[out.shell_of[b] - 1].push_back(static_cast<std::uint32_t>(b));
  for (auto& inc : increments) sort_top_down(m, inc);

  std::vector<std::uint32_t> best_order, pit;
  Shell acc;
  double metal = 0.0;
  for (std::size_t k = 0; k < rfs.size(); ++k) {
    for (std::uint32_t b : increments[k]) {
      ++acc.blocks;
      const double t = m.tonnes_of(b);
      acc.tonnes += t;
      acc.value += value_rf1[b];
      const double rev = m.revenue_of(b);
      const bool ore = rev > 0 && rev - m.cost_process_of(b) >= -m.cost_waste_of(b);
      if (ore) {
        acc.ore_tonnes += t;
        if (!m.grade.empty()) metal += t * m.grade[b];
      }
    }
    best_order.insert(best_order.end(), increments[k].begin(), increments[k].end());
    pit.insert(pit.end(), increments[k].begin(), increments[k].end());
    sort_top_down(m, pit);
    Shell s = acc;
    s.revenue_factor = rfs[k];
    s.ore_grade = acc.ore_tonnes > 0 ? metal / acc.ore_tonnes : 0.0;
    int periods_best = 0, periods_worst = 0;
    s.best_discounted = discounted(m, value_rf1, best_order, schedule, periods_best);
    s.worst_discounted = discounted(m, value_rf1, pit, schedule, periods_worst);
    s.periods = periods_worst;
    out.shells.push_back(s);
  }
  return out;
}

}  // namespace cadena::pit
