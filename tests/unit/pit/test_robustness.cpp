// Reproducers of issue 13 for the pit readers and the slope pattern: inputs that crashed (SIGSEGV,
// heap overflow, undefined behaviour), hung or allocated without bound now give a Value error that
// names the file, line or flag at fault.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <unistd.h>

#include "cadena/core/memory_limit.hpp"
#include "cadena/pit/model.hpp"
#include "cadena/pit/readers.hpp"

namespace cadena::pit {
namespace {

namespace fs = std::filesystem;

class PitInput : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            ("cadena_pit_robust_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override {
    set_memory_limit(0);
    fs::remove_all(m_dir);
  }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path p = m_dir / name;
    std::ofstream(p, std::ios::binary) << text;
    return p.string();
  }
  // A valid three-block MineLib model with `upit`, `blocks`, `prec` replaced where given.
  std::string minelib(const std::string& upit, const std::string& blocks, const std::string& prec) {
    write("m.upit", upit.empty() ? "NAME m\nTYPE UPIT\nNBLOCKS 3\nOBJECTIVE_FUNCTION\n0 -1\n1 -1\n2 5\nEOF\n" : upit);
    write("m.blocks", blocks.empty() ? "0 0 0 1\n1 1 0 1\n2 0 0 0\n" : blocks);
    write("m.prec", prec.empty() ? "0 0\n1 0\n2 2 0 1\n" : prec);
    return (m_dir / "m").string();
  }
  fs::path m_dir;
};

TEST_F(PitInput, MineLibLinesOfOnlyColonsAreBlank) {
  // These lines split into no field at all; the readers used to read field 0 of an empty list.
  for (const auto& [upit, blocks, prec] :
       {std::tuple<std::string, std::string, std::string>{
            "NAME m\n:\nTYPE UPIT\nNBLOCKS 3\n::::\nOBJECTIVE_FUNCTION\n0 -1\n:\n1 -1\n2 5\n", "", ""},
        {"", "0 0 0 1\n:::\n1 1 0 1\n2 0 0 0\n", ""},
        {"", "", "0 0\n:\n1 0\n2 2 0 1\n"}}) {
    auto m = read_minelib(minelib(upit, blocks, prec), 1.0);
    ASSERT_TRUE(m.ok()) << m.error().format();
    EXPECT_EQ(m->values, (std::vector<std::int64_t>{-1, -1, 5}));
    EXPECT_EQ(m->precedence.arc_count(), 2u);
  }
}

TEST_F(PitInput, MineLibHeaderKeywordsAfterTheObjectiveRowsAreRefused) {
  // Found by fuzz_minelib (session 6, corpus/minelib/repro-second-nblocks): a complete
  // OBJECTIVE_FUNCTION, a second OBJECTIVE_FUNCTION and a second NBLOCKS 40 grew the block count
  // under the three-entry arrays, and the next row wrote past them (heap-buffer-overflow).
  const std::string rows = "NAME m\nTYPE UPIT\nNBLOCKS 3\nOBJECTIVE_FUNCTION\n0 -1\n1 -1\n2 5\n";
  auto grown = read_minelib(minelib(rows + "OBJECTIVE_FUNCTION\nNBLOCKS 40\n6 -1\n", "", ""), 1.0);
  ASSERT_FALSE(grown.ok());
  EXPECT_EQ(grown.error().category, ErrorCategory::Syntax);
  EXPECT_EQ(grown.error().context.file, (m_dir / "m.upit").string());
  EXPECT_EQ(grown.error().context.line, 8);
  EXPECT_NE(grown.error().message.find("only EOF may follow"), std::string::npos) << grown.error().format();
  // A second NBLOCKS before the rows is a duplicate, not a silent resize.
  auto twice = read_minelib(minelib("NBLOCKS 3\nNBLOCKS 40\nOBJECTIVE_FUNCTION\n0 -1\n1 -1\n2 5\n", "", ""), 1.0);
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().category, ErrorCategory::Duplicate);
  EXPECT_EQ(twice.error().context.line, 2);
  EXPECT_EQ(twice.error().context.key, "NBLOCKS");
  // The valid model still reads, with or without EOF after the rows.
  ASSERT_TRUE(read_minelib(minelib(rows + "EOF\n", "", ""), 1.0).ok());
  ASSERT_TRUE(read_minelib(minelib(rows, "", ""), 1.0).ok());
}

