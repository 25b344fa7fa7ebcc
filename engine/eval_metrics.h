// Ranking metrics for the recommendation-quality evaluation (`clustermatch
// eval`, engine/quality_eval.h): how a ranked candidate list scores against
// the partners a query firm really formed later. Plain functions over firm
// indices; no engine access.
//
// Thread safety: ScoreRanking is a pure function; a MetricTotals is not
// shared between threads.
#ifndef CLUSTERMATCH_ENGINE_EVAL_METRICS_H_
#define CLUSTERMATCH_ENGINE_EVAL_METRICS_H_

#include <cstddef>
#include <span>

namespace clustermatch {

// The cut-offs the metrics look at.
inline constexpr int kEvalDepth = 50;  // list length, Recall@50 and MRR
inline constexpr int kNdcgDepth = 10;
inline constexpr int kCoverageDepth = 20;

// One query's scores, each in [0, 1].
struct RankingMetrics {
  double recall_at_10 = 0;
  double recall_at_20 = 0;
  double recall_at_50 = 0;
  // 1 / rank of the first relevant firm within the first kEvalDepth, else 0.
  double reciprocal_rank = 0;
  // Binary gains; the ideal list puts min(#relevant, 10) relevant firms first.
  double ndcg_at_10 = 0;
};

// Scores `ranked` (best first; only its first kEvalDepth entries count)
// against `relevant`, which must be sorted ascending without repeats. An
// empty `relevant` scores all zeros.
RankingMetrics ScoreRanking(std::span<const int> ranked, std::span<const int> relevant);

// Means over queries.
class MetricTotals {
 public:
  void Add(const RankingMetrics& metrics);
  // The mean of every metric (all zeros when nothing was added).
  RankingMetrics Mean() const;
  size_t count() const { return count_; }

 private:
  RankingMetrics sum_;
  size_t count_ = 0;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_EVAL_METRICS_H_
