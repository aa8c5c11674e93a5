// The policy-rule families of the chain LP (docs/formulation.md "Policy rules", one section per
// function below). They run after the per-period blocks: each rule adds, for every period whose
// year it is in force, rows and columns over that period's columns (Network::column_in_period),
// or changes that period's bounds and costs. Nothing here knows a stage, product or country by
// name: stages come from the dataset's declarations (extraction stages for royalties and local
// value added), products and countries from the rule.
#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "cadena/chain/network.hpp"
#include "cadena/model/ownership.hpp"

namespace cadena::chain {

using model::Rule;
using model::RuleKind;

namespace {

bool matches(const std::string& selector, const std::string& value) {
  return selector.empty() || selector == "*" || selector == value;
}

// Equity share of companies headquartered in `country` in the facility after look-through to the
// ultimate owners in `year` (model/ownership.hpp: stakes.csv company-in-company and dated
// facility stakes, else the owners column): the period's year, so a pathway sees stakes change.
double owner_country_share(const model::Dataset& d, const model::Facility& f, const std::string& country, int year) {
  double share = 0.0;
  for (const auto& o : model::ultimate_owners(d, f, year))
    if (const auto* c = d.find_company(o.company); c && c->hq_country == country) share += o.share;
  return share;
}

// Royalty per unit at mine-head value v: rate x v, or the marginal band rates applied to the
// parts of v above each band's start.
double royalty_per_unit(const Rule& r, double v) {
  if (v <= 0.0) return 0.0;
  if (r.brackets.empty()) return r.rate * v;
  double due = 0.0;
  for (std::size_t b = 0; b < r.brackets.size(); ++b) {
    const double lo = r.brackets[b].first;
    const double hi = b + 1 < r.brackets.size() ? r.brackets[b + 1].first : v;
    if (v <= lo) break;
    due += r.brackets[b].second * (std::min(v, hi) - lo);
  }
  return due;
}

bool extraction_stage(const model::Dataset& d, const std::string& stage) {
  const auto* s = d.find_stage(stage);
  return s && s->extraction;
}

}  // namespace

struct RuleBuilder {
  Network& n;
  const model::Dataset& d;
  double s;

  explicit RuleBuilder(Network& net) : n(net), d(net.m_data), s(net.m_scale) {}

  std::string suffix(int k) const { return n.multi_period() ? fmt::format(":{}", n.period_year(k)) : std::string(); }
  double weight(int k) const { return n.period_cost_weight(k); }
  int col(int col0, int k) const { return n.column_in_period(col0, k); }
  int row(int row0, int k) const { return n.row_in_period(row0, k); }

  bool facility_matches(const Rule& r, const model::Facility& f) const {
    return matches(r.product, f.output) && matches(r.stage, f.stage) && matches(r.type, f.type) &&
           matches(r.facility, f.id) && matches(r.country, f.country);
  }
  double contained(const std::string& product) const {
    const auto* p = d.find_product(product);
    auto k = p ? d.contained_per_unit(*p) : std::nullopt;
    return k ? *k : 1.0;
  }
  std::string unit_of(const std::string& product) const {
    const auto* p = d.find_product(product);
    return p ? p->unit : std::string();
  }
  // Adds usd (per unit, unscaled) to the cost of period k's column.
  void add_cost(int c, double usd, int k) { n.m_lp.set_column_cost(c, n.m_lp.column(c).cost + usd * s * weight(k)); }
  void add_facility_cost(std::size_t i, double usd, int k, RuleIndex& ri) {
    const int c = col(n.m_facilities[i].production_col, k);
    add_cost(c, usd, k);
    ri.terms.push_back({c, usd});
    if (!n.multi_period()) n.m_rule_cost[i] += usd;
  }

  Status run() {
    n.m_rule_cost.assign(d.facilities.size(), 0.0);
    if (d.rules.empty()) return ok_status();
    for (int k = 0; k < n.num_periods(); ++k) {
      apply_tech_export_ban(k);
      add_production_credits(k);
      add_carbon_prices(k);
      add_royalties(k);
      add_trade_duties(k);
      add_route_quotas(k);
      add_origin_tracking(k);
      add_ownership_rules(k);
      add_local_value_added(k);
      add_emission_caps(k);
      add_min_output(k);
    }
    return ok_status();
  }

