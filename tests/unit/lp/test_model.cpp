#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "cadena/lp/model.hpp"

using cadena::lp::kInf;
using cadena::lp::Model;

TEST(LpModel, StructureVersionMovesOnStructureOnly) {
  Model m;
  const auto v0 = m.structure_version();
  const int x = m.add_column("x", 0, kInf, 1);
  const int r = m.add_row("r", 1, kInf);
  m.add_coefficient(r, x, 2.0);
  const auto v1 = m.structure_version();
  EXPECT_NE(v0, v1);
  const auto d1 = m.data_version();
  m.set_column_cost(x, 3);
  m.set_column_bounds(x, -1, 4);
  m.set_row_bounds(r, 0, 5);
  EXPECT_EQ(m.structure_version(), v1);
  EXPECT_NE(m.data_version(), d1);
  EXPECT_EQ(m.column(x).cost, 3);
  EXPECT_EQ(m.column(x).lower, -1);
  EXPECT_EQ(m.row(r).upper, 5);
}

// Adapters key their warm start on structure_version: two models with the same edit history
// but different coefficients must not share one.
TEST(LpModel, StructureVersionIsUniqueAcrossModels) {
  Model a, b;
  for (Model* m : {&a, &b}) {
    const int x = m->add_column("x", 0, kInf, 1);
    const int r = m->add_row("r", 1, kInf);
    m->add_coefficient(r, x, m == &a ? 1.0 : 2.0);
  }
  EXPECT_NE(a.structure_version(), b.structure_version());
  Model c = a;  // a copy has the same structure, so the same version is right
  EXPECT_EQ(c.structure_version(), a.structure_version());
  c.add_coefficient(0, 0, 1.0);
  EXPECT_NE(c.structure_version(), a.structure_version());
}

// Versions come from per-thread blocks of one counter: models built on different threads must
// still never share one.
TEST(LpModel, StructureVersionIsUniqueAcrossThreads) {
  std::vector<std::uint64_t> seen[2];
  auto build = [](std::vector<std::uint64_t>& out) {
    for (int k = 0; k < 200; ++k) {
      Model m;
      const int x = m.add_column("x", 0, kInf, 1);
      out.push_back(m.structure_version());
      m.add_coefficient(m.add_row("r", 0, 1), x, 1.0);
      out.push_back(m.structure_version());
    }
  };
  std::thread t0(build, std::ref(seen[0])), t1(build, std::ref(seen[1]));
  t0.join();
  t1.join();
  std::vector<std::uint64_t> all(seen[0]);
  all.insert(all.end(), seen[1].begin(), seen[1].end());
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
  EXPECT_EQ(all.size(), 800u);
  EXPECT_NE(all.front(), 0u);  // 0 is the version of an empty model
}

TEST(LpModel, NamesReadBackWholeOrFromParts) {
  Model m;
  const std::string country = "CL";
  m.add_column("prod:mine_a", 0, 1, 1);
  m.add_column({"flow:", country, "-", "CN", ":", "li2co3"}, 0, kInf, 0);
  m.add_column("", 0, 1, 0);  // unnamed: adapters and the MPS export fall back to C<index>
  m.add_row({"balance:", "li2co3", ":", country}, 0, 0);
  m.add_row("demand:CN:cell_lfp", 1, kInf);
  m.add_column(m.column_name(1), 0, 1, 0);  // a name read from the model itself
  EXPECT_EQ(m.column_name(0), "prod:mine_a");
  EXPECT_EQ(m.column_name(1), "flow:CL-CN:li2co3");
  EXPECT_EQ(m.column_name(2), "");
  EXPECT_EQ(m.column_name(3), "flow:CL-CN:li2co3");
  EXPECT_EQ(m.row_name(0), "balance:li2co3:CL");
  EXPECT_EQ(m.row_name(1), "demand:CN:cell_lfp");
  const Model copy = m;  // names travel with a copy
  EXPECT_EQ(copy.column_name(1), "flow:CL-CN:li2co3");
  EXPECT_EQ(copy.row_name(1), "demand:CN:cell_lfp");
}

TEST(LpModel, TerminationNames) {
  EXPECT_STREQ(cadena::lp::to_string(cadena::lp::Termination::Optimal), "optimal");
  EXPECT_STREQ(cadena::lp::to_string(cadena::lp::Termination::Unbounded), "unbounded");
}
