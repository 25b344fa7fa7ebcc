// Test helper: the exact optimum of a small meeting-schedule problem, by an
// integer program solved with GLPK. It rebuilds the rules from
// engine/meeting_schedule.h on its own (it shares no code with the engine's
// solver), so that tests can check the engine's bound and floor against it.
// Must-meet pairs count as allowed pairs; fixed meetings are not supported.
#ifndef CLUSTERMATCH_TESTS_ENGINE_SCHEDULE_EXACT_SOLVER_H_
#define CLUSTERMATCH_TESTS_ENGINE_SCHEDULE_EXACT_SOLVER_H_

#include <vector>

#include "engine/meeting_schedule.h"

namespace clustermatch::testing {

struct ExactSchedule {
  bool solved = false;  // GLPK finished: optimal, or proven infeasible
  bool feasible = false;
  double utility = 0;  // the best total score, when feasible
};

// Per attendee: min(F, its cap, representatives * available slots, the
// number of partners it may meet in a shared available slot).
std::vector<int> FloorTargets(const ScheduleProblem& problem);

// Maximises the total score over all schedules obeying the hard rules; with
// `floor`, every attendee i must also hold at least (*floor)[i] meetings.
ExactSchedule SolveExactly(const ScheduleProblem& problem, const std::vector<int>* floor);

// Whether some schedule obeying the hard rules gives every attendee i at
// least floor[i] meetings: the same program without scores, so that GLPK may
// stop at the first schedule it finds (utility is left 0). Gives up (solved
// false) after 1 s, where SolveExactly gives up after 5 s.
ExactSchedule FloorFeasible(const ScheduleProblem& problem, const std::vector<int>& floor);

}  // namespace clustermatch::testing

#endif  // CLUSTERMATCH_TESTS_ENGINE_SCHEDULE_EXACT_SOLVER_H_
