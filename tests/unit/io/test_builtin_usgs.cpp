// The built-in dataset against its reference statistics: 2024 mine output by country (the
// facilities' output_2024, in t LCE) must match USGS MCS 2025 (t Li, converted with the dataset's
// declared unit conversion) within the tolerance that
// docs/data-sources.md ("USGS calibration") argues for: ±15 % for every USGS producer, and
// -25 % / +15 % for Argentina, whose producers report less than the USGS estimate.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "cadena/io/dataset_io.hpp"

using namespace cadena;

namespace {

std::map<std::string, double> mine_output_t_lce(const model::Dataset& d) {
  std::map<std::string, double> out;
  for (const auto& f : d.facilities) {
    if (f.stage != "mining" || !f.reported_output) continue;
    out[f.country] += *f.reported_output;
  }
  return out;
}

// The USGS mine-output rows by country (world rows "*" left out), in t LCE.
std::map<std::string, double> usgs_t_lce(const model::Dataset& d) {
  std::map<std::string, double> out;
  for (const auto& ref : d.reference) {
    if (ref.metric != "output" || ref.key != "mining" || ref.year != 2024 || ref.country == "*") continue;
    if (ref.prov.source.find("USGS") == std::string::npos) continue;
    out[ref.country] = ref.value * d.contained_per_unit(ref.unit).value();
  }
  return out;
}

}  // namespace

TEST(BuiltinDataset, MineOutputByCountryMatchesUsgs) {
  auto d = io::load_builtin("lithium-2024");
  ASSERT_TRUE(d.ok()) << d.error().format();
  const auto by_country = mine_output_t_lce(*d);

  int checked = 0;
  for (const auto& [country, usgs] : usgs_t_lce(*d)) {
    SCOPED_TRACE(country);
    auto it = by_country.find(country);
    ASSERT_NE(it, by_country.end()) << "no mine with output_2024 in " << country;
    const double rel = it->second / usgs - 1.0;
    const double low = country == "AR" ? -0.25 : -0.15;
    EXPECT_GE(rel, low) << it->second << " t LCE against USGS " << usgs;
    EXPECT_LE(rel, 0.15) << it->second << " t LCE against USGS " << usgs;
    ++checked;
  }
  // Every country of the USGS MCS 2025 production table with a published 2024 figure.
  EXPECT_GE(checked, 9);
}

TEST(BuiltinDataset, CoversEveryUsgsProducerAndTheWorldTotal) {
  auto d = io::load_builtin("lithium-2024");
  ASSERT_TRUE(d.ok()) << d.error().format();
  const std::set<std::string> usgs = {"AU", "CL", "CN", "ZW", "AR", "BR", "CA", "NA", "PT", "US"};
  for (const auto& c : usgs) EXPECT_NE(d->find_country(c), nullptr) << c;

  double total = 0.0, usgs_total = 0.0;
  const auto by_country = mine_output_t_lce(*d);
  for (const auto& [country, usgs] : usgs_t_lce(*d)) {
    usgs_total += usgs;
    if (auto it = by_country.find(country); it != by_country.end()) total += it->second;
  }
  // The listed producers hold 235,380 of USGS's 240,000 t Li (world excluding the US); country
  // errors may offset, but the sum must still land within 5 %.
  EXPECT_GT(usgs_total, 0.95 * 240000.0 * 5.323);
  EXPECT_NEAR(total / usgs_total, 1.0, 0.05);
}

TEST(BuiltinDataset, EveryRowCarriesASource) {
  auto d = io::load_builtin("lithium-2024");
  ASSERT_TRUE(d.ok()) << d.error().format();
  for (const auto& f : d->facilities) EXPECT_FALSE(f.prov.source.empty()) << f.id;
  for (const auto& c : d->companies) EXPECT_FALSE(c.prov.source.empty()) << c.id;
  for (const auto& r : d->routes) EXPECT_FALSE(r.prov.source.empty()) << r.from << "-" << r.to;
  for (const auto& p : d->policies) EXPECT_FALSE(p.prov.source.empty()) << p.product;
  for (const auto& x : d->demands) EXPECT_FALSE(x.prov.source.empty()) << x.region << " " << x.product;
}
