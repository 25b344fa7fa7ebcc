#include "engine/event_attendees.h"

#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/cp949_test_util.h"

namespace clustermatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

std::string Message(const absl::Status& status) { return std::string(status.message()); }

absl::StatusOr<std::vector<EventAttendee>> Parse(std::string_view csv,
                                                 const std::string& encoding = "auto") {
  return ParseAttendeesCsv(csv, "attendees.csv", encoding);
}

// The error message of parsing `csv`; empty if it parsed.
std::string ParseError(std::string_view csv, const std::string& encoding = "auto") {
  absl::StatusOr<std::vector<EventAttendee>> attendees = Parse(csv, encoding);
  if (attendees.ok()) return "";
  EXPECT_EQ(attendees.status().code(), absl::StatusCode::kInvalidArgument);
  return Message(attendees.status());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

EventAttendee Attendee(std::string id, Side side = Side::kUnspecified,
                       std::vector<std::string> must = {}, std::vector<std::string> never = {},
                       int line = 0) {
  EventAttendee attendee;
  attendee.firm_id = std::move(id);
  attendee.side = side;
  attendee.must_meet = std::move(must);
  attendee.never_meet = std::move(never);
  attendee.line = line;
  return attendee;
}

TEST(EventAttendeesTest, ParsesEveryAttendeeColumn) {
  const std::string csv =
      "Firm_ID,REPRESENTATIVES,max_meetings,side,available,must_meet,never_meet\n"
      "A1,2,5,buyer,14:00-17:00;10:00-12:00,B2; C3 ;B2,D4\n"
      "B2,,,supplier,,,\n"
      "C3,1,,,,,\n"
      "D4,20,1920, Supplier ,,,\n";
  absl::StatusOr<std::vector<EventAttendee>> attendees = Parse(csv);
  ASSERT_TRUE(attendees.ok()) << attendees.status();
  ASSERT_THAT(*attendees, SizeIs(4));
  const EventAttendee& a = (*attendees)[0];
  EXPECT_EQ(a.firm_id, "A1");
  EXPECT_FALSE(a.profile.has_value());
  EXPECT_EQ(a.representatives, 2);
  EXPECT_EQ(a.max_meetings, 5);
  EXPECT_EQ(a.side, Side::kBuyer);
  EXPECT_THAT(a.available, ElementsAre(TimeWindow{600, 720}, TimeWindow{840, 1020}));
  EXPECT_THAT(a.must_meet, ElementsAre("B2", "C3"));
  EXPECT_THAT(a.never_meet, ElementsAre("D4"));
  EXPECT_EQ(a.line, 2);
  const EventAttendee& b = (*attendees)[1];
  EXPECT_EQ(b.representatives, 1);
  EXPECT_EQ(b.max_meetings, 0);
  EXPECT_EQ(b.side, Side::kSupplier);
  EXPECT_THAT(b.available, IsEmpty());
  EXPECT_THAT(b.must_meet, IsEmpty());
  EXPECT_EQ((*attendees)[2].side, Side::kUnspecified);
  EXPECT_EQ((*attendees)[3].representatives, 20);
  EXPECT_EQ((*attendees)[3].max_meetings, 1920);
  EXPECT_EQ((*attendees)[3].side, Side::kSupplier);
  EXPECT_EQ((*attendees)[3].line, 5);
}

TEST(EventAttendeesTest, OnlyFirmIdIsRequiredAndIdIsAnAlias) {
  absl::StatusOr<std::vector<EventAttendee>> attendees = Parse("id,side\nA1,\n\n,\nB2,\n");
  ASSERT_TRUE(attendees.ok()) << attendees.status();
  ASSERT_THAT(*attendees, SizeIs(2));
  EXPECT_EQ((*attendees)[1].firm_id, "B2");
  EXPECT_EQ((*attendees)[1].representatives, 1);
  EXPECT_EQ(ParseError("name,side\nX,buyer\n"),
            "attendees.csv:1: firm_id: required column is missing");
  EXPECT_EQ(ParseError("firm_id,id\nA,A\n"),
            "attendees.csv:1: id: column appears twice (id and firm_id are one column)");
  EXPECT_EQ(ParseError("firm_id,side,SIDE\nA,,\n"), "attendees.csv:1: side: column appears twice");
  EXPECT_EQ(ParseError("firm_id,colour\nA,red\n"), "attendees.csv:1: colour: unknown column");
}

TEST(EventAttendeesTest, ByteOrderMarkAndCrlf) {
  const std::string csv =
      "\xEF\xBB\xBF"
      "firm_id,side,available\r\nA1,구매,10:00-12:00\r\nB2,공급자,\r\n";
  absl::StatusOr<std::vector<EventAttendee>> attendees = Parse(csv);
  ASSERT_TRUE(attendees.ok()) << attendees.status();
  ASSERT_THAT(*attendees, SizeIs(2));
  EXPECT_EQ((*attendees)[0].firm_id, "A1");
  EXPECT_EQ((*attendees)[0].side, Side::kBuyer);
  EXPECT_THAT((*attendees)[0].available, ElementsAre(TimeWindow{600, 720}));
  EXPECT_EQ((*attendees)[1].side, Side::kSupplier);
  EXPECT_EQ((*attendees)[1].line, 3);
}

TEST(EventAttendeesTest, Cp949DetectedAndNamed) {
  const std::string utf8 =
      "firm_id,side,name,mini_cluster,offers\n"
      "GV-1,공급,\"한빛소프트, 구로\",ICT,VR 콘텐츠;모션 캡처\n"
      "GV-2,구매자,,,\n";
  const std::string cp949 = ToCp949(utf8);
  ASSERT_NE(cp949, utf8);
  for (const std::string encoding : {"auto", "cp949", "EUC-KR"}) {
    absl::StatusOr<std::vector<EventAttendee>> attendees = Parse(cp949, encoding);
    ASSERT_TRUE(attendees.ok()) << encoding << ": " << attendees.status();
    ASSERT_THAT(*attendees, SizeIs(2));
    const EventAttendee& first = (*attendees)[0];
    EXPECT_EQ(first.side, Side::kSupplier);
    ASSERT_TRUE(first.profile.has_value());
    EXPECT_EQ(first.profile->id, "GV-1");
    EXPECT_EQ(first.profile->name, "한빛소프트, 구로");
    EXPECT_THAT(first.profile->offers, ElementsAre("VR 콘텐츠", "모션 캡처"));
    EXPECT_EQ((*attendees)[1].side, Side::kBuyer);
    EXPECT_FALSE((*attendees)[1].profile.has_value());
  }
  // Named as UTF-8, CP949 bytes are rejected with the line.
  EXPECT_THAT(ParseError(cp949, "utf-8"), HasSubstr("attendees.csv:2"));
  EXPECT_THAT(ParseError(utf8, "latin-9"), HasSubstr("latin-9"));
}

TEST(EventAttendeesTest, QuotedCells) {
  const std::string csv =
      "firm_id,must_meet,description,name\n"
      "\"A,1\",\"B2;\"\"C3\"\"\",\"line one\nline two\",\"  Spaced  \"\n"
      "B2,,,\n";
  absl::StatusOr<std::vector<EventAttendee>> attendees = Parse(csv);
  ASSERT_TRUE(attendees.ok()) << attendees.status();
  ASSERT_THAT(*attendees, SizeIs(2));
  const EventAttendee& a = (*attendees)[0];
  EXPECT_EQ(a.firm_id, "A,1");
  EXPECT_THAT(a.must_meet, ElementsAre("B2", "\"C3\""));
  ASSERT_TRUE(a.profile.has_value());
  EXPECT_EQ(a.profile->description, "line one\nline two");
  EXPECT_EQ(a.profile->name, "Spaced");
  EXPECT_EQ((*attendees)[1].line, 4);  // after the two-line record
  EXPECT_EQ(ParseError("firm_id,side\nA,\"buyer\n"),
            "attendees.csv:2: field 2: quoted field is never closed");
}

TEST(EventAttendeesTest, BadNumbers) {
  EXPECT_EQ(ParseError("firm_id,representatives\nA,1\nB,0\n"),
            "attendees.csv:3: representatives: must be 1 to 20, got 0");
  EXPECT_EQ(ParseError("firm_id,representatives\nA,21\n"),
            "attendees.csv:2: representatives: must be 1 to 20, got 21");
  EXPECT_EQ(ParseError("firm_id,representatives\nA,two\n"),
            "attendees.csv:2: representatives: not a whole number: \"two\"");
  EXPECT_EQ(ParseError("firm_id,representatives\nA,-1\n"),
            "attendees.csv:2: representatives: not a whole number: \"-1\"");
  EXPECT_EQ(ParseError("firm_id,representatives\nA,1.5\n"),
            "attendees.csv:2: representatives: not a whole number: \"1.5\"");
  EXPECT_EQ(ParseError("firm_id,max_meetings\nA,0\n"),
            "attendees.csv:2: max_meetings: must be 1 to 1920, got 0");
  EXPECT_EQ(ParseError("firm_id,max_meetings\nA,99999999999\n"),
            "attendees.csv:2: max_meetings: not a whole number: \"99999999999\"");
  EXPECT_EQ(ParseError("firm_id,max_meetings\nA, 3 \n"), "");
}

TEST(EventAttendeesTest, SideValues) {
  EXPECT_EQ(ParseError("firm_id,side\nA,seller\n"),
            "attendees.csv:2: side: unknown value \"seller\"; expected buyer, supplier or empty");
  EXPECT_EQ(ParseSide("BUYER"), Side::kBuyer);
  EXPECT_EQ(ParseSide("구매"), Side::kBuyer);
  EXPECT_EQ(ParseSide("공급"), Side::kSupplier);
  EXPECT_EQ(ParseSide("  "), Side::kUnspecified);
  EXPECT_EQ(ParseSide("both"), std::nullopt);
  EXPECT_EQ(SideName(Side::kSupplier), "supplier");
  EXPECT_EQ(SideName(Side::kUnspecified), "");
}

TEST(EventAttendeesTest, BadWindows) {
  EXPECT_EQ(ParseError("firm_id,available\nA,12:00-10:00\n"),
            "attendees.csv:2: available: window \"12:00-10:00\": ends before it starts");
  EXPECT_EQ(ParseError("firm_id,available\nA,morning\n"),
            "attendees.csv:2: available: window \"morning\": expected HH:MM-HH:MM");
  EXPECT_EQ(ParseError("firm_id,available\nA,10:00-12:70\n"),
            "attendees.csv:2: available: window \"10:00-12:70\": time \"12:70\" is out of range "
            "00:00 to 24:00");
  EXPECT_EQ(ParseError("firm_id,available,available_from\nA,,\n"),
            "attendees.csv:1: available: use either available or available_from/available_to, "
            "not both");
  EXPECT_EQ(ParseError("firm_id,available_from,available_to\nA,10,\n"),
            "attendees.csv:2: available_from: not a time \"10\"; expected HH:MM");
  EXPECT_EQ(ParseError("firm_id,available_from,available_to\nA,14:00,13:00\n"),
            "attendees.csv:2: available_to: \"13:00\" is not after available_from \"14:00\"");
}

TEST(EventAttendeesTest, AvailableFromAndTo) {
  absl::StatusOr<std::vector<EventAttendee>> attendees =
      Parse("firm_id,available_from,available_to\nA,13:00,\nB,,12:00\nC,,\nD,9:30,11:00\n");
  ASSERT_TRUE(attendees.ok()) << attendees.status();
  EXPECT_THAT((*attendees)[0].available, ElementsAre(TimeWindow{780, 1440}));
  EXPECT_THAT((*attendees)[1].available, ElementsAre(TimeWindow{0, 720}));
  EXPECT_THAT((*attendees)[2].available, IsEmpty());
  EXPECT_THAT((*attendees)[3].available, ElementsAre(TimeWindow{570, 660}));
}

TEST(EventAttendeesTest, DuplicateAndBadIds) {
  EXPECT_EQ(ParseError("firm_id,side\nA,\nB,\n A ,buyer\n"),
            "attendees.csv:4: firm_id: duplicate id \"A\", first on line 2");
  EXPECT_EQ(ParseError("firm_id,side\n,buyer\n"), "attendees.csv:2: firm_id: empty");
  EXPECT_EQ(ParseError("firm_id\n" + std::string(129, 'x') + "\n"),
            "attendees.csv:2: firm_id: longer than 128 bytes (129 bytes)");
  EXPECT_EQ(ParseError("firm_id,must_meet\nA,B;A\nB,\n"),
            "attendees.csv:2: must_meet: \"A\" is the attendee itself");
  EXPECT_EQ(ParseError("firm_id,never_meet\nA,\nB,B\n"),
            "attendees.csv:3: never_meet: \"B\" is the attendee itself");
}

TEST(EventAttendeesTest, InlineProfilesUseFirmRules) {
  const std::string header =
      "firm_id,name,kind,clusters,roles,employees,founded,visibility,offers\n";
  absl::StatusOr<std::vector<EventAttendee>> attendees =
      Parse(header +
            "NEW-1,Guro Smart Farm,research_institute,G-Valley;DMC,planning;ROLE_MARKETING,12,2019,"
            "members,hydroponics\n"
            "GV-0002,,,,,,,,\n");
  ASSERT_TRUE(attendees.ok()) << attendees.status();
  const EventAttendee& first = (*attendees)[0];
  ASSERT_TRUE(first.profile.has_value());
  Firm expected;
  expected.id = "NEW-1";
  expected.name = "Guro Smart Farm";
  expected.kind = FirmKind::kResearchInstitute;
  expected.clusters = {"G-Valley", "DMC"};
  expected.roles = {Role::kPlanning, Role::kMarketing};
  expected.employees = 12;
  expected.founded = 2019;
  expected.visibility = Visibility::kMembers;
  expected.offers = {"hydroponics"};
  EXPECT_EQ(*first.profile, expected);
  EXPECT_FALSE((*attendees)[1].profile.has_value());

  EXPECT_EQ(ParseError(header + "N,X,bakery,,,,,,\n"),
            "attendees.csv:2: kind: unknown value \"bakery\"; expected company, university, "
            "research_institute, support_organisation or public_body");
  EXPECT_EQ(ParseError(header + "N,X,,,,12a,,,\n"),
            "attendees.csv:2: employees: not an integer: \"12a\"");
  EXPECT_EQ(ParseError(header + "N,X,,,,,1700,,\n"),
            "attendees.csv:2: founded: must be 0 (unknown) or 1800 to 2100, got 1700");
  EXPECT_EQ(ParseError(header + "N,X,,,,,,,a;b;a\n"),
            "attendees.csv:2: offers[2]: repeats offers[0]");
  EXPECT_EQ(ParseError(header + "N,X,,,chef,,,,\n"),
            "attendees.csv:2: roles: unknown value \"chef\"; expected planning, development, "
            "production or marketing");
  EXPECT_EQ(ParseError(header + "N,X,,,,,,secret,\n"),
            "attendees.csv:2: visibility: unknown value \"secret\"; expected public, members or "
            "hidden");
}

TEST(PairRulesTest, EitherSideCountsAndDuplicatesCollapse) {
  const std::vector<EventAttendee> attendees = {
      Attendee("B", Side::kUnspecified, {"A"}, {}, 2),
      Attendee("A", Side::kUnspecified, {"B", "C"}, {}, 3),
      Attendee("C", Side::kUnspecified, {}, {"D"}, 4),
      Attendee("D", Side::kUnspecified, {}, {}, 5),
  };
  const PairRules rules = CollectPairRules(attendees);
  EXPECT_THAT(rules.must_meet, ElementsAre(FirmPair("A", "B"), FirmPair("A", "C")));
  EXPECT_THAT(rules.never_meet, ElementsAre(FirmPair("C", "D")));
  EXPECT_THAT(rules.conflicts, IsEmpty());
  EXPECT_THAT(rules.unknown_ids, IsEmpty());
}

TEST(PairRulesTest, NeverWinsOverMustAndConflictsAreDescribed) {
  const std::vector<EventAttendee> attendees = {
      Attendee("A", Side::kUnspecified, {"B"}, {}, 2),
      Attendee("B", Side::kUnspecified, {}, {"A"}, 3),
      Attendee("C", Side::kUnspecified, {"D"}, {"D"}, 4),
      Attendee("D", Side::kUnspecified, {}, {}, 5),
  };
  const PairRules rules = CollectPairRules(attendees);
  EXPECT_THAT(rules.must_meet, IsEmpty());
  EXPECT_THAT(rules.never_meet, ElementsAre(FirmPair("A", "B"), FirmPair("C", "D")));
  ASSERT_THAT(rules.conflicts, SizeIs(2));
  EXPECT_EQ(rules.conflicts[0].pair, FirmPair("A", "B"));
  EXPECT_EQ(rules.conflicts[0].description,
            "A and B: must_meet of A (line 2) but never_meet of B (line 3); never_meet wins");
  EXPECT_EQ(rules.conflicts[1].description,
            "C and D: must_meet of C (line 4) but never_meet of C (line 4); never_meet wins");
}

TEST(PairRulesTest, SameSideMustMeetIsAConflict) {
  const std::vector<EventAttendee> attendees = {
      Attendee("A", Side::kBuyer, {"B", "C", "D"}, {}, 2),
      Attendee("B", Side::kBuyer, {}, {}, 3),
      Attendee("C", Side::kSupplier, {}, {}, 4),
      Attendee("D", Side::kUnspecified, {}, {}, 5),
  };
  const PairRules rules = CollectPairRules(attendees);
  EXPECT_THAT(rules.must_meet, ElementsAre(FirmPair("A", "C"), FirmPair("A", "D")));
  ASSERT_THAT(rules.conflicts, SizeIs(1));
  EXPECT_EQ(rules.conflicts[0].description,
            "A and B: must_meet of A (line 2) but both are buyers and only buyers and suppliers "
            "meet; dropped");
}

TEST(PairRulesTest, UnknownIdsAreNotedAndIgnored) {
  const std::vector<EventAttendee> attendees = {
      Attendee("A", Side::kUnspecified, {"Z"}, {"Y", "B"}, 2),
      Attendee("B", Side::kUnspecified, {}, {}, 3),
  };
  const PairRules rules = CollectPairRules(attendees);
  EXPECT_THAT(rules.must_meet, IsEmpty());
  EXPECT_THAT(rules.never_meet, ElementsAre(FirmPair("A", "B")));
  EXPECT_THAT(rules.unknown_ids, ElementsAre("line 2: must_meet: \"Z\" is not an attendee",
                                             "line 2: never_meet: \"Y\" is not an attendee"));
}

TEST(SampleAttendeesTest, UtfSampleParsesAgainstTheSampleCluster) {
  const std::string bytes = ReadFile(CM_SOURCE_DIR "/data/sample/gvalley_event_attendees.csv");
  absl::StatusOr<std::vector<EventAttendee>> attendees =
      ParseAttendeesCsv(bytes, "gvalley_event_attendees.csv", "auto");
  ASSERT_TRUE(attendees.ok()) << attendees.status();
  EXPECT_THAT(*attendees, SizeIs(40));

  // Every attendee without an inline profile is a firm of the sample cluster.
  const std::string cluster = ReadFile(CM_SOURCE_DIR "/data/sample/gvalley.jsonl");
  int profiles = 0;
  int two_representatives = 0;
  int with_side = 0;
  int with_windows = 0;
  for (const EventAttendee& attendee : *attendees) {
    const bool in_cluster =
        cluster.find("{\"id\":\"" + attendee.firm_id + "\"") != std::string::npos;
    EXPECT_NE(in_cluster, attendee.profile.has_value()) << attendee.firm_id;
    profiles += attendee.profile.has_value();
    two_representatives += attendee.representatives == 2;
    with_side += attendee.side != Side::kUnspecified;
    with_windows += !attendee.available.empty();
  }
  EXPECT_EQ(profiles, 2);
  EXPECT_GE(two_representatives, 3);
  EXPECT_GE(with_side, 5);
  EXPECT_GE(with_windows, 3);

  const PairRules rules = CollectPairRules(*attendees);
  EXPECT_GE(rules.must_meet.size(), 2u);
  EXPECT_GE(rules.never_meet.size(), 2u);
  EXPECT_THAT(rules.conflicts, IsEmpty());
  EXPECT_THAT(rules.unknown_ids, IsEmpty());
}

TEST(SampleAttendeesTest, Cp949SampleParses) {
  const std::string bytes =
      ReadFile(CM_SOURCE_DIR "/data/sample/gvalley_event_attendees_cp949.csv");
  ASSERT_FALSE(bytes.empty());
  absl::StatusOr<std::vector<EventAttendee>> attendees =
      ParseAttendeesCsv(bytes, "gvalley_event_attendees_cp949.csv", "auto");
  ASSERT_TRUE(attendees.ok()) << attendees.status();
  ASSERT_THAT(*attendees, SizeIs(10));
  EXPECT_EQ((*attendees)[0].side, Side::kBuyer);
  EXPECT_EQ((*attendees)[1].side, Side::kSupplier);
  EXPECT_EQ((*attendees)[1].representatives, 2);
  EXPECT_THAT((*attendees)[2].available, ElementsAre(TimeWindow{780, 1440}));
  const EventAttendee& inline_firm = (*attendees)[9];
  ASSERT_TRUE(inline_firm.profile.has_value());
  EXPECT_EQ(inline_firm.profile->name, "디지털로드 주식회사");
  EXPECT_THAT(inline_firm.profile->offers, ElementsAre("웹툰 IP 라이선스"));
  const PairRules rules = CollectPairRules(*attendees);
  EXPECT_THAT(rules.must_meet, SizeIs(1));
  EXPECT_THAT(rules.never_meet, SizeIs(1));
  EXPECT_THAT(rules.conflicts, IsEmpty());
}

}  // namespace
}  // namespace clustermatch
