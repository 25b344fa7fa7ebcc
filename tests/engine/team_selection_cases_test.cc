// SelectTeam (engine/team_selection.h), case by case: the coverage report,
// redundancy, growth past the minimum, quotas when slots run out, leads and
// partnerships, determinism and input checks.
#include "engine/team_selection.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/team_selection_test_support.h"

namespace clustermatch {
namespace {

using team_test::BruteForce;
using team_test::Cand;
using team_test::ExpectHardRules;
using team_test::Feasible;
using team_test::RandomProblem;
using team_test::ReferenceCoverage;
using team_test::Rng;
using team_test::Shape;
using team_test::Solve;
using ::testing::HasSubstr;

TEST(TeamSelectionTest, UncoveredListsExactlyTheRequirementsBelowThreshold) {
  for (uint64_t seed = 300; seed <= 340; ++seed) {
    Shape shape;
    shape.n = 12;
    shape.requirements = 8;
    TeamProblem p = RandomProblem(seed, shape);
    p.exact_limit = seed % 2 == 0 ? 0 : 100000;
    auto result = SelectTeam(p);
    ASSERT_TRUE(result.ok()) << result.status();
    ASSERT_EQ(result->best_coverage.size(), p.weights.size());
    ASSERT_EQ(result->covered_by.size(), p.weights.size());
    std::vector<int> below;
    for (size_t r = 0; r < p.weights.size(); ++r) {
      float best = 0;
      for (int m : result->members) best = std::max(best, p.candidates[m].coverage[r]);
      EXPECT_EQ(result->best_coverage[r], best) << "seed " << seed << " r " << r;
      if (best < p.covered_threshold) {
        below.push_back(static_cast<int>(r));
        EXPECT_EQ(result->covered_by[r], -1);
      } else {
        const int by = result->covered_by[r];
        ASSERT_NE(by, -1);
        EXPECT_NE(std::find(result->members.begin(), result->members.end(), by),
                  result->members.end());
        EXPECT_EQ(p.candidates[by].coverage[r], best);
      }
    }
    EXPECT_EQ(result->uncovered, below) << "seed " << seed;
    EXPECT_NEAR(result->coverage, ReferenceCoverage(p, result->members), 1e-9);
  }
}

TEST(TeamSelectionTest, ReportsUncoveredRequirementWhenNobodyCoversIt) {
  TeamProblem p;
  p.weights = {1, 1, 1};
  p.requirement_names = {"VR content", "haptics", "export licence"};
  p.candidates = {Cand("a", {0.9f, 0.0f, 0.1f}, 0.5f), Cand("b", {0.0f, 0.8f, 0.2f}, 0.5f)};
  auto result = SelectTeam(p);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->uncovered, std::vector<int>{2});
  EXPECT_EQ(result->covered_by, (std::vector<int>{0, 1, -1}));
  const size_t a =
      std::find(result->members.begin(), result->members.end(), 0) - result->members.begin();
  ASSERT_LT(a, result->members.size());
  EXPECT_THAT(result->reasons[a], HasSubstr("covers VR content (0.90)"));
  EXPECT_THAT(result->reasons[1 - a], HasSubstr("best partial coverage of export licence (0.20)"));
}

// Candidate 0 is required; 1 is a near-duplicate of 0, a little better on the
// same requirement and more relevant; 2 is different and covers the other
// requirement.
TeamProblem DuplicateProblem() {
  TeamProblem p;
  p.weights = {1, 1};
  p.candidates = {Cand("lead", {0.6f, 0.0f}, 0.5f, false, "", true),
                  Cand("twin", {0.9f, 0.0f}, 1.0f), Cand("other", {0.0f, 0.25f}, 0.8f)};
  p.similarity = {1.0f,  0.95f, 0.1f,  //
                  0.95f, 1.0f,  0.1f,  //
                  0.1f,  0.1f,  1.0f};
  p.relevance_weight = 0.1f;
  p.min_size = p.max_size = 2;
  return p;
}

TEST(TeamSelectionTest, RedundancyWeightAvoidsNearDuplicates) {
  for (int64_t limit : {int64_t{0}, int64_t{100000}}) {
    TeamProblem p = DuplicateProblem();
    p.exact_limit = limit;
    auto plain = SelectTeam(p);
    ASSERT_TRUE(plain.ok());
    EXPECT_EQ(plain->members, (std::vector<int>{0, 1})) << "exact_limit " << limit;
    p.redundancy_weight = 0.2f;
    auto diverse = SelectTeam(p);
    ASSERT_TRUE(diverse.ok());
    EXPECT_EQ(diverse->members, (std::vector<int>{0, 2})) << "exact_limit " << limit;
    EXPECT_TRUE(diverse->uncovered.empty() == false);  // 0.25 < 0.5 for the second requirement
  }
}

TEST(TeamSelectionTest, RedundancyWeightSpreadsOverSubAreasOnRandomDuplicates) {
  // Each "original" has a twin that is more relevant but covers the same
  // sub-area; with the penalty the team never holds both of a pair.
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    Rng rng(seed);
    TeamProblem p;
    const int areas = 4;
    const int n = 2 * areas;
    p.weights.assign(areas, 1.0f);
    p.similarity.assign(n * n, 0.05f);
    for (int a = 0; a < areas; ++a) {
      TeamCandidate original = Cand(absl::StrCat("o", a), std::vector<float>(areas, 0.0f), 0.5f);
      original.coverage[a] = 0.55f + 0.1f * rng.Unit();
      TeamCandidate twin = Cand(absl::StrCat("t", a), original.coverage, 0.9f);
      twin.coverage[a] = original.coverage[a] + 0.02f;
      p.candidates.push_back(original);
      p.candidates.push_back(twin);
    }
    for (int i = 0; i < n; ++i) {
      p.similarity[i * n + i] = 1.0f;
      const int twin = i ^ 1;
      p.similarity[i * n + twin] = 0.97f;
    }
    p.relevance_weight = 1.0f;  // strong pull towards the twins
    p.redundancy_weight = 0.5f;
    p.min_size = p.max_size = areas;
    p.exact_limit = 0;
    auto result = SelectTeam(p);
    ASSERT_TRUE(result.ok());
    std::set<int> pairs;
    for (int m : result->members) pairs.insert(m / 2);
    EXPECT_EQ(static_cast<int>(pairs.size()), areas) << "seed " << seed;
    EXPECT_TRUE(result->uncovered.empty());
  }
}

