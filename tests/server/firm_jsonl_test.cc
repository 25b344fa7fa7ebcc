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

}  // namespace
}  // namespace clustermatch
