#include "cadena/pit/readers.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "cadena/core/memory_limit.hpp"

namespace cadena::pit {
namespace {

// What a block costs from reading to the solver's answer (docs/pit.md, "Memory without arcs":
// about 70 bytes in the solver, the rest in the readers), for the memory check before allocating.
constexpr double kBytesPerBlock = 150.0;

Error file_error(ErrorCategory c, const std::string& file, int line, std::string msg) {
  Error e = make_error(c, std::move(msg));
  e.in_file(file).at_line(line);
  return e;
}

Result<std::string> slurp(const std::string& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return make_error(ErrorCategory::Io, "cannot open file for reading", {path, 0, "", ""});
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) CADENA_TRY(check_memory(static_cast<double>(size), "reading the file", {path, 0, "", ""}));
  std::string data;
  char buf[1 << 16];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f.get())) > 0) data.append(buf, got);
  if (std::ferror(f.get())) return make_error(ErrorCategory::Io, "read failed", {path, 0, "", ""});
  if (data.rfind("\xEF\xBB\xBF", 0) == 0) data.erase(0, 3);  // a UTF-8 byte-order mark from spreadsheet exports
  return data;
}

// Walks a text buffer line by line, 1-based numbers, CR LF tolerated.
class Lines {
 public:
  explicit Lines(std::string_view text) : m_text(text) {}
  bool next(std::string_view& line) {
    if (m_pos >= m_text.size()) return false;
    std::size_t end = m_text.find('\n', m_pos);
    if (end == std::string_view::npos) end = m_text.size();
    line = m_text.substr(m_pos, end - m_pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    m_pos = end + 1;
    ++m_line;
    return true;
  }
  int number() const { return m_line; }

 private:
  std::string_view m_text;
  std::size_t m_pos = 0;
  int m_line = 0;
};

bool is_sep(char c, bool colon) { return c == ' ' || c == '\t' || (colon && c == ':'); }

// MineLib fields: space, tab and colon all separate.
std::vector<std::string_view> split_fields(std::string_view line, bool colon = true) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && is_sep(line[i], colon)) ++i;
    std::size_t j = i;
    while (j < line.size() && !is_sep(line[j], colon)) ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