  RuleIndex& new_index(std::size_t rule, int k, std::string unit = {}) {
    RuleIndex ri;
    ri.rule = rule;
    ri.period = k;
    ri.unit = std::move(unit);
    n.m_rules.push_back(std::move(ri));
    return n.m_rules.back();
  }
  template <class F>
  void for_rules(RuleKind kind, int k, F f) {
    for (std::size_t j = 0; j < d.rules.size(); ++j)
      if (d.rules[j].kind == kind && d.rules[j].in_force(n.period_year(k))) f(j, d.rules[j]);
  }

  // tech_export_ban: no new capacity of the selected technology (stage/type/product) outside
  // `country`, optionally only where owners from `owner_country` hold more than `share`. New:
  // not operating, or starting in or after from_year (the dataset year when open).
  void apply_tech_export_ban(int k) {
    for_rules(RuleKind::TechExportBan, k, [&](std::size_t j, const Rule& r) {
      auto& ri = new_index(j, k);
      const int since = r.from_year ? r.from_year : d.settings.year;
      for (std::size_t i = 0; i < d.facilities.size(); ++i) {
        const auto& f = d.facilities[i];
        if (f.country == r.country || !matches(r.product, f.output) || !matches(r.stage, f.stage) ||
            !matches(r.type, f.type) || !matches(r.facility, f.id))
          continue;
        const bool is_new = f.status != model::FacilityStatus::Operating || f.start_year >= since;
        if (!is_new) continue;
        if (!r.owner_country.empty() && !(owner_country_share(d, f, r.owner_country, n.period_year(k)) > r.share)) continue;
        const double cap = n.capacity_in_period(i, k);
        const int c = col(n.m_facilities[i].production_col, k);
        n.m_lp.set_column_bounds(c, 0.0, 0.0);
        ri.excluded_capacity += cap;
        ri.unit = unit_of(f.output);
        if (cap > 0) ri.excluded_by_stage.emplace_back(f.id, cap);
      }
    });
  }

  // production_credit: cost of prod:<f> - (amount_usd + rate x unit cost) for matching facilities.
  void add_production_credits(int k) {
    for_rules(RuleKind::ProductionCredit, k, [&](std::size_t j, const Rule& r) {
      auto& ri = new_index(j, k);
      for (std::size_t i = 0; i < d.facilities.size(); ++i) {
        const auto& f = d.facilities[i];
        if (!facility_matches(r, f)) continue;
        const double credit = r.amount + r.rate * f.unit_cost;
        add_facility_cost(i, -credit, k, ri);
        ri.quantity_cols.push_back(col(n.m_facilities[i].production_col, k));
        ri.unit = unit_of(f.output);
      }
    });
  }

  // carbon_price: + amount USD per t CO2 of each selected facility's output (country = where it
  // is, "*" everywhere; stage, type, product and facility selectors), in the years in force, on
  // top of the scenario's global carbon_price_usd_per_t. The record's quantity is the t CO2 priced.
  void add_carbon_prices(int k) {
    for_rules(RuleKind::CarbonPrice, k, [&](std::size_t j, const Rule& r) {
      auto& ri = new_index(j, k, "t CO2");
      for (std::size_t i = 0; i < d.facilities.size(); ++i) {
        const auto& f = d.facilities[i];
        if (!facility_matches(r, f) || !(f.co2_per_unit > 0.0)) continue;
        add_facility_cost(i, r.amount * f.co2_per_unit, k, ri);
        ri.quantity_cols.push_back(col(n.m_facilities[i].production_col, k));
        ri.quantity_factor.push_back(f.co2_per_unit);
      }
    });
  }

  // royalty: + royalty(v) per unit of extraction output (stage "*" = the extraction stages), v the
  // mine-head value: reference_price_usd, or the market price of the output where the mine is
  // (update_royalties, iterated by the caller; the first solve uses v = 0).
  void add_royalties(int k) {
    for_rules(RuleKind::Royalty, k, [&](std::size_t j, const Rule& r) {
      auto& ri = new_index(j, k);
      for (std::size_t i = 0; i < d.facilities.size(); ++i) {
        const auto& f = d.facilities[i];
        if (!facility_matches(r, f)) continue;
        if ((r.stage.empty() || r.stage == "*") && !extraction_stage(d, f.stage)) continue;
        const bool fixed = r.reference_price > 0.0;
        add_facility_cost(i, fixed ? royalty_per_unit(r, r.reference_price) : 0.0, k, ri);
        ri.quantity_cols.push_back(col(n.m_facilities[i].production_col, k));
        ri.royalty_facility.push_back(static_cast<int>(i));
        const auto* m = n.market(f.output, f.country);
        ri.royalty_price_row.push_back(fixed || !m ? -1 : row(m->balance_row, k));
        ri.unit = unit_of(f.output);
      }
    });
  }

