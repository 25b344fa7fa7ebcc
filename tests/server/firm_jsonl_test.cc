#include "server/firm_jsonl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace clustermatch {
namespace {

using ::testing::HasSubstr;

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(FirmJsonlTest, AcceptsShortAndFullEnumNames) {
  const std::string text =
      R"({"id":"a","kind":"research_institute","roles":["planning","ROLE_MARKETING"],"visibility":"members"})"
      "\n"
      R"({"id":"b","kind":"FIRM_KIND_UNIVERSITY","visibility":"VISIBILITY_HIDDEN"})";
  auto firms = ParseFirmsJsonl(text, "f.jsonl");
  ASSERT_TRUE(firms.ok()) << firms.status();
  ASSERT_EQ(firms->size(), 2u);
  EXPECT_EQ((*firms)[0].kind, FirmKind::kResearchInstitute);
  EXPECT_EQ((*firms)[0].roles, (std::vector<Role>{Role::kPlanning, Role::kMarketing}));
  EXPECT_EQ((*firms)[0].visibility, Visibility::kMembers);
  EXPECT_EQ((*firms)[1].kind, FirmKind::kUniversity);
  EXPECT_EQ((*firms)[1].visibility, Visibility::kHidden);
}

TEST(FirmJsonlTest, RoundTripsEveryFieldWithSnakeCaseNames) {
  Firm firm;
  firm.id = "GV-1";
  firm.name = "(주)한빛정밀 Hanbit Precision";
  firm.description = "정밀 가공\nprecision machining";
  firm.kind = FirmKind::kCompany;
  firm.clusters = {"G-Valley", "DMC"};
  firm.mini_cluster = "IMT";
  firm.industries = {"C29"};
  firm.technologies = {"CNC"};
  firm.products = {"housings"};
  firm.offers = {"CNC machining of aluminium parts"};
  firm.needs = {"MES software"};
  firm.roles = {Role::kProduction, Role::kMarketing};
  firm.materials = {"aluminium 6061"};
  firm.markets = {"Japan"};
  firm.region = "Seoul Guro-gu";
  firm.employees = 42;
  firm.founded = 2003;
  firm.visibility = Visibility::kMembers;
  const std::string line = FirmToProtoJson(firm);
  EXPECT_THAT(line, HasSubstr("\"mini_cluster\""));
  EXPECT_THAT(line, HasSubstr("\"FIRM_KIND_COMPANY\""));
  auto parsed = ParseFirmsJsonl(WriteFirmsJsonl(std::vector<Firm>{firm}), "x.jsonl");
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 1u);
  EXPECT_EQ((*parsed)[0], firm);
}

TEST(FirmJsonlTest, SkipsBomCrlfAndBlankLines) {
  auto firms = ParseFirmsJsonl("\xEF\xBB\xBF{\"id\":\"a\"}\r\n\r\n{\"id\":\"b\"}\r\n", "f.jsonl");
  ASSERT_TRUE(firms.ok()) << firms.status();
  EXPECT_EQ(firms->size(), 2u);
}

TEST(FirmJsonlTest, ErrorsNameFileLineAndField) {
  struct Case {
    std::string line;
    std::string expected;
  };
  const std::vector<Case> cases = {
      {R"({"id":"b","colour":"red"})", "f.jsonl:2: colour: unknown field"},
      {R"({"id":"b","kind":"spaceship"})", "f.jsonl:2: kind: unknown value \"spaceship\""},
      {R"({"id":"b","roles":["planning","cooking"]})", "f.jsonl:2: roles[1]: unknown value"},
      {R"({"id":"b","needs":"one"})", "f.jsonl:2: needs: must be a list"},
      {R"({"id":"b","needs":[1]})", "f.jsonl:2: needs[0]: must be a string"},
      {R"({"id":"b","employees":-4})", "f.jsonl:2: employees"},
      {R"({"id":""})", "f.jsonl:2: id"},
      {R"({"id":"b",)", "f.jsonl:2: invalid JSON"},
      {"{\"id\":\"b\",\"name\":\"\xC3\x28\"}", "f.jsonl:2: invalid JSON"},
      {R"([1,2])", "f.jsonl:2: not a JSON object"},
      {R"({"id":"a"})", "f.jsonl:2: id: \"a\" repeats line 1"},
  };
  for (const Case& c : cases) {
    auto firms = ParseFirmsJsonl("{\"id\":\"a\"}\n" + c.line + "\n", "f.jsonl");
    ASSERT_FALSE(firms.ok()) << c.line;
    EXPECT_EQ(firms.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(Message(firms.status()), HasSubstr(c.expected)) << c.line;
  }
}

// Files of more than one parsing block (lines are parsed on every core, a
// block of 10,000 at a time): order, the first error and repeated ids are
// still judged line by line across blocks.
std::string ManyLines(size_t count) {
  std::string text;
  for (size_t i = 1; i <= count; ++i) {
    text += R"({"id":"F-)" + std::to_string(i) + R"(","name":"firm )" + std::to_string(i) + "\"}\n";
  }
  return text;
}

TEST(FirmJsonlTest, LargeFilesKeepTheirOrderAndReportProgressEveryTenThousandLines) {
  std::vector<size_t> progress;
  auto firms = ParseFirmsJsonl(ManyLines(25000) + "\n\n", "big.jsonl",
                               [&progress](size_t line) { progress.push_back(line); });
  ASSERT_TRUE(firms.ok()) << firms.status();
  ASSERT_EQ(firms->size(), 25000u);
  for (size_t i = 0; i < firms->size(); ++i) {
    ASSERT_EQ((*firms)[i].id, "F-" + std::to_string(i + 1));
  }
  EXPECT_EQ(progress, (std::vector<size_t>{10000, 20000}));
}

TEST(FirmJsonlTest, TheFirstBadLineOfALargeFileIsTheOneReported) {
  // The byte where line `line` of `text` starts.
  auto line_start = [](const std::string& text, size_t line) {
    size_t at = 0;
    for (size_t i = 1; i < line; ++i) at = text.find('\n', at) + 1;
    return at;
  };
  std::string text = ManyLines(25000);
  // Line 23,456 and line 12,345 are broken; the earlier one is reported.
  text.insert(line_start(text, 23456), "{\"id\":\"late\",\"kind\":\"spaceship\"}\n");
  text.insert(line_start(text, 12345), "{\"id\":\"early\",\"needs\":[1]}\n");
  auto firms = ParseFirmsJsonl(text, "big.jsonl");
  ASSERT_FALSE(firms.ok());
  EXPECT_THAT(Message(firms.status()), HasSubstr("big.jsonl:12345: needs[0]: must be a string"));

  // An id repeated in a later block names the line it repeats.
  std::string repeated = ManyLines(25000);
  repeated.insert(line_start(repeated, 21000), R"({"id":"F-3"})"
                                               "\n");
  firms = ParseFirmsJsonl(repeated, "big.jsonl");
  ASSERT_FALSE(firms.ok());
  EXPECT_THAT(Message(firms.status()), HasSubstr("big.jsonl:21000: id: \"F-3\" repeats line 3"));
}

}  // namespace
}  // namespace clustermatch
