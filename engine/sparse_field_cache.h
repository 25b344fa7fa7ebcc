// SparseFieldCache: each firm's sparse TF-IDF field vectors, computed on
// first use and kept until the firm changes. The index holds the dense
// vectors; scoring needs the sparse ones for every candidate of every query,
// and tokenising them anew each time dominated a query's cost.
//
// Thread safety: Get may be called concurrently (lookups share the map's
// lock; only inserts take it alone); Invalidate is called under the engine's
// writer lock. One cache belongs to one model.
#ifndef CLUSTERMATCH_ENGINE_SPARSE_FIELD_CACHE_H_
#define CLUSTERMATCH_ENGINE_SPARSE_FIELD_CACHE_H_

#include <array>
#include <cstdint>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "engine/firm.h"
#include "engine/shared_mutex.h"
#include "engine/vector_index.h"
#include "models/text_model.h"

namespace clustermatch {

using SparseFields = std::array<SparseVector, kVectorFieldCount>;

// The sparse vectors of every field of `firm` (empty where a field has no text).
SparseFields SparseFieldsOf(const TextModel& model, const Firm& firm);

class SparseFieldCache {
 public:
  explicit SparseFieldCache(const TextModel& model) : model_(model) {}

  std::shared_ptr<const SparseFields> Get(int64_t key, const Firm& firm) const;
  void Invalidate(int64_t key);

 private:
  const TextModel& model_;
  mutable SharedMutex mutex_;
  mutable absl::flat_hash_map<int64_t, std::shared_ptr<const SparseFields>> entries_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SPARSE_FIELD_CACHE_H_
