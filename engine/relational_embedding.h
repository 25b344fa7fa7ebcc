// RelationalEmbedding: a vector per firm from the partner graph alone, by
// fast random projection (FastRP): a sparse random matrix is propagated along
// the degree-normalised graph for a few steps and the normalised steps are
// summed. Firms that work with the same partners, or with partners of the same
// partners, get close vectors even when their profiles share no words. The
// vectors form a further vector field, searched with a Faiss inner-product
// index.
//
// Thread safety: immutable after Build; Search may run on many threads.
#ifndef CLUSTERMATCH_ENGINE_RELATIONAL_EMBEDDING_H_
#define CLUSTERMATCH_ENGINE_RELATIONAL_EMBEDDING_H_

#include <cstdint>
#include <memory>
#include <span>
#include <utility>
#include <vector>

#include "engine/partner_graph.h"

namespace faiss {
struct IndexFlatIP;
}

namespace clustermatch {

struct RelationalEmbeddingOptions {
  int dimension = 64;
  // Weights of the 1-, 2- and 3-step propagations.
  float step_weights[3] = {0.5f, 1.0f, 1.0f};
  uint64_t seed = 20240601;
};

class RelationalEmbedding {
 public:
  // Nodes without partners get a zero vector and are not searchable.
  static RelationalEmbedding Build(const PartnerGraph& graph,
                                   const RelationalEmbeddingOptions& options = {});
  RelationalEmbedding();  // empty: no nodes
  RelationalEmbedding(RelationalEmbedding&&) noexcept;
  RelationalEmbedding& operator=(RelationalEmbedding&&) noexcept;
  ~RelationalEmbedding();

  int dimension() const { return dimension_; }
  int32_t node_count() const { return node_count_; }
  // L2-normalised, or all zeros for a node without partners.
  std::span<const float> Vector(int32_t node) const {
    return {vectors_.data() + static_cast<size_t>(node) * dimension_,
            static_cast<size_t>(dimension_)};
  }
  // Cosine of two nodes' vectors (0 when either has none).
  float Cosine(int32_t a, int32_t b) const;
  // The `count` nodes closest to `node` by inner product, best first, the
  // node itself left out. (node, cosine) pairs.
  std::vector<std::pair<int32_t, float>> Nearest(int32_t node, int count) const;

 private:
  int dimension_ = 0;
  int32_t node_count_ = 0;
  std::vector<float> vectors_;       // node_count × dimension, row-major
  std::vector<int32_t> searchable_;  // index position -> node
  std::unique_ptr<faiss::IndexFlatIP> index_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_RELATIONAL_EMBEDDING_H_
