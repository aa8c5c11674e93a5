// Demand paths evaluated year by year (docs/formulation.md, "Demand paths"): every series is
// anchored at the dataset year by the dataset's own tables, interpolated linearly between its
// points and held after the last one.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "cadena/model/pathway.hpp"

namespace cadena::model {

namespace {

struct Point {
  int year;
  double value;
  const PathPoint* row;
};
using Points = std::vector<Point>;
using SeriesKey = std::tuple<std::string, std::string, std::string, std::string>;  // series, group, product, region

// The value at `year` of a series with an optional anchor at y0: linear between points, the first
// point's value before it (when there is no anchor), the last point's after it.
double interpolate(const Points& pts, int year, const double* anchor, int y0) {
  // The points, with the anchor (y0, *anchor) first when there is one.
  const std::size_t n = pts.size() + (anchor ? 1 : 0);
  auto at = [&](std::size_t i) -> std::pair<int, double> {
    if (anchor) return i == 0 ? std::pair<int, double>{y0, *anchor} : std::pair<int, double>{pts[i - 1].year, pts[i - 1].value};
    return {pts[i].year, pts[i].value};
  };
  if (n == 0) return 0.0;
  if (year <= at(0).first) return at(0).second;
  for (std::size_t i = 1; i < n; ++i) {
    const auto [yb, vb] = at(i);
    if (year > yb) continue;
    const auto [ya, va] = at(i - 1);
    const double t = static_cast<double>(year - ya) / static_cast<double>(yb - ya);
    return va + t * (vb - va);
  }
  return at(n - 1).second;
}

}  // namespace

double PathSeries::factor(const std::string& product, int year) const {
  auto it = intensity_factor.find(product);
  if (it == intensity_factor.end() || it->second.empty()) return 1.0;
  const int i = std::clamp(index(year), 0, static_cast<int>(it->second.size()) - 1);
  return it->second[static_cast<std::size_t>(i)];
}

double PathSeries::collection_rate(const std::string& region, int year, double fallback) const {
  auto it = collection.find(region);
  if (it == collection.end() || it->second.empty()) return fallback;
  const int i = std::clamp(index(year), 0, static_cast<int>(it->second.size()) - 1);
  return it->second[static_cast<std::size_t>(i)];
}

Result<PathSeries> evaluate_paths(const Dataset& d, const PathwayData& p, const std::string& path, int last_year) {
  const int y0 = d.settings.year;
  if (!path.empty()) {
    const auto names = p.path_names();
    if (std::find(names.begin(), names.end(), path) == names.end()) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      return make_error(ErrorCategory::Reference,
                        known.empty() ? fmt::format("dataset {} has no demand paths (no paths.csv in its pathway data); "
                                                    "expected a dataset with paths, or no demand path (demand held at {})",
                                                    d.name, y0)
                                      : fmt::format("unknown demand path '{}'; expected one of: {}", path, known),
                        ErrorContext{p.file, 0, "demand_path", path});
    }
  }
  PathSeries out;
  out.path = path;
  out.first_year = y0;
  out.last_year = std::max(last_year, y0);
  const int n = out.last_year - y0 + 1;

  // Points of every series of the chosen path; "*" rows where the path has none of its own.
  std::map<SeriesKey, Points> specific, any;
  for (const auto& r : p.paths) {
    const bool demand_series = r.series != "collection";
    if (demand_series && path.empty()) continue;  // no path: demand held
    if (r.path != "*" && r.path != path) continue;
    auto& m = r.path == "*" ? any : specific;
    m[{r.series, r.group, r.product, r.region}].push_back({r.year, r.value, &r});
  }
  auto points = [&](const std::string& series, const std::string& group, const std::string& product,
                    const std::string& region) -> const Points* {
    SeriesKey k{series, group, product, region};
    if (auto it = specific.find(k); it != specific.end()) return &it->second;
    if (auto it = any.find(k); it != any.end()) return &it->second;
    return nullptr;
  };

  // The dataset year's demand per key and the rows that carry it.
  std::map<std::pair<std::string, std::string>, double> d0;
  std::map<std::pair<std::string, std::string>, std::vector<std::size_t>> rows_of;
  out.rows = d.demands;
  for (std::size_t j = 0; j < d.demands.size(); ++j) {
    d0[{d.demands[j].region, d.demands[j].product}] += d.demands[j].quantity;
    rows_of[{d.demands[j].region, d.demands[j].product}].push_back(j);
  }
  auto base = [&](const std::string& r, const std::string& prod) {
    auto it = d0.find({r, prod});
    return it == d0.end() ? 0.0 : it->second;
  };

