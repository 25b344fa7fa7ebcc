#include "engine/phrase_cache.h"

#include "engine/firm_signals.h"

namespace clustermatch {

std::shared_ptr<const PhraseCache::Vectors> PhraseCache::Get(std::string_view phrase) const {
  // Debian's abseil has its own string_view, which the map looks up by.
  const absl::string_view key(phrase.data(), phrase.size());
  {
    SharedLock lock(&mutex_);
    auto it = entries_.find(key);
    if (it != entries_.end()) return it->second;
  }
  // Embedding runs outside the lock; two threads may embed the same phrase
  // once each, which is harmless.
  auto vectors = std::make_shared<Vectors>();
  vectors->dense = model_.Embed(phrase);
  vectors->sparse = model_.EmbedSparse(phrase);
  ExclusiveLock lock(&mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.emplace(std::string(phrase), vectors);
  return vectors;
}

float PhraseCache::Similarity(std::string_view a, std::string_view b) const {
  const auto va = Get(a);
  const auto vb = Get(b);
  return BlendedCosine(va->dense, va->sparse, vb->dense, vb->sparse);
}

}  // namespace clustermatch
