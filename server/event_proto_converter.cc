#include "server/event_proto_converter.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/firm_validation.h"
#include "engine/status_macros.h"
#include "server/event_exports.h"
#include "server/firm_proto_converter.h"
#include "server/grpc_status.h"
#include "server/matching_proto_converter.h"

namespace clustermatch {
namespace {

constexpr int kDefaultSlotMinutes = 20;
constexpr int kDefaultMatchListSize = 10;
constexpr int kDefaultPairCandidates = 30;

absl::Status FieldError(std::string_view field, std::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": ", std::string(reason)));
}

std::string Trimmed(const std::string& text) {
  return std::string(absl::StripAsciiWhitespace(text));
}

// An "HH:MM" of an availability window; `empty_value` when empty.
absl::StatusOr<int> WindowEnd(const std::string& text, int empty_value, std::string_view field) {
  if (Trimmed(text).empty()) return empty_value;
  const absl::StatusOr<int> minute = ParseClockTime(text);
  if (!minute.ok()) return FieldError(field, std::string(minute.status().message()));
  return *minute;
}

// Firm ids of must_meet or never_meet: trimmed, unique, not the attendee.
absl::StatusOr<std::vector<std::string>> IdList(
    const google::protobuf::RepeatedPtrField<std::string>& proto, const std::string& own_id,
    const std::string& field) {
  std::vector<std::string> ids;
  for (int j = 0; j < proto.size(); ++j) {
    const std::string item = absl::StrCat(field, "[", j, "]");
    std::string id = Trimmed(proto[j]);
    if (id.empty()) return FieldError(item, "empty");
    if (id == own_id) return FieldError(item, absl::StrCat("\"", id, "\" is the attendee itself"));
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(std::move(id));
  }
  return ids;
}

absl::Status CheckFirmId(const std::string& id, const std::string& field) {
  if (id.empty()) return FieldError(field, "required");
  Firm id_only;
  id_only.id = id;
  const absl::Status status = ValidateFirm(id_only);
  if (status.ok()) return status;
  std::string reason(status.message());
  if (reason.rfind("id: ", 0) == 0) reason.erase(0, 4);
  return FieldError(field, reason);
}

absl::StatusOr<Firm> ProfileFromProto(const v1::Firm& proto, const std::string& firm_id,
                                      const std::string& prefix) {
  absl::StatusOr<Firm> profile = FromProto(proto);
  if (!profile.ok()) return WithFieldPrefix(profile.status(), prefix);
  if (profile->id.empty()) profile->id = firm_id;
  if (profile->id != firm_id) {
    return FieldError(prefix + "id",
                      absl::StrCat("\"", profile->id, "\" differs from firm_id \"", firm_id, "\""));
  }
  CM_RETURN_IF_ERROR(WithFieldPrefix(ValidateFirm(*profile), prefix));
  return profile;
}

absl::StatusOr<KeptMeeting> KeptFromProto(const v1::EventMeeting& proto, size_t index) {
  KeptMeeting kept;
  kept.field_prefix = absl::StrCat("kept_meetings[", index, "].");
  kept.slot = proto.slot();
  kept.table = Trimmed(proto.table());
  kept.firm_a = Trimmed(proto.firm_a());
  kept.firm_b = Trimmed(proto.firm_b());
  if (kept.firm_a == kept.firm_b) {
    return FieldError(kept.field_prefix + "firm_b",
                      absl::StrCat("\"", kept.firm_b, "\" is firm_a as well"));
  }
  kept.score = proto.score();
  if (!std::isfinite(kept.score) || kept.score < 0) {
    return FieldError(kept.field_prefix + "score",
                      absl::StrCat("must be a finite number >= 0, got ", kept.score));
  }
  return kept;
}

}  // namespace

v1::EventSide SideToProto(Side side) {
  switch (side) {
    case Side::kBuyer:
      return v1::EVENT_SIDE_BUYER;
    case Side::kSupplier:
      return v1::EVENT_SIDE_SUPPLIER;
    case Side::kUnspecified:
      break;
  }
  return v1::EVENT_SIDE_UNSPECIFIED;
}

absl::StatusOr<Side> SideFromProto(int value, std::string_view field) {
  switch (value) {
    case v1::EVENT_SIDE_UNSPECIFIED:
      return Side::kUnspecified;
    case v1::EVENT_SIDE_BUYER:
      return Side::kBuyer;
    case v1::EVENT_SIDE_SUPPLIER:
      return Side::kSupplier;
  }
  return FieldError(field, absl::StrCat("unknown value ", value));
}