  // Groups: their member products and outside technologies, from the share rows of any path.
  std::map<std::string, std::vector<std::string>> members, outside_names;
  std::map<std::string, const PathPoint*> first_row;  // product -> first share row (provenance of new keys)
  std::set<std::string> grouped;
  for (const auto& r : p.paths) {
    if (r.series != "share") continue;
    if (r.product.rfind("outside:", 0) == 0) {
      auto& v = outside_names[r.group];
      if (std::find(v.begin(), v.end(), r.product) == v.end()) v.push_back(r.product);
      continue;
    }
    auto& v = members[r.group];
    if (std::find(v.begin(), v.end(), r.product) == v.end()) v.push_back(r.product);
    grouped.insert(r.product);
    first_row.emplace(r.product, &r);
  }

  // key -> quantity per year.
  std::map<std::pair<std::string, std::string>, std::vector<double>> q;
  for (const auto& reg : d.regions) {
    const std::string& r = reg.id;
    for (const auto& [g, prods] : members) {
      double t0 = 0.0;
      for (const auto& prod : prods) t0 += base(r, prod);
      const Points* tot = points("total", g, "", r);
      std::vector<double> total(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) total[static_cast<std::size_t>(i)] = tot ? interpolate(*tot, y0 + i, &t0, y0) : t0;
      std::vector<double> sum(static_cast<std::size_t>(n), 0.0);
      const PathPoint* some_share = nullptr;
      for (const auto& prod : prods) {
        const double s0 = t0 > 0.0 ? base(r, prod) / t0 : 0.0;
        const Points* sh = points("share", g, prod, r);
        if (sh && !sh->empty()) some_share = sh->front().row;
        auto& v = q[{r, prod}];
        v.resize(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
          const double s = sh ? interpolate(*sh, y0 + i, &s0, y0) : s0;
          sum[static_cast<std::size_t>(i)] += s;
          v[static_cast<std::size_t>(i)] = total[static_cast<std::size_t>(i)] * s;
        }
      }
      for (const auto& name : outside_names[g]) {
        const Points* sh = points("share", g, name, r);
        if (!sh) continue;
        const double zero = 0.0;
        PathSeries::Outside o{g, name.substr(8), r, "", std::vector<double>(static_cast<std::size_t>(n))};
        some_share = sh->front().row;
        if (!prods.empty())
          if (const auto* pr = d.find_product(prods.front())) o.unit = pr->unit;
        for (int i = 0; i < n; ++i) {
          const double s = interpolate(*sh, y0 + i, &zero, y0);
          sum[static_cast<std::size_t>(i)] += s;
          o.quantity[static_cast<std::size_t>(i)] = total[static_cast<std::size_t>(i)] * s;
        }
        out.outside.push_back(std::move(o));
      }
      for (int i = 0; i < n; ++i)
        if (sum[static_cast<std::size_t>(i)] > 1.0 + 1e-6) {
          const Provenance prov = some_share ? some_share->prov : Provenance{p.file, 0, "", false, ""};
          return make_error(ErrorCategory::Value,
                            fmt::format("the shares of group '{}' in region {} add up to {:.4f} in {} on path '{}'; "
                                        "expected at most 1",
                                        g, r, sum[static_cast<std::size_t>(i)], y0 + i, path),
                            ErrorContext{prov.file, prov.line, "value", fmt::format("{}:{}", g, r)});
        }
    }
  }
  // Products outside any group: an absolute demand series, else a growth index, else held.
  for (const auto& [key, quantity0] : d0) {
    const auto& [r, prod] = key;
    if (grouped.count(prod)) continue;
    auto& v = q[key];
    v.resize(static_cast<std::size_t>(n));
    const Points* dem = points("demand", "", prod, r);
    const Points* gr = nullptr;
    for (const auto& [gp, gr_region] : {std::pair<std::string, std::string>{prod, r}, {prod, "*"}, {"*", r}, {"*", "*"}})
      if (!gr) gr = points("growth", "", gp, gr_region);
    const double one = 1.0;
    for (int i = 0; i < n; ++i) {
      double x = quantity0;
      if (dem) x = interpolate(*dem, y0 + i, &quantity0, y0);
      else if (gr) x = quantity0 * interpolate(*gr, y0 + i, &one, y0);
      v[static_cast<std::size_t>(i)] = x;
    }
  }
  // Absolute demand series for keys the dataset does not have.
  for (const auto& r : p.paths) {
    if (r.series != "demand" || grouped.count(r.product) || d0.count({r.region, r.product})) continue;
    if (!points("demand", "", r.product, r.region) || q.count({r.region, r.product})) continue;
    const Points* dem = points("demand", "", r.product, r.region);
    const double zero = 0.0;
    auto& v = q[{r.region, r.product}];
    v.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = interpolate(*dem, y0 + i, &zero, y0);
    first_row.emplace(r.product, dem->front().row);
  }

