#include "cadena/chain/network.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>

namespace cadena::chain {

using model::Dataset;
using model::Facility;

bool Network::is_active(const Facility& f, const model::Settings& s) {
  switch (f.status) {
    case model::FacilityStatus::Operating: return true;
    case model::FacilityStatus::Construction:
    case model::FacilityStatus::Planned: return s.include_non_operating;
    case model::FacilityStatus::Announced:
    case model::FacilityStatus::Suspended:
    case model::FacilityStatus::Cancelled: return false;
  }
  return false;
}

double Network::demand_quantity(const model::Demand& m, const model::Settings& s) {
  if (s.production_floor == model::Settings::ProductionFloor::Reported) return std::max(0.0, m.quantity - m.stock_build);
  return m.quantity;
}

double Network::production_floor(const Facility& f, const model::Settings& s) {
  if (s.production_floor != model::Settings::ProductionFloor::Reported || !f.reported_output || !is_active(f, s))
    return 0.0;
  return std::min(*f.reported_output * s.production_floor_share, f.effective_capacity());
}

double unmet_penalty_usd(const model::Dataset& dataset, const model::Product& product) {
  if (const auto* u = dataset.find_unit(product.unit); u && u->unmet_penalty) return *u->unmet_penalty;
  return product.unit == "GWh" ? dataset.settings.unmet_penalty_per_gwh : dataset.settings.unmet_penalty;
}

namespace {

Error reference_error(const model::Provenance& prov, std::string key, std::string element,
                      std::string message) {
  return make_error(ErrorCategory::Reference, std::move(message),
                    ErrorContext{prov.file, prov.line, std::move(key), std::move(element)});
}

// Code -> number for the few products or countries of a dataset: open addressing over views
// of the dataset's own strings, FNV-1a hash, power-of-two table. The builder looks codes up
// several thousand times per build (three per route); std::unordered_map<std::string, int>
// was about a tenth of the baseline build. The first of duplicate codes keeps its number.
class CodeIndex {
 public:
  void assign(std::size_t count) {
    std::size_t size = 8;
    while (size < 2 * count) size *= 2;
    m_slots.assign(size, Slot{});
    m_mask = size - 1;
  }
  void insert(std::string_view code, int id) {
    for (std::size_t i = hash(code) & m_mask;; i = (i + 1) & m_mask) {
      if (m_slots[i].id < 0) {
        m_slots[i] = Slot{code, id};
        return;
      }
      if (m_slots[i].code == code) return;
    }
  }
  int find(std::string_view code) const {
    for (std::size_t i = hash(code) & m_mask;; i = (i + 1) & m_mask) {
      if (m_slots[i].id < 0) return -1;
      if (m_slots[i].code == code) return m_slots[i].id;
    }
  }

 private:
  struct Slot {
    std::string_view code;
    int id = -1;
  };
  static std::size_t hash(std::string_view code) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char ch : code) h = (h ^ ch) * 1099511628211ull;
    return static_cast<std::size_t>(h ^ (h >> 29));
  }
  std::vector<Slot> m_slots;
  std::size_t m_mask = 0;
};

}  // namespace

// The builder functions, one per constraint family, in the order the LP needs them (rows a
// column refers to must exist first). Each has a section of the same name in docs/formulation.md.
// Products and countries are numbered once so the inner loops compare integers, not strings.
struct Builder {
  Network& n;
  const Dataset& d;
  double s;  // cost scale

  static constexpr int kAny = -2;      // "*" in a route or policy
  static constexpr int kUnknown = -1;  // a code that names nothing (validate() rejects it)
  CodeIndex product_ids, country_ids;
  int num_products = 0, num_countries = 0;
  std::vector<int> market_at;       // [product * num_countries + country] -> index in m_markets, or -1
  std::vector<int> balance_row_at;  // same layout -> balance row of that market, or -1
  std::vector<int> by_product_markets;  // m_markets indices a facility makes a by-product in, ascending

  struct RouteRef {
    int from, to, product;  // product may be kAny
  };
  std::vector<RouteRef> routes;                    // same order as d.routes
  std::vector<std::vector<std::size_t>> domestic;  // per country: indices of from == to routes
  std::vector<char> inbound;                       // [country * (P + 1) + product or P for "*"]

  struct PolicyRef {
    int to;  // kAny or a country
    int specificity;  // 4 for an exact product, 0 for "*"; + 2 for an exact origin
    std::size_t order;  // row in the policy table: the first of equally specific rows wins
    const model::TradePolicy* policy;
  };
  // [kind][product * (C + 1) + origin, or C for a "*" origin]: the policies of that kind that can
  // apply to the product from that origin, in file order. A trade flow scans only its origin's
  // list and the "*" list, not every policy on the product.
  std::vector<std::vector<PolicyRef>> policies[2];

  // The period being built (docs/formulation.md, "Periods"): block k of the per-period families.
  // Its columns and rows sit k x block size after those of period 0, whose indices the Network
  // keeps; `per` is null for the single-year model, whose names have no suffix.
  int k = 0;
  const PeriodInput* per = nullptr;
  std::string suffix;   // "" or ":<year>"
  double w = 1.0;       // the period's cost weight
  int col_offset = 0, row_offset = 0;
  int col(int col0) const { return col0 + col_offset; }
  int row(int row0) const { return row0 < 0 ? row0 : row0 + row_offset; }

  void begin_period(int period) {
    k = period;
    per = n.m_periods.empty() ? nullptr : &n.m_periods[static_cast<std::size_t>(k)];
    suffix = per ? fmt::format(":{}", per->year) : std::string();
    w = per ? per->cost_weight : 1.0;
    col_offset = k * n.m_block_cols;
    row_offset = k * n.m_block_rows;
  }
  // Bounds and recipe factor of facility i in the period being built.
  double upper(std::size_t i) const { return n.capacity_in_period(i, k); }
  double lower(std::size_t i) const { return n.floor_in_period(i, k); }
  double factor(std::size_t i) const { return n.input_factor_in_period(i, k); }
  double by_factor(std::size_t i) const { return n.by_product_factor_in_period(i, k); }
  double demand_row_quantity(std::size_t j) const {
    return per && !per->demand.empty() ? per->demand[j] : Network::demand_quantity(d.demands[j], d.settings);
  }

  Builder(Network& net, const Dataset& data, double scale) : n(net), d(data), s(scale) {
    product_ids.assign(d.products.size());
    country_ids.assign(d.countries.size());
    for (const auto& p : d.products) product_ids.insert(p.id, num_products++);
    for (const auto& c : d.countries) country_ids.insert(c.code, num_countries++);
    market_at.assign(static_cast<std::size_t>(num_products) * static_cast<std::size_t>(num_countries), -1);
  }

