#include "cadena/chain/pathway.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "cadena/model/cohort.hpp"
#include "cadena/model/ownership.hpp"

namespace cadena::chain {

namespace {
// A build's owner nationalities in the year it comes online: direct and after look-through.
void set_owner_countries(const model::Dataset& d, const model::Facility& f, BuildRecord& b) {
  for (const auto& o : model::owners_in_force(d, f, b.year))
    if (const auto* c = d.find_company(o.company)) b.owners.emplace_back(c->hq_country, o.share);
  for (const auto& o : model::ultimate_owners(d, f, b.year))
    if (const auto* c = d.find_company(o.company)) b.owners_lookthrough.emplace_back(c->hq_country, o.share);
}
}  // namespace

const char* to_string(AssetKind k) {
  switch (k) {
    case AssetKind::Existing: return "existing";
    case AssetKind::Committed: return "committed";
    case AssetKind::Project: return "project";
    case AssetKind::Option: return "option";
    case AssetKind::Inactive: return "inactive";
  }
  return "?";
}

double Asset::ramp_share(int online, int year) const {
  if (year < online) return 0.0;
  const auto age = static_cast<std::size_t>(year - online);  // 0 in the first year of output
  return age < ramp.size() ? ramp[age] : 1.0;
}

double Pathway::annuity_factor(int life) const {
  const double r = m_opt.discount_rate;
  if (life <= 0) return 0.0;
  if (r == 0.0) return 1.0 / life;
  const double g = std::pow(1.0 + r, life);
  return r * g / (g - 1.0);
}

double Pathway::yearly_charge_usd(std::size_t i) const {
  const Asset& a = m_assets[i];
  const int life = a.life_years > 0 ? a.life_years : kDefaultLifeYears;
  return a.capex_usd_per_unit * annuity_factor(life) + a.fom_usd_per_unit;
}

bool Pathway::alive(std::size_t i, int online, int year) const {
  const Asset& a = m_assets[i];
  if (year < online) return false;
  if (a.life_years > 0 && year >= online + a.life_years) return false;
  if (a.retire_year > 0 && year >= a.retire_year) return false;
  return true;
}

double Pathway::end_of_life(const std::string& region, int k) const {
  auto it = m_eol.find(region);
  return it == m_eol.end() ? 0.0 : it->second[static_cast<std::size_t>(k)];
}

double Pathway::feed_available(const std::string& region, int k) const {
  auto it = m_feed.find(region);
  return it == m_feed.end() ? 0.0 : it->second[static_cast<std::size_t>(k)];
}

Result<Pathway> Pathway::prepare(const model::Dataset& dataset, const model::PathwayData& data,
                                 const PathwayOptions& options) {
  const int y0 = dataset.settings.year;
  auto years_error = [&](std::string msg) {
    return make_error(ErrorCategory::Value, std::move(msg), ErrorContext{"", 0, "years", ""});
  };
  if (options.years.empty()) return years_error("a pathway needs at least one year");
  if (options.years.front() != y0)
    return years_error(fmt::format("a pathway starts in the dataset year {}, not {}; expected years such as {}:2050", y0,
                                   options.years.front(), y0));
  for (std::size_t i = 1; i < options.years.size(); ++i)
    if (options.years[i] <= options.years[i - 1])
      return years_error(fmt::format("year {} comes after {} (years out of order)", options.years[i], options.years[i - 1]));
  CADENA_TRY(model::validate_pathway(dataset, data));

  Pathway pw;
  pw.m_opt = options;
  pw.m_path = data;
  pw.m_data = model::with_options(dataset, data);
  auto& d = pw.m_data;
  const auto& years = options.years;
  const int last = years.back();
  auto series = model::evaluate_paths(dataset, data, options.demand_path, last);
  if (!series) return series.error();
  pw.m_series = std::move(*series);
  d.demands = pw.m_series.rows;

  // Weights: years a period stands for, and those years discounted to the dataset year.
  pw.m_weights = model::period_weights(years);
  for (std::size_t k = 0; k < years.size(); ++k) {
    double w = 0.0;
    for (int y = years[k]; y < years[k] + static_cast<int>(pw.m_weights[k]); ++y)
      w += std::pow(1.0 + options.discount_rate, -(y - y0));
    pw.m_cost_weights.push_back(w);
  }

  // Production scrap: facilities of the scrap stage shed part of their output's metal as feed.
  const auto& rc = data.recycling;
  if (rc.enabled && !rc.scrap_stage.empty() && rc.scrap_share > 0.0) {
    const auto* feed = d.find_product(rc.feed);
    const double feed_c = feed ? d.contained_per_unit(*feed).value_or(0.0) : 0.0;
    for (auto& f : d.facilities) {
      if (f.stage != rc.scrap_stage || !(feed_c > 0.0)) continue;
      const auto* out = d.find_product(f.output);
      const double c = out ? d.contained_per_unit(*out).value_or(0.0) : 0.0;
      if (c > 0.0) f.by_products.push_back(model::ProcessInput{rc.feed, rc.scrap_share * c / feed_c, 0});
    }
  }

  // Assets: one per facility of the expanded dataset.
  std::map<std::string, int> deposit_index;
  for (const auto& t : data.resources) {
    auto [it, fresh] = deposit_index.emplace(t.deposit, static_cast<int>(pw.m_deposits.size()));
    if (fresh) pw.m_deposits.push_back(Deposit{t.deposit, t.unit, {}, {}, {}, {}});
    auto& dep = pw.m_deposits[static_cast<std::size_t>(it->second)];
    dep.quantity.push_back(t.quantity);
    dep.extra_cost_usd.push_back(t.extra_cost_usd_per_unit);
    dep.category.push_back(t.category);
  }
  const auto default_ramp = data.default_ramp_up;
  int no_data = 0;
  std::map<std::string, std::size_t> option_row;
  for (std::size_t o = 0; o < data.options.size(); ++o) option_row[data.options[o].id] = o;
  for (std::size_t i = 0; i < d.facilities.size(); ++i) {
    const auto& f = d.facilities[i];
    Asset a;
    a.nameplate = f.capacity;
    std::string deposit = f.id;
    const bool is_option = i >= dataset.facilities.size();
    if (is_option) {
      const std::string oid = f.id.substr(0, f.id.rfind('@'));
      const std::size_t o = option_row.at(oid);
      const auto& opt = data.options[o];
      a.kind = AssetKind::Option;
      a.nameplate = 1.0;
      a.option = static_cast<int>(o);
      a.lead_time_years = opt.lead_time_years;
      a.online_year = std::max(y0 + std::max(opt.lead_time_years, 1), opt.earliest_year);
      a.life_years = opt.life_years;
      a.ramp = opt.ramp_up;
      a.capex_usd_per_unit = opt.capex_usd_per_unit;
      a.fom_usd_per_unit = opt.fixed_om_usd_per_unit;
      a.min_size = opt.min_size;
      a.max_build_per_year = opt.max_build_per_year;
      a.binary = options.mip && opt.min_size > 0.0;
      deposit = opt.deposit;
    } else {
      const auto* pr = data.find_project(f.id);
      if (pr && !pr->deposit.empty()) deposit = pr->deposit;
      switch (f.status) {
        case model::FacilityStatus::Operating:
          a.kind = AssetKind::Existing;
          if (pr) a.retire_year = pr->retirement_year;
          break;
        case model::FacilityStatus::Construction: {
          a.kind = AssetKind::Committed;
          const int start = pr && pr->earliest_year ? pr->earliest_year : f.start_year;
          a.online_year = std::max(start, y0 + 1);
          a.ramp = pr ? pr->ramp_up : default_ramp;
          if (pr) {
            a.retire_year = pr->retirement_year;
            a.capex_usd_per_unit = pr->capex_usd_per_unit;
            a.lead_time_years = pr->lead_time_years;
          }
          break;
        }
        case model::FacilityStatus::Planned:
        case model::FacilityStatus::Announced:
        case model::FacilityStatus::Suspended:
          if (!pr) {
            a.kind = AssetKind::Inactive;
            if (f.status != model::FacilityStatus::Suspended) ++no_data;
            break;
          }
          a.kind = AssetKind::Project;
          a.lead_time_years = pr->lead_time_years;
          a.online_year = std::max(y0 + std::max(pr->lead_time_years, 1), pr->earliest_year);
          a.retire_year = pr->retirement_year;
          a.ramp = pr->ramp_up;
          a.capex_usd_per_unit = pr->capex_usd_per_unit;
          a.fom_usd_per_unit = pr->fixed_om_usd_per_unit;
          a.binary = options.mip && pr->lumpy;
          break;
        case model::FacilityStatus::Cancelled: a.kind = AssetKind::Inactive; break;
      }
    }
    if (auto it = deposit_index.find(deposit); it != deposit_index.end()) {
      a.deposit = it->second;
      pw.m_deposits[static_cast<std::size_t>(it->second)].assets.push_back(i);
    }
    pw.m_assets.push_back(std::move(a));
  }
  if (no_data > 0)
    pw.m_notes.push_back(fmt::format("{} planned or announced facilities have no projects.csv row (capex, lead time) and "
                                     "are not built",
                                     no_data));

  // Committed capacity as builds (reported as investment; not a decision of the LP).
  for (std::size_t i = 0; i < pw.m_assets.size(); ++i) {
    const auto& a = pw.m_assets[i];
    if (a.kind != AssetKind::Committed || a.online_year > last) continue;
    const auto& f = d.facilities[i];
    BuildRecord b;
    b.year = a.online_year;
    b.decision_year = a.online_year - a.lead_time_years;
    b.asset = f.id;
    b.kind = "committed";
    b.stage = f.stage;
    b.country = f.country;
    b.product = f.output;
    if (const auto* p = d.find_product(f.output)) b.unit = p->unit;
    b.capacity = f.capacity;
    b.capex_usd = f.capacity * a.capex_usd_per_unit;
    set_owner_countries(d, f, b);
    pw.m_committed.push_back(std::move(b));
  }

  // End-of-life feed: the cohort model over what was placed on the market, times collection.
  if (rc.enabled) {
    model::WeibullLifetime life{rc.lifetime_shape, rc.lifetime_scale};
    std::map<std::string, std::vector<double>> inflow;  // region -> contained units per year from `first`
    int first = y0;
    for (const auto& pl : pw.m_series.placed) first = std::min(first, pl.first_year);
    for (const auto& pl : pw.m_series.placed) {
      const auto* prod = d.find_product(pl.product);
      auto c = prod ? d.contained_per_unit(*prod) : std::nullopt;
      if (!c) continue;
      // A product of the scrap stage is counted with the metal its plants consume (the gross
      // recipe): scrap_share of that left the plant as production scrap, only the rest is in use.
      if (!rc.scrap_stage.empty() && prod->stage == rc.scrap_stage) *c *= 1.0 - rc.scrap_share;
      auto& v = inflow[pl.region];
      v.resize(static_cast<std::size_t>(last - first + 1), 0.0);
      for (std::size_t t = 0; t < pl.quantity.size(); ++t) {
        const int year = pl.first_year + static_cast<int>(t);
        v[static_cast<std::size_t>(year - first)] += pl.quantity[t] * *c * pw.m_series.factor(pl.product, std::max(year, y0));
      }
    }
    const auto* feed = d.find_product(rc.feed);
    const double feed_c = feed && d.contained_per_unit(*feed) ? *d.contained_per_unit(*feed) : 1.0;
    for (const auto& [region, v] : inflow) {
      const auto out = model::end_of_life(v, life);
      auto& eol = pw.m_eol[region];
      auto& feed_v = pw.m_feed[region];
      for (std::size_t k = 0; k < years.size(); ++k) {
        const double e = out[static_cast<std::size_t>(years[k] - first)];
        eol.push_back(e);
        feed_v.push_back(years[k] == y0 ? 0.0
                                        : e * pw.m_series.collection_rate(region, years[k], rc.default_collection) / feed_c);
      }
    }
  }
  return pw;
}

PathwayState Pathway::initial_state() const {
  PathwayState s;
  s.built.assign(m_assets.size(), {});
  for (const auto& dep : m_deposits) s.extracted.emplace_back(dep.quantity.size(), 0.0);
  return s;
}

std::vector<RetirementRecord> Pathway::retirements() const {
  std::vector<RetirementRecord> out;
  for (std::size_t i = 0; i < m_assets.size(); ++i) {
    const auto& a = m_assets[i];
    if (a.retire_year <= 0 || a.retire_year > m_opt.years.back()) continue;
    if (a.kind != AssetKind::Existing && a.kind != AssetKind::Committed) continue;
    const auto& f = m_data.facilities[i];
    RetirementRecord r{a.retire_year, f.id, f.stage, f.country, f.output, "", f.capacity};
    if (const auto* p = m_data.find_product(f.output)) r.unit = p->unit;
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return std::tie(x.year, x.asset) < std::tie(y.year, y.asset); });
  return out;
}

