#include "engine/partner_blend.h"

#include <Eigen/Dense>
#include <cmath>

namespace clustermatch {

std::string BlendSignalName(BlendSignal signal) {
  switch (signal) {
    case BlendSignal::kContent:
      return "content";
    case BlendSignal::kTopic:
      return "topic";
    case BlendSignal::kRelational:
      return "relational";
    case BlendSignal::kCommonPartners:
      return "common_partners";
    case BlendSignal::kAdamicAdar:
      return "adamic_adar";
    case BlendSignal::kCommonShare:
      return "common_share";
    case BlendSignal::kRepeatedCommon:
      return "repeated_common";
    case BlendSignal::kRecentCommon:
      return "recent_common";
    case BlendSignal::kJaccard:
      return "jaccard";
    case BlendSignal::kPopularity:
      return "popularity";
    case BlendSignal::kRecentPopularity:
      return "recent_popularity";
    case BlendSignal::kSameKind:
      return "same_kind";
    case BlendSignal::kSameRegion:
      return "same_region";
    case BlendSignal::kSameCluster:
      return "same_cluster";
    case BlendSignal::kQueryPopularity:
      return "query_popularity";
  }
  return "unknown";
}

BlendWeights FitBlend(std::span<const BlendFeatures> features, std::span<const uint8_t> labels,
                      const BlendFitOptions& options, std::span<const float> example_weights) {
  constexpr int kDims = kBlendSignalCount + 1;  // + bias
  BlendWeights out;
  const auto n = static_cast<Eigen::Index>(features.size());
  out.examples = n;
  for (uint8_t label : labels) out.positives += label != 0;
  if (n == 0) return out;

  for (int j = 0; j < kBlendSignalCount; ++j) {
    double sum = 0, squares = 0;
    for (const BlendFeatures& x : features) {
      sum += x[j];
      squares += static_cast<double>(x[j]) * x[j];
    }
    const double mean = sum / n;
    const double variance = std::max(0.0, squares / n - mean * mean);
    out.mean[j] = static_cast<float>(mean);
    out.scale[j] = variance > 1e-12 ? static_cast<float>(std::sqrt(variance)) : 1.0f;
  }
  Eigen::MatrixXd x(n, kDims);
  Eigen::VectorXd y(n);
  Eigen::VectorXd sample(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    for (int j = 0; j < kBlendSignalCount; ++j) {
      x(i, j) = (features[i][j] - out.mean[j]) / out.scale[j];
    }
    x(i, kBlendSignalCount) = 1.0;
    y(i) = labels[i] != 0 ? 1.0 : 0.0;
    sample(i) = example_weights.empty() ? 1.0 : example_weights[i];
  }
  Eigen::VectorXd w = Eigen::VectorXd::Zero(kDims);
  Eigen::MatrixXd penalty = options.l2 * Eigen::MatrixXd::Identity(kDims, kDims);
  penalty(kBlendSignalCount, kBlendSignalCount) = 0;  // the bias is not shrunk
  for (int iteration = 0; iteration < options.iterations; ++iteration) {
    const Eigen::VectorXd p = (1.0 / (1.0 + (-(x * w)).array().exp())).matrix();
    const Eigen::VectorXd gradient =
        x.transpose() * (sample.array() * (p - y).array()).matrix() + penalty * w;
    const Eigen::VectorXd curvature =
        (sample.array() * (p.array() * (1.0 - p.array())).max(1e-9)).matrix();
    const Eigen::MatrixXd hessian = x.transpose() * curvature.asDiagonal() * x + penalty +
                                    1e-9 * Eigen::MatrixXd::Identity(kDims, kDims);
    const Eigen::VectorXd step = hessian.ldlt().solve(gradient);
    w -= step;
    if (step.norm() < 1e-6) break;
  }
  for (int j = 0; j < kBlendSignalCount; ++j) out.weights[j] = static_cast<float>(w(j));
  out.bias = static_cast<float>(w(kBlendSignalCount));
  return out;
}

float BlendScore(const BlendWeights& weights, const BlendFeatures& features) {
  float score = weights.bias;
  for (int j = 0; j < kBlendSignalCount; ++j) {
    score += weights.weights[j] * (features[j] - weights.mean[j]) / weights.scale[j];
  }
  return score;
}

}  // namespace clustermatch