TEST(TeamSelectionTest, GrowsPastMinSizeOnlyWhileTheGainIsPositive) {
  TeamProblem p;
  p.weights = {1, 1};
  p.relevance_weight = 0;
  p.candidates = {Cand("all", {1.0f, 1.0f}, 0.9f), Cand("half", {1.0f, 0.0f}, 0.9f)};
  p.min_size = 1;
  p.max_size = 5;
  for (int64_t limit : {int64_t{0}, int64_t{100000}}) {
    p.exact_limit = limit;
    auto result = SelectTeam(p);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->members, std::vector<int>{0});
    EXPECT_DOUBLE_EQ(result->coverage, 1.0);
  }
}

TEST(TeamSelectionTest, GreedyMeetsQuotasWhenSlotsRunOut) {
  // The research institute and the "bio" firm cover little, but the quotas
  // need them; greedy must reserve the slots.
  TeamProblem p;
  p.weights = {1, 1, 1};
  p.candidates = {Cand("a", {1.0f, 0.0f, 0.0f}, 0.9f, false, "vr"),
                  Cand("b", {0.0f, 1.0f, 0.0f}, 0.9f, false, "vr"),
                  Cand("c", {0.0f, 0.0f, 1.0f}, 0.9f, false, "vr"),
                  Cand("uni", {0.1f, 0.0f, 0.0f}, 0.2f, true, "vr"),
                  Cand("bio", {0.0f, 0.1f, 0.0f}, 0.2f, false, "bio"),
                  Cand("uni-bio", {0.0f, 0.0f, 0.05f}, 0.1f, true, "bio")};
  p.forbidden = {{5, 0}};
  p.max_size = 3;
  p.min_research = 1;
  p.min_mini_clusters = 2;
  p.exact_limit = 0;
  auto result = SelectTeam(p);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->unmet.empty());
  EXPECT_TRUE(Feasible(p, result->members));
  const BruteForce truth = Solve(p);
  EXPECT_LE(result->objective, truth.best_objective + 1e-12);
}

