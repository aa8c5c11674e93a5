#include <gtest/gtest.h>

#include <type_traits>

#include "cadena/core/units.hpp"

using namespace cadena;

template <class A, class B>
concept Addable = requires(A a, B b) { a + b; };

TEST(Units, SameUnitsAddDifferentUnitsDoNot) {
  static_assert(Addable<TonnesLCE, TonnesLCE>);
  static_assert(!Addable<TonnesLCE, TonnesLi>);
  static_assert(!Addable<TonnesLCE, GWh>);
  static_assert(!Addable<TonnesLCE, double>);
  EXPECT_DOUBLE_EQ((TonnesLCE(2) + TonnesLCE(3)).value(), 5.0);
}

TEST(Units, RateTimesQuantity) {
  Rate<unit::USD, unit::TonneLCE> price(12000);
  USD v = price * TonnesLCE(10);
  EXPECT_DOUBLE_EQ(v.value(), 120000.0);
  static_assert(std::is_same_v<decltype(TonnesCO2(9) / TonnesLCE(1)), Rate<unit::TonneCO2, unit::TonneLCE>>);
}

TEST(Units, NamedConversions) {
  EXPECT_NEAR(conversion::li_to_lce(TonnesLi(240000)).value(), 1277520.0, 1e-6);
  EXPECT_NEAR(conversion::lce_to_li(TonnesLCE(5.323)).value(), 1.0, 1e-12);
  // SC6: 6 % Li2O -> about 0.148 t LCE per tonne of concentrate.
  EXPECT_NEAR(conversion::concentrate_to_lce(TonnesConcentrate(1), 0.06).value(), 0.1484, 1e-3);
}
