#include "engine/event_plan.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

constexpr int kMaxSlots = 96;
constexpr int kMinSlotMinutes = 5;
constexpr int kMaxSlotMinutes = 240;
constexpr int kMaxTables = 10'000;
constexpr int kMinYear = 2000;
constexpr int kMaxYear = 2100;

std::string_view Trim(std::string_view text) {
  const absl::string_view trimmed =
      absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size()));
  return {trimmed.data(), trimmed.size()};
}

absl::Status FieldError(std::string_view field, std::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": ", std::string(reason)));
}

absl::Status Prefixed(std::string_view field, const absl::Status& status) {
  return absl::Status(status.code(),
                      absl::StrCat(std::string(field), ": ", std::string(status.message())));
}

absl::StatusOr<TimeWindow> ParseWindow(std::string_view item) {
  const auto quoted = [&] { return absl::StrCat("window \"", std::string(item), "\": "); };
  const size_t dash = item.find_first_of("-~");
  if (dash == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(quoted(), "expected HH:MM-HH:MM"));
  }
  TimeWindow window;
  const absl::StatusOr<int> start = ParseClockTime(item.substr(0, dash));
  if (!start.ok())
    return absl::InvalidArgumentError(quoted() + std::string(start.status().message()));
  const absl::StatusOr<int> end = ParseClockTime(item.substr(dash + 1));
  if (!end.ok()) return absl::InvalidArgumentError(quoted() + std::string(end.status().message()));
  if (*end <= *start) {
    return absl::InvalidArgumentError(absl::StrCat(quoted(), "ends before it starts"));
  }
  window.start_minute = *start;
  window.end_minute = *end;
  return window;
}

absl::StatusOr<absl::CivilDay> ParseDate(std::string_view text) {
  const std::string date(Trim(text));
  if (date.empty()) return FieldError("date", "required, as YYYY-MM-DD");
  absl::CivilDay day;
  // Round-tripping rejects dates that do not exist, such as 2026-02-30.
  if (date.size() != 10 || !absl::ParseCivilTime(date, &day) ||
      absl::FormatCivilTime(day) != date) {
    return FieldError("date", absl::StrCat("not a date \"", date, "\"; expected YYYY-MM-DD"));
  }
  if (day.year() < kMinYear || day.year() > kMaxYear) {
    return FieldError(
        "date", absl::StrCat("year must be ", kMinYear, " to ", kMaxYear, ", got ", day.year()));
  }
  return day;
}

absl::StatusOr<std::vector<int>> TablesPerSlot(const std::vector<int>& tables, int slots) {
  if (tables.size() != 1 && tables.size() != static_cast<size_t>(slots)) {
    return FieldError("tables_per_slot", absl::StrCat("give one count or one per slot (", slots,
                                                      "), got ", tables.size()));
  }
  for (size_t i = 0; i < tables.size(); ++i) {
    if (tables[i] < 1 || tables[i] > kMaxTables) {
      return FieldError(absl::StrCat("tables_per_slot[", i, "]"),
                        absl::StrCat("must be 1 to ", kMaxTables, ", got ", tables[i]));
    }
  }
  if (tables.size() == 1) return std::vector<int>(slots, tables[0]);
  return tables;
}

absl::StatusOr<std::vector<std::string>> TableNames(const std::vector<std::string>& names,
                                                    int table_count) {
  if (names.empty()) return names;
  if (names.size() != static_cast<size_t>(table_count)) {
    return FieldError("table_names", absl::StrCat("give one name per table (", table_count,
                                                  "), got ", names.size()));
  }
  std::vector<std::string> trimmed;
  absl::flat_hash_set<std::string> seen;
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string field = absl::StrCat("table_names[", i, "]");
    std::string name(Trim(names[i]));
    if (name.empty()) return FieldError(field, "empty");
    if (!seen.insert(name).second) {
      return FieldError(field, absl::StrCat("\"", name, "\" appears twice"));
    }
    trimmed.push_back(std::move(name));
  }
  return trimmed;
}

// Lays slots out back to back, moving a slot that would overlap a break to
// the break's end (breaks are sorted and disjoint).
std::vector<int> LayOutSlots(int start, int slots, int slot_minutes,
                             const std::vector<Break>& breaks) {
  std::vector<int> starts;
  int at = start;
  for (int slot = 0; slot < slots; ++slot) {
    for (const Break& pause : breaks) {
      if (at < pause.end_minute && at + slot_minutes > pause.start_minute) at = pause.end_minute;
    }
    starts.push_back(at);
    at += slot_minutes;
  }
  return starts;
}

}  // namespace

absl::StatusOr<int> ParseClockTime(std::string_view text) {
  const std::string_view clock = Trim(text);
  const auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat("not a time \"", std::string(clock), "\"; expected HH:MM"));
  };
  const size_t colon = clock.find(':');
  if (colon == std::string_view::npos || colon < 1 || colon > 2 || clock.size() != colon + 3) {
    return bad();
  }
  int hours = 0;
  int minutes = 0;
  for (size_t i = 0; i < clock.size(); ++i) {
    if (i == colon) continue;
    const char c = clock[i];
    if (c < '0' || c > '9') return bad();
    (i < colon ? hours : minutes) = (i < colon ? hours : minutes) * 10 + (c - '0');
  }
  if (minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat("time \"", std::string(clock), "\" is out of range 00:00 to 24:00"));
  }
  return hours * 60 + minutes;
}

std::string FormatClockTime(int minute_of_day) {
  return absl::StrFormat("%02d:%02d", minute_of_day / 60, minute_of_day % 60);
}

