#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "cadena/core/split.hpp"
#include "cadena/core/text.hpp"

namespace cadena {
namespace {

using V = std::vector<std::string_view>;

TEST(Split, KeepsEmptyPiecesAndTheEnds) {
  EXPECT_EQ(split("a.b.c", '.'), (V{"a", "b", "c"}));
  EXPECT_EQ(split("a..b", '.'), (V{"a", "", "b"}));
  EXPECT_EQ(split(".a.", '.'), (V{"", "a", ""}));
  EXPECT_EQ(split("", ':'), (V{""}));
  EXPECT_EQ(split("2024:2050:5", ':'), (V{"2024", "2050", "5"}));
  EXPECT_EQ(split("no separator", ','), (V{"no separator"}));
}

TEST(Echo, CutsLongValuesAndEscapesControlBytes) {
  EXPECT_EQ(echo("ok"), "'ok'");
  EXPECT_NE(echo(std::string(600, 'x')).find("(600 bytes)"), std::string::npos);
  EXPECT_NE(echo("a\x01" "b").find("\\x01"), std::string::npos);
}

}  // namespace
}  // namespace cadena
