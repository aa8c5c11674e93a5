// Fuzz target: fiscal regime files (finance/load.cpp, load_regime): the input is data/fiscal/fuzz.toml
// of a data folder that also holds the real regimes, so a `base = "..."` chain resolves.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cadena/finance/load.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cadena;
  namespace fs = std::filesystem;
  static const fs::path fiscal = [] {
    const fs::path d = fuzz::scratch() / "data" / "fiscal";
    fs::create_directories(d);
    for (const auto& e : fs::directory_iterator(fs::path(CADENA_SOURCE_DIR) / "data" / "fiscal"))
      if (e.path().extension() == ".toml") fs::copy_file(e.path(), d / e.path().filename(), fs::copy_options::overwrite_existing);
    ::setenv("CADENA_DATA_DIR", (fuzz::scratch() / "data").c_str(), 1);
    return d;
  }();
  fuzz::write_file(fiscal / "fuzz.toml", std::string_view(reinterpret_cast<const char*>(data), size));
  fuzz::ok_or_checked(finance::load_regime("fuzz"));
  return 0;
}