  int product_id(std::string_view id) const { return product_ids.find(id); }  // kUnknown when absent
  int country_id(std::string_view code) const { return country_ids.find(code); }
  int code_or_any(const std::string& code, bool is_product) const {
    if (code == "*") return kAny;
    return is_product ? product_id(code) : country_id(code);
  }
  int& market_slot(int p, int c) {
    return market_at[static_cast<std::size_t>(p) * static_cast<std::size_t>(num_countries) + static_cast<std::size_t>(c)];
  }
  // balance:<p>:<c> row of the period being built, or -1 (valid once add_market_balances() ran).
  int market_row(int p, int c) const {
    if (p < 0 || c < 0) return -1;
    return row(balance_row_at[static_cast<std::size_t>(p) * static_cast<std::size_t>(num_countries) + static_cast<std::size_t>(c)]);
  }
  bool has_market(int p, int c) const {
    return market_at[static_cast<std::size_t>(p) * static_cast<std::size_t>(num_countries) + static_cast<std::size_t>(c)] >= 0;
  }
  void ensure_market(int p, int c) {
    int& slot = market_slot(p, c);
    if (slot >= 0) return;
    slot = static_cast<int>(n.m_markets.size());
    const auto& product = d.products[static_cast<std::size_t>(p)].id;
    const auto& country = d.countries[static_cast<std::size_t>(c)].code;
    n.m_markets.push_back(MarketIndex{product, country, -1});
  }

  void index_routes_and_policies() {
    routes.reserve(d.routes.size());
    domestic.assign(static_cast<std::size_t>(num_countries), {});
    const std::size_t stride = static_cast<std::size_t>(num_products) + 1;
    inbound.assign(static_cast<std::size_t>(num_countries) * stride, 0);
    for (std::size_t ri = 0; ri < d.routes.size(); ++ri) {
      const auto& r = d.routes[ri];
      RouteRef ref{country_id(r.from), country_id(r.to), code_or_any(r.product, true)};
      routes.push_back(ref);
      if (ref.from < 0 || ref.to < 0 || ref.product == kUnknown) continue;  // names nothing: no link
      if (ref.from == ref.to) {
        domestic[static_cast<std::size_t>(ref.from)].push_back(ri);
      } else {
        std::size_t slot = ref.product == kAny ? static_cast<std::size_t>(num_products) : static_cast<std::size_t>(ref.product);
        inbound[static_cast<std::size_t>(ref.to) * stride + slot] = 1;
      }
    }
    const std::size_t origins = static_cast<std::size_t>(num_countries) + 1;
    for (auto& by_kind : policies) by_kind.assign(static_cast<std::size_t>(num_products) * origins, {});
    for (std::size_t k = 0; k < d.policies.size(); ++k) {
      const auto& pol = d.policies[k];
      const int kind = pol.kind == model::PolicyKind::ExportDuty ? 0 : 1;
      const int p = code_or_any(pol.product, true), from = code_or_any(pol.from, false),
                to = code_or_any(pol.to, false);
      if (p == kUnknown || from == kUnknown || to == kUnknown) continue;  // can match no flow
      const std::size_t origin = from == kAny ? origins - 1 : static_cast<std::size_t>(from);
      PolicyRef ref{to, (p == kAny ? 0 : 4) + (from == kAny ? 0 : 2), k, &pol};
      for (int q = 0; q < num_products; ++q)
        if (p == kAny || p == q) policies[kind][static_cast<std::size_t>(q) * origins + origin].push_back(ref);
    }
  }

  // Most specific policy of a kind for product p on a->b: an exact product, origin or destination
  // beats "*"; equally specific ties go to the first row. Summing all matches would
  // double-charge a flow covered by both an "AR -> *" and an "AR -> CN" row.
  const model::TradePolicy* match_policy(int kind, int p, int a, int b) const {
    const model::TradePolicy* best = nullptr;
    int best_score = -1;
    std::size_t best_order = 0;
    const std::size_t origins = static_cast<std::size_t>(num_countries) + 1;
    const std::size_t base = static_cast<std::size_t>(p) * origins;
    for (std::size_t list : {base + static_cast<std::size_t>(a), base + origins - 1}) {
      for (const auto& ref : policies[kind][list]) {
        if (ref.to != b && ref.to != kAny) continue;
        const int score = ref.specificity + (ref.to == b ? 1 : 0);
        if (score > best_score || (score == best_score && ref.order < best_order)) {
          best = ref.policy;
          best_score = score;
          best_order = ref.order;
        }
      }
    }
    return best;
  }

  // Cost per unit of a domestic (from == to) route for p in c: moving a product from its
  // country market to a plant or to consumers. A product-specific route beats "*"; none = 0.
  double domestic_haulage_usd(int p, int c) const {
    const model::Route* haul = nullptr;
    for (std::size_t ri : domestic[static_cast<std::size_t>(c)]) {
      const auto& ref = routes[ri];
      if (ref.product != kAny && ref.product != p) continue;
      const auto& r = d.routes[ri];
      if (!haul || (haul->product == "*" && r.product != "*")) haul = &r;
    }
    return haul ? haul->cost_per_unit : 0.0;
  }
  double facility_cost_usd(const Facility& f) const {
    return f.net_unit_cost() + d.settings.carbon_price * f.co2_per_unit;
  }

