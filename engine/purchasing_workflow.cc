#include "engine/purchasing_workflow.h"

#include <algorithm>
#include <memory>

#include "absl/container/node_hash_map.h"
#include "engine/purchasing_pools.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

// Cosine of two spellings' embeddings, each embedded once. The cache is a
// node map: operator() holds a reference to the first vector while looking
// up the second, and a flat map's rehash on that insert would free it (the
// ASan suite found exactly that).
class SpellingSimilarity {
 public:
  explicit SpellingSimilarity(const Engine& engine) : engine_(engine) {}

  float operator()(std::string_view a, std::string_view b) {
    const std::vector<float>& x = Vector(a);
    const std::vector<float>& y = Vector(b);
    float dot = 0;
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) dot += x[i] * y[i];
    return std::clamp(dot, 0.0f, 1.0f);
  }

 private:
  const std::vector<float>& Vector(std::string_view text) {
    auto it = vectors_.find(std::string(text));
    if (it != vectors_.end()) return it->second;
    return vectors_.emplace(std::string(text), engine_.EmbedText(text)).first->second;
  }

  const Engine& engine_;
  absl::node_hash_map<std::string, std::vector<float>> vectors_;
};

}  // namespace

absl::StatusOr<PoolReport> ProposePurchasingPools(const Engine& engine,
                                                  const PoolRequest& request) {
  const std::vector<GroupFirm> selected = engine.GroupFirms(request.filter);
  std::vector<PoolFirm> firms;
  std::vector<std::string> ids;
  std::vector<const Firm*> profiles;
  for (const GroupFirm& f : selected) {
    if (f.firm.materials.empty()) continue;
    firms.push_back(PoolFirm{f.firm.id, f.firm.materials});
    ids.push_back(f.firm.id);
    profiles.push_back(&f.firm);
  }
  PoolOptions options;
  options.min_size = request.min_size;
  options.max_size = request.max_size;
  options.merge_threshold = request.merge_threshold;
  const RelationKind never[] = {RelationKind::kDoNotMatch};
  options.never_together = engine.RelatedPairs(ids, never);
  auto similarity = std::make_shared<SpellingSimilarity>(engine);
  if (request.merge_similar) {
    options.similarity = [similarity](std::string_view a, std::string_view b) {
      return (*similarity)(a, b);
    };
  }
  CM_ASSIGN_OR_RETURN(const PoolResult result, FormPurchasingPools(firms, options));

  PoolReport report;
  report.firms = selected.size();
  report.firms_with_materials = firms.size();
  for (const PurchasingPool& pool : result.pools) {
    PoolSummary summary{pool.material, pool.spellings, {}, pool.part, pool.parts};
    for (int m : pool.members) {
      const Firm& firm = *profiles[static_cast<size_t>(m)];
      summary.members.push_back(PoolMember{firm.id, firm.name, firm.mini_cluster});
    }
    report.pools.push_back(std::move(summary));
  }
  for (const PoolLeftOut& out : result.left_out) {
    report.left_out.push_back(PoolLeftOutFirm{ids[static_cast<size_t>(out.firm)], out.material,
                                              std::string(LeftOutReasonName(out.reason))});
  }
  return report;
}

}  // namespace clustermatch