TEST(TeamSelectionTest, ReportsUnmetQuotasReadably) {
  TeamProblem p;
  p.weights = {1};
  p.candidates = {Cand("a", {1.0f}, 0.5f, true, "vr"), Cand("b", {0.5f}, 0.5f, false, "vr")};
  p.min_research = 2;
  p.min_mini_clusters = 2;
  for (int64_t limit : {int64_t{0}, int64_t{100000}}) {
    p.exact_limit = limit;
    auto result = SelectTeam(p);
    ASSERT_TRUE(result.ok());
    EXPECT_FALSE(result->exact);
    ASSERT_EQ(result->unmet.size(), 2u);
    EXPECT_EQ(result->unmet[0],
              "min_research: 2 wanted, only 1 candidate is a university or research institute");
    EXPECT_THAT(result->unmet[1], HasSubstr("min_mini_clusters: 2 wanted"));
    EXPECT_TRUE(std::find(result->members.begin(), result->members.end(), 0) !=
                result->members.end());
  }
}

TEST(TeamSelectionTest, RequiredLeadComesFirstWithReasons) {
  Shape shape;
  shape.n = 10;
  shape.constraints = false;
  TeamProblem p = RandomProblem(5, shape);
  p.candidates[7].required = true;
  p.max_size = 4;
  p.min_size = 3;
  for (int64_t limit : {int64_t{0}, int64_t{100000}}) {
    p.exact_limit = limit;
    auto result = SelectTeam(p);
    ASSERT_TRUE(result.ok());
    ASSERT_FALSE(result->members.empty());
    EXPECT_EQ(result->members.front(), 7);
    EXPECT_THAT(result->reasons.front(), HasSubstr("required (lead firm)"));
    // Ranking: members after the lead are in the order greedy would add them.
    double sum = 0;
    for (double g : result->marginal_gain) sum += g;
    EXPECT_NEAR(sum, result->objective, 1e-9);
  }
}

TEST(TeamSelectionTest, PartnershipsCountInFavour) {
  TeamProblem p;
  p.weights = {1};
  p.relevance_weight = 0;
  p.compatibility_weight = 0.5f;
  p.candidates = {Cand("lead", {1.0f}, 0.5f, false, "", true), Cand("x", {0.2f}, 0.5f),
                  Cand("y", {0.2f}, 0.5f)};
  p.compatibility = {1, 0.5f, 0.5f, 0.5f, 1, 0.5f, 0.5f, 0.5f, 1};
  p.min_size = p.max_size = 2;
  auto before = SelectTeam(p);
  ASSERT_TRUE(before.ok());
  EXPECT_EQ(before->members, (std::vector<int>{0, 1}));  // tie goes to the lower index
  p.partnerships = {{2, 0}};
  auto after = SelectTeam(p);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->members, (std::vector<int>{0, 2}));
}

