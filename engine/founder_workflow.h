// Research-society founders: for a topic text, founding members that
// together cover the topic's sub-areas, with a university or research
// institute among them and a spread over mini-clusters where asked.
//
//   sub-areas  the phrases the topic lists (topic_phrases.h); a topic of one
//              or two phrases is widened with the distinctive technologies of
//              the firms it finds (group_terms.h)
//   pool       free-text search for the topic and each sub-area, plus the
//              best-matching universities and research institutes
//   choice     team_selection.h: weighted coverage of the sub-areas, plus
//              relevance to the whole topic, minus a penalty for near
//              duplicates (peer similarity), so the list is not N copies of
//              one profile; do-not-match pairs never both
#ifndef CLUSTERMATCH_ENGINE_FOUNDER_WORKFLOW_H_
#define CLUSTERMATCH_ENGINE_FOUNDER_WORKFLOW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "engine/group_reason.h"

namespace clustermatch {

struct FounderRequest {
  std::string topic;
  int size = 8;
  int min_research = 1;       // universities or research institutes
  int min_mini_clusters = 0;  // distinct mini-clusters among the founders
  SearchFilter filter;        // regions, clusters...; the caller's visibility
  int pool = 60;              // candidates considered for the topic
};

struct FounderPick {
  std::string id;
  std::string name;
  FirmKind kind = FirmKind::kUnspecified;
  std::string mini_cluster;
  std::string region;
  float relevance = 0;                 // to the whole topic, 1 = the best candidate
  std::vector<std::string> sub_areas;  // the sub-areas it is the best cover of
  std::vector<GroupReason> reasons;    // for the coordinator, strongest first
};

struct SubAreaCover {
  std::string sub_area;
  std::string firm_id;  // the founder covering it best; empty when uncovered
  float coverage = 0;   // that founder's score relative to the best candidate's
};

struct FounderReport {
  std::vector<std::string> sub_areas;
  std::vector<FounderPick> founders;  // ranked: the order they were chosen
  std::vector<SubAreaCover> coverage;
  std::vector<std::string> unmet;  // constraints that could not be met
  size_t candidates = 0;
  bool exact = false;
};

// InvalidArgument naming the field for an empty topic or bad sizes.
absl::StatusOr<FounderReport> ProposeFounders(const Engine& engine, const FounderRequest& request);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FOUNDER_WORKFLOW_H_
