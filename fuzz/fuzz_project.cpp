// Fuzz target: project files (finance/load.cpp, parse_project) with the fiscal regimes of data/fiscal,
// a price deck file (the part after a line "-----", as prices.csv beside the project) and a store
// deck answered by a stub, then the cash-flow evaluation of what was read.
#include <cstdint>
#include <string>
#include <string_view>

#include "cadena/finance/load.hpp"
#include "cadena/finance/model.hpp"
#include "fuzz_util.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace cadena;
  // The project file, then after a line "-----" the price deck CSV it may name as "prices.csv".
  const auto parts = fuzz::split_parts(std::string_view(reinterpret_cast<const char*>(data), size), 2);
  const std::string text(parts[0]);
  fuzz::write_file(fuzz::scratch() / "prices.csv", parts[1]);
  finance::PriceSource prices = [](const finance::StoreDeck& d) -> Result<finance::SourcedPrice> {
    if (d.run == "1") return finance::SourcedPrice{12000.0, "t LCE", "run 1 (stub)", {}};
    return make_error(ErrorCategory::Reference, "no such run (stub)", {"", 0, "run", ""});
  };
  auto p = finance::parse_project(text, (fuzz::scratch() / "project.toml").string(), prices);
  if (!fuzz::ok_or_checked(p)) return 0;
  (void)finance::evaluate(p->project);
  return 0;
}
