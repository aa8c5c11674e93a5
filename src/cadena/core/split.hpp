#pragma once
// Splitting a setting on one separator ("a.b.c" keys, "2024:2050:5" ranges), shared by the
// scenario reader, the sweep and the sweep table.
#include <string_view>
#include <vector>

namespace cadena {

// The pieces of `s` between each `sep`, empty pieces kept: "a..b" gives {"a", "", "b"}, "" gives
// {""}. The views point into `s`.
inline std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, at - start));
    start = at + 1;
  }
}

}  // namespace cadena
