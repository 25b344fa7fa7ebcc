#include "engine/event_planner.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "engine/event_pair_scores.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

using AttendeeIndex = absl::flat_hash_map<std::string, int>;

absl::Status CheckCount(std::string_view field, int value, int min, int max) {
  if (value >= min && value <= max) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(field), ": must be ", min, " to ", max, ", got ", value));
}

ScheduleAttendee::Side ToScheduleSide(Side side) {
  switch (side) {
    case Side::kBuyer:
      return ScheduleAttendee::Side::kBuyer;
    case Side::kSupplier:
      return ScheduleAttendee::Side::kSupplier;
    case Side::kUnspecified:
      break;
  }
  return ScheduleAttendee::Side::kNone;
}

AttendeeIndex IndexAttendees(const std::vector<EventAttendee>& attendees) {
  AttendeeIndex index;
  for (size_t i = 0; i < attendees.size(); ++i) {
    index.emplace(attendees[i].firm_id, static_cast<int>(i));
  }
  return index;
}

// A kept meeting as indexes of this event.
absl::StatusOr<Meeting> ResolveKept(const KeptMeeting& kept, const EventPlan& plan,
                                    const AttendeeIndex& index) {
  const std::string& where = kept.field_prefix;
  if (kept.slot < 1 || kept.slot > plan.slots) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, "slot: expected 1 to ", plan.slots, ", got \"", kept.slot, "\""));
  }
  Meeting meeting;
  meeting.slot = kept.slot - 1;
  meeting.table = -1;
  for (int t = 0; t < plan.tables_per_slot[static_cast<size_t>(meeting.slot)]; ++t) {
    if (TableName(plan, t) == kept.table) meeting.table = t;
  }
  if (meeting.table < 0) {
    return absl::InvalidArgumentError(absl::StrCat(where, "table: no table \"", kept.table, "\""));
  }
  for (auto [name, id, target] : {std::tuple{"firm_a", &kept.firm_a, &meeting.a},
                                  std::tuple{"firm_b", &kept.firm_b, &meeting.b}}) {
    auto it = index.find(*id);
    if (it == index.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, name, ": \"", *id, "\" is not an attendee"));
    }
    *target = it->second;
  }
  if (meeting.a > meeting.b) std::swap(meeting.a, meeting.b);
  meeting.score = kept.score;
  return meeting;
}

}  // namespace

std::string AttendeeFieldPrefix(const EventRequest& request, size_t i) {
  if (!request.attendees_file.empty()) {
    return absl::StrCat(request.attendees_file, ":", request.attendees[i].line, ": ");
  }
  return absl::StrCat("attendees[", i, "].");
}

absl::Status CheckEventRequest(const EventRequest& request) {
  CM_RETURN_IF_ERROR(CheckCount("max_meetings", request.max_meetings, 1, kMaxAttendeeMeetings));
  CM_RETURN_IF_ERROR(CheckCount("min_meetings", request.min_meetings, 0, kMaxAttendeeMeetings));
  CM_RETURN_IF_ERROR(CheckCount("match_list_size", request.match_list_size, 0, kMaxK));
  CM_RETURN_IF_ERROR(CheckCount("pair_candidates", request.pair_candidates, 0, kMaxK));
  if (request.plan.slots < 1 ||
      request.plan.tables_per_slot.size() != static_cast<size_t>(request.plan.slots)) {
    return absl::InvalidArgumentError("plan: not laid out; build it with MakeEventPlan");
  }
  const AttendeeIndex index = IndexAttendees(request.attendees);
  for (const KeptMeeting& kept : request.kept) {
    CM_RETURN_IF_ERROR(ResolveKept(kept, request.plan, index).status());
  }
  return absl::OkStatus();
}

absl::StatusOr<EventOutcome> PlanEvent(const Engine& engine, const EventRequest& request) {
  CM_RETURN_IF_ERROR(CheckEventRequest(request));
  const EventPlan& plan = request.plan;
  EventOutcome outcome;
  std::vector<std::string> ids;
  ScheduleProblem problem;
  problem.slots = plan.slots;
  problem.tables = plan.tables_per_slot;
  problem.max_meetings = request.max_meetings;
  problem.min_meetings = request.min_meetings;
  problem.seed = request.seed;
  for (size_t i = 0; i < request.attendees.size(); ++i) {
    const EventAttendee& attendee = request.attendees[i];
    absl::StatusOr<Firm> firm = engine.GetFirm(attendee.firm_id);
    if (absl::IsNotFound(firm.status())) {
      return absl::NotFoundError(absl::StrCat(AttendeeFieldPrefix(request, i),
                                              "firm_id: no firm \"", attendee.firm_id, "\""));
    }
    if (!firm.ok()) return firm.status();
    if (firm->visibility == Visibility::kHidden) {
      return absl::FailedPreconditionError(
          absl::StrCat(AttendeeFieldPrefix(request, i), "firm_id: \"", attendee.firm_id,
                       "\" is hidden and cannot be matched; change its visibility to schedule it"));
    }
    ids.push_back(firm->id);
    outcome.attendees.push_back(*std::move(firm));
    ScheduleAttendee a;
    a.id = attendee.firm_id;
    a.representatives = attendee.representatives;
    a.max_meetings = attendee.max_meetings;
    a.side = ToScheduleSide(attendee.side);
    if (!attendee.available.empty()) a.available = SlotAvailability(plan, attendee.available);
    problem.attendees.push_back(std::move(a));
  }
  const AttendeeIndex index = IndexAttendees(request.attendees);

  std::vector<std::vector<Recommendation>> lists(ids.size());
  RecommendRequest base;
  base.intent = request.intent;
  base.cross_cluster = request.cross_cluster;
  base.filter = request.filter;
  base.k = std::max(request.match_list_size, request.pair_candidates);
  if (base.k > 0 && !ids.empty()) {
    CM_ASSIGN_OR_RETURN(lists, engine.RecommendWithin(ids, base));
  }
  problem.pairs = PairsFromMatchLists(lists, index, request.pair_candidates);
  for (const std::vector<Recommendation>& list : lists) {
    outcome.match_lists.emplace_back(
        list.begin(),
        list.begin() + static_cast<long>(std::min<size_t>(
                           list.size(), static_cast<size_t>(request.match_list_size))));
  }

  const PairRules rules = CollectPairRules(request.attendees);
  for (const FirmPair& pair : rules.must_meet) {
    problem.must_meet.emplace_back(index.at(pair.first), index.at(pair.second));
  }
  for (const FirmPair& pair : rules.never_meet) {
    problem.never_meet.emplace_back(index.at(pair.first), index.at(pair.second));
  }
  outcome.notes = rules.unknown_ids;
  for (const KeptMeeting& kept : request.kept) {
    CM_ASSIGN_OR_RETURN(Meeting meeting, ResolveKept(kept, plan, index));
    problem.fixed.push_back(meeting);
  }

  CM_ASSIGN_OR_RETURN(ScheduleResult result, SolveSchedule(problem));
  for (const PairConflict& conflict : rules.conflicts) {
    result.quality.conflicts.push_back(conflict.description);
  }
  outcome.meetings = std::move(result.meetings);
  outcome.quality = std::move(result.quality);
  return outcome;
}

}  // namespace clustermatch
