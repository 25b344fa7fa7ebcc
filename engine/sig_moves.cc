// SIG solver moves (see sig_solver.h): mini-cluster and do-not-match checks,
// O(1) objective deltas of moving or swapping firms, the rules a move or swap
// must keep, applying them to the dot-product state, dissolving a group and
// adding an empty one.
#include "engine/sig_solver.h"

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace clustermatch {
namespace sig_internal {

int SigSolver::Distinct(int group, int removed, int added) const {
  int seen[64] = {};
  std::vector<int> overflow;
  int count = 0;
  auto note = [&](int mc) {
    if (mc < 0) return;
    for (int s = 0; s < std::min(count, 64); ++s) {
      if (seen[s] == mc) return;
    }
    if (std::find(overflow.begin(), overflow.end(), mc) != overflow.end()) return;
    if (count < 64) {
      seen[count] = mc;
    } else {
      overflow.push_back(mc);
    }
    ++count;
  };
  for (int i : members_[group]) {
    if (i != removed) note(mc_[i]);
  }
  if (added >= 0) note(mc_[added]);
  return count;
}

bool SigSolver::Conflicts(int i, int group, int ignored) const {
  for (int c : conflicts_[i]) {
    if (c != ignored && group_of_[c] == group) return true;
  }
  return false;
}

double SigSolver::MoveDelta(int i, int to) {
  const int from = group_of_[i];
  double delta = 0;
  if (from != kUnplaced) {
    const int k = Size(from);
    delta += Weighted(sq_[from] - 2 * Dot(i, from) + 1, k - 1) - Weighted(sq_[from], k);
  }
  if (to != kUnplaced) {
    const int k = Size(to);
    delta += Weighted(sq_[to] + 2 * Dot(i, to) + 1, k + 1) - Weighted(sq_[to], k);
  }
  return delta;
}

double SigSolver::SwapDelta(int i, int j) {
  const int a = group_of_[i], b = group_of_[j];
  const double gram = Gram(i, j);
  double delta = 0;
  if (a != kUnplaced) {
    const double sq = sq_[a] + 2 - 2 * Dot(i, a) + 2 * Dot(j, a) - 2 * gram;
    delta += Weighted(sq, Size(a)) - Weighted(sq_[a], Size(a));
  }
  if (b != kUnplaced) {
    const double sq = sq_[b] + 2 - 2 * Dot(j, b) + 2 * Dot(i, b) - 2 * gram;
    delta += Weighted(sq, Size(b)) - Weighted(sq_[b], Size(b));
  }
  return delta;
}

bool SigSolver::MoveAllowed(int i, int to) const {
  const int from = group_of_[i];
  if (to == from || to == kUnplaced) return false;
  if (Size(to) >= p_.max_size) return false;
  if (from != kUnplaced && Size(from) <= p_.min_size) return false;
  if (Conflicts(i, to, -1)) return false;
  if (k_conv_ >= 2 && from != kUnplaced && Violation(from, i, -1) > Violation(from)) return false;
  return true;
}

bool SigSolver::SwapAllowed(int i, int j) const {
  const int a = group_of_[i], b = group_of_[j];
  if (a == b) return false;
  if (a != kUnplaced && Conflicts(j, a, i)) return false;
  if (b != kUnplaced && Conflicts(i, b, j)) return false;
  if (k_conv_ >= 2) {
    if (a != kUnplaced && Violation(a, i, j) > Violation(a)) return false;
    if (b != kUnplaced && Violation(b, j, i) > Violation(b)) return false;
  }
  return true;
}

void SigSolver::ApplyMove(int i, int to) {
  const int from = group_of_[i];
  if (from == to) return;
  const float* column = Column(i);
  if (from != kUnplaced) {
    sq_[from] += 1 - 2 * Dot(i, from);
    auto& list = members_[from];
    list.erase(std::find(list.begin(), list.end(), i));
  }
  if (to != kUnplaced) {
    sq_[to] += 1 + 2 * Dot(i, to);
    members_[to].push_back(i);
  }
  for (int j : eligible_) {
    double* row = &Dot(j, 0);
    if (from != kUnplaced) row[from] -= column[j];
    if (to != kUnplaced) row[to] += column[j];
  }
  group_of_[i] = to;
}

void SigSolver::ApplySwap(int i, int j) {
  const int a = group_of_[i], b = group_of_[j];
  ApplyMove(i, b);
  ApplyMove(j, a);
}

// Sends the members of `group` to the best other groups with room (or leaves
// them unplaced) and removes the group; the last group takes its number.
void SigSolver::Dissolve(int group) {
  const std::vector<int> leaving = members_[group];
  for (int i : leaving) {
    int best = kUnplaced;
    double best_delta = 0;
    for (int other = 0; other < g_; ++other) {
      if (other == group || Size(other) >= p_.max_size || Conflicts(i, other, -1)) continue;
      const double delta = MoveDelta(i, other);
      if (best == kUnplaced || delta > best_delta) {
        best = other;
        best_delta = delta;
      }
    }
    ApplyMove(i, kUnplaced);
    if (best != kUnplaced) ApplyMove(i, best);
  }
  const int last = g_ - 1;
  if (group != last) {
    members_[group] = std::move(members_[last]);
    sq_[group] = sq_[last];
    for (int i : members_[group]) group_of_[i] = group;
    for (int j : eligible_) Dot(j, group) = Dot(j, last);
  }
  members_.pop_back();
  sq_.pop_back();
  --g_;
}

int SigSolver::AddGroup() {
  if (g_ == stride_) {
    const int wider = stride_ + 8;
    std::vector<double> grown(static_cast<size_t>(n_) * wider, 0.0);
    for (int i = 0; i < n_; ++i) {
      std::copy_n(dots_.data() + static_cast<size_t>(i) * stride_, g_,
                  grown.data() + static_cast<size_t>(i) * wider);
    }
    dots_ = std::move(grown);
    stride_ = wider;
  }
  for (int i = 0; i < n_; ++i) Dot(i, g_) = 0;
  members_.emplace_back();
  sq_.push_back(0);
  return g_++;
}

}  // namespace sig_internal
}  // namespace clustermatch
