#include "engine/relation_graph.h"

namespace clustermatch {

void RelationGraph::Add(const Relation& relation) {
  const int kind = static_cast<int>(relation.kind);
  ++neighbours_[relation.a][relation.b].counts[kind];
  ++neighbours_[relation.b][relation.a].counts[kind];
  ++relation_count_;
}

bool RelationGraph::ExcludesHistory(const PairHistory& history, MatchIntent intent) {
  auto has = [&](RelationKind kind) { return history.counts[static_cast<int>(kind)] > 0; };
  if (has(RelationKind::kPartnered) || has(RelationKind::kDeclined) ||
      has(RelationKind::kDoNotMatch)) {
    return true;
  }
  return intent == MatchIntent::kPartner && has(RelationKind::kCompetitor);
}

bool RelationGraph::Excludes(const std::string& a, const std::string& b, MatchIntent intent) const {
  auto it = neighbours_.find(a);
  if (it == neighbours_.end()) return false;
  auto pair = it->second.find(b);
  return pair != it->second.end() && ExcludesHistory(pair->second, intent);
}

std::vector<std::string> RelationGraph::ExcludedFor(const std::string& id,
                                                    MatchIntent intent) const {
  std::vector<std::string> out;
  auto it = neighbours_.find(id);
  if (it == neighbours_.end()) return out;
  for (const auto& [other, history] : it->second) {
    if (ExcludesHistory(history, intent)) out.push_back(other);
  }
  return out;
}

int RelationGraph::Count(const std::string& a, const std::string& b, RelationKind kind) const {
  auto it = neighbours_.find(a);
  if (it == neighbours_.end()) return 0;
  auto pair = it->second.find(b);
  return pair == it->second.end() ? 0 : pair->second.counts[static_cast<int>(kind)];
}

}  // namespace clustermatch
