#include <gtest/gtest.h>

#include "cadena/core/error.hpp"

using namespace cadena;

TEST(Error, FormatsFileLineKeyAndElement) {
  Error e = make_error(ErrorCategory::Value, "capacity must be >= 0, got -5");
  e.in_file("data/x.csv").at_line(12).at_key("capacity").for_element("greenbushes");
  EXPECT_EQ(e.format(),
            "data/x.csv:12: invalid value in key 'capacity' (element 'greenbushes'): capacity must be >= 0, got -5");
}

TEST(Error, FormatsWithoutContext) {
  Error e = make_error(ErrorCategory::Io, "cannot open");
  EXPECT_EQ(e.format(), "I/O error: cannot open");
}

static Result<int> half(int x) {
  if (x % 2) return make_error(ErrorCategory::Value, "odd");
  return x / 2;
}
static Result<int> quarter(int x) {
  auto h = half(x);
  CADENA_TRY(h);
  return half(*h);
}

TEST(Result, PropagatesErrors) {
  EXPECT_EQ(*quarter(8), 2);
  auto r = quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "odd");
}
