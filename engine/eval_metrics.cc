#include "engine/eval_metrics.h"

#include <algorithm>
#include <cmath>

namespace clustermatch {
namespace {

double Discount(int position) { return 1.0 / std::log2(static_cast<double>(position) + 2.0); }

}  // namespace

RankingMetrics ScoreRanking(std::span<const int> ranked, std::span<const int> relevant) {
  RankingMetrics metrics;
  if (relevant.empty()) return metrics;
  const int depth = std::min<int>(static_cast<int>(ranked.size()), kEvalDepth);
  int hits = 0;
  int hits_at_10 = 0;
  int hits_at_20 = 0;
  double dcg = 0;
  for (int i = 0; i < depth; ++i) {
    if (!std::binary_search(relevant.begin(), relevant.end(), ranked[i])) continue;
    ++hits;
    if (i < 10) ++hits_at_10;
    if (i < 20) ++hits_at_20;
    if (i < kNdcgDepth) dcg += Discount(i);
    if (metrics.reciprocal_rank == 0) metrics.reciprocal_rank = 1.0 / (i + 1);
  }
  const double total = static_cast<double>(relevant.size());
  metrics.recall_at_10 = hits_at_10 / total;
  metrics.recall_at_20 = hits_at_20 / total;
  metrics.recall_at_50 = hits / total;
  double ideal = 0;
  const int ideal_hits = std::min<int>(static_cast<int>(relevant.size()), kNdcgDepth);
  for (int i = 0; i < ideal_hits; ++i) ideal += Discount(i);
  metrics.ndcg_at_10 = dcg / ideal;
  return metrics;
}

void MetricTotals::Add(const RankingMetrics& metrics) {
  sum_.recall_at_10 += metrics.recall_at_10;
  sum_.recall_at_20 += metrics.recall_at_20;
  sum_.recall_at_50 += metrics.recall_at_50;
  sum_.reciprocal_rank += metrics.reciprocal_rank;
  sum_.ndcg_at_10 += metrics.ndcg_at_10;
  ++count_;
}

RankingMetrics MetricTotals::Mean() const {
  RankingMetrics mean;
  if (count_ == 0) return mean;
  const double n = static_cast<double>(count_);
  mean.recall_at_10 = sum_.recall_at_10 / n;
  mean.recall_at_20 = sum_.recall_at_20 / n;
  mean.recall_at_50 = sum_.recall_at_50 / n;
  mean.reciprocal_rank = sum_.reciprocal_rank / n;
  mean.ndcg_at_10 = sum_.ndcg_at_10 / n;
  return mean;
}

}  // namespace clustermatch
