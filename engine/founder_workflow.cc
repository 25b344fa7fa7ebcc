#include "engine/founder_workflow.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "engine/candidate_pool.h"
#include "engine/group_terms.h"
#include "engine/status_macros.h"
#include "engine/team_selection.h"
#include "engine/topic_phrases.h"
#include "models/text_normalizer.h"

namespace clustermatch {
namespace {

// Sub-areas listed in a topic of fewer phrases than this are widened with
// the distinctive technologies of the firms the topic finds.
constexpr size_t kMinSubAreas = 3;
constexpr size_t kWidenedSubAreas = 4;
constexpr int kHitsPerSubArea = 20;
constexpr int kResearchHits = 20;
// Firms whose technologies name the widened sub-areas.
constexpr size_t kLabelFirms = 30;

bool IsResearch(FirmKind kind) {
  return kind == FirmKind::kUniversity || kind == FirmKind::kResearchInstitute;
}

absl::Status Validate(const FounderRequest& r) {
  if (r.topic.find_first_not_of(" \t\r\n") == std::string::npos) {
    return absl::InvalidArgumentError("topic: must not be empty");
  }
  if (r.size < 1 || r.size > 50) {
    return absl::InvalidArgumentError(absl::StrCat("size: must be 1 to 50, got ", r.size));
  }
  if (r.min_research < 0 || r.min_research > r.size) {
    return absl::InvalidArgumentError(
        absl::StrCat("min_research: must be 0 to size (", r.size, "), got ", r.min_research));
  }
  if (r.min_mini_clusters < 0 || r.min_mini_clusters > r.size) {
    return absl::InvalidArgumentError(absl::StrCat("min_mini_clusters: must be 0 to size (", r.size,
                                                   "), got ", r.min_mini_clusters));
  }
  if (r.pool < r.size || r.pool > 500) {
    return absl::InvalidArgumentError(
        absl::StrCat("pool: must be size (", r.size, ") to 500, got ", r.pool));
  }
  return absl::OkStatus();
}

std::string Key(const std::string& text) {
  absl::StatusOr<std::string> key = NormalizeText(text);
  return key.ok() ? *key : text;
}

// The topic's own phrases, widened when it lists fewer than kMinSubAreas
// with the technologies that set the best candidates apart.
std::vector<std::string> SubAreas(const Engine& engine, const FounderRequest& request,
                                  const CandidatePool& pool) {
  std::vector<std::string> areas = SplitTopicPhrases(request.topic);
  if (areas.size() >= kMinSubAreas || pool.size() == 0) return areas;
  // Population: every firm the caller may group, so that terms common to
  // the whole cluster are not taken for sub-areas.
  const std::vector<GroupFirm> population = engine.GroupFirms(request.filter);
  std::vector<std::vector<std::string>> terms;
  std::vector<int> best;
  for (const GroupFirm& f : population) {
    if (pool.IndexOf(f.firm.id) >= 0 &&
        static_cast<size_t>(pool.IndexOf(f.firm.id)) < kLabelFirms) {
      best.push_back(static_cast<int>(terms.size()));
    }
    terms.push_back(f.firm.technologies);
  }
  std::vector<std::string> seen;
  for (const std::string& a : areas) seen.push_back(Key(a));
  for (const std::string& term :
       DistinctiveTerms(terms, best, static_cast<int>(kWidenedSubAreas + areas.size()))) {
    if (areas.size() >= kWidenedSubAreas) break;
    const std::string key = Key(term);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    areas.push_back(term);
  }
  return areas;
}

}  // namespace

absl::StatusOr<FounderReport> ProposeFounders(const Engine& engine, const FounderRequest& request) {
  CM_RETURN_IF_ERROR(Validate(request));
  CandidatePool pool;
  CM_RETURN_IF_ERROR(pool.AddSearchHits(engine, request.topic, request.pool, request.filter));
  FounderReport report;
  report.sub_areas = SubAreas(engine, request, pool);
  for (const std::string& area : report.sub_areas) {
    CM_RETURN_IF_ERROR(pool.AddSearchHits(engine, area, kHitsPerSubArea, request.filter));
  }
  if (request.min_research > 0) {
    SearchFilter research = request.filter;
    research.kinds = {FirmKind::kUniversity, FirmKind::kResearchInstitute};
    CM_RETURN_IF_ERROR(pool.AddSearchHits(engine, request.topic, kResearchHits, research));
  }
  report.candidates = pool.size();
  if (pool.size() == 0) {
    report.unmet.push_back("no visible firm matches the topic");
    return report;
  }

  const size_t n = pool.size();
  CM_ASSIGN_OR_RETURN(std::vector<float> coverage, engine.TextScores(report.sub_areas, pool.ids()));
  NormaliseRows(coverage, report.sub_areas.size());
  const std::string topic[] = {request.topic};
  CM_ASSIGN_OR_RETURN(std::vector<float> relevance, engine.TextScores(topic, pool.ids()));
  NormaliseRows(relevance, 1);

  TeamProblem problem;
  for (size_t i = 0; i < n; ++i) {
    TeamCandidate c;
    c.id = pool.ids()[i];
    for (size_t s = 0; s < report.sub_areas.size(); ++s) c.coverage.push_back(coverage[s * n + i]);
    c.relevance = relevance[i];
    c.research = IsResearch(pool.firm(i).kind);
    c.mini_cluster = pool.firm(i).mini_cluster;
    problem.candidates.push_back(std::move(c));
  }
  problem.weights.assign(report.sub_areas.size(), 1.0f);
  CM_ASSIGN_OR_RETURN(problem.similarity, engine.PairScores(pool.ids(), MatchIntent::kPeer));
  problem.relevance_weight = 0.3f;
  problem.redundancy_weight = 0.3f;
  const RelationKind never[] = {RelationKind::kDoNotMatch};
  problem.forbidden = engine.RelatedPairs(pool.ids(), never);
  problem.min_size = problem.max_size = std::min<int>(request.size, static_cast<int>(n));
  problem.min_research = request.min_research;
  problem.min_mini_clusters = request.min_mini_clusters;
  problem.covered_threshold = 0.5f;
  CM_ASSIGN_OR_RETURN(const TeamResult team, SelectTeam(problem));

  report.exact = team.exact;
  report.unmet = team.unmet;
  if (static_cast<int>(n) < request.size) {
    report.unmet.push_back(absl::StrCat("size: ", request.size, " wanted, only ", n,
                                        " visible firms match the topic"));
  }
  for (int m : team.members) {
    const Firm& firm = pool.firm(static_cast<size_t>(m));
    FounderPick pick{firm.id,     firm.name,
                     firm.kind,   firm.mini_cluster,
                     firm.region, relevance[static_cast<size_t>(m)],
                     {},          {}};
    for (size_t s = 0; s < report.sub_areas.size(); ++s) {
      if (team.covered_by[s] == m) {
        pick.sub_areas.push_back(report.sub_areas[s]);
        pick.reasons.push_back({GroupReason::Kind::kCovers, report.sub_areas[s], "", 0});
      }
    }
    pick.reasons.push_back({GroupReason::Kind::kTopicRelevance, "", "", pick.relevance});
    if (const Explanation* e = pool.ExplanationFor(request.topic, static_cast<size_t>(m));
        e != nullptr && !e->matched_offers.empty()) {
      pick.reasons.push_back({GroupReason::Kind::kOffers, e->matched_offers.front(), "", 0});
    }
    if (IsResearch(firm.kind)) {
      pick.reasons.push_back(
          {GroupReason::Kind::kResearchMember, std::string(FirmKindName(firm.kind)), "", 0});
    }
    if (!firm.mini_cluster.empty()) {
      pick.reasons.push_back({GroupReason::Kind::kMiniCluster, firm.mini_cluster, "", 0});
    }
    report.founders.push_back(std::move(pick));
  }
  for (size_t s = 0; s < report.sub_areas.size(); ++s) {
    const int by = team.covered_by[s];
    report.coverage.push_back(SubAreaCover{report.sub_areas[s],
                                           by >= 0 ? pool.ids()[static_cast<size_t>(by)] : "",
                                           team.best_coverage[s]});
  }
  return report;
}

}  // namespace clustermatch
