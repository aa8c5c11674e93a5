// Fuzz target: raw block values (pit/readers.cpp, read_values_file) on a slope grid, and with an
// explicit precedence file (read_precedence_file). The first bytes set the grid (1..8 per axis),
// the slope and the benches; then the values file, and after a line "-----" a precedence file.
// A model that reads is solved and its pit checked closed.
#include <cstdint>
#include <string_view>

#include "cadena/pit/model.hpp"
#include "pit_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cadena;
  fuzz::limit_memory();
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const int nx = 1 + fuzz::take_byte(in) % 8, ny = 1 + fuzz::take_byte(in) % 8, nz = 1 + fuzz::take_byte(in) % 8;
  pit::SlopeSpec slope;
  slope.angles_deg = {fuzz::pick(in, {45, 38, 55, 60, 5, 85, 4.9, 85.1, 0, 90})};  // some out of range
  slope.benches = static_cast<int>(fuzz::pick(in, {1, 2, 3, 9, 0, 65}));
  const auto parts = fuzz::split_parts(in, 2);
  const auto values = fuzz::scratch() / "v.dat", prec = fuzz::scratch() / "v.prec";
  fuzz::write_file(values, parts[0]);
  auto m = pit::load_values_grid(values.string(), nx, ny, nz, slope);
  if (fuzz::ok_or_checked(m)) fuzz::solve_and_check_closed(*m);
  if (!parts[1].empty()) {
    fuzz::write_file(prec, parts[1]);
    auto e = pit::load_values_prec(values.string(), prec.string());
    if (fuzz::ok_or_checked(e)) fuzz::solve_and_check_closed(*e);
  }
  return 0;
}
