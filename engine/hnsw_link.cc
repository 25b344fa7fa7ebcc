#include "engine/hnsw_link.h"

#include <algorithm>

#include "engine/hnsw_beam_search.h"
#include "engine/sq8_storage.h"
#include "engine/vector_kernels.h"
#include "engine/visited_marks.h"

namespace clustermatch {
namespace {

using NodeId = faiss::HNSW::storage_idx_t;

struct Scored {
  float score = 0;  // inner product with the row being linked (higher: closer)
  NodeId node = -1;
};
struct Closer {  // best first after a sort
  bool operator()(const Scored& a, const Scored& b) const { return a.score > b.score; }
};

// Per-thread buffers, reused from row to row.
struct LinkScratch {
  VisitedMarks visited;
  std::vector<Scored> candidates;  // heap, best on top (via Further)
  std::vector<Scored> found;       // heap, worst on top (via Closer), then sorted
  std::vector<Scored> chosen;
  std::vector<Scored> pool;
  std::vector<NodeId> batch;
  std::vector<NodeId> links;  // the row's chosen neighbours on one layer
};

struct Further {  // heap order with the best on top
  bool operator()(const Scored& a, const Scored& b) const { return a.score < b.score; }
};

// Float rows: the query is scored with the SIMD inner product; pairs of rows
// likewise.
class FloatRows {
 public:
  FloatRows(const float* rows, size_t dimension, const float* query)
      : rows_(rows), dimension_(dimension), query_(query) {}
  float Query(NodeId node) const { return InnerProduct(query_, Row(node), dimension_); }
  void Prefetch(NodeId node) const { __builtin_prefetch(Row(node)); }
  void Anchor(NodeId node) { anchor_ = Row(node); }
  float FromAnchor(NodeId node) const { return InnerProduct(anchor_, Row(node), dimension_); }

 private:
  const float* Row(NodeId node) const { return rows_ + static_cast<size_t>(node) * dimension_; }
  const float* rows_;
  size_t dimension_;
  const float* query_;
  const float* anchor_ = nullptr;
};

// SQ8 rows: the exact query against codes, and a decoded row against codes
// for pairs (what Faiss's SQ8 distance computer does).
class Sq8Rows {
 public:
  Sq8Rows(const Sq8Storage& rows, const float* query) : rows_(rows), query_(rows.Prepare(query)) {}
  float Query(NodeId node) const { return rows_.Score(query_, static_cast<size_t>(node)); }
  void Prefetch(NodeId node) const { rows_.PrefetchRow(static_cast<size_t>(node)); }
  void Anchor(NodeId node) { rows_.PrepareRow(static_cast<size_t>(node), anchor_); }
  float FromAnchor(NodeId node) const { return rows_.Score(anchor_, static_cast<size_t>(node)); }

