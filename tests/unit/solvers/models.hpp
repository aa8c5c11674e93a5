#pragma once
// Hand-solved models that more than one solver test file uses (the conformance suite and the MPS
// round trip), built in one place so both test the same problem.
#include "cadena/lp/model.hpp"

namespace cadena::solvers::testing {

// max 3x + 2y, x + y <= 4 (r1), x + 3y <= 7 (r2), 0 <= x <= 3, y >= 0: x = 3, y = 1, objective
// 11; r2 has slack 1. One more unit of r1's rhs buys one more y: dual +2 (the objective rises).
// Reduced cost of x: 3 - 2 = 1 (raising its bound raises the objective).
struct SmallMax {
  lp::Model m;
  int x, y, r1, r2;
};

inline SmallMax small_max() {
  SmallMax p;
  p.m.set_sense(lp::ObjectiveSense::Maximize);
  p.x = p.m.add_column("x", 0, 3, 3);
  p.y = p.m.add_column("y", 0, lp::kInf, 2);
  p.r1 = p.m.add_row("r1", -lp::kInf, 4);
  p.r2 = p.m.add_row("r2", -lp::kInf, 7);
  p.m.add_coefficient(p.r1, p.x, 1);
  p.m.add_coefficient(p.r1, p.y, 1);
  p.m.add_coefficient(p.r2, p.x, 1);
  p.m.add_coefficient(p.r2, p.y, 3);
  return p;
}

}  // namespace cadena::solvers::testing
