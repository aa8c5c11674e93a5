#pragma once
// Reading project files and fiscal regimes (TOML). Every error names the file, the line and
// the key, and says what was expected. Format: docs/finance.md, "Project file".
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cadena/core/error.hpp"
#include "cadena/finance/model.hpp"
#include "cadena/finance/montecarlo.hpp"

namespace cadena::finance {

// A price deck read from a results store (`deck = "store"`): the marginal price of `product`
// in `region` in one stored `cadena run`. Finance depends on core only, so it does not read
// the store itself: it parses the keys and asks a PriceSource, which the front end builds on
// report::ResultsStore (apps/cli/cmd_project.cpp). The price is flat over production.
struct StoreDeck {
  std::string db;       // the store's path, resolved against the project file's folder
  std::string run;      // a run id ("3") or a scenario name (its latest run)
  std::string product;  // a product id of the run (e.g. "li2co3")
  std::string region;   // a demand region, or a country for a market (balance) price
};

struct SourcedPrice {
  double usd_per_unit = 0.0;
  std::string unit;   // the product's unit in the run; the deck needs tonnes ("t", "t LCE", ...)
  std::string label;  // where it came from, for messages ("run 3 (baseline)")
};

// Returns the price or an error whose context key is the deck key at fault ("db", "run",
// "product" or "region"); the loader adds the project file, its line and the "price." prefix.
using PriceSource = std::function<Result<SourcedPrice>(const StoreDeck&)>;

// Figures a study published, kept beside the inputs so a test can compare (examples/projects/).
struct Published {
  std::string source;
  double npv_after_tax_musd = kNaN, irr_after_tax = kNaN;
  double npv_pre_tax_musd = kNaN, irr_pre_tax = kNaN;
  double payback_years = kNaN;  // from start of production
  double npv_equity_musd = kNaN, irr_equity = kNaN;  // after financing (a leveraged case)
  bool reproduced = true;       // false: a documented gap, kept out of the tolerance test
  std::string note;
};

struct ProjectFile {
  std::string path;
  Project project;
  std::string regime_id;
  // The [fiscal.override] entries as "dotted.key = value", in file order: the regime printed is
  // the file's regime with these changes.
  std::vector<std::string> regime_overrides;
  std::optional<MonteCarloSpec> montecarlo;
  std::optional<Published> published;
  std::optional<StoreDeck> store_deck;  // set when the deck came from a results store
  std::string deck_label;               // that deck's source ("run 3 (baseline)")
};

// `prices` answers a `deck = "store"`; without one such a deck is an error naming the key.
Result<ProjectFile> load_project(const std::string& path, const PriceSource& prices = {});
Result<ProjectFile> parse_project(const std::string& text, const std::string& path,  // path for messages and relative files
                                  const PriceSource& prices = {});

// A regime by id (cadena::data_dir()/fiscal/<id>.toml, core/data_dir.hpp), without project overrides.
Result<FiscalRegime> load_regime(const std::string& id);
// The ids of the regimes in cadena::data_dir()/fiscal, sorted.
std::vector<std::string> regime_ids();
// What a TOML file holds for finance: "project" (a [project] table), "regime" (a [regime]
// table), or "" (neither). Syntax errors are returned with the file and line.
Result<std::string> finance_file_kind(const std::string& path);
// A regime file by path (`cadena validate`); a `base` it names still comes from data_dir()/fiscal.
Result<FiscalRegime> load_regime_file(const std::string& path);

}  // namespace cadena::finance
