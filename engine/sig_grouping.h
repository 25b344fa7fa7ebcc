// SIG suggestions (special interest groups, "one firm, one SIG"): splits the
// selected firms into groups of a bounded size by their topic vectors so that
// members of a group work on the same things. Pure algorithm: no store, no
// threads of its own; deterministic for the same problem and seed.
//
// Hard rules of every result:
//   - every firm appears exactly once, in one group or in `unplaced`;
//   - every group has between min_size and max_size members;
//   - no never_together pair shares a group;
//   - with convergence K >= 2, every group spans >= K distinct non-empty
//     mini-clusters.
// Objective: place as many firms as possible, then maximise the sum over
// groups of size x cohesion (cohesion = mean pairwise cosine), i.e. the
// member-weighted mean cohesion that SigResult reports.
//
// Method: Faiss spherical k-means (run on one OpenMP thread, seeded from
// `seed`) gives one centroid per group; firms are assigned greedily by regret
// under the size cap; small groups are filled and convergence is repaired by
// moves and swaps (a group that cannot be repaired is dissolved); then a
// local search of moves, swaps and insertions of left-out firms improves the
// objective while keeping every hard rule, and left-out firms may start new
// groups. Small instances repeat this from several k-means seeds and keep the
// best run. About 0.2-0.5 s for 2,000 firms of dimension 256.
#ifndef CLUSTERMATCH_ENGINE_SIG_GROUPING_H_
#define CLUSTERMATCH_ENGINE_SIG_GROUPING_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace clustermatch {

struct SigProblem {
  int dimension = 0;
  // n x dimension, row-major, L2-normalised; an all-zero row = a firm
  // without topic text. Rows are renormalised internally.
  std::vector<float> vectors;
  // Size n; "" = unknown (counts as no mini-cluster).
  std::vector<std::string> mini_clusters;
  // Pairs that may never share a group (do-not-match).
  std::vector<std::pair<int, int>> never_together;
  int min_size = 3;
  int max_size = 8;
  // Every group spans at least this many distinct non-empty mini-clusters;
  // 0 or 1: no rule.
  int convergence = 0;
  // Wanted number of groups; 0: chosen from n and the size bounds (about
  // (min_size + max_size) / 2 firms per group). Fewer groups are formed when
  // the firms cannot fill this many.
  int groups = 0;
  uint64_t seed = 1;
  // Optional, empty or size n: each firm's terms (technologies, industries,
  // products...) for the group labels (see group_terms.h).
  std::vector<std::vector<std::string>> firm_terms;
  int label_size = 3;  // terms per label
};

struct SigGroup {
  std::vector<int> members;        // ascending indexes into the problem
  double cohesion = 0;             // mean pairwise cosine of the members' vectors
  std::vector<std::string> label;  // distinctive terms; empty without firm_terms
};

struct UnplacedFirm {
  int index = 0;
  // Readable English, e.g. "no topic text in its profile",
  // "8 firms left cannot form a group of at least 10".
  std::string reason;
};

struct SigResult {
  std::vector<SigGroup> groups;        // ordered by cohesion, best first
  std::vector<UnplacedFirm> unplaced;  // ascending index
  double mean_cohesion = 0;            // member-weighted mean over groups
};

// Returns InvalidArgument naming the field for bad input: sizes that do not
// match, min_size < 2, max_size < min_size, indexes out of range, non-finite
// values, dimension <= 0 with n > 0, negative convergence, groups or
// label_size.
absl::StatusOr<SigResult> FormSigs(const SigProblem& problem);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SIG_GROUPING_H_
