#include "engine/firm_validation.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clustermatch {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Firm ValidFirm() {
  Firm firm;
  firm.id = "gv-0001";
  firm.name = "한빛소프트 (Hanbit Soft)";
  firm.description = "VR 콘텐츠 제작.\n\tMotion capture studio.\r\n";
  firm.kind = FirmKind::kCompany;
  firm.clusters = {"G-Valley"};
  firm.mini_cluster = "DC";
  firm.industries = {"J58221"};
  firm.technologies = {"VR", "모션 캡처"};
  firm.products = {"VR 교육 콘텐츠"};
  firm.offers = {"3D animation"};
  firm.needs = {"distribution in Japan", "prototype machining", "게임 퍼블리싱"};
  firm.roles = {Role::kPlanning, Role::kDevelopment};
  firm.materials = {"PCB"};
  firm.markets = {"JP", "VN"};
  firm.region = "서울 구로구";
  firm.employees = 42;
  firm.founded = 2011;
  firm.visibility = Visibility::kMembers;
  return firm;
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(FirmValidationTest, AcceptsValidFirm) { EXPECT_TRUE(ValidateFirm(ValidFirm()).ok()); }

TEST(FirmValidationTest, AcceptsMinimalFirm) {
  Firm firm;
  firm.id = "x";
  EXPECT_TRUE(ValidateFirm(firm).ok());
}

TEST(FirmValidationTest, RejectsEmptyId) {
  Firm firm = ValidFirm();
  firm.id = "";
  const absl::Status status = ValidateFirm(firm);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(status), "id: must not be empty");
}

TEST(FirmValidationTest, IdLimitIs128Bytes) {
  Firm firm = ValidFirm();
  firm.id = std::string(128, 'a');
  EXPECT_TRUE(ValidateFirm(firm).ok());
  firm.id = std::string(129, 'a');
  const absl::Status status = ValidateFirm(firm);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), StartsWith("id: longer than 128 bytes"));
}

TEST(FirmValidationTest, RejectsControlCharactersInId) {
  for (const std::string& bad :
       {std::string("a\x01z"), std::string("a\tz"), std::string("a\nz"), std::string("a\x7Fz"),
        std::string("a\xC2\x85z"), std::string("a\0z", 3)}) {
    Firm firm = ValidFirm();
    firm.id = bad;
    const absl::Status status = ValidateFirm(firm);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(Message(status), "id: contains a control character (byte offset 1)");
  }
}

TEST(FirmValidationTest, OnlyDescriptionMayHoldLineBreaks) {
  Firm firm = ValidFirm();
  firm.description = "line one\nline two\r\n\tindented";
  EXPECT_TRUE(ValidateFirm(firm).ok());
  firm.description = "bell\x07";
  EXPECT_THAT(Message(ValidateFirm(firm)), StartsWith("description: contains a control"));
  firm = ValidFirm();
  firm.name = "two\nlines";
  EXPECT_THAT(Message(ValidateFirm(firm)), StartsWith("name: contains a control character"));
}

TEST(FirmValidationTest, RejectsInvalidUtf8InListItem) {
  Firm firm = ValidFirm();
  firm.needs[2] = "게임\xFF";
  const absl::Status status = ValidateFirm(firm);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), StartsWith("needs[2]: not valid UTF-8"));
}

TEST(FirmValidationTest, RejectsIllFormedUtf8) {
  // Overlong '/', a UTF-16 surrogate, above U+10FFFF, a truncated sequence, a
  // lone continuation byte.
  for (const char* bad : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\x80"}) {
    Firm firm = ValidFirm();
    firm.name = bad;
    EXPECT_THAT(Message(ValidateFirm(firm)), StartsWith("name: not valid UTF-8")) << bad;
  }
}

TEST(FirmValidationTest, RejectsUnknownEnumValues) {
  Firm firm = ValidFirm();
  firm.kind = static_cast<FirmKind>(17);
  EXPECT_EQ(Message(ValidateFirm(firm)), "kind: unknown value 17");
  firm = ValidFirm();
  firm.visibility = static_cast<Visibility>(3);
  EXPECT_EQ(Message(ValidateFirm(firm)), "visibility: unknown value 3");
  firm = ValidFirm();
  firm.roles.push_back(static_cast<Role>(9));
  EXPECT_EQ(Message(ValidateFirm(firm)), "roles[2]: unknown value 9");
}

TEST(FirmValidationTest, EmployeesRange) {
  Firm firm = ValidFirm();
  firm.employees = -5;
  const absl::Status status = ValidateFirm(firm);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(status), "employees: must be 0 to 10000000, got -5");
  firm.employees = FirmLimits::kMaxEmployees + 1;
  EXPECT_THAT(Message(ValidateFirm(firm)), StartsWith("employees: "));
  firm.employees = FirmLimits::kMaxEmployees;
  EXPECT_TRUE(ValidateFirm(firm).ok());
}