template <class T>
std::optional<T> parse_int(std::string_view s) {
  T v{};
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::optional<double> parse_double(std::string_view s) {
  double v{};
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<std::int64_t> scaled(double v, double scale) {
  const double s = std::nearbyint(v * scale);
  if (!(std::fabs(s) < 4.0e18)) return std::nullopt;
  return static_cast<std::int64_t>(s);
}

bool is_comment_or_blank(std::string_view line) {
  line = trim(line);
  return line.empty() || line.front() == '%' || line.front() == '#';
}

std::string quoted(std::string_view s) {
  if (s.size() > 40) return fmt::format("'{}…'", s.substr(0, 40));
  return fmt::format("'{}'", s);
}

// The .upit model file: header keywords, then OBJECTIVE_FUNCTION with one row per block.
// Decimal places a number is written with ("-5.36024E+6" has 5 - 6 < 0, i.e. 0).
int decimals_of(std::string_view s) {
  const std::size_t dot = s.find('.');
  const std::size_t exp = s.find_first_of("eE");
  int d = 0;
  if (dot != std::string_view::npos) d = static_cast<int>((exp == std::string_view::npos ? s.size() : exp) - dot - 1);
  if (exp != std::string_view::npos) {
    auto e = parse_int<int>(s.substr(exp + 1));
    if (e) d -= *e;
  }
  return std::clamp(d, 0, 9);
}

Result<std::vector<double>> read_upit(const std::string& path, std::string& name, int& max_decimals) {
  auto text = slurp(path);
  CADENA_TRY(text);
  Lines lines(*text);
  std::string_view line;
  std::optional<std::size_t> n_blocks;
  std::vector<double> values;
  std::vector<std::uint8_t> seen;
  bool in_objective = false;
  std::size_t rows = 0;
  int objective_line = 0;
  while (lines.next(line)) {
    if (is_comment_or_blank(line)) continue;
    const int ln = lines.number();
    auto f = split_fields(line);
    if (f.empty()) continue;  // only separators (':' counts as one): a blank line
    std::string key(f[0]);
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::toupper(c); });
    if (key == "EOF") break;
    if (in_objective && rows < *n_blocks) {
      if (f.size() != 2)
        return file_error(ErrorCategory::Syntax, path, ln,
                          fmt::format("expected '<block> <value>' in OBJECTIVE_FUNCTION, got {} fields", f.size()));
      auto b = parse_int<std::uint64_t>(f[0]);
      auto v = parse_double(f[1]);
      if (!b) return file_error(ErrorCategory::Type, path, ln, fmt::format("block id {} is not a non-negative integer", quoted(f[0])));
      if (!v) return file_error(ErrorCategory::Type, path, ln, fmt::format("value {} is not a number", quoted(f[1])));
      if (*b >= *n_blocks)
        return file_error(ErrorCategory::Reference, path, ln, fmt::format("block {} out of range 0..{}", *b, *n_blocks - 1));
      if (seen[*b]) return file_error(ErrorCategory::Duplicate, path, ln, fmt::format("block {} has a second value", *b));
      seen[*b] = 1;
      values[*b] = *v;
      max_decimals = std::max(max_decimals, decimals_of(f[1]));
      ++rows;
      continue;
    }
    if (in_objective) {
      // After the objective rows only EOF may follow: a second NBLOCKS or OBJECTIVE_FUNCTION would
      // resize the block count under the rows already read (a heap overflow found by fuzz_minelib).
      return file_error(ErrorCategory::Syntax, path, ln,
                        fmt::format("unexpected {} after the {} objective rows (only EOF may follow)", quoted(line),
                                    *n_blocks));
    }
    if (key == "NAME") {
      name = f.size() > 1 ? std::string(f[1]) : "";
    } else if (key == "TYPE") {
      if (f.size() < 2 || f[1] != "UPIT")
        return file_error(ErrorCategory::Value, path, ln, "TYPE must be UPIT for an ultimate-pit model");
    } else if (key == "NBLOCKS") {
      if (n_blocks)
        return file_error(ErrorCategory::Duplicate, path, ln, "a second NBLOCKS line").at_key("NBLOCKS");
      std::optional<std::uint64_t> n;
      if (f.size() >= 2) n = parse_int<std::uint64_t>(f[1]);
      if (!n || *n == 0 || *n >= 0xFFFFFFF0u)
        return file_error(ErrorCategory::Value, path, ln, "NBLOCKS needs a positive block count below 2^32 - 16")
            .at_key("NBLOCKS");
      // Every block needs an objective row of at least "0 0\n": a count the file cannot hold is
      // refused before anything is allocated for it.
      const std::size_t room = (text->size() + 1) / 4;
      if (*n > room)
        return file_error(ErrorCategory::Value, path, ln,
                          fmt::format("NBLOCKS {} but the file has {} bytes, room for at most {} objective rows", *n,
                                      text->size(), room))
            .at_key("NBLOCKS");
      CADENA_TRY(check_memory(static_cast<double>(*n) * kBytesPerBlock, fmt::format("a model of {} blocks", *n),
                              {path, ln, "NBLOCKS", ""}));
      n_blocks = *n;
    } else if (key == "NPERIODS" || key == "NDESTINATIONS" || key == "NRESOURCE_SIDE_CONSTRAINTS" ||
               key == "NGENERAL_SIDE_CONSTRAINTS" || key == "DISCOUNT_RATE") {
      // Spec keywords that say nothing about an ultimate pit; some writers emit them anyway.
    } else if (key == "OBJECTIVE_FUNCTION") {
      if (!n_blocks) return file_error(ErrorCategory::Missing, path, ln, "OBJECTIVE_FUNCTION before NBLOCKS");
      in_objective = true;
      objective_line = ln;
      values.assign(*n_blocks, 0.0);
      seen.assign(*n_blocks, 0);
    } else {
      return file_error(ErrorCategory::Syntax, path, ln,
                        fmt::format("unknown keyword {}; expected NAME, TYPE, NBLOCKS, OBJECTIVE_FUNCTION or EOF", quoted(f[0])));
    }
  }
  if (!n_blocks) return file_error(ErrorCategory::Missing, path, 0, "no NBLOCKS line");
  if (!in_objective) return file_error(ErrorCategory::Missing, path, 0, "no OBJECTIVE_FUNCTION section");
  if (rows < *n_blocks) {
    std::size_t first_missing = std::find(seen.begin(), seen.end(), 0) - seen.begin();
    return file_error(ErrorCategory::Missing, path, objective_line,
                      fmt::format("OBJECTIVE_FUNCTION has {} rows for NBLOCKS {}; block {} has no value", rows,
                                  *n_blocks, first_missing));
  }
  return values;
}

