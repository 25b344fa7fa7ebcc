#include "benchmarks/vector_bench_harness.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <span>
#include <utility>

namespace clustermatch {
namespace {

const BenchData* g_data = nullptr;

struct Slot {
  std::string name;
  std::shared_ptr<void> object;
  double build_seconds = 0;
};
std::mutex g_slot_mutex;
Slot g_slot;

}  // namespace

void SetBenchData(const BenchData* data) { g_data = data; }
const BenchData& Data() { return *g_data; }

std::shared_ptr<void> ObtainIndex(const std::string& name,
                                  const std::function<std::shared_ptr<void>()>& build,
                                  double* build_seconds) {
  std::lock_guard<std::mutex> lock(g_slot_mutex);
  if (g_slot.name != name) {
    g_slot = Slot{};  // free the previous index before building the next
    const auto start = std::chrono::steady_clock::now();
    std::shared_ptr<void> built = build();
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    g_slot = Slot{name, built, seconds};
    std::fprintf(stderr, "[build] %s: %.2f s, %.0f firms/s\n", name.c_str(), seconds,
                 static_cast<double>(g_data->firms) / seconds);
  }
  if (build_seconds != nullptr) *build_seconds = g_slot.build_seconds;
  return g_slot.object;
}

void DropIndex() {
  std::lock_guard<std::mutex> lock(g_slot_mutex);
  g_slot = Slot{};
}

std::mutex& IndexMutex() { return g_slot_mutex; }

void SetBuildCounters(benchmark::State& state, double build_seconds) {
  if (build_seconds <= 0) return;
  state.counters["build_s"] = benchmark::Counter(build_seconds, benchmark::Counter::kAvgThreads);
  state.counters["build_firms_per_s"] = benchmark::Counter(
      static_cast<double>(g_data->firms) / build_seconds, benchmark::Counter::kAvgThreads);
}

void RunQueries(benchmark::State& state, Scope scope, const SearchFn& search) {
  std::vector<int64_t> last(static_cast<size_t>(kBenchQueries) * kBenchK, -1);
  std::vector<int> last_count(kBenchQueries, -1);
  std::vector<int64_t> ids;
  std::vector<float> scores;
  int q = (state.thread_index() * kBenchQueries) / std::max(1, state.threads());
  for (auto _ : state) {
    if (!search(q, ids, scores)) {
      state.SkipWithError("search failed");
      break;
    }
    const int count = std::min(static_cast<int>(ids.size()), kBenchK);
    std::copy_n(ids.begin(), count, last.begin() + static_cast<std::ptrdiff_t>(q) * kBenchK);
    last_count[q] = count;
    q = q + 1 == kBenchQueries ? 0 : q + 1;
  }
  double recall = 0;
  int checked = 0;
  for (int i = 0; i < kBenchQueries; ++i) {
    if (last_count[i] < 0) continue;
    recall += RecallAt(*g_data, scope, i,
                       std::span<const int64_t>(last.data() + static_cast<size_t>(i) * kBenchK,
                                                static_cast<size_t>(last_count[i])));
    ++checked;
  }
  state.counters["recall@10"] =
      benchmark::Counter(checked > 0 ? recall / checked : 0, benchmark::Counter::kAvgThreads);
  state.counters["queries_checked"] = static_cast<double>(checked);
  state.counters["QPS"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["selectivity"] = benchmark::Counter(
      static_cast<double>(g_data->scope(scope).passing) / static_cast<double>(g_data->firms),
      benchmark::Counter::kAvgThreads);
}

void TopK(const float* scores, size_t n, const uint8_t* passes, int k, std::vector<int64_t>& ids,
          std::vector<float>& out) {
  std::vector<std::pair<float, int64_t>> heap;  // min-heap on (score, -row)
  heap.reserve(static_cast<size_t>(k) + 1);
  auto worse = [](const std::pair<float, int64_t>& a, const std::pair<float, int64_t>& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  };
  for (size_t i = 0; i < n; ++i) {
    if (passes != nullptr && !passes[i]) continue;
    if (static_cast<int>(heap.size()) == k && scores[i] <= heap.front().first) continue;
    heap.emplace_back(scores[i], static_cast<int64_t>(i));
    std::push_heap(heap.begin(), heap.end(), worse);
    if (static_cast<int>(heap.size()) > k) {
      std::pop_heap(heap.begin(), heap.end(), worse);
      heap.pop_back();
    }
  }
  std::sort_heap(heap.begin(), heap.end(), worse);
  ids.resize(heap.size());
  out.resize(heap.size());
  for (size_t i = 0; i < heap.size(); ++i) {
    ids[i] = heap[i].second;
    out[i] = heap[i].first;
  }
}

double MatrixBytes() {
  return static_cast<double>(g_data->firms) * kBenchDimension * sizeof(float);
}

}  // namespace clustermatch
