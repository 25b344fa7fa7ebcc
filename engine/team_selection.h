// Team selection for two group workflows: founding members of a research
// society (a topic's sub-areas are the requirements) and a joint-project
// consortium (a call's required capabilities and value-chain roles are the
// requirements). A plain engine module with no I/O: callers turn firms into
// TeamCandidates (coverage per requirement, relevance, compatibility and
// similarity matrices) and read back a ranked team with reasons.
//
// Hard rules (every team returned obeys the first three; the quotas and
// min_size are met whenever a team meeting them exists, barring the greedy
// search budget below, else `unmet` says why):
//  - required candidates (a lead firm) are in the team;
//  - no forbidden pair (competitors, do-not-match) is in one team;
//  - at most max_size members;
//  - at least min_size members, at least min_research universities or
//    research institutes, members spanning at least min_mini_clusters
//    distinct non-empty mini-clusters.
//
// Objective, for a team S (means over members; pair terms are 0 below two
// members):
//   F(S) = coverage(S)
//        + relevance_weight     * mean relevance
//        + compatibility_weight * mean pairwise score
//        - redundancy_weight    * mean over members of the max similarity to
//                                 another member
// where coverage(S) = sum_r w_r * max_{i in S} cov[i][r] / sum_r w_r (weighted
// facility location) and the pairwise score of i, j is
// min(1, compatibility[i][j] + partnership_bonus if i, j are existing
// partners).
//
// Search:
//  - Exact: when sum over team sizes of C(n_free, size - n_required) is at
//    most exact_limit (n_free: candidates neither required nor forbidden with
//    a required one), every feasible team is enumerated and the best F is
//    returned (exact = true, optimal for F). Ties go to the smaller team, then
//    to the lexicographically smallest index set.
//  - Greedy otherwise: required members first, then at each step the
//    candidate with the best marginal gain F(S + c) - F(S) (ties: lower
//    index) among those allowed. Allowed: not forbidden with a member, and
//    S + c can still be completed to a team meeting min_size and the quotas
//    within max_size. That is checked by a complete depth-first search with
//    counting bounds (it generalises "when the free slots equal the missing
//    research members / mini-clusters, only candidates that reduce the
//    deficit are eligible" and also sees forbidden pairs); only if it runs
//    out of its work budget on a huge, nearly infeasible instance does greedy
//    go on optimistically. The team grows past min_size only while the best
//    gain is > kTeamMinGain, or while a quota is still missing (then only
//    with candidates that reduce a deficit). With no feasible team at all,
//    greedy still returns a best-effort team (required members, no forbidden
//    pair, within max_size) and `unmet` names each rule it misses.
//
// Guarantee: for the coverage term alone (relevance, compatibility and
// redundancy weights 0) under a cardinality limit with no side constraints
// (no required members, forbidden pairs or quotas) and min_size = max_size
// = k, coverage is monotone submodular and greedy reaches at least
// (1 - 1/e) ~ 0.632 of the best team of size k (Nemhauser, Wolsey and Fisher,
// 1978). The other terms (means are not submodular), required members,
// forbidden pairs and quotas make greedy a heuristic without that bound; use
// the exact mode (exact_limit) for small instances.
//
// Deterministic: no randomness, no clocks, no threads; ties by index.
#ifndef CLUSTERMATCH_ENGINE_TEAM_SELECTION_H_
#define CLUSTERMATCH_ENGINE_TEAM_SELECTION_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace clustermatch {

// A team grows past min_size only while the best marginal gain exceeds this.
inline constexpr double kTeamMinGain = 1e-6;

struct TeamCandidate {
  std::string id;               // for messages only
  std::vector<float> coverage;  // per requirement, in [0, 1]: how well this candidate covers it
  float relevance = 0;          // [0, 1]: overall fit (to the topic or call)
  bool research = false;        // a university or research institute
  std::string mini_cluster;     // "" = unknown
  bool required = false;        // must be in the team (a lead firm)
};

struct TeamProblem {
  std::vector<TeamCandidate> candidates;
  std::vector<float> weights;        // per requirement, > 0 (may be empty: no requirements)
  std::vector<float> compatibility;  // n x n symmetric in [0, 1] (pairwise mutual score), or empty
  float compatibility_weight = 0;    // weight of mean pairwise compatibility in the objective
  float relevance_weight = 0.1f;     // weight of mean relevance
  std::vector<float>
      similarity;  // n x n symmetric in [0, 1] (how alike two candidates are), or empty
  float redundancy_weight = 0;  // penalty on near-duplicates (mean over members of max
                                // similarity to another member)
  std::vector<std::pair<int, int>> forbidden;  // never in one team
  // Existing partnerships: their pairwise score is raised by partnership_bonus (capped at 1).
  std::vector<std::pair<int, int>> partnerships;
  float partnership_bonus = 0.25f;
  int min_size = 1;
  int max_size = 5;
  int min_research = 0;       // at least this many research members
  int min_mini_clusters = 0;  // members span at least this many distinct non-empty mini-clusters
  float covered_threshold = 0.5f;  // a requirement is covered when its best member coverage >= this
  int64_t exact_limit = 100000;    // enumerate every feasible team when there are at most this
                                   // many candidate teams
  std::vector<std::string> requirement_names;  // optional, per requirement, for reasons
};

struct TeamResult {
  std::vector<int> members;  // candidate indexes, in the order chosen (required first); the ranking
  std::vector<double> marginal_gain;  // per member: F gain when it joined in this order
  std::vector<std::string> reasons;   // per member: why it is in the team, readable
  std::vector<float> best_coverage;   // per requirement: best member coverage
  std::vector<int> covered_by;  // per requirement: the member (candidate index) giving it, or -1
                                // when below threshold
  std::vector<int> uncovered;   // requirement indexes below covered_threshold
  double coverage = 0;          // sum_r w_r * best_r / sum_r w_r
  double objective = 0;
  bool exact = false;              // true when found by exhaustive enumeration (optimal)
  std::vector<std::string> unmet;  // constraints that could not be met, readable
};

// Chooses a team. InvalidArgument naming the field for bad input: coverage
// sizes not matching weights, values outside [0, 1], matrices not n x n or not
// symmetric, forbidden or partnership pairs out of range, min_size > max_size,
// required candidates that are forbidden together or more than max_size.
absl::StatusOr<TeamResult> SelectTeam(const TeamProblem& problem);

// F(members) for a valid problem (as SelectTeam checks it); members are
// distinct candidate indexes. Feasibility is not checked.
double TeamObjective(const TeamProblem& problem, const std::vector<int>& members);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_TEAM_SELECTION_H_
