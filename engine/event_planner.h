// The core of event scheduling, shared by both front doors
// (`clustermatch event schedule` and EventService/ScheduleEvent):
//
//   attendees (stored firms) + time plan
//   -> match lists among the attendees (Engine::RecommendWithin, under the
//      caller's filter)
//   -> pair scores (engine/event_pair_scores.h: the better direction of each
//      pair)
//   -> must-meet / never-meet rules, kept meetings
//   -> SolveSchedule (engine/meeting_schedule.h) -> meetings + quality
//
// What stays with each front door: reading its input (CSV or proto),
// storing the inline profiles of new attendees (the planner only reads the
// engine), deciding what the caller may see, and writing its output (files
// or a response).
//
// PlanEvent is thread-safe (it only reads the engine) and deterministic for
// the same request and engine state, apart from quality.solve_seconds.
#ifndef CLUSTERMATCH_ENGINE_EVENT_PLANNER_H_
#define CLUSTERMATCH_ENGINE_EVENT_PLANNER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "engine/event_attendees.h"
#include "engine/event_plan.h"
#include "engine/meeting_schedule.h"
#include "engine/recommender.h"

namespace clustermatch {

// A meeting of a published schedule that must stay as it is, named the way
// the schedule names it.
struct KeptMeeting {
  int slot = 0;        // 1-based
  std::string table;   // the table's name (TableName)
  std::string firm_a;  // attendee ids
  std::string firm_b;
  double score = 0;
  // Put before a field name in errors: "schedule.csv:4: " (a file row) or
  // "kept_meetings[2]." (a request field).
  std::string field_prefix;
};

struct EventRequest {
  // Stored firms, ids unique (ParseAttendeesCsv or the API converter).
  std::vector<EventAttendee> attendees;
  EventPlan plan;            // from MakeEventPlan
  int max_meetings = 0;      // the event's per-attendee cap; 1 to kMaxAttendeeMeetings
  int min_meetings = 0;      // fairness floor; 0 to kMaxAttendeeMeetings
  int match_list_size = 10;  // entries per match list; 0 to kMaxK
  int pair_candidates = 30;  // partners per attendee the scheduler may choose from; 0 to kMaxK
  MatchIntent intent = MatchIntent::kPartner;
  CrossCluster cross_cluster = CrossCluster::kOff;
  // The caller's restrictions and visibility (RestrictFilter), applied to
  // the match lists. The default sees every non-hidden firm.
  SearchFilter filter;
  std::vector<KeptMeeting> kept;
  uint64_t seed = 1;  // breaks ties between equal scores only
  // Where the attendees came from, for errors: a file name gives
  // "FILE:LINE: firm_id: ..." (EventAttendee::line); empty gives
  // "attendees[i].firm_id: ...".
  std::string attendees_file;
};

struct EventOutcome {
  // The attendees' stored profiles, in request order; Meeting::a and ::b
  // index this list.
  std::vector<Firm> attendees;
  // Per attendee, in the same order: its match list among the other
  // attendees, best first, at most match_list_size long.
  std::vector<std::vector<Recommendation>> match_lists;
  std::vector<Meeting> meetings;  // sorted by (slot, table); both 0-based
  // Its conflicts include the pair-rule conflicts (CollectPairRules).
  ScheduleQuality quality;
  // Must/never-meet ids that are not attendees, ignored, one note each.
  std::vector<std::string> notes;
};

// The error prefix of attendee `i` ("FILE:LINE: " or "attendees[i].").
std::string AttendeeFieldPrefix(const EventRequest& request, size_t i);

// Checks what can be checked without the engine: the counts, and that every
// kept meeting names a slot of the plan, a table of that slot and two
// attendees. InvalidArgument naming the field, e.g.
// "max_meetings: must be 1 to 1920, got 0",
// "kept_meetings[2].table: no table \"T9\"". PlanEvent runs it first; a
// front door that stores new attendees runs it before storing them.
absl::Status CheckEventRequest(const EventRequest& request);

// Plans the event. NotFound "PREFIX firm_id: no firm \"ID\"" for an attendee
// that is not stored; FailedPrecondition for a hidden one (hidden firms are
// never matched); InvalidArgument as CheckEventRequest and SolveSchedule.
absl::StatusOr<EventOutcome> PlanEvent(const Engine& engine, const EventRequest& request);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_EVENT_PLANNER_H_
