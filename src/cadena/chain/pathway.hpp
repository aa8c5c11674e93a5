#pragma once
// Pathways: the chain LP over a list of years, with capacity that is built, ramps up and retires,
// resources that deplete in tranches, demand that follows a path and end-of-life material that is
// collected and recycled (docs/formulation.md, "Pathways"; one builder function per family, same
// names there). The per-year blocks are the chain's own (chain::Network with periods); the
// families here span the periods and are added after the blocks, through
// Network::column_in_period / row_in_period.
//
// Perfect foresight builds one LP over every period. Myopic builds one LP per period, each with
// what the earlier ones built and extracted carried in (PathwayState). The same builders write
// both: a window of periods and a state.
#include <map>
#include <string>
#include <vector>

#include "cadena/chain/network.hpp"
#include "cadena/core/error.hpp"
#include "cadena/model/dataset.hpp"
#include "cadena/model/pathway.hpp"

namespace cadena::chain {

struct PathwayOptions {
  std::vector<int> years;      // strictly increasing; the first must be the dataset year
  double discount_rate = 0.07;  // real, per year
  std::string demand_path;     // one of PathwayData::path_names(); "" = demand held at the dataset year
  bool mip = false;            // binary build decisions for lumpy projects and options with a minimum size
  double cost_scale = 1e-6;
};

// How a facility of the expanded dataset gets its capacity over the years.
enum class AssetKind {
  Existing,   // operating: nameplate until its retirement year
  Committed,  // under construction: online from its start year, ramping up, no decision
  Project,    // planned, announced or suspended with a projects.csv row: the LP decides whether and when
  Option,     // a generic expansion option for one owner nationality: the LP decides how much and when
  Inactive,   // never produces after the dataset year (no pathway data to build it)
};
const char* to_string(AssetKind k);

struct Asset {
  AssetKind kind = AssetKind::Inactive;
  double nameplate = 0.0;     // units per year (an option: 1, its builds are in capacity units)
  int online_year = 0;        // Committed: first year of output; Project/Option: earliest first year
  int retire_year = 0;        // first year without output (0 = none within the horizon)
  int life_years = 0;         // years a build produces (0 = to the end of the horizon)
  std::vector<double> ramp;   // share of nameplate in the 1st, 2nd, ... year of output
  double capex_usd_per_unit = 0.0, fom_usd_per_unit = 0.0;
  int lead_time_years = 0;
  bool binary = false;        // --mip: a Project is built whole; an Option at least min_size at once
  double min_size = 0.0, max_build_per_year = 0.0;
  int option = -1;            // index into PathwayData::options (shared build limit)
  int deposit = -1;           // index into Pathway::deposits()
  // Capacity share (0..1) of nameplate in year `year` of a build first producing in `online`.
  double ramp_share(int online, int year) const;
};

struct Deposit {
  std::string id, unit;
  std::vector<double> quantity, extra_cost_usd;  // per tranche, in order
  std::vector<std::string> category;
  std::vector<std::size_t> assets;                // facilities of the expanded dataset drawing on it
};

// What a myopic step carries into the next.
struct PathwayState {
  std::vector<std::vector<std::pair<int, double>>> built;  // per asset: (first year of output, capacity)
  std::vector<std::vector<double>> extracted;              // per deposit, per tranche: units extracted so far
};

// Capacity that came online (a build, or a committed project) in a year.
struct BuildRecord {
  int year = 0;           // first year of output
  int decision_year = 0;  // year minus lead time
  std::string asset;      // facility id (an option: <option>@<owner country>)
  std::string option;     // the option id; "" for a dataset facility
  std::string kind;       // project | committed | option
  std::string stage, country, product, unit;
  double capacity = 0.0;  // units of output per year at full ramp-up
  double capex_usd = 0.0;
  // Owner nationality -> equity share (rest: unattributed) in the year the build comes online:
  // direct (stakes.csv rows in force, else the owners column; companies' hq_country) and after
  // look-through to the ultimate owners (model/ownership.hpp). An option's owners are its
  // nationality's investors, the same both ways.
  std::vector<std::pair<std::string, double>> owners;
  std::vector<std::pair<std::string, double>> owners_lookthrough;
};

struct RetirementRecord {
  int year = 0;  // first year without output
  std::string asset, stage, country, product, unit;
  double capacity = 0.0;
};

// One LP: a window of periods of a prepared Pathway.
class PathwayNetwork {
 public:
  const lp::Model& lp() const { return m_net.lp(); }
  lp::Model& lp() { return m_net.lp(); }
  const Network& network() const { return m_net; }
  int first_period() const { return m_first; }
  int num_periods() const { return m_net.num_periods(); }

