#include "engine/hnsw_beam_search.h"

#include <algorithm>
#include <functional>
#include <queue>

#include "engine/sq8_storage.h"
#include "engine/vector_kernels.h"
#include "engine/visited_marks.h"

namespace clustermatch {
namespace {

// Fresh starts allowed when a walk runs out of nodes short of k rows, and the
// rows probed for each (an unlinked or seen row is passed over).
constexpr int kMaxRestarts = 16;
constexpr int kProbesPerRestart = 64;

struct Better {
  bool operator()(const ScoredRow& a, const ScoredRow& b) const { return a.score < b.score; }
};
struct Worse {
  bool operator()(const ScoredRow& a, const ScoredRow& b) const { return a.score > b.score; }
};

// The search itself: `score_of(node)` scores a row against the query,
// `prefetch(node)` starts loading its vector.
template <typename ScoreFn, typename PrefetchFn>
std::vector<ScoredRow> BeamSearch(const faiss::HNSW& graph, const ScoreFn& score_of,
                                  const PrefetchFn& prefetch, size_t k, size_t ef,
                                  const faiss::IDSelector* admit, size_t max_scored,
                                  bool* cut_short) {
  if (cut_short != nullptr) *cut_short = false;
  std::vector<ScoredRow> out;
  if (graph.entry_point < 0 || k == 0) return out;
  ef = std::max(ef, k);

  // Upper layers: greedy descent to the best node of each layer.
  int64_t current = graph.entry_point;
  float current_score = score_of(current);
  for (int level = graph.max_level; level >= 1; --level) {
    GreedyDescend(graph, score_of, level, current, current_score);
  }

  // Layer 0: best-first expansion with an unbounded candidate queue and the
  // ef best admitted rows kept.
  thread_local VisitedMarks visited;
  visited.Start(graph.levels.size());
  std::priority_queue<ScoredRow, std::vector<ScoredRow>, Better> candidates;  // best on top
  std::priority_queue<ScoredRow, std::vector<ScoredRow>, Worse> results;      // worst on top
  auto admitted = [&](int64_t node) { return admit == nullptr || admit->is_member(node); };
  visited.Visit(static_cast<size_t>(current));
  candidates.push({current_score, current});
  if (admitted(current)) results.push({current_score, current});

  size_t scored = 0;
  auto walk = [&] {
    while (!candidates.empty()) {
      if (max_scored > 0 && scored > max_scored) {
        if (cut_short != nullptr) *cut_short = true;
        return false;
      }
      const ScoredRow best = candidates.top();
      if (results.size() >= ef && best.score < results.top().score) break;
      candidates.pop();
      // The next node to expand is likely the new best candidate: its link
      // list loads while this node's neighbours are scored.
      if (!candidates.empty()) PrefetchLinks(graph, candidates.top().row, 0);
      size_t begin = 0, end = 0;
      graph.neighbor_range(best.row, 0, &begin, &end);
      for (size_t i = begin; i < end; ++i) {
        const int64_t next = graph.neighbors[i];
        if (next < 0) break;
        if (i + 1 < end && graph.neighbors[i + 1] >= 0) {
          prefetch(graph.neighbors[i + 1]);
        }
        if (!visited.Visit(static_cast<size_t>(next))) continue;
        const float score = score_of(next);
        ++scored;
        if (results.size() < ef || score > results.top().score) {
          candidates.push({score, next});
          if (admitted(next)) {
            results.push({score, next});
            if (results.size() > ef) results.pop();
          }
        }
      }
    }
    return true;
  };
  // A walk that runs out of nodes before it has k rows was caught in a part
  // of layer 0 cut off from the rest. That happens where many rows are equal
  // (firms whose needs read the same): each such row's neighbour list fills
  // with its copies. The walk then goes on from linked rows it has not seen,
  // picked by a fixed pseudo-random sequence, so the answer stays
  // deterministic; the caller's exact scan remains the last resort.
  const auto nodes = static_cast<uint64_t>(graph.levels.size());
  uint64_t sequence = 0x9e3779b97f4a7c15ull;
  for (int restart = 0; walk() && results.size() < k && restart < kMaxRestarts; ++restart) {
    for (int probe = 0; probe < kProbesPerRestart; ++probe) {
      sequence += 0x9e3779b97f4a7c15ull;
      uint64_t mixed = sequence;
      mixed = (mixed ^ (mixed >> 30)) * 0xbf58476d1ce4e5b9ull;
      mixed = (mixed ^ (mixed >> 27)) * 0x94d049bb133111ebull;
      const auto seed = static_cast<int64_t>((mixed ^ (mixed >> 31)) % nodes);
      size_t begin = 0, end = 0;
      graph.neighbor_range(seed, 0, &begin, &end);
      if (begin == end || graph.neighbors[begin] < 0) continue;  // unlinked
      if (!visited.Visit(static_cast<size_t>(seed))) continue;
      const float score = score_of(seed);
      ++scored;
      candidates.push({score, seed});
      if (admitted(seed)) results.push({score, seed});
      break;
    }
  }

  out.resize(results.size());
  for (size_t i = out.size(); i-- > 0;) {
    out[i] = results.top();
    results.pop();
  }
  if (out.size() > k) out.resize(k);
  return out;
}

}  // namespace

std::vector<ScoredRow> HnswBeamSearch(const faiss::HNSW& graph, const float* rows, size_t dimension,
                                      const float* query, size_t k, size_t ef,
                                      const faiss::IDSelector* admit, size_t max_scored,
                                      bool* cut_short) {
  auto score_of = [&](int64_t node) {
    return InnerProduct(query, rows + static_cast<size_t>(node) * dimension, dimension);
  };
  auto prefetch = [&](int64_t node) {
    __builtin_prefetch(rows + static_cast<size_t>(node) * dimension);
  };
  return BeamSearch(graph, score_of, prefetch, k, ef, admit, max_scored, cut_short);
}

std::vector<ScoredRow> HnswBeamSearch(const faiss::HNSW& graph, const Sq8Storage& rows,
                                      const Sq8Query& query, size_t k, size_t ef,
                                      const faiss::IDSelector* admit, size_t max_scored,
                                      bool* cut_short) {
  auto score_of = [&](int64_t node) { return rows.Score(query, static_cast<size_t>(node)); };
  auto prefetch = [&](int64_t node) { rows.PrefetchRow(static_cast<size_t>(node)); };
  return BeamSearch(graph, score_of, prefetch, k, ef, admit, max_scored, cut_short);
}

}  // namespace clustermatch
