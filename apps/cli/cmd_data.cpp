// `cadena data list` and `cadena data show ID`: what the built-in datasets hold, and every
// field of one record with its unit and source, so a figure in a result can be traced back.
#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cadena/analytics/shares.hpp"
#include "cadena/core/data_dir.hpp"
#include "cadena/io/dataset_io.hpp"
#include "cadena/model/ownership.hpp"
#include "commands.hpp"

namespace cadena::cli {

namespace {

using nlohmann::json;

json prov_json(const model::Provenance& p) {
  return {{"source", p.source}, {"estimate", p.estimate}, {"note", p.note}, {"file", p.file}, {"line", p.line}};
}

std::string prov_text(const model::Provenance& p) {
  std::string s = p.source;
  if (p.estimate) s += " [estimate]";
  if (!p.note.empty()) s += " — " + p.note;
  return s;
}

std::string unit_of(const model::Dataset& d, const std::string& product) {
  const model::Product* p = d.find_product(product);
  return p ? p->unit : "?";
}

std::string country_name(const model::Dataset& d, const std::string& code) {
  const model::Country* c = d.find_country(code);
  return c ? fmt::format("{} ({})", code, c->name) : code;
}

void row(const char* label, const std::string& value) { fmt::print("  {:<16}{}\n", label, value); }

void show_facility(const model::Dataset& d, const model::Facility& f, json* out) {
  const std::string u = unit_of(d, f.output);
  std::string inputs, owners;
  json jin = json::array(), jown = json::array();
  int group = f.inputs.empty() ? 0 : f.inputs.front().group;
  for (const auto& in : f.inputs) {
    // As in the CSV: `|` between alternatives, `+` between required groups.
    const char* sep = inputs.empty() ? "" : (in.group == group ? " | " : " + ");
    group = in.group;
    inputs += fmt::format("{}{} {} {} per {}", sep, in.product, in.per_unit_output, unit_of(d, in.product), u);
    jin.push_back({{"product", in.product}, {"per_unit_output", in.per_unit_output}, {"group", in.group},
                   {"unit", unit_of(d, in.product) + " per " + u}});
  }
  double total = 0;
  for (const auto& o : f.owners) {
    const model::Company* c = d.find_company(o.company);
    owners += fmt::format("{}{} {:.4g} % ({})", owners.empty() ? "" : ", ", o.company, o.share * 100,
                          c ? c->hq_country : "?");
    total += o.share;
    jown.push_back({{"company", o.company}, {"share", o.share}});
  }
  if (total < 1.0 - 1e-6 && !f.owners.empty()) owners += fmt::format(", unattributed {:.4g} %", (1 - total) * 100);
  if (out) {
    *out = {{"kind", "facility"},
            {"id", f.id},
            {"name", f.name},
            {"stage", f.stage},
            {"type", f.type},
            {"country", f.country},
            {"lat", f.lat},
            {"lon", f.lon},
            {"output", f.output},
            {"unit", u},
            {"capacity", f.capacity},
            {"reported_output", f.reported_output ? json(*f.reported_output) : json(nullptr)},
            {"unit_cost_usd", f.unit_cost},
            {"byproduct_credit_usd", f.byproduct_credit},
            {"net_unit_cost_usd", f.net_unit_cost()},
            {"inputs", jin},
            {"co2_t_per_unit", f.co2_per_unit},
            {"water_m3_per_unit", f.water_per_unit},
            {"status", model::to_string(f.status)},
            {"start_year", f.start_year},
            {"owners", jown},
            {"provenance", prov_json(f.prov)}};
    return;
  }
  fmt::print("facility {} — {}\n", f.id, f.name);
  row("stage", f.stage);
  row("type", f.type);
  row("country", country_name(d, f.country));
  row("location", fmt::format("{}, {} (lat, lon)", f.lat, f.lon));
  row("output", fmt::format("{} ({})", f.output, u));
  row("capacity", fmt::format("{} {}/yr", f.capacity, u));
  row(fmt::format("output {}", d.settings.year).c_str(),
      f.reported_output ? fmt::format("{} {}", *f.reported_output, u) : std::string("unknown"));
  if (f.byproduct_credit > 0)
    row("unit cost", fmt::format("{} USD/{} gross - {} by-product credit = {} net", f.unit_cost, u, f.byproduct_credit,
                                 f.net_unit_cost()));
  else
    row("unit cost", fmt::format("{} USD/{}", f.unit_cost, u));
  row("inputs", inputs.empty() ? "none" : inputs);
  row("co2", fmt::format("{} t CO2/{}", f.co2_per_unit, u));
  row("water", fmt::format("{} m3/{}", f.water_per_unit, u));
  row("status", f.start_year ? fmt::format("{} (start {})", model::to_string(f.status), f.start_year)
                             : std::string(model::to_string(f.status)));
  row("owners", owners.empty() ? "not given" : owners);
  row("source", prov_text(f.prov));
  row("read from", fmt::format("{}:{}", f.prov.file, f.prov.line));
}

void show_company(const model::Dataset& d, const model::Company& c, json* out) {
  const int year = d.settings.year;
  json jf = json::array(), jheld = json::array(), jholders = json::array(), jlook = json::array();
  if (!out) {
    fmt::print("company {} — {}\n", c.id, c.name);
    row("headquarters", country_name(d, c.hq_country));
    row("source", prov_text(c.prov));
    row("read from", fmt::format("{}:{}", c.prov.file, c.prov.line));
    fmt::print("  direct stakes in facilities in {} (share, attributable capacity):\n", year);
  }
  for (const auto& f : d.facilities)
    for (const auto& o : model::owners_in_force(d, f, year))
      if (o.company == c.id) {
        const std::string u = unit_of(d, f.output);
        if (out)
          jf.push_back({{"facility", f.id}, {"share", o.share}, {"capacity", f.capacity}, {"unit", u},
                        {"attributable_capacity", f.capacity * o.share}});
        else
          fmt::print("    {:<28} {:>6.4g} %  {:>10.6g} of {:.6g} {}/yr ({}, {})\n", f.id, o.share * 100,
                     f.capacity * o.share, f.capacity, u, f.stage, f.country);
      }
  if (!out) fmt::print("  stakes in companies in {}:\n", year);
  for (const auto& h : d.companies)
    for (const auto& o : model::holders_in_force(d, h.id, year))
      if (o.company == c.id) {
        if (out) jheld.push_back({{"company", h.id}, {"share", o.share}});
        else fmt::print("    {:<28} {:>6.4g} %  ({})\n", h.id, o.share * 100, h.hq_country);
      }
  if (!out) fmt::print("  held by, in {}:\n", year);
  for (const auto& o : model::holders_in_force(d, c.id, year)) {
    const model::Company* h = d.find_company(o.company);
    if (out) jholders.push_back({{"company", o.company}, {"share", o.share}});
    else fmt::print("    {:<28} {:>6.4g} %  ({})\n", o.company, o.share * 100, h ? h->hq_country : "?");
  }
  if (!out) fmt::print("  look-through: effective share of facilities in {} (attributable capacity):\n", year);
  for (const auto& f : d.facilities)
    for (const auto& o : model::ultimate_owners(d, f, year))
      if (o.company == c.id) {
        const std::string u = unit_of(d, f.output);
        if (out)
          jlook.push_back({{"facility", f.id}, {"share", o.share}, {"capacity", f.capacity}, {"unit", u},
                           {"attributable_capacity", f.capacity * o.share}});
        else
          fmt::print("    {:<28} {:>6.4g} %  {:>10.6g} of {:.6g} {}/yr ({}, {})\n", f.id, o.share * 100,
                     f.capacity * o.share, f.capacity, u, f.stage, f.country);
      }
  if (out)
    *out = {{"kind", "company"}, {"id", c.id}, {"name", c.name}, {"hq_country", c.hq_country}, {"year", year},
            {"facilities", jf}, {"companies_held", jheld}, {"held_by", jholders}, {"look_through", jlook},
            {"provenance", prov_json(c.prov)}};
}

void show_country(const model::Dataset& d, const model::Country& c, json* out) {
  json jf = json::array(), jc = json::array();
  if (!out) {
    fmt::print("country {} — {}\n", c.code, c.name);
    row("region", c.region);
    row("source", prov_text(c.prov));
    fmt::print("  facilities located here:\n");
  }
  for (const auto& f : d.facilities)
    if (f.country == c.code) {
      if (out)
        jf.push_back({{"facility", f.id}, {"capacity", f.capacity}, {"unit", unit_of(d, f.output)}});
      else
        fmt::print("    {:<28} {:>10.6g} {}/yr ({}, {})\n", f.id, f.capacity, unit_of(d, f.output),
                   f.stage, model::to_string(f.status));
    }
  // Output (reported for the dataset year) and capacity of the operating facilities located here,
  // by owner nationality: after look-through (ultimate owners) and directly.
  struct Sums {
    double output = 0, capacity = 0, effective = 0;
  };
  std::map<std::string, std::string> stage_unit;
  std::map<std::string, std::map<std::string, Sums>> ultimate, direct;  // stage -> owner country -> sums
  std::map<std::string, Sums> total;
  for (const auto& f : d.facilities) {
    if (f.country != c.code || f.status != model::FacilityStatus::Operating) continue;
    const std::string st = f.stage;
    stage_unit[st] = unit_of(d, f.output);
    const double o = f.reported_output.value_or(0.0);
    total[st].output += o;
    total[st].capacity += f.capacity;
    total[st].effective += f.effective_capacity();
    const auto own = analytics::facility_owners(d, f);
    for (auto [dst, shares] : {std::pair{&ultimate, &own.ultimate_countries}, std::pair{&direct, &own.direct_countries}})
      for (const auto& s : *shares) {
        auto& x = (*dst)[st][s.key];
        x.output += o * s.share;
        x.capacity += f.capacity * s.share;
        x.effective += f.effective_capacity() * s.share;
      }
  }
  json jown = json::object();
  if (!out && !total.empty())
    fmt::print("  output {} (reported) and capacity of operating facilities, by owner nationality after look-through "
               "[direct owners]:\n", d.settings.year);
  for (const auto& [st, t] : total) {
    const std::string& u = stage_unit[st];
    if (!out)
      fmt::print("    {} ({}): output {:.6g}, capacity {:.6g} (available in {}: {:.6g})\n", st, u, t.output, t.capacity,
                 d.settings.year, t.effective);
    std::vector<std::pair<std::string, Sums>> rows(ultimate[st].begin(), ultimate[st].end());
    std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.second.capacity > b.second.capacity; });
    json js = json::object();
    for (const auto& [k, x] : rows) {
      const Sums dx = direct[st].count(k) ? direct[st][k] : Sums{};
      auto pct = [](double a, double b) { return b > 0 ? 100.0 * a / b : 0.0; };
      if (out)
        js[k] = {{"output", x.output}, {"output_share", pct(x.output, t.output) / 100},
                 {"capacity", x.capacity}, {"capacity_share", pct(x.capacity, t.capacity) / 100},
                 {"direct_output", dx.output}, {"direct_capacity", dx.capacity}};
      else
        fmt::print("      {:<13} output {:>10.6g} ({:>5.1f} %)  capacity {:>10.6g} ({:>5.1f} %)  [direct: output {:.1f} %, "
                   "capacity {:.1f} %]\n",
                   k, x.output, pct(x.output, t.output), x.capacity, pct(x.capacity, t.capacity), pct(dx.output, t.output),
                   pct(dx.capacity, t.capacity));
    }
    if (out)
      jown[st] = {{"unit", u}, {"output", t.output}, {"capacity", t.capacity}, {"available_capacity", t.effective},
                  {"by_ultimate_owner_country", js}};
  }
  if (!out) fmt::print("  companies headquartered here:\n");
  for (const auto& co : d.companies)
    if (co.hq_country == c.code) {
      if (out)
        jc.push_back(co.id);
      else
        fmt::print("    {} — {}\n", co.id, co.name);
    }
  if (out)
    *out = {{"kind", "country"}, {"code", c.code}, {"name", c.name}, {"region", c.region},
            {"facilities", jf}, {"companies", jc}, {"year", d.settings.year}, {"by_owner_country", jown},
            {"provenance", prov_json(c.prov)}};
}