  // Per trade column of the current period (index into m_trades): the USD per unit that dated
  // export_duty and import_tariff rules add (add_trade_duties), which add_origin_tracking takes
  // off again for duty-exempt classes (export) and for origin-tariffed classes (import).
  std::vector<double> dated_export, dated_import;

  // export_duty / import_tariff (product; exporter `from`, importer `to`, the other side a
  // country or "*"; rate x reference_price_usd + amount_usd per unit): + that duty on the cost of
  // every matching flow:<a>-<b>:<p> of each period in force, on top of the leg's policies.csv duty
  // of the same kind. Per trade and kind the most specific rule in force applies (exact from and to
  // over "*", then the first row), so an "AR -> *" and an "AR -> CN" rule never both charge a flow.
  // The record's quantity is what was shipped on the legs it charged, its payment the duty.
  void add_trade_duties(int k) {
    dated_export.assign(n.m_trades.size(), 0.0);
    dated_import.assign(n.m_trades.size(), 0.0);
    for (RuleKind kind : {RuleKind::ExportDuty, RuleKind::ImportTariff}) {
      std::vector<std::size_t> best(n.m_trades.size(), d.rules.size());
      std::vector<int> score(n.m_trades.size(), -1);
      auto selects = [](const Rule& r, const TradeIndex& t) {
        return matches(r.product, t.product) && matches(r.from, t.from) && matches(r.to, t.to);
      };
      for_rules(kind, k, [&](std::size_t j, const Rule& r) {
        const int sc = (r.from != "*" && !r.from.empty() ? 1 : 0) + (r.to != "*" && !r.to.empty() ? 1 : 0);
        for (std::size_t t = 0; t < n.m_trades.size(); ++t)
          if (selects(r, n.m_trades[t]) && sc > score[t]) {
            best[t] = j;
            score[t] = sc;
          }
      });
      auto& dated = kind == RuleKind::ExportDuty ? dated_export : dated_import;
      for_rules(kind, k, [&](std::size_t j, const Rule& r) {
        auto& ri = new_index(j, k, unit_of(r.product));
        const double usd = r.rate * r.reference_price + r.amount;
        for (std::size_t t = 0; t < n.m_trades.size(); ++t) {
          if (best[t] != j) continue;
          const int c = col(n.m_trades[t].col, k);
          add_cost(c, usd, k);
          ri.terms.push_back({c, usd});
          ri.quantity_cols.push_back(c);
          dated[t] += usd;
        }
      });
    }
  }

  // route_quota: sum of flow:<a>-<b>:<p> over matching trades <= quantity (0 = a ban).
  void add_route_quotas(int k) {
    for_rules(RuleKind::RouteQuota, k, [&](std::size_t j, const Rule& r) {
      auto& ri = new_index(j, k);
      const int rr = n.m_lp.add_row({"rule:", r.id, suffix(k)}, -lp::kInf, *r.quantity);
      ri.rows.push_back(rr);
      for (const auto& t : n.m_trades) {
        if (!matches(r.product, t.product) || !matches(r.from, t.from) || !matches(r.to, t.to)) continue;
        n.m_lp.add_coefficient(rr, col(t.col, k), 1.0);
        ri.quantity_cols.push_back(col(t.col, k));
        ri.unit = unit_of(t.product);
      }
    });
  }

  // Origin classes of one product: the output of named facilities (duty_exempt) and of the
  // facilities of each named origin country (origin_tariff, origin_quota), disjoint.
  struct OriginClass {
    std::string name;     // <country> or <facility id>
    std::string country;  // where the class is made
    int facility = -1;    // a facility class, or -1 for a country class
    std::vector<int> bal;                 // per m_markets index of the product: class balance row, or -1
    std::map<int, int> flow_col;          // m_trades index -> class column
  };