absl::StatusOr<std::vector<TimeWindow>> ParseTimeWindows(std::string_view text) {
  std::vector<TimeWindow> windows;
  while (true) {
    const size_t semicolon = text.find(';');
    const std::string_view item = Trim(text.substr(0, semicolon));
    if (!item.empty()) {
      CM_ASSIGN_OR_RETURN(const TimeWindow window, ParseWindow(item));
      windows.push_back(window);
    }
    if (semicolon == std::string_view::npos) break;
    text.remove_prefix(semicolon + 1);
  }
  return MergeTimeWindows(std::move(windows));
}

std::vector<TimeWindow> MergeTimeWindows(std::vector<TimeWindow> windows) {
  std::sort(windows.begin(), windows.end(), [](const TimeWindow& a, const TimeWindow& b) {
    return a.start_minute < b.start_minute;
  });
  std::vector<TimeWindow> merged;
  for (const TimeWindow& window : windows) {
    if (!merged.empty() && window.start_minute <= merged.back().end_minute) {
      merged.back().end_minute = std::max(merged.back().end_minute, window.end_minute);
    } else {
      merged.push_back(window);
    }
  }
  return merged;
}

absl::StatusOr<EventPlan> MakeEventPlan(const EventPlanOptions& options) {
  EventPlan plan;
  CM_ASSIGN_OR_RETURN(plan.date, ParseDate(options.date));
  const absl::StatusOr<int> start = ParseClockTime(options.start);
  if (!start.ok()) return Prefixed("start", start.status());
  if (*start >= kMinutesPerDay) return FieldError("start", "must be before 24:00");
  plan.start_minute = *start;

  plan.time_zone = std::string(Trim(options.time_zone));
  if (plan.time_zone.empty()) plan.time_zone = "Asia/Seoul";
  if (!absl::LoadTimeZone(plan.time_zone, &plan.zone)) {
    return FieldError("time_zone", absl::StrCat("unknown time zone \"", plan.time_zone, "\""));
  }

  if (options.slots < 1 || options.slots > kMaxSlots) {
    return FieldError("slots", absl::StrCat("must be 1 to ", kMaxSlots, ", got ", options.slots));
  }
  plan.slots = options.slots;
  if (options.slot_minutes < kMinSlotMinutes || options.slot_minutes > kMaxSlotMinutes) {
    return FieldError("slot_minutes",
                      absl::StrCat("must be ", kMinSlotMinutes, " to ", kMaxSlotMinutes, ", got ",
                                   options.slot_minutes));
  }
  plan.slot_minutes = options.slot_minutes;

  const absl::StatusOr<std::vector<TimeWindow>> breaks = ParseTimeWindows(options.breaks);
  if (!breaks.ok()) return Prefixed("breaks", breaks.status());
  plan.breaks = *breaks;
  for (const Break& pause : plan.breaks) {
    if (pause.start_minute < plan.start_minute) {
      return FieldError("breaks",
                        absl::StrCat("break ", FormatClockTime(pause.start_minute), "-",
                                     FormatClockTime(pause.end_minute), " begins before the start ",
                                     FormatClockTime(plan.start_minute)));
    }
  }

  plan.slot_starts = LayOutSlots(plan.start_minute, plan.slots, plan.slot_minutes, plan.breaks);
  const int end = plan.slot_starts.back() + plan.slot_minutes;
  if (end > kMinutesPerDay) {
    return FieldError("slots", absl::StrCat("the last slot would end at ", end / 60, ":",
                                            absl::StrFormat("%02d", end % 60), ", after midnight"));
  }

  CM_ASSIGN_OR_RETURN(plan.tables_per_slot, TablesPerSlot(options.tables_per_slot, plan.slots));
  const int table_count =
      *std::max_element(plan.tables_per_slot.begin(), plan.tables_per_slot.end());
  CM_ASSIGN_OR_RETURN(plan.table_names, TableNames(options.table_names, table_count));
  return plan;
}

int SlotStartMinute(const EventPlan& plan, int slot) { return plan.slot_starts[slot]; }

int SlotEndMinute(const EventPlan& plan, int slot) {
  return plan.slot_starts[slot] + plan.slot_minutes;
}

absl::Time SlotStartTime(const EventPlan& plan, int slot) {
  return absl::FromCivil(absl::CivilMinute(plan.date) + SlotStartMinute(plan, slot), plan.zone);
}

absl::Time SlotEndTime(const EventPlan& plan, int slot) {
  return absl::FromCivil(absl::CivilMinute(plan.date) + SlotEndMinute(plan, slot), plan.zone);
}

std::string SlotStartText(const EventPlan& plan, int slot) {
  return FormatClockTime(SlotStartMinute(plan, slot));
}

std::string SlotEndText(const EventPlan& plan, int slot) {
  return FormatClockTime(SlotEndMinute(plan, slot));
}

std::string TableName(const EventPlan& plan, int table) {
  if (table >= 0 && static_cast<size_t>(table) < plan.table_names.size()) {
    return plan.table_names[table];
  }
  return absl::StrCat(table + 1);
}

std::vector<bool> SlotAvailability(const EventPlan& plan, const std::vector<TimeWindow>& windows) {
  std::vector<bool> available(plan.slots, windows.empty());
  if (windows.empty()) return available;
  const std::vector<TimeWindow> merged = MergeTimeWindows(windows);
  for (int slot = 0; slot < plan.slots; ++slot) {
    const int start = SlotStartMinute(plan, slot);
    const int end = SlotEndMinute(plan, slot);
    for (const TimeWindow& window : merged) {
      if (window.start_minute <= start && end <= window.end_minute) {
        available[slot] = true;
        break;
      }
    }
  }
  return available;
}

}  // namespace clustermatch