  // Which (product, country) markets exist: where a facility makes or uses a product, and the
  // countries of a demand region that can receive the product (a route into them or local
  // production). A country that neither makes, uses nor is a demand destination has no market,
  // so it cannot be a transit hub (the data has direct routes).
  Status collect_markets() {
    for (const auto& f : d.facilities) {
      int c = country_id(f.country);
      if (c < 0) return reference_error(f.prov, "country", f.id, fmt::format("unknown country '{}'", f.country));
      int out = product_id(f.output);
      if (out < 0) return reference_error(f.prov, "output", f.id, fmt::format("unknown product '{}'", f.output));
      ensure_market(out, c);
      for (const auto& in : f.inputs) {
        int q = product_id(in.product);
        if (q < 0)
          return reference_error(f.prov, "inputs", f.id, fmt::format("unknown input product '{}'", in.product));
        // The recipe row divides by the amount; validate() rejects this too, but a dataset built
        // in code may not have been through it.
        if (!(in.per_unit_output > 0))
          return make_error(ErrorCategory::Value,
                            fmt::format("input '{}' amount must be > 0 per unit of output, got {}", in.product,
                                        in.per_unit_output),
                            ErrorContext{f.prov.file, f.prov.line, "inputs", f.id});
        ensure_market(q, c);
      }
      for (const auto& bp : f.by_products) {
        int q = product_id(bp.product);
        if (q < 0)
          return reference_error(f.prov, "by_products", f.id, fmt::format("unknown by-product '{}'", bp.product));
        ensure_market(q, c);
        by_product_markets.push_back(market_at[static_cast<std::size_t>(q) * static_cast<std::size_t>(num_countries) +
                                               static_cast<std::size_t>(c)]);
      }
    }
    std::sort(by_product_markets.begin(), by_product_markets.end());
    by_product_markets.erase(std::unique(by_product_markets.begin(), by_product_markets.end()), by_product_markets.end());
    const std::size_t stride = static_cast<std::size_t>(num_products) + 1;
    for (const auto& dem : d.demands) {
      if (!d.find_region(dem.region))
        return reference_error(dem.prov, "region", dem.region, fmt::format("unknown demand region '{}'", dem.region));
      int p = product_id(dem.product);
      if (p < 0)
        return reference_error(dem.prov, "product", dem.product, fmt::format("unknown product '{}'", dem.product));
      for (int c = 0; c < num_countries; ++c) {
        if (d.countries[static_cast<std::size_t>(c)].region != dem.region) continue;
        std::size_t row = static_cast<std::size_t>(c) * stride;
        if (has_market(p, c) || inbound[row + static_cast<std::size_t>(p)] || inbound[row + static_cast<std::size_t>(num_products)])
          ensure_market(p, c);
      }
    }
    // Markets by (product, country) for Network::market(); a sorted index, not a map of copied keys.
    auto& order = n.m_market_order;
    order.resize(n.m_markets.size());
    for (std::size_t m = 0; m < order.size(); ++m) order[m] = static_cast<int>(m);
    std::sort(order.begin(), order.end(), [&](int x, int y) {
      const auto& a = n.m_markets[static_cast<std::size_t>(x)];
      const auto& b = n.m_markets[static_cast<std::size_t>(y)];
      return std::tie(a.product, a.country) < std::tie(b.product, b.country);
    });
    return ok_status();
  }

  // balance:<p>:<c>  production + imports - exports - uses - deliveries = 0
  void add_market_balances() {
    for (auto& m : n.m_markets) {
      const int r = n.m_lp.add_row({"balance:", m.product, ":", m.country, suffix}, 0.0, 0.0);
      if (k == 0) m.balance_row = r;
    }
    if (k > 0) return;
    balance_row_at.resize(market_at.size());
    for (std::size_t k = 0; k < market_at.size(); ++k)
      balance_row_at[k] = market_at[k] < 0 ? -1 : n.m_markets[static_cast<std::size_t>(market_at[k])].balance_row;
  }

  // prod:<f>  0 <= x_f <= capacity x availability (0 when inactive), cost (unit cost - by-product
  // credit + carbon price x co2); in a period: the period's capacity, cost x its weight.
  void add_production_columns() {
    if (k == 0) n.m_facilities.reserve(d.facilities.size());
    for (std::size_t i = 0; i < d.facilities.size(); ++i) {
      const auto& f = d.facilities[i];
      const int c = n.m_lp.add_column({"prod:", f.id, suffix}, 0.0, upper(i), facility_cost_usd(f) * s * w);
      n.m_lp.add_coefficient(market_row(product_id(f.output), country_id(f.country)), c, 1.0);
      for (const auto& bp : f.by_products)
        n.m_lp.add_coefficient(market_row(product_id(bp.product), country_id(f.country)), c, bp.per_unit_output * by_factor(i));
      if (k > 0) continue;
      FacilityIndex fi;
      fi.id = f.id;
      fi.active = Network::is_active(f, d.settings);
      fi.production_col = c;
      n.m_facilities.push_back(std::move(fi));
    }
  }

  // With production_floor = "reported": prod:<f> >= min(reported_output_f x share, capacity_f)
  // for every active facility with a reported output. Bounds only, so the structure is the same.
  void apply_production_floor() {
    if (d.settings.production_floor == model::Settings::ProductionFloor::None) return;
    for (std::size_t i = 0; i < d.facilities.size(); ++i)
      n.m_lp.set_column_bounds(col(n.m_facilities[i].production_col), lower(i), upper(i));
  }

  // stock:<p>:<c> >= 0 in balance:<p>:<c> with coefficient -1, cost stock_cost_usd_per_unit:
  // the outlet for floored output that the chain does not consume (2024 built inventory).
  // Only with a production floor, so the default LP is unchanged; added last so every other
  // column keeps its index.
  void add_stock_columns() {
    if (d.settings.production_floor == model::Settings::ProductionFloor::None) return;
    for (auto& m : n.m_markets) {
      const int c = n.m_lp.add_column({"stock:", m.product, ":", m.country, suffix}, 0.0, lp::kInf,
                                      d.settings.stock_cost_usd_per_unit * s * w);
      n.m_lp.add_coefficient(row(m.balance_row), c, -1.0);
      if (k == 0) m.stock_col = c;
    }
  }

  // dispose:<p>:<c> >= 0 in balance:<p>:<c> with coefficient -1, cost 0: by-products nobody uses
  // leave the market. Only markets a facility makes a by-product in (none in a dataset without
  // by-products), added after the stock columns.
  void add_disposal_columns() {
    for (int m : by_product_markets) {
      auto& mk = n.m_markets[static_cast<std::size_t>(m)];
      const int c = n.m_lp.add_column({"dispose:", mk.product, ":", mk.country, suffix}, 0.0, lp::kInf, 0.0);
      n.m_lp.add_coefficient(row(mk.balance_row), c, -1.0);
      if (k == 0) mk.dispose_col = c;
    }
  }

