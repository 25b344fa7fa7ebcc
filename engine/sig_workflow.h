// SIG suggestions: the firms a coordinator selects (a cluster, some
// mini-clusters, a list) grouped into SIGs by their topic vectors
// (sig_grouping.h), each labelled with its members' distinctive terms
// (group_terms.h). Firms marked do-not-match never share a SIG; competitors
// may (a SIG is a peer group).
#ifndef CLUSTERMATCH_ENGINE_SIG_WORKFLOW_H_
#define CLUSTERMATCH_ENGINE_SIG_WORKFLOW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"

namespace clustermatch {

struct SigRequest {
  // Which firms: those passing the filter (with the caller's visibility);
  // when firm_ids is set, exactly those, each of which must pass it.
  SearchFilter filter;
  std::vector<std::string> firm_ids;
  int min_size = 5;
  int max_size = 12;
  int convergence = 0;  // every SIG spans at least this many mini-clusters
  int groups = 0;       // 0: chosen from the firm count and the sizes
  int label_terms = 3;
  uint64_t seed = 1;
};

struct SigMember {
  std::string id;
  std::string name;
  std::string mini_cluster;
  float fit = 0;  // cosine to the SIG's centroid
};

struct SigSuggestion {
  std::vector<std::string> label;  // distinctive terms, most distinctive first
  double cohesion = 0;             // mean pairwise cosine of the members
  std::vector<std::string> mini_clusters;
  std::vector<SigMember> members;  // best fit first
};

struct UnplacedMember {
  std::string id;
  std::string reason;
};

struct SigReport {
  size_t firms = 0;  // selected
  std::vector<SigSuggestion> sigs;
  std::vector<UnplacedMember> unplaced;
  double mean_cohesion = 0;
};

// NotFound "firm_ids[i]: ..." for a listed firm that is missing or not
// visible; InvalidArgument naming the field for bad sizes.
absl::StatusOr<SigReport> SuggestSigs(const Engine& engine, const SigRequest& request);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SIG_WORKFLOW_H_
