// The time plan of a networking event: its date, start time and time zone,
// the meeting slots with their length, breaks, and the tables of each slot;
// plus clock times ("HH:MM") and availability windows ("10:00-12:00") as the
// attendee CSV and the command line write them.
//
// Times of day are minutes since local midnight of the event date, in the
// event's time zone. An event lies within one day: its last slot ends at
// 24:00 at the latest.
//
// Break rule: slots run back to back from the start time. A slot that would
// overlap a break starts at the end of that break instead, and every later
// slot moves back with it; so breaks never have to fall on slot boundaries,
// and a break that begins after the last slot ends changes nothing.
//
// All functions are thread-safe.
#ifndef CLUSTERMATCH_ENGINE_EVENT_PLAN_H_
#define CLUSTERMATCH_ENGINE_EVENT_PLAN_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace clustermatch {

inline constexpr int kMinutesPerDay = 24 * 60;

// A half-open interval [start_minute, end_minute) of the event day.
struct TimeWindow {
  int start_minute = 0;
  int end_minute = kMinutesPerDay;
  friend bool operator==(const TimeWindow&, const TimeWindow&) = default;
};

// A pause in the meetings, e.g. lunch.
using Break = TimeWindow;

// "H:MM" or "HH:MM", 00:00 to 24:00 (24:00 is the end of the day), into
// minutes since midnight. Surrounding ASCII whitespace is ignored. Errors are
// InvalidArgument without a field name, e.g. `not a time "9h"; expected HH:MM`.
absl::StatusOr<int> ParseClockTime(std::string_view text);

// "HH:MM" for minutes since midnight (0 to 1440; 1440 is "24:00").
std::string FormatClockTime(int minute_of_day);

// Windows separated by ';', each "HH:MM-HH:MM" (or with '~', as Korean forms
// often write it), with the start before the end. Empty items are skipped.
// The result is sorted, and overlapping or touching windows are merged. An
// empty text gives no windows (callers decide what that means). Errors are
// InvalidArgument naming the window, e.g. `window "12:00-10:00": ends before
// it starts`.
absl::StatusOr<std::vector<TimeWindow>> ParseTimeWindows(std::string_view text);

// Sorts `windows` and merges those that overlap or touch.
std::vector<TimeWindow> MergeTimeWindows(std::vector<TimeWindow> windows);

// What an organiser asks for, as written on the command line.
struct EventPlanOptions {
  std::string date;                      // "YYYY-MM-DD"; required
  std::string start = "09:00";           // "HH:MM"
  std::string time_zone = "Asia/Seoul";  // IANA name; empty means Asia/Seoul
  int slots = 0;                         // 1 to 96
  int slot_minutes = 0;                  // 5 to 240
  std::string breaks;                    // "12:00-13:00;15:00-15:15" or empty
  // One count for every slot, or one count per slot; each 1 to 10,000.
  std::vector<int> tables_per_slot;
  // Optional: exactly as many names as the largest table count, unique and
  // non-empty (trimmed). Table t of any slot is table_names[t].
  std::vector<std::string> table_names;
};

// A validated plan; build it with MakeEventPlan.
struct EventPlan {
  absl::CivilDay date;
  int start_minute = 0;  // minutes since local midnight
  std::string time_zone = "Asia/Seoul";
  absl::TimeZone zone;  // time_zone, loaded
  int slots = 0;
  int slot_minutes = 0;
  std::vector<Break> breaks;             // sorted, non-overlapping
  std::vector<int> slot_starts;          // minutes since midnight, one per slot
  std::vector<int> tables_per_slot;      // one per slot
  std::vector<std::string> table_names;  // empty, or one per table
};

// Validates `options` and lays out the slots. Errors are InvalidArgument
// naming the field, e.g. "slots: must be 1 to 96, got 0",
// "breaks: window \"13:00-12:00\": ends before it starts",
// "time_zone: unknown time zone \"Mars/Base\"",
// "slots: the last slot would end at 24:40, after midnight".
absl::StatusOr<EventPlan> MakeEventPlan(const EventPlanOptions& options);

// Minutes since midnight at which slot `slot` (0-based) starts and ends.
int SlotStartMinute(const EventPlan& plan, int slot);
int SlotEndMinute(const EventPlan& plan, int slot);

// The start and end of slot `slot` as absolute times in the plan's zone.
absl::Time SlotStartTime(const EventPlan& plan, int slot);
absl::Time SlotEndTime(const EventPlan& plan, int slot);

// "HH:MM" of the start and end of slot `slot`, for exports.
std::string SlotStartText(const EventPlan& plan, int slot);
std::string SlotEndText(const EventPlan& plan, int slot);

// The name of table `table` (0-based): its configured name, or its 1-based
// number ("1", "2", ...) when the plan names no tables.
std::string TableName(const EventPlan& plan, int table);

// For each slot, whether it lies entirely inside one of `windows` (touching or
// overlapping windows count as one). No windows means available all day, so
// every slot is true.
std::vector<bool> SlotAvailability(const EventPlan& plan, const std::vector<TimeWindow>& windows);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_EVENT_PLAN_H_
