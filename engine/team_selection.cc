// Team selection entry point (see team_selection.h for the rules and the
// guarantee): input checks, the objective (TeamModel), choosing between the
// exact enumeration (team_exact.cc) and the constrained greedy
// (team_greedy.cc), and the ranked, readable result.
#include "engine/team_selection.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/status_macros.h"
#include "engine/team_internal.h"

namespace clustermatch {
namespace team_internal {

TeamModel::TeamModel(const TeamProblem& p) : p_(p), n_(static_cast<int>(p.candidates.size())) {
  for (float w : p.weights) total_weight_ += w;
  absl::flat_hash_map<std::string, int> ids;
  mini_.resize(n_, -1);
  for (int i = 0; i < n_; ++i) {
    const std::string& m = p.candidates[i].mini_cluster;
    if (m.empty()) continue;
    auto [it, inserted] = ids.try_emplace(m, static_cast<int>(ids.size()));
    mini_[i] = it->second;
  }
  mini_count_ = static_cast<int>(ids.size());
  forbidden_.resize(n_);
  for (const auto& [a, b] : p.forbidden) {
    forbidden_[a].push_back(b);
    forbidden_[b].push_back(a);
  }
  for (const auto& [a, b] : p.partnerships) partners_.insert(Key(a, b));
}

double TeamModel::PairScore(int i, int j) const {
  double s = p_.compatibility.empty() ? 0.0 : p_.compatibility[i * n_ + j];
  if (partners_.contains(Key(i, j))) s += p_.partnership_bonus;
  return std::min(1.0, s);
}

double TeamModel::Coverage(const std::vector<int>& members) const {
  if (total_weight_ <= 0 || members.empty()) return 0;
  double sum = 0;
  for (size_t r = 0; r < p_.weights.size(); ++r) {
    float best = 0;
    for (int m : members) best = std::max(best, p_.candidates[m].coverage[r]);
    sum += static_cast<double>(p_.weights[r]) * best;
  }
  return sum / total_weight_;
}

double TeamModel::Objective(const std::vector<int>& members) const {
  const size_t k = members.size();
  if (k == 0) return 0;
  double f = Coverage(members);
  if (p_.relevance_weight > 0) {
    double rel = 0;
    for (int m : members) rel += p_.candidates[m].relevance;
    f += p_.relevance_weight * rel / static_cast<double>(k);
  }
  if (k < 2) return f;
  if (p_.compatibility_weight > 0) {
    double pairs = 0;
    for (size_t a = 0; a < k; ++a) {
      for (size_t b = a + 1; b < k; ++b) pairs += PairScore(members[a], members[b]);
    }
    f += p_.compatibility_weight * pairs / (static_cast<double>(k) * (k - 1) / 2);
  }
  if (p_.redundancy_weight > 0 && !p_.similarity.empty()) {
    double redundancy = 0;
    for (size_t a = 0; a < k; ++a) {
      float most = 0;
      for (size_t b = 0; b < k; ++b) {
        if (a != b) most = std::max(most, p_.similarity[members[a] * n_ + members[b]]);
      }
      redundancy += most;
    }
    f -= p_.redundancy_weight * redundancy / static_cast<double>(k);
  }
  return f;
}

}  // namespace team_internal

namespace {

using team_internal::ExactBestTeam;
using team_internal::ExactCount;
using team_internal::Greedy;
using team_internal::TeamModel;
using team_internal::TeamState;

constexpr float kSymmetryTolerance = 1e-6f;

std::string Fixed2(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.2f", x);
  return buffer;
}

bool InUnit(float x) { return std::isfinite(x) && x >= 0.0f && x <= 1.0f; }

absl::Status Invalid(const std::string& message) { return absl::InvalidArgumentError(message); }

absl::Status CheckMatrix(const std::vector<float>& matrix, size_t n, const char* field) {
  if (matrix.empty()) return absl::OkStatus();
  if (matrix.size() != n * n) {
    return Invalid(absl::StrCat(field, " has ", matrix.size(), " entries, want ", n, " x ", n,
                                " = ", n * n, " (or none)"));
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < n; ++j) {
      const float v = matrix[i * n + j];
      if (!InUnit(v)) {
        return Invalid(absl::StrCat(field, "[", i, "][", j, "] = ", v, " is not in [0, 1]"));
      }
      if (j > i && std::fabs(v - matrix[j * n + i]) > kSymmetryTolerance) {
        return Invalid(absl::StrCat(field, " is not symmetric at [", i, "][", j, "]"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckPairs(const std::vector<std::pair<int, int>>& pairs, int n, const char* field) {
  for (size_t k = 0; k < pairs.size(); ++k) {
    const auto [a, b] = pairs[k];
    if (a < 0 || a >= n || b < 0 || b >= n) {
      return Invalid(absl::StrCat(field, "[", k, "] = (", a, ", ", b, ") is out of range for ", n,
                                  " candidates"));
    }
    if (a == b) {
      return Invalid(absl::StrCat(field, "[", k, "] pairs candidate ", a, " with itself"));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckWeight(float w, const char* field) {
  if (!std::isfinite(w) || w < 0) return Invalid(absl::StrCat(field, " = ", w, " must be >= 0"));
  return absl::OkStatus();
}

absl::Status Validate(const TeamProblem& p) {
  const size_t n = p.candidates.size();
  const size_t r = p.weights.size();
  for (size_t k = 0; k < r; ++k) {
    if (!std::isfinite(p.weights[k]) || p.weights[k] <= 0) {
      return Invalid(absl::StrCat("weights[", k, "] = ", p.weights[k], " must be > 0"));
    }
  }
  if (!p.requirement_names.empty() && p.requirement_names.size() != r) {
    return Invalid(absl::StrCat("requirement_names has ", p.requirement_names.size(),
                                " entries, weights has ", r));
  }
  int required = 0;
  for (size_t i = 0; i < n; ++i) {
    const TeamCandidate& c = p.candidates[i];
    if (c.coverage.size() != r) {
      return Invalid(absl::StrCat("candidates[", i, "].coverage has ", c.coverage.size(),
                                  " entries, weights has ", r));
    }
    for (size_t k = 0; k < r; ++k) {
      if (!InUnit(c.coverage[k])) {
        return Invalid(absl::StrCat("candidates[", i, "].coverage[", k, "] = ", c.coverage[k],
                                    " is not in [0, 1]"));
      }
    }
    if (!InUnit(c.relevance)) {
      return Invalid(
          absl::StrCat("candidates[", i, "].relevance = ", c.relevance, " is not in [0, 1]"));
    }
    if (c.required) ++required;
  }
  CM_RETURN_IF_ERROR(CheckMatrix(p.compatibility, n, "compatibility"));
  CM_RETURN_IF_ERROR(CheckMatrix(p.similarity, n, "similarity"));
  CM_RETURN_IF_ERROR(CheckWeight(p.compatibility_weight, "compatibility_weight"));
  CM_RETURN_IF_ERROR(CheckWeight(p.relevance_weight, "relevance_weight"));
  CM_RETURN_IF_ERROR(CheckWeight(p.redundancy_weight, "redundancy_weight"));
  CM_RETURN_IF_ERROR(CheckWeight(p.partnership_bonus, "partnership_bonus"));
  CM_RETURN_IF_ERROR(CheckPairs(p.forbidden, static_cast<int>(n), "forbidden"));
  CM_RETURN_IF_ERROR(CheckPairs(p.partnerships, static_cast<int>(n), "partnerships"));
  if (p.min_size < 0) return Invalid(absl::StrCat("min_size = ", p.min_size, " must be >= 0"));
  if (p.max_size < 1) return Invalid(absl::StrCat("max_size = ", p.max_size, " must be >= 1"));
  if (p.min_size > p.max_size) {
    return Invalid(
        absl::StrCat("min_size = ", p.min_size, " is greater than max_size = ", p.max_size));
  }
  if (p.min_research < 0) {
    return Invalid(absl::StrCat("min_research = ", p.min_research, " must be >= 0"));
  }
  if (p.min_mini_clusters < 0) {
    return Invalid(absl::StrCat("min_mini_clusters = ", p.min_mini_clusters, " must be >= 0"));
  }
  if (!InUnit(p.covered_threshold)) {
    return Invalid(absl::StrCat("covered_threshold = ", p.covered_threshold, " is not in [0, 1]"));
  }
  if (p.exact_limit < 0) {
    return Invalid(absl::StrCat("exact_limit = ", p.exact_limit, " must be >= 0"));
  }
  if (required > p.max_size) {
    return Invalid(
        absl::StrCat("candidates: ", required, " are required but max_size is ", p.max_size));
  }
  for (const auto& [a, b] : p.forbidden) {
    if (p.candidates[a].required && p.candidates[b].required) {
      return Invalid(absl::StrCat("forbidden: required candidates ", a, " (", p.candidates[a].id,
                                  ") and ", b, " (", p.candidates[b].id,
                                  ") may not be in one team"));
    }
  }
  return absl::OkStatus();
}

// Ranks a chosen team: required members first (by index), then greedily by
// marginal gain within the team (ties: lower index).
std::vector<int> RankMembers(const TeamModel& model, const std::vector<int>& team) {
  std::vector<int> order;
  std::vector<int> rest;
  for (int m : team) {
    (model.problem().candidates[m].required ? order : rest).push_back(m);
  }
  std::sort(order.begin(), order.end());
  std::sort(rest.begin(), rest.end());
  while (!rest.empty()) {
    const double current = model.Objective(order);
    size_t best = 0;
    double best_gain = 0;
    for (size_t k = 0; k < rest.size(); ++k) {
      order.push_back(rest[k]);
      const double gain = model.Objective(order) - current;
      order.pop_back();
      if (k == 0 || gain > best_gain) {
        best = k;
        best_gain = gain;
      }
    }
    order.push_back(rest[best]);
    rest.erase(rest.begin() + static_cast<std::ptrdiff_t>(best));
  }
  return order;
}

std::string RequirementName(const TeamProblem& p, int r) {
  if (!p.requirement_names.empty()) return p.requirement_names[r];
  return absl::StrCat("requirement ", r);
}

void Describe(const TeamModel& model, TeamResult& result) {
  const TeamProblem& p = model.problem();
  const size_t r_count = p.weights.size();
  result.best_coverage.assign(r_count, 0.0f);
  result.covered_by.assign(r_count, -1);
  std::vector<int> best_member(r_count, -1);
  for (size_t r = 0; r < r_count; ++r) {
    for (int m : result.members) {
      const float v = p.candidates[m].coverage[r];
      if (best_member[r] < 0 || v > result.best_coverage[r]) {
        best_member[r] = m;
        result.best_coverage[r] = v;
      }
    }
    if (best_member[r] >= 0 && result.best_coverage[r] >= p.covered_threshold) {
      result.covered_by[r] = best_member[r];
    } else {
      result.uncovered.push_back(static_cast<int>(r));
    }
  }
  result.coverage = model.Coverage(result.members);
  result.objective = model.Objective(result.members);

  std::vector<int> prefix;
  absl::flat_hash_set<int> minis_seen;
  for (int m : result.members) {
    const double before = model.Objective(prefix);
    prefix.push_back(m);
    const double gain = model.Objective(prefix) - before;
    result.marginal_gain.push_back(gain);
    const TeamCandidate& c = p.candidates[m];
    std::vector<std::string> parts;
    if (c.required) parts.push_back("required (lead firm)");
    std::vector<std::string> covers;
    std::vector<std::string> partly;
    for (size_t r = 0; r < r_count; ++r) {
      if (best_member[r] != m || result.best_coverage[r] <= 0) continue;
      const std::string item = absl::StrCat(RequirementName(p, static_cast<int>(r)), " (",
                                            Fixed2(result.best_coverage[r]), ")");
      (result.covered_by[r] == m ? covers : partly).push_back(item);
    }
    if (!covers.empty()) parts.push_back(absl::StrCat("covers ", absl::StrJoin(covers, ", ")));
    if (!partly.empty()) {
      parts.push_back(absl::StrCat("best partial coverage of ", absl::StrJoin(partly, ", ")));
    }
    if (c.research) parts.push_back("university or research institute");
    if (model.mini(m) >= 0 && minis_seen.insert(model.mini(m)).second) {
      parts.push_back(absl::StrCat("adds mini-cluster ", c.mini_cluster));
    }
    parts.push_back(absl::StrCat("relevance ", Fixed2(c.relevance)));
    parts.push_back(absl::StrCat("gain ", gain >= 0 ? "+" : "", Fixed2(gain)));
    result.reasons.push_back(absl::StrJoin(parts, "; "));
  }
}

void ReportUnmet(const TeamModel& model, const TeamState& team, TeamResult& result) {
  const TeamProblem& p = model.problem();
  const int n = model.size();
  if (team.size() < p.min_size) {
    result.unmet.push_back(
        n < p.min_size
            ? absl::StrCat("min_size: ", p.min_size, " wanted, only ", n, " candidates")
            : absl::StrCat("min_size: ", p.min_size, " wanted, the team has ", team.size(),
                           " (forbidden pairs leave no more candidates that fit)"));
  }
  if (team.research() < p.min_research) {
    int research = 0;
    for (const TeamCandidate& c : p.candidates) research += c.research ? 1 : 0;
    result.unmet.push_back(
        research < p.min_research
            ? absl::StrCat("min_research: ", p.min_research, " wanted, only ", research,
                           research == 1 ? " candidate is" : " candidates are",
                           " a university or research institute")
            : absl::StrCat("min_research: ", p.min_research, " wanted, the team has ",
                           team.research(),
                           " (max_size, required members and forbidden pairs leave no room)"));
  }
  if (team.distinct_minis() < p.min_mini_clusters) {
    result.unmet.push_back(
        model.mini_count() < p.min_mini_clusters
            ? absl::StrCat("min_mini_clusters: ", p.min_mini_clusters,
                           " wanted, the candidates span only ", model.mini_count())
            : absl::StrCat("min_mini_clusters: ", p.min_mini_clusters, " wanted, the team spans ",
                           team.distinct_minis(),
                           " (max_size, required members and forbidden pairs leave no room)"));
  }
}

}  // namespace

double TeamObjective(const TeamProblem& problem, const std::vector<int>& members) {
  return TeamModel(problem).Objective(members);
}

absl::StatusOr<TeamResult> SelectTeam(const TeamProblem& problem) {
  CM_RETURN_IF_ERROR(Validate(problem));
  const TeamModel model(problem);
  const int n = model.size();

  TeamState base(model);
  for (int i = 0; i < n; ++i) {
    if (problem.candidates[i].required) base.Add(i);
  }
  std::vector<int> free;
  for (int i = 0; i < n; ++i) {
    if (base.Allowed(i)) free.push_back(i);
  }
  TeamResult result;
  std::optional<std::vector<int>> team;
  const int64_t count = ExactCount(static_cast<int>(free.size()), base.size(), problem.min_size,
                                   problem.max_size, problem.exact_limit);
  if (count <= problem.exact_limit) {
    team = ExactBestTeam(model, free, base);
    result.exact = team.has_value();
    if (team) team = RankMembers(model, *team);
  }
  if (!team) team = Greedy(model);  // also best effort when no feasible team exists
  result.members = *team;

  TeamState final_state(model);
  for (int m : result.members) final_state.Add(m);
  Describe(model, result);
  ReportUnmet(model, final_state, result);
  return result;
}

}  // namespace clustermatch
