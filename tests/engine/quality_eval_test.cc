// The recommendation-quality evaluation's parts: ranking metrics on
// hand-made rankings, the link baselines on a small hand-made graph whose
// common-neighbour and Adamic-Adar orders are known, and the protocol's
// split of dated relations at a cut-off.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "engine/eval_metrics.h"
#include "engine/link_baselines.h"
#include "engine/quality_eval.h"

namespace clustermatch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

double Discount(int position) { return 1.0 / std::log2(position + 2.0); }

TEST(EvalMetricsTest, ScoresHandMadeRanking) {
  // Relevant 1, 3, 9 and 42; hits at positions 1, 3 (both in the top 10),
  // 14 (top 20) and 55 (beyond the list depth: ignored).
  std::vector<int> ranked(60);
  for (int i = 0; i < 60; ++i) ranked[i] = 100 + i;
  ranked[1] = 1;
  ranked[3] = 3;
  ranked[14] = 9;
  ranked[55] = 42;
  const std::vector<int> relevant = {1, 3, 9, 42};
  const RankingMetrics m = ScoreRanking(ranked, relevant);
  EXPECT_DOUBLE_EQ(m.recall_at_10, 2.0 / 4);
  EXPECT_DOUBLE_EQ(m.recall_at_20, 3.0 / 4);
  EXPECT_DOUBLE_EQ(m.recall_at_50, 3.0 / 4);
  EXPECT_DOUBLE_EQ(m.reciprocal_rank, 1.0 / 2);
  const double ideal = Discount(0) + Discount(1) + Discount(2) + Discount(3);
  EXPECT_DOUBLE_EQ(m.ndcg_at_10, (Discount(1) + Discount(3)) / ideal);
}

TEST(EvalMetricsTest, PerfectAndEmptyRankings) {
  const std::vector<int> relevant = {7, 8};
  const RankingMetrics perfect = ScoreRanking(std::vector<int>{8, 7, 1}, relevant);
  EXPECT_DOUBLE_EQ(perfect.recall_at_10, 1.0);
  EXPECT_DOUBLE_EQ(perfect.reciprocal_rank, 1.0);
  EXPECT_DOUBLE_EQ(perfect.ndcg_at_10, 1.0);
  // More relevant firms than 10: the ideal list is ten hits.
  std::vector<int> many(30);
  for (int i = 0; i < 30; ++i) many[i] = i;
  const RankingMetrics top = ScoreRanking(std::vector<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, many);
  EXPECT_DOUBLE_EQ(top.ndcg_at_10, 1.0);
  EXPECT_DOUBLE_EQ(top.recall_at_10, 10.0 / 30);
  const RankingMetrics miss = ScoreRanking(std::vector<int>{1, 2}, relevant);
  EXPECT_EQ(miss.reciprocal_rank, 0);
  EXPECT_EQ(miss.ndcg_at_10, 0);
  const RankingMetrics none = ScoreRanking(std::vector<int>{1, 2}, std::vector<int>{});
  EXPECT_EQ(none.recall_at_20, 0);
}

TEST(EvalMetricsTest, TotalsAreMeans) {
  MetricTotals totals;
  EXPECT_EQ(totals.Mean().recall_at_20, 0);
  RankingMetrics a;
  a.recall_at_20 = 1;
  a.reciprocal_rank = 0.5;
  RankingMetrics b;
  b.recall_at_20 = 0.5;
  totals.Add(a);
  totals.Add(b);
  EXPECT_EQ(totals.count(), 2u);
  EXPECT_DOUBLE_EQ(totals.Mean().recall_at_20, 0.75);
  EXPECT_DOUBLE_EQ(totals.Mean().reciprocal_rank, 0.25);
}

// Query 0's partners are 1 (degree 2) and 2, 3 (degree 5). Firm 4 shares
// only partner 1 with it; firms 5..8 share 2 and 3; 8 has one more partner
// (9), which makes it the most popular of them.
//   common neighbours: 8, 5, 6, 7 (2 each, by popularity then id), 4 (1), 9
//   Adamic-Adar: 4 (1/ln 2 = 1.44), then 8, 5, 6, 7 (2/ln 5 = 1.24), 9
LinkGraph TinyGraph() {
  const std::vector<std::pair<int, int>> edges = {
      {0, 1}, {0, 2}, {0, 3}, {1, 4}, {2, 5}, {3, 5}, {2, 6}, {2, 7},
      {2, 8}, {3, 6}, {3, 7}, {3, 8}, {8, 9}, {1, 0}, {2, 2},  // a repeat, a self-loop
  };
  return LinkGraph(10, edges);
}

