// Distinctive terms of a group of firms (see group_terms.h).
#include "engine/group_terms.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "models/text_normalizer.h"

namespace clustermatch {

GroupTermIndex::GroupTermIndex(const std::vector<std::vector<std::string>>& firm_terms) {
  absl::flat_hash_map<std::string, int> ids;
  firm_term_ids_.resize(firm_terms.size());
  for (size_t firm = 0; firm < firm_terms.size(); ++firm) {
    auto& held = firm_term_ids_[firm];
    for (const std::string& raw : firm_terms[firm]) {
      absl::StatusOr<std::string> normalized = NormalizeText(raw);
      if (!normalized.ok() || normalized->empty()) continue;
      auto [it, inserted] = ids.try_emplace(*normalized, static_cast<int>(terms_.size()));
      if (inserted) terms_.push_back(Term{*normalized, 0});
      const int id = it->second;
      const bool seen = std::any_of(held.begin(), held.end(),
                                    [id](const auto& entry) { return entry.first == id; });
      if (seen) continue;  // once per firm; the first spelling counts
      ++terms_[id].document_frequency;
      held.emplace_back(id, std::string(absl::StripAsciiWhitespace(raw)));
    }
  }
}

std::vector<std::string> GroupTermIndex::Distinctive(std::span<const int> group, int count) const {
  if (count <= 0) return {};
  std::vector<int> members;
  for (int firm : group) {
    if (firm >= 0 && firm < population()) members.push_back(firm);
  }
  std::sort(members.begin(), members.end());
  members.erase(std::unique(members.begin(), members.end()), members.end());

  struct InGroup {
    int count = 0;
    std::map<std::string, int> spellings;
  };
  absl::flat_hash_map<int, InGroup> in_group;
  for (int firm : members) {
    for (const auto& [id, spelling] : firm_term_ids_[firm]) {
      InGroup& entry = in_group[id];
      ++entry.count;
      ++entry.spellings[spelling];
    }
  }

  struct Scored {
    double score;
    int id;
    const InGroup* entry;
  };
  std::vector<Scored> scored;
  const double n = population();
  const int min_count = members.size() >= 3 ? 2 : 1;
  for (const auto& [id, entry] : in_group) {
    if (entry.count < min_count) continue;
    const double idf = std::log(1.0 + n / terms_[id].document_frequency);
    scored.push_back(Scored{entry.count * idf, id, &entry});
  }
  std::sort(scored.begin(), scored.end(), [this](const Scored& a, const Scored& b) {
    if (a.score != b.score) return a.score > b.score;
    return terms_[a.id].normalized < terms_[b.id].normalized;
  });
  if (static_cast<int>(scored.size()) > count) scored.resize(count);

  std::vector<std::string> labels;
  labels.reserve(scored.size());
  for (const Scored& s : scored) {
    // std::map iterates spellings in ascending order, so the first of the
    // most used wins ties.
    const std::pair<const std::string, int>* best = nullptr;
    for (const auto& spelling : s.entry->spellings) {
      if (best == nullptr || spelling.second > best->second) best = &spelling;
    }
    labels.push_back(best->first);
  }
  return labels;
}

std::vector<std::string> DistinctiveTerms(const std::vector<std::vector<std::string>>& firm_terms,
                                          std::span<const int> group, int count) {
  return GroupTermIndex(firm_terms).Distinctive(group, count);
}

}  // namespace clustermatch