  // use:<f>:<q> units of q drawn from the market of f's country, at its domestic haulage cost;
  // recipe:<f>:g<k>  sum_{q in group k} use_q / a_q - x_f = 0
  void add_input_columns() {
    std::vector<int> groups;
    for (std::size_t i = 0; i < d.facilities.size(); ++i) {
      const auto& f = d.facilities[i];
      auto& fi = n.m_facilities[i];
      const int c = country_id(f.country);
      const double a = factor(i);
      // The distinct input groups in ascending order (a facility has a handful of inputs).
      groups.clear();
      for (const auto& in : f.inputs) groups.push_back(in.group);
      std::sort(groups.begin(), groups.end());
      groups.erase(std::unique(groups.begin(), groups.end()), groups.end());
      for (int g : groups) {
        char digits[16];
        auto end = std::to_chars(digits, digits + sizeof digits, g).ptr;
        const int rr = n.m_lp.add_row(
            {"recipe:", f.id, ":g", std::string_view(digits, static_cast<std::size_t>(end - digits)), suffix}, 0.0, 0.0);
        if (k == 0) fi.recipe_rows.push_back(rr);
        n.m_lp.add_coefficient(rr, col(fi.production_col), -1.0);
        for (const auto& in : f.inputs) {
          if (in.group != g) continue;
          const int q = product_id(in.product);
          double haulage = domestic_haulage_usd(q, c);
          int uc = n.m_lp.add_column({"use:", f.id, ":", in.product, suffix}, 0.0, lp::kInf, haulage * s * w);
          n.m_lp.add_coefficient(rr, uc, 1.0 / (in.per_unit_output * a));
          n.m_lp.add_coefficient(market_row(q, c), uc, -1.0);
          if (k == 0) fi.uses.push_back(FacilityIndex::Use{in.product, in.per_unit_output, uc, haulage});
        }
      }
    }
  }

  // flow:<a>-<b>:<p>  for every route a != b carrying p between two existing markets;
  // cost = transport + export duty + import tariff (rate x reference price each).
  // A product-specific route beats a "*" route for the same pair; among equals the first wins.

  // The chosen route of every trade column, (a, b, p) key -> route index, in column order.
  std::vector<std::pair<std::uint64_t, std::size_t>> flows;
  std::vector<char> route_used;  // per route: carries at least one chosen flow

  // (from, to, product) packed 20 bits each, so keys sort in (from, to, product) order and
  // unpack with shifts (a dataset has far fewer than 2^20 countries or products).
  static std::uint64_t flow_key(int a, int b, int p) {
    return static_cast<std::uint64_t>(a) << 40 | static_cast<std::uint64_t>(b) << 20 | static_cast<std::uint64_t>(p);
  }

  void select_trade_flows() {
    auto key_of = [](int a, int b, int p) { return flow_key(a, b, p); };
    // Every (a, b, p) a route offers, with its rank: product-specific routes (rank 0) before "*"
    // routes (rank 1), then file order. One sort puts each key's winner first and the columns in
    // (from, to, product) order of the dataset's tables (a hash map of winners cost more).
    struct Offer {
      std::uint64_t key;
      std::uint64_t rank;  // (is "*") << 32 | route index
    };
    std::vector<Offer> offers;
    offers.reserve(d.routes.size() * 2);
    auto offer = [&](int a, int b, int p, std::size_t ri) {
      if (!has_market(p, a) || !has_market(p, b)) return;
      const std::uint64_t any = routes[ri].product == kAny ? 1 : 0;
      offers.push_back(Offer{key_of(a, b, p), any << 32 | static_cast<std::uint64_t>(ri)});
    };
    for (std::size_t ri = 0; ri < routes.size(); ++ri) {
      const auto& r = routes[ri];
      if (r.from < 0 || r.to < 0 || r.from == r.to || r.product == kUnknown) continue;  // domestic: haulage
      if (r.product != kAny) offer(r.from, r.to, r.product, ri);
      else
        for (int p = 0; p < num_products; ++p) offer(r.from, r.to, p, ri);
    }
    std::sort(offers.begin(), offers.end(),
              [](const Offer& x, const Offer& y) { return x.key != y.key ? x.key < y.key : x.rank < y.rank; });
    flows.reserve(offers.size());
    for (std::size_t k = 0; k < offers.size(); ++k)
      if (k == 0 || offers[k].key != offers[k - 1].key)
        flows.emplace_back(offers[k].key, static_cast<std::size_t>(offers[k].rank & 0xffffffffu));
    route_used.assign(d.routes.size(), 0);
    for (const auto& kv : flows) route_used[kv.second] = 1;
  }

  // Sizes the LP's arrays and name buffers once, from the markets and the chosen flows, so that
  // building neither regrows nor copies them (at 100k facilities the name buffers are megabytes).
  // Upper bounds of what the builders below add: a recipe row per input, not per group, and
  // every demand row, repeated or not.
  void reserve_lp() {
    std::size_t cols = d.facilities.size() + flows.size(), rows = n.m_markets.size(),
                coefs = d.facilities.size() + 3 * flows.size(), col_chars = 0, row_chars = 0;
    for (const auto& m : n.m_markets) row_chars += 9 + m.product.size() + m.country.size();  // balance:p:c
    for (const auto& f : d.facilities) {
      col_chars += 5 + f.id.size();  // prod:f
      rows += f.inputs.size();
      cols += f.inputs.size();
      coefs += 3 * f.inputs.size();
      for (const auto& in : f.inputs) {
        row_chars += 20 + f.id.size();                   // recipe:f:g<int>
        col_chars += 5 + f.id.size() + in.product.size();  // use:f:q
      }
    }
    for (std::size_t ri = 0; ri < route_used.size(); ++ri)
      if (route_used[ri] && routes[ri].product == kAny) {
        ++rows;
        row_chars += 10 + d.routes[ri].from.size() + d.routes[ri].to.size();  // routecap:a-b
      }
    for (const auto& [key, ri] : flows)  // flow:a-b:p
      col_chars += 7 + d.routes[ri].from.size() + d.routes[ri].to.size() + d.products[key & 0xfffff].id.size();
    for (const auto& dem : d.demands) {
      const int p = product_id(dem.product);
      const std::size_t rp = dem.region.size() + dem.product.size();
      rows += 1;
      cols += 1;
      coefs += 1;
      row_chars += 8 + rp;  // demand:r:p
      col_chars += 7 + rp;  // unmet:r:p
      for (int c = 0; c < num_countries; ++c) {
        const auto& country = d.countries[static_cast<std::size_t>(c)];
        if (country.region == dem.region && has_market(p, c)) {
          cols += 1;
          coefs += 2;
          col_chars += 10 + country.code.size() + rp;  // deliver:c-r:p
        }
      }
    }
    if (d.settings.production_floor != model::Settings::ProductionFloor::None) {  // stock:p:c
      cols += n.m_markets.size();
      coefs += n.m_markets.size();
      for (const auto& m : n.m_markets) col_chars += 7 + m.product.size() + m.country.size();
    }
    // Every period is one block of the same size; its names end in ":<year>".
    const auto periods = static_cast<std::size_t>(n.num_periods());
    const std::size_t suffix_chars = n.m_periods.empty() ? 0 : 1 + std::to_string(n.m_periods.back().year).size();
    n.m_lp.reserve(cols * periods, rows * periods, coefs * periods, (col_chars + suffix_chars * cols) * periods,
                   (row_chars + suffix_chars * rows) * periods);
  }

