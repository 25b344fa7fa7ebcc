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
#include "engine/firm_signals.h"
#include "engine/shared_mutex.h"
#include "models/text_model.h"

namespace clustermatch {

// The vectors of one phrase.
struct PhraseVectors {
  std::vector<float> dense;
  SparseVector sparse;
};

// A firm's phrases, each resolved in a PhraseCache: its needs, and what
// answers a need (AnswerPhrases). Resolved once per firm and kept with its
// sparse vectors (SparseFieldCache), so that scoring a candidate looks none
// of them up by text.
struct FirmPhrases {
  std::vector<std::shared_ptr<const PhraseVectors>> needs;
  std::vector<std::shared_ptr<const PhraseVectors>> answers;
};

// A firm's needs, in order.
std::vector<const std::string*> NeedPhrases(const Firm& firm);
// What answers a need: a firm's offers, then products, then technologies.
std::vector<const std::string*> AnswerPhrases(const Firm& firm);

class PhraseCache {
 public:
  static constexpr size_t kMaxEntries = 200'000;

  explicit PhraseCache(const TextModel& model) : model_(model) {}

  // Blended cosine of two phrases, as firm_signals.h's Similarity.
  float Similarity(std::string_view a, std::string_view b) const;
  // The vectors of `phrase`, embedded on first use. They stay valid while
  // held, even after the cache starts over.
  std::shared_ptr<const PhraseVectors> Get(std::string_view phrase) const;
  // Get of each of `phrases`, in order, into `out` (replaced): one lock for
  // all the lookups, as a candidate's phrases are looked up together and the
  // shared lock is the contended part when two threads score at once.
  void GetAll(const std::vector<const std::string*>& phrases,
              std::vector<std::shared_ptr<const PhraseVectors>>* out) const;
  // The firm's needs and answers, through GetAll.
  FirmPhrases OfFirm(const Firm& firm) const;

 private:
  using Vectors = PhraseVectors;

  // Embeds `phrase` and enters it (outside any lock on entry).
  std::shared_ptr<const Vectors> Insert(std::string_view phrase) const;

  const TextModel& model_;
  mutable SharedMutex mutex_;
  mutable absl::flat_hash_map<std::string, std::shared_ptr<const Vectors>> entries_
      ABSL_GUARDED_BY(mutex_);
};

// A fixed list of phrases (one side of a query: its needs, say), prepared to
// be compared with many other phrases: Similarities gives the
// PhraseCache::Similarity of every phrase of the list with each other phrase,
// bit for bit, with one pass over each other phrase's sparse entries for the
// whole list and the dense products side by side (DenseDotBlock).
// Immutable once built; a const PhraseSet may be shared between threads.
class PhraseSet {
 public:
  PhraseSet() = default;
  PhraseSet(const PhraseCache& cache, const std::vector<const std::string*>& phrases);

  size_t size() const { return phrases_.size(); }
  // out[j * size() + i] = similarity of phrase i with *others[j].
  void Similarities(const std::vector<std::shared_ptr<const PhraseVectors>>& others,
                    float* out) const;

 private:
  std::vector<std::shared_ptr<const PhraseVectors>> phrases_;
  DenseDotBlock dense_;
  SparseDotTable sparse_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_PHRASE_CACHE_H_