 private:
  const Sq8Storage& rows_;
  Sq8Query query_;
  Sq8Query anchor_;
};

// The ef best nodes of one layer reachable from `entry`, best first, into
// scratch.found (Faiss's search_neighbors_to_add, with a node's unvisited
// neighbours prefetched before they are scored).
template <typename Rows>
void SearchLayer(const faiss::HNSW& graph, const Rows& rows, int level, Scored entry, size_t ef,
                 LinkScratch& scratch) {
  auto& candidates = scratch.candidates;
  auto& found = scratch.found;
  candidates.clear();
  found.clear();
  scratch.visited.Start(graph.levels.size());
  scratch.visited.Visit(static_cast<size_t>(entry.node));
  candidates.push_back(entry);
  found.push_back(entry);
  while (!candidates.empty()) {
    const Scored best = candidates.front();
    if (best.score < found.front().score && found.size() >= ef) break;
    std::pop_heap(candidates.begin(), candidates.end(), Further());
    candidates.pop_back();
    if (!candidates.empty()) PrefetchLinks(graph, candidates.front().node, level);
    scratch.batch.clear();
    size_t begin = 0, end = 0;
    graph.neighbor_range(best.node, level, &begin, &end);
    for (size_t i = begin; i < end; ++i) {
      const NodeId next = graph.neighbors[i];
      if (next < 0) break;
      if (!scratch.visited.Visit(static_cast<size_t>(next))) continue;
      rows.Prefetch(next);
      scratch.batch.push_back(next);
    }
    for (const NodeId next : scratch.batch) {
      const float score = rows.Query(next);
      if (found.size() < ef || score > found.front().score) {
        candidates.push_back({score, next});
        std::push_heap(candidates.begin(), candidates.end(), Further());
        found.push_back({score, next});
        std::push_heap(found.begin(), found.end(), Closer());
        if (found.size() > ef) {
          std::pop_heap(found.begin(), found.end(), Closer());
          found.pop_back();
        }
      }
    }
  }
  std::sort(found.begin(), found.end(), Closer());
}

// Faiss's neighbour-selection heuristic over `pool` (best first): keeps a
// candidate unless it is closer to one already kept than to the anchor row,
// up to `max_size`. A pool that fits is kept whole, as in Faiss.
template <typename Rows>
void Select(Rows& rows, const std::vector<Scored>& pool, size_t max_size,
            std::vector<Scored>& chosen) {
  chosen.clear();
  if (pool.size() < max_size) {
    chosen = pool;
    return;
  }
  for (const Scored& candidate : pool) {
    rows.Anchor(candidate.node);
    bool diverse = true;
    for (const Scored& kept : chosen) {
      if (rows.FromAnchor(kept.node) > candidate.score) {
        diverse = false;
        break;
      }
    }
    if (!diverse) continue;
    chosen.push_back(candidate);
    if (chosen.size() >= max_size) return;
  }
}

// Adds the link from -> to on `level` (Faiss's add_link): into a free slot,
// else the list and the new node compete under the heuristic, scored from
// `from`. The caller holds from's lock.
template <typename Rows>
void AddLink(faiss::HNSW& graph, Rows& rows, NodeId from, NodeId to, int level,
             LinkScratch& scratch) {
  size_t begin = 0, end = 0;
  graph.neighbor_range(from, level, &begin, &end);
  if (graph.neighbors[end - 1] < 0) {
    size_t slot = end;
    while (slot > begin && graph.neighbors[slot - 1] < 0) --slot;
    graph.neighbors[slot] = to;
    return;
  }
  rows.Anchor(from);
  auto& pool = scratch.pool;
  pool.clear();
  pool.push_back({rows.FromAnchor(to), to});
  for (size_t i = begin; i < end; ++i) {
    pool.push_back({rows.FromAnchor(graph.neighbors[i]), graph.neighbors[i]});
  }
  std::sort(pool.begin(), pool.end(), Closer());
  Select(rows, pool, end - begin, scratch.chosen);
  size_t slot = begin;
  for (const Scored& kept : scratch.chosen) graph.neighbors[slot++] = kept.node;
  while (slot < end) graph.neighbors[slot++] = -1;
}

template <typename Rows>
void LinkRow(faiss::HNSW& graph, std::vector<omp_lock_t>& locks, Rows& rows, NodeId row) {
  thread_local LinkScratch scratch;
  const int row_level = graph.levels[row] - 1;
  NodeId nearest = -1;
  int top_level = -1;
#pragma omp critical(clustermatch_hnsw_entry)
  {
    nearest = graph.entry_point;
    top_level = graph.max_level;
    if (nearest < 0) {
      graph.max_level = row_level;
      graph.entry_point = row;
    }
  }
  if (nearest < 0) return;

  omp_set_lock(&locks[row]);
  float nearest_score = rows.Query(nearest);
  int level = top_level;
  int64_t descent = nearest;
  auto score_of = [&rows](int64_t node) { return rows.Query(static_cast<NodeId>(node)); };
  for (; level > row_level; --level) GreedyDescend(graph, score_of, level, descent, nearest_score);
  nearest = static_cast<NodeId>(descent);
  std::vector<NodeId>& chosen = scratch.links;
  for (; level >= 0; --level) {
    SearchLayer(graph, rows, level, {nearest_score, nearest},
                static_cast<size_t>(graph.efConstruction), scratch);
    Select(rows, scratch.found, static_cast<size_t>(graph.nb_neighbors(level)), scratch.chosen);
    nearest = scratch.found.front().node;
    nearest_score = scratch.found.front().score;
    chosen.clear();
    for (const Scored& neighbour : scratch.chosen) chosen.push_back(neighbour.node);
    for (const NodeId neighbour : chosen) AddLink(graph, rows, row, neighbour, level, scratch);
    omp_unset_lock(&locks[row]);
    for (const NodeId neighbour : chosen) {
      omp_set_lock(&locks[neighbour]);
      AddLink(graph, rows, neighbour, row, level, scratch);
      omp_unset_lock(&locks[neighbour]);
    }
    omp_set_lock(&locks[row]);
  }
  omp_unset_lock(&locks[row]);
  if (row_level > top_level) {
#pragma omp critical(clustermatch_hnsw_entry)
    {
      if (row_level > graph.max_level) {
        graph.max_level = row_level;
        graph.entry_point = row;
      }
    }
  }
}

}  // namespace

void HnswLinkRow(faiss::HNSW& graph, std::vector<omp_lock_t>& locks, const float* rows,
                 size_t dimension, int row, const float* query) {
  FloatRows scorer(rows, dimension, query);
  LinkRow(graph, locks, scorer, row);
}

void HnswLinkRow(faiss::HNSW& graph, std::vector<omp_lock_t>& locks, const Sq8Storage& rows,
                 int row, const float* query) {
  Sq8Rows scorer(rows, query);
  LinkRow(graph, locks, scorer, row);
}

}  // namespace clustermatch
