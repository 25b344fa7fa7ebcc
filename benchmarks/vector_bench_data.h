// The data of vector_search_bench: topic-field embeddings of `clustermatch
// sample` firms, 1,000 held-out query vectors, the facets of every firm, two
// filters picked from those facets (about 25% and about 1% of the firms) and
// the exact top-10 of every query under each filter. Built once per
// (firms, seed) and cached as raw files in a cache directory, so that later
// runs neither re-embed nor recompute the ground truth.
#ifndef CLUSTERMATCH_BENCHMARKS_VECTOR_BENCH_DATA_H_
#define CLUSTERMATCH_BENCHMARKS_VECTOR_BENCH_DATA_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/vector_index.h"

namespace clustermatch {

inline constexpr int kBenchDimension = 256;
inline constexpr int kBenchQueries = 1000;
inline constexpr int kBenchK = 10;

struct BenchConfig {
  size_t firms = 100000;    // indexed firms; the queries are the next kBenchQueries
  uint64_t seed = 1;        // SampleOptions::seed
  int train_firms = 20000;  // the text model is trained on the first min(this, firms)
  std::string cache_dir;
};

// Which rows a search may return.
enum class Scope : int {
  kAll = 0,         // every row (Faiss and hnswlib, which know no visibility)
  kVisible = 1,     // rows that are not hidden (FirmVectorIndex without a filter)
  kQuarter = 2,     // the ~25% filter, not hidden
  kOnePercent = 3,  // the ~1% filter, not hidden
};
inline constexpr int kScopeCount = 4;

struct ScopeData {
  std::string name;             // "all", "visible", "quarter", "one_percent"
  std::string description;      // e.g. "mini_cluster in {ICT}, not hidden"
  SearchFilter filter;          // the same restriction for FirmVectorIndex
  std::vector<uint8_t> passes;  // per row: 1 when the row is in scope
  size_t passing = 0;
  // Exact top kBenchK per query, best first: row ids (-1 when fewer pass)
  // and inner products; kBenchQueries x kBenchK.
  std::vector<int64_t> truth;
  std::vector<float> truth_scores;
};

struct BenchData {
  size_t firms = 0;
  uint64_t seed = 0;
  std::vector<float> rows;         // firms x kBenchDimension, L2-normalised
  std::vector<float> queries;      // kBenchQueries x kBenchDimension
  std::vector<FirmFacets> facets;  // per row; key = row + 1
  std::string model;               // TextModel::Describe() of the embedding model
  size_t zero_rows = 0;            // rows whose topic text had no known feature
  std::array<ScopeData, kScopeCount> scopes;

  const float* row(size_t i) const { return rows.data() + i * kBenchDimension; }
  const float* query(int q) const {
    return queries.data() + static_cast<size_t>(q) * kBenchDimension;
  }
  const ScopeData& scope(Scope s) const { return scopes[static_cast<int>(s)]; }
};

// Reads the cache, or generates, embeds and computes what is missing and
// writes it to the cache. Progress goes to stderr.
absl::StatusOr<BenchData> LoadBenchData(const BenchConfig& config);

// Recall@kBenchK of `found` (row ids, any order) for query q: the share of
// the exact top kBenchK matched, counting a returned in-scope row as a match
// when its inner product ties or beats the exact k-th (so that ties do not
// count as misses). 1 when nothing is in scope and nothing is returned.
double RecallAt(const BenchData& data, Scope scope, int q, std::span<const int64_t> found);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_BENCHMARKS_VECTOR_BENCH_DATA_H_
