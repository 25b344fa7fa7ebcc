// What every vector_search_bench benchmark shares: the data set they all
// search, one index alive at a time (each method's index is built once and
// dropped when the next method's is wanted, so 1M-firm runs hold one copy),
// and the query loop that reports QPS and recall@10.
#ifndef CLUSTERMATCH_BENCHMARKS_VECTOR_BENCH_HARNESS_H_
#define CLUSTERMATCH_BENCHMARKS_VECTOR_BENCH_HARNESS_H_

#include <benchmark/benchmark.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "benchmarks/vector_bench_data.h"

namespace clustermatch {

// The data set, set once by main before any benchmark runs.
void SetBenchData(const BenchData* data);
const BenchData& Data();

// The index called `name`: the one alive if it has that name, else the
// previous one is freed and `build` makes this one (timed, logged to
// stderr). `build_seconds` gets its build time.
std::shared_ptr<void> ObtainIndex(const std::string& name,
                                  const std::function<std::shared_ptr<void>()>& build,
                                  double* build_seconds);

template <typename T>
std::shared_ptr<T> Obtain(const std::string& name, const std::function<std::shared_ptr<T>()>& build,
                          double* build_seconds = nullptr) {
  return std::static_pointer_cast<T>(ObtainIndex(
      name, [&build]() -> std::shared_ptr<void> { return build(); }, build_seconds));
}

// Frees the index alive (room for a throw-away copy).
void DropIndex();

// Held while a benchmark sets the alive index's search parameters (ef,
// nprobe): the threads of a multi-threaded run all do it at their start.
std::mutex& IndexMutex();

// Searches query q; writes row ids (and scores) best first; false on error.
using SearchFn = std::function<bool(int q, std::vector<int64_t>& ids, std::vector<float>& scores)>;

// build_s and build_firms_per_s counters (nothing when build_seconds <= 0).
void SetBuildCounters(benchmark::State& state, double build_seconds);

// One query per iteration, cycling through the kBenchQueries queries (each
// thread from its own offset). Recall@10 against `scope`'s exact top 10 is
// measured after the timed loop on the results the loop produced; QPS and
// the scope's selectivity are reported alongside.
void RunQueries(benchmark::State& state, Scope scope, const SearchFn& search);

// Top k of n scores, best first, ties by smaller row; rows whose `passes`
// byte is 0 are skipped (no filter when null).
void TopK(const float* scores, size_t n, const uint8_t* passes, int k, std::vector<int64_t>& ids,
          std::vector<float>& out);

// Bytes of the float rows: what one exact scan reads.
double MatrixBytes();

}  // namespace clustermatch

#endif  // CLUSTERMATCH_BENCHMARKS_VECTOR_BENCH_HARNESS_H_