  struct Result {
    std::vector<ChainResult> periods;  // per window period, USD of its year
    std::vector<BuildRecord> builds;   // builds the LP decided (committed capacity: Pathway::committed())
    // Per window period: per deposit and tranche, units extracted per year.
    std::vector<std::vector<std::vector<double>>> extraction;
    // Per window period: per region, end-of-life feed used per year (contained units).
    std::vector<std::map<std::string, double>> feed_used;
    // Per window period: extra cost of the tranches extracted, USD per year of that period.
    std::vector<double> depletion_usd;
  };
  // Values below tolerance count as zero.
  Result extract(const lp::Solution& solution, double tolerance = 1e-6) const;

 private:
  friend class Pathway;
  friend struct PathwayBuilder;
  explicit PathwayNetwork(Network n) : m_net(std::move(n)) {}
  Network m_net;
  int m_first = 0;
  struct BuildCol {
    std::size_t asset;
    int period;  // global period index
    int col;
  };
  std::vector<BuildCol> m_builds;
  struct TrancheCol {
    std::size_t deposit, tranche;
    int period;
    int col;
  };
  std::vector<TrancheCol> m_tranches;
  struct SupplyCol {
    std::string region;
    int period;
    int col;
  };
  std::vector<SupplyCol> m_supply;
  // Capacity of a Project or Option asset in a window period: carried + sum coef x build.
  struct CapacityTerms {
    std::size_t asset;
    int k;  // window period
    double carried;
    std::vector<std::pair<int, double>> terms;  // (build column, coefficient)
  };
  std::vector<CapacityTerms> m_capacity;
  const class Pathway* m_pathway = nullptr;  // the Pathway that built it; must outlive it
};

class Pathway {
 public:
  // Expands the dataset (options as facilities, production scrap as by-products), evaluates the
  // demand path and the end-of-life feed, and classifies every facility. Errors: years not
  // starting at the dataset year or out of order (Value, key "years"), an unknown demand path
  // (Reference, key "demand_path"), anything model::validate_pathway finds.
  static Result<Pathway> prepare(const model::Dataset& dataset, const model::PathwayData& data,
                                 const PathwayOptions& options);

  // The LP of periods [first, first + count) with `state` carried in. Perfect foresight: every
  // period, initial_state().
  Result<PathwayNetwork> build(int first, int count, const PathwayState& state) const;
  PathwayState initial_state() const;
  // The state after a window's result: its builds and extraction added.
  void advance(PathwayState& state, const PathwayNetwork::Result& result, int first) const;

  const model::Dataset& dataset() const { return m_data; }  // expanded
  const model::PathwayData& data() const { return m_path; }
  const PathwayOptions& options() const { return m_opt; }
  const model::PathSeries& series() const { return m_series; }
  const std::vector<int>& years() const { return m_opt.years; }
  double weight(int k) const { return m_weights[static_cast<std::size_t>(k)]; }            // years it stands for
  double cost_weight(int k) const { return m_cost_weights[static_cast<std::size_t>(k)]; }  // discounted years
  const std::vector<Asset>& assets() const { return m_assets; }
  const std::vector<Deposit>& deposits() const { return m_deposits; }
  // Capacity committed outside the LP's decisions (projects under construction), as builds.
  const std::vector<BuildRecord>& committed() const { return m_committed; }
  // Dataset facilities reaching their retirement year within the horizon.
  std::vector<RetirementRecord> retirements() const;
  // End of life per region and period (contained units per year), before and after collection.
  double end_of_life(const std::string& region, int k) const;
  double feed_available(const std::string& region, int k) const;
  // Capital recovery factor of the discount rate over `life` years.
  double annuity_factor(int life_years) const;
  // Yearly capital charge plus fixed O&M per unit of a build of asset i (USD per unit per year).
  double yearly_charge_usd(std::size_t asset) const;
  // Whether a build of asset i first producing in `online` still produces in `year`.
  bool alive(std::size_t asset, int online, int year) const;
  // Notes for the user: facilities without the data to be built, and the like.
  const std::vector<std::string>& notes() const { return m_notes; }

 private:
  friend struct PathwayBuilder;
  model::Dataset m_data;
  model::PathwayData m_path;
  PathwayOptions m_opt;
  model::PathSeries m_series;
  std::vector<double> m_weights, m_cost_weights;
  std::vector<Asset> m_assets;
  std::vector<Deposit> m_deposits;
  std::vector<BuildRecord> m_committed;
  std::map<std::string, std::vector<double>> m_eol, m_feed;  // region -> per period
  std::vector<std::string> m_notes;
};

// Default life of a build (years) when the data gives none.
inline constexpr int kDefaultLifeYears = 25;

}  // namespace cadena::chain