// The pathway families, one function each (docs/formulation.md, "Pathways", same names), added
// after the period blocks of the window's Network.
struct PathwayBuilder {
  const Pathway& pw;
  PathwayNetwork& pn;
  const PathwayState& state;
  int first, count;
  double s;  // cost scale
  lp::Model& lp;
  int y0;

  int year(int k) const { return pw.years()[static_cast<std::size_t>(first + k)]; }
  int prod_col(std::size_t i, int k) const {
    return pn.m_net.column_in_period(pn.m_net.facilities()[i].production_col, k);
  }

  // Capacity the state carries for asset i in `year` (earlier windows' builds).
  double carried(std::size_t i, int y) const {
    const auto& a = pw.assets()[i];
    double c = 0.0;
    for (const auto& [online, cap] : state.built[i])
      if (pw.alive(i, online, y)) c += cap * a.nameplate * a.ramp_share(online, y);
    return c;
  }
  double built_share(std::size_t i) const {
    double s = 0.0;
    for (const auto& b : state.built[i]) s += b.second;
    return s;
  }

  // build:<asset>:<y> for every Project and Option and every window period it may first produce in;
  // capacity:<asset>:<y>  prod - sum_{y' <= y} K ramp(y - y' + 1) build_{y'} <= carried capacity;
  // each build costs its yearly charge (annuity of capex + fixed O&M) x K over the window periods
  // it produces in, each x the period's discounted years.
  void add_capacity_expansion() {
    const auto& d = pw.dataset();
    std::vector<std::vector<int>> cols(pw.assets().size());  // per asset: build col per window period or -1
    for (std::size_t i = 0; i < pw.assets().size(); ++i) {
      const auto& a = pw.assets()[i];
      if (a.kind != AssetKind::Project && a.kind != AssetKind::Option) continue;
      cols[i].assign(static_cast<std::size_t>(count), -1);
      const double charge = pw.yearly_charge_usd(i) * a.nameplate;
      const double left = a.kind == AssetKind::Project ? std::max(0.0, 1.0 - built_share(i)) : lp::kInf;
      for (int k = 0; k < count; ++k) {
        const int y = year(k);
        if (y == y0 || y < a.online_year || left <= 0.0) continue;
        if (a.retire_year > 0 && y >= a.retire_year) continue;
        double cost = 0.0;
        for (int t = k; t < count; ++t)
          if (pw.alive(i, y, year(t))) cost += pw.cost_weight(first + t) * charge;
        double upper = a.kind == AssetKind::Project ? left : a.max_build_per_year * pw.weight(first + k);
        const bool integer = a.binary && a.kind == AssetKind::Project;
        const int c = lp.add_column({"build:", d.facilities[i].id, ":", std::to_string(y)}, 0.0, upper, cost * s, integer);
        cols[i][static_cast<std::size_t>(k)] = c;
        pn.m_builds.push_back({i, first + k, c});
        // --mip: an option is built at least min_size at once: min_size open <= build <= M open.
        if (a.binary && a.kind == AssetKind::Option && std::isfinite(upper)) {
          const int o = lp.add_column({"open:", d.facilities[i].id, ":", std::to_string(y)}, 0.0, 1.0, 0.0, true);
          const int lo = lp.add_row({"opensize:", d.facilities[i].id, ":", std::to_string(y)}, 0.0, lp::kInf);
          lp.add_coefficient(lo, c, 1.0);
          lp.add_coefficient(lo, o, -a.min_size);
          const int hi = lp.add_row({"openmax:", d.facilities[i].id, ":", std::to_string(y)}, -lp::kInf, 0.0);
          lp.add_coefficient(hi, c, 1.0);
          lp.add_coefficient(hi, o, -upper);
        }
      }
    }
    // A project is built once: sum of its build shares <= what is left of it.
    for (std::size_t i = 0; i < cols.size(); ++i) {
      if (pw.assets()[i].kind != AssetKind::Project) continue;
      int n = 0;
      for (int c : cols[i]) n += c >= 0;
      if (n < 2) continue;
      const int r = lp.add_row({"project:", d.facilities[i].id}, -lp::kInf, std::max(0.0, 1.0 - built_share(i)));
      for (int c : cols[i])
        if (c >= 0) lp.add_coefficient(r, c, 1.0);
    }
    // Options built by several nationalities share the row's yearly limit.
    std::map<std::pair<int, int>, std::vector<int>> shared;  // (option, period) -> build cols
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const auto& a = pw.assets()[i];
      if (a.kind != AssetKind::Option || !std::isfinite(a.max_build_per_year)) continue;
      for (int k = 0; k < count; ++k)
        if (cols[i][static_cast<std::size_t>(k)] >= 0) shared[{a.option, k}].push_back(cols[i][static_cast<std::size_t>(k)]);
    }
    for (const auto& [key, cs] : shared) {
      if (cs.size() < 2) continue;
      const auto& opt = pw.data().options[static_cast<std::size_t>(key.first)];
      const int r = lp.add_row({"buildcap:", opt.id, ":", std::to_string(year(key.second))}, -lp::kInf,
                               opt.max_build_per_year * pw.weight(first + key.second));
      for (int c : cs) lp.add_coefficient(r, c, 1.0);
    }
    // capacity rows, or a plain bound when nothing in the window can add capacity.
    for (std::size_t i = 0; i < cols.size(); ++i) {
      const auto& a = pw.assets()[i];
      if (a.kind != AssetKind::Project && a.kind != AssetKind::Option) continue;
      for (int k = 0; k < count; ++k) {
        const int y = year(k);
        if (y == y0) continue;
        const double carry = carried(i, y);
        std::vector<std::pair<int, double>> terms;
        for (int t = 0; t <= k; ++t) {
          const int c = cols[i][static_cast<std::size_t>(t)];
          if (c < 0 || !pw.alive(i, year(t), y)) continue;
          const double share = a.ramp_share(year(t), y);
          if (share > 0.0) terms.emplace_back(c, a.nameplate * share);
        }
        const int pc = prod_col(i, k);
        pn.m_capacity.push_back({i, k, carry, terms});
        if (terms.empty()) {
          lp.set_column_bounds(pc, 0.0, carry);
          continue;
        }
        lp.set_column_bounds(pc, 0.0, lp::kInf);
        const int r = lp.add_row({"capacity:", d.facilities[i].id, ":", std::to_string(y)}, -lp::kInf, carry);
        lp.add_coefficient(r, pc, 1.0);
        for (const auto& [c, coef] : terms) lp.add_coefficient(r, c, -coef);
      }
    }
  }

  // extract:<deposit>:t<k>:<y> and deplete:<deposit>:<y>  sum of its facilities' prod = sum_k extract;
  // resource:<deposit>:t<k>  sum_y years(y) x extract <= tranche quantity - extracted before.
  void add_resource_tranches() {
    for (std::size_t dd = 0; dd < pw.deposits().size(); ++dd) {
      const auto& dep = pw.deposits()[dd];
      if (dep.assets.empty()) continue;
      std::vector<std::vector<int>> ext(dep.quantity.size());
      for (int k = 0; k < count; ++k) {
        const std::string y = std::to_string(year(k));
        const int r = lp.add_row({"deplete:", dep.id, ":", y}, 0.0, 0.0);
        for (std::size_t i : dep.assets) lp.add_coefficient(r, prod_col(i, k), 1.0);
        for (std::size_t t = 0; t < dep.quantity.size(); ++t) {
          const int c = lp.add_column({"extract:", dep.id, ":t", std::to_string(t + 1), ":", y}, 0.0, lp::kInf,
                                      dep.extra_cost_usd[t] * pw.cost_weight(first + k) * s);
          lp.add_coefficient(r, c, -1.0);
          ext[t].push_back(c);
          pn.m_tranches.push_back({dd, t, first + k, c});
        }
      }
      for (std::size_t t = 0; t < dep.quantity.size(); ++t) {
        const double left = std::max(0.0, dep.quantity[t] - state.extracted[dd][t]);
        const int r = lp.add_row({"resource:", dep.id, ":t", std::to_string(t + 1)}, -lp::kInf, left);
        for (int k = 0; k < count; ++k) lp.add_coefficient(r, ext[t][static_cast<std::size_t>(k)], pw.weight(first + k));
      }
    }
  }

  // supply:<region>-<country>:<feed>:<y> into balance:<feed>:<country>:<y>, and
  // collect:<region>:<feed>:<y>  sum_c supply <= collected end-of-life material of the region;
  // scrapcap:<feed>:<country>:<y>  dispose <= the production scrap made there: end-of-life feed
  // is drawn only for what recyclers take, never drawn and thrown away (both would cost 0).
  void add_secondary_supply() {
    const auto& rc = pw.data().recycling;
    if (!rc.enabled) return;
    const auto& d = pw.dataset();
    for (int k = 0; k < count; ++k) {
      if (year(k) == y0) continue;
      const std::string y = std::to_string(year(k));
      std::set<std::string> supplied;
      for (const auto& reg : d.regions) {
        const double avail = pw.feed_available(reg.id, first + k);
        std::vector<std::pair<std::string, int>> markets;
        for (const auto& c : d.countries)
          if (c.region == reg.id)
            if (const auto* m = pn.m_net.market(rc.feed, c.code)) markets.emplace_back(c.code, m->balance_row);
        if (markets.empty() || !(avail > 0.0)) continue;
        const int r = lp.add_row({"collect:", reg.id, ":", rc.feed, ":", y}, -lp::kInf, avail);
        for (const auto& [code, bal] : markets) {
          const int c = lp.add_column({"supply:", reg.id, "-", code, ":", rc.feed, ":", y}, 0.0, lp::kInf, 0.0);
          lp.add_coefficient(r, c, 1.0);
          lp.add_coefficient(pn.m_net.row_in_period(bal, k), c, 1.0);
          pn.m_supply.push_back({reg.id, first + k, c});
          supplied.insert(code);
        }
      }
      for (const auto& code : supplied) {
        const auto* m = pn.m_net.market(rc.feed, code);
        if (!m || m->dispose_col < 0) continue;
        const int r = lp.add_row({"scrapcap:", rc.feed, ":", code, ":", y}, -lp::kInf, 0.0);
        lp.add_coefficient(r, pn.m_net.column_in_period(m->dispose_col, k), 1.0);
        for (std::size_t i = 0; i < d.facilities.size(); ++i) {
          const auto& f = d.facilities[i];
          if (f.country != code) continue;
          for (const auto& bp : f.by_products)
            if (bp.product == rc.feed)
              if (const double a = bp.per_unit_output * pn.m_net.by_product_factor_in_period(i, k); a > 0.0)
                lp.add_coefficient(r, prod_col(i, k), -a);
        }
      }
    }
  }
};