Result<std::vector<MineLibBlock>> read_blocks(const std::string& path, std::size_t n_blocks) {
  auto text = slurp(path);
  CADENA_TRY(text);
  Lines lines(*text);
  std::string_view line;
  std::vector<MineLibBlock> blocks(n_blocks);
  std::vector<std::uint8_t> seen(n_blocks, 0);
  bool first_data = true;
  std::size_t count = 0;
  while (lines.next(line)) {
    if (is_comment_or_blank(line)) continue;
    const int ln = lines.number();
    auto f = split_fields(line);
    if (f.empty()) continue;  // only separators (':' counts as one): a blank line
    auto id = parse_int<std::uint64_t>(f[0]);
    if (first_data && !id) {
      first_data = false;  // some library files start with a header that is not a comment
      continue;
    }
    first_data = false;
    if (f.size() < 4) return file_error(ErrorCategory::Syntax, path, ln, "expected '<id> <x> <y> <z> [attributes…]'");
    if (!id) return file_error(ErrorCategory::Type, path, ln, fmt::format("block id {} is not a non-negative integer", quoted(f[0])));
    if (*id >= n_blocks)
      return file_error(ErrorCategory::Reference, path, ln,
                        fmt::format("block {} out of range: the model has {} blocks (ids 0..{})", *id, n_blocks, n_blocks - 1));
    if (seen[*id]) return file_error(ErrorCategory::Duplicate, path, ln, fmt::format("block {} listed twice", *id));
    int xyz[3];
    for (int a = 0; a < 3; ++a) {
      auto v = parse_int<int>(f[1 + a]);
      if (!v) return file_error(ErrorCategory::Type, path, ln, fmt::format("coordinate {} is not an integer", quoted(f[1 + a])));
      xyz[a] = *v;
    }
    seen[*id] = 1;
    blocks[*id] = {xyz[0], xyz[1], xyz[2]};
    ++count;
  }
  if (count != n_blocks) {
    std::size_t first_missing = std::find(seen.begin(), seen.end(), 0) - seen.begin();
    return file_error(ErrorCategory::Missing, path, 0,
                      fmt::format("{} blocks listed, the model has {}; block {} is missing", count, n_blocks, first_missing));
  }
  return blocks;
}

int cols_of(int axis, int ci, int cj, int ck) { return axis == 0 ? ci : axis == 1 ? cj : ck; }

}  // namespace

Result<std::vector<std::int64_t>> read_values_file(const std::string& path, std::size_t expected_count) {
  auto text = slurp(path);
  CADENA_TRY(text);
  std::vector<std::int64_t> values;
  CADENA_TRY(check_memory(static_cast<double>(expected_count) * kBytesPerBlock,
                          fmt::format("a grid of {} blocks", expected_count), {path, 0, "--grid", ""}));
  // One value per line, at least "0\n": never reserve more than the file can hold, whatever
  // the grid says (a short file is reported after reading, with the count it has).
  values.reserve(std::min(expected_count, (text->size() + 1) / 2));
  Lines lines(*text);
  std::string_view line;
  while (lines.next(line)) {
    std::string_view t = trim(line);
    if (t.empty()) continue;
    auto v = parse_int<std::int64_t>(t);
    if (!v) {
      // A decimal is a sign the caller wanted a priced model, not raw integer values.
      return file_error(ErrorCategory::Type, path, lines.number(),
                        fmt::format("{} is not an integer block value", quoted(t)));
    }
    if (expected_count && values.size() == expected_count)
      return file_error(ErrorCategory::Value, path, lines.number(),
                        fmt::format("more values than the {} blocks of the grid", expected_count));
    values.push_back(*v);
  }
  if (expected_count && values.size() != expected_count)
    return file_error(ErrorCategory::Missing, path, lines.number(),
                      fmt::format("{} values for a grid of {} blocks", values.size(), expected_count));
  return values;
}

