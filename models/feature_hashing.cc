#include "models/feature_hashing.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

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

namespace {

// Stable LSD radix sort of entries by key, 8 bits a pass (three passes for
// the default 20-bit buckets), with every pass's counts taken in one read;
// short lists take an insertion sort, which is stable too.
template <typename Entry>
void StableSortByKey(std::vector<Entry>& entries, int key_bits) {
  const size_t n = entries.size();
  if (n < 32) {
    for (size_t i = 1; i < n; ++i) {
      const Entry moving = entries[i];
      size_t j = i;
      for (; j > 0 && entries[j - 1].key > moving.key; --j) entries[j] = entries[j - 1];
      entries[j] = moving;
    }
    return;
  }
  constexpr int kDigitBits = 8;
  constexpr size_t kDigits = size_t{1} << kDigitBits;
  constexpr int kMaxPasses = 4;  // 32-bit keys
  const int passes = std::min(kMaxPasses, (key_bits + kDigitBits - 1) / kDigitBits);
  uint32_t counts[kMaxPasses][kDigits] = {};
  for (const Entry& e : entries) {
    for (int pass = 0; pass < passes; ++pass) ++counts[pass][(e.key >> (kDigitBits * pass)) & 0xff];
  }
  thread_local std::vector<Entry> scratch;
  scratch.resize(n);
  for (int pass = 0; pass < passes; ++pass) {
    uint32_t* offsets = counts[pass];
    uint32_t at = 0;
    for (size_t d = 0; d < kDigits; ++d) at += std::exchange(offsets[d], at);
    const int shift = kDigitBits * pass;
    for (const Entry& e : entries) scratch[offsets[(e.key >> shift) & 0xff]++] = e;
    entries.swap(scratch);
  }
}

}  // namespace

FeatureList::FeatureList(std::string_view normalized_text, int hash_bits) {
  ForEachFeature(normalized_text, [this, hash_bits](std::string_view feature, float weight) {
    const uint32_t concept_bit = feature.starts_with(kConceptPrefix) ? 1 : 0;
    entries_.push_back({FeatureBucket(feature, hash_bits) * 2 + concept_bit, weight});
  });
  StableSortByKey(entries_, hash_bits + 1);
}

void FeatureList::Append(const FeatureList& next) {
  if (next.entries_.empty()) return;
  if (entries_.empty()) {
    entries_ = next.entries_;
    return;
  }
  // std::merge is stable: on equal keys this list's entries come first.
  std::vector<Entry> merged(entries_.size() + next.entries_.size());
  std::merge(entries_.begin(), entries_.end(), next.entries_.begin(), next.entries_.end(),
             merged.begin(), [](const Entry& a, const Entry& b) { return a.key < b.key; });
  entries_.swap(merged);
}

std::vector<HashedTerm> FeatureList::Sum() const {
  std::vector<HashedTerm> terms;
  terms.reserve(entries_.size());
  for (const Entry& entry : entries_) {
    const uint32_t bucket = entry.key >> 1;
    if (!terms.empty() && terms.back().bucket == bucket) {
      terms.back().weight += entry.weight;
    } else {
      terms.push_back({bucket, entry.weight});
    }
  }
  return terms;
}