Result<PathwayNetwork> Pathway::build(int first, int count, const PathwayState& state) const {
  const auto& d = m_data;
  const int y0 = d.settings.year;
  if (first < 0 || count < 1 || first + count > static_cast<int>(m_opt.years.size()))
    return make_error(ErrorCategory::Internal, "pathway window outside its years");
  BuildOptions bo;
  bo.cost_scale = m_opt.cost_scale;
  for (int k = first; k < first + count; ++k) {
    const int y = m_opt.years[static_cast<std::size_t>(k)];
    PeriodInput p;
    p.year = y;
    p.cost_weight = m_cost_weights[static_cast<std::size_t>(k)];
    const std::size_t nf = d.facilities.size();
    p.capacity.resize(nf);
    p.floor.assign(nf, 0.0);
    p.input_factor.resize(nf);
    p.by_product_factor.resize(nf);
    for (std::size_t i = 0; i < nf; ++i) {
      const auto& f = d.facilities[i];
      const auto& a = m_assets[i];
      const double phi = m_series.factor(f.output, y);
      p.input_factor[i] = phi;
      p.by_product_factor[i] = y == y0 ? 0.0 : phi;
      if (y == y0) {  // the dataset year is the single-year model
        p.capacity[i] = Network::is_active(f, d.settings) ? f.effective_capacity() : 0.0;
        p.floor[i] = Network::production_floor(f, d.settings);
        continue;
      }
      switch (a.kind) {
        case AssetKind::Existing: p.capacity[i] = (a.retire_year > 0 && y >= a.retire_year) ? 0.0 : f.capacity; break;
        case AssetKind::Committed:
          p.capacity[i] = (a.retire_year > 0 && y >= a.retire_year) ? 0.0 : f.capacity * a.ramp_share(a.online_year, y);
          break;
        case AssetKind::Project:
        case AssetKind::Option: p.capacity[i] = lp::kInf; break;  // the capacity rows decide
        case AssetKind::Inactive: p.capacity[i] = 0.0; break;
      }
    }
    const auto yi = static_cast<std::size_t>(m_series.index(y));
    p.demand = m_series.demand[yi];
    bo.periods.push_back(std::move(p));
  }
  auto net = Network::build(d, bo);
  if (!net) return net.error();
  PathwayNetwork pn(std::move(*net));
  pn.m_first = first;
  pn.m_pathway = this;
  PathwayBuilder b{*this, pn, state, first, count, m_opt.cost_scale, pn.m_net.lp(), y0};
  b.add_capacity_expansion();
  b.add_resource_tranches();
  b.add_secondary_supply();
  return pn;
}

