// SelectTeam (engine/team_selection.h) against references: hard rules and
// quotas on randomised instances against brute-force feasibility, the
// (1 - 1/e) greedy bound on coverage-only instances and the exact mode
// against brute force. The behaviour cases are in
// team_selection_cases_test.cc.
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
using team_test::ExpectHardRules;
using team_test::Feasible;
using team_test::RandomProblem;
using team_test::ReferenceCoverage;
using team_test::ReferenceObjective;
using team_test::Rng;
using team_test::Shape;
using team_test::Solve;

TEST(TeamSelectionTest, HardRulesAndQuotasHoldOnRandomInstances) {
  int feasible_seen = 0, infeasible_seen = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    Shape shape;
    shape.n = 6 + static_cast<int>(seed % 7);
    TeamProblem p = RandomProblem(seed, shape);
    const BruteForce truth = Solve(p);
    (truth.feasible ? feasible_seen : infeasible_seen)++;
    for (int64_t limit : {int64_t{100000}, int64_t{0}}) {
      p.exact_limit = limit;
      const std::string label = absl::StrCat("seed ", seed, " exact_limit ", limit);
      auto result = SelectTeam(p);
      ASSERT_TRUE(result.ok()) << label << ": " << result.status();
      ExpectHardRules(p, *result, label);
      if (truth.feasible) {
        EXPECT_TRUE(Feasible(p, result->members)) << label;
        EXPECT_TRUE(result->unmet.empty()) << label << ": " << result->unmet.front();
        if (limit > 0) {
          EXPECT_TRUE(result->exact) << label;
        }
      } else {
        EXPECT_FALSE(result->unmet.empty()) << label;
        EXPECT_FALSE(result->exact) << label;
      }
      if (limit == 0) {
        EXPECT_FALSE(result->exact) << label;
      }
    }
  }
  // The generator must exercise both outcomes.
  EXPECT_GT(feasible_seen, 20);
  EXPECT_GT(infeasible_seen, 0);
}

TEST(TeamSelectionTest, GreedyMeetsQuotasUnderDenseForbiddenPairs) {
  // Tight instances: many forbidden pairs, larger quotas. Whenever brute force
  // finds a feasible team, greedy must return one too.
  int feasible_seen = 0, infeasible_seen = 0;
  for (uint64_t seed = 1000; seed <= 1080; ++seed) {
    Shape shape;
    shape.n = 13;
    shape.requirements = 4;
    TeamProblem p = RandomProblem(seed, shape);
    Rng rng(seed ^ 0xabcdef);
    for (int k = 0; k < 25; ++k) {
      const int a = rng.Below(shape.n), b = rng.Below(shape.n);
      if (a == b || (p.candidates[a].required && p.candidates[b].required)) continue;
      p.forbidden.emplace_back(a, b);
    }
    for (auto& c : p.candidates) c.research = c.research || rng.Chance(15);
    p.min_research = 1 + rng.Below(3);
    p.min_mini_clusters = 2 + rng.Below(3);
    p.max_size = std::max(p.max_size, 4 + rng.Below(3));
    p.min_size = std::min(p.max_size, 3 + rng.Below(3));
    p.exact_limit = 0;
    const BruteForce truth = Solve(p);
    (truth.feasible ? feasible_seen : infeasible_seen)++;
    const std::string label = absl::StrCat("seed ", seed);
    auto result = SelectTeam(p);
    ASSERT_TRUE(result.ok()) << label << ": " << result.status();
    ExpectHardRules(p, *result, label);
    EXPECT_EQ(Feasible(p, result->members), truth.feasible) << label;
    EXPECT_EQ(result->unmet.empty(), truth.feasible) << label;
  }
  EXPECT_GT(feasible_seen, 20);
  EXPECT_GT(infeasible_seen, 5);
}

TEST(TeamSelectionTest, GreedyCoverageIsWithinOneMinusOneOverEOfOptimum) {
  const double bound = 1.0 - std::exp(-1.0);
  double worst_ratio = 1.0;
  for (uint64_t seed = 1; seed <= 80; ++seed) {
    Shape shape;
    shape.n = 8 + static_cast<int>(seed % 5);
    shape.requirements = 4 + static_cast<int>(seed % 6);
    shape.side_terms = false;
    shape.constraints = false;
    TeamProblem p = RandomProblem(seed * 7919, shape);
    const int k = 2 + static_cast<int>(seed % 3);
    p.min_size = p.max_size = k;
    p.exact_limit = 0;  // greedy
    const BruteForce truth = Solve(p);
    ASSERT_TRUE(truth.feasible);
    auto result = SelectTeam(p);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(result->exact);
    EXPECT_EQ(static_cast<int>(result->members.size()), k);
    EXPECT_NEAR(result->coverage, ReferenceCoverage(p, result->members), 1e-9);
    EXPECT_GE(result->coverage, bound * truth.best_coverage - 1e-9) << "seed " << seed;
    if (truth.best_coverage > 0) {
      worst_ratio = std::min(worst_ratio, result->coverage / truth.best_coverage);
    }
  }
  EXPECT_GE(worst_ratio, bound);
}

TEST(TeamSelectionTest, ExactModeEqualsBruteForce) {
  int compared = 0;
  for (uint64_t seed = 100; seed <= 160; ++seed) {
    Shape shape;
    shape.n = 7 + static_cast<int>(seed % 6);
    TeamProblem p = RandomProblem(seed, shape);
    const BruteForce truth = Solve(p);
    auto result = SelectTeam(p);
    ASSERT_TRUE(result.ok()) << result.status();
    if (!truth.feasible) continue;
    ++compared;
    EXPECT_TRUE(result->exact) << "seed " << seed;
    EXPECT_NEAR(result->objective, truth.best_objective, 1e-9) << "seed " << seed;
    EXPECT_NEAR(result->objective, ReferenceObjective(p, result->members), 1e-9);
    EXPECT_NEAR(TeamObjective(p, result->members), result->objective, 1e-12);
  }
  EXPECT_GT(compared, 20);
}

TEST(TeamSelectionTest, GreedyIsNeverBetterThanExact) {
  for (uint64_t seed = 200; seed <= 240; ++seed) {
    Shape shape;
    shape.n = 9;
    TeamProblem p = RandomProblem(seed, shape);
    auto exact = SelectTeam(p);
    p.exact_limit = 0;
    auto greedy = SelectTeam(p);
    ASSERT_TRUE(exact.ok() && greedy.ok());
    if (!exact->exact) continue;
    EXPECT_LE(greedy->objective, exact->objective + 1e-9) << "seed " << seed;
  }
}

}  // namespace
}  // namespace clustermatch
