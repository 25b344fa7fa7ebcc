// Link-prediction baselines for the recommendation-quality evaluation
// (engine/quality_eval.h): random, popularity, same group then popularity,
// common neighbours and Adamic-Adar, over a compact integer graph of who
// partnered whom. Plain algorithms; no engine access.
//
// Firms are indices 0..n-1; ties between equal scores go to the more popular
// firm (more distinct partners), then to the lower index, so callers that
// number firms in id order get ties broken by id.
//
// Thread safety: a LinkGraph is immutable after construction and may be
// shared; a LinkRanker holds scratch buffers and serves one thread.
#ifndef CLUSTERMATCH_ENGINE_LINK_BASELINES_H_
#define CLUSTERMATCH_ENGINE_LINK_BASELINES_H_

#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace clustermatch {

// Undirected graph in compressed sparse rows: every firm's distinct
// partners, sorted.
class LinkGraph {
 public:
  LinkGraph() = default;
  // Edges may repeat and come in either direction; self-loops are dropped.
  // Requires 0 <= a, b < firm_count.
  LinkGraph(int firm_count, std::span<const std::pair<int, int>> edges);

  int firm_count() const { return static_cast<int>(offsets_.size()) - 1; }
  // Distinct undirected pairs.
  size_t pair_count() const { return targets_.size() / 2; }
  int Degree(int firm) const { return static_cast<int>(offsets_[firm + 1] - offsets_[firm]); }
  std::span<const int> Partners(int firm) const {
    return {targets_.data() + offsets_[firm], targets_.data() + offsets_[firm + 1]};
  }
  bool Partnered(int a, int b) const;

 private:
  std::vector<int64_t> offsets_ = {0};
  std::vector<int> targets_;
};

enum class LinkMethod : uint8_t {
  kRandom = 0,
  kPopularity = 1,        // most distinct partners
  kSameGroup = 2,         // firms of the query's group first, each part by popularity
  kCommonNeighbours = 3,  // distinct shared partners
  kAdamicAdar = 4,        // sum of 1 / ln(degree) over shared partners
};

class LinkRanker {
 public:
  // `groups[i]` is firm i's group (region, say), or -1 for none; a firm with
  // no group ranks like popularity. `graph` and `groups` must outlive the
  // ranker.
  LinkRanker(const LinkGraph& graph, std::span<const int> groups, uint64_t seed);

  // Up to k firms for `query`, best first, among the candidates: every firm
  // except the query and its partners. Deterministic: kRandom depends only
  // on the seed and the query.
  std::vector<int> Rank(LinkMethod method, int query, int k);

  // The raw scores of the neighbourhood methods, for tests: common
  // neighbours or Adamic-Adar of `query` with `other`.
  double PairScore(LinkMethod method, int query, int other);

 private:
  bool IsCandidate(int query, int firm) const;
  std::vector<int> RankRandom(int query, int k) const;
  // Candidates in `order` (a popularity order), skipping those `skip` says
  // to, appended to `out` until it holds k.
  template <typename Skip>
  void FillByPopularity(int query, std::span<const int> order, int k, Skip skip,
                        std::vector<int>& out) const;
  std::vector<int> RankNeighbourhood(LinkMethod method, int query, int k);

  const LinkGraph& graph_;
  std::span<const int> groups_;
  uint64_t seed_;
  // Firm -> position in popularity order (lower is more popular).
  std::vector<int> popularity_rank_;
  std::vector<int> by_popularity_;
  // Per group: its firms in popularity order.
  std::vector<std::vector<int>> group_members_;
  // Scratch for the neighbourhood methods: scores, and which entries are set.
  std::vector<double> score_;
  std::vector<int> touched_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_LINK_BASELINES_H_
