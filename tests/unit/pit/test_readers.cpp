#include <gtest/gtest.h>

#include <string>

#include "cadena/pit/model.hpp"
#include "cadena/pit/readers.hpp"

namespace cadena::pit {
namespace {

std::string fixture(const std::string& name) { return std::string(CADENA_FIXTURES_DIR) + "/pit/" + name; }

TEST(MineLibReader, AcceptsTheRealFilesDepartures) {
  // tiny.* has a non-comment header line, tab and colon separators, scientific notation, no EOF.
  auto m = read_minelib(fixture("tiny"), 100.0);
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->name, "tiny");
  ASSERT_EQ(m->blocks.size(), 5u);
  EXPECT_EQ(m->blocks[2].x, 2);
  EXPECT_EQ(m->blocks[2].z, 1);
  EXPECT_EQ(m->values, (std::vector<std::int64_t>{-100, -200, -100, 250, 400}));
  EXPECT_EQ(m->precedence.arc_count(), 4u);
}

TEST(MineLibReader, HeaderKeywordsAndEofLine) {
  // Block 4 is now worth -0.04, so nothing pays ({0, 1, 3} = -0.5, the rest worse). The scale
  // follows the most decimals written: "-4.0E-2" has 1 + 2 = 3.
  auto m = load_minelib(fixture("tiny_eof"), 0.0);
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->value_scale, 1000.0);
  EXPECT_EQ(m->values[4], -40);
  auto c = solve(*m, m->values);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->value, 0);
  EXPECT_EQ(c->blocks, 0u);
  auto bad = read_minelib(fixture("bad_keyword"), 0.0);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().context.line, 5);
  EXPECT_NE(bad.error().message.find("'NPERIOD'"), std::string::npos) << bad.error().format();
}

TEST(MineLibReader, TinyOptimumByHand) {
  // All five: -1 -2 -1 + 2.5 + 4 = 2.5; {1, 2, 4} gives 1; {0, 1, 3} gives -0.5.
  auto m = load_minelib(fixture("tiny"), 100.0);
  ASSERT_TRUE(m.ok());
  auto c = solve(*m, m->values);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->value, 250);
  EXPECT_EQ(c->blocks, 5u);
}

struct BadCase {
  const char* prefix;
  const char* file_suffix;
  int line;
  const char* words;
};

class MineLibBadFiles : public ::testing::TestWithParam<BadCase> {};

TEST_P(MineLibBadFiles, ReportFileLineAndWhat) {
  const BadCase& c = GetParam();
  auto m = read_minelib(fixture(c.prefix), 100.0);
  ASSERT_FALSE(m.ok());
  const Error& e = m.error();
  EXPECT_EQ(e.context.file, fixture(c.prefix) + c.file_suffix) << e.format();
  EXPECT_EQ(e.context.line, c.line) << e.format();
  EXPECT_NE(e.format().find(c.words), std::string::npos) << e.format();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MineLibBadFiles,
    ::testing::Values(BadCase{"bad_missing", ".blocks", 0, "block 3 is missing"},
                      BadCase{"bad_cycle", ".prec", 0, "cyclic precedence"},
                      BadCase{"bad_count", ".prec", 6, "announces 3 predecessors but lists 2"},
                      BadCase{"bad_garbage", ".upit", 8, "'lots' is not a number"},
                      BadCase{"bad_range", ".prec", 5, "predecessor 9 of block 3 does not exist"}));

TEST(MineLibReader, MissingFileIsAnIoError) {
  auto m = read_minelib(fixture("nope"), 100.0);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().category, ErrorCategory::Io);
  EXPECT_EQ(m.error().context.file, fixture("nope") + ".upit");
}

