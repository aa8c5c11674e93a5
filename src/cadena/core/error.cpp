#include "cadena/core/error.hpp"

#include <fmt/format.h>

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
  return out;
}

Error make_error(ErrorCategory c, std::string message, ErrorContext ctx) {
  return Error{c, std::move(message), std::move(ctx)};
}

}  // namespace cadena