TEST_F(PitInput, MineLibBlockCountTheFileCannotHoldIsRefusedBeforeAllocating) {
  auto huge = read_minelib(minelib("NAME m\nTYPE UPIT\nNBLOCKS 4294967000\nOBJECTIVE_FUNCTION\n0 1\n", "", ""), 1.0);
  ASSERT_FALSE(huge.ok());
  EXPECT_EQ(huge.error().category, ErrorCategory::Value);
  EXPECT_EQ(huge.error().context.file, (m_dir / "m.upit").string());
  EXPECT_EQ(huge.error().context.line, 3);
  EXPECT_EQ(huge.error().context.key, "NBLOCKS");
  // 40 million blocks declared in a file of a few dozen bytes.
  auto small = read_minelib(minelib("NBLOCKS 40000000\nOBJECTIVE_FUNCTION\n0 1\n", "", ""), 1.0);
  ASSERT_FALSE(small.ok());
  EXPECT_EQ(small.error().context.line, 1);
  EXPECT_NE(small.error().message.find("room for at most"), std::string::npos) << small.error().format();
}

TEST_F(PitInput, TheMemoryLimitRefusesWhatItCannotHold) {
  // 300,000 objective rows (2.3 MB) fit the file and an 8 MB limit, the model of them does not.
  std::string upit = "NBLOCKS 300000\nOBJECTIVE_FUNCTION\n";
  for (int b = 0; b < 300000; ++b) upit += std::to_string(b) + " 1\n";
  set_memory_limit(std::uint64_t{8} << 20);
  auto m = read_minelib(minelib(upit, "", ""), 1.0);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.error().context.key, "NBLOCKS");
  EXPECT_NE(m.error().message.find("memory limit"), std::string::npos) << m.error().format();
  auto size = parse_memory_size("1.5G");
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, std::uint64_t{3} << 29);
  EXPECT_FALSE(parse_memory_size("lots").ok());
  EXPECT_FALSE(parse_memory_size("12").ok()) << "below 1 MB";
}

TEST_F(PitInput, AGridTheValuesFileCannotHoldIsRefused) {
  const std::string values = write("v.dat", "1\n2\n3\n4\n");
  // Four billion blocks: more than the memory limit, refused before anything is reserved.
  auto r = read_values_file(values, 4000000000u);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.file, values);
  EXPECT_EQ(r.error().context.key, "--grid");
  EXPECT_NE(r.error().message.find("memory limit"), std::string::npos) << r.error().format();
  // Within the limit but beyond the file: reported with the count the file has, nothing reserved
  // for the rest.
  auto s = read_values_file(values, 1000000u);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("4 values for a grid of 1000000 blocks"), std::string::npos) << s.error().format();
  SlopeSpec slope;
  slope.angles_deg = {45};
  auto g = load_values_grid(values, 1000, 1000, 1000, slope);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().context.file, values);
}

TEST_F(PitInput, BlockSizesAndEconomicsOutOfRangeAreRefusedBeforeReading) {
  const std::string csv = write("b.csv", "x,y,z,tonnes,grade\n0,0,0,100,0.01\n10,0,0,100,0.02\n");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  struct Case {
    void (*set)(Economics&, double);
    double value;
    const char* flag;
  };
  const Case cases[] = {
      {[](Economics& e, double v) { e.block_x = v; }, -10.0, "--block-size"},
      {[](Economics& e, double v) { e.block_y = v; }, nan, "--block-size"},
      {[](Economics& e, double v) { e.value_scale = v; }, 0.0, "--value-scale"},
      {[](Economics& e, double v) { e.block_volume = v; }, -1.0, "--block-volume"},
      {[](Economics& e, double v) { e.mining_cost = v; }, -2.0, "--mining-cost"},
      {[](Economics& e, double v) { e.price = v; }, std::numeric_limits<double>::infinity(), "--price"},
  };
  for (const Case& c : cases) {
    Economics econ;
    econ.price = 1000;
    econ.block_x = econ.block_y = econ.block_z = 10;
    c.set(econ, c.value);
    auto r = read_block_csv(csv, econ);
    ASSERT_FALSE(r.ok()) << c.flag;
    EXPECT_EQ(r.error().category, ErrorCategory::Value) << r.error().format();
    EXPECT_EQ(r.error().context.key, c.flag) << r.error().format();
  }
  Economics fine;
  fine.price = 1000;
  fine.block_x = fine.block_y = fine.block_z = 10;
  auto ok = read_block_csv(csv, fine);
  ASSERT_TRUE(ok.ok()) << ok.error().format();
  EXPECT_EQ(ok->nx, 2);
}