std::vector<HashedTerm> HashFeatures(std::string_view normalized_text, int hash_bits) {
  return FeatureList(normalized_text, hash_bits).Sum();
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

namespace {

// Dot when `small` has far fewer entries than `large` (a search query
// against a firm's topic field): each of small's features is looked up in
// large by binary search from the last match on. Matches come in the same
// order as in the merge below, so the sum is the same bit for bit.
float LopsidedDot(const SparseVector& small, const SparseVector& large) {
  double sum = 0;
  auto from = large.indices.begin();
  for (size_t i = 0; i < small.indices.size() && from != large.indices.end(); ++i) {
    from = std::lower_bound(from, large.indices.end(), small.indices[i]);
    if (from != large.indices.end() && *from == small.indices[i]) {
      const auto j = static_cast<size_t>(from - large.indices.begin());
      sum += static_cast<double>(small.values[i]) * large.values[j];
      ++from;
    }
  }
  return static_cast<float>(sum);
}

}  // namespace

float Dot(const SparseVector& a, const SparseVector& b) {
  // Merging costs |a| + |b| steps, the lookups about |small| log |large|.
  constexpr size_t kLopsided = 8;
  if (a.size() * kLopsided < b.size()) return LopsidedDot(a, b);
  if (b.size() * kLopsided < a.size()) return LopsidedDot(b, a);
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

SparseDotTable::SparseDotTable(std::span<const SparseVector* const> vectors)
    : size_(vectors.size()) {
  struct Entry {
    uint32_t feature;
    uint32_t vector;
    float value;
  };
  std::vector<Entry> entries;
  for (size_t v = 0; v < vectors.size(); ++v) {
    const SparseVector& vector = *vectors[v];
    for (size_t i = 0; i < vector.indices.size(); ++i) {
      entries.push_back({vector.indices[i], static_cast<uint32_t>(v), vector.values[i]});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.feature != b.feature ? a.feature < b.feature : a.vector < b.vector;
  });
  size_t features = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    features += i == 0 || entries[i].feature != entries[i - 1].feature;
  }
  size_t capacity = 16;
  while (capacity < 2 * features) capacity *= 2;
  mask_ = static_cast<uint32_t>(capacity - 1);
  slots_.assign(capacity, Slot{kEmpty, 0, 0});
  size_t bit_count = 4096;  // about 1/32 of them set: few false positives
  while (bit_count < 32 * features && bit_count < (size_t{1} << 20)) bit_count *= 2;
  bit_mask_ = static_cast<uint32_t>(bit_count - 1);
  bits_.assign(bit_count / 64, 0);
  postings_.reserve(entries.size());
  for (size_t i = 0; i < entries.size();) {
    const uint32_t feature = entries[i].feature;
    const auto begin = static_cast<uint32_t>(postings_.size());
    for (; i < entries.size() && entries[i].feature == feature; ++i) {
      postings_.push_back({entries[i].vector, entries[i].value});
    }
    bits_[(feature & bit_mask_) >> 6] |= uint64_t{1} << (feature & bit_mask_ & 63);
    uint32_t slot = feature & mask_;
    while (slots_[slot].feature != kEmpty) slot = (slot + 1) & mask_;
    slots_[slot] = {feature, begin, static_cast<uint32_t>(postings_.size())};
  }
}

void SparseDotTable::Dots(const SparseVector& v, float* out, std::vector<double>& scratch) const {
  scratch.assign(size_, 0.0);
  if (postings_.empty()) {
    for (size_t i = 0; i < size_; ++i) out[i] = 0;
    return;
  }
  // v's entries in ascending order: each sum adds its products in Dot's order.
  for (size_t i = 0; i < v.indices.size(); ++i) {
    if (!MayContain(v.indices[i])) continue;
    const Slot* slot = Find(v.indices[i]);
    if (slot == nullptr) continue;
    const double value = v.values[i];
    for (uint32_t p = slot->begin; p < slot->end; ++p) {
      scratch[postings_[p].vector] += static_cast<double>(postings_[p].value) * value;
    }
  }
  for (size_t i = 0; i < size_; ++i) out[i] = static_cast<float>(scratch[i]);
}

float SparseDotTable::Dot(const SparseVector& v) const {
  if (postings_.empty()) return 0;
  double sum = 0;
  for (size_t i = 0; i < v.indices.size(); ++i) {
    if (!MayContain(v.indices[i])) continue;
    const Slot* slot = Find(v.indices[i]);
    if (slot != nullptr) sum += static_cast<double>(postings_[slot->begin].value) * v.values[i];
  }
  return static_cast<float>(sum);
}

}  // namespace clustermatch
