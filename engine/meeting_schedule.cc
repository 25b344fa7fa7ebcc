// SolveSchedule: builds the model (schedule_model.cc), places the meetings
// (schedule_slots.cc), and measures the result against the upper bound
// (schedule_bound.cc).
#include "engine/meeting_schedule.h"

#include <algorithm>
#include <bit>
#include <chrono>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/schedule_model.h"

namespace clustermatch {
namespace {

int IdleGapsOf(uint64_t busy) {
  if (busy == 0) return 0;
  const int first = std::countr_zero(busy);
  const int last = 63 - std::countl_zero(busy);
  return last - first + 1 - std::popcount(busy);
}

ScheduleQuality Measure(const ScheduleProblem& problem, const ScheduleModel& model,
                        const std::vector<Meeting>& meetings) {
  ScheduleQuality q;
  const int n = model.attendees;
  std::vector<int> degree(n, 0);
  std::vector<uint64_t> busy(n, 0);
  for (const Meeting& x : meetings) {
    q.utility += x.score;
    for (int who : {x.a, x.b}) {
      ++degree[who];
      busy[who] |= uint64_t{1} << x.slot;
    }
  }
  q.meetings = static_cast<int>(meetings.size());
  q.upper_bound = ScheduleUpperBound(model);
  q.ratio = q.upper_bound > 0 ? q.utility / q.upper_bound : 1.0;
  if (n > 0) {
    q.min_meetings = *std::min_element(degree.begin(), degree.end());
    q.mean_meetings = 2.0 * q.meetings / n;
  }
  for (int i = 0; i < n; ++i) {
    q.idle_gaps += IdleGapsOf(busy[i]);
    if (degree[i] < model.target[i]) ++q.below_floor;
  }
  q.floor_reached = q.below_floor == 0;
  q.conflicts = model.conflicts;
  absl::flat_hash_set<uint64_t> placed;
  for (const Meeting& x : meetings) placed.insert((static_cast<uint64_t>(x.a) << 32) | x.b);
  for (const ScheduleEdge& e : model.edges) {
    if (e.must && !placed.contains((static_cast<uint64_t>(e.a) << 32) | e.b)) {
      q.conflicts.push_back(absl::StrCat("must-meet ", problem.attendees[e.a].id, "-",
                                         problem.attendees[e.b].id,
                                         " could not be placed (caps, slots or tables)"));
    }
  }
  return q;
}

}  // namespace

absl::StatusOr<ScheduleResult> SolveSchedule(const ScheduleProblem& problem) {
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<ScheduleModel> model = BuildScheduleModel(problem);
  if (!model.ok()) return model.status();
  ScheduleResult result;
  result.meetings = model->fixed;
  for (const Meeting& x : PlaceMeetings(*model)) result.meetings.push_back(x);
  std::sort(result.meetings.begin(), result.meetings.end(), [](const Meeting& x, const Meeting& y) {
    return x.slot != y.slot ? x.slot < y.slot : x.table < y.table;
  });
  result.quality = Measure(problem, *model, result.meetings);
  result.quality.solve_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace clustermatch