TEST_F(PitInput, ValuesTooLargeForTheSolverNameTheirFile) {
  // Each value fits 64 bits, their sum does not fit the solver's 2^62: the error said so without
  // saying which file held them.
  const std::string values = write("big.dat", "4000000000000000000\n4000000000000000000\n");
  const std::string prec = write("big.prec", "0 0\n1 0\n");
  auto m = load_values_prec(values, prec);
  ASSERT_TRUE(m.ok()) << m.error().format();
  auto c = solve(*m, m->values);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().category, ErrorCategory::Value);
  EXPECT_EQ(c.error().context.file, values);
}

TEST_F(PitInput, BlockCsvExtentsBeyondTheMemoryLimitAreRefused) {
  const std::string csv = write("b.csv", "i,j,k,tonnes,grade\n0,0,0,100,0.01\n500,500,500,100,0.02\n");
  Economics econ;
  econ.price = 1000;
  set_memory_limit(std::uint64_t{64} << 20);
  auto r = read_block_csv(csv, econ);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().context.file, csv);
  EXPECT_NE(r.error().message.find("memory limit"), std::string::npos) << r.error().format();
}

TEST(SlopeRange, FlatSlopesAreRefusedWithTheFlag) {
  for (double deg : {0.0, 1e-300, 0.1, 1.0, 4.9, 85.1, 90.0, std::numeric_limits<double>::quiet_NaN()}) {
    SlopeSpec s;
    s.angles_deg = {deg};
    auto g = GridPrecedence::from_slope(10, 10, 5, s);
    ASSERT_FALSE(g.ok()) << deg;
    EXPECT_EQ(g.error().category, ErrorCategory::Value);
    EXPECT_EQ(g.error().context.key, "--slope") << g.error().format();
  }
  // In range, but too wide a cone for nine benches of cubic blocks on a large grid.
  SlopeSpec wide;
  wide.angles_deg = {5.0};
  auto g = GridPrecedence::from_slope(1000, 1000, 50, wide);
  ASSERT_FALSE(g.ok());
  EXPECT_NE(g.error().message.find("search cone"), std::string::npos) << g.error().format();
  // The same slope on a grid the cone cannot outgrow is fine: offsets stop at the grid's edge.
  auto narrow = GridPrecedence::from_slope(3, 3, 50, wide);
  ASSERT_TRUE(narrow.ok()) << narrow.error().format();
  for (const auto& o : narrow->pattern()) EXPECT_LE(std::abs(o.dx), 2);
}

TEST(SlopeRange, ANearZeroAngleNeverOverflowsTheReach) {
  // 1e-300 degrees: a reach of ~1e302 blocks, once converted to int (INT_MIN, then negated).
  SlopeSpec s;
  s.angles_deg = {1e-300};
  s.benches = 2;
  auto cone = GridPrecedence::cone_offsets(s, 2, 1);
  // Every offset of the 5 x 3 box on each of the two benches.
  EXPECT_EQ(cone.size(), 2u * 5u * 3u);
}

TEST(SlopeRange, BenchesAndBlockSizesAreChecked) {
  SlopeSpec s;
  s.angles_deg = {45};
  s.benches = 0;
  EXPECT_EQ(check_slope(s).error().context.key, "--benches");
  s.benches = 9;
  s.block_z = -1;
  EXPECT_EQ(check_slope(s).error().context.key, "--block-size");
  s.block_z = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(check_slope(s).error().context.key, "--block-size");
  s.block_z = 1;
  EXPECT_TRUE(check_slope(s).ok());
}

}  // namespace
}  // namespace cadena::pit