  // routecap:<a>-<b> rows, then flow:<a>-<b>:<p> columns for the chosen routes.
  void add_trade_flows() {
    if (k == 0) n.m_route_capacity_rows.assign(d.routes.size(), -1);
    const auto& used = route_used;
    for (std::size_t ri = 0; ri < d.routes.size(); ++ri) {
      const auto& r = d.routes[ri];
      // Shared capacity of a "*" route: a row even when unlimited today, so a scenario can
      // limit it later without changing the structure.
      if (routes[ri].product == kAny && used[ri]) {
        const int rr = n.m_lp.add_row({"routecap:", r.from, "-", r.to, suffix}, -lp::kInf,
                                      r.capacity ? *r.capacity : lp::kInf);
        if (k == 0) n.m_route_capacity_rows[ri] = rr;
      }
    }
    if (k == 0) n.m_trades.reserve(flows.size());
    for (const auto& [key, ri] : flows) {
      const int p = static_cast<int>(key & 0xfffff);
      const int b = static_cast<int>(key >> 20 & 0xfffff);
      const int a = static_cast<int>(key >> 40);
      const auto& r = d.routes[ri];
      const auto& pid = d.products[static_cast<std::size_t>(p)].id;
      TradeIndex t{r.from, r.to, pid, -1, r.cost_per_unit, 0.0, 0.0, ri};
      if (const auto* pol = match_policy(0, p, a, b)) t.export_duty_usd = pol->rate * pol->reference_price;
      if (const auto* pol = match_policy(1, p, a, b)) t.import_tariff_usd = pol->rate * pol->reference_price;
      double upper = (routes[ri].product != kAny && r.capacity) ? *r.capacity : lp::kInf;
      t.col = n.m_lp.add_column({"flow:", r.from, "-", r.to, ":", pid, suffix}, 0.0, upper,
                                (t.transport_usd + t.export_duty_usd + t.import_tariff_usd) * s * w);
      n.m_lp.add_coefficient(market_row(p, a), t.col, -1.0);
      n.m_lp.add_coefficient(market_row(p, b), t.col, 1.0);
      if (n.m_route_capacity_rows[ri] >= 0) n.m_lp.add_coefficient(row(n.m_route_capacity_rows[ri]), t.col, 1.0);
      if (k == 0) n.m_trades.push_back(std::move(t));
    }
  }

  // demand:<r>:<p>  sum_c deliver:<c>-<r>:<p> + unmet:<r>:<p> >= D_{r,p}
  // In a period: the period's quantities, every cost x its weight. The demand rows of a period
  // are those of period 0 (same keys), found through demand_at.
  std::vector<int> demand_at;  // per Dataset::demands row: its m_demands entry
  void add_demand_rows() {
    std::vector<double> quantity(k > 0 ? n.m_demands.size() : 0, 0.0);  // per m_demands entry, this period
    std::vector<char> seen(quantity.size(), 0);
    for (std::size_t j = 0; j < d.demands.size(); ++j) {
      const auto& dem = d.demands[j];
      const double q = demand_row_quantity(j);
      if (k > 0) {
        const auto e = static_cast<std::size_t>(demand_at[j]);
        quantity[e] += q;
        const auto& di = n.m_demands[e];
        if (seen[e]) {  // a repeated row adds up
          n.m_lp.set_row_bounds(row(di.row), quantity[e], lp::kInf);
          continue;
        }
        seen[e] = 1;
        const int dr = n.m_lp.add_row({"demand:", dem.region, ":", dem.product, suffix}, q, lp::kInf);
        const int uc = n.m_lp.add_column({"unmet:", dem.region, ":", dem.product, suffix}, 0.0, lp::kInf,
                                         di.penalty_usd * s * w);
        n.m_lp.add_coefficient(dr, uc, 1.0);
        const int p = product_id(dem.product);
        for (std::size_t v = 0; v < n.m_deliveries.size(); ++v) {
          const auto& dv = n.m_deliveries[v];
          if (dv.region != dem.region || dv.product != dem.product) continue;
          const int c = n.m_lp.add_column({"deliver:", dv.country, "-", dem.region, ":", dem.product, suffix}, 0.0,
                                          lp::kInf, dv.haulage_usd * s * w);
          n.m_lp.add_coefficient(market_row(p, country_id(dv.country)), c, -1.0);
          n.m_lp.add_coefficient(dr, c, 1.0);
        }
        continue;
      }
      auto key = std::make_pair(dem.region, dem.product);
      auto it = n.m_demand_by_key.find(key);
      if (it != n.m_demand_by_key.end()) {  // repeated rows add up
        demand_at.push_back(it->second);
        auto& di = n.m_demands[static_cast<std::size_t>(it->second)];
        di.quantity += q;
        n.m_lp.set_row_bounds(di.row, di.quantity, lp::kInf);
        continue;
      }
      const int p = product_id(dem.product);
      DemandIndex di{dem.region, dem.product, -1, -1, q,
                     unmet_penalty_usd(d, d.products[static_cast<std::size_t>(p)])};
      di.row = n.m_lp.add_row({"demand:", dem.region, ":", dem.product, suffix}, q, lp::kInf);
      di.unmet_col = n.m_lp.add_column({"unmet:", dem.region, ":", dem.product, suffix}, 0.0, lp::kInf,
                                       di.penalty_usd * s * w);
      n.m_lp.add_coefficient(di.row, di.unmet_col, 1.0);
      for (int c = 0; c < num_countries; ++c) {
        const auto& country = d.countries[static_cast<std::size_t>(c)];
        if (country.region != dem.region) continue;
        int bal = market_row(p, c);
        if (bal < 0) continue;
        DeliveryIndex dv{country.code, dem.region, dem.product, -1, domestic_haulage_usd(p, c)};
        dv.col = n.m_lp.add_column({"deliver:", country.code, "-", dem.region, ":", dem.product, suffix}, 0.0,
                                   lp::kInf, dv.haulage_usd * s * w);
        n.m_lp.add_coefficient(bal, dv.col, -1.0);
        n.m_lp.add_coefficient(di.row, dv.col, 1.0);
        n.m_deliveries.push_back(std::move(dv));
      }
      demand_at.push_back(static_cast<int>(n.m_demands.size()));
      n.m_demand_by_key[key] = static_cast<int>(n.m_demands.size());
      n.m_demands.push_back(std::move(di));
    }
    // The period's total per demand key, for extract_period (multi-period only).
    if (n.m_periods.empty()) return;
    auto& totals = n.m_period_demand[static_cast<std::size_t>(k)];
    totals.assign(n.m_demands.size(), 0.0);
    for (std::size_t j = 0; j < d.demands.size(); ++j)
      totals[static_cast<std::size_t>(demand_at[j])] += demand_row_quantity(j);
  }
};

