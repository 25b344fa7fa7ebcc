// `clustermatch event schedule`: from an attendee CSV to match lists, a
// meeting schedule, its quality report (JSON on stdout) and the organiser's
// files, in one command on the embedded store.
//
//   attendees CSV -> attendee firms (inline profiles of new firms are stored)
//   -> PlanEvent (engine/event_planner.h, shared with EventService): match
//      lists among the attendees, pair scores, SolveSchedule
//   -> exports (server/event_exports.h) + quality report
#ifndef CLUSTERMATCH_SERVER_EVENT_COMMAND_H_
#define CLUSTERMATCH_SERVER_EVENT_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "engine/engine.h"
#include "engine/event_plan.h"
#include "server/cli_output.h"

namespace clustermatch {

struct EventScheduleOptions {
  std::string attendees_csv;
  std::string encoding = "auto";
  std::string event_name = "Matchmaking";
  EventPlanOptions plan;
  int max_meetings = 0;  // per attendee; required
  int min_meetings = 0;  // fairness floor
  int match_list_size = 10;
  int pair_candidates = 30;  // partners per attendee the scheduler may choose from
  CrossCluster cross_cluster = CrossCluster::kOff;
  std::string keep_csv;  // a published schedule.csv whose meetings stay
  std::string out_dir;
  Language language = Language::kEnglish;
  uint64_t seed = 1;
};

// Writes the exports into options.out_dir and the quality report, one JSON
// object, to `out`. Errors name the file and line (attendees, --keep) or the
// option.
absl::Status RunEventSchedule(const EventScheduleOptions& options, Engine& engine,
                              std::ostream& out, std::ostream& err);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_EVENT_COMMAND_H_
