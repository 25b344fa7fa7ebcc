// FieldIndex: the vectors of one field (offer, need, topic or materials) in
// row order, with the search strategies FirmVectorIndex chooses between:
//   - an exact scan of every row with the SIMD kernels;
//   - an exact scan of a given list of rows (a selective filter's firms);
//   - a beam search over a Faiss HNSW graph built on the same rows, present
//     once the field holds at least VectorIndexOptions::exact_below rows.
// Rows are append-only; which rows count (live, passing a filter) is the
// caller's IDSelector. Not thread-safe by itself: FirmVectorIndex serialises
// writers against readers.
#ifndef CLUSTERMATCH_ENGINE_FIELD_INDEX_H_
#define CLUSTERMATCH_ENGINE_FIELD_INDEX_H_

#include <faiss/IndexHNSW.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <faiss/impl/IDSelector.h>
#include <omp.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "engine/hnsw_beam_search.h"
#include "engine/simd_flat_storage.h"

namespace clustermatch {

struct VectorIndexOptions;

class FieldIndex {
 public:
  // `options` must outlive the index.
  FieldIndex(int dimension, const VectorIndexOptions& options);
  ~FieldIndex();  // destroys the locks
  FieldIndex(const FieldIndex&) = delete;
  FieldIndex& operator=(const FieldIndex&) = delete;

  size_t rows() const;
  const float* row(size_t index) const;
  bool has_graph() const { return graph_ != nullptr; }

  // Appends n rows of dimension floats. Links them into the graph, or builds
  // the graph over every row when this append reaches exact_below; all-zero
  // rows are stored but never linked. Throws faiss::FaissException or
  // std::bad_alloc; on a throw before any graph exists the rows are removed
  // again (Truncate), after that the caller must rebuild the field.
  void Append(const float* values, size_t n);
  // Drops rows from `count` on; only valid while there is no graph.
  void Truncate(size_t count);

  // The best `k` rows the selector admits, best first (ties in any order).
  std::vector<ScoredRow> ScanAll(const float* query, size_t k,
                                 const faiss::IDSelector& admit) const;
  // The same over the listed rows only (each admitted by the caller already).
  std::vector<ScoredRow> ScanRows(const float* query, size_t k,
                                  std::span<const int64_t> rows) const;
  // Approximate: requires has_graph().
  // `max_scored` and `cut_short` as in HnswBeamSearch.
  std::vector<ScoredRow> SearchGraph(const float* query, size_t k, size_t ef,
                                     const faiss::IDSelector* admit, size_t max_scored = 0,
                                     bool* cut_short = nullptr) const;

 private:
  const faiss::IndexFlat& storage() const;
  void BuildGraph();
  void LinkRows(size_t first, size_t n);

  const int dimension_;
  const VectorIndexOptions& options_;
  // Exactly one is set: the flat rows alone, or a graph that owns them.
  std::unique_ptr<SimdFlatStorage> flat_;
  std::unique_ptr<faiss::IndexHNSW> graph_;
  // Kept between single-row links; Faiss's own add allocates both per call.
  std::vector<omp_lock_t> locks_;
  faiss::VisitedTable visited_{0};
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIELD_INDEX_H_
