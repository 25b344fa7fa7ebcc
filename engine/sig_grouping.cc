// SIG grouping (see sig_grouping.h): checks the problem, then runs the
// solver (sig_solver.h) from several k-means seeds on small instances, keeps
// the best run and turns it into a SigResult with a reason for every firm
// left out.
#include "engine/sig_grouping.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "engine/group_terms.h"
#include "engine/sig_solver.h"

namespace clustermatch {
namespace {

absl::Status CheckProblem(const SigProblem& p, int& n) {
  if (p.dimension <= 0) {
    if (!p.vectors.empty() || !p.mini_clusters.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("dimension must be positive, got ", p.dimension));
    }
    n = 0;
  } else {
    if (p.vectors.size() % p.dimension != 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "vectors: size ", p.vectors.size(), " is not a multiple of dimension ", p.dimension));
    }
    n = static_cast<int>(p.vectors.size() / p.dimension);
  }
  if (static_cast<int>(p.mini_clusters.size()) != n) {
    return absl::InvalidArgumentError(absl::StrCat("mini_clusters: size ", p.mini_clusters.size(),
                                                   " does not match the ", n, " firms in vectors"));
  }
  if (!p.firm_terms.empty() && static_cast<int>(p.firm_terms.size()) != n) {
    return absl::InvalidArgumentError(absl::StrCat("firm_terms: size ", p.firm_terms.size(),
                                                   " does not match the ", n, " firms in vectors"));
  }
  for (size_t i = 0; i < p.vectors.size(); ++i) {
    if (!std::isfinite(p.vectors[i])) {
      return absl::InvalidArgumentError(
          absl::StrCat("vectors: non-finite value for firm ", i / p.dimension));
    }
  }
  if (p.min_size < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_size must be at least 2, got ", p.min_size));
  }
  if (p.max_size < p.min_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_size (", p.max_size, ") is smaller than min_size (", p.min_size, ")"));
  }
  if (p.convergence < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("convergence must not be negative, got ", p.convergence));
  }
  if (p.groups < 0) {
    return absl::InvalidArgumentError(absl::StrCat("groups must not be negative, got ", p.groups));
  }
  if (p.label_size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("label_size must not be negative, got ", p.label_size));
  }
  for (size_t k = 0; k < p.never_together.size(); ++k) {
    for (int index : {p.never_together[k].first, p.never_together[k].second}) {
      if (index < 0 || index >= n) {
        return absl::InvalidArgumentError(absl::StrCat("never_together[", k, "]: index ", index,
                                                       " is out of range [0, ", n, ")"));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

namespace sig_internal {

std::string SigSolver::ReasonFor(int i, int leftover_count, int leftover_distinct) const {
  const int min = p_.min_size, max = p_.max_size;
  for (int group = 0; group < g_; ++group) {
    if (Size(group) < max && Conflicts(i, group, -1)) {
      return "conflicts (do-not-match) with a member of every group that has room";
    }
  }
  if (g_ > 0 && p_.groups > 0 && g_ == p_.groups) {
    return absl::StrCat("all ", g_, " groups are full (at most ", max, " firms each)");
  }
  if (g_ > 0 && g_limited_by_convergence_) {
    return absl::StrCat("only ", g_, g_ == 1 ? " group" : " groups", " can span ", k_conv_,
                        " mini-clusters and ", g_ == 1 ? "it is" : "all are", " full (at most ",
                        max, " firms each)");
  }
  if (leftover_count < min) {
    return absl::StrCat(leftover_count, leftover_count == 1 ? " firm" : " firms",
                        " left cannot form a group of at least ", min);
  }
  if (k_conv_ >= 2 && leftover_distinct < k_conv_) {
    return absl::StrCat("the ", leftover_count, " firms left span only ", leftover_distinct,
                        leftover_distinct == 1 ? " mini-cluster" : " mini-clusters",
                        " but every group must span ", k_conv_);
  }
  return absl::StrCat("the ", leftover_count,
                      " firms left cannot form a group without a do-not-match pair");
}

SigResult SigSolver::BuildResult() {
  SigResult result;
  std::vector<int> leftover;
  std::vector<int> leftover_mcs;
  for (int i : eligible_) {
    if (group_of_[i] != kUnplaced || !reason_[i].empty()) continue;
    leftover.push_back(i);
    if (mc_[i] >= 0) leftover_mcs.push_back(mc_[i]);
  }
  std::sort(leftover_mcs.begin(), leftover_mcs.end());
  const int leftover_distinct = static_cast<int>(
      std::unique(leftover_mcs.begin(), leftover_mcs.end()) - leftover_mcs.begin());
  for (int i = 0; i < n_; ++i) {
    if (group_of_[i] != kUnplaced) continue;
    result.unplaced.push_back(UnplacedFirm{
        i, reason_[i].empty() ? ReasonFor(i, static_cast<int>(leftover.size()), leftover_distinct)
                              : reason_[i]});
  }

  std::optional<GroupTermIndex> terms;
  if (!p_.firm_terms.empty() && p_.label_size > 0) terms.emplace(p_.firm_terms);
  double weighted = 0;
  int placed = 0;
  std::vector<double> sum(d_);
  for (int group = 0; group < g_; ++group) {
    SigGroup out;
    out.members = members_[group];
    std::sort(out.members.begin(), out.members.end());
    std::fill(sum.begin(), sum.end(), 0.0);
    for (int i : out.members) {
      const float* row = x_.data() + static_cast<size_t>(i) * d_;
      for (int c = 0; c < d_; ++c) sum[c] += row[c];
    }
    double sq = 0;
    for (double v : sum) sq += v * v;
    const int k = static_cast<int>(out.members.size());
    out.cohesion = (sq - k) / (static_cast<double>(k) * (k - 1));
    if (terms) out.label = terms->Distinctive(out.members, p_.label_size);
    weighted += out.cohesion * k;
    placed += k;
    result.groups.push_back(std::move(out));
  }
  std::sort(result.groups.begin(), result.groups.end(), [](const SigGroup& a, const SigGroup& b) {
    return a.cohesion != b.cohesion ? a.cohesion > b.cohesion : a.members < b.members;
  });
  result.mean_cohesion = placed > 0 ? weighted / placed : 0.0;
  return result;
}

void SigSolver::Attempt(const std::vector<float>& centroids) {
  for (int i : eligible_) group_of_[i] = kUnplaced;
  g_ = initial_groups_;
  AssignGreedily(centroids);
  InitDots();
  FillSmallGroups();
  RepairConvergence();
  LocalSearch();
  if (FormLeftoverGroups()) LocalSearch();
  // The pass limit may stop the search early: place whoever still fits.
  for (int i : eligible_) {
    double gain = 0;
    if (group_of_[i] == kUnplaced) ImproveFirm(i, gain);
  }
}

absl::StatusOr<SigResult> SigSolver::Solve() {
  Prepare();
  if (!ChooseGroupCount()) return BuildResult();
  initial_groups_ = g_;
  InitGram();
  // Small instances afford several k-means seeds; the best run is kept
  // (most firms placed, then the highest objective).
  const double work = static_cast<double>(eligible_.size()) * initial_groups_;
  const int attempts = std::clamp(static_cast<int>(5e5 / work), 1, 6);
  struct Kept {
    int placed = -1;
    double objective = 0;
    int groups = 0;
    std::vector<std::vector<int>> members;
    std::vector<int> group_of;
  } best;
  for (int attempt = 0; attempt < attempts; ++attempt) {
    g_ = initial_groups_;  // an earlier attempt may have dissolved groups
    std::vector<float> centroids;
    const uint64_t seed = p_.seed + 0x9e3779b97f4a7c15ULL * attempt;
    if (absl::Status status = SeedCentroids(seed, centroids); !status.ok()) return status;
    Attempt(centroids);
    int placed = 0;
    double objective = 0;
    for (int group = 0; group < g_; ++group) {
      placed += Size(group);
      objective += Weighted(sq_[group], Size(group));
    }
    if (placed > best.placed || (placed == best.placed && objective > best.objective + kMinGain)) {
      best = Kept{placed, objective, g_, members_, group_of_};
    }
  }
  g_ = best.groups;
  members_ = std::move(best.members);
  group_of_ = std::move(best.group_of);
  return BuildResult();
}

}  // namespace sig_internal

absl::StatusOr<SigResult> FormSigs(const SigProblem& problem) {
  int n = 0;
  if (absl::Status status = CheckProblem(problem, n); !status.ok()) return status;
  sig_internal::SigSolver solver(problem, n);
  return solver.Solve();
}

}  // namespace clustermatch