  // add_origin_tracking: for every product a rule tracks, the class balances
  //   sum_{f in class, c(f)=c} prod_f + sum_a oflow_{a->c} - sum_b oflow_{c->b} - sum ouse - sum odeliver - ostock = 0
  // with every class column bounded jointly by its aggregate column (sum over classes <= aggregate),
  // and the rules' cost corrections on the class flows.
  void add_origin_tracking(int k) {
    std::map<std::string, std::vector<std::size_t>> by_product;  // product -> rules
    for (std::size_t j = 0; j < d.rules.size(); ++j) {
      const auto& r = d.rules[j];
      if (!r.in_force(n.period_year(k))) continue;
      if (r.kind == RuleKind::OriginTariff || r.kind == RuleKind::OriginQuota) by_product[r.product].push_back(j);
      if (r.kind == RuleKind::DutyExempt)
        if (const auto* f = d.find_facility(r.facility)) by_product[f->output].push_back(j);
    }
    const std::string sfx = suffix(k);
    for (const auto& entry : by_product) {
      // Named references, not a structured binding: lambdas below use them (clang 14 cannot
      // capture structured bindings, and make test-asan builds with it).
      const std::string& product = entry.first;
      const auto& rules = entry.second;
      std::vector<OriginClass> classes;
      std::set<int> class_facilities;
      for (std::size_t j : rules)
        if (d.rules[j].kind == RuleKind::DutyExempt) {
          const auto& f = *d.find_facility(d.rules[j].facility);
          const int i = static_cast<int>(&f - d.facilities.data());
          if (class_facilities.insert(i).second) classes.push_back({f.id, f.country, i, {}, {}});
        }
      std::set<std::string> origins;
      for (std::size_t j : rules)
        if (d.rules[j].kind != RuleKind::DutyExempt && origins.insert(d.rules[j].from).second)
          classes.push_back({d.rules[j].from, d.rules[j].from, -1, {}, {}});
      // Class balance rows at every market of the product.
      for (auto& cl : classes) {
        cl.bal.assign(n.m_markets.size(), -1);
        for (std::size_t m = 0; m < n.m_markets.size(); ++m)
          if (n.m_markets[m].product == product)
            cl.bal[m] = n.m_lp.add_row({"origin:", product, "@", cl.name, ":", n.m_markets[m].country, sfx}, 0.0, 0.0);
      }
      auto bal_of = [&](OriginClass& cl, const std::string& country) {
        const auto* m = n.market(product, country);
        return m ? cl.bal[static_cast<std::size_t>(m - n.m_markets.data())] : -1;
      };
      // Sources: the output of the class's facilities.
      for (std::size_t i = 0; i < d.facilities.size(); ++i) {
        const auto& f = d.facilities[i];
        if (f.output != product) continue;
        for (auto& cl : classes) {
          const bool in = cl.facility >= 0 ? cl.facility == static_cast<int>(i)
                                           : f.country == cl.country && !class_facilities.count(static_cast<int>(i));
          if (in) n.m_lp.add_coefficient(bal_of(cl, f.country), col(n.m_facilities[i].production_col, k), 1.0);
        }
      }
      // One link row per aggregate column: sum over classes <= aggregate.
      auto link = [&](int agg, const std::string& what) {
        const int lr = n.m_lp.add_row({"origin:", product, ":", what, sfx}, -lp::kInf, 0.0);
        n.m_lp.add_coefficient(lr, agg, -1.0);
        return lr;
      };
      for (std::size_t t = 0; t < n.m_trades.size(); ++t) {
        const auto& tr = n.m_trades[t];
        if (tr.product != product) continue;
        const int lr = link(col(tr.col, k), fmt::format("flow:{}-{}", tr.from, tr.to));
        for (auto& cl : classes) {
          double correction = 0.0;  // USD per unit on top of the leg's own duties
          // The most specific origin tariff into tr.to replaces the leg's import tariff.
          const Rule* tariff = nullptr;
          for (std::size_t j : rules) {
            const auto& r = d.rules[j];
            if (r.kind != RuleKind::OriginTariff || r.from != cl.country || !matches(r.to, tr.to)) continue;
            if (!tariff || (tariff->to == "*" && r.to != "*")) tariff = &r;
          }
          // (The leg's import tariff: policies.csv plus the dated import_tariff rule in force.)
          if (tariff) correction += tariff->rate * tariff->reference_price - tr.import_tariff_usd - dated_import[t];
          // Duty-free: the policies.csv export duty and the dated export_duty rule in force.
          const double leg_export = tr.export_duty_usd + dated_export[t];
          if (cl.facility >= 0 && tr.from == cl.country) correction -= leg_export;
          const int c = n.m_lp.add_column({"origin:", product, "@", cl.name, ":flow:", tr.from, "-", tr.to, sfx}, 0.0,
                                          lp::kInf, correction * s * weight(k));
          n.m_lp.add_coefficient(bal_of(cl, tr.from), c, -1.0);
          n.m_lp.add_coefficient(bal_of(cl, tr.to), c, 1.0);
          n.m_lp.add_coefficient(lr, c, 1.0);
          cl.flow_col[static_cast<int>(t)] = c;
          // Bookkeeping per rule: tariffs, exemptions and quotas that concern this class and leg.
          for (std::size_t j : rules) {
            const auto& r = d.rules[j];
            const bool for_class = r.kind == RuleKind::DutyExempt ? cl.facility >= 0 && r.facility == cl.name
                                                                  : r.from == cl.country;
            if (!for_class) continue;
            if (r.kind == RuleKind::DutyExempt && tr.from != cl.country) continue;
            if (r.kind != RuleKind::DutyExempt && !matches(r.to, tr.to)) continue;
            pending[j].push_back({c, r.kind == RuleKind::OriginTariff && tariff == &r ? correction : 0.0,
                                  r.kind == RuleKind::DutyExempt ? -leg_export
                                  : tariff == &r                 ? tariff->rate * tariff->reference_price
                                                                 : 0.0});
          }
          if (correction != 0.0) correction_terms.push_back({c, correction});
        }
      }
      auto shadow = [&](int agg, const std::string& what, const std::string& country) {
        const int lr = link(agg, what);
        for (auto& cl : classes) {
          const int c = n.m_lp.add_column({"origin:", product, "@", cl.name, ":", what, sfx}, 0.0, lp::kInf, 0.0);
          n.m_lp.add_coefficient(bal_of(cl, country), c, -1.0);
          n.m_lp.add_coefficient(lr, c, 1.0);
        }
      };
      for (std::size_t i = 0; i < n.m_facilities.size(); ++i)
        for (const auto& u : n.m_facilities[i].uses)
          if (u.product == product) shadow(col(u.col, k), "use:" + n.m_facilities[i].id, d.facilities[i].country);
      for (const auto& dv : n.m_deliveries)
        if (dv.product == product) shadow(col(dv.col, k), fmt::format("deliver:{}-{}", dv.country, dv.region), dv.country);
      for (const auto& m : n.m_markets)
        if (m.product == product && m.stock_col >= 0) shadow(col(m.stock_col, k), "stock:" + m.country, m.country);
      // The rules' records and quota rows.
      bool first = true;
      for (std::size_t j : rules) {
        const auto& r = d.rules[j];
        auto& ri = new_index(j, k, unit_of(product));
        if (first) ri.terms = std::move(correction_terms);  // the objective's share, counted once per product
        first = false;
        correction_terms.clear();
        for (const auto& p : pending[j]) {
          ri.quantity_cols.push_back(p.col);
          if (p.paid != 0.0) ri.paid.push_back({p.col, p.paid});
        }
        if (r.kind == RuleKind::OriginQuota) {
          const int rr = n.m_lp.add_row({"rule:", r.id, sfx}, -lp::kInf, *r.quantity);
          for (const auto& p : pending[j]) n.m_lp.add_coefficient(rr, p.col, 1.0);
          ri.rows.push_back(rr);
        }
        pending.erase(j);
      }
    }
  }
  struct Pending {
    int col;
    double correction, paid;
  };
  std::map<std::size_t, std::vector<Pending>> pending;
  std::vector<RuleIndex::Term> correction_terms;

