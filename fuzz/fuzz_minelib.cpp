// Fuzz target: MineLib files (pit/readers.cpp, read_minelib): the input is the .upit, .blocks and
// .prec texts separated by lines "-----". A model that reads is solved (pseudoflow) and its pit
// checked closed: a wrong pit ends the run like a crash.
#include <cstdint>
#include <string_view>

#include "cadena/pit/model.hpp"
#include "pit_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cadena;
  fuzz::limit_memory();
  const auto parts = fuzz::split_parts(std::string_view(reinterpret_cast<const char*>(data), size), 3);
  const auto prefix = fuzz::scratch() / "m";
  fuzz::write_file(prefix.string() + ".upit", parts[0]);
  fuzz::write_file(prefix.string() + ".blocks", parts[1]);
  fuzz::write_file(prefix.string() + ".prec", parts[2]);
  auto m = pit::load_minelib(prefix.string(), 0.0);
  if (!fuzz::ok_or_checked(m)) return 0;
  fuzz::solve_and_check_closed(*m);
  return 0;
}