PathwayNetwork::Result PathwayNetwork::extract(const lp::Solution& sol, double tol) const {
  Result r;
  const auto& pw = *m_pathway;
  for (int k = 0; k < num_periods(); ++k) r.periods.push_back(m_net.extract_period(sol, k, tol));
  if (!sol.ok() || sol.x.size() != static_cast<std::size_t>(lp().num_columns())) return r;
  auto val = [&](int col) {
    const double v = sol.x[static_cast<std::size_t>(col)];
    return std::abs(v) < tol ? 0.0 : v;
  };
  const auto& d = pw.dataset();
  // What a built asset could produce in each period (the LP's bound is its capacity row).
  for (const auto& c : m_capacity) {
    double cap = c.carried;
    for (const auto& [col, coef] : c.terms) cap += coef * val(col);
    auto& fr = r.periods[static_cast<std::size_t>(c.k)].facilities[c.asset];
    fr.capacity = cap;
    fr.utilisation = cap > 0.0 ? fr.output / cap : 0.0;
    fr.active = cap > 0.0;
  }
  for (const auto& b : m_builds) {
    const double x = val(b.col);
    if (x <= 0.0) continue;
    const auto& a = pw.assets()[b.asset];
    const auto& f = d.facilities[b.asset];
    BuildRecord br;
    br.year = pw.years()[static_cast<std::size_t>(b.period)];
    br.decision_year = br.year - a.lead_time_years;
    br.asset = f.id;
    br.kind = a.kind == AssetKind::Option ? "option" : "project";
    if (a.option >= 0) br.option = pw.data().options[static_cast<std::size_t>(a.option)].id;
    br.stage = f.stage;
    br.country = f.country;
    br.product = f.output;
    if (const auto* p = d.find_product(f.output)) br.unit = p->unit;
    br.capacity = x * a.nameplate;
    br.capex_usd = br.capacity * a.capex_usd_per_unit;
    set_owner_countries(d, f, br);
    r.builds.push_back(std::move(br));
  }
  r.extraction.assign(static_cast<std::size_t>(num_periods()), {});
  for (auto& per : r.extraction)
    for (const auto& dep : pw.deposits()) per.emplace_back(dep.quantity.size(), 0.0);
  r.depletion_usd.assign(static_cast<std::size_t>(num_periods()), 0.0);
  for (const auto& t : m_tranches) {
    const double q = val(t.col);
    r.extraction[static_cast<std::size_t>(t.period - m_first)][t.deposit][t.tranche] += q;
    r.depletion_usd[static_cast<std::size_t>(t.period - m_first)] += q * pw.deposits()[t.deposit].extra_cost_usd[t.tranche];
  }
  r.feed_used.assign(static_cast<std::size_t>(num_periods()), {});
  for (const auto& s : m_supply) r.feed_used[static_cast<std::size_t>(s.period - m_first)][s.region] += val(s.col);
  return r;
}

void Pathway::advance(PathwayState& state, const PathwayNetwork::Result& result, int first) const {
  for (const auto& b : result.builds) {
    for (std::size_t i = 0; i < m_data.facilities.size(); ++i)
      if (m_data.facilities[i].id == b.asset) {
        state.built[i].emplace_back(b.year, b.capacity / m_assets[i].nameplate);
        break;
      }
  }
  for (std::size_t k = 0; k < result.extraction.size(); ++k)
    for (std::size_t dd = 0; dd < result.extraction[k].size(); ++dd)
      for (std::size_t t = 0; t < result.extraction[k][dd].size(); ++t)
        state.extracted[dd][t] += result.extraction[k][dd][t] * weight(first + static_cast<int>(k));
}

}  // namespace cadena::chain
