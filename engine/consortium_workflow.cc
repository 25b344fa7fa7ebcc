#include "engine/consortium_workflow.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "engine/candidate_pool.h"
#include "engine/status_macros.h"
#include "engine/team_selection.h"
#include "engine/topic_phrases.h"

namespace clustermatch {
namespace {

constexpr int kCallHits = 30;

absl::Status Validate(const ConsortiumRequest& r, const std::vector<std::string>& capabilities) {
  if (capabilities.empty() && r.roles.empty()) {
    return absl::InvalidArgumentError(
        "capabilities: give the call text, required capabilities or roles");
  }
  for (size_t i = 0; i < r.roles.size(); ++i) {
    if (std::find(r.roles.begin(), r.roles.begin() + static_cast<long>(i), r.roles[i]) !=
        r.roles.begin() + static_cast<long>(i)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "roles[", i, "]: \"", std::string(RoleName(r.roles[i])), "\" is listed twice"));
    }
  }
  if (r.min_size < 1 || r.min_size > 20) {
    return absl::InvalidArgumentError(absl::StrCat("min_size: must be 1 to 20, got ", r.min_size));
  }
  if (r.max_size < r.min_size || r.max_size > 20) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_size: must be min_size (", r.min_size, ") to 20, got ", r.max_size));
  }
  if (r.hits_per_requirement < 1 || r.hits_per_requirement > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("hits_per_requirement: must be 1 to 100, got ", r.hits_per_requirement));
  }
  return absl::OkStatus();
}

bool HasRole(const Firm& firm, Role role) {
  return std::find(firm.roles.begin(), firm.roles.end(), role) != firm.roles.end();
}

}  // namespace

