#pragma once
// A small project built in code, with a fiscal regime that has no taxes unless a test adds them,
// so expected values can be written down by hand.
#include "cadena/finance/model.hpp"

namespace cadena::finance::testing {

// One construction year spending `capex`, then `years` of production with a constant margin of
// `margin` MUSD per year (1e6 t at `margin` USD/t, zero opex), no closure year.
inline Project simple_project(double capex, double margin, int years, double rate) {
  Project p;
  p.name = "simple";
  p.construction_years = 1;
  p.production_years = years;
  p.closure_years = 0;
  p.capacity_t.assign(years, 1e6);
  p.price_usd_per_t.assign(years, margin);
  p.opex_usd_per_t.assign(years, 0.0);
  p.initial_capex_musd = {capex};
  p.discount_rate = rate;
  p.fiscal.initial_depreciation = {1.0};
  return p;
}

// A gold by-product: `oz` ounces a year for `years` years at `price` USD/oz, with its payable
// share and refining charge (USD/oz).
inline ByProduct gold(int years, double oz, double price, double payable, double rc) {
  ByProduct au;
  au.name = "gold";
  au.unit = "oz";
  au.quantity.assign(years, oz);
  au.price_usd.assign(years, price);
  au.terms.payable = payable;
  au.terms.rc_usd_per_unit = rc;
  return au;
}

}  // namespace cadena::finance::testing
