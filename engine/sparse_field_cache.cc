#include "engine/sparse_field_cache.h"

#include <algorithm>
#include <utility>

#include "engine/firm_texts.h"
#include "engine/phrase_cache.h"

namespace clustermatch {

SparseFields SparseFieldsOf(const TextModel& model, const Firm& firm, FieldMask fields) {
  SparseFields out;
  const FirmTexts texts = TextsOf(firm);
  for (int f = 0; f < kVectorFieldCount; ++f) {
    if ((fields & (1u << f)) != 0 && !texts[f].empty()) out[f] = model.EmbedSparse(texts[f]);
  }
  return out;
}

SparseFieldCache::SparseFieldCache(const TextModel& model, size_t max_entries,
                                   const PhraseCache* phrases)
    : model_(model), max_entries_(std::max<size_t>(max_entries, 1)), phrases_(phrases) {}

std::shared_ptr<const SparseFields> SparseFieldCache::Get(int64_t key, const Firm& firm,
                                                          FieldMask fields) const {
  return GetTexts(key, firm, fields, false).sparse;
}

SparseFieldCache::Texts SparseFieldCache::GetTexts(int64_t key, const Firm& firm, FieldMask fields,
                                                   bool phrases) const {
  const bool want_phrases = phrases && phrases_ != nullptr;
  Entry found;
  {
    SharedLock lock(&mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      const Entry& entry = it->second;
      if ((entry.filled & fields) == fields && (!want_phrases || entry.phrases != nullptr)) {
        hits_.fetch_add(1, std::memory_order_relaxed);
        return {entry.fields, want_phrases ? entry.phrases : nullptr};
      }
      found = entry;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  // Computed outside the lock, keeping what the entry already had; a
  // concurrent duplicate computation is harmless.
  Entry entry = found;
  const auto missing = static_cast<FieldMask>(fields & ~found.filled);
  if (missing != 0 || found.fields == nullptr) {
    SparseFields computed = SparseFieldsOf(model_, firm, missing);
    if (found.fields != nullptr) {
      for (int f = 0; f < kVectorFieldCount; ++f) {
        if ((found.filled & (1u << f)) != 0) computed[f] = (*found.fields)[f];
      }
    }
    entry.fields = std::make_shared<const SparseFields>(std::move(computed));
    entry.filled = static_cast<FieldMask>(found.filled | missing);
  }
  if (want_phrases && entry.phrases == nullptr) {
    entry.phrases = std::make_shared<const FirmPhrases>(phrases_->OfFirm(firm));
  }
  Texts result{entry.fields, want_phrases ? entry.phrases : nullptr};
  ExclusiveLock lock(&mutex_);
  Put(key, std::move(entry));
  return result;
}

void SparseFieldCache::Put(int64_t key, Entry entry) const {
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second = std::move(entry);
    return;
  }
  if (order_.size() < max_entries_) {
    order_.push_back(key);
  } else {
    entries_.erase(order_[next_]);
    order_[next_] = key;
    next_ = (next_ + 1) % max_entries_;
  }
  entries_.emplace(key, std::move(entry));
}

void SparseFieldCache::Invalidate(int64_t key) {
  ExclusiveLock lock(&mutex_);
  entries_.erase(key);
}

size_t SparseFieldCache::size() const {
  SharedLock lock(&mutex_);
  return entries_.size();
}

SparseCacheStats SparseFieldCache::Stats() const {
  SparseCacheStats stats;
  stats.firms = size();
  stats.capacity = max_entries_;
  stats.hits = hits_.load(std::memory_order_relaxed);
  stats.misses = misses_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace clustermatch