TEST(TeamSelectionTest, DeterministicOnLargeGreedyInstances) {
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Shape shape;
    shape.n = 300;
    shape.requirements = 15;
    TeamProblem p = RandomProblem(seed, shape);
    p.max_size = 8;
    p.min_size = 3;
    p.min_research = 2;
    p.min_mini_clusters = 3;
    auto first = SelectTeam(p);
    auto second = SelectTeam(p);
    ASSERT_TRUE(first.ok() && second.ok()) << first.status();
    EXPECT_FALSE(first->exact);
    EXPECT_EQ(first->members, second->members);
    EXPECT_EQ(first->objective, second->objective);
    EXPECT_EQ(first->reasons, second->reasons);
    ExpectHardRules(p, *first, absl::StrCat("seed ", seed));
    EXPECT_TRUE(Feasible(p, first->members)) << "seed " << seed;
    EXPECT_TRUE(first->unmet.empty());
  }
}

TEST(TeamSelectionTest, InvalidArgumentNamesTheField) {
  const auto base = [] {
    TeamProblem p;
    p.weights = {1, 1};
    p.candidates = {Cand("a", {0.5f, 0.5f}, 0.5f), Cand("b", {0.5f, 0.5f}, 0.5f)};
    return p;
  };
  struct Case {
    std::string field;
    void (*mutate)(TeamProblem&);
  };
  const std::vector<Case> cases = {
      {"candidates[1].coverage", [](TeamProblem& p) { p.candidates[1].coverage.pop_back(); }},
      {"candidates[0].coverage[1]", [](TeamProblem& p) { p.candidates[0].coverage[1] = 1.5f; }},
      {"candidates[1].relevance", [](TeamProblem& p) { p.candidates[1].relevance = -1; }},
      {"weights[0]", [](TeamProblem& p) { p.weights[0] = 0; }},
      {"compatibility",
       [](TeamProblem& p) {
         p.compatibility = {1, 0, 0};
       }},
      {"compatibility",
       [](TeamProblem& p) {
         p.compatibility = {1, 0.2f, 0.3f, 1};
       }},
      {"similarity",
       [](TeamProblem& p) {
         p.similarity = {1, 0, 0, 1, 0};
       }},
      {"forbidden[0]",
       [](TeamProblem& p) {
         p.forbidden = {{0, 2}};
       }},
      {"forbidden[0]",
       [](TeamProblem& p) {
         p.forbidden = {{1, 1}};
       }},
      {"partnerships[0]",
       [](TeamProblem& p) {
         p.partnerships = {{-1, 0}};
       }},
      {"min_size", [](TeamProblem& p) { p.min_size = 6; }},
      {"max_size", [](TeamProblem& p) { p.max_size = 0; }},
      {"min_research", [](TeamProblem& p) { p.min_research = -1; }},
      {"covered_threshold", [](TeamProblem& p) { p.covered_threshold = 2; }},
      {"redundancy_weight", [](TeamProblem& p) { p.redundancy_weight = -0.1f; }},
      {"requirement_names", [](TeamProblem& p) { p.requirement_names = {"x"}; }},
      {"forbidden: required candidates 0 (a) and 1 (b)",
       [](TeamProblem& p) {
         p.candidates[0].required = p.candidates[1].required = true;
         p.forbidden = {{0, 1}};
       }},
      {"max_size is 1",
       [](TeamProblem& p) {
         p.candidates[0].required = p.candidates[1].required = true;
         p.max_size = 1;
         p.min_size = 1;
       }},
  };
  for (const Case& c : cases) {
    TeamProblem p = base();
    c.mutate(p);
    auto result = SelectTeam(p);
    ASSERT_FALSE(result.ok()) << c.field;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << c.field;
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(c.field));
  }
  EXPECT_TRUE(SelectTeam(base()).ok());
}

TEST(TeamSelectionTest, NoCandidatesGivesAnEmptyTeamWithAReason) {
  TeamProblem p;
  p.weights = {1};
  auto result = SelectTeam(p);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->members.empty());
  EXPECT_EQ(result->uncovered, std::vector<int>{0});
  ASSERT_EQ(result->unmet.size(), 1u);
  EXPECT_THAT(result->unmet[0], HasSubstr("min_size: 1 wanted, only 0 candidates"));
}

}  // namespace
}  // namespace clustermatch
