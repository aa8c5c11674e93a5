// Fuzz target: the dataset tables (io/csv.cpp, io/tables.cpp). The first byte picks the table,
// the rest is its CSV text, read into the tiny fixture dataset (tests/fixtures/datasets/tiny)
// in place of that table, then validated as load_dataset would.
#include <cstdint>
#include <string_view>

#include "cadena/io/dataset_io.hpp"
#include "fuzz_util.hpp"

namespace {

const cadena::model::Dataset& base() {
  static const cadena::model::Dataset d = [] {
    auto r = cadena::io::load_dataset(cadena::fuzz::fixtures() / "datasets" / "tiny");
    cadena::fuzz::setup_or_die(r, "the tiny fixture must load");
    return std::move(*r);
  }();
  return d;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cadena;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  static constexpr const char* kTables[] = {"regions",  "countries", "companies", "products", "facilities",
                                            "routes", "policies",  "demand",    "reference"};
  const std::string table = kTables[fuzz::take_byte(in) % std::size(kTables)];
  model::Dataset d = base();
  // The table is replaced, as if its file held these bytes.
  if (table == "regions") d.regions.clear();
  if (table == "countries") d.countries.clear();
  if (table == "companies") d.companies.clear();
  if (table == "products") d.products.clear();
  if (table == "facilities") d.facilities.clear();
  if (table == "routes") d.routes.clear();
  if (table == "policies") d.policies.clear();
  if (table == "demand") d.demands.clear();
  if (table == "reference") d.reference.clear();
  if (fuzz::ok_or_checked(io::read_table_text(table, in, table + ".csv", d))) fuzz::ok_or_checked(model::validate(d));
  return 0;
}
