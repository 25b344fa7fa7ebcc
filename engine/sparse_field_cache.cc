#include "engine/sparse_field_cache.h"

#include "engine/firm_texts.h"

namespace clustermatch {

SparseFields SparseFieldsOf(const TextModel& model, const Firm& firm) {
  SparseFields fields;
  const FirmTexts texts = TextsOf(firm);
  for (int f = 0; f < kVectorFieldCount; ++f) {
    if (!texts[f].empty()) fields[f] = model.EmbedSparse(texts[f]);
  }
  return fields;
}

std::shared_ptr<const SparseFields> SparseFieldCache::Get(int64_t key, const Firm& firm) const {
  {
    SharedLock lock(&mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) return it->second;
  }
  // Computed outside the lock; a concurrent duplicate computation is harmless.
  auto fields = std::make_shared<const SparseFields>(SparseFieldsOf(model_, firm));
  ExclusiveLock lock(&mutex_);
  return entries_.try_emplace(key, std::move(fields)).first->second;
}

void SparseFieldCache::Invalidate(int64_t key) {
  ExclusiveLock lock(&mutex_);
  entries_.erase(key);
}

}  // namespace clustermatch