// chain/rules.cpp: the policy-rule families, after the per-period blocks.
Status add_policy_rules(Network& n);
void extract_rules(const Network& n, const lp::Solution& sol, int k, double tol, ChainResult& r);

namespace {
// The period list must fit the dataset: per-facility and per-demand vectors of the right length
// (or empty), years strictly increasing, weights finite and >= 0, factors > 0.
Status check_periods(const Dataset& d, const std::vector<PeriodInput>& periods) {
  for (std::size_t k = 0; k < periods.size(); ++k) {
    const auto& p = periods[k];
    auto bad = [&](std::string what) {
      return make_error(ErrorCategory::Value, fmt::format("period {} ({}): {}", k, p.year, what),
                        ErrorContext{"", 0, "periods", std::to_string(p.year)});
    };
    if (k > 0 && p.year <= periods[k - 1].year) return bad("years must be strictly increasing");
    if (!(p.cost_weight >= 0.0) || !std::isfinite(p.cost_weight)) return bad("cost weight must be finite and >= 0");
    for (const auto* v : {&p.capacity, &p.floor, &p.input_factor, &p.by_product_factor})
      if (!v->empty() && v->size() != d.facilities.size()) return bad("expected one value per facility");
    if (!p.demand.empty() && p.demand.size() != d.demands.size()) return bad("expected one value per demand row");
    for (double f : p.input_factor)
      if (!(f > 0.0) || !std::isfinite(f)) return bad("input factors must be finite and > 0");
  }
  return ok_status();
}
}  // namespace

Result<Network> Network::build(const Dataset& dataset, const BuildOptions& options) {
  CADENA_TRY(check_periods(dataset, options.periods));
  Network n;
  n.m_data = dataset;
  n.m_scale = options.cost_scale;
  n.m_periods = options.periods;
  n.m_period_demand.resize(n.m_periods.size());
  Builder b(n, n.m_data, options.cost_scale);
  b.index_routes_and_policies();
  CADENA_TRY(b.collect_markets());
  b.select_trade_flows();
  b.reserve_lp();
  // One block of the per-period families per period, each with the same structure (the single
  // year is one block). Blocks after the first reuse the first one's indices, shifted.
  for (int k = 0; k < n.num_periods(); ++k) {
    b.begin_period(k);
    const int cols0 = n.m_lp.num_columns(), rows0 = n.m_lp.num_rows();
    b.add_market_balances();
    b.add_production_columns();
    b.apply_production_floor();
    b.add_input_columns();
    b.add_trade_flows();
    b.add_demand_rows();
    b.add_stock_columns();
    b.add_disposal_columns();
    if (k == 0) {
      n.m_block_cols = n.m_lp.num_columns() - cols0;
      n.m_block_rows = n.m_lp.num_rows() - rows0;
    } else if (n.m_lp.num_columns() - cols0 != n.m_block_cols || n.m_lp.num_rows() - rows0 != n.m_block_rows) {
      return make_error(ErrorCategory::Internal, fmt::format("period {} has a different structure from period 0", k));
    }
  }
  CADENA_TRY(add_policy_rules(n));
  return n;
}

int Network::period_year(int k) const {
  return m_periods.empty() ? m_data.settings.year : m_periods[static_cast<std::size_t>(k)].year;
}

double Network::period_cost_weight(int k) const {
  return m_periods.empty() ? 1.0 : m_periods[static_cast<std::size_t>(k)].cost_weight;
}

double Network::capacity_in_period(std::size_t i, int k) const {
  if (!m_periods.empty() && !m_periods[static_cast<std::size_t>(k)].capacity.empty())
    return m_periods[static_cast<std::size_t>(k)].capacity[i];
  const auto& f = m_data.facilities[i];
  const bool active = i < m_facilities.size() ? m_facilities[i].active : is_active(f, m_data.settings);
  return active ? f.effective_capacity() : 0.0;
}

double Network::floor_in_period(std::size_t i, int k) const {
  if (!m_periods.empty() && !m_periods[static_cast<std::size_t>(k)].floor.empty())
    return m_periods[static_cast<std::size_t>(k)].floor[i];
  return production_floor(m_data.facilities[i], m_data.settings);
}

double Network::input_factor_in_period(std::size_t i, int k) const {
  if (!m_periods.empty() && !m_periods[static_cast<std::size_t>(k)].input_factor.empty())
    return m_periods[static_cast<std::size_t>(k)].input_factor[i];
  return 1.0;
}

double Network::by_product_factor_in_period(std::size_t i, int k) const {
  if (!m_periods.empty() && !m_periods[static_cast<std::size_t>(k)].by_product_factor.empty())
    return m_periods[static_cast<std::size_t>(k)].by_product_factor[i];
  return 1.0;
}

double Network::demand_in_period(std::size_t j, int k) const {
  if (m_periods.empty()) return m_demands[j].quantity;
  return m_period_demand[static_cast<std::size_t>(k)][j];
}

Status Network::single_year_only(std::string_view what) const {
  if (m_periods.empty()) return ok_status();
  return make_error(ErrorCategory::Value,
                    fmt::format("{} changes a single-year network in place; this one has {} periods: rebuild it instead",
                                what, m_periods.size()),
                    ErrorContext{"", 0, std::string(what), ""});
}

// ---- in-place changes -------------------------------------------------------------------

namespace {
Error unknown(std::string_view what, std::string_view id) {
  return make_error(ErrorCategory::Reference, fmt::format("unknown {} '{}'", what, id),
                    ErrorContext{"", 0, std::string(what), std::string(id)});
}
}  // namespace

const FacilityIndex* Network::facility(std::string_view id) const {
  for (const auto& f : m_facilities)
    if (f.id == id) return &f;
  return nullptr;
}

const DemandIndex* Network::demand(std::string_view region, std::string_view product) const {
  auto it = m_demand_by_key.find({std::string(region), std::string(product)});
  return it == m_demand_by_key.end() ? nullptr : &m_demands[static_cast<std::size_t>(it->second)];
}

const MarketIndex* Network::market(std::string_view product, std::string_view country) const {
  auto key = [&](int m) {
    const auto& mk = m_markets[static_cast<std::size_t>(m)];
    return std::pair<std::string_view, std::string_view>(mk.product, mk.country);
  };
  const std::pair<std::string_view, std::string_view> wanted(product, country);
  auto it = std::lower_bound(m_market_order.begin(), m_market_order.end(), wanted,
                             [&](int m, const auto& w) { return key(m) < w; });
  return it != m_market_order.end() && key(*it) == wanted ? &m_markets[static_cast<std::size_t>(*it)] : nullptr;
}

