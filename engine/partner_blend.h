// PartnerBlend: the learned ranker of the partner intent. Each candidate pair
// is described by a few signals (content, relational embedding, common
// partners, popularity, and same kind, region or cluster) and scored by a
// logistic regression whose weights are learned from the store's own
// relations (engine/partner_model.h says how the training pairs are carved
// out). Plain numbers in, plain numbers out: no engine access.
//
// Thread safety: BlendWeights is a value; Fit and Score are pure functions.
#ifndef CLUSTERMATCH_ENGINE_PARTNER_BLEND_H_
#define CLUSTERMATCH_ENGINE_PARTNER_BLEND_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace clustermatch {

enum class BlendSignal : uint8_t {
  kContent = 0,       // the reciprocal text score (engine/reciprocal_scorer.h), ≥ 0
  kTopic,             // cosine of the topic vectors (what the firms work on)
  kRelational,        // cosine of the relational embeddings
  kCommonPartners,    // ln(1 + distinct common partners)
  kAdamicAdar,        // Adamic–Adar over the common partners
  kCommonShare,       // common partners / the query's partners
  kRepeatedCommon,    // sum of ln(1 + collaborations with the query) over them
  kRecentCommon,      // ln(1 + those the query worked with in the last two years)
  kJaccard,           // common partners / partners of either
  kPopularity,        // ln(1 + the candidate's distinct partners)
  kRecentPopularity,  // ln(1 + its partners in the last two years)
  kSameKind,          // 1 when both are companies, or both universities, ...
  kSameRegion,        // 1 when both name the same region (country)
  kSameCluster,       // 1 when they share a cluster or a mini-cluster
  kQueryPopularity,   // ln(1 + the query's distinct partners)
};
inline constexpr int kBlendSignalCount = 15;

using BlendFeatures = std::array<float, kBlendSignalCount>;

std::string BlendSignalName(BlendSignal signal);

struct BlendWeights {
  // Standardisation learned with the weights: x' = (x - mean) / scale.
  BlendFeatures mean{};
  BlendFeatures scale{};
  BlendFeatures weights{};
  float bias = 0;
  // Training facts, for reports.
  int64_t examples = 0;
  int64_t positives = 0;
  int queries = 0;
  int validation_year = 0;  // first year of the validation pairs
};

struct BlendFitOptions {
  float l2 = 1.0f;  // ridge penalty on the standardised weights
  int iterations = 25;
};

// Weighted logistic regression by Newton's method. `features`, `labels` and
// `example_weights` (empty: all 1) have one entry per example; needs at
// least one positive and one negative.
BlendWeights FitBlend(std::span<const BlendFeatures> features, std::span<const uint8_t> labels,
                      const BlendFitOptions& options = {},
                      std::span<const float> example_weights = {});

// The linear score w·x' + b (monotone in the predicted probability).
float BlendScore(const BlendWeights& weights, const BlendFeatures& features);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_PARTNER_BLEND_H_