  // Per year, per row: a key's quantity goes to its first dataset row (repeated rows keep their
  // dataset-year split); keys the dataset lacks get a row of their own.
  out.demand.assign(static_cast<std::size_t>(n), std::vector<double>(out.rows.size(), 0.0));
  for (const auto& [key, v] : q) {
    auto it = rows_of.find(key);
    std::vector<std::size_t> rows;
    if (it != rows_of.end()) {
      rows = it->second;
    } else {
      if (std::all_of(v.begin(), v.end(), [](double x) { return x == 0.0; })) continue;
      Demand dem;
      dem.region = key.first;
      dem.product = key.second;
      dem.quantity = 0.0;
      if (auto fr = first_row.find(key.second); fr != first_row.end()) dem.prov = fr->second->prov;
      out.rows.push_back(std::move(dem));
      for (auto& year : out.demand) year.push_back(0.0);
      rows = {out.rows.size() - 1};
    }
    const double total0 = base(key.first, key.second);
    for (int i = 0; i < n; ++i) {
      for (std::size_t j : rows) {
        const double part = total0 > 0.0 ? out.rows[j].quantity / total0 : (j == rows.front() ? 1.0 : 0.0);
        out.demand[static_cast<std::size_t>(i)][j] = v[static_cast<std::size_t>(i)] * part;
      }
    }
  }
  // The dataset year is the dataset, exactly.
  for (std::size_t j = 0; j < d.demands.size(); ++j) out.demand[0][j] = d.demands[j].quantity;

  // Intensity: contained per unit relative to the product's dataset value.
  for (const auto& prod : d.products) {
    const Points* pts = points("intensity", "", prod.id, "*");
    if (!pts) continue;
    const auto c0 = d.contained_per_unit(prod);
    if (!c0 || !(*c0 > 0.0))
      return make_error(ErrorCategory::Value,
                        fmt::format("product '{}' has an intensity path but no contained amount per unit in the dataset "
                                    "to anchor it; expected contained_per_unit in products.csv",
                                    prod.id),
                        ErrorContext{pts->front().row->prov.file, pts->front().row->prov.line, "product", prod.id});
    auto& v = out.intensity_factor[prod.id];
    v.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = interpolate(*pts, y0 + i, &*c0, y0) / *c0;
  }
  // Collection rates: a region's own series, else the "*" series.
  for (const auto& reg : d.regions) {
    const Points* pts = points("collection", "", "", reg.id);
    if (!pts) pts = points("collection", "", "", "*");
    if (!pts) continue;
    auto& v = out.collection[reg.id];
    v.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = interpolate(*pts, y0 + i, nullptr, y0);
  }

  // Placed on the market: history before the dataset year split by the dataset year's mix, then
  // the paths.
  const auto& rc = p.recycling;
  if (rc.enabled && members.count(rc.group)) {
    const auto& prods = members.at(rc.group);
    int first = y0;
    for (const auto& h : p.placed_on_market)
      if (h.group == rc.group) first = std::min(first, h.year);
    for (const auto& reg : d.regions) {
      double t0 = 0.0;
      for (const auto& prod : prods) t0 += base(reg.id, prod);
      for (const auto& prod : prods) {
        PathSeries::Placed pl{reg.id, prod, first, std::vector<double>(static_cast<std::size_t>(out.last_year - first + 1), 0.0)};
        const double mix = t0 > 0.0 ? base(reg.id, prod) / t0 : 1.0 / static_cast<double>(prods.size());
        for (const auto& h : p.placed_on_market)
          if (h.group == rc.group && h.region == reg.id) pl.quantity[static_cast<std::size_t>(h.year - first)] += h.quantity * mix;
        auto it = q.find({reg.id, prod});
        for (int i = 0; i < n; ++i)
          pl.quantity[static_cast<std::size_t>(y0 - first + i)] = it == q.end() ? 0.0 : it->second[static_cast<std::size_t>(i)];
        pl.quantity[static_cast<std::size_t>(y0 - first)] = base(reg.id, prod);
        out.placed.push_back(std::move(pl));
      }
    }
  }
  return out;
}

}  // namespace cadena::model