Status Network::set_facility_capacity(std::string_view id, double capacity) {
  CADENA_TRY(single_year_only("set_facility_capacity"));
  for (std::size_t i = 0; i < m_facilities.size(); ++i) {
    if (m_facilities[i].id != id) continue;
    if (capacity < 0)
      return make_error(ErrorCategory::Value, "capacity must be >= 0", ErrorContext{"", 0, "capacity", std::string(id)});
    m_data.facilities[i].capacity = capacity;
    m_lp.set_column_bounds(m_facilities[i].production_col, production_floor(m_data.facilities[i], m_data.settings),
                           m_facilities[i].active ? m_data.facilities[i].effective_capacity() : 0.0);
    return ok_status();
  }
  return unknown("facility", id);
}

Status Network::set_facility_unit_cost(std::string_view id, double usd_per_unit) {
  CADENA_TRY(single_year_only("set_facility_unit_cost"));
  for (std::size_t i = 0; i < m_facilities.size(); ++i) {
    if (m_facilities[i].id != id) continue;
    auto& f = m_data.facilities[i];
    f.unit_cost = usd_per_unit;
    m_lp.set_column_cost(m_facilities[i].production_col,
                         (f.net_unit_cost() + m_data.settings.carbon_price * f.co2_per_unit +
                          (m_rule_cost.empty() ? 0.0 : m_rule_cost[i])) * m_scale);
    return ok_status();
  }
  return unknown("facility", id);
}

Status Network::set_facility_active(std::string_view id, bool active) {
  CADENA_TRY(single_year_only("set_facility_active"));
  for (std::size_t i = 0; i < m_facilities.size(); ++i) {
    if (m_facilities[i].id != id) continue;
    auto& f = m_data.facilities[i];
    // Keep the dataset copy consistent with the LP so a fresh build from dataset() agrees.
    if (active && !is_active(f, m_data.settings)) f.status = model::FacilityStatus::Operating;
    if (!active && is_active(f, m_data.settings)) f.status = model::FacilityStatus::Suspended;
    m_facilities[i].active = active;
    m_lp.set_column_bounds(m_facilities[i].production_col, production_floor(f, m_data.settings),
                           active ? f.effective_capacity() : 0.0);
    return ok_status();
  }
  return unknown("facility", id);
}

Status Network::set_demand(std::string_view region, std::string_view product, double quantity) {
  CADENA_TRY(single_year_only("set_demand"));
  auto it = m_demand_by_key.find({std::string(region), std::string(product)});
  if (it == m_demand_by_key.end()) return unknown("demand", fmt::format("{}:{}", region, product));
  if (quantity < 0)
    return make_error(ErrorCategory::Value, "demand must be >= 0",
                      ErrorContext{"", 0, "quantity", fmt::format("{}:{}", region, product)});
  auto& di = m_demands[static_cast<std::size_t>(it->second)];
  bool first = true;
  double total = 0.0;
  for (auto& dem : m_data.demands) {
    if (dem.region != region || dem.product != product) continue;
    dem.quantity = first ? quantity : 0.0;
    dem.stock_build = std::min(dem.stock_build, dem.quantity);  // the stock share of the new total
    total += demand_quantity(dem, m_data.settings);
    first = false;
  }
  di.quantity = total;
  m_lp.set_row_bounds(di.row, total, lp::kInf);
  return ok_status();
}

Status Network::set_carbon_price(double usd_per_t_co2) {
  CADENA_TRY(single_year_only("set_carbon_price"));
  m_data.settings.carbon_price = usd_per_t_co2;
  for (std::size_t i = 0; i < m_facilities.size(); ++i) {
    const auto& f = m_data.facilities[i];
    m_lp.set_column_cost(m_facilities[i].production_col, (f.net_unit_cost() + usd_per_t_co2 * f.co2_per_unit +
                                                          (m_rule_cost.empty() ? 0.0 : m_rule_cost[i])) * m_scale);
  }
  return ok_status();
}

Status Network::set_production_floor(model::Settings::ProductionFloor floor, double share) {
  CADENA_TRY(single_year_only("set_production_floor"));
  if (!(share >= 0.0 && share <= 1.0))
    return make_error(ErrorCategory::Value, fmt::format("production floor share {} is out of range; expected 0 to 1", share),
                      ErrorContext{"", 0, "production_floor_share", ""});
  const bool has_stock = !m_markets.empty() && m_markets.front().stock_col >= 0;
  if (floor == model::Settings::ProductionFloor::Reported && !has_stock && !m_markets.empty())
    return make_error(ErrorCategory::Value,
                      "the network was built without a production floor, so it has no stock columns; "
                      "expected a rebuild with production_floor = \"reported\"",
                      ErrorContext{"", 0, "production_floor", ""});
  m_data.settings.production_floor = floor;
  m_data.settings.production_floor_share = share;
  for (std::size_t i = 0; i < m_facilities.size(); ++i) {
    const auto& f = m_data.facilities[i];
    m_lp.set_column_bounds(m_facilities[i].production_col, production_floor(f, m_data.settings),
                           m_facilities[i].active ? f.effective_capacity() : 0.0);
  }
  // Stock-build demand is dropped under a floor and restored without one.
  for (auto& di : m_demands) di.quantity = 0.0;
  for (const auto& dem : m_data.demands) {
    auto it = m_demand_by_key.find({dem.region, dem.product});
    if (it != m_demand_by_key.end()) m_demands[static_cast<std::size_t>(it->second)].quantity += demand_quantity(dem, m_data.settings);
  }
  for (const auto& di : m_demands) m_lp.set_row_bounds(di.row, di.quantity, lp::kInf);
  return ok_status();
}

Status Network::set_route_capacity(std::size_t route_index, std::optional<double> capacity) {
  CADENA_TRY(single_year_only("set_route_capacity"));
  if (route_index >= m_data.routes.size()) return unknown("route", std::to_string(route_index));
  m_data.routes[route_index].capacity = capacity;
  double upper = capacity ? *capacity : lp::kInf;
  if (m_route_capacity_rows[route_index] >= 0) m_lp.set_row_bounds(m_route_capacity_rows[route_index], -lp::kInf, upper);
  for (const auto& t : m_trades)
    if (t.route == route_index && m_data.routes[route_index].product != "*") m_lp.set_column_bounds(t.col, 0.0, upper);
  return ok_status();
}

// ---- results ------------------------------------------------------------------------------

