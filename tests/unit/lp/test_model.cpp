#include <gtest/gtest.h>

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

TEST(LpModel, TerminationNames) {
  EXPECT_STREQ(cadena::lp::to_string(cadena::lp::Termination::Optimal), "optimal");
  EXPECT_STREQ(cadena::lp::to_string(cadena::lp::Termination::Unbounded), "unbounded");
}
