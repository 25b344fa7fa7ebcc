// Translates events between the API (clustermatch/v1/event.proto,
// event_service.proto) and the planner's types (engine/event_planner.h):
// attendees, the time plan, kept meetings and the request's options in; the
// outcome (profiles, match lists, meetings with their times, tables and
// reasons, quality) out. Errors are InvalidArgument naming the request
// field, e.g. "attendees[3].available_from: not a time \"9h\"; expected
// HH:MM", "plan.slots: must be 1 to 64, got 0".
//
// What a caller may see and store is not decided here: that is the
// service's job (server/event_service.h).
#ifndef CLUSTERMATCH_SERVER_EVENT_PROTO_CONVERTER_H_
#define CLUSTERMATCH_SERVER_EVENT_PROTO_CONVERTER_H_

#include <cstddef>
#include <vector>

#include "absl/status/statusor.h"
#include "clustermatch/v1/event.pb.h"
#include "clustermatch/v1/event_service.pb.h"
#include "engine/event_planner.h"
#include "server/cli_output.h"

namespace clustermatch {

v1::EventSide SideToProto(Side side);
// InvalidArgument "FIELD: unknown value N" for values the engine does not
// know.
absl::StatusOr<Side> SideFromProto(int value, std::string_view field);

// A laid-out plan (MakeEventPlan), with the API's defaults: start 09:00,
// slot_minutes 20, tables_per_slot from table_names when empty. Errors name
// "plan.FIELD".
absl::StatusOr<EventPlan> PlanFromProto(const v1::EventPlan& proto);

// Attendee `index` of a request, its line set to index + 1 (pair-rule notes
// name attendees by "line"). An inline profile is converted and validated,
// its id set to firm_id when empty. Errors name "attendees[index].FIELD".
absl::StatusOr<EventAttendee> AttendeeFromProto(const v1::EventAttendee& proto, size_t index);

// Everything of a request but the caller's filter: attendees (ids unique),
// plan, counts, intent, kept meetings, seed. The result passes
// CheckEventRequest.
absl::StatusOr<EventRequest> EventRequestFromProto(const v1::ScheduleEventRequest& proto);

// "en" or empty: English; "ko": Korean. Errors name `language`.
absl::StatusOr<Language> LanguageFromProto(const std::string& language);

v1::EventScheduleQuality QualityToProto(const ScheduleQuality& quality, int attendees);

// The response for a planned event: profiles, match lists (explanations
// unless `with_explanations` is false; profiles left out of the results),
// meetings with their slot times, table names and reasons in `language`,
// quality and notes. The model version is left for the caller.
v1::ScheduleEventResponse OutcomeToProto(EventOutcome outcome, const EventPlan& plan,
                                         bool with_explanations, Language language);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_EVENT_PROTO_CONVERTER_H_