TEST(FirmValidationTest, FoundedIsZeroOrWithinRange) {
  Firm firm = ValidFirm();
  for (int year : {0, 1800, 2100}) {
    firm.founded = year;
    EXPECT_TRUE(ValidateFirm(firm).ok()) << year;
  }
  for (int year : {1799, 2101, -2000, 1}) {
    firm.founded = year;
    const absl::Status status = ValidateFirm(firm);
    EXPECT_THAT(Message(status), StartsWith("founded: ")) << year;
    EXPECT_THAT(Message(status), HasSubstr(std::to_string(year)));
  }
}

TEST(FirmValidationTest, RejectsRepeatedListItems) {
  Firm firm = ValidFirm();
  firm.technologies = {"AI", "VR", "AI"};
  EXPECT_EQ(Message(ValidateFirm(firm)), "technologies[2]: repeats technologies[0]");
  firm = ValidFirm();
  firm.roles = {Role::kMarketing, Role::kProduction, Role::kMarketing};
  EXPECT_EQ(Message(ValidateFirm(firm)), "roles[2]: repeats roles[0]");
}

TEST(FirmValidationTest, RejectsEmptyListItem) {
  Firm firm = ValidFirm();
  firm.markets = {"JP", ""};
  EXPECT_EQ(Message(ValidateFirm(firm)), "markets[1]: must not be empty");
}

TEST(FirmValidationTest, RejectsTooManyListItems) {
  Firm firm = ValidFirm();
  firm.offers.clear();
  for (size_t i = 0; i < FirmLimits::kListItems; ++i) firm.offers.push_back(absl::StrCat("o", i));
  EXPECT_TRUE(ValidateFirm(firm).ok());
  firm.offers.push_back("one more");
  EXPECT_THAT(Message(ValidateFirm(firm)), StartsWith("offers: more than 64 items"));
}

TEST(FirmValidationTest, TextLimits) {
  Firm firm = ValidFirm();
  firm.description = std::string(FirmLimits::kDescriptionBytes, 'd');
  EXPECT_TRUE(ValidateFirm(firm).ok());
  firm.description = std::string(1 << 20, 'd');  // 1 MB
  const absl::Status status = ValidateFirm(firm);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(Message(status), StartsWith("description: longer than 8000 bytes"));

  firm = ValidFirm();
  firm.region = std::string(FirmLimits::kShortTextBytes + 1, 'r');
  EXPECT_THAT(Message(ValidateFirm(firm)), StartsWith("region: longer than 100 bytes"));
  firm = ValidFirm();
  firm.products = {std::string(FirmLimits::kPhraseBytes + 1, 'p')};
  EXPECT_THAT(Message(ValidateFirm(firm)), StartsWith("products[0]: longer than 500 bytes"));
}

Relation ValidRelation() {
  return Relation{.a = "gv-0001",
                  .b = "gv-0002",
                  .kind = RelationKind::kMet,
                  .date = "2024-03-05",
                  .context = "expo-2024"};
}

TEST(RelationValidationTest, AcceptsValidRelation) {
  EXPECT_TRUE(ValidateRelation(ValidRelation()).ok());
  Relation relation = ValidRelation();
  relation.context = "";
  relation.date = "2019";
  EXPECT_TRUE(ValidateRelation(relation).ok());
}

TEST(RelationValidationTest, RejectsBadIds) {
  Relation relation = ValidRelation();
  relation.a = "";
  EXPECT_EQ(Message(ValidateRelation(relation)), "a: must not be empty");
  relation = ValidRelation();
  relation.b = std::string(129, 'b');
  EXPECT_THAT(Message(ValidateRelation(relation)), StartsWith("b: longer than 128 bytes"));
  relation = ValidRelation();
  relation.b = relation.a;
  EXPECT_EQ(Message(ValidateRelation(relation)), "b: must differ from a");
}

TEST(RelationValidationTest, RejectsUnknownKind) {
  Relation relation = ValidRelation();
  relation.kind = static_cast<RelationKind>(6);
  EXPECT_EQ(Message(ValidateRelation(relation)), "kind: unknown value 6");
}

TEST(RelationValidationTest, DateMustExistInCalendar) {
  Relation relation = ValidRelation();
  for (const char* good : {"2024-02-29", "2000-02-29", "2023-12-31", "1800", "2100-01-01"}) {
    relation.date = good;
    EXPECT_TRUE(ValidateRelation(relation).ok()) << good;
  }
  for (const char* bad :
       {"2023-02-29", "1900-02-29", "2024-13-01", "2024-04-31", "2024-00-10", "2024-01-00",
        "2024-1-1", "24-01-01", "2024/01/01", "", "1799", "２０２４", "2024-01-01T00"}) {
    relation.date = bad;
    const absl::Status status = ValidateRelation(relation);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_THAT(Message(status), StartsWith("date: ")) << bad;
  }
}

TEST(RelationValidationTest, ContextLimit) {
  Relation relation = ValidRelation();
  relation.context = std::string(129, 'c');
  EXPECT_THAT(Message(ValidateRelation(relation)), StartsWith("context: longer than 128 bytes"));
  relation.context = "bad\xFF";
  EXPECT_THAT(Message(ValidateRelation(relation)), StartsWith("context: not valid UTF-8"));
}

}  // namespace
}  // namespace clustermatch