Result<ExplicitPrecedence> read_minelib_prec(const std::string& path, std::size_t n_blocks) {
  auto text = slurp(path);
  CADENA_TRY(text);
  Lines lines(*text);
  std::string_view line;
  std::vector<std::vector<BlockId>> req(n_blocks);
  std::vector<int> line_of(n_blocks, 0);
  while (lines.next(line)) {
    if (is_comment_or_blank(line)) continue;
    const int ln = lines.number();
    auto f = split_fields(line);
    if (f.empty()) continue;  // only separators (':' counts as one): a blank line
    if (f.size() == 1 && f[0] == "EOF") break;
    if (f.size() < 2) return file_error(ErrorCategory::Syntax, path, ln, "expected '<block> <n> <p1> … <pn>'");
    auto b = parse_int<std::uint64_t>(f[0]);
    auto n = parse_int<std::uint64_t>(f[1]);
    if (!b) return file_error(ErrorCategory::Type, path, ln, fmt::format("block id {} is not a non-negative integer", quoted(f[0])));
    if (!n) return file_error(ErrorCategory::Type, path, ln, fmt::format("count {} is not a non-negative integer", quoted(f[1])));
    if (*b >= n_blocks)
      return file_error(ErrorCategory::Reference, path, ln, fmt::format("block {} out of range 0..{}", *b, n_blocks - 1));
    if (line_of[*b])
      return file_error(ErrorCategory::Duplicate, path, ln, fmt::format("block {} already listed on line {}", *b, line_of[*b]));
    if (f.size() - 2 != *n)
      return file_error(ErrorCategory::Value, path, ln,
                        fmt::format("block {} announces {} predecessors but lists {}", *b, *n, f.size() - 2));
    line_of[*b] = ln;
    auto& r = req[*b];
    for (std::size_t i = 2; i < f.size(); ++i) {
      auto p = parse_int<std::uint64_t>(f[i]);
      if (!p) return file_error(ErrorCategory::Type, path, ln, fmt::format("predecessor {} is not a block id", quoted(f[i])));
      if (*p >= n_blocks)
        return file_error(ErrorCategory::Reference, path, ln,
                          fmt::format("predecessor {} of block {} does not exist (ids 0..{})", *p, *b, n_blocks - 1));
      r.push_back(static_cast<BlockId>(*p));
    }
  }
  std::vector<std::uint32_t> first(n_blocks + 1, 0);
  std::vector<BlockId> targets;
  for (std::size_t b = 0; b < n_blocks; ++b) {
    targets.insert(targets.end(), req[b].begin(), req[b].end());
    first[b + 1] = static_cast<std::uint32_t>(targets.size());
  }
  ExplicitPrecedence prec(std::move(first), std::move(targets));
  CADENA_TRY(check_acyclic(prec, path));
  return prec;
}

Status check_acyclic(const ExplicitPrecedence& prec, const std::string& file) {
  // Kahn's algorithm on "b requires p": whatever is left over lies on or behind a cycle.
  const std::size_t n = prec.size();
  std::vector<std::uint32_t> indeg(n, 0);
  for (BlockId b = 0; b < n; ++b)
    for (BlockId p : prec.requirements(b)) ++indeg[p];
  std::vector<BlockId> stack;
  for (BlockId b = 0; b < n; ++b)
    if (indeg[b] == 0) stack.push_back(b);
  std::size_t done = 0;
  while (!stack.empty()) {
    BlockId b = stack.back();
    stack.pop_back();
    ++done;
    for (BlockId p : prec.requirements(b))
      if (--indeg[p] == 0) stack.push_back(p);
  }
  if (done == n) return ok_status();
  // Walk requirements from a leftover block until one repeats: that block is on a cycle.
  BlockId v = 0;
  while (indeg[v] == 0) ++v;
  std::vector<std::uint8_t> seen(n, 0);
  while (!seen[v]) {
    seen[v] = 1;
    for (BlockId p : prec.requirements(v))
      if (indeg[p] > 0) {
        v = p;
        break;
      }
  }
  Error e = make_error(ErrorCategory::Value,
                       fmt::format("cyclic precedence: block {} requires itself through a chain of predecessors", v));
  e.in_file(file);
  return e;
}

