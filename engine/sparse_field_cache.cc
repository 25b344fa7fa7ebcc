#include "engine/sparse_field_cache.h"

#include <algorithm>
#include <utility>

#include "engine/firm_texts.h"

namespace clustermatch {

SparseFields SparseFieldsOf(const TextModel& model, const Firm& firm, FieldMask fields) {
  SparseFields out;
  const FirmTexts texts = TextsOf(firm);
  for (int f = 0; f < kVectorFieldCount; ++f) {
    if ((fields & (1u << f)) != 0 && !texts[f].empty()) out[f] = model.EmbedSparse(texts[f]);
  }
  return out;
}

SparseFieldCache::SparseFieldCache(const TextModel& model, size_t max_entries)
    : model_(model), max_entries_(std::max<size_t>(max_entries, 1)) {}

std::shared_ptr<const SparseFields> SparseFieldCache::Get(int64_t key, const Firm& firm,
                                                          FieldMask fields) const {
  Entry found;
  {
    SharedLock lock(&mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      if ((it->second.filled & fields) == fields) {
        hits_.fetch_add(1, std::memory_order_relaxed);
        return it->second.fields;
      }
      found = it->second;
    }
  }
  misses_.fetch_add(1, std::memory_order_relaxed);
  // Computed outside the lock, keeping the fields the entry already had; a
  // concurrent duplicate computation is harmless.
  const auto missing = static_cast<FieldMask>(fields & ~found.filled);
  SparseFields computed = SparseFieldsOf(model_, firm, missing);
  if (found.fields != nullptr) {
    for (int f = 0; f < kVectorFieldCount; ++f) {
      if ((found.filled & (1u << f)) != 0) computed[f] = (*found.fields)[f];
    }
  }
  Entry entry{std::make_shared<const SparseFields>(std::move(computed)),
              static_cast<FieldMask>(found.filled | missing)};
  std::shared_ptr<const SparseFields> result = entry.fields;
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