absl::StatusOr<ConsortiumReport> AssembleConsortium(const Engine& engine,
                                                    const ConsortiumRequest& request) {
  const std::vector<std::string> capabilities =
      request.capabilities.empty() ? SplitTopicPhrases(request.call_text) : request.capabilities;
  CM_RETURN_IF_ERROR(Validate(request, capabilities));
  CandidatePool pool;
  if (!request.lead_firm.empty() && !pool.AddFirm(engine, request.lead_firm, request.filter)) {
    return absl::NotFoundError("lead_firm: no firm \"" + request.lead_firm + "\"");
  }
  for (const std::string& capability : capabilities) {
    CM_RETURN_IF_ERROR(
        pool.AddSearchHits(engine, capability, request.hits_per_requirement, request.filter));
  }
  const bool has_call = request.call_text.find_first_not_of(" \t\r\n") != std::string::npos;
  if (has_call) {
    CM_RETURN_IF_ERROR(pool.AddSearchHits(engine, request.call_text, kCallHits, request.filter));
  }
  ConsortiumReport report;
  report.candidates = pool.size();
  const size_t n = pool.size();
  const size_t requirement_count = capabilities.size() + request.roles.size();
  if (n == 0) {
    report.unmet.push_back("no visible firm matches the requirements");
    for (const std::string& c : capabilities) report.gaps.push_back(c);
    for (Role role : request.roles) report.gaps.push_back(std::string(RoleName(role)));
    return report;
  }

  CM_ASSIGN_OR_RETURN(const std::vector<float> scores,
                      engine.TextScores(capabilities, pool.ids(), TextMeasure::kStatedCapability));
  std::vector<float> relevance(n, 0.0f);
  if (has_call) {
    const std::string call[] = {request.call_text};
    CM_ASSIGN_OR_RETURN(relevance, engine.TextScores(call, pool.ids()));
    NormaliseRows(relevance, 1);
  }
  TeamProblem problem;
  for (size_t i = 0; i < n; ++i) {
    TeamCandidate c;
    c.id = pool.ids()[i];
    for (size_t r = 0; r < capabilities.size(); ++r) {
      c.coverage.push_back(std::clamp(
          (scores[r * n + i] - kPhraseFloor) / (kCapabilityMatch - kPhraseFloor), 0.0f, 1.0f));
    }
    for (Role role : request.roles) c.coverage.push_back(HasRole(pool.firm(i), role) ? 1 : 0);
    c.relevance = relevance[i];
    c.mini_cluster = pool.firm(i).mini_cluster;
    c.required = pool.ids()[i] == request.lead_firm;
    problem.candidates.push_back(std::move(c));
  }
  problem.weights.assign(requirement_count, 1.0f);
  CM_ASSIGN_OR_RETURN(problem.compatibility, engine.PairScores(pool.ids(), MatchIntent::kPartner));
  const RelationKind partnered[] = {RelationKind::kPartnered};
  problem.partnerships = engine.RelatedPairs(pool.ids(), partnered);
  problem.partnership_bonus = kPartneredBonus;
  problem.compatibility_weight = 0.3f;
  problem.relevance_weight = has_call ? 0.1f : 0.0f;
  const RelationKind never[] = {RelationKind::kCompetitor, RelationKind::kDoNotMatch};
  problem.forbidden = engine.RelatedPairs(pool.ids(), never);
  problem.min_size = std::min<int>(request.min_size, static_cast<int>(n));
  problem.max_size = std::min<int>(request.max_size, static_cast<int>(n));
  problem.covered_threshold = 0.999f;
  CM_ASSIGN_OR_RETURN(const TeamResult team, SelectTeam(problem));

  report.exact = team.exact;
  report.coverage = team.coverage;
  report.covered = static_cast<int>(requirement_count - team.uncovered.size());
  report.unmet = team.unmet;
  report.method =
      team.exact ? "exact: every feasible team of the pool compared"
                 : "greedy weighted coverage: at least 1 - 1/e (63%) of the best coverage a team "
                   "of the same size could reach, before compatibility and exclusions";
  for (size_t r = 0; r < requirement_count; ++r) {
    RequirementCover cover;
    cover.role = r >= capabilities.size();
    cover.requirement = cover.role ? std::string(RoleName(request.roles[r - capabilities.size()]))
                                   : capabilities[r];
    cover.coverage = team.best_coverage[r];
    cover.covered = team.covered_by[r] >= 0;
    if (cover.covered) {
      const size_t by = static_cast<size_t>(team.covered_by[r]);
      cover.firm_id = pool.ids()[by];
      if (const Explanation* e = cover.role ? nullptr : pool.ExplanationFor(capabilities[r], by);
          e != nullptr && !e->matched_offers.empty()) {
        cover.evidence = e->matched_offers.front();
      }
    } else {
      report.gaps.push_back(cover.requirement);
    }
    report.requirements.push_back(std::move(cover));
  }
  double compatibility_sum = 0;
  int compatibility_pairs = 0;
  for (int m : team.members) {
    const Firm& firm = pool.firm(static_cast<size_t>(m));
    ConsortiumMember member{
        firm.id, firm.name, firm.kind, firm.mini_cluster, firm.id == request.lead_firm, {}, 0, {}};
    for (const RequirementCover& cover : report.requirements) {
      if (cover.firm_id == firm.id) {
        member.covers.push_back(cover.requirement);
        GroupReason::Kind kind = GroupReason::Kind::kCoversWith;
        if (cover.role) {
          kind = GroupReason::Kind::kCoversRole;
        } else if (cover.evidence.empty()) {
          kind = GroupReason::Kind::kCovers;
        }
        member.reasons.push_back({kind, cover.requirement, cover.evidence, cover.coverage});
      }
    }
    if (member.covers.empty()) {
      // What it adds: its strongest requirement, which another member covers.
      const std::vector<float>& own = problem.candidates[static_cast<size_t>(m)].coverage;
      const size_t best =
          static_cast<size_t>(std::max_element(own.begin(), own.end()) - own.begin());
      if (best < own.size() && own[best] > 0) {
        const RequirementCover& cover = report.requirements[best];
        member.reasons.push_back(
            {cover.role ? GroupReason::Kind::kAlsoHasRole : GroupReason::Kind::kAlsoOffers,
             cover.requirement, "", own[best]});
      }
    }
    float sum = 0;
    for (int other : team.members) {
      if (other != m) sum += problem.compatibility[static_cast<size_t>(m) * n + other];
    }
    if (team.members.size() > 1) {
      member.compatibility = sum / static_cast<float>(team.members.size() - 1);
      compatibility_sum += sum;
      compatibility_pairs += static_cast<int>(team.members.size()) - 1;
    }
    if (member.lead) {
      member.reasons.insert(member.reasons.begin(), {GroupReason::Kind::kLead, "", "", 0});
    }
    report.members.push_back(std::move(member));
  }
  if (compatibility_pairs > 0) report.mean_compatibility = compatibility_sum / compatibility_pairs;
  return report;
}

}  // namespace clustermatch
