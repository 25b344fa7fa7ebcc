// PartnerGraph: the `partnered` relations of a store as a compact undirected
// graph over dense node numbers, with how often and how recently each pair
// worked together. It answers the questions the learned partner ranker
// (engine/partner_blend.h) and the relational embedding
// (engine/relational_embedding.h) ask: who are a firm's partners, how many
// partners does it have, and which firms are two steps away.
//
// Thread safety: immutable after Build; safe to read from many threads.
#ifndef CLUSTERMATCH_ENGINE_PARTNER_GRAPH_H_
#define CLUSTERMATCH_ENGINE_PARTNER_GRAPH_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/firm.h"

namespace clustermatch {

struct PartnerEdge {
  int32_t node = 0;
  int32_t count = 0;      // relations between the pair (repeats counted)
  int32_t last_year = 0;  // year of the latest one; 0 when undated
};

// Two-step neighbourhood of one node.
struct TwoHopScores {
  std::vector<int32_t> nodes;      // reached in two steps, not the node itself
  std::vector<float> common;       // distinct common partners
  std::vector<float> adamic_adar;  // sum of 1 / ln(max(degree, 2)) over them
  std::vector<float> repeated;     // sum of ln(1 + the node's collaborations with them)
  std::vector<float> recent;       // those the node worked with since `since_year`
};

class PartnerGraph {
 public:
  // Nodes are 0..node_count-1; `node_of` maps firm ids to them. Relations of
  // other kinds, naming unknown firms, or self-pairs are skipped. With
  // `before_year` > 0 only relations dated before that year count.
  static PartnerGraph Build(std::span<const Relation> relations,
                            const absl::flat_hash_map<std::string, int32_t>& node_of,
                            int32_t node_count, int before_year = 0);

  int32_t node_count() const { return static_cast<int32_t>(offsets_.size()) - 1; }
  size_t pair_count() const { return edges_.size() / 2; }
  // Latest relation year seen; 0 when none is dated.
  int latest_year() const { return latest_year_; }

  std::span<const PartnerEdge> Partners(int32_t node) const {
    return {edges_.data() + offsets_[node], edges_.data() + offsets_[node + 1]};
  }
  int32_t Degree(int32_t node) const { return offsets_[node + 1] - offsets_[node]; }
  // Partners whose latest relation is from `since_year` or later.
  int32_t RecentDegree(int32_t node, int since_year) const;
  bool Partnered(int32_t a, int32_t b) const;

  // Common partners and their weightings for every node two steps from
  // `node`. `scratch` must hold node_count() zeros and is left zeroed.
  void TwoHop(int32_t node, int since_year, std::vector<float>& scratch, TwoHopScores& out) const;

 private:
  std::vector<int32_t> offsets_{0};
  std::vector<PartnerEdge> edges_;  // each node's partners, sorted by node
  int latest_year_ = 0;
};

// The year of a relation date ("YYYY" or "YYYY-MM-DD"); 0 when it has none.
int RelationYear(const std::string& date);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_PARTNER_GRAPH_H_
