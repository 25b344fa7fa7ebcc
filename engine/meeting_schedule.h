// Meeting schedules for networking events: which attendees meet, in which
// slot and at which table. A plain engine module with no I/O; the command
// line, gRPC and the exports build a ScheduleProblem and read the result.
//
// Hard rules (every schedule returned obeys all of them):
//  - an attendee holds at most `representatives` meetings in one slot, and
//    only in slots where it is available;
//  - no pair meets twice; at most tables[slot] meetings per slot, each at its
//    own table in [0, tables[slot]);
//  - an attendee holds at most its cap (its max_meetings, or the event's when
//    0) meetings, counting fixed ones;
//  - only pairs listed in `pairs` or `must_meet` meet; never-meet pairs never
//    meet, and never-meet wins over must-meet (the conflict is reported);
//  - with sides, two buyers or two suppliers never meet (an attendee without
//    a side may meet anyone);
//  - `fixed` meetings (kept from a published schedule) stay exactly as they
//    are, even where they now break a never-meet or availability rule (that
//    is reported as a conflict).
// Objective: place must-meet pairs first; reach the fairness floor; then
// maximise the total score; then few idle gaps (a slot without a meeting
// between an attendee's first and last meeting).
//
// The floor: attendee i's target is min(min_meetings, its cap, the number of
// distinct partners it may meet, counting fixed meetings). floor_reached says
// every attendee reached its target.
//
// The result is deterministic for the same problem and seed: the seed only
// breaks ties between equal scores. No threads, no clocks in decisions.
#ifndef CLUSTERMATCH_ENGINE_MEETING_SCHEDULE_H_
#define CLUSTERMATCH_ENGINE_MEETING_SCHEDULE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace clustermatch {

// The most slots an event may have (one bit per slot internally).
inline constexpr int kMaxScheduleSlots = 64;

struct ScheduleAttendee {
  enum class Side { kNone, kBuyer, kSupplier };
  std::string id;               // for messages only
  int representatives = 1;      // meetings it can hold at once, >= 1
  int max_meetings = 0;         // its cap; 0: the event's cap
  std::vector<bool> available;  // per slot; empty: every slot
  Side side = Side::kNone;
};

// A pair that may meet. a and b index ScheduleProblem::attendees; score >= 0
// is the pair's mutual score. A pair listed twice keeps its highest score.
struct ScoredPair {
  int a = 0;
  int b = 0;
  double score = 0;
};

// One meeting: attendees a and b (a < b in results) at `table` in `slot`.
struct Meeting {
  int slot = 0;
  int table = 0;
  int a = 0;
  int b = 0;
  double score = 0;
};

struct ScheduleProblem {
  int slots = 0;            // 1..kMaxScheduleSlots
  std::vector<int> tables;  // per slot (size == slots), >= 0
  int max_meetings = 0;     // the event's per-attendee cap, >= 0
  int min_meetings = 0;     // fairness floor F, >= 0
  std::vector<ScheduleAttendee> attendees;
  std::vector<ScoredPair> pairs;               // the pairs that may meet
  std::vector<std::pair<int, int>> must_meet;  // score from `pairs`, else 0
  std::vector<std::pair<int, int>> never_meet;
  std::vector<Meeting> fixed;  // kept as they are; score is taken as given
  uint64_t seed = 1;
};

struct ScheduleQuality {
  int meetings = 0;        // placed, fixed ones included
  double utility = 0;      // sum of meeting scores
  double upper_bound = 0;  // provably >= the best feasible utility
  double ratio = 1;        // utility / upper_bound (1 when the bound is 0)
  int min_meetings = 0;    // over all attendees (0 when there are none)
  double mean_meetings = 0;
  int idle_gaps = 0;  // summed over attendees
  double solve_seconds = 0;
  bool floor_reached = true;
  int below_floor = 0;                 // attendees short of their target
  std::vector<std::string> conflicts;  // e.g. must-meet vs never-meet
};

struct ScheduleResult {
  std::vector<Meeting> meetings;  // sorted by (slot, table)
  ScheduleQuality quality;
};

// Solves `problem`. InvalidArgument, naming the field, for bad input (indexes
// out of range, sizes that do not match `slots`, negative or non-finite
// scores, fixed meetings that double-book or share a table).
absl::StatusOr<ScheduleResult> SolveSchedule(const ScheduleProblem& problem);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_MEETING_SCHEDULE_H_