TEST(ValuesReader, GarbageAndWrongCounts) {
  auto bad = read_values_file(fixture("bad_values.dat"), 4);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().context.line, 4);
  EXPECT_NE(bad.error().message.find("'x7'"), std::string::npos);
  auto short_file = read_values_file(fixture("short_values.dat"), 6);
  ASSERT_FALSE(short_file.ok());
  EXPECT_NE(short_file.error().message.find("3 values for a grid of 6 blocks"), std::string::npos);
  auto long_file = read_values_file(fixture("short_values.dat"), 2);
  ASSERT_FALSE(long_file.ok());
  EXPECT_EQ(long_file.error().context.line, 3);
}

TEST(ValuesReader, SectionPitByHand) {
  // 3 x 1 x 2: ore 7 at the bottom centre under three waste blocks of -2 (one bench, 45 deg):
  // 7 - 6 = 1, four blocks.
  SlopeSpec s;
  s.angles_deg = {45.0};
  s.benches = 1;
  auto m = load_values_grid(fixture("section.dat"), 3, 1, 2, s);
  ASSERT_TRUE(m.ok()) << m.error().format();
  auto c = solve(*m, m->values);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->value, 1);
  EXPECT_EQ(c->in_pit, (std::vector<std::uint8_t>{0, 1, 0, 1, 1, 1}));
}

TEST(BlockCsv, PricedModelByHand) {
  Economics e;
  e.price = 1200;
  e.recovery = 0.9;
  e.mining_cost = 2;
  e.processing_cost = 10;
  auto m = read_block_csv(fixture("tiny_blocks.csv"), e);
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->nx, 3);
  EXPECT_EQ(m->nz, 2);
  // Centre ore: 100 t x 0.02 x 0.9 x 1200 = 2160 revenue, minus 100 x 12 = 960.
  // Low-grade sides: 100 x 0.001 x 0.9 x 1200 - 1200 = -1092 < -200: dumped, -200.
  EXPECT_EQ(m->values, (std::vector<std::int64_t>{-200, 960, -200, -200, -200, -200}));
  SlopeSpec s;
  s.angles_deg = {45.0};
  s.benches = 1;
  auto pm = load_block_csv(fixture("tiny_blocks.csv"), e, s, "");
  ASSERT_TRUE(pm.ok());
  auto c = solve(*pm, pm->values);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->value, 360);
  EXPECT_EQ(c->blocks, 4u);
}

TEST(BlockCsv, CentroidsAndDensityGiveTheSameModel) {
  // tiny_coords.csv: the tiny_blocks.csv section as 10 m blocks with centroids, 2.5 t/m3 x 40 m3.
  Economics e;
  e.price = 1200;
  e.recovery = 0.9;
  e.mining_cost = 2;
  e.processing_cost = 10;
  e.block_x = e.block_y = e.block_z = 10;
  e.block_volume = 40;
  auto m = read_block_csv(fixture("tiny_coords.csv"), e);
  ASSERT_TRUE(m.ok()) << m.error().format();
  EXPECT_EQ(m->nx, 3);
  EXPECT_EQ(m->ny, 1);
  EXPECT_EQ(m->nz, 2);
  EXPECT_EQ(m->values, (std::vector<std::int64_t>{-200, 960, -200, -200, -200, -200}));
  e.block_x = e.block_y = e.block_z = 1;
  auto off = read_block_csv(fixture("bad_coords.csv"), e);
  ASSERT_TRUE(off.ok()) << "x = 5 and 12 are on a 1 m grid";
  e.block_x = e.block_y = e.block_z = 10;
  off = read_block_csv(fixture("bad_coords.csv"), e);
  ASSERT_FALSE(off.ok());
  EXPECT_EQ(off.error().context.line, 3);
  EXPECT_EQ(off.error().context.key, "x");
}

TEST(BlockCsv, BadIndexNamesColumnAndLine) {
  Economics e;
  e.price = 1;
  auto m = read_block_csv(fixture("bad_blocks.csv"), e);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().context.line, 3);
  EXPECT_EQ(m.error().context.key, "k");
}

}  // namespace
}  // namespace cadena::pit