absl::StatusOr<EventPlan> PlanFromProto(const v1::EventPlan& proto) {
  if (proto.slots() < 1 || proto.slots() > kMaxScheduleSlots) {
    return FieldError("plan.slots",
                      absl::StrCat("must be 1 to ", kMaxScheduleSlots, ", got ", proto.slots()));
  }
  EventPlanOptions options;
  options.date = proto.date();
  if (!proto.start().empty()) options.start = proto.start();
  options.time_zone = proto.time_zone();
  options.slots = proto.slots();
  options.slot_minutes = proto.slot_minutes() == 0 ? kDefaultSlotMinutes : proto.slot_minutes();
  std::vector<std::string> breaks;
  for (int i = 0; i < proto.breaks_size(); ++i) {
    const std::string field = absl::StrCat("plan.breaks[", i, "]");
    const absl::StatusOr<std::vector<TimeWindow>> window = ParseTimeWindows(proto.breaks(i));
    if (!window.ok()) return FieldError(field, std::string(window.status().message()));
    if (window->size() != 1) {
      return FieldError(
          field, absl::StrCat("expected one window HH:MM-HH:MM, got \"", proto.breaks(i), "\""));
    }
    breaks.push_back(Trimmed(proto.breaks(i)));
  }
  options.breaks = absl::StrJoin(breaks, ";");
  options.tables_per_slot.assign(proto.tables_per_slot().begin(), proto.tables_per_slot().end());
  options.table_names.assign(proto.table_names().begin(), proto.table_names().end());
  if (options.tables_per_slot.empty()) {
    if (options.table_names.empty()) {
      return FieldError("plan.tables_per_slot", "required (or give table_names)");
    }
    options.tables_per_slot = {static_cast<int>(options.table_names.size())};
  }
  absl::StatusOr<EventPlan> plan = MakeEventPlan(options);
  if (!plan.ok()) return WithFieldPrefix(plan.status(), "plan.");
  return plan;
}

absl::StatusOr<EventAttendee> AttendeeFromProto(const v1::EventAttendee& proto, size_t index) {
  const std::string prefix = absl::StrCat("attendees[", index, "].");
  EventAttendee attendee;
  attendee.line = static_cast<int>(index) + 1;
  attendee.firm_id = Trimmed(proto.firm_id());
  CM_RETURN_IF_ERROR(CheckFirmId(attendee.firm_id, prefix + "firm_id"));
  CM_ASSIGN_OR_RETURN(attendee.side, SideFromProto(proto.side(), prefix + "side"));
  attendee.representatives = proto.representatives() == 0 ? 1 : proto.representatives();
  if (attendee.representatives < 1 || attendee.representatives > kMaxRepresentatives) {
    return FieldError(prefix + "representatives", absl::StrCat("must be 1 to ", kMaxRepresentatives,
                                                               ", got ", proto.representatives()));
  }
  attendee.max_meetings = proto.max_meetings();
  if (attendee.max_meetings < 0 || attendee.max_meetings > kMaxAttendeeMeetings) {
    return FieldError(prefix + "max_meetings",
                      absl::StrCat("must be 0 (the event's cap) to ", kMaxAttendeeMeetings,
                                   ", got ", attendee.max_meetings));
  }
  if (!Trimmed(proto.available_from()).empty() || !Trimmed(proto.available_to()).empty()) {
    TimeWindow window;
    CM_ASSIGN_OR_RETURN(window.start_minute,
                        WindowEnd(proto.available_from(), 0, prefix + "available_from"));
    CM_ASSIGN_OR_RETURN(window.end_minute,
                        WindowEnd(proto.available_to(), kMinutesPerDay, prefix + "available_to"));
    if (window.end_minute <= window.start_minute) {
      return FieldError(prefix + "available_to",
                        absl::StrCat("\"", FormatClockTime(window.end_minute),
                                     "\" is not after available_from \"",
                                     FormatClockTime(window.start_minute), "\""));
    }
    attendee.available = {window};
  }
  CM_ASSIGN_OR_RETURN(attendee.must_meet,
                      IdList(proto.must_meet(), attendee.firm_id, prefix + "must_meet"));
  CM_ASSIGN_OR_RETURN(attendee.never_meet,
                      IdList(proto.never_meet(), attendee.firm_id, prefix + "never_meet"));
  if (proto.has_profile()) {
    CM_ASSIGN_OR_RETURN(attendee.profile,
                        ProfileFromProto(proto.profile(), attendee.firm_id, prefix + "profile."));
  }
  return attendee;
}

