#include "engine/sig_workflow.h"

#include <algorithm>
#include <cmath>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/sig_grouping.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

// The selected firms: all that pass the filter, or the listed ones.
absl::StatusOr<std::vector<GroupFirm>> SelectFirms(const Engine& engine,
                                                   const SigRequest& request) {
  std::vector<GroupFirm> chosen = engine.GroupFirms(request.filter, request.firm_ids);
  if (request.firm_ids.empty()) return chosen;
  absl::flat_hash_set<std::string> seen;
  size_t next = 0;
  for (size_t i = 0; i < request.firm_ids.size(); ++i) {
    const std::string& id = request.firm_ids[i];
    const std::string where = "firm_ids[" + std::to_string(i) + "]: ";
    if (!seen.insert(id).second) {
      return absl::InvalidArgumentError(where + "\"" + id + "\" is listed twice");
    }
    if (next >= chosen.size() || chosen[next].firm.id != id) {
      return absl::NotFoundError(where + "no firm \"" + id + "\"");
    }
    ++next;
  }
  return chosen;
}

// The terms a SIG label is made of: what firms work with and sell.
std::vector<std::string> LabelTerms(const Firm& firm) {
  std::vector<std::string> terms = firm.technologies;
  terms.insert(terms.end(), firm.industries.begin(), firm.industries.end());
  terms.insert(terms.end(), firm.products.begin(), firm.products.end());
  return terms;
}

float Dot(const std::vector<float>& a, const std::vector<float>& b) {
  float dot = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) dot += a[i] * b[i];
  return dot;
}

absl::Status Validate(const SigRequest& r) {
  if (r.min_size < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_size: must be at least 2, got ", r.min_size));
  }
  if (r.max_size < r.min_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_size: must be at least min_size (", r.min_size, "), got ", r.max_size));
  }
  if (r.convergence < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("convergence: must be 0 or more, got ", r.convergence));
  }
  if (r.groups < 0) {
    return absl::InvalidArgumentError(absl::StrCat("groups: must be 0 or more, got ", r.groups));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SigReport> SuggestSigs(const Engine& engine, const SigRequest& request) {
  CM_RETURN_IF_ERROR(Validate(request));
  CM_ASSIGN_OR_RETURN(const std::vector<GroupFirm> firms, SelectFirms(engine, request));
  SigProblem problem;
  problem.dimension = 0;
  for (const GroupFirm& f : firms) {
    problem.dimension = std::max(problem.dimension, static_cast<int>(f.topic.size()));
  }
  if (problem.dimension == 0) problem.dimension = 1;
  problem.vectors.assign(firms.size() * static_cast<size_t>(problem.dimension), 0.0f);
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> terms;
  for (size_t i = 0; i < firms.size(); ++i) {
    std::copy(firms[i].topic.begin(), firms[i].topic.end(),
              problem.vectors.begin() + static_cast<long>(i * problem.dimension));
    problem.mini_clusters.push_back(firms[i].firm.mini_cluster);
    ids.push_back(firms[i].firm.id);
    terms.push_back(LabelTerms(firms[i].firm));
  }
  const RelationKind never[] = {RelationKind::kDoNotMatch};
  problem.never_together = engine.RelatedPairs(ids, never);
  problem.min_size = request.min_size;
  problem.max_size = request.max_size;
  problem.convergence = request.convergence;
  problem.groups = request.groups;
  problem.seed = request.seed;
  problem.firm_terms = std::move(terms);
  problem.label_size = request.label_terms;
  CM_ASSIGN_OR_RETURN(const SigResult result, FormSigs(problem));

  SigReport report;
  report.firms = firms.size();
  report.mean_cohesion = result.mean_cohesion;
  for (const SigGroup& group : result.groups) {
    SigSuggestion sig;
    sig.cohesion = group.cohesion;
    sig.label = group.label;
    std::vector<float> centroid(static_cast<size_t>(problem.dimension), 0.0f);
    for (int m : group.members) {
      for (size_t d = 0; d < firms[m].topic.size(); ++d) centroid[d] += firms[m].topic[d];
    }
    float norm = 0;
    for (float v : centroid) norm += v * v;
    norm = norm > 0 ? 1.0f / std::sqrt(norm) : 0.0f;
    for (float& v : centroid) v *= norm;
    for (int m : group.members) {
      const Firm& firm = firms[m].firm;
      sig.members.push_back(
          SigMember{firm.id, firm.name, firm.mini_cluster, Dot(firms[m].topic, centroid)});
      if (!firm.mini_cluster.empty() &&
          std::find(sig.mini_clusters.begin(), sig.mini_clusters.end(), firm.mini_cluster) ==
              sig.mini_clusters.end()) {
        sig.mini_clusters.push_back(firm.mini_cluster);
      }
    }
    std::sort(sig.mini_clusters.begin(), sig.mini_clusters.end());
    std::stable_sort(sig.members.begin(), sig.members.end(),
                     [](const SigMember& a, const SigMember& b) { return a.fit > b.fit; });
    report.sigs.push_back(std::move(sig));
  }
  for (const UnplacedFirm& u : result.unplaced) {
    report.unplaced.push_back(UnplacedMember{ids[u.index], u.reason});
  }
  return report;
}

}  // namespace clustermatch
