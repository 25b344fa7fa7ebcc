// What an organiser takes home from a scheduled event, written into one
// output folder: schedule.csv, matchlists.csv (UTF-8 with a BOM, for Excel),
// schedule.xlsx,
// one .ics calendar and one printable HTML agenda per attendee, and an
// organiser summary. Human-facing text is English or Korean.
//
// Everything here is formatting: the schedule, the match lists and their
// explanations come in finished. Output is deterministic for the same input
// (no clocks: calendar stamps use the event's own start time).
#ifndef CLUSTERMATCH_SERVER_EVENT_EXPORTS_H_
#define CLUSTERMATCH_SERVER_EVENT_EXPORTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "engine/event_plan.h"
#include "engine/firm.h"
#include "engine/meeting_schedule.h"
#include "engine/recommender.h"
#include "server/cli_output.h"

namespace clustermatch {

struct EventExportInput {
  std::string event_name;  // e.g. "G-Valley Matchmaking Day 2026"
  EventPlan plan;
  // Attendee profiles; Meeting::a and ::b index this list.
  std::vector<Firm> attendees;
  std::vector<Meeting> meetings;
  // Per attendee, in the same order: its match list, best first.
  std::vector<std::vector<Recommendation>> match_lists;
  ScheduleQuality quality;
  Language language = Language::kEnglish;
};

// slot,start,table,firm_a,firm_b,score (BOM, CRLF line ends).
std::string ScheduleCsv(const EventExportInput& input);
// firm,rank,partner,partner_name,score,reason (BOM, CRLF line ends).
std::string MatchListsCsv(const EventExportInput& input);
// The attendee's meetings as an RFC 5545 calendar (UTC times, CRLF, folded).
std::string AttendeeCalendar(const EventExportInput& input, int attendee);
// A printable agenda: each meeting's time, table, partner and reason to meet.
std::string AttendeeAgendaHtml(const EventExportInput& input, int attendee);
// The schedule and the match lists as an Excel workbook at `path`.
absl::Status WriteScheduleXlsx(const EventExportInput& input, const std::string& path);
// The quality report and per-slot use, as readable text.
std::string OrganiserSummary(const EventExportInput& input);

// One line on why two firms should meet, from the match list of either side
// ("needs X ← offers Y"); empty when neither list holds the other.
std::string MeetingReason(const EventExportInput& input, int a, int b);

// Writes every file into `folder` (created if missing): schedule.csv,
// schedule.xlsx, matchlists.csv, summary.txt, calendars/ID.ics,
// agendas/ID.html. Each file
// is written to a temporary name and renamed, so none is left half-written.
absl::Status WriteEventExports(const EventExportInput& input, const std::string& folder);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_EVENT_EXPORTS_H_
