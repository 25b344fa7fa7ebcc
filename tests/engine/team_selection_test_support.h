// Helpers shared by the team-selection tests: a portable PRNG, random team
// problems, reference objective and coverage computed the slow way, the hard
// rules every team must obey, and a brute-force solver for small instances.
#ifndef CLUSTERMATCH_TESTS_ENGINE_TEAM_SELECTION_TEST_SUPPORT_H_
#define CLUSTERMATCH_TESTS_ENGINE_TEAM_SELECTION_TEST_SUPPORT_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/team_selection.h"
#include "gtest/gtest.h"

namespace clustermatch::team_test {

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

inline TeamCandidate Cand(std::string id, std::vector<float> coverage, float relevance,
                          bool research = false, std::string mini_cluster = "",
                          bool required = false) {
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

inline std::vector<float> SymmetricMatrix(Rng& rng, int n) {
  std::vector<float> m(n * n, 0.0f);
  for (int i = 0; i < n; ++i) {
    m[i * n + i] = 1.0f;
    for (int j = i + 1; j < n; ++j) m[i * n + j] = m[j * n + i] = rng.Unit();
  }
  return m;
}

inline TeamProblem RandomProblem(uint64_t seed, const Shape& shape) {
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

inline double ReferenceCoverage(const TeamProblem& p, const std::vector<int>& team) {
  double weighted = 0, total = 0;
  for (size_t r = 0; r < p.weights.size(); ++r) {
    double best = 0;
    for (int m : team) best = std::max(best, static_cast<double>(p.candidates[m].coverage[r]));
    weighted += p.weights[r] * best;
    total += p.weights[r];
  }
  return total > 0 ? weighted / total : 0;
}

// The objective written out again, independently of the engine.
inline double ReferenceObjective(const TeamProblem& p, const std::vector<int>& team) {
  const int n = static_cast<int>(p.candidates.size());
  const double k = static_cast<double>(team.size());
  if (team.empty()) return 0;
  double f = ReferenceCoverage(p, team);
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

// Hard rules that hold for every team returned: distinct valid members,
// required present, no forbidden pair, at most max_size.
inline void ExpectHardRules(const TeamProblem& p, const TeamResult& result,
                            const std::string& label) {
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

inline Counts Count(const TeamProblem& p, const std::vector<int>& team) {
  Counts c;
  std::set<std::string> minis;
  for (int m : team) {
    c.research += p.candidates[m].research ? 1 : 0;
    if (!p.candidates[m].mini_cluster.empty()) minis.insert(p.candidates[m].mini_cluster);
  }
  c.minis = static_cast<int>(minis.size());
  return c;
}

inline bool Feasible(const TeamProblem& p, const std::vector<int>& team) {
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
inline BruteForce Solve(const TeamProblem& p) {
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

}  // namespace clustermatch::team_test

#endif  // CLUSTERMATCH_TESTS_ENGINE_TEAM_SELECTION_TEST_SUPPORT_H_