TEST(LinkBaselinesTest, GraphKeepsDistinctPartners) {
  const LinkGraph graph = TinyGraph();
  EXPECT_EQ(graph.firm_count(), 10);
  EXPECT_EQ(graph.pair_count(), 13u);
  EXPECT_THAT(graph.Partners(0), ElementsAre(1, 2, 3));
  EXPECT_THAT(graph.Partners(2), ElementsAre(0, 5, 6, 7, 8));
  EXPECT_TRUE(graph.Partnered(9, 8));
  EXPECT_FALSE(graph.Partnered(0, 4));
}

TEST(LinkBaselinesTest, NeighbourhoodOrders) {
  const LinkGraph graph = TinyGraph();
  LinkRanker ranker(graph, {}, 1);
  EXPECT_THAT(ranker.Rank(LinkMethod::kCommonNeighbours, 0, 50), ElementsAre(8, 5, 6, 7, 4, 9));
  EXPECT_THAT(ranker.Rank(LinkMethod::kAdamicAdar, 0, 50), ElementsAre(4, 8, 5, 6, 7, 9));
  EXPECT_THAT(ranker.Rank(LinkMethod::kCommonNeighbours, 0, 3), ElementsAre(8, 5, 6));
  EXPECT_DOUBLE_EQ(ranker.PairScore(LinkMethod::kCommonNeighbours, 0, 5), 2);
  EXPECT_DOUBLE_EQ(ranker.PairScore(LinkMethod::kAdamicAdar, 0, 4), 1 / std::log(2.0));
  EXPECT_DOUBLE_EQ(ranker.PairScore(LinkMethod::kAdamicAdar, 0, 6), 2 / std::log(5.0));
  // The scratch state is reset between queries: the same answer twice, and
  // another query is unaffected. Firm 4's partner 1 leads to 0 (a partner
  // of 1) only.
  EXPECT_THAT(ranker.Rank(LinkMethod::kAdamicAdar, 0, 50), ElementsAre(4, 8, 5, 6, 7, 9));
  const std::vector<int> four = ranker.Rank(LinkMethod::kCommonNeighbours, 4, 2);
  EXPECT_THAT(four, ElementsAre(0, 2));
}

TEST(LinkBaselinesTest, PopularityAndSameGroup) {
  const LinkGraph graph = TinyGraph();
  // Degrees: 2 and 3 have 5; 0 and 8 have 3; 1, 5, 6, 7 have 2; 4 and 9 one.
  const std::vector<int> groups = {0, 1, 1, 1, 0, 1, 1, -1, 1, 0};
  LinkRanker ranker(graph, groups, 1);
  EXPECT_THAT(ranker.Rank(LinkMethod::kPopularity, 0, 50), ElementsAre(8, 5, 6, 7, 4, 9));
  EXPECT_THAT(ranker.Rank(LinkMethod::kSameGroup, 0, 50), ElementsAre(4, 9, 8, 5, 6, 7));
  // No group: popularity.
  EXPECT_THAT(ranker.Rank(LinkMethod::kSameGroup, 7, 3), ElementsAre(0, 8, 1));
}

TEST(LinkBaselinesTest, RandomIsDeterministicAndOnlyCandidates) {
  const LinkGraph graph = TinyGraph();
  LinkRanker ranker(graph, {}, 7);
  const std::vector<int> first = ranker.Rank(LinkMethod::kRandom, 0, 10);
  EXPECT_THAT(first, UnorderedElementsAre(4, 5, 6, 7, 8, 9));
  EXPECT_EQ(ranker.Rank(LinkMethod::kRandom, 0, 10), first);

  // A large graph takes the rejection path: 50 distinct non-partners.
  std::vector<std::pair<int, int>> star;
  for (int i = 1; i < 100; ++i) star.emplace_back(0, i);
  const LinkGraph big(2000, star);
  LinkRanker big_ranker(big, {}, 7);
  const std::vector<int> drawn = big_ranker.Rank(LinkMethod::kRandom, 0, 50);
  ASSERT_EQ(drawn.size(), 50u);
  EXPECT_EQ(std::set<int>(drawn.begin(), drawn.end()).size(), 50u);
  for (int firm : drawn) EXPECT_GE(firm, 100);
  EXPECT_EQ(big_ranker.Rank(LinkMethod::kRandom, 0, 50), drawn);
  LinkRanker other_seed(big, {}, 8);
  EXPECT_NE(other_seed.Rank(LinkMethod::kRandom, 0, 50), drawn);
}

Firm MakeFirm(const std::string& id, FirmKind kind) {
  Firm firm;
  firm.id = id;
  firm.name = id;
  firm.kind = kind;
  return firm;
}

Relation Partnered(const std::string& a, const std::string& b, const std::string& date) {
  return Relation{a, b, RelationKind::kPartnered, date, ""};
}

