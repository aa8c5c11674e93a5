#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "cadena/io/csv.hpp"

namespace cadena::io {
namespace {

TEST(Csv, HeaderRowsAndLineNumbersSkipCommentsAndBlankLines) {
  auto t = parse_csv("# a comment\n\nid,name\n a , b \n# another\n\nc,d\n", "t.csv");
  ASSERT_TRUE(t.ok()) << t.error().format();
  EXPECT_EQ(t->header_line, 3);
  ASSERT_EQ(t->header, (std::vector<std::string>{"id", "name"}));
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].line, 4);
  EXPECT_EQ(t->rows[0].fields, (std::vector<std::string>{"a", "b"}));  // unquoted fields are trimmed
  EXPECT_EQ(t->rows[1].line, 7);
  EXPECT_EQ(t->column("name"), 1);
  EXPECT_EQ(t->column("nope"), -1);
}

TEST(Csv, QuotedFieldsKeepCommasSpacesAndEscapedQuotes) {
  auto f = split_csv_line(R"("a, b",  " padded " ,"say ""hi""",plain)");
  ASSERT_TRUE(f.ok()) << f.error().format();
  EXPECT_EQ(*f, (std::vector<std::string>{"a, b", " padded ", R"(say "hi")", "plain"}));
}

TEST(Csv, EmptyFieldsAndTrailingComma) {
  auto f = split_csv_line("a,,c,");
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(*f, (std::vector<std::string>{"a", "", "c", ""}));
  auto q = split_csv_line(R"("")");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, (std::vector<std::string>{""}));
}

TEST(Csv, HashInsideARowIsData) {
  auto t = parse_csv("id,source\nx,https://example.org/page#section\n", "t.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->rows[0].fields[1], "https://example.org/page#section");
}

TEST(Csv, CrLfLineEndingsAndByteOrderMark) {
  auto t = parse_csv("\xEF\xBB\xBFid,v\r\na,1\r\nb,2", "t.csv");  // no final newline either
  ASSERT_TRUE(t.ok()) << t.error().format();
  EXPECT_EQ(t->header[0], "id");
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[0].fields[1], "1");
  EXPECT_EQ(t->rows[1].fields[1], "2");
  EXPECT_EQ(t->rows[1].line, 3);
}

TEST(Csv, UnbalancedQuoteIsASyntaxErrorOnItsLine) {
  auto t = parse_csv("id,name\nx,\"open\ny,z\n", "f.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().category, ErrorCategory::Syntax);
  EXPECT_EQ(t.error().context.file, "f.csv");
  EXPECT_EQ(t.error().context.line, 2);
  EXPECT_NE(t.error().message.find("unbalanced quote"), std::string::npos);
}

TEST(Csv, WrongFieldCountNamesBothCounts) {
  auto t = parse_csv("a,b,c\n1,2,3\n1,2\n", "f.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().category, ErrorCategory::Syntax);
  EXPECT_EQ(t.error().context.line, 3);
  EXPECT_NE(t.error().message.find("expected 3 fields"), std::string::npos);
  EXPECT_NE(t.error().message.find("found 2"), std::string::npos);
}

TEST(Csv, TextAfterClosingQuoteAndQuoteInsideUnquotedField) {
  auto a = split_csv_line(R"("a"b,c)");
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().category, ErrorCategory::Syntax);
  auto b = split_csv_line(R"(ab"c,d)");
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().category, ErrorCategory::Syntax);
  auto ok = split_csv_line(R"("a"  ,b)");  // blanks after the closing quote are fine
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, (std::vector<std::string>{"a", "b"}));
}

TEST(Csv, HeaderProblems) {
  auto dup = parse_csv("id,name,id\n", "f.csv");
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().category, ErrorCategory::Duplicate);
  EXPECT_EQ(dup.error().context.key, "id");
  auto empty = parse_csv("id,,name\n", "f.csv");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().category, ErrorCategory::Syntax);
  auto none = parse_csv("# only a comment\n\n", "f.csv");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().category, ErrorCategory::Missing);
}

TEST(Csv, HeaderOnlyIsAnEmptyTable) {
  auto t = parse_csv("id,name\n", "f.csv");
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->rows.empty());
}

TEST(Csv, ReadMissingFileIsAMissingError) {
  auto t = read_csv(std::filesystem::path(CADENA_FIXTURES_DIR) / "no-such-file.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().category, ErrorCategory::Missing);
  EXPECT_NE(t.error().context.file.find("no-such-file.csv"), std::string::npos);
}

TEST(Csv, ReadsAFixtureFileWithItsPath) {
  auto t = read_csv(std::filesystem::path(CADENA_FIXTURES_DIR) / "datasets/tiny/companies.csv");
  ASSERT_TRUE(t.ok()) << t.error().format();
  ASSERT_EQ(t->rows.size(), 5u);
  EXPECT_EQ(t->rows[0].fields[1], "Sociedad Química y Minera de Chile, S.A.");
  EXPECT_EQ(t->rows[4].fields[4], R"(a "quoted" note)");
  EXPECT_EQ(t->rows[4].line, 6);
}

}  // namespace
}  // namespace cadena::io

namespace cadena::io {
namespace {

// An independent encoder: quote a field when it holds a comma, a quote, a leading/trailing
// blank or a leading '#'; double the quotes inside.
std::string encode_field(const std::string& f) {
  const bool quote = f.find_first_of(",\"") != std::string::npos || (!f.empty() && (f.front() == ' ' || f.back() == ' ' || f.front() == '#'));
  if (!quote) return f;
  std::string out = "\"";
  for (char c : f) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

TEST(CsvProperty, RandomTablesRoundTripThroughAnIndependentEncoder) {
  std::mt19937 rng(20240611);  // fixed seed: the test is deterministic
  const std::string alphabet = "ab, \"#x1.-";
  for (int trial = 0; trial < 300; ++trial) {
    const int cols = 1 + static_cast<int>(rng() % 5);
    const int rows = static_cast<int>(rng() % 6);
    std::vector<std::vector<std::string>> table;
    std::string text;
    for (int r = 0; r <= rows; ++r) {  // row 0 is the header
      std::vector<std::string> fields;
      std::string line;
      for (int c = 0; c < cols; ++c) {
        std::string f;
        if (r == 0) {
          f = "c";  // unique, non-empty header names
          f += std::to_string(c);
        } else {
          const int len = static_cast<int>(rng() % 6);
          for (int k = 0; k < len; ++k) f += alphabet[rng() % alphabet.size()];  // edge blanks get quoted
        }
        if (c) line += ',';
        line += encode_field(f);
        fields.push_back(f);
      }
      // A row that reads as blank or as a comment would be skipped; the encoder quotes a
      // leading '#', and a single empty field is written as "" so the row stays a row.
      if (cols == 1 && fields[0].empty()) line = "\"\"";
      table.push_back(fields);
      text += line + ((rng() % 4 == 0) ? "\r\n" : "\n");
      if (rng() % 5 == 0) text += "# a comment\n\n";
    }
    auto t = parse_csv(text, "p.csv");
    ASSERT_TRUE(t.ok()) << t.error().format() << "\n" << text;
    ASSERT_EQ(t->header, table[0]) << text;
    ASSERT_EQ(t->rows.size(), static_cast<size_t>(rows)) << text;
    for (int r = 0; r < rows; ++r) ASSERT_EQ(t->rows[r].fields, table[r + 1]) << text;
  }
}

TEST(CsvProperty, GarbageNeverCrashesAndErrorsPointAtARealLine) {
  std::mt19937 rng(7);
  const std::string alphabet = ",\"\n\r #a";
  for (int trial = 0; trial < 2000; ++trial) {
    std::string text;
    const int len = static_cast<int>(rng() % 40);
    for (int k = 0; k < len; ++k) text += alphabet[rng() % alphabet.size()];
    const int lines = 1 + static_cast<int>(std::count(text.begin(), text.end(), '\n'));
    auto t = parse_csv(text, "g.csv");
    if (t.ok()) {
      for (const auto& row : t->rows) {
        EXPECT_EQ(row.fields.size(), t->header.size());
        EXPECT_GT(row.line, t->header_line);
        EXPECT_LE(row.line, lines);
      }
    } else {
      EXPECT_EQ(t.error().context.file, "g.csv");
      EXPECT_GE(t.error().context.line, 0);
      EXPECT_LE(t.error().context.line, lines);
    }
  }
}

}  // namespace
}  // namespace cadena::io
