// PairsFromMatchLists: the schedule's candidate pairs from match lists.
#include "engine/event_pair_scores.h"

#include <algorithm>
#include <cstdint>
#include <utility>

namespace clustermatch {

std::vector<ScoredPair> PairsFromMatchLists(const std::vector<std::vector<Recommendation>>& lists,
                                            const absl::flat_hash_map<std::string, int>& index,
                                            int candidates) {
  absl::flat_hash_map<std::pair<int, int>, double> best;
  for (size_t i = 0; i < lists.size(); ++i) {
    const std::vector<Recommendation>& list = lists[i];
    const size_t take =
        candidates < 0 ? list.size() : std::min(list.size(), static_cast<size_t>(candidates));
    for (size_t rank = 0; rank < take; ++rank) {
      const auto it = index.find(list[rank].firm_id);
      if (it == index.end() || it->second == static_cast<int>(i)) continue;
      const std::pair<int, int> key = std::minmax(static_cast<int>(i), it->second);
      const double score = std::max(0.0, static_cast<double>(list[rank].score));
      auto [slot, inserted] = best.try_emplace(key, score);
      if (!inserted) slot->second = std::max(slot->second, score);
    }
  }
  std::vector<ScoredPair> pairs;
  pairs.reserve(best.size());
  for (const auto& [key, score] : best) pairs.push_back(ScoredPair{key.first, key.second, score});
  std::sort(pairs.begin(), pairs.end(), [](const ScoredPair& x, const ScoredPair& y) {
    return x.a != y.a ? x.a < y.a : x.b < y.b;
  });
  return pairs;
}

}  // namespace clustermatch
