#include "engine/relation_csv.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/cp949_test_util.h"

namespace clustermatch {
namespace {

using ::testing::IsEmpty;
using ::testing::StartsWith;

// The error message of parsing `csv` as relations.csv; empty if it parsed.
std::string ParseError(std::string_view csv) {
  absl::StatusOr<std::vector<Relation>> relations = ParseRelationsCsv(csv, "relations.csv");
  if (relations.ok()) return "";
  EXPECT_EQ(relations.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(relations.status().message());
}

TEST(RelationCsvTest, ParsesWithHeader) {
  absl::StatusOr<std::vector<Relation>> relations = ParseRelationsCsv(
      "\xEF\xBB\xBF"
      "A,B,Kind,Date,Context\r\n"
      "gv-1,gv-2,partnered,2024-03-05,expo-2024\r\n"
      "gv-1,gv-3, do-not-match ,2023,\r\n",
      "relations.csv");
  ASSERT_TRUE(relations.ok()) << relations.status();
  ASSERT_EQ(relations->size(), 2u);
  EXPECT_EQ((*relations)[0], (Relation{.a = "gv-1",
                                       .b = "gv-2",
                                       .kind = RelationKind::kPartnered,
                                       .date = "2024-03-05",
                                       .context = "expo-2024"}));
  EXPECT_EQ((*relations)[1], (Relation{.a = "gv-1",
                                       .b = "gv-3",
                                       .kind = RelationKind::kDoNotMatch,
                                       .date = "2023",
                                       .context = ""}));
}

TEST(RelationCsvTest, HeaderIsOptionalAndContextColumnToo) {
  absl::StatusOr<std::vector<Relation>> relations = ParseRelationsCsv(
      "a1,b1,met,2024-01-31\n"
      "a1,b1,RELATION_KIND_MET,2024-02-29,sig-vr\n"
      "a2,b2,do_not_match,2020\n",
      "relations.csv");
  ASSERT_TRUE(relations.ok()) << relations.status();
  ASSERT_EQ(relations->size(), 3u);
  EXPECT_EQ((*relations)[0].kind, RelationKind::kMet);
  EXPECT_EQ((*relations)[0].context, "");
  EXPECT_EQ((*relations)[1].kind, RelationKind::kMet);  // repeats are kept
  EXPECT_EQ((*relations)[1].context, "sig-vr");
  EXPECT_EQ((*relations)[2].kind, RelationKind::kDoNotMatch);
}

TEST(RelationCsvTest, AcceptsEveryKindName) {
  absl::StatusOr<std::vector<Relation>> relations = ParseRelationsCsv(
      "a,b,kind,date\nx,y,partnered,2020\nx,y,met,2020\nx,y,accepted,2020\nx,y,declined,2020\n"
      "x,y,competitor,2020\nx,y,do-not-match,2020\n",
      "relations.csv");
  ASSERT_TRUE(relations.ok()) << relations.status();
  ASSERT_EQ(relations->size(), 6u);
  for (size_t i = 0; i < relations->size(); ++i) {
    EXPECT_EQ(static_cast<size_t>((*relations)[i].kind), i);
  }
}

TEST(RelationCsvTest, ReadsCp949Context) {
  const std::string cp949 =
      ToCp949("a,b,kind,date,context\r\nk1,k2,met,2024-05-01,구로 비즈니스 상담회\r\n");
  absl::StatusOr<std::vector<Relation>> relations = ParseRelationsCsv(cp949, "relations.csv");
  ASSERT_TRUE(relations.ok()) << relations.status();
  ASSERT_EQ(relations->size(), 1u);
  EXPECT_EQ((*relations)[0].context, "구로 비즈니스 상담회");
}

TEST(RelationCsvTest, EmptyFileAndHeaderOnlyGiveNoRelations) {
  for (const char* csv : {"", "a,b,kind,date\n", "\n,,,\n"}) {
    absl::StatusOr<std::vector<Relation>> relations = ParseRelationsCsv(csv, "relations.csv");
    ASSERT_TRUE(relations.ok()) << relations.status();
    EXPECT_THAT(*relations, IsEmpty());
  }
}

TEST(RelationCsvTest, ErrorsNameFileLineAndField) {
  EXPECT_THAT(ParseError("a,b,kind,date\nx,y,met,2020\nx,y,friend,2020\n"),
              StartsWith("relations.csv:3: kind: unknown value \"friend\""));
  EXPECT_EQ(ParseError("x,y,,2020\n"), "relations.csv:1: kind: must not be empty");
  EXPECT_THAT(ParseError("x,y,met,2023-02-29\n"), StartsWith("relations.csv:1: date: "));
  EXPECT_THAT(ParseError("x,y,met,05/03/2024\n"), StartsWith("relations.csv:1: date: "));
  EXPECT_EQ(ParseError("x,x,met,2024\n"), "relations.csv:1: b: must differ from a");
  EXPECT_EQ(ParseError("x,y,met,2024\n,y,met,2024\n"), "relations.csv:2: a: must not be empty");
  EXPECT_THAT(ParseError(absl::StrCat("x,y,met,2024,\"", std::string(200, 'c'), "\"\n")),
              StartsWith("relations.csv:1: context: longer than 128 bytes"));
}

TEST(RelationCsvTest, WidthAndHeaderErrors) {
  EXPECT_THAT(ParseError("x,y,met\n"), StartsWith("relations.csv:1: expected 4 or 5 fields"));
  EXPECT_THAT(ParseError("x,y,met,2024,c,extra\n"), StartsWith("relations.csv:1: expected 4 or 5"));
  EXPECT_EQ(ParseError("a,b,kind,date\nx,y,met,2024,ctx\n"),
            "relations.csv:2: expected 4 fields as in the header, got 5");
  EXPECT_THAT(ParseError("a,b,kind,date,note\nx,y,met,2024,n\n"),
              StartsWith("relations.csv:1: note: unknown column"));
  EXPECT_THAT(ParseError("a,b,kind,date\nx,y,met,\"2024\"\nx,y,met\n"),
              StartsWith("relations.csv:3: expected 4 fields"));
  EXPECT_EQ(ParseError("a,b,kind,date\nx,\"y\nz\",met,2024\n"),
            "relations.csv:2: b: contains a control character (byte offset 1)");
  EXPECT_THAT(ParseError("x,\"y,met,2024\n"), StartsWith("relations.csv:1: field 2: quoted field"));
}

}  // namespace
}  // namespace clustermatch
