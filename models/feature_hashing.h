// Stable feature hashing: features (strings from tokenizer.h) become bucket
// ids in [0, 2^hash_bits). Saved models store bucket ids, so the hash below is
// part of the model file format: it must never change for a given
// kTokenizerVersion, and it does not depend on the platform, the run or the
// standard library. Pure functions, safe to call from any thread.
#ifndef CLUSTERMATCH_MODELS_FEATURE_HASHING_H_
#define CLUSTERMATCH_MODELS_FEATURE_HASHING_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "models/sparse_vector.h"

namespace clustermatch {

inline constexpr int kMinHashBits = 8;
inline constexpr int kMaxHashBits = 28;

// 64-bit FNV-1a over the bytes, followed by the murmur3 fmix64 finaliser so
// that the low bits are well mixed.
uint64_t StableHash64(std::string_view bytes);

// Final avalanche step (murmur3 fmix64); a bijection on 64-bit values.
uint64_t MixBits64(uint64_t value);

// The bucket of one feature: the low `hash_bits` bits of StableHash64.
// hash_bits must be in [kMinHashBits, kMaxHashBits].
uint32_t FeatureBucket(std::string_view feature, int hash_bits);

struct HashedTerm {
  uint32_t bucket = 0;
  float weight = 0;  // summed feature weights (a weighted term count)
};

// The hashed features of one text, one entry per occurrence, before they
// are summed into terms. Entries are sorted by bucket; within a bucket the
// words (and n-grams) come before the glossary concepts, each in text order,
// which is the order ForEachFeature reports them in. Sums over a bucket are
// therefore taken in one defined order, and the features of phrases joined
// by a phrase break (" . ") can be put together from each phrase's list
// (Append) with the same bits as hashing the joined text.
class FeatureList {
 public:
  FeatureList() = default;
  FeatureList(std::string_view normalized_text, int hash_bits);

  // Adds the features of a text that follows this one after a phrase
  // break, keeping the order above (a stable merge).
  void Append(const FeatureList& next);
  // One term per bucket, weights summed in the order above.
  std::vector<HashedTerm> Sum() const;
  bool empty() const { return entries_.empty(); }

 private:
  // bucket * 2 + 1 for a glossary concept, + 0 for other features.
  struct Entry {
    uint32_t key;
    float weight;
  };
  std::vector<Entry> entries_;
};

// The features of `normalized_text` (see tokenizer.h), hashed and merged:
// sorted by bucket, one entry per bucket, weights summed (in FeatureList's
// order).
std::vector<HashedTerm> HashFeatures(std::string_view normalized_text, int hash_bits);

// Sublinear term frequency applied to a weighted count: log(1 + count).
float SublinearTf(float weighted_count);

// Scales `v` to unit L2 norm; an all-zero vector becomes empty.
void NormalizeL2(SparseVector* v);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_FEATURE_HASHING_H_
