// FormSigs (engine/sig_grouping.h) on randomised instances with planted
// topic clusters, and DistinctiveTerms (engine/group_terms.h) for labels.
#include "engine/sig_grouping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/group_terms.h"

namespace clustermatch {
namespace {

using ::testing::HasSubstr;

struct Planted {
  SigProblem problem;
  std::vector<int> topic;  // planted topic per firm, -1 = zero vector
};

// `topics` clusters of `per_topic` firms around random unit centres in
// dimension `d`, with Gaussian noise; mini-clusters drawn at random from
// `mini_clusters` names (some unknown); `conflicts` random never_together pairs.
Planted MakePlanted(uint64_t seed, int topics, int per_topic, int d, double noise,
                    int mini_clusters, int conflicts) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> gauss(0.0, 1.0);
  auto unit = [&](std::vector<double> v) {
    double norm = 0;
    for (double x : v) norm += x * x;
    norm = std::sqrt(norm);
    for (double& x : v) x /= norm;
    return v;
  };
  std::vector<std::vector<double>> centres;
  for (int t = 0; t < topics; ++t) {
    std::vector<double> c(d);
    for (double& x : c) x = gauss(rng);
    centres.push_back(unit(c));
  }
  Planted out;
  out.problem.dimension = d;
  const int n = topics * per_topic;
  for (int i = 0; i < n; ++i) {
    const int t = i % topics;  // interleaved so indexes do not reveal topics
    std::vector<double> v = centres[t];
    for (double& x : v) x += noise * gauss(rng);
    v = unit(v);
    for (double x : v) out.problem.vectors.push_back(static_cast<float>(x));
    out.topic.push_back(t);
    const int mc = static_cast<int>(rng() % (mini_clusters + 1));
    out.problem.mini_clusters.push_back(mc == mini_clusters ? "" : "mc" + std::to_string(mc));
  }
  for (int k = 0; k < conflicts; ++k) {
    const int a = static_cast<int>(rng() % n), b = static_cast<int>(rng() % n);
    if (a != b) out.problem.never_together.emplace_back(a, b);
  }
  out.problem.seed = seed;
  return out;
}

double CohesionOf(const SigProblem& p, const std::vector<int>& members) {
  double total = 0;
  int pairs = 0;
  for (size_t a = 0; a < members.size(); ++a) {
    for (size_t b = a + 1; b < members.size(); ++b) {
      double dot = 0, na = 0, nb = 0;
      for (int c = 0; c < p.dimension; ++c) {
        const double x = p.vectors[members[a] * p.dimension + c];
        const double y = p.vectors[members[b] * p.dimension + c];
        dot += x * y;
        na += x * x;
        nb += y * y;
      }
      total += dot / std::sqrt(na * nb);
      ++pairs;
    }
  }
  return pairs > 0 ? total / pairs : 0;
}

// Every hard rule of sig_grouping.h, plus the orderings and reported scores.
void ExpectHardRules(const SigProblem& p, const SigResult& r) {
  const int n = static_cast<int>(p.mini_clusters.size());
  std::vector<int> seen(n, 0);
  std::vector<int> group_of(n, -1);
  double weighted = 0;
  int placed = 0;
  for (size_t g = 0; g < r.groups.size(); ++g) {
    const SigGroup& group = r.groups[g];
    const int k = static_cast<int>(group.members.size());
    EXPECT_GE(k, p.min_size);
    EXPECT_LE(k, p.max_size);
    EXPECT_TRUE(std::is_sorted(group.members.begin(), group.members.end()));
    std::set<std::string> spanned;
    for (int i : group.members) {
      ASSERT_GE(i, 0);
      ASSERT_LT(i, n);
      ++seen[i];
      group_of[i] = static_cast<int>(g);
      if (!p.mini_clusters[i].empty()) spanned.insert(p.mini_clusters[i]);
    }
    if (p.convergence >= 2) {
      EXPECT_GE(static_cast<int>(spanned.size()), p.convergence);
    }
    EXPECT_NEAR(group.cohesion, CohesionOf(p, group.members), 1e-4);
    if (g > 0) {
      EXPECT_GE(r.groups[g - 1].cohesion, group.cohesion);
    }
    weighted += group.cohesion * k;
    placed += k;
  }
  for (size_t u = 0; u < r.unplaced.size(); ++u) {
    const UnplacedFirm& firm = r.unplaced[u];
    ASSERT_GE(firm.index, 0);
    ASSERT_LT(firm.index, n);
    ++seen[firm.index];
    EXPECT_FALSE(firm.reason.empty());
    if (u > 0) {
      EXPECT_LT(r.unplaced[u - 1].index, firm.index);
    }
  }
  for (int i = 0; i < n; ++i) EXPECT_EQ(seen[i], 1) << "firm " << i;
  for (const auto& [a, b] : p.never_together) {
    if (group_of[a] >= 0) {
      EXPECT_NE(group_of[a], group_of[b]) << a << " and " << b;
    }
  }
  EXPECT_NEAR(r.mean_cohesion, placed > 0 ? weighted / placed : 0, 1e-9);
}

// Member-weighted mean cohesion of a random partition of the same firms
// into groups of the same sizes.
double RandomPartitionCohesion(const SigProblem& p, const SigResult& r, uint64_t seed) {
  std::vector<int> firms;
  for (const SigGroup& g : r.groups) firms.insert(firms.end(), g.members.begin(), g.members.end());
  std::mt19937_64 rng(seed);
  std::shuffle(firms.begin(), firms.end(), rng);
  double weighted = 0;
  size_t next = 0;
  for (const SigGroup& g : r.groups) {
    std::vector<int> members(firms.begin() + next, firms.begin() + next + g.members.size());
    next += g.members.size();
    weighted += CohesionOf(p, members) * members.size();
  }
  return weighted / firms.size();
}

// Share of placed firms that sit with the planted majority of their group.
double Purity(const Planted& planted, const SigResult& r) {
  int agree = 0, placed = 0;
  for (const SigGroup& g : r.groups) {
    std::map<int, int> counts;
    for (int i : g.members) ++counts[planted.topic[i]];
    int best = 0;
    for (const auto& [topic, count] : counts) best = std::max(best, count);
    agree += best;
    placed += static_cast<int>(g.members.size());
  }
  return placed > 0 ? static_cast<double>(agree) / placed : 0;
}

TEST(SigGroupingTest, HardRulesHoldOnRandomInstances) {
  for (uint64_t seed = 1; seed <= 12; ++seed) {
    Planted planted =
        MakePlanted(seed, 5 + seed % 4, 7 + seed % 5, 16, 0.35, 4, static_cast<int>(seed * 7));
    SigProblem& p = planted.problem;
    p.min_size = 3 + seed % 3;
    p.max_size = p.min_size + seed % 6;
    p.convergence = static_cast<int>(seed % 4);
    // A few firms without topic text.
    for (int i = 0; i < 3; ++i) {
      std::fill_n(p.vectors.begin() + (seed * 5 + i * 11) % planted.topic.size() * 16, 16, 0.0f);
    }
    auto result = FormSigs(p);
    ASSERT_TRUE(result.ok()) << result.status();
    SCOPED_TRACE(testing::Message() << "seed " << seed);
    ExpectHardRules(p, *result);
    EXPECT_FALSE(result->groups.empty());
  }
}

TEST(SigGroupingTest, FixedGroupCountIsRespectedAndOverflowReported) {
  Planted planted = MakePlanted(3, 4, 10, 16, 0.3, 3, 0);
  SigProblem& p = planted.problem;
  p.min_size = 4;
  p.max_size = 6;
  p.groups = 5;  // 5 x 6 = 30 seats for 40 firms
  auto result = FormSigs(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectHardRules(p, *result);
  EXPECT_EQ(result->groups.size(), 5u);
  ASSERT_EQ(result->unplaced.size(), 10u);
  EXPECT_EQ(result->unplaced[0].reason, "all 5 groups are full (at most 6 firms each)");
}

TEST(SigGroupingTest, RecoversPlantedClustersAndBeatsRandomPartition) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    SCOPED_TRACE(testing::Message() << "seed " << seed);
    Planted planted = MakePlanted(seed, 6, 8, 16, 0.25, 4, 0);
    SigProblem& p = planted.problem;
    p.min_size = 6;
    p.max_size = 10;
    auto result = FormSigs(p);
    ASSERT_TRUE(result.ok()) << result.status();
    ExpectHardRules(p, *result);
    EXPECT_TRUE(result->unplaced.empty());
    EXPECT_GE(Purity(planted, *result), 0.9);
    EXPECT_GT(result->mean_cohesion, RandomPartitionCohesion(p, *result, seed) + 0.3);
    // The planted partition (8 firms per topic) is valid here: the result
    // should be about as cohesive.
    std::vector<std::vector<int>> planted_groups(6);
    for (size_t i = 0; i < planted.topic.size(); ++i) {
      planted_groups[planted.topic[i]].push_back(static_cast<int>(i));
    }
    double planted_cohesion = 0;
    for (const auto& g : planted_groups) planted_cohesion += CohesionOf(p, g) / 6;
    EXPECT_GE(result->mean_cohesion, planted_cohesion - 0.01);
  }
}

