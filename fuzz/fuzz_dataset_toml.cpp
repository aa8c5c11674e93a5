// Fuzz target: dataset.toml (io/dataset_io.cpp, the settings of io/tables.cpp). The input is the
// manifest of a folder holding the tiny fixture's tables.
#include <cstdint>
#include <string_view>

#include "cadena/io/dataset_io.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cadena;
  namespace fs = std::filesystem;
  static const fs::path dir = [] {
    const fs::path d = fuzz::scratch() / "dataset";
    fs::create_directories(d);
    for (const auto& e : fs::directory_iterator(fuzz::fixtures() / "datasets" / "tiny"))
      if (e.path().extension() == ".csv") fs::copy_file(e.path(), d / e.path().filename(), fs::copy_options::overwrite_existing);
    return d;
  }();
  fuzz::write_file(dir / "dataset.toml", std::string_view(reinterpret_cast<const char*>(data), size));
  fuzz::ok_or_checked(io::load_dataset(dir));
  return 0;
}
