#include "cadena/report/sweep_table.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "cadena/core/split.hpp"
#include "cadena/report/run_report.hpp"

namespace cadena::report {

using nlohmann::ordered_json;

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  for (std::string_view p : split(path, '.')) parts.emplace_back(p);
  return parts;
}

Result<ordered_json> parse(const std::string& text) {
  ordered_json j = ordered_json::parse(text, nullptr, false);
  if (j.is_discarded()) return make_error(ErrorCategory::Value, "summary.json is not valid JSON");
  return j;
}

// Every full path below `node` that matches parts[k..], appended to `out`.
void expand(const ordered_json& node, const std::vector<std::string>& parts, std::size_t k, const std::string& prefix,
            std::vector<std::string>& out) {
  if (k == parts.size()) {
    if (node.is_number()) out.push_back(prefix);
    return;
  }
  if (!node.is_object()) return;
  auto join = [&](const std::string& key) { return prefix.empty() ? key : prefix + "." + key; };
  if (parts[k] == "*") {
    for (const auto& [key, child] : node.items()) expand(child, parts, k + 1, join(key), out);
    return;
  }
  if (auto it = node.find(parts[k]); it != node.end()) expand(*it, parts, k + 1, join(parts[k]), out);
}

// The keys one level below the deepest existing prefix of `parts` (for the error message).
std::string what_is_there(const ordered_json& root, const std::vector<std::string>& parts) {
  const ordered_json* node = &root;
  std::string at = "the top level";
  for (const auto& p : parts) {
    if (!node->is_object() || p == "*") break;
    auto it = node->find(p);
    if (it == node->end()) break;
    node = &*it;
    at = "'" + (at == "the top level" ? p : at.substr(1, at.size() - 2) + "." + p) + "'";
  }
  if (!node->is_object()) return fmt::format("{} holds no keys", at);
  std::string keys;
  std::size_t n = 0;
  for (const auto& [key, child] : node->items()) {
    if (n++ == 12) {
      keys += ", ...";
      break;
    }
    keys += (keys.empty() ? "" : ", ") + key;
  }
  return fmt::format("{} holds {}", at, keys.empty() ? "nothing" : keys);
}

std::string num(double v) {
  if (v == 0.0) return "0";
  return fmt::format("{:.10g}", v);
}

}  // namespace

std::vector<std::string> default_sweep_metrics() {
  return {"objective_usd", "cost_usd.*", "emissions_t_co2", "water_m3", "prices.*.*"};
}

Result<std::vector<std::string>> expand_metrics(const std::vector<std::string>& patterns, const std::string& summary) {
  auto root = parse(summary);
  if (!root) return root.error();
  std::vector<std::string> out;
  for (const auto& pattern : patterns) {
    const auto parts = split_path(pattern);
    const std::size_t before = out.size();
    expand(*root, parts, 0, "", out);
    if (out.size() == before)
      return make_error(ErrorCategory::Value,
                        fmt::format("'{}' names no number in summary.json ({}); expected a path such as "
                                    "objective_usd, cost_usd.duties, prices.US.cell_nmc or "
                                    "stages.mining.by_country.AR.share, where * stands for every key",
                                    pattern, what_is_there(*root, parts)),
                        {"", 0, "--metric", pattern});
  }
  return out;
}

Result<std::vector<std::optional<double>>> read_metrics(const std::vector<std::string>& paths,
                                                        const std::string& summary) {
  auto root = parse(summary);
  if (!root) return root.error();
  std::vector<std::optional<double>> out;
  out.reserve(paths.size());
  for (const auto& path : paths) {
    const ordered_json* node = &*root;
    for (const auto& p : split_path(path)) {
      if (!node || !node->is_object()) {
        node = nullptr;
        break;
      }
      auto it = node->find(p);
      node = it == node->end() ? nullptr : &*it;
    }
    if (node && node->is_number()) out.emplace_back(node->get<double>());
    else out.emplace_back(std::nullopt);
  }
  return out;
}

std::string sweep_csv(const SweepTable& t) {
  std::string out = csv_field(t.key);
  out += ",status";
  for (const auto& c : t.columns) {
    out += ',';
    out += csv_field(c);
  }
  out += '\n';
  for (const auto& row : t.rows) {
    out += csv_field(row.value);
    out += ',';
    out += row.status;
    for (const auto& cell : row.cells) {
      out += ',';
      if (cell) out += num(*cell);
    }
    out += '\n';
  }
  return out;
}

std::string sweep_json(const SweepTable& t) {
  ordered_json j;
  j["scenario"] = t.scenario;
  j["key"] = t.key;
  j["columns"] = t.columns;
  ordered_json rows = ordered_json::array();
  for (const auto& row : t.rows) {
    ordered_json outputs = ordered_json::object();
    for (std::size_t k = 0; k < t.columns.size() && k < row.cells.size(); ++k)
      outputs[t.columns[k]] = row.cells[k] ? ordered_json(*row.cells[k]) : ordered_json(nullptr);
    rows.push_back({{"value", row.value}, {"status", row.status}, {"outputs", outputs}});
  }
  j["rows"] = rows;
  j["seconds"] = t.seconds;
  return j.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string sweep_text(const SweepTable& t) {
  std::vector<std::string> header{t.key, "status"};
  header.insert(header.end(), t.columns.begin(), t.columns.end());
  std::vector<std::vector<std::string>> cells{header};
  for (const auto& row : t.rows) {
    std::vector<std::string> line{row.value, row.status};
    for (const auto& c : row.cells) line.push_back(c ? fmt::format("{:.4g}", *c) : "-");
    cells.push_back(std::move(line));
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& line : cells)
    for (std::size_t k = 0; k < line.size() && k < width.size(); ++k) width[k] = std::max(width[k], line[k].size());
  std::string out;
  for (const auto& line : cells) {
    for (std::size_t k = 0; k < line.size(); ++k)
      out += fmt::format("{}{:>{}}", k ? "  " : "", line[k], width[k]);
    out += "\n";
  }
  return out;
}

Result<Publication> write_sweep_outputs(const SweepTable& t, const std::filesystem::path& dir) {
  return publish_folder(dir, {{"sweep.csv", sweep_csv(t)}, {"sweep.json", sweep_json(t)}});
}

}  // namespace cadena::report