TEST(SigGroupingTest, ConvergenceIsMetWhenPossible) {
  for (int k : {2, 3}) {
    for (uint64_t seed = 1; seed <= 4; ++seed) {
      SCOPED_TRACE(testing::Message() << "K " << k << " seed " << seed);
      Planted planted = MakePlanted(seed, 5, 8, 16, 0.3, 4, 10);
      SigProblem& p = planted.problem;
      // Mini-clusters follow topics (the hard case): topic t is mostly in mc t % 4.
      for (size_t i = 0; i < planted.topic.size(); ++i) {
        if (i % 5 != 0) p.mini_clusters[i] = "mc" + std::to_string(planted.topic[i] % 4);
      }
      p.min_size = 4;
      p.max_size = 8;
      p.convergence = k;
      auto result = FormSigs(p);
      ASSERT_TRUE(result.ok()) << result.status();
      ExpectHardRules(p, *result);
      EXPECT_LE(result->unplaced.size(), 3u);
    }
  }
}

TEST(SigGroupingTest, ConvergenceImpossibleReportsEveryFirm) {
  Planted planted = MakePlanted(7, 3, 6, 16, 0.3, 1, 0);
  SigProblem& p = planted.problem;
  for (std::string& mc : p.mini_clusters) mc = "ICT";
  p.mini_clusters[0] = "";
  p.convergence = 2;
  auto result = FormSigs(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectHardRules(p, *result);
  EXPECT_TRUE(result->groups.empty());
  ASSERT_EQ(result->unplaced.size(), 18u);
  EXPECT_EQ(result->unplaced[0].reason,
            "the firms span only 1 mini-cluster but every group must span 2");
}

TEST(SigGroupingTest, ConvergenceLimitsTheNumberOfGroups) {
  // 30 firms in mc "A", 3 in "B": at most 3 groups can span 2 mini-clusters.
  Planted planted = MakePlanted(9, 3, 11, 16, 0.3, 1, 0);
  SigProblem& p = planted.problem;
  for (size_t i = 0; i < p.mini_clusters.size(); ++i) p.mini_clusters[i] = i < 3 ? "B" : "A";
  p.min_size = 3;
  p.max_size = 5;
  p.convergence = 2;
  auto result = FormSigs(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectHardRules(p, *result);
  EXPECT_EQ(result->groups.size(), 3u);
  ASSERT_EQ(result->unplaced.size(), 18u);
  EXPECT_EQ(result->unplaced[0].reason,
            "only 3 groups can span 2 mini-clusters and all are full (at most 5 firms each)");
}

TEST(SigGroupingTest, ZeroVectorFirmsAreReportedUnplaced) {
  Planted planted = MakePlanted(5, 3, 6, 16, 0.3, 2, 0);
  SigProblem& p = planted.problem;
  for (int i : {2, 9}) std::fill_n(p.vectors.begin() + i * 16, 16, 0.0f);
  auto result = FormSigs(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectHardRules(p, *result);
  ASSERT_EQ(result->unplaced.size(), 2u);
  EXPECT_EQ(result->unplaced[0].index, 2);
  EXPECT_EQ(result->unplaced[1].index, 9);
  EXPECT_EQ(result->unplaced[0].reason, "no topic text in its profile");
}

TEST(SigGroupingTest, TooFewFirmsAreAllUnplaced) {
  Planted planted = MakePlanted(2, 1, 4, 16, 0.3, 2, 0);
  SigProblem& p = planted.problem;
  p.min_size = 5;
  p.max_size = 8;
  auto result = FormSigs(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectHardRules(p, *result);
  EXPECT_TRUE(result->groups.empty());
  ASSERT_EQ(result->unplaced.size(), 4u);
  EXPECT_EQ(result->unplaced[3].reason,
            "4 firms with topic text cannot form a group of at least 5");

  SigProblem empty;
  auto none = FormSigs(empty);
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_TRUE(none->groups.empty());
  EXPECT_TRUE(none->unplaced.empty());
}

TEST(SigGroupingTest, LeftoverThatCannotFormAGroupIsReported) {
  // 9 firms, sizes [5, 6]: one group of 6 at most, 3 firms left.
  Planted planted = MakePlanted(4, 1, 9, 16, 0.3, 2, 0);
  SigProblem& p = planted.problem;
  p.min_size = 5;
  p.max_size = 6;
  auto result = FormSigs(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectHardRules(p, *result);
  ASSERT_EQ(result->groups.size(), 1u);
  ASSERT_EQ(result->unplaced.size(), 3u);
  EXPECT_EQ(result->unplaced[0].reason, "3 firms left cannot form a group of at least 5");
}

TEST(SigGroupingTest, ConflictWithEveryGroupIsReported) {
  // Firm 0 may not meet anyone: it cannot join a group.
  Planted planted = MakePlanted(6, 2, 6, 16, 0.3, 2, 0);
  SigProblem& p = planted.problem;
  p.min_size = 3;
  p.max_size = 8;
  for (int other = 1; other < 12; ++other) p.never_together.emplace_back(0, other);
  auto result = FormSigs(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectHardRules(p, *result);
  ASSERT_EQ(result->unplaced.size(), 1u);
  EXPECT_EQ(result->unplaced[0].index, 0);
  EXPECT_EQ(result->unplaced[0].reason,
            "conflicts (do-not-match) with a member of every group that has room");
}

TEST(SigGroupingTest, SameSeedGivesIdenticalResult) {
  Planted planted = MakePlanted(11, 7, 9, 16, 0.4, 4, 20);
  SigProblem& p = planted.problem;
  p.min_size = 4;
  p.max_size = 9;
  p.convergence = 2;
  auto first = FormSigs(p);
  auto second = FormSigs(p);
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_EQ(first->groups.size(), second->groups.size());
  for (size_t g = 0; g < first->groups.size(); ++g) {
    EXPECT_EQ(first->groups[g].members, second->groups[g].members);
    EXPECT_EQ(first->groups[g].cohesion, second->groups[g].cohesion);
  }
  ASSERT_EQ(first->unplaced.size(), second->unplaced.size());
  EXPECT_EQ(first->mean_cohesion, second->mean_cohesion);
}

TEST(SigGroupingTest, LargeInstanceKeepsEveryRule) {
  Planted planted = MakePlanted(21, 150, 13, 256, 0.08, 4, 400);
  SigProblem& p = planted.problem;
  p.min_size = 5;
  p.max_size = 12;
  p.convergence = 2;
  auto result = FormSigs(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectHardRules(p, *result);
  EXPECT_LE(result->unplaced.size(), 5u);
  EXPECT_GT(result->mean_cohesion, RandomPartitionCohesion(p, *result, 1) + 0.2);
}

TEST(SigGroupingTest, LabelsComeFromFirmTerms) {
  Planted planted = MakePlanted(8, 2, 6, 16, 0.2, 2, 0);
  SigProblem& p = planted.problem;
  p.min_size = 5;
  p.max_size = 7;
  for (size_t i = 0; i < planted.topic.size(); ++i) {
    p.firm_terms.push_back({"Software", planted.topic[i] == 0 ? "VR Content" : "CNC machining"});
  }
  auto result = FormSigs(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->groups.size(), 2u);
  for (const SigGroup& g : result->groups) {
    ASSERT_FALSE(g.label.empty());
    EXPECT_EQ(g.label[0], planted.topic[g.members[0]] == 0 ? "VR Content" : "CNC machining");
  }
}

TEST(SigGroupingTest, InvalidInputNamesTheField) {
  auto message = [](const SigProblem& p) {
    auto result = FormSigs(p);
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(result.status().message());
  };
  SigProblem base;
  base.dimension = 2;
  base.vectors = {1, 0, 0, 1, 1, 0};
  base.mini_clusters = {"a", "b", "c"};
  base.min_size = 2;
  base.max_size = 3;
  ASSERT_TRUE(FormSigs(base).ok());

  SigProblem p = base;
  p.vectors.push_back(1);
  EXPECT_THAT(message(p), HasSubstr("vectors"));
  p = base;
  p.mini_clusters.pop_back();
  EXPECT_THAT(message(p), HasSubstr("mini_clusters"));
  p = base;
  p.dimension = 0;
  EXPECT_THAT(message(p), HasSubstr("dimension"));
  p = base;
  p.min_size = 1;
  EXPECT_THAT(message(p), HasSubstr("min_size"));
  p = base;
  p.max_size = 1;
  EXPECT_THAT(message(p), HasSubstr("max_size"));
  p = base;
  p.never_together = {{0, 3}};
  EXPECT_THAT(message(p), HasSubstr("never_together"));
  p = base;
  p.vectors[1] = std::nanf("");
  EXPECT_THAT(message(p), HasSubstr("vectors"));
  p = base;
  p.convergence = -1;
  EXPECT_THAT(message(p), HasSubstr("convergence"));
  p = base;
  p.groups = -2;
  EXPECT_THAT(message(p), HasSubstr("groups"));
  p = base;
  p.firm_terms = {{"x"}};
  EXPECT_THAT(message(p), HasSubstr("firm_terms"));
}

TEST(GroupTermsTest, DistinctiveTermsPreferSharedRareTermOverUniversalOne) {
  // Everyone has "software"; firms 0-3 share "immersive VR"; firm 4 alone
  // has "drones".
  std::vector<std::vector<std::string>> terms(10, std::vector<std::string>{"Software"});
  for (int i : {0, 1, 2}) terms[i].push_back("Immersive VR");
  terms[3].push_back("ＩＭＭＥＲＳＩＶＥ vr ");  // full-width, different case
  terms[4].push_back("drones");
  terms[5].push_back("robots");
  const std::vector<int> group = {0, 1, 2, 3, 4};
  const std::vector<std::string> top = DistinctiveTerms(terms, group, 3);
  ASSERT_EQ(top.size(), 2u);  // "drones" is held by one member only
  EXPECT_EQ(top[0], "Immersive VR");
  EXPECT_EQ(top[1], "Software");
}

TEST(GroupTermsTest, TermsCountOncePerFirmAndTiesGoByTerm) {
  std::vector<std::vector<std::string>> terms = {
      {"beta", "beta", "Alpha"}, {"alpha", "BETA"}, {"gamma"}, {"delta"}};
  const std::vector<int> pair = {0, 1};
  // Both terms: count 2, df 2 -> tie broken by the normalised term.
  EXPECT_THAT(DistinctiveTerms(terms, pair, 5), testing::ElementsAre("Alpha", "BETA"));
  // Two-member groups keep terms held by one member.
  const std::vector<int> two = {2, 3};
  EXPECT_THAT(DistinctiveTerms(terms, two, 1), testing::ElementsAre("delta"));
  EXPECT_TRUE(DistinctiveTerms(terms, pair, 0).empty());
}

}  // namespace
}  // namespace clustermatch
