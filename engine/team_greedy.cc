// The constrained greedy of team selection (see team_selection.h): required
// members first, then the best marginal gain among candidates that keep a
// team meeting min_size and the quotas reachable, checked by a complete
// depth-first completion search with counting bounds and a work budget.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/team_internal.h"
#include "engine/team_selection.h"

namespace clustermatch {
namespace team_internal {
namespace {

// Work units (candidates looked at) one completion search may spend; past it
// the search answers "completable" (optimistic) rather than stall.
constexpr int64_t kCompletionBudget = 200000;

// Whether a team can grow into one meeting min_size and the quotas within
// max_size, with the added members as a witness. The search picks the missing
// research members first (index-increasing sets of research candidates), then
// one candidate per missing mini-cluster, then fillers for min_size. That is
// complete: any completing set holds min_research - research research
// members and a member from each missing mini-cluster it counts on, and the
// order inside each phase does not matter. Counting bounds prune each node;
// past kCompletionBudget work units the answer is kUnknown.
class Completion {
 public:
  enum class Answer { kNo, kYes, kUnknown };

  explicit Completion(const TeamModel& model) : model_(model) {}

  Answer Possible(TeamState& state) {
    budget_ = kCompletionBudget;
    added_.clear();
    witness_.clear();
    exhausted_ = false;
    if (Search(state, Phase::kResearch, 0)) return Answer::kYes;
    return exhausted_ ? Answer::kUnknown : Answer::kNo;
  }
  // The members a kYes answer added, in index order per phase.
  const std::vector<int>& witness() const { return witness_; }

 private:
  enum class Phase { kResearch, kMini, kFill };

  bool Search(TeamState& state, Phase phase, int start) {
    const TeamProblem& p = model_.problem();
    const int n = model_.size();
    const int slots = p.max_size - state.size();
    const int research_deficit = state.ResearchDeficit();
    const int mini_deficit = state.MiniDeficit();
    const int fill = p.min_size - state.size();
    if (research_deficit == 0 && mini_deficit == 0 && fill <= 0) {
      witness_ = added_;
      return true;
    }
    if (std::max({research_deficit, mini_deficit, fill}) > slots) return false;
    if (phase == Phase::kResearch && research_deficit == 0) {
      return Search(state, Phase::kMini, 0);
    }
    if (phase == Phase::kMini && mini_deficit == 0) return Search(state, Phase::kFill, 0);
    // Counting bounds over the candidates still allowed.
    int research = 0, allowed = 0;
    new_minis_.assign(model_.mini_count(), 0);
    int distinct_new = 0;
    for (int c = 0; c < n; ++c) {
      if (!state.Allowed(c)) continue;
      ++allowed;
      if (model_.problem().candidates[c].research) ++research;
      const int m = model_.mini(c);
      if (m >= 0 && !state.HasMini(m) && !new_minis_[m]) {
        new_minis_[m] = 1;
        ++distinct_new;
      }
    }
    budget_ -= n;
    if (budget_ < 0) {
      exhausted_ = true;
      return false;
    }
    if (research < research_deficit || distinct_new < mini_deficit || allowed < fill) return false;
    for (int c = start; c < n; ++c) {
      if (!state.Allowed(c)) continue;
      if (phase == Phase::kResearch && !p.candidates[c].research) continue;
      if (phase == Phase::kMini && !state.Reduces(c)) continue;
      state.Add(c);
      added_.push_back(c);
      const bool ok = Search(state, phase, c + 1);
      added_.pop_back();
      state.RemoveLast();
      if (ok) return true;
      if (exhausted_) return false;
    }
    return false;
  }

  const TeamModel& model_;
  int64_t budget_ = 0;
  bool exhausted_ = false;
  std::vector<int> added_;
  std::vector<int> witness_;
  std::vector<char> new_minis_;
};

}  // namespace

// The constrained greedy of team_selection.h. Returns members in the order chosen.
std::vector<int> Greedy(const TeamModel& model) {
  const TeamProblem& p = model.problem();
  const int n = model.size();
  TeamState state(model);
  for (int i = 0; i < n; ++i) {
    if (p.candidates[i].required) state.Add(i);
  }
  Completion completion(model);
  std::vector<std::pair<double, int>> ranked;  // (-gain, index): best first
  std::vector<int> trial;
  // Members that complete the current team to a feasible one, when known.
  std::vector<int> witness;
  while (state.size() < p.max_size) {
    const double current = model.Objective(state.members());
    ranked.clear();
    trial = state.members();
    trial.push_back(-1);
    for (int c = 0; c < n; ++c) {
      if (!state.Allowed(c)) continue;
      trial.back() = c;
      ranked.emplace_back(-(model.Objective(trial) - current), c);
    }
    if (ranked.empty()) break;
    std::sort(ranked.begin(), ranked.end());
    const bool need_size = state.size() < p.min_size;
    if (!need_size && state.QuotasMet()) {
      if (-ranked.front().first > kTeamMinGain) {
        state.Add(ranked.front().second);
        continue;
      }
      break;
    }
    int pick = -1;
    const Completion::Answer from_here = completion.Possible(state);
    if (from_here == Completion::Answer::kYes) witness = completion.witness();
    if (from_here != Completion::Answer::kNo) {
      int unknown = -1;
      for (const auto& [neg_gain, c] : ranked) {
        if (!need_size && !state.Reduces(c) && -neg_gain <= kTeamMinGain) continue;
        if (from_here == Completion::Answer::kYes) {
          // The witness, with c or plus c, still completes the team.
          const bool in_witness = std::find(witness.begin(), witness.end(), c) != witness.end();
          bool fits = in_witness || state.size() + static_cast<int>(witness.size()) < p.max_size;
          for (size_t k = 0; fits && !in_witness && k < witness.size(); ++k) {
            fits = !model.Forbidden(c, witness[k]);
          }
          if (fits) {
            pick = c;
            break;
          }
        }
        state.Add(c);
        const Completion::Answer answer = completion.Possible(state);
        state.RemoveLast();
        if (answer == Completion::Answer::kYes) {
          pick = c;
          break;
        }
        if (answer == Completion::Answer::kUnknown && unknown < 0) unknown = c;
      }
      if (pick < 0) pick = unknown;  // optimistic when the search ran out of budget
    }
    if (pick < 0) {
      // No feasible team from here: best effort, lowering a deficit first.
      for (const auto& [neg_gain, c] : ranked) {
        if (state.Reduces(c)) {
          pick = c;
          break;
        }
      }
      if (pick < 0 && need_size) pick = ranked.front().second;
    }
    if (pick < 0) break;
    state.Add(pick);
  }
  return state.members();
}

}  // namespace team_internal
}  // namespace clustermatch