  // ownership: a region (or country) accepts a product only from chains in which no facility of
  // the rule's stages ("*" = all) is owned above `share` by companies of `owner_country`.
  // Compliant class of every product upstream of the region's demand:
  //   cprod_f <= prod_f (compliant facilities only), cuse_{f,q} <= use_{f,q},
  //   sum_{q in group} cuse_{f,q} / (a_{f,q} phi_f) - cprod_f = 0, cflow <= flow,
  //   sum cprod + sum cin - sum cout - sum cuse - sum_{deliveries to the region} deliver >= 0.
  void add_ownership_rules(int k) {
    for_rules(RuleKind::Ownership, k, [&](std::size_t j, const Rule& r) {
      const std::string sfx = suffix(k);
      auto& ri = new_index(j, k);
      const bool region = d.find_region(r.country) != nullptr;
      auto protected_delivery = [&](const DeliveryIndex& dv) {
        return (region ? dv.region == r.country : dv.country == r.country) && matches(r.product, dv.product);
      };
      // Products upstream of what the region takes.
      std::set<std::string> products;
      for (const auto& dv : n.m_deliveries)
        if (protected_delivery(dv)) products.insert(dv.product);
      for (bool grew = true; grew;) {
        grew = false;
        for (const auto& f : d.facilities)
          if (products.count(f.output))
            for (const auto& in : f.inputs) grew |= products.insert(in.product).second;
      }
      std::map<std::pair<std::string, std::string>, int> bal;  // (product, country) -> row
      for (const auto& m : n.m_markets)
        if (products.count(m.product))
          bal[{m.product, m.country}] =
              n.m_lp.add_row({"rule:", r.id, ":", m.product, ":", m.country, sfx}, 0.0, lp::kInf);
      auto bal_row = [&](const std::string& p, const std::string& c) {
        auto it = bal.find({p, c});
        return it == bal.end() ? -1 : it->second;
      };
      auto cap_by = [&](int agg, int c) {
        const int lr = n.m_lp.add_row({"rule:", r.id, ":link:", n.m_lp.column_name(agg)}, -lp::kInf, 0.0);
        n.m_lp.add_coefficient(lr, agg, -1.0);
        n.m_lp.add_coefficient(lr, c, 1.0);
      };
      std::map<std::string, double> excluded;
      for (std::size_t i = 0; i < d.facilities.size(); ++i) {
        const auto& f = d.facilities[i];
        if (!products.count(f.output)) continue;
        const bool compliant = !matches(r.stage, f.stage) || !(owner_country_share(d, f, r.owner_country, n.period_year(k)) > r.share);
        if (!compliant) {
          excluded[f.stage] += n.capacity_in_period(i, k) * contained(f.output);
          continue;
        }
        const auto& fi = n.m_facilities[i];
        const int agg = col(fi.production_col, k);
        const int cp = n.m_lp.add_column({"rule:", r.id, ":prod:", f.id, sfx}, 0.0, lp::kInf, 0.0);
        cap_by(agg, cp);
        n.m_lp.add_coefficient(bal_row(f.output, f.country), cp, 1.0);
        std::map<int, int> group_row;
        for (std::size_t u = 0; u < f.inputs.size(); ++u) {
          const auto& in = f.inputs[u];
          auto it = group_row.find(in.group);
          if (it == group_row.end()) {
            const int gr = n.m_lp.add_row({"rule:", r.id, ":recipe:", f.id, ":g", std::to_string(in.group), sfx}, 0.0, 0.0);
            n.m_lp.add_coefficient(gr, cp, -1.0);
            it = group_row.emplace(in.group, gr).first;
          }
          const int cu = n.m_lp.add_column({"rule:", r.id, ":use:", f.id, ":", in.product, sfx}, 0.0, lp::kInf, 0.0);
          cap_by(col(fi.uses[u].col, k), cu);
          n.m_lp.add_coefficient(it->second, cu, 1.0 / (in.per_unit_output * n.input_factor_in_period(i, k)));
          n.m_lp.add_coefficient(bal_row(in.product, f.country), cu, -1.0);
        }
      }
      for (const auto& t : n.m_trades) {
        if (!products.count(t.product)) continue;
        const int cf = n.m_lp.add_column({"rule:", r.id, ":flow:", t.from, "-", t.to, ":", t.product, sfx}, 0.0,
                                         lp::kInf, 0.0);
        cap_by(col(t.col, k), cf);
        n.m_lp.add_coefficient(bal_row(t.product, t.from), cf, -1.0);
        n.m_lp.add_coefficient(bal_row(t.product, t.to), cf, 1.0);
      }
      for (const auto& dv : n.m_deliveries) {
        if (!protected_delivery(dv)) continue;
        const int br = bal_row(dv.product, dv.country);
        n.m_lp.add_coefficient(br, col(dv.col, k), -1.0);
        // In the contained unit, so products in different units add up.
        ri.quantity_cols.push_back(col(dv.col, k));
        ri.quantity_factor.push_back(contained(dv.product));
        if (std::find(ri.rows.begin(), ri.rows.end(), br) == ri.rows.end()) {
          ri.rows.push_back(br);
          ri.row_per_unit.push_back(contained(dv.product));
        }
      }
      ri.unit = d.contained_unit;
      for (const auto& [stage, cap] : excluded) {
        ri.excluded_by_stage.emplace_back(stage, cap);
        ri.excluded_capacity += cap;
      }
    });
  }

