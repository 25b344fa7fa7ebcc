// SparseFieldCache: each firm's sparse TF-IDF field vectors, computed on
// first use and kept until the firm changes or the cache needs the room. The
// index holds the dense vectors; scoring needs the sparse ones of the fields
// it compares for every candidate of every query, and tokenising them anew
// each time dominated a query's cost.
//
// Only the fields asked for are computed: a partner query compares needs and
// offers, a peer query topics. An entry that lacks a field asked for later is
// completed then.
//
// On request it also keeps the firm's phrases resolved in the scorer's
// PhraseCache (FirmPhrases: about 16 bytes a phrase, 10 phrases a sample
// firm), so that a partner query does not look a candidate's phrases up by
// text each time.
//
// Bounded: it holds at most kMaxEntries firms and, when full, drops the firm
// entered longest ago (first in, first out). A nationwide store has millions
// of firms, and an entry costs about 2 KB with needs and offers and 6 KB with
// all four fields (sample firms: 95, 139, 387 and 35 terms of 8 bytes).
//
// Thread safety: Get may be called concurrently (lookups share the map's
// lock; only inserts take it alone); Invalidate is called under the engine's
// writer lock. One cache belongs to one model.
#ifndef CLUSTERMATCH_ENGINE_SPARSE_FIELD_CACHE_H_
#define CLUSTERMATCH_ENGINE_SPARSE_FIELD_CACHE_H_

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "engine/firm.h"
#include "engine/shared_mutex.h"
#include "engine/vector_index.h"
#include "models/text_model.h"

namespace clustermatch {

using SparseFields = std::array<SparseVector, kVectorFieldCount>;

class PhraseCache;   // phrase_cache.h
struct FirmPhrases;  // phrase_cache.h

// What the cache holds and how often it answered: the hit rate tells an
// operator whether EngineOptions::sparse_cache_firms is large enough.
struct SparseCacheStats {
  size_t firms = 0;     // entries held
  size_t capacity = 0;  // the most it holds
  uint64_t hits = 0;    // Get calls answered from an entry
  uint64_t misses = 0;  // Get calls that computed fields
};

// The sparse vectors of the fields of `firm` in `fields` (empty where a field
// has no text, and for the fields not asked for).
SparseFields SparseFieldsOf(const TextModel& model, const Firm& firm,
                            FieldMask fields = kAllFields);

class SparseFieldCache {
 public:
  static constexpr size_t kMaxEntries = 100'000;

  // `phrases` (may be null: no phrases are kept) must outlive the cache.
  explicit SparseFieldCache(const TextModel& model, size_t max_entries = kMaxEntries,
                            const PhraseCache* phrases = nullptr);

  // The firm's sparse vectors, holding at least the fields in `fields`. They
  // stay valid while held, even after the entry is dropped.
  std::shared_ptr<const SparseFields> Get(int64_t key, const Firm& firm, FieldMask fields) const;

  struct Texts {
    std::shared_ptr<const SparseFields> sparse;
    std::shared_ptr<const FirmPhrases> phrases;  // null unless asked for and kept
  };
  // Get, and the firm's phrases too when `phrases` is set and the cache was
  // given a PhraseCache.
  Texts GetTexts(int64_t key, const Firm& firm, FieldMask fields, bool phrases) const;
  void Invalidate(int64_t key);

  size_t size() const;
  SparseCacheStats Stats() const;

 private:
  struct Entry {
    std::shared_ptr<const SparseFields> fields;
    FieldMask filled = 0;
    std::shared_ptr<const FirmPhrases> phrases;
  };

  // Enters (or completes) the entry of `key`; drops the oldest firm first
  // when a new one does not fit.
  void Put(int64_t key, Entry entry) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);

  const TextModel& model_;
  const size_t max_entries_;
  const PhraseCache* const phrases_;
  mutable SharedMutex mutex_;
  mutable absl::flat_hash_map<int64_t, Entry> entries_ ABSL_GUARDED_BY(mutex_);
  // Keys in the order they were entered, as a ring of max_entries_ slots; the
  // slot at next_ is the oldest. A key dropped by Invalidate keeps its slot
  // until the ring comes round.
  mutable std::vector<int64_t> order_ ABSL_GUARDED_BY(mutex_);
  mutable size_t next_ ABSL_GUARDED_BY(mutex_) = 0;
  mutable std::atomic<uint64_t> hits_{0};
  mutable std::atomic<uint64_t> misses_{0};
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SPARSE_FIELD_CACHE_H_
