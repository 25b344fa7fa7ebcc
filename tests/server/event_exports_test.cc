// The organiser's output files: CSV with a BOM, RFC 5545 calendars, HTML
// agendas and the summary, from a hand-made schedule.
#include "server/event_exports.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_split.h"

namespace clustermatch {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

Firm Attendee(std::string id, std::string name) {
  Firm firm;
  firm.id = std::move(id);
  firm.name = std::move(name);
  firm.mini_cluster = "ICT";
  return firm;
}

EventExportInput Input() {
  EventPlanOptions plan;
  plan.date = "2026-12-03";
  plan.start = "09:00";
  plan.slots = 3;
  plan.slot_minutes = 30;
  plan.breaks = "09:30-10:00";
  plan.tables_per_slot = {2};
  EventExportInput input;
  input.event_name = "G-Valley Matchmaking, Day 1";
  input.plan = *MakeEventPlan(plan);
  input.attendees = {Attendee("GV-1", "한빛정밀, Inc."), Attendee("GV/2", "<b>Bold</b> Robotics"),
                     Attendee("GV-3", std::string(40, 'x') + "가나다라마바사아자차카타파하")};
  input.meetings = {Meeting{0, 0, 0, 1, 0.5}, Meeting{1, 1, 0, 2, 0.25}};
  Recommendation rec{"GV/2", 0.5, {}};
  rec.explanation.need_offer.push_back({"GV-1", "PCB 조립; 시제품", "GV/2", "SMT line", 0.4f});
  input.match_lists = {{rec}, {}, {}};
  input.quality.meetings = 2;
  input.quality.utility = 0.75;
  input.quality.upper_bound = 0.8;
  input.quality.ratio = 0.9375;
  input.quality.min_meetings = 1;
  input.quality.mean_meetings = 4.0 / 3;
  return input;
}

TEST(EventExportsTest, ScheduleCsvHasABomCrlfAndSlotTimesAfterTheBreak) {
  const std::string csv = ScheduleCsv(Input());
  EXPECT_THAT(csv, StartsWith("\xEF\xBB\xBF"
                              "slot,start,table,firm_a,firm_b,score\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n1,09:00,1,GV-1,GV/2,0.5000\r\n"));
  // The second slot starts after the 09:30-10:00 break.
  EXPECT_THAT(csv, HasSubstr("\r\n2,10:00,2,GV-1,GV-3,0.2500\r\n"));
}

TEST(EventExportsTest, MatchListsCsvQuotesAndGivesTheReason) {
  const std::string csv = MatchListsCsv(Input());
  EXPECT_THAT(csv, StartsWith("\xEF\xBB\xBF"
                              "firm,rank,partner,partner_name,score,reason\r\n"));
  EXPECT_THAT(csv, HasSubstr("GV-1,1,GV/2,<b>Bold</b> Robotics,0.5000,"
                             "\"needs \"\"PCB 조립; 시제품\"\" ← offers \"\"SMT line\"\"\"\r\n"));
}

TEST(EventExportsTest, CalendarIsFoldedEscapedUtcAndOnlyTheAttendeesOwn) {
  const EventExportInput input = Input();
  const std::string ics = AttendeeCalendar(input, 0);
  EXPECT_THAT(ics, StartsWith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
  EXPECT_THAT(ics, EndsWith("END:VCALENDAR\r\n"));
  // 09:00 in Seoul is 00:00 UTC.
  EXPECT_THAT(ics, HasSubstr("DTSTART:20261203T000000Z\r\nDTEND:20261203T003000Z\r\n"));
  EXPECT_THAT(ics, HasSubstr("DESCRIPTION:needs \"PCB 조립\\; 시제품\" ← offers \"SMT line\""));
  for (const std::string& line : std::vector<std::string>(absl::StrSplit(ics, "\r\n"))) {
    EXPECT_LE(line.size(), 75u) << line;
    // A fold never leaves a partial UTF-8 sequence at the start of a line.
    if (line.size() > 1 && line[0] == ' ') {
      EXPECT_NE(static_cast<unsigned char>(line[1]) & 0xC0, 0x80) << line;
    }
  }
  EXPECT_EQ(ics.find("\n"), ics.find("\r\n") + 1);  // every newline is CRLF
  const std::string other = AttendeeCalendar(input, 1);
  EXPECT_THAT(other, Not(HasSubstr("GV-3")));  // GV/2 never meets GV-3
  EXPECT_EQ(AttendeeCalendar(input, 0), ics);  // deterministic
}

TEST(EventExportsTest, AgendaEscapesHtmlAndSpeaksKorean) {
  EventExportInput input = Input();
  input.language = Language::kKorean;
  const std::string html = AttendeeAgendaHtml(input, 0);
  EXPECT_THAT(html, HasSubstr("<html lang=\"ko\">"));
  EXPECT_THAT(html, HasSubstr("&lt;b&gt;Bold&lt;/b&gt; Robotics"));
  EXPECT_THAT(html, Not(HasSubstr("<b>Bold")));
  EXPECT_THAT(html, HasSubstr("09:00–09:30"));
  EXPECT_THAT(html, HasSubstr("미팅 이유"));
  const std::string summary = OrganiserSummary(input);
  EXPECT_THAT(summary, HasSubstr("비율 0.938"));
  EXPECT_THAT(summary, HasSubstr("최소 미팅 기준 달성: 예"));
}

TEST(EventExportsTest, WritesEveryFileWithSafeNames) {
  const std::filesystem::path dir =
      std::filesystem::path(::testing::TempDir()) / ("exports_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  EventExportInput input = Input();
  input.attendees.push_back(Attendee("GV_2", "Collides with GV/2"));
  input.match_lists.emplace_back();
  ASSERT_TRUE(WriteEventExports(input, dir.string()).ok());
  for (const char* file :
       {"schedule.csv", "schedule.xlsx", "matchlists.csv", "summary.txt", "calendars/GV-1.ics",
        "calendars/GV_2.ics", "calendars/GV_2-2.ics", "agendas/GV-3.html"}) {
    EXPECT_TRUE(std::filesystem::exists(dir / file)) << file;
  }
  // An .xlsx is a zip archive.
  std::ifstream xlsx(dir / "schedule.xlsx", std::ios::binary);
  char magic[2] = {0, 0};
  xlsx.read(magic, 2);
  EXPECT_EQ(std::string(magic, 2), "PK");
  EXPECT_FALSE(std::filesystem::exists(dir / "schedule.xlsx.tmp"));
  std::ifstream in(dir / "summary.txt");
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("ratio 0.938"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace clustermatch
