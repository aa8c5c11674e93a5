#pragma once
// Errors for bad input and I/O failures. A solve outcome is data (see lp/), a programmer
// mistake is an assertion; only what the user can fix travels as an Error.
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cadena {

enum class ErrorCategory {
  Syntax,      // the file cannot be parsed (TOML/CSV syntax, garbage)
  Type,        // a value has the wrong type ("abc" where a number was expected)
  Value,       // a value is out of its allowed range (negative capacity, yield > 1)
  Reference,   // an id names nothing (unknown company, country, facility)
  Duplicate,   // an id is defined twice
  Unit,        // a unit is unknown or does not fit the quantity
  Missing,     // a required key, column or file is absent
  Io,          // the file system refused (cannot open, cannot write)
  Solver,      // a solver library failed (not an infeasible model: that is a result)
  Internal,    // should not happen; reported rather than crashing
};

const char* to_string(ErrorCategory c);

// Where an error was found. Every field is optional; format() prints those that are set.
struct ErrorContext {
  std::string file;
  int line = 0;  // 1-based; 0 = unknown
  std::string key;
  std::string element;  // id of the record, e.g. a facility id
};

struct Error {
  ErrorCategory category = ErrorCategory::Internal;
  std::string message;  // what was wrong and what was expected
  ErrorContext context;

  // "file:line: key 'k' (element e): message" — the one-line form the CLI prints.
  std::string format() const;

  Error& in_file(std::string f) { context.file = std::move(f); return *this; }
  Error& at_line(int l) { context.line = l; return *this; }
  Error& at_key(std::string k) { context.key = std::move(k); return *this; }
  Error& for_element(std::string e) { context.element = std::move(e); return *this; }
};

Error make_error(ErrorCategory c, std::string message, ErrorContext ctx = {});

// Result<T>: a value or an Error. [[nodiscard]] so a caller cannot forget to look.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
  Result(Error error) : m_v(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return m_v.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(m_v); }
  const T& value() const& { return std::get<0>(m_v); }
  T&& value() && { return std::get<0>(std::move(m_v)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(m_v); }
  Error& error() { return std::get<1>(m_v); }

 private:
  std::variant<T, Error> m_v;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok_status() { return Ok{}; }

}  // namespace cadena

// Propagate an error from an expression returning Result<...>.
#define CADENA_TRY(expr)                              \
  do {                                                \
    auto&& cadena_try_r_ = (expr);                    \
    if (!cadena_try_r_.ok()) return cadena_try_r_.error(); \
  } while (0)

// Assign the value of a Result expression to `lhs`, or return its error.
#define CADENA_ASSIGN(lhs, expr)                                 \
  do {                                                           \
    auto cadena_assign_r_ = (expr);                              \
    if (!cadena_assign_r_.ok()) return cadena_assign_r_.error(); \
    lhs = std::move(*cadena_assign_r_);                          \
  } while (0)