  // local_value_added: in `country`, the contained amount of the rule's stage products (the
  // extraction stages when "*") used by its own plants of a later stage >= share x what its
  // stage-S plants make (a stage-S plant upgrading another stage-S product, e.g. carbonate into
  // hydroxide, is not processing at home):
  //   sum_{f in c, stage not in S} sum_{q in P_S} k_q use_{f,q} - share sum_{f in c, stage in S} k_{o(f)} prod_f >= 0
  void add_local_value_added(int k) {
    for_rules(RuleKind::LocalValueAdded, k, [&](std::size_t j, const Rule& r) {
      auto& ri = new_index(j, k, d.contained_unit);
      auto in_stage = [&](const std::string& stage) {
        return r.stage.empty() || r.stage == "*" ? extraction_stage(d, stage) : stage == r.stage;
      };
      const int rr = n.m_lp.add_row({"rule:", r.id, suffix(k)}, 0.0, lp::kInf);
      ri.rows.push_back(rr);
      for (std::size_t i = 0; i < d.facilities.size(); ++i) {
        const auto& f = d.facilities[i];
        if (f.country != r.country) continue;
        const auto& fi = n.m_facilities[i];
        if (in_stage(f.stage) && matches(r.product, f.output)) {
          n.m_lp.add_coefficient(rr, col(fi.production_col, k), -r.share * contained(f.output));
          ri.quantity_cols.push_back(col(fi.production_col, k));  // extracted
        }
        if (in_stage(f.stage)) continue;  // its uses are not processing beyond the stage
        for (const auto& u : fi.uses) {
          const auto* p = d.find_product(u.product);
          if (p && in_stage(p->stage) && matches(r.product, u.product))
            n.m_lp.add_coefficient(rr, col(u.col, k), contained(u.product));
        }
      }
    });
  }

