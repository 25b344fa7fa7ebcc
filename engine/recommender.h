// Recommender: candidates from the vector index (filters and exclusions
// applied inside the Faiss scan), exact reciprocal scoring, ranking and
// explanations, for every intent and for free-text search.
//
// Thread safety: a Recommender borrows the engine's state and only reads it;
// the engine holds its reader lock for the duration of a call.
#ifndef CLUSTERMATCH_ENGINE_RECOMMENDER_H_
#define CLUSTERMATCH_ENGINE_RECOMMENDER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "engine/explanation.h"
#include "engine/firm_catalog.h"
#include "engine/firm_signals.h"
#include "engine/idle_helper.h"
#include "engine/partner_model.h"
#include "engine/reciprocal_scorer.h"
#include "engine/relation_graph.h"
#include "engine/sparse_field_cache.h"
#include "engine/vector_index.h"
#include "models/text_model.h"

namespace clustermatch {

enum class CrossCluster : uint8_t {
  kOff = 0,
  kOtherMiniCluster = 1,  // only firms of other mini-clusters
  kOtherCluster = 2,      // only firms sharing none of the query's clusters
  kBoost = 3,             // any firm, other mini-clusters preferred
};

// How partner candidates are ranked. kLearned blends content with the
// relation graph (engine/partner_blend.h) once the store has enough relations
// to learn from, and is the content ranking otherwise; kContentOnly is the
// text model alone, kept for evaluation baselines.
enum class PartnerRanking : uint8_t { kLearned = 0, kContentOnly = 1 };

struct RecommendRequest {
  std::string firm_id;
  // When set, recommend for this profile instead of firm_id: it is validated
  // (InvalidArgument "profile.FIELD: reason") and embedded on the fly, never
  // stored. If its id names a stored firm, that firm is left out of the
  // results and its relations apply.
  std::optional<Firm> profile;
  MatchIntent intent = MatchIntent::kPartner;
  int k = 10;
  CrossCluster cross_cluster = CrossCluster::kOff;
  // Used by the partner intent only.
  PartnerRanking ranking = PartnerRanking::kLearned;
  // Caller's restrictions and visibility; the recommender adds the query
  // firm, its relation exclusions and the cross-cluster rule.
  SearchFilter filter;
  // False: results carry their component scores only, no readable reasons
  // (the gRPC omit_explanations of list views), which saves their cost.
  bool explain = true;
};

struct SearchRequest {
  std::string text;
  int k = 10;
  SearchFilter filter;
  bool explain = true;  // as RecommendRequest::explain
};

struct Recommendation {
  std::string firm_id;
  float score = 0;
  Explanation explanation;
};

// Score multiplier for other mini-clusters under CrossCluster::kBoost.
inline constexpr float kCrossClusterBoost = 1.15f;
inline constexpr int kMaxK = 1000;

class Recommender {
 public:
  Recommender(const TextModel& model, const FirmVectorIndex& index, const FirmCatalog& catalog,
              const RelationGraph& relations, const ReciprocalScorer& scorer,
              const SparseFieldCache& sparse, const PartnerModel* partners = nullptr,
              IdleHelper* helper = nullptr)
      : model_(model),
        index_(index),
        catalog_(catalog),
        relations_(relations),
        scorer_(scorer),
        sparse_(sparse),
        partners_(partners),
        helper_(helper) {}

  // NotFound for an unknown firm; InvalidArgument for k outside 1..kMaxK or
  // an invalid request.profile ("profile.FIELD: reason").
  absl::StatusOr<std::vector<Recommendation>> Recommend(const RecommendRequest& request) const;
  // InvalidArgument for an empty query or k outside 1..kMaxK.
  absl::StatusOr<std::vector<Recommendation>> Search(const SearchRequest& request) const;

  // For group workflows, on firms already resolved to keys:
  // the score of `b` for `a` under `intent`, with its parts;
  float PairScore(MatchIntent intent, int64_t a, int64_t b, ComponentScores* components) const;
  // the reasons behind that score;
  Explanation ExplainPair(MatchIntent intent, int64_t a, int64_t b,
                          const ComponentScores& components) const;
  // how well firm `key` answers a free-text query (QuerySignals).
  float TextScore(const FirmSignals& query, int64_t key) const;
  // For learning the partner blend (PartnerModel::Learn), on stored firms
  // and without visibility filters: a firm's content candidates, and the
  // text scores the partner ranking would give a pair.
  std::vector<int64_t> PartnerContentCandidates(int64_t key) const;
  ContentScores PartnerContentScores(int64_t key, int64_t candidate) const;
  // how fully its offers, products and technologies state `text`
  // (ReciprocalScorer::CapabilityMatch).
  float PhraseScore(std::string_view text, int64_t key) const {
    return scorer_.CapabilityMatch(text, *catalog_.ByKey(key), nullptr);
  }

 private:
  absl::StatusOr<std::vector<int64_t>> Candidates(VectorField field,
                                                  const std::vector<float>& query, int fetch,
                                                  const SearchFilter& filter) const;
  // Candidates for `firm` (stored under `key`, or -1 for an unstored
  // profile) with signals `query`, scored, ranked and explained.
  absl::StatusOr<std::vector<Recommendation>> Rank(const RecommendRequest& request,
                                                   const Firm& firm, int64_t key,
                                                   const FirmSignals& query) const;
  // Rank with the content scores of `content_intent`.
  absl::StatusOr<std::vector<Recommendation>> RankAs(MatchIntent content_intent,
                                                     const RecommendRequest& request,
                                                     const Firm& firm, int64_t key,
                                                     const FirmSignals& query) const;
  SearchFilter QueryFilter(const RecommendRequest& request, const Firm& firm, int64_t key) const;
  // The firm's signals with the vectors of `fields` loaded (its query
  // compares no others), and its phrases resolved when `phrases` is set.
  FirmSignals CandidateSignals(int64_t key, FieldMask fields = kAllFields,
                               bool phrases = false) const;
  // work(begin, end) over [0, n), shared with the idle helper when there is one.
  void SplitWork(size_t n, absl::FunctionRef<void(size_t, size_t)> work) const;
  float TopicOf(const FirmSignals& query, const FirmSignals& candidate) const;
  // The learned model, when this request should use it.
  const PartnerModel* LearnedFor(const RecommendRequest& request) const;

  const TextModel& model_;
  const FirmVectorIndex& index_;
  const FirmCatalog& catalog_;
  const RelationGraph& relations_;
  const ReciprocalScorer& scorer_;
  const SparseFieldCache& sparse_;
  const PartnerModel* partners_;  // may be null: content ranking only
  IdleHelper* helper_;            // may be null: every call on its own thread
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_RECOMMENDER_H_