void show_product(const model::Dataset& d, const model::Product& p, json* out) {
  double cap = 0;
  int n = 0;
  json jd = json::array();
  for (const auto& f : d.facilities)
    if (f.output == p.id) cap += f.capacity, ++n;
  if (!out) {
    fmt::print("product {} — {}\n", p.id, p.name);
    row("unit", p.unit);
    row("stage", p.stage);
    row("capacity", fmt::format("{:.6g} {}/yr at {} facilities (all statuses)", cap, p.unit, n));
    row("source", prov_text(p.prov));
    fmt::print("  demand:\n");
  }
  for (const auto& m : d.demands)
    if (m.product == p.id) {
      if (out)
        jd.push_back({{"region", m.region}, {"quantity", m.quantity}, {"unit", p.unit}, {"provenance", prov_json(m.prov)}});
      else
        fmt::print("    {:<6} {:>10.6g} {}/yr  ({})\n", m.region, m.quantity, p.unit, prov_text(m.prov));
    }
  if (out)
    *out = {{"kind", "product"}, {"id", p.id}, {"name", p.name}, {"unit", p.unit},
            {"stage", p.stage}, {"capacity", cap}, {"facilities", n},
            {"demand", jd}, {"provenance", prov_json(p.prov)}};
}

void show_region(const model::Dataset& d, const model::Region& r, json* out) {
  json jc = json::array();
  for (const auto& c : d.countries)
    if (c.region == r.id) jc.push_back(c.code);
  if (out) {
    *out = {{"kind", "region"}, {"id", r.id}, {"name", r.name}, {"countries", jc}, {"provenance", prov_json(r.prov)}};
    return;
  }
  fmt::print("region {} — {}\n", r.id, r.name);
  std::string cs;
  for (const auto& c : jc) cs += (cs.empty() ? "" : ", ") + c.get<std::string>();
  row("countries", cs);
  row("source", prov_text(r.prov));
}

}  // namespace

