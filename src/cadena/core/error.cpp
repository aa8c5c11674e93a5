#include "cadena/core/error.hpp"

#include <fmt/format.h>

#include "cadena/core/text.hpp"

namespace cadena {

const char* to_string(ErrorCategory c) {
  switch (c) {
    case ErrorCategory::Syntax: return "syntax error";
    case ErrorCategory::Type: return "wrong type";
    case ErrorCategory::Value: return "invalid value";
    case ErrorCategory::Reference: return "unknown reference";
    case ErrorCategory::Duplicate: return "duplicate id";
    case ErrorCategory::Unit: return "unit error";
    case ErrorCategory::Missing: return "missing";
    case ErrorCategory::Io: return "I/O error";
    case ErrorCategory::Solver: return "solver error";
    case ErrorCategory::Internal: return "internal error";
  }
  return "error";
}

std::string Error::format() const {
  std::string out;
  if (!context.file.empty()) {
    out += context.file;
    if (context.line > 0) out += fmt::format(":{}", context.line);
    out += ": ";
  }
  out += to_string(category);
  if (!context.key.empty()) out += fmt::format(" in key '{}'", context.key);
  if (!context.element.empty()) out += fmt::format(" (element '{}')", context.element);
  out += ": ";
  out += message;
  // One readable line whatever the input echoed: invalid UTF-8 and control bytes escaped, and a
  // cap on the length (a 600 kB field must not become a 600 kB error line).
  constexpr std::size_t kMaxLine = 2000;
  if (out.size() > kMaxLine || first_invalid_utf8(out) || out.find_first_of("\n\r\t") != std::string::npos) {
    std::string e = echo(out, kMaxLine);
    out = e.substr(1);  // echo quotes the whole text; a message keeps its own quotes
    const std::size_t close = out.rfind('\'');
    if (close != std::string::npos) out.erase(close, 1);
  }
  return out;
}

Error make_error(ErrorCategory c, std::string message, ErrorContext ctx) {
  return Error{c, std::move(message), std::move(ctx)};
}

}  // namespace cadena
