// PartnerModel: everything the partner intent learns from a store's
// relations, rebuilt as relations are recorded.
//
//   - the partner graph (engine/partner_graph.h) over the firms that have
//     `partnered` relations;
//   - their relational embedding (engine/relational_embedding.h), a further
//     vector field searched with Faiss;
//   - candidates beyond the text search: firms two steps away, the
//     relational nearest neighbours, and the most-partnered firms;
//   - the blend weights (engine/partner_blend.h), learned per store on a
//     validation split carved from the store's own past: the graph of the
//     relations before the latest relation year Y, and as positives the
//     pairs that first partnered in year Y. The test of the future is never
//     seen. A store with too few such pairs (a new cluster) has no learned
//     weights, and the recommender then ranks by content alone.
//
// Thread safety: immutable once built; shared by readers through a
// shared_ptr that the engine swaps under its lock.
#ifndef CLUSTERMATCH_ENGINE_PARTNER_MODEL_H_
#define CLUSTERMATCH_ENGINE_PARTNER_MODEL_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/firm.h"
#include "engine/firm_catalog.h"
#include "engine/partner_blend.h"
#include "engine/partner_graph.h"
#include "engine/relational_embedding.h"

namespace clustermatch {

struct PartnerModelOptions {
  int two_hop_candidates = 200;     // best by Adamic–Adar
  int relational_candidates = 100;  // nearest relational vectors
  int popular_candidates = 50;      // most partners
  int max_validation_queries = 2000;
  // Years of new pairs the weights are learned to predict: the graph before
  // the last `validation_years` years predicts the pairs formed in them.
  int validation_years = 1;
  // Below either, no weights are learned and content ranks alone.
  int min_validation_positives = 50;
  int min_validation_queries = 10;
  RelationalEmbeddingOptions embedding;
  BlendFitOptions fit;
};

// The text side of a pair: the content score the recommender ranks by, and
// the topic cosine.
struct ContentScores {
  float content = 0;
  float topic = 0;
};

// What learning needs from the text side, by store key: a stored firm's
// content candidates, and the content scores of a pair.
struct ContentSide {
  std::function<std::vector<int64_t>(int64_t query)> candidates;
  std::function<ContentScores(int64_t query, int64_t candidate)> score;
};

class PartnerModel {
 public:
  // Learns new weights when `keep` is null; otherwise takes *keep (which
  // may be "none": content ranks).
  static std::shared_ptr<const PartnerModel> Build(const FirmCatalog& catalog,
                                                   std::span<const Relation> relations,
                                                   const ContentSide& content,
                                                   const PartnerModelOptions& options,
                                                   const std::optional<BlendWeights>* keep);

  // The graph state of one cut: relations dated before `before_year` (all
  // when 0), over the catalog's firms.
  struct Graph {
    absl::flat_hash_map<std::string, int32_t> node_of_id;
    absl::flat_hash_map<int64_t, int32_t> node_of_key;
    std::vector<int64_t> key_of_node;
    PartnerGraph graph;
    RelationalEmbedding embedding;
    std::vector<int32_t> popular;  // nodes by degree, most first
    int recent_since = 0;          // year from which a partner counts as recent
  };

  // One query firm's view of the graph.
  struct Query {
    int32_t node = -1;  // -1: no partners yet
    TwoHopScores two_hop;
    absl::flat_hash_map<int32_t, int32_t> two_hop_index;  // node -> position
  };

  bool learned() const { return weights_.has_value(); }
  const BlendWeights* weights() const { return weights_ ? &*weights_ : nullptr; }
  const Graph& graph() const { return *graph_; }
  size_t relation_count() const { return relation_count_; }

  Query Prepare(int64_t key) const { return PrepareOn(*graph_, key); }
  // Graph-side candidates (store keys), unfiltered and unordered.
  std::vector<int64_t> Candidates(const Query& query) const {
    return CandidatesOn(*graph_, query, options_);
  }
  BlendFeatures Features(const Query& query, const Firm& query_firm, int64_t candidate,
                         const Firm& candidate_firm, const ContentScores& text) const {
    return FeaturesOn(*graph_, query, query_firm, candidate, candidate_firm, text);
  }
  // Distinct common partners of the query and the candidate.
  int CommonPartners(const Query& query, int64_t candidate) const;

  // Exposed for tests and the learner.
  static std::unique_ptr<Graph> BuildGraph(const FirmCatalog& catalog,
                                           std::span<const Relation> relations,
                                           const PartnerModelOptions& options, int before_year);
  static Query PrepareOn(const Graph& graph, int64_t key);
  static std::vector<int64_t> CandidatesOn(const Graph& graph, const Query& query,
                                           const PartnerModelOptions& options);
  static BlendFeatures FeaturesOn(const Graph& graph, const Query& query, const Firm& query_firm,
                                  int64_t candidate, const Firm& candidate_firm,
                                  const ContentScores& text);
  // Learns weights on the validation split; nullopt when the store has too
  // few relations for it.
  static std::optional<BlendWeights> Learn(const FirmCatalog& catalog,
                                           std::span<const Relation> relations,
                                           const ContentSide& content,
                                           const PartnerModelOptions& options);

 private:
  PartnerModel() = default;

  PartnerModelOptions options_;
  std::unique_ptr<Graph> graph_;
  std::optional<BlendWeights> weights_;
  size_t relation_count_ = 0;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_PARTNER_MODEL_H_