ChainResult Network::extract(const lp::Solution& sol, double tol) const { return extract_period(sol, 0, tol); }

ChainResult Network::extract_period(const lp::Solution& sol, int k, double tol) const {
  ChainResult r;
  r.termination = sol.termination;
  r.solver = sol.solver;
  if (!sol.ok() || sol.x.size() != static_cast<std::size_t>(m_lp.num_columns()) || k < 0 || k >= num_periods()) return r;
  r.objective_usd = sol.objective / m_scale;
  // Duals and reduced costs of a period are per unit of its weighted cost: divided by the weight
  // they are USD of that year.
  const double weight = period_cost_weight(k);
  const double per_usd = weight > 0.0 ? 1.0 / (m_scale * weight) : 0.0;
  auto unit_of = [&](const std::string& p) {
    const auto* pr = m_data.find_product(p);
    return pr ? pr->unit : std::string();
  };
  auto val = [&](int col0) {
    double v = sol.x[static_cast<std::size_t>(column_in_period(col0, k))];
    return std::abs(v) < tol ? 0.0 : v;
  };
  auto dual = [&](int row0) {
    const auto row = static_cast<std::size_t>(row_in_period(row0, k));
    return sol.row_duals.size() > row ? sol.row_duals[row] * per_usd : 0.0;
  };

  for (std::size_t i = 0; i < m_facilities.size(); ++i) {
    const auto& fi = m_facilities[i];
    const auto& f = m_data.facilities[i];
    FacilityRecord fr;
    fr.id = f.id;
    fr.name = f.name;
    fr.stage = f.stage;
    fr.country = f.country;
    fr.product = f.output;
    fr.unit = unit_of(f.output);
    fr.output = val(fi.production_col);
    fr.capacity = capacity_in_period(i, k);
    fr.utilisation = fr.capacity > 0 ? fr.output / fr.capacity : 0.0;
    const auto pc = static_cast<std::size_t>(column_in_period(fi.production_col, k));
    if (sol.reduced_costs.size() > pc) fr.reduced_cost_usd = sol.reduced_costs[pc] * per_usd;
    double carbon = m_data.settings.carbon_price * f.co2_per_unit;
    fr.cost_usd = fr.output * (f.net_unit_cost() + carbon);
    fr.co2_t = fr.output * f.co2_per_unit;
    fr.water_m3 = fr.output * f.water_per_unit;
    fr.brine_m3 = fr.output * f.brine_per_unit;
    fr.active = multi_period() ? fr.capacity > 0 : fi.active;
    fr.source = f.prov.source;
    r.production_usd += fr.output * f.net_unit_cost();
    r.carbon_usd += fr.output * carbon;
    r.co2_t += fr.co2_t;
    r.water_m3 += fr.water_m3;
    r.brine_m3 += fr.brine_m3;
    if (fr.output > 0) {
      r.flows.push_back(FlowRecord{"prod", f.id, f.country, f.country, f.output, fr.output, fr.unit,
                                   f.net_unit_cost() + carbon, fr.cost_usd});
      for (const auto& bp : f.by_products)
        if (double q = fr.output * bp.per_unit_output * by_product_factor_in_period(i, k); q > 0)
          r.flows.push_back(FlowRecord{"byproduct", f.id, f.country, f.country, bp.product, q, unit_of(bp.product), 0.0, 0.0});
    }
    for (const auto& u : fi.uses) {
      double q = val(u.col);
      if (q <= 0) continue;
      r.transport_usd += q * u.haulage_usd;
      r.flows.push_back(FlowRecord{"use", f.id, f.country, f.country, u.product, q, unit_of(u.product), u.haulage_usd,
                                   q * u.haulage_usd});
    }
    r.facilities.push_back(std::move(fr));
  }
  for (const auto& t : m_trades) {
    double q = val(t.col);
    if (q <= 0) continue;
    double unit_cost = t.transport_usd + t.export_duty_usd + t.import_tariff_usd;
    r.transport_usd += q * t.transport_usd;
    r.duties_usd += q * (t.export_duty_usd + t.import_tariff_usd);
    r.flows.push_back(FlowRecord{"flow", fmt::format("{}-{}", t.from, t.to), t.from, t.to, t.product, q,
                                 unit_of(t.product), unit_cost, q * unit_cost});
  }
  for (const auto& dv : m_deliveries) {
    double q = val(dv.col);
    if (q <= 0) continue;
    r.transport_usd += q * dv.haulage_usd;
    r.flows.push_back(FlowRecord{"deliver", fmt::format("{}-{}", dv.country, dv.region), dv.country, dv.region,
                                 dv.product, q, unit_of(dv.product), dv.haulage_usd, q * dv.haulage_usd});
  }
  for (std::size_t j = 0; j < m_demands.size(); ++j) {
    const auto& di = m_demands[j];
    std::string unit = unit_of(di.product);
    r.demand_prices.push_back(PriceRecord{di.region, di.product, dual(di.row), unit});
    double q = val(di.unmet_col);
    if (q <= 0) continue;
    r.penalty_usd += q * di.penalty_usd;
    r.flows.push_back(FlowRecord{"unmet", di.region, "", di.region, di.product, q, unit, di.penalty_usd,
                                 q * di.penalty_usd});
    r.unmet.push_back(UnmetRecord{di.region, di.product, q, demand_in_period(j, k), unit});
  }
  for (const auto& m : m_markets) {
    r.market_prices.push_back(PriceRecord{m.country, m.product, dual(m.balance_row), unit_of(m.product)});
    if (m.dispose_col >= 0)
      if (double q = val(m.dispose_col); q > 0)
        r.flows.push_back(FlowRecord{"dispose", m.country, m.country, "", m.product, q, unit_of(m.product), 0.0, 0.0});
    if (m.stock_col < 0) continue;
    double q = val(m.stock_col);
    if (q <= 0) continue;
    const double unit_cost = m_data.settings.stock_cost_usd_per_unit;
    std::string unit = unit_of(m.product);
    r.stock_usd += q * unit_cost;
    r.flows.push_back(FlowRecord{"stock", m.country, m.country, "", m.product, q, unit, unit_cost, q * unit_cost});
    r.stock.push_back(StockRecord{m.product, m.country, q, unit});
  }
  extract_rules(*this, sol, k, tol, r);
  // A period of a multi-period model: its own costs, in USD of its year (the LP objective is the
  // discounted sum over every period and what the pathway families add).
  if (multi_period())
    r.objective_usd = r.production_usd + r.carbon_usd + r.transport_usd + r.duties_usd + r.penalty_usd + r.stock_usd +
                      r.policy_usd;
  return r;
}

}  // namespace cadena::chain