void add_data_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("data", "Inspect the built-in datasets");
  cmd->require_subcommand(1);

  auto list_json = std::make_shared<bool>(false);
  auto* list = cmd->add_subcommand("list", "Built-in datasets and their tables with row counts, and the fiscal regimes");
  list->add_flag("--json", *list_json, "print JSON");
  list->callback([&exit_code, list_json] {
    // No data folder (an install without its share/ folder, a wrong CADENA_DATA_DIR) is an
    // error, not an empty list.
    const auto where = locate_data_dir();
    const auto names = io::builtin_names();
    if (names.empty()) {
      std::error_code ec;
      const bool exists = std::filesystem::is_directory(where.path, ec);
      exit_code = report_error(make_error(
          ErrorCategory::Missing,
          fmt::format("the built-in data folder (found through {}) {}; expected a folder holding <dataset>/dataset.toml "
                      "and fiscal/: set CADENA_DATA_DIR to one, or reinstall cadena",
                      where.origin, exists ? "holds no dataset" : "does not exist"),
          {where.path.string(), 0, "", ""}));
      return;
    }
    json all = json::array();
    if (!*list_json) fmt::print("built-in data: {} ({})\n", where.path.string(), where.origin);
    for (const std::string& name : names) {
      auto d = io::load_builtin(name);
      if (!d) {
        exit_code = report_error(d.error());
        return;
      }
      json tables = json::array();
      if (!*list_json) fmt::print("{} — {}\n", d->name, d->description);
      for (const auto& t : io::table_summary(*d)) {
        if (*list_json)
          tables.push_back({{"table", t.table}, {"file", t.file}, {"rows", t.rows}});
        else
          fmt::print("  {:<12}{:<28}{:>6} rows\n", t.table, t.file, t.rows);
      }
      all.push_back({{"kind", "dataset"}, {"name", name}, {"description", d->description}, {"year", d->settings.year}, {"tables", tables}});
    }
    for (auto& r : regime_listing(!*list_json)) all.push_back(std::move(r));
    if (*list_json) fmt::print("{}\n", all.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  });

  struct ShowArgs {
    std::string id, dataset_dir;
    bool json = false;
  };
  auto args = std::make_shared<ShowArgs>();
  auto* show = cmd->add_subcommand("show", "Every field of a facility, company, country, region, product or fiscal regime");
  show->add_option("ID", args->id, "a facility, company, product, region or fiscal regime id, or a country code")->required();
  show->add_option("--dataset", args->dataset_dir, "a dataset folder instead of the built-in lithium-2024");
  show->add_flag("--json", args->json, "print JSON");
  show->callback([&exit_code, args] {
    const std::string& id = args->id;
    const bool show_json = args->json;
    auto d = args->dataset_dir.empty() ? io::load_builtin() : io::load_dataset(args->dataset_dir);
    if (!d) {
      exit_code = report_error(d.error());
      return;
    }
    // An id may name several kinds (a country and a region share CN): show each.
    json found = json::array();
    auto emit = [&](auto&& fn, const auto& rec) {
      if (show_json) {
        json j;
        fn(*d, rec, &j);
        found.push_back(j);
      } else {
        if (!found.empty()) fmt::print("\n");
        fn(*d, rec, nullptr);
        found.push_back(nullptr);
      }
    };
    if (auto* f = d->find_facility(id)) emit(show_facility, *f);
    if (auto* c = d->find_company(id)) emit(show_company, *c);
    if (auto* c = d->find_country(id)) emit(show_country, *c);
    if (auto* r = d->find_region(id)) emit(show_region, *r);
    if (auto* p = d->find_product(id)) emit(show_product, *p);
    if (auto regime = show_regime(id, false)) {
      if (!*regime) {
        exit_code = report_error(regime->error());
        return;
      }
      if (!show_json) {
        if (!found.empty()) fmt::print("\n");
        (void)show_regime(id, true);
      }
      found.push_back(show_json ? regime->value() : nlohmann::json(nullptr));
    }
    if (found.empty()) {
      exit_code = report_error(make_error(
          ErrorCategory::Reference,
          fmt::format("no facility, company, country, region or product has this id in dataset '{}', and no fiscal "
                      "regime; `cadena data list` shows the tables and the regimes",
                      d->name),
          {"", 0, "ID", id}));
      return;
    }
    if (show_json) fmt::print("{}\n", found.size() == 1 ? found[0].dump(2, ' ', false, nlohmann::json::error_handler_t::replace) : found.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  });
}

}  // namespace cadena::cli
