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
// report::ResultsStore (apps/cli/cmd_project.cpp). A single-year run gives one price, flat over
// production; a pathway run (`cadena run --years`) gives a price by year, which becomes the
// deck by production year (store_price_path).
struct StoreDeck {
  std::string db;       // the store's path, resolved against the project file's folder
  std::string run;      // a run id ("3"), a scenario name (its latest run), or "latest-pathway"
  std::string product;  // a product id of the run (e.g. "li2co3")
  std::string region;   // a demand region, or a country for a market (balance) price
  int first_year = 0;   // calendar year of production year 1 (price.first_year or the dated
                        // timeline); 0 = not given. Given explicitly, the run must have years.
  bool years_required = false;  // price.first_year was written: a single-year run is an error
  bool step = false;            // price.between_years = "step": a solved year's price holds until the next
};

struct YearPrice {
  int year = 0;
  double usd_per_unit = 0.0;
};

struct SourcedPrice {
  double usd_per_unit = 0.0;
  std::string unit;   // the product's unit in the run; the deck needs tonnes ("t", "t LCE", ...)
  std::string label;  // where it came from, for messages ("run 3 (baseline)")
  std::vector<YearPrice> by_year;  // a pathway run: its price in each solved year (ascending); empty otherwise
};

// The deck by production year from a pathway's prices by year: production year y (1..P) is priced
// at calendar year first_year + y - 1; between two solved years the price is interpolated linearly
// in the year (or, with `step`, the earlier year's price holds: each solved year standing for the
// years up to the next, as the pathway's period weights read it); before the first solved year it
// is the first year's price, after the last (the pathway's horizon) the last year's. `steps`
// ascending and non-empty.
std::vector<double> store_price_path(const std::vector<YearPrice>& steps, int first_year, int production_years,
                                     bool step = false);

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
  std::vector<YearPrice> deck_years;    // a pathway run's prices by year, as the store gave them
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
