#include "cadena/report/run_diff.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

namespace cadena::report {

namespace {

using nlohmann::ordered_json;

// Paths of the numbers in a summary, in document order. Array elements are keyed by what names
// them (unmet: region.product, bottlenecks: facility), not by position, so that a reordering is
// not a change.
void flatten(const ordered_json& j, const std::string& path, std::vector<std::pair<std::string, double>>& out) {
  if (j.is_number()) {
    out.emplace_back(path, j.get<double>());
    return;
  }
  auto join = [&](const std::string& k) { return path.empty() ? k : path + "." + k; };
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      if (path.empty() && (k == "timings" || k == "lp" || k == "provenance" || k == "year")) continue;
      flatten(v, join(k), out);
    }
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      const auto& e = j[i];
      std::string key = std::to_string(i);
      if (e.is_object()) {
        if (e.contains("facility")) key = e["facility"].get<std::string>();
        else if (e.contains("region") && e.contains("product"))
          key = e["region"].get<std::string>() + "." + e["product"].get<std::string>();
      }
      flatten(e, join(key), out);
    }
  }
}

Result<std::vector<std::pair<std::string, double>>> numbers(const std::string& text, const char* which) {
  auto j = ordered_json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object())
    return make_error(ErrorCategory::Value, std::string("summary of run ") + which + " is not a JSON object");
  std::vector<std::pair<std::string, double>> out;
  flatten(j, "", out);
  return out;
}

}  // namespace

Result<std::vector<SummaryChange>> diff_summaries(const std::string& summary_a, const std::string& summary_b,
                                                  double rel_tol) {
  auto a = numbers(summary_a, "A");
  if (!a) return a.error();
  auto b = numbers(summary_b, "B");
  if (!b) return b.error();
  std::map<std::string, double> in_b(b->begin(), b->end());
  std::vector<SummaryChange> out;
  for (const auto& [path, va] : *a) {
    auto it = in_b.find(path);
    if (it == in_b.end()) {
      out.push_back({path, va, 0.0, true, false});
      continue;
    }
    const double vb = it->second;
    in_b.erase(it);
    if (std::abs(va - vb) > rel_tol * std::max({std::abs(va), std::abs(vb), 1e-300})) out.push_back({path, va, vb});
  }
  for (const auto& [path, vb] : *b)
    if (in_b.count(path)) out.push_back({path, 0.0, vb, false, true});
  return out;
}

}  // namespace cadena::report
