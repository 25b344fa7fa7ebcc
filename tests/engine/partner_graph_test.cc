// The pieces of the learned partner ranking, each on a graph small enough to
// work out by hand: the partner graph, the relational embedding and the
// logistic blend.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "engine/partner_blend.h"
#include "engine/partner_graph.h"
#include "engine/relational_embedding.h"

namespace clustermatch {
namespace {

Relation Partnered(const std::string& a, const std::string& b, const std::string& date) {
  return Relation{a, b, RelationKind::kPartnered, date, ""};
}

absl::flat_hash_map<std::string, int32_t> Nodes(int count) {
  absl::flat_hash_map<std::string, int32_t> nodes;
  for (int i = 0; i < count; ++i) nodes.emplace(absl::StrCat("f", i), i);
  return nodes;
}

TEST(PartnerGraphTest, CountsRepeatsKeepsLatestYearAndSkipsWhatIsNotAPartnership) {
  const std::vector<Relation> relations = {
      Partnered("f0", "f1", "2015"),
      Partnered("f1", "f0", "2017-03-01"),  // a repeat, the other way round
      Partnered("f0", "f2", "2016"),
      Relation{"f0", "f3", RelationKind::kMet, "2016", ""},
      Partnered("f0", "ghost", "2016"),  // not a node
      Partnered("f2", "f2", "2016"),     // self-pair
  };
  const PartnerGraph graph = PartnerGraph::Build(relations, Nodes(4), 4);
  EXPECT_EQ(graph.pair_count(), 2u);
  EXPECT_EQ(graph.latest_year(), 2017);
  ASSERT_EQ(graph.Degree(0), 2);
  EXPECT_EQ(graph.Partners(0)[0].node, 1);
  EXPECT_EQ(graph.Partners(0)[0].count, 2);
  EXPECT_EQ(graph.Partners(0)[0].last_year, 2017);
  EXPECT_EQ(graph.Partners(0)[1].node, 2);
  EXPECT_EQ(graph.Degree(3), 0);
  EXPECT_TRUE(graph.Partnered(1, 0));
  EXPECT_FALSE(graph.Partnered(1, 2));
  EXPECT_EQ(graph.RecentDegree(0, 2017), 1);
  EXPECT_EQ(graph.RecentDegree(0, 2016), 2);

  const PartnerGraph before = PartnerGraph::Build(relations, Nodes(4), 4, 2017);
  EXPECT_EQ(before.pair_count(), 2u);
  EXPECT_EQ(before.Partners(0)[0].count, 1);
  EXPECT_EQ(before.latest_year(), 2016);
  EXPECT_EQ(PartnerGraph::Build(relations, Nodes(4), 4, 2016).pair_count(), 1u);
}

TEST(PartnerGraphTest, TwoHopGivesCommonPartnersAndAdamicAdar) {
  // f0 - f1, f0 - f2, f1 - f3, f2 - f3, f2 - f4, f2 - f5: f3 shares f1 and f2
  // with f0; f4 and f5 share only f2 (degree 4).
  const std::vector<Relation> relations = {
      Partnered("f0", "f1", "2015"), Partnered("f0", "f2", "2015"), Partnered("f1", "f3", "2015"),
      Partnered("f2", "f3", "2015"), Partnered("f2", "f4", "2015"), Partnered("f2", "f5", "2015")};
  const PartnerGraph graph = PartnerGraph::Build(relations, Nodes(6), 6);
  std::vector<float> scratch(6, 0.0f);
  TwoHopScores scores;
  graph.TwoHop(0, 2015, scratch, scores);
  EXPECT_TRUE(std::all_of(scratch.begin(), scratch.end(), [](float x) { return x == 0; }));
  ASSERT_EQ(scores.nodes.size(), 3u);  // f3, f4, f5; never f0 itself
  for (size_t i = 0; i < scores.nodes.size(); ++i) {
    const int32_t node = scores.nodes[i];
    if (node == 3) {
      EXPECT_EQ(scores.common[i], 2);
      // f1 has degree 2, f2 degree 4.
      EXPECT_NEAR(scores.adamic_adar[i], 1 / std::log(2.0) + 1 / std::log(4.0), 1e-5);
    } else {
      EXPECT_TRUE(node == 4 || node == 5);
      EXPECT_EQ(scores.common[i], 1);
      EXPECT_NEAR(scores.adamic_adar[i], 1 / std::log(4.0), 1e-5);
    }
  }
  EXPECT_EQ(RelationYear("2019-05-01"), 2019);
  EXPECT_EQ(RelationYear("19"), 0);
}

TEST(RelationalEmbeddingTest, FirmsOfOneCommunityAreNearestToEachOther) {
  // Two communities of 8 firms, each densely linked, joined by one pair;
  // firm 16 has no partners.
  std::vector<Relation> relations;
  for (int community = 0; community < 2; ++community) {
    for (int i = 0; i < 8; ++i) {
      for (int j = i + 1; j < 8; ++j) {
        if ((i + j) % 3 == 0) continue;  // not a full clique
        relations.push_back(Partnered(absl::StrCat("f", community * 8 + i),
                                      absl::StrCat("f", community * 8 + j), "2016"));
      }
    }
  }
  relations.push_back(Partnered("f0", "f8", "2016"));
  const PartnerGraph graph = PartnerGraph::Build(relations, Nodes(17), 17);
  const RelationalEmbedding embedding = RelationalEmbedding::Build(graph);
  EXPECT_EQ(embedding.dimension(), 64);
  for (int node = 0; node < 16; ++node) {
    const auto nearest = embedding.Nearest(node, 5);
    ASSERT_EQ(nearest.size(), 5u) << node;
    for (const auto& [other, cosine] : nearest) {
      EXPECT_NE(other, node);
      EXPECT_NE(other, 16);
      EXPECT_EQ(other / 8, node / 8) << "node " << node << " near " << other;
    }
  }
  EXPECT_EQ(embedding.Cosine(16, 1), 0.0f);
  EXPECT_TRUE(embedding.Nearest(16, 5).empty());
  EXPECT_GT(embedding.Cosine(1, 2), embedding.Cosine(1, 12));
}

TEST(PartnerBlendTest, LearnsTheSignalsThatSeparateThePositives) {
  std::mt19937 random(7);
  std::normal_distribution<float> noise(0, 1);
  std::vector<BlendFeatures> features;
  std::vector<uint8_t> labels;
  const int common = static_cast<int>(BlendSignal::kCommonPartners);
  const int popularity = static_cast<int>(BlendSignal::kPopularity);
  for (int i = 0; i < 4000; ++i) {
    BlendFeatures x{};
    for (float& value : x) value = noise(random);
    x[static_cast<int>(BlendSignal::kSameKind)] = 1;  // constant: no information
    const float logit = 2.0f * x[common] - 1.0f * x[popularity] - 1.0f;
    labels.push_back(std::bernoulli_distribution(1 / (1 + std::exp(-logit)))(random));
    features.push_back(x);
  }
  const BlendWeights weights = FitBlend(features, labels);
  EXPECT_EQ(weights.examples, 4000);
  EXPECT_NEAR(weights.weights[common], 2.0f, 0.3f);
  EXPECT_NEAR(weights.weights[popularity], -1.0f, 0.3f);
  EXPECT_NEAR(weights.weights[static_cast<int>(BlendSignal::kSameKind)], 0.0f, 1e-4f);
  BlendFeatures strong{}, weak{};
  strong[common] = 2;
  weak[common] = -2;
  EXPECT_GT(BlendScore(weights, strong), BlendScore(weights, weak));
  EXPECT_EQ(BlendSignalName(BlendSignal::kAdamicAdar), "adamic_adar");
}

}  // namespace
}  // namespace clustermatch
