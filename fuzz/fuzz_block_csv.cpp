// Fuzz target: priced block CSV (pit/readers.cpp, read_block_csv, and the slope check of
// pit/precedence.cpp). The first bytes pick the economics and block sizes from lists that include
// out-of-range values (negative, zero, NaN, infinite); the rest is the CSV. A model that reads is
// solved and its pit checked closed.
#include <cstdint>
#include <limits>
#include <string_view>

#include "cadena/pit/model.hpp"
#include "pit_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cadena;
  fuzz::limit_memory();
  constexpr double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  pit::Economics e;
  e.price = fuzz::pick(in, {1000, 0, -1, 1e12, inf, nan, 12000});
  e.recovery = fuzz::pick(in, {0.9, 1, 0, 1.5, -0.1, nan});
  e.mining_cost = fuzz::pick(in, {2, 0, -2, 1e7, inf});
  e.processing_cost = fuzz::pick(in, {10, 0, -1, nan});
  e.royalty = fuzz::pick(in, {0.03, 0, 1, -0.5});
  e.block_volume = fuzz::pick(in, {1000, 1, 0, -1, nan, 1e300});
  e.value_scale = fuzz::pick(in, {1, 100, 0, -1, nan, 1e12});
  const double size_choice = fuzz::pick(in, {10, 1, 0.5, 0, -10, nan, 1e-300, 1e300});
  e.block_x = e.block_y = size_choice;
  e.block_z = fuzz::pick(in, {10, 5, 1, 0, -1});
  pit::SlopeSpec slope;
  slope.angles_deg = {fuzz::pick(in, {45, 38, 60, 5, 85, 1, 0.1, 1e-300, 0, 90, -45, nan})};
  slope.benches = static_cast<int>(fuzz::pick(in, {1, 2, 5, 9, 0, 65}));
  slope.block_x = e.block_x;
  slope.block_y = e.block_y;
  slope.block_z = e.block_z;
  const auto csv = fuzz::scratch() / "b.csv";
  fuzz::write_file(csv, in);
  auto m = pit::load_block_csv(csv.string(), e, slope, "");
  if (!fuzz::ok_or_checked(m)) return 0;
  fuzz::solve_and_check_closed(*m);
  return 0;
}
