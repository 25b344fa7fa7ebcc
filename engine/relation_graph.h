// RelationGraph: the relations between firms, by firm id, in the form the
// matcher asks about: "may A and B be proposed for this intent?" and "how
// often and how recently did they work together?".
//
// Relations are symmetric for matching: a decline or a do-not-match entered
// by either side keeps the pair apart.
//
// Thread safety: immutable after construction apart from Add; the engine
// rebuilds or extends it under its writer lock.
#ifndef CLUSTERMATCH_ENGINE_RELATION_GRAPH_H_
#define CLUSTERMATCH_ENGINE_RELATION_GRAPH_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/firm.h"

namespace clustermatch {

enum class MatchIntent : uint8_t { kPartner = 0, kPeer = 1, kPurchasing = 2 };

class RelationGraph {
 public:
  void Add(const Relation& relation);

  // True when a relation rules the pair out for the intent: partnered,
  // declined and do-not-match always; competitor for the partner intent.
  bool Excludes(const std::string& a, const std::string& b, MatchIntent intent) const;

  // Ids of every firm `id` may not be matched with for the intent.
  std::vector<std::string> ExcludedFor(const std::string& id, MatchIntent intent) const;

  // Number of relations of `kind` between the two firms (repeats counted).
  int Count(const std::string& a, const std::string& b, RelationKind kind) const;

  size_t relation_count() const { return relation_count_; }

 private:
  // Per-kind counts, indexed by RelationKind.
  struct PairHistory {
    int counts[6] = {0, 0, 0, 0, 0, 0};
  };
  static bool ExcludesHistory(const PairHistory& history, MatchIntent intent);

  absl::flat_hash_map<std::string, absl::flat_hash_map<std::string, PairHistory>> neighbours_;
  size_t relation_count_ = 0;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_RELATION_GRAPH_H_
