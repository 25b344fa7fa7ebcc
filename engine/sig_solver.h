// Internal header of the SIG grouping (engine/sig_grouping.h), used only by
// the sig_*.cc files: the SigSolver class and the small helpers they share.
// Not part of the engine's public API.
//
// sig_grouping.cc  checks the problem, runs restarts, builds the SigResult;
// sig_seeding.cc   group count, Faiss k-means seeds, greedy assignment,
//                  Gram matrix and dot-product state;
// sig_moves.cc     move/swap deltas and rules, moves, swaps, dissolving;
// sig_search.cc    filling small groups, convergence repair, local search,
//                  groups formed from left-out firms.
//
// State kept for O(1) move and swap deltas (vectors renormalised, so x.x = 1):
//   dots(i, G) = x_i . s_G   where s_G is the sum of G's member vectors,
//   sq[G]      = |s_G|^2.
// A group's share of the objective is size x cohesion = (sq - k) / (k - 1).
// Applying a move updates two columns of `dots` with one Gram column.
#ifndef CLUSTERMATCH_ENGINE_SIG_SOLVER_H_
#define CLUSTERMATCH_ENGINE_SIG_SOLVER_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/sig_grouping.h"

namespace clustermatch {
namespace sig_internal {

inline constexpr int kUnplaced = -1;
inline constexpr double kMinGain = 1e-9;

// Size x cohesion of a group with |s|^2 = sq and k members.
inline double Weighted(double sq, int k) { return k >= 2 ? (sq - k) / (k - 1) : 0.0; }

// One solve of a checked problem with n firms. Deterministic for the same
// problem; not thread-safe (one instance per call of FormSigs).
class SigSolver {
 public:
  SigSolver(const SigProblem& problem, int n) : p_(problem), n_(n), d_(problem.dimension) {}

  // Restarts from several seeds, keeps the best run (sig_grouping.cc).
  absl::StatusOr<SigResult> Solve();

 private:
  // --- setup (sig_seeding.cc)
  void Prepare();
  // Sets reasons for every eligible firm and returns false when no group can
  // be formed at all; otherwise sets g_.
  bool ChooseGroupCount();
  absl::Status SeedCentroids(uint64_t seed, std::vector<float>& centroids);
  void AssignGreedily(const std::vector<float>& centroids);
  void InitDots();
  void InitGram();
  // One full run from the given k-means centroids (sig_grouping.cc).
  void Attempt(const std::vector<float>& centroids);

  // --- Gram matrix (sig_seeding.cc)
  const float* Column(int i);
  float Gram(int i, int j) {
    if (!gram_full_.empty()) return gram_full_[static_cast<size_t>(i) * n_ + j];
    return Column(i)[j];
  }

  // --- state access
  double& Dot(int i, int group) { return dots_[static_cast<size_t>(i) * stride_ + group]; }
  int Size(int group) const { return static_cast<int>(members_[group].size()); }
  int Placed() const {
    int placed = 0;
    for (int group = 0; group < g_; ++group) placed += Size(group);
    return placed;
  }
  // Distinct and Conflicts are in sig_moves.cc.
  int Distinct(int group, int removed, int added) const;
  int Violation(int group, int removed = -1, int added = -1) const {
    if (k_conv_ < 2) return 0;
    return std::max(0, k_conv_ - Distinct(group, removed, added));
  }
  bool Conflicts(int i, int group, int ignored) const;

  // --- deltas and rules (sig_moves.cc)
  double MoveDelta(int i, int to);
  double SwapDelta(int i, int j);
  // `i` to group `to` (never kUnplaced) keeping sizes, conflicts and
  // convergence (no group's violation grows).
  bool MoveAllowed(int i, int to) const;
  // Exchanges the places of i and j (one may be unplaced).
  bool SwapAllowed(int i, int j) const;

  // --- changes (sig_moves.cc)
  void ApplyMove(int i, int to);
  void ApplySwap(int i, int j);
  void Dissolve(int group);
  // Appends an empty group (growing the `dots` layout when needed).
  int AddGroup();

  // --- phases (sig_search.cc)
  void FillSmallGroups();
  void RepairConvergence();
  bool RepairOne(int group);
  void LocalSearch();
  // Starts new groups around left-out firms while enough firms are free;
  // returns whether any group was formed.
  bool FormLeftoverGroups();
  bool ImproveFirm(int i, double& gain);

  // --- result (sig_grouping.cc)
  SigResult BuildResult();
  // Why left-out firm i could not be placed, given all firms left out.
  std::string ReasonFor(int i, int leftover_count, int leftover_distinct) const;

  const SigProblem& p_;
  const int n_;
  const int d_;
  int k_conv_ = 0;
  std::vector<float> x_;  // renormalised rows
  std::vector<int> mc_;   // mini-cluster id, -1 = none
  std::vector<std::vector<int>> conflicts_;
  std::vector<int> eligible_;
  std::vector<std::string> reason_;  // fixed reasons (no text, impossible rules)
  bool g_limited_by_convergence_ = false;
  int max_groups_ = 0;  // by the wanted number and by convergence
  int initial_groups_ = 0;

  std::vector<float> gram_full_;
  std::vector<std::vector<float>> gram_cols_;
  size_t gram_cached_bytes_ = 0;

  int g_ = 0;
  int stride_ = 0;
  std::vector<std::vector<int>> members_;
  std::vector<int> group_of_;
  std::vector<double> dots_;
  std::vector<double> sq_;
};

}  // namespace sig_internal
}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SIG_SOLVER_H_
