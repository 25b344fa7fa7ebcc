// Internal to the meeting scheduler (engine/meeting_schedule.h): the checked
// problem turned into candidate meetings, effective caps and floor targets,
// shared by the bound (schedule_bound.cc) and the placement
// (schedule_slots.cc). Not part of the engine's public API.
#ifndef CLUSTERMATCH_ENGINE_SCHEDULE_MODEL_H_
#define CLUSTERMATCH_ENGINE_SCHEDULE_MODEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/meeting_schedule.h"

namespace clustermatch {

// A pair that may still meet: allowed by pairs/must_meet, not never-meet, not
// same-side, not already met in a fixed meeting, sharing an available slot.
struct ScheduleEdge {
  int a = 0;  // a < b
  int b = 0;
  double score = 0;
  bool must = false;
  uint64_t tie = 0;     // seeded tie-break between equal scores
  uint64_t common = 0;  // slots where both are available
};

struct ScheduleModel {
  int attendees = 0;
  int slots = 0;
  std::vector<int> tables;           // per slot
  std::vector<int> representatives;  // per attendee
  std::vector<uint64_t> available;   // per attendee, one bit per slot
  // Per attendee: the most meetings it can hold in total, min(its cap,
  // representatives * available slots); fixed meetings count against it.
  std::vector<int> cap;
  std::vector<int> target;        // floor target, see meeting_schedule.h
  std::vector<Meeting> fixed;     // a < b
  std::vector<int> fixed_degree;  // per attendee
  std::vector<ScheduleEdge> edges;
  std::vector<std::vector<int>> incident;  // edge ids, best score first
  std::vector<std::string> conflicts;
};

// True when edge x should be tried before edge y: higher score, then tie.
inline bool EdgeBefore(const ScheduleEdge& x, const ScheduleEdge& y) {
  if (x.score != y.score) return x.score > y.score;
  if (x.tie != y.tie) return x.tie < y.tie;
  if (x.a != y.a) return x.a < y.a;
  return x.b < y.b;
}

// Checks `problem` (InvalidArgument naming the field) and builds the model.
absl::StatusOr<ScheduleModel> BuildScheduleModel(const ScheduleProblem& problem);

// An upper bound on the utility of any schedule of the model's new meetings
// (fixed meetings excluded). See schedule_bound.cc for the proof.
double ScheduleUpperBound(const ScheduleModel& model);

// Attendees in the order the floor repairs visit them: highest boost first.
std::vector<int> FloorOrder(const std::vector<int>& boost);

// Phase 1 (schedule_pairs.cc): the pairs to meet, ignoring slots, within
// the caps; boost[i] > 0 puts attendee i's floor first.
std::vector<bool> ChoosePairs(const ScheduleModel& model, const std::vector<int>& boost);

// Chooses and places the new meetings (fixed ones excluded), tables assigned.
// Deterministic: the problem's seed acts through ScheduleEdge::tie.
std::vector<Meeting> PlaceMeetings(const ScheduleModel& model);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SCHEDULE_MODEL_H_
