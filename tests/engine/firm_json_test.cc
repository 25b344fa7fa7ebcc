#include "engine/firm_json.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clustermatch {
namespace {

using ::testing::HasSubstr;

Firm FullFirm() {
  Firm firm;
  firm.id = "cw-0042";
  firm.name = "대성정밀 \"DS\"";
  firm.description = "창원 국가산단의 정밀 가공 업체.\n5축 CNC\t전문.";
  firm.kind = FirmKind::kResearchInstitute;
  firm.clusters = {"changwon-machinery", "gyeongnam-smart"};
  firm.mini_cluster = "정밀가공";
  firm.industries = {"기계", "자동차 부품"};
  firm.technologies = {"5축 가공", "열처리"};
  firm.products = {"유압 밸브 블록"};
  firm.offers = {"정밀 가공 위탁"};
  firm.needs = {"표면 처리 협력사", "스마트 공장 컨설팅"};
  firm.roles = {Role::kProduction, Role::kPlanning, Role::kMarketing};
  firm.materials = {"SCM440"};
  firm.markets = {"조선", "방산"};
  firm.region = "경남 창원시";
  firm.employees = 120;
  firm.founded = 1998;
  firm.visibility = Visibility::kMembers;
  return firm;
}

TEST(FirmJsonTest, RoundTripKeepsEveryField) {
  const Firm firm = FullFirm();
  absl::StatusOr<std::string> text = FirmToJson(firm);
  ASSERT_TRUE(text.ok()) << text.status();
  absl::StatusOr<Firm> back = FirmFromJson(*text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, firm);
}

TEST(FirmJsonTest, RoundTripKeepsDefaults) {
  Firm firm;
  firm.id = "x";
  absl::StatusOr<std::string> text = FirmToJson(firm);
  ASSERT_TRUE(text.ok()) << text.status();
  absl::StatusOr<Firm> back = FirmFromJson(*text);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, firm);
}

TEST(FirmJsonTest, WritesShortEnumNamesArraysAndRawUtf8) {
  absl::StatusOr<std::string> text = FirmToJson(FullFirm());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_THAT(*text, HasSubstr(R"("kind":"research_institute")"));
  EXPECT_THAT(*text, HasSubstr(R"("visibility":"members")"));
  EXPECT_THAT(*text, HasSubstr(R"("roles":["production","planning","marketing"])"));
  EXPECT_THAT(*text, HasSubstr(R"("clusters":["changwon-machinery","gyeongnam-smart"])"));
  EXPECT_THAT(*text, HasSubstr(R"("employees":120)"));
  EXPECT_THAT(*text, HasSubstr("대성정밀"));
}

TEST(FirmJsonTest, MissingOptionalKeysKeepDefaults) {
  absl::StatusOr<Firm> firm = FirmFromJson(R"({"id":"a","name":"에이"})");
  ASSERT_TRUE(firm.ok()) << firm.status();
  Firm expected;
  expected.id = "a";
  expected.name = "에이";
  EXPECT_EQ(*firm, expected);
}

TEST(FirmJsonTest, RejectsMalformedJson) {
  for (const char* text :
       {"", "{", "{\"id\":\"a\",}", "not json", "{\"id\":\"a\"} trailing", "{\"id\":\"\xff\"}"}) {
    absl::StatusOr<Firm> firm = FirmFromJson(text);
    EXPECT_EQ(firm.status().code(), absl::StatusCode::kDataLoss) << text;
  }
}

TEST(FirmJsonTest, RejectsNonObjects) {
  for (const char* text : {"[]", "\"id\"", "12", "null"}) {
    absl::StatusOr<Firm> firm = FirmFromJson(text);
    EXPECT_EQ(firm.status().code(), absl::StatusCode::kDataLoss) << text;
  }
}

TEST(FirmJsonTest, RejectsUnknownKeys) {
  absl::StatusOr<Firm> firm = FirmFromJson(R"({"id":"a","website":"https://x"})");
  EXPECT_EQ(firm.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(firm.status().message()), HasSubstr("website"));
}

TEST(FirmJsonTest, RejectsMissingId) {
  absl::StatusOr<Firm> firm = FirmFromJson(R"({"name":"a"})");
  EXPECT_EQ(firm.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(firm.status().message()), HasSubstr("id"));
}

TEST(FirmJsonTest, RejectsBadEnumNames) {
  struct Case {
    const char* text;
    const char* field;
  };
  for (const Case& c : {
           Case{R"({"id":"a","kind":"conglomerate"})", "kind"},
           Case{R"({"id":"a","kind":"FIRM_KIND_COMPANY"})", "kind"},
           Case{R"({"id":"a","kind":"Company"})", "kind"},
           Case{R"({"id":"a","visibility":"secret"})", "visibility"},
           Case{R"({"id":"a","roles":["planning","sales"]})", "roles[1]"},
           Case{R"({"id":"a","kind":3})", "kind"},
       }) {
    absl::StatusOr<Firm> firm = FirmFromJson(c.text);
    EXPECT_EQ(firm.status().code(), absl::StatusCode::kDataLoss) << c.text;
    EXPECT_THAT(std::string(firm.status().message()), HasSubstr(c.field)) << c.text;
  }
}

TEST(FirmJsonTest, RejectsWrongTypes) {
  struct Case {
    const char* text;
    const char* field;
  };
  for (const Case& c : {
           Case{R"({"id":7})", "id"},
           Case{R"({"id":"a","employees":"12"})", "employees"},
           Case{R"({"id":"a","employees":1.5})", "employees"},
           Case{R"({"id":"a","founded":4294967296})", "founded"},
           Case{R"({"id":"a","founded":-2147483649})", "founded"},
           Case{R"({"id":"a","clusters":"changwon"})", "clusters"},
           Case{R"({"id":"a","needs":["ok",1]})", "needs[1]"},
           Case{R"({"id":"a","roles":"planning"})", "roles"},
           Case{R"({"id":"a","region":null})", "region"},
       }) {
    absl::StatusOr<Firm> firm = FirmFromJson(c.text);
    EXPECT_EQ(firm.status().code(), absl::StatusCode::kDataLoss) << c.text;
    EXPECT_THAT(std::string(firm.status().message()), HasSubstr(c.field)) << c.text;
  }
}

TEST(FirmJsonTest, AcceptsInt32Extremes) {
  absl::StatusOr<Firm> firm =
      FirmFromJson(R"({"id":"a","employees":2147483647,"founded":-2147483648})");
  ASSERT_TRUE(firm.ok()) << firm.status();
  EXPECT_EQ(firm->employees, 2147483647);
  EXPECT_EQ(firm->founded, -2147483647 - 1);
}

TEST(FirmJsonTest, EncodingRejectsInvalidUtf8) {
  Firm firm = FullFirm();
  firm.needs.push_back("bad \xc3\x28 bytes");
  absl::StatusOr<std::string> text = FirmToJson(firm);
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(FirmJsonTest, EncodingRejectsEnumValuesWithoutNames) {
  Firm firm = FullFirm();
  firm.kind = static_cast<FirmKind>(42);
  EXPECT_EQ(FirmToJson(firm).status().code(), absl::StatusCode::kInvalidArgument);
  firm = FullFirm();
  firm.roles.push_back(static_cast<Role>(9));
  EXPECT_EQ(FirmToJson(firm).status().code(), absl::StatusCode::kInvalidArgument);
  firm = FullFirm();
  firm.visibility = static_cast<Visibility>(7);
  EXPECT_EQ(FirmToJson(firm).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clustermatch
