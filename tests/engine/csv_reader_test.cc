#include "engine/csv_reader.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clustermatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// Reads every record, or returns the first error.
absl::StatusOr<std::vector<CsvRecord>> ReadAll(std::string_view text,
                                               std::string_view source_name = "") {
  CsvReader reader(text, source_name);
  std::vector<CsvRecord> records;
  CsvRecord record;
  while (true) {
    absl::StatusOr<bool> more = reader.Next(&record);
    if (!more.ok()) return more.status();
    if (!*more) return records;
    records.push_back(record);
  }
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(CsvReaderTest, ReadsSimpleRecordsWithLineNumbers) {
  auto records = ReadAll("id,name\n1,한빛\n2,G-Valley\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_THAT((*records)[0].fields, ElementsAre("id", "name"));
  EXPECT_THAT((*records)[1].fields, ElementsAre("1", "한빛"));
  EXPECT_THAT((*records)[2].fields, ElementsAre("2", "G-Valley"));
  EXPECT_EQ((*records)[0].line, 1);
  EXPECT_EQ((*records)[1].line, 2);
  EXPECT_EQ((*records)[2].line, 3);
}

TEST(CsvReaderTest, AcceptsCrlfLoneCrAndMissingFinalNewline) {
  for (const char* text : {"a,b\r\nc,d\r\n", "a,b\rc,d\r", "a,b\nc,d"}) {
    auto records = ReadAll(text);
    ASSERT_TRUE(records.ok()) << records.status();
    ASSERT_EQ(records->size(), 2u) << text;
    EXPECT_THAT((*records)[1].fields, ElementsAre("c", "d"));
    EXPECT_EQ((*records)[1].line, 2);
  }
}

TEST(CsvReaderTest, QuotedFieldsHoldCommasAndQuotes) {
  auto records = ReadAll("\"a,b\",\"say \"\"hi\"\"\",\"\",plain\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 1u);
  EXPECT_THAT((*records)[0].fields, ElementsAre("a,b", "say \"hi\"", "", "plain"));
}

TEST(CsvReaderTest, KeepsEmptyFieldsAndWhitespace) {
  auto records = ReadAll("a,,c,\n , x ,\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_THAT((*records)[0].fields, ElementsAre("a", "", "c", ""));
  EXPECT_THAT((*records)[1].fields, ElementsAre(" ", " x ", ""));
}

TEST(CsvReaderTest, MultiLineQuotedCellKeepsLineNumbersOfNextRecords) {
  const std::string text =
      "id,description\r\n"
      "1,\"first line\r\nsecond, line\nthird\"\r\n"
      "2,\"x\n\ny\"\n"
      "3,last\n";
  auto records = ReadAll(text);
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 4u);
  EXPECT_EQ((*records)[1].line, 2);
  EXPECT_EQ((*records)[1].fields[1], "first line\r\nsecond, line\nthird");
  EXPECT_EQ((*records)[2].line, 5);
  EXPECT_EQ((*records)[2].fields[1], "x\n\ny");
  EXPECT_EQ((*records)[3].line, 8);
  EXPECT_THAT((*records)[3].fields, ElementsAre("3", "last"));
}

TEST(CsvReaderTest, SkipsBlankLinesAndBom) {
  auto records = ReadAll("\xEF\xBB\xBFid,name\n\n\r\n1,a\n\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 2u);
  EXPECT_THAT((*records)[0].fields, ElementsAre("id", "name"));
  EXPECT_EQ((*records)[1].line, 4);
}

TEST(CsvReaderTest, EmptyInputHasNoRecords) {
  auto records = ReadAll("");
  ASSERT_TRUE(records.ok());
  EXPECT_TRUE(records->empty());
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLineWhereItOpened) {
  auto records = ReadAll("id,name\n1,ok\n2,\"never\nclosed\n", "firms.csv");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(records.status()), "firms.csv:3: field 2: quoted field is never closed");
}

TEST(CsvReaderTest, QuoteInsideUnquotedFieldIsAnError) {
  auto records = ReadAll("a,b\nc,d\"e\n");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(records.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(records.status()), StartsWith("line 2: field 2: '\"' inside an unquoted"));
}

TEST(CsvReaderTest, JunkAfterClosingQuoteIsAnError) {
  auto records = ReadAll("a,b\n\"multi\nline\"x,d\n", "in.csv");
  ASSERT_FALSE(records.ok());
  EXPECT_EQ(Message(records.status()),
            "in.csv:3: field 1: unexpected character after the closing quote");
  records = ReadAll("\"a\" ,b\n");
  ASSERT_FALSE(records.ok());
  EXPECT_THAT(Message(records.status()), StartsWith("line 1: field 1: unexpected character"));
}

TEST(CsvReaderTest, StopsAfterAnError) {
  CsvReader reader("a\"b\nc\n");
  CsvRecord record;
  EXPECT_FALSE(reader.Next(&record).ok());
  absl::StatusOr<bool> after = reader.Next(&record);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(*after);
}

TEST(CsvTableTest, SplitsHeaderFromRows) {
  auto table = ReadCsvTable("id,name\n1,a\n2,\"b\nc\"\n");
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_THAT(table->header.fields, ElementsAre("id", "name"));
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[1].line, 3);
}

TEST(CsvTableTest, RowWidthMustMatchHeader) {
  auto table = ReadCsvTable("id,name,region\n1,a,b\n2,\"x\ny\",c\n3,only two\n", "firms.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(table.status()), "firms.csv:5: expected 3 fields as in the header, got 2");
}

TEST(CsvTableTest, EmptyInputHasNoHeader) {
  auto table = ReadCsvTable("\n\n", "firms.csv");
  ASSERT_FALSE(table.ok());
  EXPECT_THAT(Message(table.status()), HasSubstr("firms.csv:1: no header row"));
}

}  // namespace
}  // namespace clustermatch
