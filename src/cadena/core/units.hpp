#pragma once
// Typed quantities. A Quantity<Unit> only adds to, subtracts from and compares with the same
// Unit; multiplying by a plain double scales it. Crossing units goes through a named
// conversion below whose factor cites its source, or through a Rate<Num, Den> (a price, a
// yield, an intensity) so that Rate<USD, TonneLCE> * Quantity<TonneLCE> is Quantity<USD>.
#include <compare>
#include <string_view>

namespace cadena {

namespace unit {
struct TonneLCE { static constexpr std::string_view symbol = "t LCE"; };
struct TonneLi { static constexpr std::string_view symbol = "t Li"; };
struct TonneOre { static constexpr std::string_view symbol = "t ore"; };
struct TonneConcentrate { static constexpr std::string_view symbol = "t concentrate"; };
struct TonneCathode { static constexpr std::string_view symbol = "t CAM"; };
struct GWh { static constexpr std::string_view symbol = "GWh"; };
struct USD { static constexpr std::string_view symbol = "USD"; };
struct TonneCO2 { static constexpr std::string_view symbol = "t CO2"; };
struct CubicMetre { static constexpr std::string_view symbol = "m3"; };
struct Year { static constexpr std::string_view symbol = "yr"; };
}  // namespace unit

template <class U>
class Quantity {
 public:
  using unit_type = U;
  constexpr Quantity() = default;
  constexpr explicit Quantity(double v) : m_v(v) {}
  constexpr double value() const { return m_v; }
  static constexpr std::string_view symbol() { return U::symbol; }

  constexpr Quantity operator+(Quantity o) const { return Quantity(m_v + o.m_v); }
  constexpr Quantity operator-(Quantity o) const { return Quantity(m_v - o.m_v); }
  constexpr Quantity operator-() const { return Quantity(-m_v); }
  constexpr Quantity& operator+=(Quantity o) { m_v += o.m_v; return *this; }
  constexpr Quantity& operator-=(Quantity o) { m_v -= o.m_v; return *this; }
  constexpr Quantity operator*(double k) const { return Quantity(m_v * k); }
  constexpr Quantity operator/(double k) const { return Quantity(m_v / k); }
  constexpr double operator/(Quantity o) const { return m_v / o.m_v; }  // a pure ratio
  constexpr auto operator<=>(const Quantity&) const = default;

 private:
  double m_v = 0.0;
};
template <class U>
constexpr Quantity<U> operator*(double k, Quantity<U> q) { return q * k; }

// Num per Den: a price (USD per t LCE), a yield (t LCE per t concentrate), an intensity.
template <class Num, class Den>
class Rate {
 public:
  constexpr Rate() = default;
  constexpr explicit Rate(double v) : m_v(v) {}
  constexpr double value() const { return m_v; }
  constexpr Quantity<Num> operator*(Quantity<Den> q) const { return Quantity<Num>(m_v * q.value()); }
  constexpr auto operator<=>(const Rate&) const = default;

 private:
  double m_v = 0.0;
};
template <class Num, class Den>
constexpr Quantity<Num> operator*(Quantity<Den> q, Rate<Num, Den> r) { return r * q; }
template <class Num, class Den>
constexpr Rate<Num, Den> operator/(Quantity<Num> n, Quantity<Den> d) { return Rate<Num, Den>(n.value() / d.value()); }

using TonnesLCE = Quantity<unit::TonneLCE>;
using TonnesLi = Quantity<unit::TonneLi>;
using TonnesOre = Quantity<unit::TonneOre>;
using TonnesConcentrate = Quantity<unit::TonneConcentrate>;
using TonnesCathode = Quantity<unit::TonneCathode>;
using GWh = Quantity<unit::GWh>;
using USD = Quantity<unit::USD>;
using TonnesCO2 = Quantity<unit::TonneCO2>;
using CubicMetres = Quantity<unit::CubicMetre>;

// ---- Named conversions. Each factor carries its source. ----
namespace conversion {
// Li -> Li2CO3: molar masses 73.89 / (2 x 6.941) = 5.323 (IUPAC atomic weights; USGS MCS 2025).
inline constexpr double kLceperLi = 5.323;
// Li -> LiOH.H2O: 41.96 / 6.941 = 6.046.
inline constexpr double kLiohH2oPerLi = 6.046;
// Li2O -> LCE: 73.89 / 29.88 = 2.473; so SC6 (6 % Li2O) holds 0.1484 t LCE per tonne.
inline constexpr double kLcePerLi2o = 2.473;

constexpr TonnesLCE li_to_lce(TonnesLi li) { return TonnesLCE(li.value() * kLceperLi); }
constexpr TonnesLi lce_to_li(TonnesLCE lce) { return TonnesLi(lce.value() / kLceperLi); }
// LCE contained in a concentrate of the given Li2O grade (fraction, 0.06 for SC6).
constexpr TonnesLCE concentrate_to_lce(TonnesConcentrate c, double li2o_grade) {
  return TonnesLCE(c.value() * li2o_grade * kLcePerLi2o);
}
// Lithium hydroxide monohydrate mass expressed as LCE: t LiOH.H2O x (5.323 / 6.046).
constexpr TonnesLCE lioh_h2o_to_lce(double tonnes_lioh_h2o) {
  return TonnesLCE(tonnes_lioh_h2o * kLceperLi / kLiohH2oPerLi);
}
}  // namespace conversion

}  // namespace cadena
