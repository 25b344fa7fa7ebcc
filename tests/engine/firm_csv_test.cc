#include "engine/firm_csv.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/cp949_test_util.h"

namespace clustermatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::StartsWith;

std::string Message(const absl::Status& status) { return std::string(status.message()); }

// The error message of parsing `csv` as firms.csv; empty if it parsed.
std::string ParseError(std::string_view csv, std::string_view encoding = "auto") {
  absl::StatusOr<std::vector<Firm>> firms = ParseFirmsCsv(csv, "firms.csv", encoding);
  if (firms.ok()) return "";
  EXPECT_EQ(firms.status().code(), absl::StatusCode::kInvalidArgument);
  return Message(firms.status());
}

TEST(FirmCsvTest, ParsesEveryColumn) {
  const std::string csv =
      "id,name,description,kind,clusters,mini_cluster,industries,technologies,products,offers,"
      "needs,roles,materials,markets,region,employees,founded,visibility\n"
      "gv-1,한빛소프트,\"VR 콘텐츠, 교육\",research_institute,G-Valley;DMC,DC,J58221,"
      "VR; 모션 캡처 ,교육 콘텐츠,3D animation,distribution in Japan;prototype machining,"
      "planning;ROLE_MARKETING,PCB,JP;VN,서울 구로구,42,2011,members\n";
  absl::StatusOr<std::vector<Firm>> firms = ParseFirmsCsv(csv, "firms.csv");
  ASSERT_TRUE(firms.ok()) << firms.status();
  ASSERT_EQ(firms->size(), 1u);
  const Firm& f = (*firms)[0];
  EXPECT_EQ(f.id, "gv-1");
  EXPECT_EQ(f.name, "한빛소프트");
  EXPECT_EQ(f.description, "VR 콘텐츠, 교육");
  EXPECT_EQ(f.kind, FirmKind::kResearchInstitute);
  EXPECT_THAT(f.clusters, ElementsAre("G-Valley", "DMC"));
  EXPECT_EQ(f.mini_cluster, "DC");
  EXPECT_THAT(f.industries, ElementsAre("J58221"));
  EXPECT_THAT(f.technologies, ElementsAre("VR", "모션 캡처"));
  EXPECT_THAT(f.products, ElementsAre("교육 콘텐츠"));
  EXPECT_THAT(f.offers, ElementsAre("3D animation"));
  EXPECT_THAT(f.needs, ElementsAre("distribution in Japan", "prototype machining"));
  EXPECT_THAT(f.roles, ElementsAre(Role::kPlanning, Role::kMarketing));
  EXPECT_THAT(f.materials, ElementsAre("PCB"));
  EXPECT_THAT(f.markets, ElementsAre("JP", "VN"));
  EXPECT_EQ(f.region, "서울 구로구");
  EXPECT_EQ(f.employees, 42);
  EXPECT_EQ(f.founded, 2011);
  EXPECT_EQ(f.visibility, Visibility::kMembers);
}

TEST(FirmCsvTest, ColumnsInAnyOrderAndCaseWithDefaults) {
  const std::string csv =
      " Name ,ID,Kind,Visibility,employees\n"
      "  Acme  , a-1 ,FIRM_KIND_UNIVERSITY,VISIBILITY_HIDDEN,\n"
      "Beta,b-2,,,  7 \n";
  absl::StatusOr<std::vector<Firm>> firms = ParseFirmsCsv(csv, "firms.csv");
  ASSERT_TRUE(firms.ok()) << firms.status();
  ASSERT_EQ(firms->size(), 2u);
  EXPECT_EQ((*firms)[0].id, "a-1");
  EXPECT_EQ((*firms)[0].name, "Acme");
  EXPECT_EQ((*firms)[0].kind, FirmKind::kUniversity);
  EXPECT_EQ((*firms)[0].visibility, Visibility::kHidden);
  EXPECT_EQ((*firms)[0].employees, 0);
  EXPECT_EQ((*firms)[1].kind, FirmKind::kUnspecified);
  EXPECT_EQ((*firms)[1].visibility, Visibility::kPublic);
  EXPECT_EQ((*firms)[1].employees, 7);
  EXPECT_THAT((*firms)[1].needs, IsEmpty());
}

TEST(FirmCsvTest, ListItemsAreTrimmedAndEmptyItemsDropped) {
  absl::StatusOr<std::vector<Firm>> firms =
      ParseFirmsCsv("id,needs,roles\nx, a ; ;b;;,;development; \n", "firms.csv");
  ASSERT_TRUE(firms.ok()) << firms.status();
  EXPECT_THAT((*firms)[0].needs, ElementsAre("a", "b"));
  EXPECT_THAT((*firms)[0].roles, ElementsAre(Role::kDevelopment));
}

