// Deterministic randomness for the sample cluster generator: a splitmix64
// stream per (seed, firm index) and integer-only range mapping, so that every
// platform and standard library produces the same firms (the
// std::uniform_*_distribution mappings differ between libraries). Internal to
// sample_cluster.cc. Not thread-safe: one SampleRandom per thread.
#ifndef CLUSTERMATCH_ENGINE_SAMPLE_RANDOM_H_
#define CLUSTERMATCH_ENGINE_SAMPLE_RANDOM_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace clustermatch {

// The splitmix64 finaliser.
inline uint64_t SampleMix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// One independent stream per (seed, firm index), so firm i never depends on
// the firms before it.
class SampleRandom {
 public:
  SampleRandom(uint64_t seed, uint64_t index)
      : state_(SampleMix(SampleMix(seed) ^ (index * 0xD1B54A32D192ED03ULL))) {}

  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    return SampleMix(state_);
  }
  // Uniform in [0, n) for n >= 1, by multiply-shift on 32 random bits.
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * n) >> 32); }
  int Between(int lo, int hi) { return lo + static_cast<int>(Below(hi - lo + 1)); }
  bool Percent(uint32_t p) { return Below(100) < p; }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(static_cast<uint32_t>(items.size()))];
  }

 private:
  uint64_t state_;
};

// Draws items in proportion to their weights. Pick needs at least one item.
class SampleWeights {
 public:
  void Add(int item, int weight) {
    if (weight <= 0) return;
    total_ += static_cast<uint32_t>(weight);
    items_.push_back(item);
    cumulative_.push_back(total_);
  }
  int Pick(SampleRandom& rng) const {
    uint32_t r = rng.Below(total_);
    return items_[std::upper_bound(cumulative_.begin(), cumulative_.end(), r) -
                  cumulative_.begin()];
  }

 private:
  uint32_t total_ = 0;
  std::vector<int> items_;
  std::vector<uint32_t> cumulative_;
};

// Up to `k` distinct positions out of [0, n) in random order (n <= 32).
struct SamplePicks {
  std::array<uint8_t, 32> at{};
  size_t size = 0;
};

inline SamplePicks SamplePickDistinct(size_t n, size_t k, SampleRandom& rng) {
  SamplePicks picks;
  n = std::min<size_t>(n, picks.at.size());
  for (size_t i = 0; i < n; ++i) picks.at[i] = static_cast<uint8_t>(i);
  picks.size = std::min(n, k);
  for (size_t i = 0; i < picks.size; ++i) {
    size_t j = i + rng.Below(static_cast<uint32_t>(n - i));
    std::swap(picks.at[i], picks.at[j]);
  }
  return picks;
}

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SAMPLE_RANDOM_H_
