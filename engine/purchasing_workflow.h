// Joint-purchasing pools: the firms a coordinator selects, pooled by the
// materials they buy (purchasing_pools.h). Spellings of one material merge
// when their embeddings are close enough; competitors may share a pool,
// do-not-match pairs never do.
#ifndef CLUSTERMATCH_ENGINE_PURCHASING_WORKFLOW_H_
#define CLUSTERMATCH_ENGINE_PURCHASING_WORKFLOW_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/engine.h"

namespace clustermatch {

struct PoolRequest {
  SearchFilter filter;  // which firms; the caller's visibility
  int min_size = 2;
  int max_size = 0;  // 0: no cap
  // Spellings whose embeddings have at least this cosine are one material;
  // with merge_similar false, only equal spellings (after normalisation) are.
  bool merge_similar = true;
  float merge_threshold = 0.9f;
};

struct PoolMember {
  std::string id;
  std::string name;
  std::string mini_cluster;
};

struct PoolSummary {
  std::string material;
  std::vector<std::string> spellings;
  std::vector<PoolMember> members;
  int part = 1;
  int parts = 1;
};

struct PoolLeftOutFirm {
  std::string firm_id;
  std::string material;
  std::string reason;
};

struct PoolReport {
  size_t firms = 0;                 // selected
  size_t firms_with_materials = 0;  // of those, firms that list materials
  std::vector<PoolSummary> pools;   // largest first
  std::vector<PoolLeftOutFirm> left_out;
};

absl::StatusOr<PoolReport> ProposePurchasingPools(const Engine& engine, const PoolRequest& request);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_PURCHASING_WORKFLOW_H_
