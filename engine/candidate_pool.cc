#include "engine/candidate_pool.h"

#include <algorithm>

#include "engine/status_macros.h"

namespace clustermatch {

size_t CandidatePool::Add(const Firm& firm) {
  auto [it, added] = index_.emplace(firm.id, firms_.size());
  if (added) {
    ids_.push_back(firm.id);
    firms_.push_back(firm);
  }
  return it->second;
}

absl::Status CandidatePool::AddSearchHits(const Engine& engine, const std::string& text, int k,
                                          const SearchFilter& filter) {
  SearchRequest request;
  request.text = text;
  request.k = k;
  request.filter = filter;
  CM_ASSIGN_OR_RETURN(std::vector<Recommendation> hits, engine.Search(request));
  std::vector<std::string> ids;
  for (const Recommendation& hit : hits) ids.push_back(hit.firm_id);
  // Fetched through GroupFirms, so a firm changed since the search is
  // checked against the filter again.
  const std::vector<GroupFirm> found = engine.GroupFirms(filter, ids);
  size_t next = 0;
  for (Recommendation& hit : hits) {
    if (next >= found.size() || found[next].firm.id != hit.firm_id) continue;
    const size_t i = Add(found[next++].firm);
    explanations_[text].emplace(i, std::move(hit.explanation));
  }
  return absl::OkStatus();
}

bool CandidatePool::AddFirm(const Engine& engine, const std::string& id,
                            const SearchFilter& filter) {
  const std::string ids[] = {id};
  const std::vector<GroupFirm> found = engine.GroupFirms(filter, ids);
  if (found.empty()) return false;
  Add(found.front().firm);
  return true;
}

int CandidatePool::IndexOf(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? -1 : static_cast<int>(it->second);
}

const Explanation* CandidatePool::ExplanationFor(const std::string& text, size_t i) const {
  auto by_text = explanations_.find(text);
  if (by_text == explanations_.end()) return nullptr;
  auto it = by_text->second.find(i);
  return it == by_text->second.end() ? nullptr : &it->second;
}

void NormaliseRows(std::vector<float>& matrix, size_t rows) {
  if (rows == 0) return;
  const size_t columns = matrix.size() / rows;
  for (size_t r = 0; r < rows; ++r) {
    const auto begin = matrix.begin() + static_cast<long>(r * columns);
    const auto end = begin + static_cast<long>(columns);
    const float best = columns == 0 ? 0.0f : *std::max_element(begin, end);
    for (auto it = begin; it != end; ++it) *it = best > 0 ? *it / best : 0.0f;
  }
}

}  // namespace clustermatch
