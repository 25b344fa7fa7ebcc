// Visited marks for graph walks that survive between walks: a node is visited
// when its mark equals the current epoch, so starting a walk costs one
// increment, not a clear of the table (cleared only when the 16-bit epoch
// wraps). One table per thread.
#ifndef CLUSTERMATCH_ENGINE_VISITED_MARKS_H_
#define CLUSTERMATCH_ENGINE_VISITED_MARKS_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace clustermatch {

class VisitedMarks {
 public:
  // Starts a walk over a graph of `nodes` nodes: nothing is visited.
  void Start(size_t nodes) {
    if (marks_.size() < nodes) marks_.resize(nodes, 0);
    if (++epoch_ == 0) {
      std::fill(marks_.begin(), marks_.end(), 0);
      epoch_ = 1;
    }
  }
  // True the first time `node` is seen in this walk.
  bool Visit(size_t node) {
    if (marks_[node] == epoch_) return false;
    marks_[node] = epoch_;
    return true;
  }

 private:
  std::vector<uint16_t> marks_;
  uint16_t epoch_ = 0;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_VISITED_MARKS_H_
