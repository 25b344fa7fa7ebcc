#include "engine/phrase_cache.h"

#include "engine/firm_signals.h"

namespace clustermatch {

std::shared_ptr<const PhraseCache::Vectors> PhraseCache::Get(std::string_view phrase) const {
  const std::string key(phrase);
  {
    absl::MutexLock lock(&mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) return it->second;
  }
  // Embedding runs outside the lock; two threads may embed the same phrase
  // once each, which is harmless.
  auto vectors = std::make_shared<Vectors>();
  vectors->dense = model_.Embed(phrase);
  vectors->sparse = model_.EmbedSparse(phrase);
  absl::MutexLock lock(&mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.emplace(key, vectors);
  return vectors;
}

float PhraseCache::Similarity(std::string_view a, std::string_view b) const {
  const auto va = Get(a);
  const auto vb = Get(b);
  return BlendedCosine(va->dense, va->sparse, vb->dense, vb->sparse);
}

}  // namespace clustermatch
