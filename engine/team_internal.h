// Internal header of team selection (engine/team_selection.h), used only by
// the team_*.cc files: the prepared problem (TeamModel), a team under
// construction (TeamState) and the two searches. Not part of the engine's
// public API.
//
// team_selection.cc  checks the problem, the objective, SelectTeam, ranking
//                    and describing the chosen team;
// team_greedy.cc     the constrained greedy with its quota-completion search;
// team_exact.cc      exhaustive enumeration for small instances.
#ifndef CLUSTERMATCH_ENGINE_TEAM_INTERNAL_H_
#define CLUSTERMATCH_ENGINE_TEAM_INTERNAL_H_

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "engine/team_selection.h"

namespace clustermatch {
namespace team_internal {

// The problem prepared for fast evaluation: mini-cluster ids, forbidden
// adjacency and partnership lookup.
class TeamModel {
 public:
  explicit TeamModel(const TeamProblem& p);

  const TeamProblem& problem() const { return p_; }
  int size() const { return n_; }
  int mini(int i) const { return mini_[i]; }
  int mini_count() const { return mini_count_; }
  const std::vector<int>& forbidden(int i) const { return forbidden_[i]; }
  bool Forbidden(int i, int j) const {
    const std::vector<int>& f = forbidden_[i];
    return std::find(f.begin(), f.end(), j) != f.end();
  }

  double PairScore(int i, int j) const;
  double Coverage(const std::vector<int>& members) const;
  // F(members) of team_selection.h.
  double Objective(const std::vector<int>& members) const;

 private:
  static int64_t Key(int a, int b) {
    if (a > b) std::swap(a, b);
    return (static_cast<int64_t>(a) << 32) | static_cast<uint32_t>(b);
  }

  const TeamProblem& p_;
  int n_;
  double total_weight_ = 0;
  std::vector<int> mini_;
  int mini_count_ = 0;
  std::vector<std::vector<int>> forbidden_;
  absl::flat_hash_set<int64_t> partners_;
};

// A team under construction with what the hard rules need: membership,
// how many members each candidate is forbidden with, research and
// mini-cluster counts.
class TeamState {
 public:
  explicit TeamState(const TeamModel& model)
      : model_(model),
        in_(model.size(), 0),
        blocked_(model.size(), 0),
        mini_members_(model.mini_count(), 0) {}

  void Add(int c) {
    members_.push_back(c);
    in_[c] = 1;
    for (int f : model_.forbidden(c)) ++blocked_[f];
    if (model_.problem().candidates[c].research) ++research_;
    const int m = model_.mini(c);
    if (m >= 0 && mini_members_[m]++ == 0) ++distinct_minis_;
  }
  void RemoveLast() {
    const int c = members_.back();
    members_.pop_back();
    in_[c] = 0;
    for (int f : model_.forbidden(c)) --blocked_[f];
    if (model_.problem().candidates[c].research) --research_;
    const int m = model_.mini(c);
    if (m >= 0 && --mini_members_[m] == 0) --distinct_minis_;
  }

  const std::vector<int>& members() const { return members_; }
  int size() const { return static_cast<int>(members_.size()); }
  // Not a member and not forbidden with one.
  bool Allowed(int c) const { return !in_[c] && blocked_[c] == 0; }
  int research() const { return research_; }
  int distinct_minis() const { return distinct_minis_; }
  bool HasMini(int m) const { return mini_members_[m] > 0; }
  int ResearchDeficit() const { return std::max(0, model_.problem().min_research - research_); }
  int MiniDeficit() const {
    return std::max(0, model_.problem().min_mini_clusters - distinct_minis_);
  }
  bool QuotasMet() const { return ResearchDeficit() == 0 && MiniDeficit() == 0; }
  bool Feasible() const { return QuotasMet() && size() >= model_.problem().min_size; }
  // Whether adding c now lowers a quota deficit.
  bool Reduces(int c) const {
    if (ResearchDeficit() > 0 && model_.problem().candidates[c].research) return true;
    const int m = model_.mini(c);
    return MiniDeficit() > 0 && m >= 0 && mini_members_[m] == 0;
  }

 private:
  const TeamModel& model_;
  std::vector<int> members_;
  std::vector<char> in_;
  std::vector<int> blocked_;
  std::vector<int> mini_members_;
  int research_ = 0;
  int distinct_minis_ = 0;
};

// The constrained greedy of team_selection.h (team_greedy.cc). Returns members
// in the order chosen.
std::vector<int> Greedy(const TeamModel& model);

// Number of teams the exact mode would enumerate, saturated above `limit`
// (team_exact.cc).
int64_t ExactCount(int n_free, int required, int min_size, int max_size, int64_t limit);

// The best feasible team (sorted indexes) among those holding state's members
// plus any of `free`, or nullopt when none exists (team_exact.cc). state is
// restored before returning.
std::optional<std::vector<int>> ExactBestTeam(const TeamModel& model, std::vector<int> free,
                                              TeamState& state);

}  // namespace team_internal
}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_TEAM_INTERNAL_H_
