#include "cadena/io/csv.hpp"

#include "cadena/core/text.hpp"
#include "cadena/core/text_file.hpp"

#include <fmt/format.h>

namespace cadena::io {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

int CsvTable::column(std::string_view name) const {
  for (size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return static_cast<int>(i);
  return -1;
}

Result<std::vector<std::string>> split_csv_line(std::string_view line) {
  std::vector<std::string> fields;
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && is_blank(line[i])) ++i;
    std::string field;
    if (i < n && line[i] == '"') {
      const size_t open = i;
      ++i;
      bool closed = false;
      while (i < n) {
        if (line[i] == '"') {
          if (i + 1 < n && line[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        field += line[i++];
      }
      if (!closed)
        return make_error(ErrorCategory::Syntax,
                          fmt::format("unbalanced quote: the quoted field opened at column {} is not "
                                      "closed on this line (a row is one line; write \"\" for a quote)",
                                      open + 1));
      while (i < n && is_blank(line[i])) ++i;
      if (i < n && line[i] != ',')
        return make_error(ErrorCategory::Syntax,
                          fmt::format("unexpected '{}' at column {} after a closing quote; expected ',' "
                                      "or the end of the line",
                                      line[i], i + 1));
    } else {
      const size_t start = i;
      while (i < n && line[i] != ',') {
        if (line[i] == '"')
          return make_error(ErrorCategory::Syntax,
                            fmt::format("quote at column {} inside an unquoted field; quote the whole "
                                        "field and write \"\" for a quote",
                                        i + 1));
        ++i;
      }
      field = std::string(trim(line.substr(start, i - start)));
    }
    fields.push_back(std::move(field));
    if (i >= n) break;
    ++i;  // the comma; a trailing comma yields a final empty field
  }
  return fields;
}

Result<CsvTable> parse_csv(std::string_view text, std::string file) {
  CsvTable t;
  t.file = std::move(file);
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 byte-order mark
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::string_view body = trim(line);
    if (body.empty() || body.front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    auto fields = split_csv_line(line);
    if (!fields) return std::move(fields.error().in_file(t.file).at_line(line_no));
    // Ids and names end up in JSON and SQLite, which take UTF-8 only: refuse other bytes here,
    // with the column, rather than fail when writing results.
    for (size_t c = 0; c < fields->size(); ++c)
      if (auto bad = first_invalid_utf8((*fields)[c]))
        return make_error(ErrorCategory::Syntax,
                          fmt::format("byte 0x{:02X} at position {} of {} is not UTF-8; expected UTF-8 text (save the "
                                      "file as UTF-8)",
                                      static_cast<unsigned char>((*fields)[c][*bad]), *bad + 1, echo((*fields)[c])),
                          {t.file, line_no, c < t.header.size() ? t.header[c] : "", ""});
    if (t.header.empty()) {
      for (size_t c = 0; c < fields->size(); ++c) {
        const std::string& name = (*fields)[c];
        if (name.empty())
          return make_error(ErrorCategory::Syntax,
                            fmt::format("header column {} is empty; every column needs a name", c + 1),
                            {t.file, line_no, "", ""});
        for (size_t k = 0; k < c; ++k)
          if ((*fields)[k] == name)
            return make_error(ErrorCategory::Duplicate,
                              fmt::format("column '{}' appears twice in the header", name),
                              {t.file, line_no, name, ""});
      }
      t.header = std::move(*fields);
      t.header_line = line_no;
    } else {
      if (fields->size() != t.header.size())
        return make_error(ErrorCategory::Syntax,
                          fmt::format("expected {} fields as in the header (line {}), found {}",
                                      t.header.size(), t.header_line, fields->size()),
                          {t.file, line_no, "", ""});
      t.rows.push_back(CsvRow{line_no, std::move(*fields)});
    }
    if (end == text.size()) break;
  }
  if (t.header.empty())
    return make_error(ErrorCategory::Missing, "no header line; expected a first line naming the columns",
                      {t.file, 0, "", ""});
  return t;
}

Result<CsvTable> read_csv(const std::filesystem::path& path) {
  auto text = read_text_file(path.string(), "expected a CSV table here");
  if (!text) return text.error();
  return parse_csv(*text, path.string());
}

}  // namespace cadena::io
