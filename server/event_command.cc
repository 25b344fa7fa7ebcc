#include "server/event_command.h"

#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/csv_reader.h"
#include "engine/event_attendees.h"
#include "engine/event_planner.h"
#include "engine/status_macros.h"
#include "server/event_exports.h"
#include "server/read_file.h"

namespace clustermatch {
namespace {

// Stores the inline profiles of new attendees; every other attendee must be
// a stored firm.
absl::Status StoreNewAttendees(const std::vector<EventAttendee>& attendees, const std::string& file,
                               Engine& engine) {
  std::vector<Firm> fresh;
  for (const EventAttendee& attendee : attendees) {
    if (engine.GetFirm(attendee.firm_id).ok()) continue;
    if (!attendee.profile.has_value()) {
      return absl::NotFoundError(absl::StrCat(file, ":", attendee.line, ": firm_id: no firm \"",
                                              attendee.firm_id,
                                              "\" in the store and no profile columns to add it"));
    }
    fresh.push_back(*attendee.profile);
  }
  if (fresh.empty()) return absl::OkStatus();
  return engine.ImportFirms(fresh, WriteActor::CurrentUser()).status();
}

// The meetings of a published schedule.csv (slot,start,table,firm_a,firm_b,
// score), as the planner takes them; it resolves tables and firms.
absl::StatusOr<std::vector<KeptMeeting>> KeptMeetings(const std::string& path,
                                                      const EventPlan& plan) {
  CM_ASSIGN_OR_RETURN(std::string bytes, ReadFileBytes(path));
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.erase(0, 3);
  CsvReader reader(bytes, path);
  CsvRecord header;
  CM_ASSIGN_OR_RETURN(const bool has_header, reader.Next(&header));
  const std::vector<std::string> expected = {"slot", "start", "table", "firm_a", "firm_b", "score"};
  if (!has_header || header.fields != expected) {
    return absl::InvalidArgumentError(
        path + ":1: expected the header slot,start,table,firm_a,firm_b,score");
  }
  std::vector<KeptMeeting> kept;
  CsvRecord row;
  while (true) {
    CM_ASSIGN_OR_RETURN(const bool more, reader.Next(&row));
    if (!more) break;
    const std::string where = SourceLine(path, row.line) + ": ";
    if (row.fields.size() != expected.size()) {
      return absl::InvalidArgumentError(where + "expected 6 fields, got " +
                                        std::to_string(row.fields.size()));
    }
    KeptMeeting meeting;
    meeting.field_prefix = where;
    if (!absl::SimpleAtoi(row.fields[0], &meeting.slot) || meeting.slot < 1 ||
        meeting.slot > plan.slots) {
      return absl::InvalidArgumentError(where + "slot: expected 1 to " +
                                        std::to_string(plan.slots) + ", got \"" + row.fields[0] +
                                        "\"");
    }
    meeting.table = row.fields[2];
    meeting.firm_a = row.fields[3];
    meeting.firm_b = row.fields[4];
    if (!absl::SimpleAtod(row.fields[5], &meeting.score)) {
      return absl::InvalidArgumentError(where + "score: not a number \"" + row.fields[5] + "\"");
    }
    kept.push_back(std::move(meeting));
  }
  return kept;
}

nlohmann::json QualityJson(const ScheduleQuality& q, size_t attendees) {
  return nlohmann::json{{"attendees", attendees},
                        {"meetings", q.meetings},
                        {"utility", q.utility},
                        {"upper_bound", q.upper_bound},
                        {"ratio", q.ratio},
                        {"min_meetings", q.min_meetings},
                        {"mean_meetings", q.mean_meetings},
                        {"floor_reached", q.floor_reached},
                        {"below_floor", q.below_floor},
                        {"idle_gaps", q.idle_gaps},
                        {"solve_seconds", q.solve_seconds},
                        {"conflicts", q.conflicts}};
}

}  // namespace

absl::Status RunEventSchedule(const EventScheduleOptions& o, Engine& engine, std::ostream& out,
                              std::ostream& err) {
  if (o.max_meetings < 1) return absl::InvalidArgumentError("--max-meetings: must be at least 1");
  if (o.out_dir.empty()) return absl::InvalidArgumentError("--out: required");
  CM_ASSIGN_OR_RETURN(const EventPlan plan, MakeEventPlan(o.plan));
  CM_ASSIGN_OR_RETURN(const std::string bytes, ReadFileBytes(o.attendees_csv));
  CM_ASSIGN_OR_RETURN(std::vector<EventAttendee> attendees,
                      ParseAttendeesCsv(bytes, o.attendees_csv, o.encoding));
  CM_RETURN_IF_ERROR(StoreNewAttendees(attendees, o.attendees_csv, engine));

  EventRequest request;
  request.attendees = std::move(attendees);
  request.plan = plan;
  request.max_meetings = o.max_meetings;
  request.min_meetings = o.min_meetings;
  request.match_list_size = o.match_list_size;
  request.pair_candidates = o.pair_candidates;
  request.cross_cluster = o.cross_cluster;
  request.seed = o.seed;
  request.attendees_file = o.attendees_csv;
  if (!o.keep_csv.empty()) {
    CM_ASSIGN_OR_RETURN(request.kept, KeptMeetings(o.keep_csv, plan));
  }
  CM_ASSIGN_OR_RETURN(EventOutcome outcome, PlanEvent(engine, request));
  for (const std::string& note : outcome.notes) err << "event: note: " << note << "\n";

  EventExportInput input;
  input.event_name = o.event_name;
  input.plan = plan;
  input.language = o.language;
  input.attendees = std::move(outcome.attendees);
  input.match_lists = std::move(outcome.match_lists);
  input.meetings = std::move(outcome.meetings);
  input.quality = std::move(outcome.quality);
  CM_RETURN_IF_ERROR(WriteEventExports(input, o.out_dir));
  out << QualityJson(input.quality, input.attendees.size()).dump() << "\n";
  return absl::OkStatus();
}

}  // namespace clustermatch
