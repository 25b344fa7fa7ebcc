// Meeting-schedule solve time and quality at event scale (issue 4): 2,000
// attendees, 12 slots, 700 tables, cap 8, floor 4, each attendee's top 30
// partners, scored two ways:
//  - BM_ScheduleEvent: a deterministic synthetic mutual score (shared
//    interests plus noise, so that scores cluster like real reciprocal
//    scores do);
//  - BM_ScheduleSampleCluster: the engine's own scores for a 2,000-firm
//    `sample` cluster, imported into a temporary SQLite store and matched
//    with Engine::RecommendWithin (k = 30) outside the timed loop, then
//    turned into pairs by PairsFromMatchLists as the event command does.
// Run: OPENBLAS_NUM_THREADS=1 build/benchmarks/schedule_bench
// Reports ratio (utility / upper bound), floor_reached, below_floor, min and
// mean meetings, idle gaps and meetings placed as counters.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "engine/engine.h"
#include "engine/event_pair_scores.h"
#include "engine/meeting_schedule.h"
#include "engine/sample_cluster.h"

namespace clustermatch {
namespace {

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The event's shape: 12 slots of 700 tables, cap 8, floor 4.
ScheduleProblem EventShape() {
  ScheduleProblem p;
  p.slots = 12;
  p.tables.assign(p.slots, 700);
  p.max_meetings = 8;
  p.min_meetings = 4;
  p.seed = 7;
  return p;
}

// Attendee i has 16 interest weights in [0, 1); a pair's score is the dot
// product of their interests plus a little pair noise.
ScheduleProblem EventProblem(int attendees, int top) {
  ScheduleProblem p = EventShape();
  constexpr int kTopics = 16;
  std::vector<float> interest(static_cast<size_t>(attendees) * kTopics);
  for (int i = 0; i < attendees; ++i) {
    p.attendees.push_back(ScheduleAttendee{});
    p.attendees.back().id = absl::StrCat("A", i);
    for (int t = 0; t < kTopics; ++t) {
      const uint64_t h = Mix(static_cast<uint64_t>(i) * kTopics + t);
      // Sparse interests: a few strong topics per attendee.
      interest[static_cast<size_t>(i) * kTopics + t] = (h % 4 == 0) ? (h >> 40) / 16777216.0f : 0;
    }
  }
  std::vector<std::pair<float, int>> scored(attendees);
  for (int i = 0; i < attendees; ++i) {
    for (int j = 0; j < attendees; ++j) {
      float dot = 0;
      for (int t = 0; t < kTopics; ++t) {
        dot += interest[static_cast<size_t>(i) * kTopics + t] *
               interest[static_cast<size_t>(j) * kTopics + t];
      }
      const uint64_t key = Mix((static_cast<uint64_t>(std::min(i, j)) << 32) | std::max(i, j));
      scored[j] = {i == j ? -1.0f : dot + (key >> 40) / 16777216.0f * 0.2f, j};
    }
    std::partial_sort(scored.begin(), scored.begin() + top, scored.end(),
                      [](const auto& x, const auto& y) {
                        return x.first != y.first ? x.first > y.first : x.second < y.second;
                      });
    for (int k = 0; k < top; ++k) {
      p.pairs.push_back({i, scored[k].second, static_cast<double>(scored[k].first)});
    }
  }
  return p;
}

// Times SolveSchedule on `problem` and reports the schedule's quality.
void SolveAndReport(benchmark::State& state, const ScheduleProblem& problem) {
  ScheduleQuality quality;
  for (auto _ : state) {
    absl::StatusOr<ScheduleResult> result = SolveSchedule(problem);
    if (!result.ok()) {
      state.SkipWithError(std::string(result.status().message()).c_str());
      return;
    }
    quality = result->quality;
    benchmark::DoNotOptimize(result->meetings.data());
  }
  state.counters["ratio"] = quality.ratio;
  state.counters["floor_reached"] = quality.floor_reached ? 1 : 0;
  state.counters["below_floor"] = quality.below_floor;
  state.counters["min_meetings"] = quality.min_meetings;
  state.counters["mean_meetings"] = quality.mean_meetings;
  state.counters["idle_gaps"] = quality.idle_gaps;
  state.counters["meetings"] = quality.meetings;
  state.counters["pairs"] = static_cast<double>(problem.pairs.size());
}

void BM_ScheduleEvent(benchmark::State& state) {
  const ScheduleProblem problem = EventProblem(static_cast<int>(state.range(0)), 30);
  SolveAndReport(state, problem);
}
BENCHMARK(BM_ScheduleEvent)->Arg(2000)->Unit(benchmark::kMillisecond)->Iterations(3);

// The sample cluster's firms as event attendees, with pairs from the
// engine's match lists. The store lives in a scratch file, removed after.
absl::StatusOr<ScheduleProblem> SampleClusterProblem(int firms, int top) {
  const std::string path =
      (std::filesystem::temp_directory_path() / absl::StrCat("schedule_bench_", getpid(), ".db"))
          .string();
  auto remove_store = [&] {
    for (const char* suffix : {"", "-wal", "-shm", ".lock"}) {
      std::filesystem::remove(path + suffix);
    }
  };
  remove_store();
  ScheduleProblem p = EventShape();
  absl::StatusOr<std::vector<std::vector<Recommendation>>> lists;
  absl::flat_hash_map<std::string, int> index;
  {
    EngineOptions options;
    options.db_path = path;
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Open(options);
    if (!engine.ok()) return engine.status();
    const std::vector<Firm> sample = GenerateSampleCluster({.firms = firms, .seed = 1});
    absl::StatusOr<ImportSummary> imported = (*engine)->ImportFirms(sample);
    if (imported.ok()) {
      std::vector<std::string> ids;
      for (const Firm& firm : sample) {
        index.emplace(firm.id, static_cast<int>(ids.size()));
        ids.push_back(firm.id);
        p.attendees.push_back(ScheduleAttendee{});
        p.attendees.back().id = firm.id;
      }
      RecommendRequest request;
      request.k = top;
      lists = (*engine)->RecommendWithin(ids, request);
    } else {
      lists = imported.status();
    }
  }
  remove_store();
  if (!lists.ok()) return lists.status();
  p.pairs = PairsFromMatchLists(*lists, index, top);
  return p;
}

void BM_ScheduleSampleCluster(benchmark::State& state) {
  // Built once: import, training and matching take far longer than a solve.
  static const auto* const problem = new absl::StatusOr<ScheduleProblem>(
      SampleClusterProblem(static_cast<int>(state.range(0)), 30));
  if (!problem->ok()) {
    state.SkipWithError(std::string(problem->status().message()).c_str());
    return;
  }
  SolveAndReport(state, **problem);
}
BENCHMARK(BM_ScheduleSampleCluster)->Arg(2000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace clustermatch

BENCHMARK_MAIN();
