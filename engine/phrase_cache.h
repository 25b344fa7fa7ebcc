// PhraseCache: dense and sparse vectors of single phrases (a need, an offer),
// memoised for explanations, where the same phrases are compared again and
// again across a match list.
//
// Thread safety: all methods may be called concurrently; lookups share the
// map's lock and only inserts take it alone. It holds at most kMaxEntries phrases and starts over
// when full.
#ifndef CLUSTERMATCH_ENGINE_PHRASE_CACHE_H_
#define CLUSTERMATCH_ENGINE_PHRASE_CACHE_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "engine/shared_mutex.h"
#include "models/text_model.h"

namespace clustermatch {

class PhraseCache {
 public:
  static constexpr size_t kMaxEntries = 200'000;

  explicit PhraseCache(const TextModel& model) : model_(model) {}

  // Blended cosine of two phrases, as firm_signals.h's Similarity.
  float Similarity(std::string_view a, std::string_view b) const;

 private:
  struct Vectors {
    std::vector<float> dense;
    SparseVector sparse;
  };
  std::shared_ptr<const Vectors> Get(std::string_view phrase) const;

  const TextModel& model_;
  mutable SharedMutex mutex_;
  mutable absl::flat_hash_map<std::string, std::shared_ptr<const Vectors>> entries_
      ABSL_GUARDED_BY(mutex_);
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_PHRASE_CACHE_H_
