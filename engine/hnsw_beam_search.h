// A best-first beam search over a Faiss HNSW graph, scored with the project's
// SIMD inner product over float rows or SQ8 codes.
//
// The graph is Faiss's (linked by hnsw_link.h with Faiss's algorithm), but
// Faiss's search path costs more than the distances: it ignores SearchParametersHNSW's
// efSearch (only the shared index field counts), opens an OpenMP region and
// allocates a visited table of ntotal bytes per call, calls distances through
// two virtual layers, and its bounded candidate queue loses recall that a
// larger efSearch cannot win back. This search walks the same graph (greedy on
// the upper layers, a beam of `ef` on layer 0) with a per-call ef, a reusable
// per-thread visited table and direct kernel calls.
//
// Filters: every node is walked through, but only nodes the selector admits
// enter the results, so a filter narrows the answer, not the graph.
//
// Islands: where many rows are equal, Faiss's neighbour choice can leave their
// copies linked only to each other. A walk that runs out of nodes before it
// has k admitted rows goes on from unseen linked rows (a fixed pseudo-random
// sequence, at most 16 times), so it still returns k rows when the graph has
// them.
//
// `max_scored` > 0 bounds the rows scored on layer 0: when a filter's firms
// lie far from the query the walk would cover most of the graph, and the
// caller does better to scan the passing rows exactly. The walk then stops and
// sets *cut_short (when given); the rows found so far are returned.
#ifndef CLUSTERMATCH_ENGINE_HNSW_BEAM_SEARCH_H_
#define CLUSTERMATCH_ENGINE_HNSW_BEAM_SEARCH_H_

#include <faiss/impl/HNSW.h>
#include <faiss/impl/IDSelector.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace clustermatch {

class Sq8Storage;
struct Sq8Query;

struct ScoredRow {
  float score = 0;  // inner product with the query
  int64_t row = 0;
};

// Starts loading the cache lines of `node`'s link list on `level`: walks call
// it for the node they will likely expand next while they score the current
// one's neighbours (a layer-0 list of 2M ints spans two or three lines).
inline void PrefetchLinks(const faiss::HNSW& graph, int64_t node, int level) {
  size_t begin = 0, end = 0;
  graph.neighbor_range(node, level, &begin, &end);
  if (begin == end) return;
  const auto* first = reinterpret_cast<const char*>(graph.neighbors.data() + begin);
  const auto* last = reinterpret_cast<const char*>(graph.neighbors.data() + end - 1);
  const auto line = [](const char* p) { return reinterpret_cast<uintptr_t>(p) / 64; };
  for (uintptr_t l = line(first); l <= line(last); ++l) {
    __builtin_prefetch(reinterpret_cast<const void*>(l * 64));
  }
}

// Greedy descent on one upper layer: moves from `node` to a better neighbour
// until none is better (Faiss's greedy_update_nearest). `score_of(node)` is
// the inner product with the query (higher is closer).
template <typename ScoreFn>
void GreedyDescend(const faiss::HNSW& graph, const ScoreFn& score_of, int level, int64_t& node,
                   float& node_score) {
  for (bool moved = true; moved;) {
    moved = false;
    size_t begin = 0, end = 0;
    graph.neighbor_range(node, level, &begin, &end);
    for (size_t i = begin; i < end; ++i) {
      const int64_t next = graph.neighbors[i];
      if (next < 0) break;
      const float score = score_of(next);
      if (score > node_score) {
        node = next;
        node_score = score;
        moved = true;
      }
    }
  }
}

// The best min(k, admitted) rows found, best first. `rows` holds the graph's
// vectors, `dimension` floats each; `ef` >= k is the beam width on layer 0.
// `admit` may be null (every row). Thread-safe for concurrent calls on a graph
// that is not being modified.
std::vector<ScoredRow> HnswBeamSearch(const faiss::HNSW& graph, const float* rows, size_t dimension,
                                      const float* query, size_t k, size_t ef,
                                      const faiss::IDSelector* admit, size_t max_scored = 0,
                                      bool* cut_short = nullptr);

// The same over SQ8 rows (sq8_storage.h), with the query prepared by that
// storage (Sq8Storage::Prepare).
std::vector<ScoredRow> HnswBeamSearch(const faiss::HNSW& graph, const Sq8Storage& rows,
                                      const Sq8Query& query, size_t k, size_t ef,
                                      const faiss::IDSelector* admit, size_t max_scored = 0,
                                      bool* cut_short = nullptr);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_HNSW_BEAM_SEARCH_H_
