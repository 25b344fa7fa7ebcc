// The exact mode of team selection (see team_selection.h): counting the
// candidate teams to decide whether enumeration is affordable, and the
// exhaustive search for the best feasible team (ties: smaller team, then the
// lexicographically smallest index set).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "engine/team_internal.h"
#include "engine/team_selection.h"

namespace clustermatch {
namespace team_internal {
namespace {

// Exhaustive search over feasible teams containing the required members.
class Exact {
 public:
  Exact(const TeamModel& model, std::vector<int> free) : model_(model), free_(std::move(free)) {}

  // The best feasible team (sorted indexes), or nullopt when none exists.
  std::optional<std::vector<int>> Run(TeamState& state) {
    Visit(state, 0);
    if (!found_) return std::nullopt;
    return best_;
  }

 private:
  void Visit(TeamState& state, size_t next) {
    const TeamProblem& p = model_.problem();
    if (state.Feasible()) {
      const double f = model_.Objective(state.members());
      if (!found_ || f > best_value_ + 1e-12 ||
          (f >= best_value_ - 1e-12 && state.size() < static_cast<int>(best_.size()))) {
        found_ = true;
        best_value_ = f;
        best_ = state.members();
        std::sort(best_.begin(), best_.end());
      }
    }
    if (state.size() >= p.max_size) return;
    for (size_t k = next; k < free_.size(); ++k) {
      const int c = free_[k];
      if (!state.Allowed(c)) continue;
      state.Add(c);
      Visit(state, k + 1);
      state.RemoveLast();
    }
  }

  const TeamModel& model_;
  std::vector<int> free_;
  bool found_ = false;
  double best_value_ = 0;
  std::vector<int> best_;
};

}  // namespace

// Number of teams the exact mode would enumerate, saturated above `limit`.
int64_t ExactCount(int n_free, int required, int min_size, int max_size, int64_t limit) {
  double total = 0;
  for (int size = std::max(min_size, required); size <= max_size; ++size) {
    const int k = size - required;
    if (k > n_free) break;
    double c = 1;
    for (int i = 0; i < k; ++i) c = c * (n_free - i) / (i + 1);
    total += c;
    if (total > static_cast<double>(limit)) return limit + 1;
  }
  return static_cast<int64_t>(std::llround(total));
}

std::optional<std::vector<int>> ExactBestTeam(const TeamModel& model, std::vector<int> free,
                                              TeamState& state) {
  return Exact(model, std::move(free)).Run(state);
}

}  // namespace team_internal
}  // namespace clustermatch
