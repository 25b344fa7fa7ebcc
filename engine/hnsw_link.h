// Links a new row into a Faiss HNSW graph: Faiss's insertion algorithm
// (HNSW::add_with_locks in 1.7.3), rewritten over the project's SIMD kernels.
//
// The same steps as Faiss: greedy descent on the layers above the row's level,
// then on each of its layers a search for efConstruction candidates, Faiss's
// neighbour-selection heuristic (a candidate is kept unless it is closer to an
// already kept one than to the new row), and a reverse link from each chosen
// neighbour, pruned by the same heuristic when that neighbour's list is full.
// Per-row omp locks as in Faiss, so rows of one level link in parallel.
//
// What differs, measured in docs/performance.md ("Index build"):
//  - the candidate search collects a node's unvisited neighbours first and
//    prefetches their rows before scoring them, where Faiss scores each
//    through two virtual calls as it goes;
//  - each layer's search starts from the best node the layer above found
//    (the HNSW paper's choice), where Faiss starts every layer from the
//    greedy descent's node;
//  - visited marks are per-thread epochs, not cleared per row.
#ifndef CLUSTERMATCH_ENGINE_HNSW_LINK_H_
#define CLUSTERMATCH_ENGINE_HNSW_LINK_H_

#include <faiss/impl/HNSW.h>
#include <omp.h>

#include <cstddef>
#include <vector>

namespace clustermatch {

class Sq8Storage;

// Links `row` (its level drawn already: graph.levels[row] - 1, as Faiss's
// prepare_level_tab leaves it) with `query` as its vector. `rows` holds the
// graph's float rows, `dimension` each. `locks` has one initialised lock per
// row. Rows of the same level may be linked concurrently; rows of a higher
// level must be linked first (as Faiss's add orders them).
void HnswLinkRow(faiss::HNSW& graph, std::vector<omp_lock_t>& locks, const float* rows,
                 size_t dimension, int row, const float* query);

// The same over SQ8 codes; `query` holds the row's exact floats.
void HnswLinkRow(faiss::HNSW& graph, std::vector<omp_lock_t>& locks, const Sq8Storage& rows,
                 int row, const float* query);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_HNSW_LINK_H_
