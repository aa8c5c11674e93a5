#include "cadena/io/toml_util.hpp"

#include "cadena/core/text_file.hpp"
#include "cadena/core/toml_parse.hpp"

#include <fmt/format.h>

namespace cadena::io::detail {

Result<toml::table> parse_toml_file(const std::filesystem::path& p) {
  auto read = read_text_file(p.string());
  if (!read) return read.error();
  return parse_toml_text(*read, p.string());
}

int line_of(const toml::node& n) { return static_cast<int>(n.source().begin.line); }

Result<Field> field_of(std::string_view key, const toml::node& n, const std::string& file) {
  Field f{std::string(key), "", line_of(n)};
  if (auto s = n.as_string()) {
    f.text = s->get();
  } else if (auto i = n.as_integer()) {
    f.text = std::to_string(i->get());
  } else if (auto d = n.as_floating_point()) {
    f.text = fmt::format("{}", d->get());
  } else if (auto b = n.as_boolean()) {
    f.text = b->get() ? "true" : "false";
  } else {
    return make_error(ErrorCategory::Type, fmt::format("'{}' holds a {}; expected a string, number or boolean", key,
                                                       n.is_table() ? "table" : n.is_array() ? "list" : "date/time"),
                      {file, f.line, std::string(key), ""});
  }
  return f;
}

Result<Record> record_of_table(const toml::table& t, const std::string& file) {
  Record r{file, line_of(t), {}};
  for (const auto& [k, v] : t) {
    auto f = field_of(k.str(), v, file);
    if (!f) return f.error();
    r.fields.push_back(std::move(*f));
  }
  return r;
}

}  // namespace cadena::io::detail
