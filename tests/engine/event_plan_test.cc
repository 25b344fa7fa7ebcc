#include "engine/event_plan.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clustermatch {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::string Message(const absl::Status& status) { return std::string(status.message()); }

// A valid plan: 2026-03-12 from 10:00, 6 slots of 30 minutes, 5 tables.
EventPlanOptions BaseOptions() {
  EventPlanOptions options;
  options.date = "2026-03-12";
  options.start = "10:00";
  options.slots = 6;
  options.slot_minutes = 30;
  options.tables_per_slot = {5};
  return options;
}

std::string PlanError(const EventPlanOptions& options) {
  absl::StatusOr<EventPlan> plan = MakeEventPlan(options);
  if (plan.ok()) return "";
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kInvalidArgument);
  return Message(plan.status());
}

std::vector<std::string> SlotTexts(const EventPlan& plan) {
  std::vector<std::string> texts;
  for (int slot = 0; slot < plan.slots; ++slot) {
    texts.push_back(SlotStartText(plan, slot) + "-" + SlotEndText(plan, slot));
  }
  return texts;
}

TEST(ClockTimeTest, ParsesAndFormats) {
  EXPECT_EQ(*ParseClockTime("09:05"), 9 * 60 + 5);
  EXPECT_EQ(*ParseClockTime(" 9:05 "), 9 * 60 + 5);
  EXPECT_EQ(*ParseClockTime("00:00"), 0);
  EXPECT_EQ(*ParseClockTime("24:00"), 1440);
  EXPECT_EQ(FormatClockTime(9 * 60 + 5), "09:05");
  EXPECT_EQ(FormatClockTime(0), "00:00");
  EXPECT_EQ(FormatClockTime(1440), "24:00");
  for (const char* bad : {"", "9", "9h", "930", "09:5", "09:060", "-1:00", "ab:cd", "123:00"}) {
    EXPECT_FALSE(ParseClockTime(bad).ok()) << bad;
  }
  EXPECT_EQ(Message(ParseClockTime("9h").status()), "not a time \"9h\"; expected HH:MM");
  EXPECT_EQ(Message(ParseClockTime("24:30").status()),
            "time \"24:30\" is out of range 00:00 to 24:00");
  EXPECT_FALSE(ParseClockTime("10:60").ok());
  EXPECT_FALSE(ParseClockTime("25:00").ok());
}

TEST(TimeWindowsTest, ParsesSortsAndMerges) {
  absl::StatusOr<std::vector<TimeWindow>> windows =
      ParseTimeWindows("14:00-17:00; 10:00~12:00;;11:30-12:30 ;17:00-18:00");
  ASSERT_TRUE(windows.ok()) << windows.status();
  EXPECT_THAT(*windows, ElementsAre(TimeWindow{600, 750}, TimeWindow{840, 1080}));
  EXPECT_THAT(*ParseTimeWindows(""), IsEmpty());
  EXPECT_THAT(*ParseTimeWindows(" ; "), IsEmpty());
}

TEST(TimeWindowsTest, RejectsBadWindows) {
  EXPECT_EQ(Message(ParseTimeWindows("12:00-10:00").status()),
            "window \"12:00-10:00\": ends before it starts");
  EXPECT_EQ(Message(ParseTimeWindows("10:00-10:00").status()),
            "window \"10:00-10:00\": ends before it starts");
  EXPECT_EQ(Message(ParseTimeWindows("10:00").status()), "window \"10:00\": expected HH:MM-HH:MM");
  EXPECT_EQ(Message(ParseTimeWindows("10:00-12:00;noon-13:00").status()),
            "window \"noon-13:00\": not a time \"noon\"; expected HH:MM");
  EXPECT_FALSE(ParseTimeWindows("10:00-25:00").ok());
}

TEST(EventPlanTest, BackToBackSlotsWithDefaults) {
  absl::StatusOr<EventPlan> plan = MakeEventPlan(BaseOptions());
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->date, absl::CivilDay(2026, 3, 12));
  EXPECT_EQ(plan->start_minute, 600);
  EXPECT_EQ(plan->time_zone, "Asia/Seoul");
  EXPECT_THAT(SlotTexts(*plan), ElementsAre("10:00-10:30", "10:30-11:00", "11:00-11:30",
                                            "11:30-12:00", "12:00-12:30", "12:30-13:00"));
  EXPECT_THAT(plan->tables_per_slot, ElementsAre(5, 5, 5, 5, 5, 5));
  EXPECT_THAT(plan->table_names, IsEmpty());
  EXPECT_EQ(TableName(*plan, 0), "1");
  EXPECT_EQ(TableName(*plan, 4), "5");
}

