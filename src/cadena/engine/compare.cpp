#include "cadena/engine/compare.hpp"

#include <fmt/core.h>

#include <charconv>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "cadena/core/text_file.hpp"
#include "cadena/io/csv.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/report/results_store.hpp"
#include "cadena/report/run_report.hpp"

namespace cadena::engine {

namespace fs = std::filesystem;

namespace {

double to_number(const std::string& s) {
  double v = 0.0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

// flows.csv back into records (the columns report::flows_csv writes).
Result<std::vector<chain::FlowRecord>> read_flows(const fs::path& file) {
  auto table = io::read_csv(file);
  if (!table) return table.error();
  const char* names[] = {"family", "element", "from", "to", "product", "quantity", "unit", "unit_cost_usd", "cost_usd"};
  int col[9];
  for (int k = 0; k < 9; ++k) {
    col[k] = table->column(names[k]);
    if (col[k] < 0)
      return make_error(ErrorCategory::Missing, fmt::format("flows.csv has no column '{}'; expected the file cadena run writes", names[k]),
                        {file.string(), table->header_line, names[k], ""});
  }
  std::vector<chain::FlowRecord> out;
  out.reserve(table->rows.size());
  for (const auto& row : table->rows) {
    auto f = [&](int k) -> const std::string& { return row.fields[static_cast<std::size_t>(col[k])]; };
    out.push_back(chain::FlowRecord{f(0), f(1), f(2), f(3), f(4), to_number(f(5)), f(6), to_number(f(7)), to_number(f(8))});
  }
  return out;
}

// facilities.csv back into records (the columns report::facilities_csv writes).
Result<std::vector<chain::FacilityRecord>> read_facilities(const fs::path& file) {
  auto table = io::read_csv(file);
  if (!table) return table.error();
  const char* names[] = {"id",       "name",        "stage",
                         "country",  "product",     "output",
                         "unit",     "capacity",    "utilisation",
                         "reduced_cost_usd_per_unit", "cost_usd", "co2_t",
                         "water_m3", "active",      "source"};
  constexpr int n = sizeof names / sizeof names[0];
  int col[n];
  for (int k = 0; k < n; ++k) {
    col[k] = table->column(names[k]);
    if (col[k] < 0)
      return make_error(ErrorCategory::Missing,
                        fmt::format("facilities.csv has no column '{}'; expected the file cadena run writes", names[k]),
                        {file.string(), table->header_line, names[k], ""});
  }
  std::vector<chain::FacilityRecord> out;
  out.reserve(table->rows.size());
  for (const auto& row : table->rows) {
    auto f = [&](int k) -> const std::string& { return row.fields[static_cast<std::size_t>(col[k])]; };
    chain::FacilityRecord r;
    r.id = f(0);
    r.name = f(1);
    r.stage = f(2);
    r.country = f(3);
    r.product = f(4);
    r.output = to_number(f(5));
    r.unit = f(6);
    r.capacity = to_number(f(7));
    r.utilisation = to_number(f(8));
    r.reduced_cost_usd = to_number(f(9));
    r.cost_usd = to_number(f(10));
    r.co2_t = to_number(f(11));
    r.water_m3 = to_number(f(12));
    r.active = f(13) == "yes";
    r.source = f(14);
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

Result<report::RunSnapshot> load_snapshot(const std::string& spec, const RunOptions& options, const std::string& db) {
  std::error_code ec;
  const fs::path path(spec);
  if (fs::is_directory(path, ec)) {
    const fs::path summary = path / "summary.json";
    if (!fs::is_regular_file(summary, ec))
      return make_error(ErrorCategory::Missing,
                        "the folder has no summary.json; expected an output folder of cadena run",
                        {spec, 0, "", ""});
    auto text = read_text_file(summary.string());
    if (!text) return text.error();
    report::RunSnapshot snap{spec, std::move(*text), {}};
    if (fs::is_regular_file(path / "flows.csv", ec)) {
      auto flows = read_flows(path / "flows.csv");
      if (!flows) return flows.error();
      snap.flows = std::move(*flows);
    }
    if (fs::is_regular_file(path / "facilities.csv", ec)) {
      auto facilities = read_facilities(path / "facilities.csv");
      if (!facilities) return facilities.error();
      snap.facilities = std::move(*facilities);
    }
    return snap;
  }
  const bool is_file = fs::is_regular_file(path, ec);
  if (is_file || spec == "baseline") {
    std::optional<fs::path> scenario;
    if (is_file) scenario = path;
    auto rep = run(scenario, options);
    if (!rep) return rep.error();
    if (rep->result.termination != lp::Termination::Optimal)
      return make_error(ErrorCategory::Solver,
                        fmt::format("the solver stopped without an optimum ({})", lp::to_string(rep->result.termination)),
                        {spec, 0, "", ""});
    return report::RunSnapshot{spec, report::summary_json(*rep), rep->result.flows, rep->result.facilities,
                               rep->dataset};
  }
  if (!db.empty()) {
    auto store = report::ResultsStore::open(db, false);
    if (!store) return store.error();
    auto found = store->find_run(spec);
    if (!found) return found.error();
    if (found->pathway())
      return make_error(ErrorCategory::Value,
                        fmt::format("run {} ({}) is a pathway run over {}-{}; cadena compare compares single-year runs "
                                    "(cadena runs diff compares two pathway runs' series)",
                                    found->id, found->scenario, found->years.front(), found->years.back()),
                        {db, 0, "run", spec});
    auto summary = store->run_summary(found->id);
    if (!summary) return summary.error();
    auto flows = store->run_flows(found->id);
    if (!flows) return flows.error();
    return report::RunSnapshot{fmt::format("run {} ({})", found->id, found->scenario), std::move(*summary),
                               std::move(*flows)};
  }
  return make_error(ErrorCategory::Missing,
                    fmt::format("'{}' is neither an output folder, a scenario file nor 'baseline'; expected one of "
                                "those, or a run id or scenario name with --db FILE",
                                spec),
                    {"", 0, "", spec});
}

std::optional<std::string> add_report_dataset(report::RunSnapshot& snap) {
  if (snap.dataset) return std::nullopt;
  const auto summary = nlohmann::json::parse(snap.summary_json, nullptr, false);
  std::string name;
  if (summary.is_object() && summary.contains("dataset") && summary["dataset"].is_string())
    name = summary["dataset"].get<std::string>();
  if (name.empty()) return fmt::format("{}: summary.json names no dataset; the map and the flows by stage are left out", snap.label);
  auto d = io::load_named_dataset(name);
  if (!d)
    return fmt::format("{}: its dataset '{}' could not be read ({}); the map and the flows by stage are left out",
                       snap.label, name, d.error().message);
  snap.dataset = std::make_shared<const model::Dataset>(std::move(*d));
  return std::nullopt;
}

Result<std::optional<report::PathwaySide>> load_pathway_side(const std::string& spec, std::vector<std::string>& notes) {
  std::error_code ec;
  const fs::path summary = fs::path(spec) / "summary.json";
  if (!fs::is_directory(spec, ec) || !fs::is_regular_file(summary, ec)) return std::optional<report::PathwaySide>();
  auto text = read_text_file(summary.string());
  if (!text) return text.error();
  if (!report::is_pathway_summary(*text)) return std::optional<report::PathwaySide>();
  report::RunSnapshot named{spec, *text, {}};  // add_report_dataset reads the dataset summary.json names
  if (auto note = add_report_dataset(named)) notes.push_back(*note);
  return std::optional<report::PathwaySide>(report::PathwaySide{spec, std::move(*text), std::move(named.dataset)});
}

}  // namespace cadena::engine
