#include "models/feature_hashing.h"

#include <algorithm>
#include <cmath>

#include "models/tokenizer.h"

namespace clustermatch {

uint64_t MixBits64(uint64_t value) {
  value ^= value >> 33;
  value *= 0xff51afd7ed558ccdULL;
  value ^= value >> 33;
  value *= 0xc4ceb9fe1a85ec53ULL;
  value ^= value >> 33;
  return value;
}

uint64_t StableHash64(std::string_view bytes) {
  uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a 64 offset basis
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 0x100000001b3ULL;  // FNV-1a 64 prime
  }
  return MixBits64(hash);
}

uint32_t FeatureBucket(std::string_view feature, int hash_bits) {
  const uint64_t mask = (uint64_t{1} << hash_bits) - 1;
  return static_cast<uint32_t>(StableHash64(feature) & mask);
}

std::vector<HashedTerm> HashFeatures(std::string_view normalized_text, int hash_bits) {
  std::vector<HashedTerm> terms;
  ForEachFeature(normalized_text, [&terms, hash_bits](std::string_view feature, float weight) {
    terms.push_back(HashedTerm{FeatureBucket(feature, hash_bits), weight});
  });
  std::sort(terms.begin(), terms.end(),
            [](const HashedTerm& a, const HashedTerm& b) { return a.bucket < b.bucket; });
  size_t out = 0;
  for (size_t i = 0; i < terms.size(); ++i) {
    if (out > 0 && terms[out - 1].bucket == terms[i].bucket) {
      terms[out - 1].weight += terms[i].weight;
    } else {
      terms[out++] = terms[i];
    }
  }
  terms.resize(out);
  return terms;
}

float SublinearTf(float weighted_count) { return std::log1p(weighted_count); }

void NormalizeL2(SparseVector* v) {
  double sum = 0;
  for (float x : v->values) sum += static_cast<double>(x) * x;
  if (!(sum > 0)) {
    v->indices.clear();
    v->values.clear();
    return;
  }
  const auto scale = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& x : v->values) x *= scale;
}

float Dot(const SparseVector& a, const SparseVector& b) {
  size_t i = 0;
  size_t j = 0;
  double sum = 0;
  while (i < a.indices.size() && j < b.indices.size()) {
    if (a.indices[i] < b.indices[j]) {
      ++i;
    } else if (b.indices[j] < a.indices[i]) {
      ++j;
    } else {
      sum += static_cast<double>(a.values[i]) * b.values[j];
      ++i;
      ++j;
    }
  }
  return static_cast<float>(sum);
}

}  // namespace clustermatch
