#include <gtest/gtest.h>

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