TEST(FirmCsvTest, ReadsUtf8WithBomAndCrlf) {
  absl::StatusOr<std::vector<Firm>> firms =
      ParseFirmsCsv("\xEF\xBB\xBFid,name\r\nk-1,구로\r\nk-2,마곡\r\n", "firms.csv");
  ASSERT_TRUE(firms.ok()) << firms.status();
  ASSERT_EQ(firms->size(), 2u);
  EXPECT_EQ((*firms)[0].id, "k-1");
  EXPECT_EQ((*firms)[1].name, "마곡");
}

TEST(FirmCsvTest, ReadsCp949FromKoreanExcel) {
  const std::string utf8 = "id,name,needs\r\nk-1,한빛소프트,일본 유통;시제품 가공\r\n";
  const std::string cp949 = ToCp949(utf8);
  for (const char* encoding : {"auto", "cp949", "euc-kr"}) {
    absl::StatusOr<std::vector<Firm>> firms = ParseFirmsCsv(cp949, "firms.csv", encoding);
    ASSERT_TRUE(firms.ok()) << encoding << ": " << firms.status();
    ASSERT_EQ(firms->size(), 1u);
    EXPECT_EQ((*firms)[0].name, "한빛소프트");
    EXPECT_THAT((*firms)[0].needs, ElementsAre("일본 유통", "시제품 가공"));
  }
  EXPECT_THAT(ParseError(cp949, "utf-8"), StartsWith("firms.csv:2: not valid UTF-8"));
}

TEST(FirmCsvTest, SkipsRowsWithOnlyEmptyCells) {
  absl::StatusOr<std::vector<Firm>> firms =
      ParseFirmsCsv("id,name\na,A\n,\n , \nb,B\n", "firms.csv");
  ASSERT_TRUE(firms.ok()) << firms.status();
  ASSERT_EQ(firms->size(), 2u);
  EXPECT_EQ((*firms)[1].id, "b");
}

TEST(FirmCsvTest, HeaderOnlyGivesNoFirms) {
  absl::StatusOr<std::vector<Firm>> firms = ParseFirmsCsv("id,name\r\n", "firms.csv");
  ASSERT_TRUE(firms.ok()) << firms.status();
  EXPECT_THAT(*firms, IsEmpty());
}

TEST(FirmCsvTest, HeaderErrorsNameLineOneAndColumn) {
  EXPECT_EQ(ParseError("id,colour\n1,red\n"), "firms.csv:1: colour: unknown column");
  EXPECT_EQ(ParseError("name,region\nA,Seoul\n"), "firms.csv:1: id: required column is missing");
  EXPECT_EQ(ParseError("id,name,NAME\n"), "firms.csv:1: name: column appears twice");
  EXPECT_EQ(ParseError(""), "firms.csv:1: no header row");
}

TEST(FirmCsvTest, CellErrorsNameFileLineAndField) {
  EXPECT_EQ(ParseError("id,employees\na,1\nb,2\nc,3\nd,4\ne,5\nf,12a\n"),
            "firms.csv:7: employees: not an integer: \"12a\"");
  EXPECT_EQ(ParseError("id,founded\na,2011.0\n"),
            "firms.csv:2: founded: not an integer: \"2011.0\"");
  EXPECT_EQ(ParseError("id,founded\na,99999999999\n"),
            "firms.csv:2: founded: not an integer: \"99999999999\"");
  EXPECT_THAT(ParseError("id,kind\na,company\nb,comapny\n"),
              StartsWith("firms.csv:3: kind: unknown value \"comapny\"; expected company"));
  EXPECT_THAT(ParseError("id,roles\na,planning;selling\n"),
              StartsWith("firms.csv:2: roles: unknown value \"selling\""));
  EXPECT_THAT(ParseError("id,visibility\na,secret\n"),
              StartsWith("firms.csv:2: visibility: unknown value \"secret\""));
}

TEST(FirmCsvTest, ValidationErrorsArePrefixedWithFileAndLine) {
  EXPECT_EQ(ParseError("id,name\na,A\n,B\n"), "firms.csv:3: id: must not be empty");
  EXPECT_EQ(ParseError("id,employees\na,-5\n"),
            "firms.csv:2: employees: must be 0 to 10000000, got -5");
  EXPECT_THAT(ParseError("id,founded\na,1700\n"), StartsWith("firms.csv:2: founded: "));
  EXPECT_EQ(ParseError("id,needs\na,x;y;x\n"), "firms.csv:2: needs[2]: repeats needs[0]");
  EXPECT_THAT(ParseError(absl::StrCat("id\n", std::string(129, 'i'), "\n")),
              StartsWith("firms.csv:2: id: longer than 128 bytes"));
  EXPECT_THAT(ParseError(absl::StrCat("id,description\na,\"", std::string(1 << 20, 'd'), "\"\n")),
              StartsWith("firms.csv:2: description: longer than 8000 bytes"));
}

