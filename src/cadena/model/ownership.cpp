#include "cadena/model/ownership.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <map>
#include <set>

namespace cadena::model {

namespace {

constexpr double kShareTolerance = 1e-6;  // rounding in published ownership tables
constexpr int kMaxDepth = 64;             // look-through depth; cycles are rejected by validate()

std::optional<int> parse_int(std::string_view s) {
  int v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

int year_end(int year) { return year * 10000 + 1231; }

void add_share(std::map<std::string, double>& m, const std::string& company, double share) { m[company] += share; }

void look_through(const Dataset& d, const std::string& company, double share, int year, int depth,
                  std::map<std::string, double>& out) {
  auto holders = holders_in_force(d, company, year);
  double held = 0.0;
  if (depth < kMaxDepth) {
    for (const Ownership& h : holders) {
      look_through(d, h.company, share * h.share, year, depth + 1, out);
      held += h.share;
    }
  }
  double rest = share * std::max(0.0, 1.0 - held);
  if (rest > 0.0) add_share(out, company, rest);
}

std::vector<Ownership> sorted(const std::map<std::string, double>& m) {
  std::vector<Ownership> v;
  for (const auto& [c, s] : m)
    if (s > 0.0) v.push_back(Ownership{c, s});
  std::stable_sort(v.begin(), v.end(), [](const Ownership& a, const Ownership& b) { return a.share > b.share; });
  return v;
}

}  // namespace

std::optional<int> date_key(std::string_view s) {
  if (s.size() != 4 && s.size() != 7 && s.size() != 10) return std::nullopt;
  auto y = parse_int(s.substr(0, 4));
  if (!y || *y < 1800 || *y > 2200) return std::nullopt;
  int m = 1, day = 1;
  if (s.size() >= 7) {
    if (s[4] != '-') return std::nullopt;
    auto mm = parse_int(s.substr(5, 2));
    if (!mm || *mm < 1 || *mm > 12) return std::nullopt;
    m = *mm;
  }
  if (s.size() == 10) {
    if (s[7] != '-') return std::nullopt;
    auto dd = parse_int(s.substr(8, 2));
    if (!dd || *dd < 1 || *dd > 31) return std::nullopt;
    day = *dd;
  }
  return *y * 10000 + m * 100 + day;
}

bool in_force(std::string_view from, std::string_view until, int year) {
  const int end = year_end(year);
  if (!from.empty()) {
    auto f = date_key(from);
    if (!f || *f > end) return false;
  }
  if (!until.empty()) {
    auto u = date_key(until);
    if (!u || *u <= end) return false;
  }
  return true;
}

std::vector<Ownership> owners_in_force(const Dataset& d, const Facility& f, int year) {
  bool has_stakes = false;
  std::vector<Ownership> out;
  for (const Stake& s : d.stakes) {
    if (s.facility != f.id) continue;
    has_stakes = true;
    if (in_force(s.from, s.until, year)) out.push_back(Ownership{s.holder, s.share});
  }
  return has_stakes ? out : f.owners;
}

std::vector<Ownership> holders_in_force(const Dataset& d, std::string_view company, int year) {
  std::vector<Ownership> out;
  for (const Stake& s : d.stakes)
    if (!s.company.empty() && s.company == company && in_force(s.from, s.until, year))
      out.push_back(Ownership{s.holder, s.share});
  return out;
}

std::vector<Ownership> ultimate_owners(const Dataset& d, const Facility& f, int year) {
  std::map<std::string, double> m;
  for (const Ownership& o : owners_in_force(d, f, year)) look_through(d, o.company, o.share, year, 0, m);
  return sorted(m);
}

double look_through_share(const Dataset& d, std::string_view holder, std::string_view company, int year) {
  std::map<std::string, double> m;
  look_through(d, std::string(company), 1.0, year, 0, m);
  auto it = m.find(std::string(holder));
  return it == m.end() ? 0.0 : it->second;
}

namespace detail {

Error stake_error(ErrorCategory c, const Stake& s, std::string_view key, std::string msg) {
  const std::string el = fmt::format("{}:{}", s.holder, s.company.empty() ? s.facility : s.company);
  return make_error(c, std::move(msg), {s.prov.file, s.prov.line, std::string(key), el});
}

// Cross-record checks of stakes.csv, called by validate(): known companies and facilities, one
// asset per row, shares in (0, 1], readable dates with until after from, no asset held above
// 100 % at any date, a facility's owners in one place only, and no cycle of company stakes.
Status validate_stakes(const Dataset& d) {
  for (const Stake& s : d.stakes) {
    if (!d.find_company(s.holder))
      return stake_error(ErrorCategory::Reference, s, "holder",
                         fmt::format("unknown company '{}'; expected an id listed in companies.csv", s.holder));
    if (s.company.empty() == s.facility.empty())
      return stake_error(ErrorCategory::Value, s, s.company.empty() ? "company" : "facility",
                         "a stake holds exactly one asset; expected either a company or a facility, not both or none");
    if (!s.company.empty() && !d.find_company(s.company))
      return stake_error(ErrorCategory::Reference, s, "company",
                         fmt::format("unknown company '{}'; expected an id listed in companies.csv", s.company));
    if (!s.facility.empty()) {
      const Facility* f = d.find_facility(s.facility);
      if (!f)
        return stake_error(ErrorCategory::Reference, s, "facility",
                           fmt::format("unknown facility '{}'; expected an id listed in facilities.csv", s.facility));
      if (!f->owners.empty())
        return stake_error(ErrorCategory::Value, s, "facility",
                           fmt::format("facility '{}' also has owners in {}:{}; expected its owners in one place "
                                       "(an empty owners column when stakes.csv dates them)",
                                       s.facility, f->prov.file, f->prov.line));
    }
    if (s.holder == s.company)
      return stake_error(ErrorCategory::Value, s, "company",
                         fmt::format("company '{}' holds itself; expected a stake in another company", s.holder));
    if (!(s.share > 0.0 && s.share <= 1.0))
      return stake_error(ErrorCategory::Value, s, "share",
                         fmt::format("share {} is outside (0, 1]; expected an equity fraction", s.share));
    std::optional<int> from, until;
    if (!s.from.empty() && !(from = date_key(s.from)))
      return stake_error(ErrorCategory::Value, s, "from",
                         fmt::format("'{}' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD", s.from));
    if (!s.until.empty() && !(until = date_key(s.until)))
      return stake_error(ErrorCategory::Value, s, "until",
                         fmt::format("'{}' is not a date; expected YYYY, YYYY-MM or YYYY-MM-DD", s.until));
    if (from && until && *until <= *from)
      return stake_error(ErrorCategory::Value, s, "until",
                         fmt::format("the stake ends ({}) before it starts ({}); expected until after from", s.until,
                                     s.from));
  }
  // No asset above 100 % at any date: check the sum in force at every start date of its stakes.
  std::map<std::string, std::vector<const Stake*>> by_asset;
  for (const Stake& s : d.stakes) by_asset[s.company.empty() ? "facility:" + s.facility : "company:" + s.company].push_back(&s);
  for (const auto& [asset, stakes] : by_asset) {
    for (const Stake* at : stakes) {
      const int day = at->from.empty() ? 0 : *date_key(at->from);
      double sum = 0.0;
      std::set<std::string> holders;
      for (const Stake* s : stakes) {
        const int f = s->from.empty() ? 0 : *date_key(s->from);
        const int u = s->until.empty() ? 99999999 : *date_key(s->until);
        if (f <= day && day < u) {
          sum += s->share;
          if (!holders.insert(s->holder).second)
            return stake_error(ErrorCategory::Duplicate, *at, "holder",
                               fmt::format("'{}' holds {} twice on {}; expected periods that do not overlap",
                                           s->holder, asset.substr(asset.find(':') + 1),
                                           at->from.empty() ? "the first day" : at->from));
        }
      }
      if (sum > 1.0 + kShareTolerance)
        return stake_error(ErrorCategory::Value, *at, "share",
                           fmt::format("stakes in {} sum to {:.6g} on {}; expected at most 1 (100 %)",
                                       asset.substr(asset.find(':') + 1), sum,
                                       at->from.empty() ? "the first day" : at->from));
    }
  }
  // Cycles of company stakes (whatever their dates: a cycle would make look-through endless).
  std::map<std::string, std::vector<const Stake*>> holders_of;  // company -> stakes in it
  for (const Stake& s : d.stakes)
    if (!s.company.empty()) holders_of[s.company].push_back(&s);
  enum class Mark { None, Open, Done };
  std::map<std::string, Mark> mark;
  std::vector<std::string> path;
  std::function<const Stake*(const std::string&)> visit = [&](const std::string& c) -> const Stake* {
    mark[c] = Mark::Open;
    path.push_back(c);
    for (const Stake* s : holders_of[c]) {
      if (mark[s->holder] == Mark::Open) {
        path.push_back(s->holder);
        return s;
      }
      if (mark[s->holder] == Mark::None)
        if (const Stake* hit = visit(s->holder)) return hit;
    }
    path.pop_back();
    mark[c] = Mark::Done;
    return nullptr;
  };
  for (const auto& [company, stakes] : holders_of) {
    if (mark[company] != Mark::None) continue;
    path.clear();
    if (const Stake* s = visit(company)) {
      auto start = std::find(path.begin(), path.end(), path.back());
      std::string chain;
      for (auto it = start; it != path.end(); ++it) chain += (chain.empty() ? "" : " <- held by ") + *it;
      return stake_error(ErrorCategory::Value, *s, "holder",
                         fmt::format("company stakes form a cycle ({}); expected an ownership tree", chain));
    }
  }
  return ok_status();
}

}  // namespace detail

}  // namespace cadena::model