absl::StatusOr<EventRequest> EventRequestFromProto(const v1::ScheduleEventRequest& proto) {
  EventRequest request;
  if (proto.attendees().empty()) return FieldError("attendees", "required");
  absl::flat_hash_map<std::string, size_t> first;
  for (int i = 0; i < proto.attendees_size(); ++i) {
    CM_ASSIGN_OR_RETURN(EventAttendee attendee,
                        AttendeeFromProto(proto.attendees(i), static_cast<size_t>(i)));
    const auto [it, inserted] = first.emplace(attendee.firm_id, static_cast<size_t>(i));
    if (!inserted) {
      return FieldError(absl::StrCat("attendees[", i, "].firm_id"),
                        absl::StrCat("duplicate id \"", attendee.firm_id, "\", first at attendees[",
                                     it->second, "]"));
    }
    request.attendees.push_back(std::move(attendee));
  }
  if (!proto.has_plan()) return FieldError("plan", "required");
  CM_ASSIGN_OR_RETURN(request.plan, PlanFromProto(proto.plan()));
  request.max_meetings = proto.max_meetings();
  request.min_meetings = proto.min_meetings();
  request.match_list_size =
      proto.has_match_list_size() ? proto.match_list_size() : kDefaultMatchListSize;
  request.pair_candidates =
      proto.has_pair_candidates() ? proto.pair_candidates() : kDefaultPairCandidates;
  CM_ASSIGN_OR_RETURN(request.intent, IntentFromProto(proto.intent()));
  CM_ASSIGN_OR_RETURN(request.cross_cluster, CrossClusterFromProto(proto.cross_cluster()));
  for (int i = 0; i < proto.kept_meetings_size(); ++i) {
    CM_ASSIGN_OR_RETURN(KeptMeeting kept,
                        KeptFromProto(proto.kept_meetings(i), static_cast<size_t>(i)));
    request.kept.push_back(std::move(kept));
  }
  request.seed = proto.has_seed() ? proto.seed() : 1;
  CM_RETURN_IF_ERROR(CheckEventRequest(request));
  return request;
}

absl::StatusOr<Language> LanguageFromProto(const std::string& language) {
  if (language.empty() || language == "en") return Language::kEnglish;
  if (language == "ko") return Language::kKorean;
  return FieldError("language", absl::StrCat("expected \"en\" or \"ko\", got \"", language, "\""));
}

v1::EventScheduleQuality QualityToProto(const ScheduleQuality& quality, int attendees) {
  v1::EventScheduleQuality proto;
  proto.set_attendees(attendees);
  proto.set_meetings(quality.meetings);
  proto.set_utility(quality.utility);
  proto.set_upper_bound(quality.upper_bound);
  proto.set_ratio(quality.ratio);
  proto.set_min_meetings(quality.min_meetings);
  proto.set_mean_meetings(quality.mean_meetings);
  proto.set_idle_gaps(quality.idle_gaps);
  proto.set_solve_seconds(quality.solve_seconds);
  proto.set_floor_reached(quality.floor_reached);
  proto.set_below_floor(quality.below_floor);
  for (const std::string& conflict : quality.conflicts) proto.add_conflicts(conflict);
  return proto;
}

v1::ScheduleEventResponse OutcomeToProto(EventOutcome outcome, const EventPlan& plan,
                                         bool with_explanations, Language language) {
  EventExportInput input;
  input.plan = plan;
  input.language = language;
  input.attendees = std::move(outcome.attendees);
  input.match_lists = std::move(outcome.match_lists);
  v1::ScheduleEventResponse response;
  for (size_t i = 0; i < input.attendees.size(); ++i) {
    *response.add_attendees() = ToProto(input.attendees[i]);
    v1::EventMatchList* list = response.add_match_lists();
    list->set_firm_id(input.attendees[i].id);
    if (i >= input.match_lists.size()) continue;
    for (const Recommendation& recommendation : input.match_lists[i]) {
      *list->add_recommendations() = RecommendationToProto(recommendation, with_explanations);
    }
  }
  for (const Meeting& meeting : outcome.meetings) {
    v1::EventMeeting* proto = response.add_meetings();
    proto->set_slot(meeting.slot + 1);
    proto->set_start(SlotStartText(plan, meeting.slot));
    proto->set_end(SlotEndText(plan, meeting.slot));
    proto->set_table(TableName(plan, meeting.table));
    proto->set_firm_a(input.attendees[static_cast<size_t>(meeting.a)].id);
    proto->set_firm_b(input.attendees[static_cast<size_t>(meeting.b)].id);
    proto->set_score(meeting.score);
    proto->set_reason(MeetingReason(input, meeting.a, meeting.b));
  }
  *response.mutable_quality() =
      QualityToProto(outcome.quality, static_cast<int>(input.attendees.size()));
  for (const std::string& note : outcome.notes) response.add_notes(note);
  return response;
}

}  // namespace clustermatch