Result<MineLibModel> read_minelib(const std::string& prefix, double value_scale) {
  MineLibModel m;
  const std::string upit = prefix + ".upit";
  if (!(value_scale <= 1e9))
    return make_error(ErrorCategory::Value, fmt::format("value scale {}: expected 0 (automatic) or at most 1e9", value_scale),
                      {upit, 0, "--scale", ""});
  int decimals = 0;
  auto values = read_upit(upit, m.name, decimals);
  CADENA_TRY(values);
  const std::size_t n = values->size();
  if (value_scale <= 0) {
    // Automatic: as many decimals as the file writes (then the optimum is exact), fewer only if
    // the scaled sum of magnitudes would come near the solver's 2^62 limit.
    double magnitude = 0;
    for (double v : *values) magnitude += std::fabs(v);
    value_scale = std::pow(10.0, decimals);
    while (value_scale > 1 && magnitude * value_scale > 1e18) value_scale /= 10;
  }
  m.value_scale = value_scale;
  m.values.resize(n);
  for (std::size_t b = 0; b < n; ++b) {
    auto s = scaled((*values)[b], value_scale);
    if (!s) return file_error(ErrorCategory::Value, upit, 0, fmt::format("value of block {} too large for the scale", b));
    m.values[b] = *s;
  }
  auto blocks = read_blocks(prefix + ".blocks", n);
  CADENA_TRY(blocks);
  m.blocks = std::move(*blocks);
  auto prec = read_minelib_prec(prefix + ".prec", n);
  CADENA_TRY(prec);
  m.precedence = std::move(*prec);
  return m;
}

double block_value(double revenue_at_rf1, double revenue_factor, double cost_process, double cost_waste) {
  return std::max(revenue_at_rf1 * revenue_factor - cost_process, -cost_waste);
}

Status check_economics(const Economics& e) {
  struct Range {
    double v;
    const char* flag;
    double lo, hi;
    bool lo_open, hi_open;
    const char* what;
  };
  const Range ranges[] = {
      {e.price, "--price", 0, 1e10, false, false, "a price per tonne of payable product in [0, 1e10]"},
      {e.recovery, "--recovery", 0, 1, false, false, "a recovery fraction in [0, 1]"},
      {e.royalty, "--royalty", 0, 1, false, true, "a royalty fraction in [0, 1)"},
      {e.mining_cost, "--mining-cost", 0, 1e6, false, false, "a cost per tonne in [0, 1e6]"},
      {e.processing_cost, "--processing-cost", 0, 1e6, false, false, "a cost per tonne in [0, 1e6]"},
      {e.revenue_factor, "revenue_factor", 0, 100, true, false, "a revenue factor in (0, 100]"},
      {e.block_volume, "--block-volume", 0, 1e9, true, false, "a block volume in (0, 1e9] m3"},
      {e.block_x, "--block-size", 0, 1e6, true, false, "block sizes in (0, 1e6]"},
      {e.block_y, "--block-size", 0, 1e6, true, false, "block sizes in (0, 1e6]"},
      {e.block_z, "--block-size", 0, 1e6, true, false, "block sizes in (0, 1e6]"},
      {e.value_scale, "--value-scale", 0, 1e9, true, false, "integer value units per currency unit in (0, 1e9]"},
  };
  for (const Range& r : ranges) {
    const bool ok = (r.lo_open ? r.v > r.lo : r.v >= r.lo) && (r.hi_open ? r.v < r.hi : r.v <= r.hi);
    if (!ok) return make_error(ErrorCategory::Value, fmt::format("{} is out of range; expected {}", r.v, r.what), {"", 0, r.flag, ""});
  }
  return ok_status();
}

