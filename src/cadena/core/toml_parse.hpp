#pragma once
// TOML text to a toml++ table, with a syntax error reported the one way every reader does
// ("invalid TOML: <what>" at toml++'s line). Header-only on purpose: core does not link toml++;
// only the modules that do (io, finance) include this.
#include <toml++/toml.h>

#include <string>
#include <utility>

#include "cadena/core/error.hpp"

namespace cadena {

// `path` only labels the error (and toml++'s source positions).
inline Result<toml::table> parse_toml_text(const std::string& text, const std::string& path) {
#if TOML_EXCEPTIONS
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    return make_error(ErrorCategory::Syntax, "invalid TOML: " + std::string(e.description()),
                      {path, static_cast<int>(e.source().begin.line), "", ""});
  }
#else
  toml::parse_result r = toml::parse(text, path);
  if (!r)
    return make_error(ErrorCategory::Syntax, "invalid TOML: " + std::string(r.error().description()),
                      {path, static_cast<int>(r.error().source().begin.line), "", ""});
  return std::move(r).table();
#endif
}

}  // namespace cadena
