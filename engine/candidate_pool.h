// Candidate pools for the founder and consortium workflows: the firms that
// free-text searches find for a topic, its sub-areas or a call's
// capabilities, gathered once, in the order found, with the search
// explanations kept for the reasons shown to the coordinator.
#ifndef CLUSTERMATCH_ENGINE_CANDIDATE_POOL_H_
#define CLUSTERMATCH_ENGINE_CANDIDATE_POOL_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "engine/engine.h"

namespace clustermatch {

class CandidatePool {
 public:
  // Adds the top `k` firms that search finds for `text` under `filter`
  // (hidden and invisible firms are never found). Their explanations for
  // this text are kept under `text`.
  absl::Status AddSearchHits(const Engine& engine, const std::string& text, int k,
                             const SearchFilter& filter);
  // Adds one firm if it exists and passes `filter`; false otherwise.
  bool AddFirm(const Engine& engine, const std::string& id, const SearchFilter& filter);

  size_t size() const { return firms_.size(); }
  const std::vector<std::string>& ids() const { return ids_; }
  const Firm& firm(size_t i) const { return firms_[i]; }
  // Position of a firm in the pool, or -1.
  int IndexOf(const std::string& id) const;
  // The search explanation of firm i for `text`, or null when that search did
  // not find it.
  const Explanation* ExplanationFor(const std::string& text, size_t i) const;

 private:
  size_t Add(const Firm& firm);

  std::vector<std::string> ids_;
  std::vector<Firm> firms_;
  absl::flat_hash_map<std::string, size_t> index_;
  absl::flat_hash_map<std::string, absl::flat_hash_map<size_t, Explanation>> explanations_;
};

// Each of the `rows` rows of a row-major matrix divided by its maximum (rows
// whose maximum is 0 stay 0), so that the best candidate scores 1.
void NormaliseRows(std::vector<float>& matrix, size_t rows);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_CANDIDATE_POOL_H_