TEST(EventPlanTest, TimeZoneDefaultsToSeoul) {
  EventPlanOptions options = BaseOptions();
  options.time_zone = "";
  absl::StatusOr<EventPlan> plan = MakeEventPlan(options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(plan->time_zone, "Asia/Seoul");
  // 10:00 in Seoul (UTC+9, no daylight saving) is 01:00 UTC.
  EXPECT_EQ(SlotStartTime(*plan, 0),
            absl::FromCivil(absl::CivilSecond(2026, 3, 12, 1, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(SlotEndTime(*plan, 5),
            absl::FromCivil(absl::CivilSecond(2026, 3, 12, 4, 0, 0), absl::UTCTimeZone()));
  EXPECT_EQ(BaseOptions().time_zone, "Asia/Seoul");
}

TEST(EventPlanTest, OtherTimeZoneAndDaylightSaving) {
  EventPlanOptions options = BaseOptions();
  options.time_zone = "Europe/Berlin";
  options.date = "2026-07-01";  // CEST, UTC+2
  absl::StatusOr<EventPlan> plan = MakeEventPlan(options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(SlotStartTime(*plan, 1),
            absl::FromCivil(absl::CivilSecond(2026, 7, 1, 8, 30, 0), absl::UTCTimeZone()));
  EXPECT_EQ(PlanError([] {
              EventPlanOptions o = BaseOptions();
              o.time_zone = "Mars/Base";
              return o;
            }()),
            "time_zone: unknown time zone \"Mars/Base\"");
}

TEST(EventPlanTest, BreakPushesLaterSlotsBack) {
  EventPlanOptions options = BaseOptions();
  options.start = "10:15";
  options.breaks = "12:00-13:00";
  absl::StatusOr<EventPlan> plan = MakeEventPlan(options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // 11:45-12:15 would overlap lunch, so it and the rest start at 13:00.
  EXPECT_THAT(SlotTexts(*plan), ElementsAre("10:15-10:45", "10:45-11:15", "11:15-11:45",
                                            "13:00-13:30", "13:30-14:00", "14:00-14:30"));
  EXPECT_THAT(plan->breaks, ElementsAre(Break{720, 780}));
  EXPECT_EQ(SlotStartTime(*plan, 3),
            absl::FromCivil(absl::CivilSecond(2026, 3, 12, 4, 0, 0), absl::UTCTimeZone()));
}

TEST(EventPlanTest, BreakOnSlotBoundaryAndSeveralBreaks) {
  EventPlanOptions options = BaseOptions();
  options.slots = 7;
  options.breaks = "15:00-15:10;12:00-13:00;17:00-18:00";
  absl::StatusOr<EventPlan> plan = MakeEventPlan(options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(SlotTexts(*plan),
              ElementsAre("10:00-10:30", "10:30-11:00", "11:00-11:30", "11:30-12:00", "13:00-13:30",
                          "13:30-14:00", "14:00-14:30"));
  // Consecutive breaks: a slot pushed past one break may meet the next.
  options.slots = 10;
  plan = MakeEventPlan(options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_EQ(SlotStartText(*plan, 8), "15:10");
  EXPECT_EQ(SlotStartText(*plan, 9), "15:40");
}

TEST(EventPlanTest, BackToBackBreaksSkipTogether) {
  EventPlanOptions options = BaseOptions();
  options.slots = 3;
  options.slot_minutes = 60;
  options.breaks = "11:00-11:30;11:30-12:00";  // merged into one
  absl::StatusOr<EventPlan> plan = MakeEventPlan(options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(plan->breaks, ElementsAre(Break{660, 720}));
  EXPECT_THAT(SlotTexts(*plan), ElementsAre("10:00-11:00", "12:00-13:00", "13:00-14:00"));
}

TEST(EventPlanTest, TablesPerSlotAndNames) {
  EventPlanOptions options = BaseOptions();
  options.slots = 3;
  options.tables_per_slot = {2, 3, 1};
  options.table_names = {" A ", "B", "VIP"};
  absl::StatusOr<EventPlan> plan = MakeEventPlan(options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  EXPECT_THAT(plan->tables_per_slot, ElementsAre(2, 3, 1));
  EXPECT_EQ(TableName(*plan, 0), "A");
  EXPECT_EQ(TableName(*plan, 2), "VIP");

  options.table_names = {"A", "B"};
  EXPECT_EQ(PlanError(options), "table_names: give one name per table (3), got 2");
  options.table_names = {"A", "B", "A"};
  EXPECT_EQ(PlanError(options), "table_names[2]: \"A\" appears twice");
  options.table_names = {"A", " ", "C"};
  EXPECT_EQ(PlanError(options), "table_names[1]: empty");
  options.table_names = {};
  options.tables_per_slot = {2, 3};
  EXPECT_EQ(PlanError(options), "tables_per_slot: give one count or one per slot (3), got 2");
  options.tables_per_slot = {};
  EXPECT_EQ(PlanError(options), "tables_per_slot: give one count or one per slot (3), got 0");
  options.tables_per_slot = {2, 0, 1};
  EXPECT_EQ(PlanError(options), "tables_per_slot[1]: must be 1 to 10000, got 0");
}

TEST(EventPlanTest, FieldNamedErrors) {
  const auto with = [](auto change) {
    EventPlanOptions options = BaseOptions();
    change(options);
    return PlanError(options);
  };
  EXPECT_EQ(with([](EventPlanOptions& o) { o.slots = 0; }), "slots: must be 1 to 96, got 0");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.slots = 97; }), "slots: must be 1 to 96, got 97");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.slot_minutes = 4; }),
            "slot_minutes: must be 5 to 240, got 4");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.slot_minutes = 241; }),
            "slot_minutes: must be 5 to 240, got 241");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.date = ""; }), "date: required, as YYYY-MM-DD");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.date = "2026-02-30"; }),
            "date: not a date \"2026-02-30\"; expected YYYY-MM-DD");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.date = "12.03.2026"; }),
            "date: not a date \"12.03.2026\"; expected YYYY-MM-DD");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.date = "1999-01-01"; }),
            "date: year must be 2000 to 2100, got 1999");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.start = "10"; }),
            "start: not a time \"10\"; expected HH:MM");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.start = "24:00"; }), "start: must be before 24:00");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.breaks = "13:00-12:00"; }),
            "breaks: window \"13:00-12:00\": ends before it starts");
  EXPECT_EQ(with([](EventPlanOptions& o) { o.breaks = "08:00-09:00"; }),
            "breaks: break 08:00-09:00 begins before the start 10:00");
  EXPECT_EQ(with([](EventPlanOptions& o) {
              o.start = "22:00";
              o.slots = 5;
            }),
            "slots: the last slot would end at 24:30, after midnight");
  // Ending exactly at midnight is fine.
  EXPECT_EQ(with([](EventPlanOptions& o) {
              o.start = "22:00";
              o.slots = 4;
            }),
            "");
  // Largest plan: 96 slots of 15 minutes fill the whole day.
  EXPECT_EQ(with([](EventPlanOptions& o) {
              o.start = "00:00";
              o.slots = 96;
              o.slot_minutes = 15;
            }),
            "");
}