Result<PricedModel> read_block_csv(const std::string& path, const Economics& econ) {
  CADENA_TRY(check_economics(econ));
  auto text = slurp(path);
  CADENA_TRY(text);
  Lines lines(*text);
  std::string_view line;
  auto split_csv = [](std::string_view l) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    for (;;) {
      std::size_t j = l.find(',', i);
      out.push_back(trim(l.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i)));
      if (j == std::string_view::npos) break;
      i = j + 1;
    }
    return out;
  };
  // Header.
  std::vector<std::string> header;
  while (lines.next(line)) {
    if (is_comment_or_blank(line)) continue;
    for (auto h : split_csv(line)) {
      std::string s(h);
      std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
      header.push_back(s);
    }
    break;
  }
  if (header.empty()) return file_error(ErrorCategory::Missing, path, 0, "empty file: expected a header line");
  const int header_line = lines.number();
  auto col = [&](std::string name) -> int {
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    auto it = std::find(header.begin(), header.end(), name);
    return it == header.end() ? -1 : static_cast<int>(it - header.begin());
  };
  int ci = col("i"), cj = col("j"), ck = col("k");
  // Without grid indices, block centroids x, y, z on a regular grid of the given block size.
  const bool by_coords = (ci < 0 || cj < 0 || ck < 0) && col("x") >= 0 && col("y") >= 0 && col("z") >= 0;
  if (by_coords) {
    ci = col("x");
    cj = col("y");
    ck = col("z");
  }
  const int ct = col("tonnes"), cd = col("density"), cg = col(econ.grade_column);
  for (auto [c, name] : {std::pair{ci, "i"}, {cj, "j"}, {ck, "k"}})
    if (c < 0)
      return file_error(ErrorCategory::Missing, path, header_line,
                        fmt::format("no column '{}' (grid index) in the header, nor columns x, y, z (block centroids)", name));
  if (ct < 0 && cd < 0) return file_error(ErrorCategory::Missing, path, header_line, "no column 'tonnes' or 'density' in the header");
  if (cg < 0)
    return file_error(ErrorCategory::Missing, path, header_line, fmt::format("no grade column '{}' in the header", econ.grade_column));
  struct Row {
    int i, j, k;
    double c[3];
    double t, g;
    int line;
  };
  std::vector<Row> rows;
  int mx = 0, my = 0, mz = 0;
  while (lines.next(line)) {
    if (is_comment_or_blank(line)) continue;
    const int ln = lines.number();
    auto f = split_csv(line);
    if (f.size() != header.size())
      return file_error(ErrorCategory::Syntax, path, ln, fmt::format("{} fields, the header has {}", f.size(), header.size()));
    Row r{};
    r.line = ln;
    int* idx[3] = {&r.i, &r.j, &r.k};
    const int cols[3] = {ci, cj, ck};
    for (int a = 0; a < 3 && by_coords; ++a) {
      auto v = parse_double(f[cols[a]]);
      if (!v)
        return file_error(ErrorCategory::Type, path, ln, fmt::format("column '{}': {} is not a coordinate", header[cols[a]], quoted(f[cols[a]])))
            .at_key(header[cols[a]]);
      r.c[a] = *v;
    }
    for (int a = 0; a < 3 && !by_coords; ++a) {
      auto v = parse_int<int>(f[cols[a]]);
      if (!v || *v < 0 || *v > 100000)
        return file_error(ErrorCategory::Type, path, ln,
                          fmt::format("column '{}': {} is not a grid index (integer 0..100000)", header[cols[a]], quoted(f[cols[a]])))
            .at_key(header[cols[a]]);
      *idx[a] = *v;
    }
    auto num = [&](int c, double& out) -> Status {
      auto v = parse_double(f[c]);
      if (!v || *v < 0)
        return file_error(ErrorCategory::Type, path, ln, fmt::format("{} is not a non-negative number", quoted(f[c]))).at_key(header[c]);
      out = *v;
      return ok_status();
    };
    if (ct >= 0) {
      CADENA_TRY(num(ct, r.t));
    } else {
      CADENA_TRY(num(cd, r.t));
      r.t *= econ.block_volume;
    }
    CADENA_TRY(num(cg, r.g));
    if (r.g > 1.0)
      return file_error(ErrorCategory::Value, path, ln, fmt::format("grade {} above 1: expected a mass fraction", r.g)).at_key(header[cg]);
    mx = std::max(mx, r.i);
    my = std::max(my, r.j);
    mz = std::max(mz, r.k);
    rows.push_back(r);
  }
  if (rows.empty()) return file_error(ErrorCategory::Missing, path, header_line, "no block rows after the header");
  if (by_coords) {
    const double size[3] = {econ.block_x, econ.block_y, econ.block_z};
    double lo[3] = {rows[0].c[0], rows[0].c[1], rows[0].c[2]};
    for (const Row& r : rows)
      for (int a = 0; a < 3; ++a) lo[a] = std::min(lo[a], r.c[a]);
    mx = my = mz = 0;
    for (Row& r : rows) {
      int* idx[3] = {&r.i, &r.j, &r.k};
      for (int a = 0; a < 3; ++a) {
        const double step = (r.c[a] - lo[a]) / size[a];
        const double whole = std::nearbyint(step);
        if (std::fabs(step - whole) > 1e-3 || whole > 100000)
          return file_error(ErrorCategory::Value, path, r.line,
                            fmt::format("{} = {} is not on the grid of block size {} starting at {}", header[cols_of(a, ci, cj, ck)],
                                        r.c[a], size[a], lo[a]))
              .at_key(header[cols_of(a, ci, cj, ck)]);
        *idx[a] = static_cast<int>(whole);
      }
      mx = std::max(mx, r.i);
      my = std::max(my, r.j);
      mz = std::max(mz, r.k);
    }
  }
  PricedModel m;
  m.nx = mx + 1;
  m.ny = my + 1;
  m.nz = mz + 1;
  const double cells = static_cast<double>(m.nx) * m.ny * m.nz;
  if (cells > 2.0e8)
    return file_error(ErrorCategory::Value, path, 0,
                      fmt::format("the blocks span a grid of {} x {} x {} cells, more than 2e8", m.nx, m.ny, m.nz));
  CADENA_TRY(check_memory(cells * kBytesPerBlock, fmt::format("a grid of {} x {} x {} blocks", m.nx, m.ny, m.nz),
                          {path, 0, "", ""}));
  const std::size_t n = static_cast<std::size_t>(cells);
  m.values.assign(n, 0);
  m.tonnes.assign(n, 0.0);
  m.grade.assign(n, 0.0);
  m.revenue.assign(n, 0.0);
  m.cost_process.assign(n, 0.0);
  m.cost_waste.assign(n, 0.0);
  m.present.assign(n, 0);
  for (const Row& r : rows) {
    const std::size_t id = static_cast<std::size_t>(r.i) + static_cast<std::size_t>(m.nx) * (r.j + static_cast<std::size_t>(m.ny) * r.k);
    if (m.present[id])
      return file_error(ErrorCategory::Duplicate, path, r.line, fmt::format("block ({}, {}, {}) listed twice", r.i, r.j, r.k));
    m.present[id] = 1;
    m.tonnes[id] = r.t;
    m.grade[id] = r.g;
    m.revenue[id] = r.t * r.g * econ.recovery * econ.price * (1.0 - econ.royalty);
    m.cost_process[id] = r.t * (econ.mining_cost + econ.processing_cost);
    m.cost_waste[id] = r.t * econ.mining_cost;
    auto s = scaled(block_value(m.revenue[id], econ.revenue_factor, m.cost_process[id], m.cost_waste[id]), econ.value_scale);
    if (!s) return file_error(ErrorCategory::Value, path, r.line, "block value too large for the value scale");
    m.values[id] = *s;
  }
  return m;
}

}  // namespace cadena::pit
