// SIG solver search phases (see sig_solver.h): filling groups below
// min_size, repairing convergence, the local search of moves and swaps, and
// new groups started around left-out firms.
#include "engine/sig_solver.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace clustermatch {
namespace sig_internal {
namespace {

constexpr int kMaxPasses = 40;
constexpr double kMinPassGain = 1e-4;  // share of the objective
constexpr int kSwapGroups = 6;         // groups tried for swaps per firm and pass

}  // namespace

bool SigSolver::FormLeftoverGroups() {
  std::vector<int> seeds;
  for (int i : eligible_) {
    if (group_of_[i] == kUnplaced) seeds.push_back(i);
  }
  // Firms with fewer do-not-match partners make better seeds.
  std::stable_sort(seeds.begin(), seeds.end(),
                   [this](int a, int b) { return conflicts_[a].size() < conflicts_[b].size(); });
  bool formed = false;
  for (int seed : seeds) {
    if (g_ >= max_groups_) break;
    if (group_of_[seed] != kUnplaced) continue;
    int free = 0;
    for (int i : eligible_) free += group_of_[i] == kUnplaced ? 1 : 0;
    for (int group = 0; group < g_; ++group) free += Size(group) - p_.min_size;
    if (free < p_.min_size) break;
    // A failed start can shuffle firms between groups (and in rare cases
    // of do-not-match pairs leave one out): keep it only if it places more.
    const int groups_before = g_, stride_before = stride_, placed_before = Placed();
    std::vector<std::vector<int>> members_before = members_;
    std::vector<int> group_of_before = group_of_;
    std::vector<double> dots_before = dots_, sq_before = sq_;
    ApplyMove(seed, AddGroup());
    FillSmallGroups();
    RepairConvergence();
    if (Placed() > placed_before) {
      formed = true;
      continue;
    }
    g_ = groups_before;
    stride_ = stride_before;
    members_ = std::move(members_before);
    group_of_ = std::move(group_of_before);
    dots_ = std::move(dots_before);
    sq_ = std::move(sq_before);
  }
  return formed;
}

// Brings every group up to min_size: first with left-out firms, then with
// members of groups above min_size; a group that cannot be filled is
// dissolved.
void SigSolver::FillSmallGroups() {
  for (int group = 0; group < g_;) {
    if (Size(group) >= p_.min_size) {
      ++group;
      continue;
    }
    int best = -1;
    double best_delta = 0;
    bool best_unplaced = false;
    for (int i : eligible_) {
      const bool unplaced = group_of_[i] == kUnplaced;
      if (best_unplaced && !unplaced) continue;
      if (!MoveAllowed(i, group)) continue;
      const double delta = MoveDelta(i, group);
      if (best < 0 || (unplaced && !best_unplaced) || delta > best_delta) {
        best = i;
        best_delta = delta;
        best_unplaced = unplaced;
      }
    }
    if (best < 0) {
      Dissolve(group);
      group = 0;  // a dissolved group's members may have filled others
      continue;
    }
    ApplyMove(best, group);
  }
}

// One step that lowers the convergence violation of `group`: a left-out
// firm or another group's member from a missing mini-cluster joins it, or
// takes the place of a member. Returns false when no such step exists.
bool SigSolver::RepairOne(int group) {
  const int before = Violation(group);
  int best_i = -1, best_j = -1;  // j joins; i leaves (or -1)
  double best_score = 0;
  auto consider = [&](int i, int j, double score) {
    if (best_j < 0 || score > best_score) {
      best_i = i;
      best_j = j;
      best_score = score;
    }
  };
  for (int j : eligible_) {
    const int from = group_of_[j];
    if (from == group || mc_[j] < 0) continue;
    if (Violation(group, -1, j) >= before) continue;  // mini-cluster already there
    // A left-out firm joining also places one more firm: preferred.
    const double placing_bonus = from == kUnplaced ? 1e6 : 0;
    if (MoveAllowed(j, group)) consider(-1, j, MoveDelta(j, group) + placing_bonus);
    for (int i : members_[group]) {
      if (Violation(group, i, j) >= before) continue;
      if (!SwapAllowed(i, j)) continue;
      consider(i, j, SwapDelta(i, j));
    }
  }
  if (best_j < 0) return false;
  if (best_i < 0) {
    ApplyMove(best_j, group);
  } else {
    ApplySwap(best_i, best_j);
  }
  return true;
}

void SigSolver::RepairConvergence() {
  if (k_conv_ < 2) return;
  for (int group = 0; group < g_;) {
    if (Violation(group) == 0) {
      ++group;
      continue;
    }
    if (!RepairOne(group)) {
      Dissolve(group);
      FillSmallGroups();
      group = 0;
    }
  }
}

// Applies the best improving move or swap for firm i; a left-out firm joins
// any group with room first. Returns whether anything changed and adds the
// objective gain to `gain`.
bool SigSolver::ImproveFirm(int i, double& gain) {
  const int from = group_of_[i];
  const bool can_leave = from == kUnplaced || Size(from) > p_.min_size;
  const double leave = from == kUnplaced
                           ? 0.0
                           : Weighted(sq_[from] - 2 * Dot(i, from) + 1, Size(from) - 1) -
                                 Weighted(sq_[from], Size(from));
  const double* dots = &Dot(i, 0);
  int best_move = -1;
  double best_move_delta = 0;
  // Swap partners come from the groups whose members are most similar to i
  // on average, kept sorted best first.
  std::pair<double, int> near[kSwapGroups];
  int near_count = 0;
  for (int group = 0; group < g_; ++group) {
    if (group == from) continue;
    const int k = Size(group);
    if (k == 0) continue;
    const double mean = dots[group] / k;
    if (near_count < kSwapGroups || mean > near[near_count - 1].first) {
      int pos = near_count < kSwapGroups ? near_count++ : kSwapGroups - 1;
      while (pos > 0 && near[pos - 1].first < mean) {
        near[pos] = near[pos - 1];
        --pos;
      }
      near[pos] = {mean, group};
    }
    if (!can_leave || k >= p_.max_size) continue;
    const double delta =
        leave + Weighted(sq_[group] + 2 * dots[group] + 1, k + 1) - Weighted(sq_[group], k);
    if (from != kUnplaced && delta <= kMinGain) continue;
    if (best_move >= 0 && delta <= best_move_delta) continue;
    if (!MoveAllowed(i, group)) continue;
    best_move = group;
    best_move_delta = delta;
  }
  if (from == kUnplaced && best_move >= 0) {
    ApplyMove(i, best_move);
    return true;
  }
  int best_swap = -1;
  double best_swap_delta = 0;
  for (int r = 0; r < near_count; ++r) {
    for (int j : members_[near[r].second]) {
      const double delta = SwapDelta(i, j);
      if (delta <= kMinGain || (best_swap >= 0 && delta <= best_swap_delta)) continue;
      if (!SwapAllowed(i, j)) continue;
      best_swap = j;
      best_swap_delta = delta;
    }
  }
  if (best_swap >= 0 && (best_move < 0 || best_swap_delta > best_move_delta)) {
    ApplySwap(i, best_swap);
    gain += best_swap_delta;
    return true;
  }
  if (best_move >= 0) {
    ApplyMove(i, best_move);
    gain += best_move_delta;
    return true;
  }
  return false;
}

// Passes over all firms until none improves, the pass limit, or a pass
// gains less than a tiny share of the objective.
void SigSolver::LocalSearch() {
  for (int pass = 0; pass < kMaxPasses; ++pass) {
    bool changed = false;
    double gain = 0;
    for (int i : eligible_) changed |= ImproveFirm(i, gain);
    if (!changed) break;
    double objective = 0;
    for (int group = 0; group < g_; ++group) objective += Weighted(sq_[group], Size(group));
    if (gain < kMinPassGain * std::max(1.0, objective)) break;
  }
}

}  // namespace sig_internal
}  // namespace clustermatch
