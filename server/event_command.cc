#include "server/event_command.h"

#include <nlohmann/json.hpp>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/csv_reader.h"
#include "engine/event_attendees.h"
#include "engine/meeting_schedule.h"
#include "engine/status_macros.h"
#include "server/event_exports.h"
#include "server/read_file.h"

namespace clustermatch {
namespace {

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
  return engine.ImportFirms(fresh).status();
}

// The meetings of a published schedule.csv (slot,start,table,firm_a,firm_b,
// score), as indexes of this event.
absl::StatusOr<std::vector<Meeting>> KeptMeetings(
    const std::string& path, const EventPlan& plan,
    const absl::flat_hash_map<std::string, int>& index) {
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
  std::vector<Meeting> kept;
  CsvRecord row;
  while (true) {
    CM_ASSIGN_OR_RETURN(const bool more, reader.Next(&row));
    if (!more) break;
    const std::string where = SourceLine(path, row.line) + ": ";
    if (row.fields.size() != expected.size()) {
      return absl::InvalidArgumentError(where + "expected 6 fields, got " +
                                        std::to_string(row.fields.size()));
    }
    Meeting meeting;
    if (!absl::SimpleAtoi(row.fields[0], &meeting.slot) || meeting.slot < 1 ||
        meeting.slot > plan.slots) {
      return absl::InvalidArgumentError(where + "slot: expected 1 to " +
                                        std::to_string(plan.slots) + ", got \"" + row.fields[0] +
                                        "\"");
    }
    --meeting.slot;
    meeting.table = -1;
    for (int t = 0; t < plan.tables_per_slot[static_cast<size_t>(meeting.slot)]; ++t) {
      if (TableName(plan, t) == row.fields[2]) meeting.table = t;
    }
    if (meeting.table < 0) {
      return absl::InvalidArgumentError(where + "table: no table \"" + row.fields[2] + "\"");
    }
    for (auto [column, name, target] :
         {std::tuple{3, "firm_a", &meeting.a}, std::tuple{4, "firm_b", &meeting.b}}) {
      auto it = index.find(row.fields[static_cast<size_t>(column)]);
      if (it == index.end()) {
        return absl::InvalidArgumentError(where + name + ": \"" +
                                          row.fields[static_cast<size_t>(column)] +
                                          "\" is not an attendee");
      }
      *target = it->second;
    }
    if (meeting.a > meeting.b) std::swap(meeting.a, meeting.b);
    if (!absl::SimpleAtod(row.fields[5], &meeting.score)) {
      return absl::InvalidArgumentError(where + "score: not a number \"" + row.fields[5] + "\"");
    }
    kept.push_back(meeting);
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
  CM_ASSIGN_OR_RETURN(const std::vector<EventAttendee> attendees,
                      ParseAttendeesCsv(bytes, o.attendees_csv, o.encoding));
  CM_RETURN_IF_ERROR(StoreNewAttendees(attendees, o.attendees_csv, engine));

  EventExportInput input;
  input.event_name = o.event_name;
  input.plan = plan;
  input.language = o.language;
  std::vector<std::string> ids;
  absl::flat_hash_map<std::string, int> index;
  ScheduleProblem problem;
  problem.slots = plan.slots;
  problem.tables = plan.tables_per_slot;
  problem.max_meetings = o.max_meetings;
  problem.min_meetings = o.min_meetings;
  problem.seed = o.seed;
  for (const EventAttendee& attendee : attendees) {
    CM_ASSIGN_OR_RETURN(Firm firm, engine.GetFirm(attendee.firm_id));
    if (firm.visibility == Visibility::kHidden) {
      return absl::FailedPreconditionError(
          absl::StrCat(o.attendees_csv, ":", attendee.line, ": firm_id: \"", attendee.firm_id,
                       "\" is hidden and cannot be matched; change its visibility to schedule it"));
    }
    index.emplace(firm.id, static_cast<int>(ids.size()));
    ids.push_back(firm.id);
    input.attendees.push_back(std::move(firm));
    ScheduleAttendee a;
    a.id = attendee.firm_id;
    a.representatives = attendee.representatives;
    a.max_meetings = attendee.max_meetings;
    a.side = ToScheduleSide(attendee.side);
    if (!attendee.available.empty()) a.available = SlotAvailability(plan, attendee.available);
    problem.attendees.push_back(std::move(a));
  }

  RecommendRequest base;
  base.cross_cluster = o.cross_cluster;
  base.k = std::max(o.match_list_size, o.pair_candidates);
  CM_ASSIGN_OR_RETURN(const std::vector<std::vector<Recommendation>> lists,
                      engine.RecommendWithin(ids, base));
  // A pair's score is the better of its two directions.
  absl::flat_hash_map<std::pair<int, int>, double> pair_scores;
  for (size_t i = 0; i < lists.size(); ++i) {
    const std::vector<Recommendation>& list = lists[i];
    for (size_t rank = 0; rank < list.size() && rank < static_cast<size_t>(o.pair_candidates);
         ++rank) {
      const int j = index.at(list[rank].firm_id);
      const std::pair<int, int> key{std::min<int>(static_cast<int>(i), j),
                                    std::max<int>(static_cast<int>(i), j)};
      double& score = pair_scores[key];
      score = std::max(score, static_cast<double>(list[rank].score));
    }
    input.match_lists.emplace_back(
        list.begin(), list.begin() + static_cast<long>(std::min<size_t>(
                                         list.size(), static_cast<size_t>(o.match_list_size))));
  }
  for (const auto& [pair, score] : pair_scores) {
    problem.pairs.push_back(ScoredPair{pair.first, pair.second, std::max(0.0, score)});
  }
  std::sort(problem.pairs.begin(), problem.pairs.end(),
            [](const ScoredPair& x, const ScoredPair& y) {
              return std::tie(x.a, x.b) < std::tie(y.a, y.b);
            });

  const PairRules rules = CollectPairRules(attendees);
  for (const FirmPair& pair : rules.must_meet) {
    problem.must_meet.emplace_back(index.at(pair.first), index.at(pair.second));
  }
  for (const FirmPair& pair : rules.never_meet) {
    problem.never_meet.emplace_back(index.at(pair.first), index.at(pair.second));
  }
  for (const std::string& note : rules.unknown_ids) err << "event: note: " << note << "\n";
  if (!o.keep_csv.empty()) {
    CM_ASSIGN_OR_RETURN(problem.fixed, KeptMeetings(o.keep_csv, plan, index));
  }

  CM_ASSIGN_OR_RETURN(ScheduleResult result, SolveSchedule(problem));
  for (const PairConflict& conflict : rules.conflicts) {
    result.quality.conflicts.push_back(conflict.description);
  }
  input.meetings = std::move(result.meetings);
  input.quality = result.quality;
  CM_RETURN_IF_ERROR(WriteEventExports(input, o.out_dir));
  out << QualityJson(input.quality, input.attendees.size()).dump() << "\n";
  return absl::OkStatus();
}

}  // namespace clustermatch
