#include "engine/link_baselines.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>

namespace clustermatch {
namespace {

// SplitMix64: a small, fast, well-mixed generator whose output is the same on
// every platform (std:: distributions are not).
uint64_t NextRandom(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

LinkGraph::LinkGraph(int firm_count, std::span<const std::pair<int, int>> edges) {
  std::vector<int64_t> degree(firm_count + 1, 0);
  for (const auto& [a, b] : edges) {
    if (a == b) continue;
    ++degree[a];
    ++degree[b];
  }
  offsets_.assign(firm_count + 1, 0);
  for (int i = 0; i < firm_count; ++i) offsets_[i + 1] = offsets_[i] + degree[i];
  std::vector<int> all(offsets_[firm_count]);
  std::vector<int64_t> next(offsets_.begin(), offsets_.end() - 1);
  for (const auto& [a, b] : edges) {
    if (a == b) continue;
    all[next[a]++] = b;
    all[next[b]++] = a;
  }
  // Sort and deduplicate each row, compacting in place.
  targets_.clear();
  targets_.reserve(all.size());
  std::vector<int64_t> compact(firm_count + 1, 0);
  for (int i = 0; i < firm_count; ++i) {
    auto begin = all.begin() + offsets_[i];
    auto end = all.begin() + offsets_[i + 1];
    std::sort(begin, end);
    end = std::unique(begin, end);
    targets_.insert(targets_.end(), begin, end);
    compact[i + 1] = static_cast<int64_t>(targets_.size());
  }
  offsets_ = std::move(compact);
}

bool LinkGraph::Partnered(int a, int b) const {
  const std::span<const int> partners = Partners(a);
  return std::binary_search(partners.begin(), partners.end(), b);
}

LinkRanker::LinkRanker(const LinkGraph& graph, std::span<const int> groups, uint64_t seed)
    : graph_(graph), groups_(groups), seed_(seed) {
  const int n = graph.firm_count();
  by_popularity_.resize(n);
  std::iota(by_popularity_.begin(), by_popularity_.end(), 0);
  std::stable_sort(by_popularity_.begin(), by_popularity_.end(),
                   [&](int a, int b) { return graph.Degree(a) > graph.Degree(b); });
  popularity_rank_.resize(n);
  for (int i = 0; i < n; ++i) popularity_rank_[by_popularity_[i]] = i;
  int group_count = 0;
  for (int group : groups_) group_count = std::max(group_count, group + 1);
  group_members_.resize(group_count);
  for (int firm : by_popularity_) {
    if (firm < static_cast<int>(groups_.size()) && groups_[firm] >= 0) {
      group_members_[groups_[firm]].push_back(firm);
    }
  }
  score_.assign(n, 0.0);
}

bool LinkRanker::IsCandidate(int query, int firm) const {
  return firm != query && !graph_.Partnered(query, firm);
}

template <typename Skip>
void LinkRanker::FillByPopularity(int query, std::span<const int> order, int k, Skip skip,
                                  std::vector<int>& out) const {
  for (int firm : order) {
    if (static_cast<int>(out.size()) >= k) return;
    if (IsCandidate(query, firm) && !skip(firm)) out.push_back(firm);
  }
}

std::vector<int> LinkRanker::RankRandom(int query, int k) const {
  const int n = graph_.firm_count();
  const int candidates = n - 1 - graph_.Degree(query);
  const int wanted = std::min(k, std::max(candidates, 0));
  uint64_t state = seed_ * 0x100000001B3ULL + static_cast<uint64_t>(query);
  std::vector<int> out;
  out.reserve(wanted);
  if (candidates <= 4 * k) {
    // Few candidates: a partial Fisher-Yates shuffle of all of them.
    std::vector<int> pool;
    pool.reserve(candidates);
    for (int firm = 0; firm < n; ++firm) {
      if (IsCandidate(query, firm)) pool.push_back(firm);
    }
    for (int i = 0; i < wanted; ++i) {
      const int j = i + static_cast<int>(NextRandom(state) % (pool.size() - i));
      std::swap(pool[i], pool[j]);
      out.push_back(pool[i]);
    }
    return out;
  }
  // Many candidates: draw until k distinct ones.
  while (static_cast<int>(out.size()) < wanted) {
    const int firm = static_cast<int>(NextRandom(state) % static_cast<uint64_t>(n));
    if (!IsCandidate(query, firm)) continue;
    if (std::find(out.begin(), out.end(), firm) != out.end()) continue;
    out.push_back(firm);
  }
  return out;
}

std::vector<int> LinkRanker::RankNeighbourhood(LinkMethod method, int query, int k) {
  // Two-hop accumulation: every partner z of the query adds its weight to
  // each of its own partners.
  for (int z : graph_.Partners(query)) {
    const int degree = graph_.Degree(z);
    if (degree < 2) continue;  // z's only partner is the query
    const double weight =
        method == LinkMethod::kAdamicAdar ? 1.0 / std::log(static_cast<double>(degree)) : 1.0;
    for (int firm : graph_.Partners(z)) {
      if (firm == query) continue;
      if (score_[firm] == 0) touched_.push_back(firm);
      score_[firm] += weight;
    }
  }
  std::vector<int> scored;
  scored.reserve(touched_.size());
  for (int firm : touched_) {
    if (!graph_.Partnered(query, firm)) scored.push_back(firm);
  }
  auto better = [&](int a, int b) {
    if (score_[a] != score_[b]) return score_[a] > score_[b];
    return popularity_rank_[a] < popularity_rank_[b];
  };
  const size_t keep = std::min(scored.size(), static_cast<size_t>(k));
  std::partial_sort(scored.begin(), scored.begin() + keep, scored.end(), better);
  scored.resize(keep);
  // Fewer scored candidates than k: the rest scores 0, ranked by popularity.
  FillByPopularity(
      query, by_popularity_, k, [&](int firm) { return score_[firm] > 0; }, scored);
  for (int firm : touched_) score_[firm] = 0;
  touched_.clear();
  return scored;
}

std::vector<int> LinkRanker::Rank(LinkMethod method, int query, int k) {
  std::vector<int> out;
  switch (method) {
    case LinkMethod::kRandom:
      return RankRandom(query, k);
    case LinkMethod::kPopularity:
      FillByPopularity(
          query, by_popularity_, k, [](int) { return false; }, out);
      return out;
    case LinkMethod::kSameGroup: {
      const int group = query < static_cast<int>(groups_.size()) ? groups_[query] : -1;
      if (group < 0) {
        FillByPopularity(
            query, by_popularity_, k, [](int) { return false; }, out);
        return out;
      }
      FillByPopularity(
          query, group_members_[group], k, [](int) { return false; }, out);
      FillByPopularity(
          query, by_popularity_, k, [&](int firm) { return groups_[firm] == group; }, out);
      return out;
    }
    case LinkMethod::kCommonNeighbours:
    case LinkMethod::kAdamicAdar:
      return RankNeighbourhood(method, query, k);
  }
  return out;
}

double LinkRanker::PairScore(LinkMethod method, int query, int other) {
  const std::span<const int> a = graph_.Partners(query);
  const std::span<const int> b = graph_.Partners(other);
  std::vector<int> shared;
  std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(shared));
  double score = 0;
  for (int z : shared) {
    score += method == LinkMethod::kAdamicAdar
                 ? 1.0 / std::log(static_cast<double>(graph_.Degree(z)))
                 : 1.0;
  }
  return score;
}

}  // namespace clustermatch