TEST(SlotAvailabilityTest, MapsWindowsToWholeSlots) {
  EventPlanOptions options = BaseOptions();
  options.start = "10:15";
  options.breaks = "12:00-13:00";
  absl::StatusOr<EventPlan> plan = MakeEventPlan(options);
  ASSERT_TRUE(plan.ok()) << plan.status();
  // Slots: 10:15, 10:45, 11:15, 13:00, 13:30, 14:00 (30 minutes each).
  EXPECT_THAT(SlotAvailability(*plan, {}), ElementsAre(true, true, true, true, true, true));
  EXPECT_THAT(SlotAvailability(*plan, *ParseTimeWindows("10:00-11:15")),
              ElementsAre(true, true, false, false, false, false));
  // 11:00-13:30 covers 11:15-11:45 and 13:00-13:30 but only half of 10:45.
  EXPECT_THAT(SlotAvailability(*plan, *ParseTimeWindows("11:00-13:30")),
              ElementsAre(false, false, true, true, false, false));
  EXPECT_THAT(SlotAvailability(*plan, *ParseTimeWindows("10:15-10:45;13:30-17:00")),
              ElementsAre(true, false, false, false, true, true));
  // A slot must fit inside one window; touching windows count as one.
  EXPECT_THAT(SlotAvailability(*plan, {TimeWindow{660, 700}, TimeWindow{620, 660}}),
              ElementsAre(false, true, false, false, false, false));
  EXPECT_THAT(SlotAvailability(*plan, {TimeWindow{620, 659}, TimeWindow{661, 700}}),
              ElementsAre(false, false, false, false, false, false));
  EXPECT_THAT(SlotAvailability(*plan, *ParseTimeWindows("15:00-18:00")),
              ElementsAre(false, false, false, false, false, false));
}

}  // namespace
}  // namespace clustermatch