  // carbon_cap / water_cap: sum over matching facilities of intensity x prod_f <= quantity.
  void add_emission_caps(int k) {
    for (RuleKind kind : {RuleKind::CarbonCap, RuleKind::WaterCap})
      for_rules(kind, k, [&](std::size_t j, const Rule& r) {
        auto& ri = new_index(j, k, kind == RuleKind::CarbonCap ? "t CO2" : "m3");
        const int rr = n.m_lp.add_row({"rule:", r.id, suffix(k)}, -lp::kInf, *r.quantity);
        ri.rows.push_back(rr);
        for (std::size_t i = 0; i < d.facilities.size(); ++i) {
          const auto& f = d.facilities[i];
          if (!facility_matches(r, f)) continue;
          const double a = kind == RuleKind::CarbonCap ? f.co2_per_unit : f.water_per_unit;
          if (a > 0) n.m_lp.add_coefficient(rr, col(n.m_facilities[i].production_col, k), a);
        }
      });
  }

  // min_output: prod_f + short_f >= quantity, short_f at the product's unmet-demand penalty, so a
  // minimum above what the plant can make (or contradicting a cap) is a reported shortfall.
  void add_min_output(int k) {
    for_rules(RuleKind::MinOutput, k, [&](std::size_t j, const Rule& r) {
      const auto* f = d.find_facility(r.facility);
      const auto i = static_cast<std::size_t>(f - d.facilities.data());
      auto& ri = new_index(j, k, unit_of(f->output));
      const int rr = n.m_lp.add_row({"rule:", r.id, suffix(k)}, *r.quantity, lp::kInf);
      const double penalty = unmet_penalty_usd(d, *d.find_product(f->output));
      const int sc = n.m_lp.add_column({"rule:", r.id, ":short", suffix(k)}, 0.0, lp::kInf, penalty * s * weight(k));
      n.m_lp.add_coefficient(rr, col(n.m_facilities[i].production_col, k), 1.0);
      n.m_lp.add_coefficient(rr, sc, 1.0);
      ri.rows.push_back(rr);
      ri.shortfall_col = sc;
      ri.terms.push_back({sc, penalty});
      ri.quantity_cols.push_back(col(n.m_facilities[i].production_col, k));
    });
  }
};

Status add_policy_rules(Network& n) { return RuleBuilder(n).run(); }

double Network::update_royalties(const lp::Solution& sol) {
  double change = 0.0;
  for (auto& ri : m_rules) {
    const auto& r = m_data.rules[ri.rule];
    if (r.kind != RuleKind::Royalty) continue;
    const double w = period_cost_weight(ri.period);
    for (std::size_t t = 0; t < ri.terms.size(); ++t) {
      const int pr = ri.royalty_price_row[t];
      if (pr < 0 || sol.row_duals.size() <= static_cast<std::size_t>(pr)) continue;
      const double price = sol.row_duals[static_cast<std::size_t>(pr)] / (m_scale * w);
      const double due = royalty_per_unit(r, price);
      auto& term = ri.terms[t];
      const double delta = due - term.usd_per_unit;
      if (delta == 0.0) continue;
      m_lp.set_column_cost(term.col, m_lp.column(term.col).cost + delta * m_scale * w);
      if (!multi_period()) m_rule_cost[static_cast<std::size_t>(ri.royalty_facility[t])] += delta;
      term.usd_per_unit = due;
      change = std::max(change, std::abs(delta));
    }
  }
  return change;
}

void extract_rules(const Network& n, const lp::Solution& sol, int k, double tol, ChainResult& out) {
  const double per_usd = 1.0 / (n.cost_scale() * n.period_cost_weight(k));
  auto val = [&](int c) {
    const double v = sol.x[static_cast<std::size_t>(c)];
    return std::abs(v) < tol ? 0.0 : v;
  };
  std::map<std::size_t, std::size_t> record_of;  // rule -> index in out.rules
  for (const auto& ri : n.rules()) {
    if (ri.period != k) continue;
    const auto& r = n.dataset().rules[ri.rule];
    auto [it, added] = record_of.emplace(ri.rule, out.rules.size());
    if (added) {
      RuleRecord rec;
      rec.id = r.id;
      rec.kind = model::to_string(r.kind);
      rec.source = r.prov.source;
      rec.year = n.period_year(k);
      rec.unit = ri.unit;
      rec.bound = r.quantity ? *r.quantity : r.share;
      out.rules.push_back(std::move(rec));
    }
    auto& rec = out.rules[it->second];
    if (rec.unit.empty()) rec.unit = ri.unit;
    for (std::size_t q = 0; q < ri.quantity_cols.size(); ++q)
      rec.quantity += val(ri.quantity_cols[q]) * (ri.quantity_factor.empty() ? 1.0 : ri.quantity_factor[q]);
    double objective = 0.0;
    for (const auto& t : ri.terms) {
      const double usd = val(t.col) * t.usd_per_unit;
      objective += usd;
      // Origin classes: the corrections are the objective's share; the payment is `paid` below.
      const bool tracked = r.kind == RuleKind::OriginTariff || r.kind == RuleKind::OriginQuota ||
                           r.kind == RuleKind::DutyExempt;
      if (!tracked) rec.payment_usd += usd;
    }
    out.policy_usd += objective;
    // The rule's share of the objective as a flows.csv row (family "rule"), so the cost column
    // still adds up to the objective.
    if (objective != 0.0)
      out.flows.push_back(FlowRecord{"rule", r.id, "", "", r.product, 0.0, "", 0.0, objective});
    for (const auto& t : ri.paid) rec.payment_usd += val(t.col) * t.usd_per_unit;
    for (std::size_t q = 0; q < ri.rows.size(); ++q) {
      const auto row = static_cast<std::size_t>(ri.rows[q]);
      const double dual = sol.row_duals.size() > row
                              ? sol.row_duals[row] * per_usd / (ri.row_per_unit.empty() ? 1.0 : ri.row_per_unit[q])
                              : 0.0;
      if (std::abs(dual) > std::abs(rec.dual_usd)) rec.dual_usd = dual;
    }
    if (ri.shortfall_col >= 0) rec.shortfall = val(ri.shortfall_col);
    // Caps and minimums: the quantity is the row's activity (what the rule constrains).
    if ((r.kind == RuleKind::CarbonCap || r.kind == RuleKind::WaterCap || r.kind == RuleKind::LocalValueAdded) &&
        !ri.rows.empty() && sol.row_activity.size() > static_cast<std::size_t>(ri.rows.front())) {
      const double act = sol.row_activity[static_cast<std::size_t>(ri.rows.front())];
      rec.quantity = r.kind == RuleKind::LocalValueAdded ? rec.quantity : act;
    }
    rec.excluded_capacity += ri.excluded_capacity;
    if (r.kind == RuleKind::TechExportBan) rec.quantity = rec.excluded_capacity;
    for (const auto& e : ri.excluded_by_stage) rec.excluded_by_stage.push_back(e);
    rec.binding = std::abs(rec.dual_usd) > 1e-6 || rec.shortfall > 0.0 ||
                  (r.kind == RuleKind::TechExportBan && rec.excluded_capacity > 0.0);
  }
}

}  // namespace cadena::chain
