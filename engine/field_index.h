// FieldIndex: the vectors of one field (offer, need, topic or materials) in
// row order, with the search strategies FirmVectorIndex chooses between:
//   - an exact scan of every row with the SIMD kernels;
//   - an exact scan of a given list of rows (a selective filter's firms);
//   - a beam search over a Faiss HNSW graph built on the same rows, present
//     once the field holds at least VectorIndexOptions::exact_below rows.
// Rows are kept as floats, or (VectorIndexOptions::row_format kSq8, once the
// graph exists) as SQ8 codes (sq8_storage.h); every strategy scores the rows
// in the format they have. Rows are append-only; which rows count (live,
// passing a filter) is the caller's IDSelector. Not thread-safe by itself: FirmVectorIndex
// serialises writers against readers.
#ifndef CLUSTERMATCH_ENGINE_FIELD_INDEX_H_
#define CLUSTERMATCH_ENGINE_FIELD_INDEX_H_

#include <faiss/IndexHNSW.h>
#include <faiss/impl/IDSelector.h>
#include <omp.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <span>
#include <vector>

#include "engine/hnsw_beam_search.h"
#include "engine/huge_pages.h"
#include "engine/row_norms.h"
#include "engine/simd_flat_storage.h"
#include "engine/sq8_storage.h"

namespace clustermatch {

struct VectorIndexOptions;
class SnapshotSink;
class SnapshotSource;

// Makes room for `extra` more elements, growing the capacity by an eighth
// (or to what is needed) instead of the standard library's doubling: the
// index's large arrays (rows, links, slots) then hold at most 12.5% unused
// capacity rather than up to 100%, for a few more copies while they grow.
// The new buffer is advised to use huge pages (huge_pages.h) before the
// elements move in.
template <typename T>
void GrowGently(std::vector<T>& values, size_t extra) {
  const size_t needed = values.size() + extra;
  if (needed <= values.capacity()) return;
  std::vector<T> grown;
  grown.reserve(std::max(needed, values.capacity() + values.capacity() / 8));
  AdviseHugePages(grown.data(), grown.capacity() * sizeof(T));
  grown.insert(grown.end(), std::make_move_iterator(values.begin()),
               std::make_move_iterator(values.end()));
  values.swap(grown);
}

class FieldIndex {
 public:
  // `options` must outlive the index.
  FieldIndex(int dimension, const VectorIndexOptions& options);
  ~FieldIndex();  // destroys the locks
  FieldIndex(const FieldIndex&) = delete;
  FieldIndex& operator=(const FieldIndex&) = delete;

  size_t rows() const;
  // Writes row `index` as dimension floats (decoded when it is SQ8).
  void CopyRow(size_t index, float* out) const;
  bool has_graph() const { return graph_ != nullptr; }
  bool has_sq8_rows() const { return sq8_ != nullptr; }
  // For a field with kSq8 rows that has no graph yet: when it gets one, it
  // encodes with `other`'s quantizer instead of training its own, so that a
  // compaction copying decoded rows gets the same codes back. No effect if
  // `other` has no SQ8 rows.
  void UseQuantizerOf(const FieldIndex& other);
  // Heap bytes held (capacities): rows, quantizer, graph, link locks.
  size_t MemoryBytes() const;
  // Overwrites row `index` with zero bytes, so that a deleted firm's vector
  // leaves memory and every later snapshot at once (PIPA), not at the next
  // compaction. The row keeps its place and its graph links; the caller has
  // already made it unreachable for results (a tombstone).
  void EraseRow(size_t index);

  // Appends n rows of dimension floats. Links them into the graph, or builds
  // the graph over every row when this append reaches exact_below; all-zero
  // rows are stored but never linked. Throws faiss::FaissException or
  // std::bad_alloc; on a throw before any graph exists the rows are removed
  // again (Truncate), after that the caller must rebuild the field.
  void Append(const float* values, size_t n);
  // Drops rows from `count` on; only valid while there is no graph.
  void Truncate(size_t count);

  // Writes the rows, the SQ8 quantizer's ranges if the rows are SQ8, and
  // the graph, if there is one (its levels and links). A float field's bytes
  // are the same as before SQ8 existed: rows, then a flag byte (1 with a
  // graph, 0 without); SQ8 sets bit 2 of that byte and writes the ranges
  // after it.
  void SaveTo(SnapshotSink& out) const;
  // Reads what SaveTo wrote into this empty field, checking every size and
  // link against the rows; on a format error (in.ok() false) the field is
  // left empty. Builds the graph if the rows reach exact_below and the
  // snapshot had none. A format error too when the rows' format cannot be
  // this field's (SQ8 rows for a kFloat32 field, float rows with a graph for
  // a kSq8 one). Throws as Append does.
  void LoadFrom(SnapshotSource& in);

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
  const faiss::IndexFlatCodes& storage() const;
  const float* float_rows() const;  // null when the rows are SQ8
  void BuildGraph();
  // `values` are the floats of rows [first, first + n), as given to Append.
  void LinkRows(size_t first, size_t n, const float* values);
  // ScanRows over float rows with norms: most rows are settled by their head.
  std::vector<ScoredRow> ScanRowsBounded(const float* query, size_t k,
                                         std::span<const int64_t> rows) const;

  const int dimension_;
  const VectorIndexOptions& options_;
  // Exactly one is set: the flat rows alone, or a graph that owns its
  // storage (a SimdFlatStorage, or an Sq8Storage that sq8_ points to).
  std::unique_ptr<SimdFlatStorage> flat_;
  std::unique_ptr<faiss::IndexHNSW> graph_;
  const Sq8Storage* sq8_ = nullptr;
  std::vector<float> adopted_ranges_;  // UseQuantizerOf
  // One entry per float row (none once the rows are SQ8): lets ScanRows
  // skip the tail of rows that cannot enter the top k.
  RowNorms norms_;
  // Kept between single-row links; Faiss's own add allocates both per call.
  std::vector<omp_lock_t> locks_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIELD_INDEX_H_
