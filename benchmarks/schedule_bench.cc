// Meeting-schedule solve time and quality at event scale (issue 4): 2,000
// attendees, 12 slots, 700 tables, cap 8, floor 4, each attendee's top 30
// partners by a deterministic synthetic mutual score (shared interests plus
// noise, so that scores cluster like real reciprocal scores do).
// Run: build/benchmarks/schedule_bench
// Reports ratio (utility / upper bound), floor_reached, below_floor, min and
// mean meetings, idle gaps and meetings placed as counters.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/meeting_schedule.h"

namespace clustermatch {
namespace {

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Attendee i has 16 interest weights in [0, 1); a pair's score is the dot
// product of their interests plus a little pair noise.
ScheduleProblem EventProblem(int attendees, int top) {
  ScheduleProblem p;
  p.slots = 12;
  p.tables.assign(p.slots, 700);
  p.max_meetings = 8;
  p.min_meetings = 4;
  p.seed = 7;
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

void BM_ScheduleEvent(benchmark::State& state) {
  const ScheduleProblem problem = EventProblem(static_cast<int>(state.range(0)), 30);
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
BENCHMARK(BM_ScheduleEvent)->Arg(2000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace clustermatch

BENCHMARK_MAIN();