TEST(QualityEvalSplitTest, NewPairsExcludeRepeatsAndAbsentFirms) {
  const std::vector<Firm> firms = {
      MakeFirm("d", FirmKind::kUniversity), MakeFirm("a", FirmKind::kCompany),
      MakeFirm("b", FirmKind::kCompany),    MakeFirm("c", FirmKind::kResearchInstitute),
      MakeFirm("e", FirmKind::kCompany),    MakeFirm("f", FirmKind::kPublicBody),
  };
  std::vector<Relation> relations = {
      Partnered("a", "b", "2016"),
      Partnered("b", "a", "2018"),        // partners before: a repeat, not new
      Partnered("a", "c", "2019-03-01"),  // new
      Partnered("c", "a", "2019"),        // the same new pair again
      Partnered("b", "x", "2019"),        // x was not present before
      Partnered("x", "y", "2016"),        // before, but unprofiled
      Partnered("b", "d", "2020"),        // new
      Partnered("e", "f", "2015"),
      Partnered("f", "e", "2017"),  // a repeated earlier partnership
  };
  relations.push_back(Relation{"d", "e", RelationKind::kMet, "2019", ""});
  absl::StatusOr<EvalSplit> split = SplitForEval(firms, relations, 2018);
  ASSERT_TRUE(split.ok()) << split.status();
  EXPECT_THAT(split->ids, ElementsAre("a", "b", "c", "d", "e", "f"));
  EXPECT_THAT(split->company, ElementsAre(true, true, false, false, true, false));
  EXPECT_EQ(split->before.pair_count(), 2u);
  EXPECT_EQ(split->before_relations.size(), 3u);
  EXPECT_EQ(split->new_pairs, 2u);
  EXPECT_THAT(split->queries, ElementsAre(0, 1, 2, 3));  // a, b, c, d
  EXPECT_THAT(split->new_partners[0], ElementsAre(2));
  EXPECT_THAT(split->new_partners[1], ElementsAre(3));
  EXPECT_TRUE(split->new_partners[4].empty());
  EXPECT_EQ(split->after_repeats, 1u);
  EXPECT_EQ(split->after_unprofiled, 1u);
  EXPECT_EQ(split->before_unprofiled, 1u);
  EXPECT_EQ(split->other_kinds, 1u);

  // A later cut-off moves a-b (2018) and a-c into the past.
  absl::StatusOr<EvalSplit> later = SplitForEval(firms, relations, 2020);
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(later->before.pair_count(), 3u);
  EXPECT_EQ(later->new_pairs, 1u);
  EXPECT_THAT(later->queries, ElementsAre(1, 3));
}

TEST(QualityEvalSplitTest, RefusesBadInput) {
  const std::vector<Firm> firms = {MakeFirm("a", FirmKind::kCompany),
                                   MakeFirm("a", FirmKind::kCompany)};
  absl::StatusOr<EvalSplit> twice = SplitForEval(firms, {}, 2018);
  ASSERT_FALSE(twice.ok());
  EXPECT_THAT(std::string(twice.status().message()), HasSubstr("profiles: id \"a\""));
  absl::StatusOr<EvalSplit> year = SplitForEval({}, {}, 18);
  ASSERT_FALSE(year.ok());
  EXPECT_THAT(std::string(year.status().message()), HasSubstr("cutoff_year"));
}

TEST(QualityEvalRunTest, BaselinesOnlyRunNeedsNoStore) {
  // Firms 0..3 in a square; 0-2 partner later. Common neighbours ranks 2
  // first for 0 (shared 1 and 3) and 0 first for 2.
  std::vector<Firm> firms;
  for (const char* id : {"p0", "p1", "p2", "p3", "p4"}) {
    firms.push_back(MakeFirm(id, FirmKind::kCompany));
  }
  const std::vector<Relation> relations = {
      Partnered("p0", "p1", "2016"), Partnered("p1", "p2", "2016"), Partnered("p2", "p3", "2016"),
      Partnered("p3", "p0", "2016"), Partnered("p4", "p1", "2016"), Partnered("p0", "p2", "2018"),
  };
  EvalOptions options;
  options.cutoff_year = 2018;
  options.methods = {EvalMethod::kCommonNeighbours, EvalMethod::kPopularity};
  absl::StatusOr<EvalReport> report = RunQualityEval(firms, relations, options);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->queries, 2u);
  EXPECT_EQ(report->new_pairs, 1u);
  ASSERT_EQ(report->groups.size(), 2u);
  const MethodScores& cn = report->groups[0].methods[0];
  EXPECT_EQ(cn.method, EvalMethod::kCommonNeighbours);
  EXPECT_DOUBLE_EQ(cn.mean.reciprocal_rank, 1.0);
  // Popularity: the candidates of p0 are p2 and p4 (p1 and p3 are its
  // partners), and p2 (2 partners) beats p4 (1); the same holds for p2.
  EXPECT_DOUBLE_EQ(report->groups[0].methods[1].mean.reciprocal_rank, 1.0);
  EXPECT_EQ(report->groups[1].queries, 2u);  // all companies
  options.cutoff_year = 2019;
  absl::StatusOr<EvalReport> none = RunQualityEval(firms, relations, options);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace clustermatch
