// SelectTeam (engine/team_selection.h): hard rules and quotas on randomised
// instances against brute-force feasibility, the (1 - 1/e) greedy bound on
// coverage-only instances, the exact mode against brute force, the coverage
// report, redundancy, determinism and input checks.
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

namespace clustermatch {
namespace {

using ::testing::HasSubstr;

// A small portable PRNG so that instances do not depend on the library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9e3779b97f4a7c15ULL + 7) {}
  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    uint64_t x = state_;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  float Unit() { return static_cast<float>(Next() >> 40) / static_cast<float>(1 << 24); }
  bool Chance(int percent) { return Below(100) < percent; }

 private:
  uint64_t state_;
};

TeamCandidate Cand(std::string id, std::vector<float> coverage, float relevance,
                   bool research = false, std::string mini_cluster = "", bool required = false) {
  TeamCandidate c;
  c.id = std::move(id);
  c.coverage = std::move(coverage);
  c.relevance = relevance;
  c.research = research;
  c.mini_cluster = std::move(mini_cluster);
  c.required = required;
  return c;
}

struct Shape {
  int n = 10;
  int requirements = 5;
  bool side_terms = true;   // relevance, compatibility, similarity, partnerships
  bool constraints = true;  // required, forbidden, quotas
};

std::vector<float> SymmetricMatrix(Rng& rng, int n) {
  std::vector<float> m(n * n, 0.0f);
  for (int i = 0; i < n; ++i) {
    m[i * n + i] = 1.0f;
    for (int j = i + 1; j < n; ++j) m[i * n + j] = m[j * n + i] = rng.Unit();
  }
  return m;
}

TeamProblem RandomProblem(uint64_t seed, const Shape& shape) {
  Rng rng(seed);
  TeamProblem p;
  const int n = shape.n;
  for (int r = 0; r < shape.requirements; ++r) p.weights.push_back(0.2f + 2 * rng.Unit());
  const char* minis[] = {"", "vr", "mobility", "energy", "bio"};
  for (int i = 0; i < n; ++i) {
    TeamCandidate c;
    c.id = absl::StrCat("firm", i);
    for (int r = 0; r < shape.requirements; ++r) {
      c.coverage.push_back(rng.Chance(45) ? rng.Unit() : 0.0f);
    }
    c.relevance = rng.Unit();
    c.research = rng.Chance(25);
    c.mini_cluster = minis[rng.Below(5)];
    p.candidates.push_back(c);
  }
  if (shape.side_terms) {
    p.relevance_weight = 0.3f * rng.Unit();
    p.compatibility = SymmetricMatrix(rng, n);
    p.compatibility_weight = 0.3f * rng.Unit();
    p.similarity = SymmetricMatrix(rng, n);
    p.redundancy_weight = 0.3f * rng.Unit();
    for (int k = 0; k < n / 3; ++k) {
      const int a = rng.Below(n), b = rng.Below(n);
      if (a != b) p.partnerships.emplace_back(a, b);
    }
  } else {
    p.relevance_weight = 0;
  }
  p.max_size = 2 + rng.Below(4);
  p.min_size = 1 + rng.Below(p.max_size);
  if (shape.constraints) {
    const int required = rng.Below(3);
    for (int k = 0; k < required; ++k) p.candidates[rng.Below(n)].required = true;
    for (int k = 0; k < n; ++k) {
      const int a = rng.Below(n), b = rng.Below(n);
      if (a == b || (p.candidates[a].required && p.candidates[b].required)) continue;
      p.forbidden.emplace_back(a, b);
    }
    p.min_research = rng.Below(3);
    p.min_mini_clusters = rng.Below(4);
    int required_count = 0;
    for (const auto& c : p.candidates) required_count += c.required ? 1 : 0;
    p.max_size = std::max(p.max_size, required_count);
  }
  p.covered_threshold = 0.3f + 0.4f * rng.Unit();
  return p;
}

// The objective written out again, independently of the engine.
double ReferenceObjective(const TeamProblem& p, const std::vector<int>& team) {
  const int n = static_cast<int>(p.candidates.size());
  const double k = static_cast<double>(team.size());
  if (team.empty()) return 0;
  double weighted = 0, total = 0;
  for (size_t r = 0; r < p.weights.size(); ++r) {
    double best = 0;
    for (int m : team) best = std::max(best, static_cast<double>(p.candidates[m].coverage[r]));
    weighted += p.weights[r] * best;
    total += p.weights[r];
  }
  double f = total > 0 ? weighted / total : 0;
  double relevance = 0;
  for (int m : team) relevance += p.candidates[m].relevance;
  f += p.relevance_weight * relevance / k;
  if (team.size() < 2) return f;
  double pairs = 0;
  for (size_t a = 0; a < team.size(); ++a) {
    for (size_t b = a + 1; b < team.size(); ++b) {
      const int i = team[a], j = team[b];
      double s = p.compatibility.empty() ? 0 : p.compatibility[i * n + j];
      for (const auto& [x, y] : p.partnerships) {
        if ((x == i && y == j) || (x == j && y == i)) {
          s += p.partnership_bonus;
          break;
        }
      }
      pairs += std::min(1.0, s);
    }
  }
  f += p.compatibility_weight * pairs / (k * (k - 1) / 2);
  if (!p.similarity.empty()) {
    double redundancy = 0;
    for (int a : team) {
      double most = 0;
      for (int b : team) {
        if (a != b) most = std::max(most, static_cast<double>(p.similarity[a * n + b]));
      }
      redundancy += most;
    }
    f -= p.redundancy_weight * redundancy / k;
  }
  return f;
}

double ReferenceCoverage(const TeamProblem& p, const std::vector<int>& team) {
  double weighted = 0, total = 0;
  for (size_t r = 0; r < p.weights.size(); ++r) {
    double best = 0;
    for (int m : team) best = std::max(best, static_cast<double>(p.candidates[m].coverage[r]));
    weighted += p.weights[r] * best;
    total += p.weights[r];
  }
  return total > 0 ? weighted / total : 0;
}

// Hard rules that hold for every team returned: distinct valid members,
// required present, no forbidden pair, at most max_size.
void ExpectHardRules(const TeamProblem& p, const TeamResult& result, const std::string& label) {
  const int n = static_cast<int>(p.candidates.size());
  std::set<int> team(result.members.begin(), result.members.end());
  EXPECT_EQ(team.size(), result.members.size()) << label;
  EXPECT_LE(static_cast<int>(result.members.size()), p.max_size) << label;
  for (int m : result.members) {
    EXPECT_GE(m, 0) << label;
    EXPECT_LT(m, n) << label;
  }
  for (int i = 0; i < n; ++i) {
    if (p.candidates[i].required) {
      EXPECT_TRUE(team.count(i)) << label << " required " << i;
    }
  }
  for (const auto& [a, b] : p.forbidden) {
    EXPECT_FALSE(team.count(a) && team.count(b)) << label << " forbidden " << a << "," << b;
  }
  EXPECT_EQ(result.marginal_gain.size(), result.members.size()) << label;
  EXPECT_EQ(result.reasons.size(), result.members.size()) << label;
}

struct Counts {
  int research = 0;
  int minis = 0;
};

Counts Count(const TeamProblem& p, const std::vector<int>& team) {
  Counts c;
  std::set<std::string> minis;
  for (int m : team) {
    c.research += p.candidates[m].research ? 1 : 0;
    if (!p.candidates[m].mini_cluster.empty()) minis.insert(p.candidates[m].mini_cluster);
  }
  c.minis = static_cast<int>(minis.size());
  return c;
}

bool Feasible(const TeamProblem& p, const std::vector<int>& team) {
  std::set<int> in(team.begin(), team.end());
  const int size = static_cast<int>(team.size());
  if (size < p.min_size || size > p.max_size) return false;
  for (size_t i = 0; i < p.candidates.size(); ++i) {
    if (p.candidates[i].required && !in.count(static_cast<int>(i))) return false;
  }
  for (const auto& [a, b] : p.forbidden) {
    if (in.count(a) && in.count(b)) return false;
  }
  const Counts c = Count(p, team);
  return c.research >= p.min_research && c.minis >= p.min_mini_clusters;
}

struct BruteForce {
  bool feasible = false;
  double best_objective = -1e300;
  double best_coverage = 0;  // coverage of the best-objective team
};

// Every subset of the candidates (n <= 14).
BruteForce Solve(const TeamProblem& p) {
  const int n = static_cast<int>(p.candidates.size());
  BruteForce out;
  std::vector<int> team;
  for (uint32_t mask = 0; mask < (1u << n); ++mask) {
    team.clear();
    for (int i = 0; i < n; ++i) {
      if (mask & (1u << i)) team.push_back(i);
    }
    if (!Feasible(p, team)) continue;
    const double f = ReferenceObjective(p, team);
    if (!out.feasible || f > out.best_objective) {
      out.best_objective = f;
      out.best_coverage = ReferenceCoverage(p, team);
    }
    out.feasible = true;
  }
  return out;
}

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
