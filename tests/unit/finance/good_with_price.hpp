#pragma once
// tests/fixtures/finance/good.toml (10 production years) with its [price] table replaced; the
// replacement starts on line 12. For the store-deck tests.
#include <gtest/gtest.h>

#include <string>

#include "../../integration/cli_run.hpp"

namespace cadena::finance::testing {

inline std::string good_with_price(const std::string& price_table) {
  std::string text = test::read_file(std::string(CADENA_FIXTURES_DIR) + "/finance/good.toml");
  const std::string flat = "[price]\ndeck = \"flat\"\nusd_per_t = 15000\n";
  const auto at = text.find(flat);
  EXPECT_NE(at, std::string::npos);
  return text.replace(at, flat.size(), price_table);
}

}  // namespace cadena::finance::testing