TEST(FirmCsvTest, InvalidUtf8InListItemIsRejectedWhenUtf8IsNamed) {
  EXPECT_THAT(ParseError("id,needs\na,ok;bad\xC0\xAF\n", "utf-8"),
              StartsWith("firms.csv:2: not valid UTF-8 at byte offset 17"));
}

TEST(FirmCsvTest, ErrorAfterMultiLineCellNamesThePhysicalLine) {
  EXPECT_EQ(ParseError("id,description,employees\n"
                       "a,\"one\ntwo\nthree\",1\n"
                       "b,\"x\r\ny\",many\n"),
            "firms.csv:5: employees: not an integer: \"many\"");
}

TEST(FirmCsvTest, BrokenQuotingAndWidthErrorsNameFileAndLine) {
  EXPECT_THAT(ParseError("id,name\na,\"open\n"), StartsWith("firms.csv:2: field 2: quoted field"));
  EXPECT_THAT(ParseError("id,name\na,b\"c\n"), StartsWith("firms.csv:2: field 2: '\"' inside"));
  EXPECT_EQ(ParseError("id,name\na,A\nb\n"),
            "firms.csv:3: expected 2 fields as in the header, got 1");
}

TEST(FirmCsvTest, DuplicateIdsNameBothLines) {
  EXPECT_EQ(ParseError("id,name\nA1,x\nB2,y\nA1,z\n"),
            "firms.csv:4: id: duplicate id \"A1\", first on line 2");
}

std::vector<Firm> SampleFirms() {
  Firm a;
  a.id = "gv-0001";
  a.name = "한빛소프트, Inc. \"HB\"";
  a.description = "  VR 콘텐츠 제작\r\n\t모션 캡처 스튜디오,\n\"quoted\"  ";
  a.kind = FirmKind::kSupportOrganisation;
  a.clusters = {"G-Valley", "DMC"};
  a.mini_cluster = "DC";
  a.industries = {"J58221", "C26"};
  a.technologies = {"VR", "모션, 캡처"};
  a.products = {"교육 \"콘텐츠\""};
  a.offers = {"3D animation", "contract PCB assembly"};
  a.needs = {"distribution in Japan"};
  a.roles = {Role::kMarketing, Role::kPlanning, Role::kProduction, Role::kDevelopment};
  a.materials = {"PCB", "알루미늄"};
  a.markets = {"JP"};
  a.region = "서울 구로구";
  a.employees = 10'000'000;
  a.founded = 1800;
  a.visibility = Visibility::kHidden;
  Firm b;
  b.id = "kr-2";
  Firm c;
  c.id = "kr-3";
  c.kind = FirmKind::kPublicBody;
  c.visibility = Visibility::kMembers;
  c.founded = 2100;
  return {a, b, c};
}

TEST(FirmCsvTest, WriteThenParseRoundTrips) {
  const std::vector<Firm> firms = SampleFirms();
  const std::string csv = WriteFirmsCsv(firms);
  ASSERT_THAT(csv, StartsWith("\xEF\xBB\xBF"));
  std::string header;
  for (std::string_view column : FirmCsvColumns()) {
    absl::StrAppend(&header, header.empty() ? "" : ",", std::string(column));
  }
  EXPECT_THAT(csv.substr(3), StartsWith(header + "\r\n"));
  absl::StatusOr<std::vector<Firm>> parsed = ParseFirmsCsv(csv, "export.csv");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(*parsed, firms);
  absl::StatusOr<std::vector<Firm>> forced = ParseFirmsCsv(csv, "export.csv", "utf-8");
  ASSERT_TRUE(forced.ok()) << forced.status();
  EXPECT_EQ(*forced, firms);
}

TEST(FirmCsvTest, WriteHasAllColumnsAndEmptyFileRoundTrips) {
  EXPECT_EQ(FirmCsvColumns().size(), 18u);
  const std::string csv = WriteFirmsCsv({});
  absl::StatusOr<std::vector<Firm>> parsed = ParseFirmsCsv(csv, "empty.csv");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(*parsed, IsEmpty());
}

}  // namespace
}  // namespace clustermatch
