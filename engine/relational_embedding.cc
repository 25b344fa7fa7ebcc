#include "engine/relational_embedding.h"

#include <faiss/IndexFlat.h>

#include <Eigen/Dense>
#include <Eigen/SparseCore>
#include <algorithm>
#include <cmath>
#include <random>

namespace clustermatch {
namespace {

using SparseMatrix = Eigen::SparseMatrix<float, Eigen::RowMajor>;
using DenseMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Row-stochastic transition matrix; repeated collaborations weigh more
// (1 + ln count), so a firm's steady partners pull hardest.
SparseMatrix Transitions(const PartnerGraph& graph) {
  const int32_t n = graph.node_count();
  std::vector<Eigen::Triplet<float>> triplets;
  triplets.reserve(graph.pair_count() * 2);
  for (int32_t node = 0; node < n; ++node) {
    float total = 0;
    for (const PartnerEdge& edge : graph.Partners(node)) {
      total += 1.0f + std::log(static_cast<float>(edge.count));
    }
    for (const PartnerEdge& edge : graph.Partners(node)) {
      triplets.emplace_back(node, edge.node,
                            (1.0f + std::log(static_cast<float>(edge.count))) / total);
    }
  }
  SparseMatrix transitions(n, n);
  transitions.setFromTriplets(triplets.begin(), triplets.end());
  return transitions;
}

// Very sparse random projection (Achlioptas / Li): entries ±1 with
// probability 1/(2s) each, s = 3.
DenseMatrix RandomProjection(int32_t rows, int columns, uint64_t seed) {
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> pick(0, 5);
  DenseMatrix projection = DenseMatrix::Zero(rows, columns);
  for (int32_t r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      const int draw = pick(random);
      if (draw == 0) projection(r, c) = 1;
      if (draw == 1) projection(r, c) = -1;
    }
  }
  return projection;
}

void NormaliseRows(DenseMatrix& matrix) {
  for (Eigen::Index r = 0; r < matrix.rows(); ++r) {
    const float norm = matrix.row(r).norm();
    if (norm > 0) matrix.row(r) /= norm;
  }
}

}  // namespace

RelationalEmbedding::RelationalEmbedding() = default;
RelationalEmbedding::RelationalEmbedding(RelationalEmbedding&&) noexcept = default;
RelationalEmbedding& RelationalEmbedding::operator=(RelationalEmbedding&&) noexcept = default;
RelationalEmbedding::~RelationalEmbedding() = default;

RelationalEmbedding RelationalEmbedding::Build(const PartnerGraph& graph,
                                               const RelationalEmbeddingOptions& options) {
  RelationalEmbedding embedding;
  const int32_t n = graph.node_count();
  const int d = options.dimension;
  embedding.dimension_ = d;
  embedding.node_count_ = n;
  embedding.index_ = std::make_unique<faiss::IndexFlatIP>(d);
  embedding.vectors_.assign(static_cast<size_t>(n) * d, 0.0f);
  if (n == 0 || graph.pair_count() == 0) return embedding;

  const SparseMatrix transitions = Transitions(graph);
  DenseMatrix step = RandomProjection(n, d, options.seed);
  DenseMatrix sum = DenseMatrix::Zero(n, d);
  for (float weight : options.step_weights) {
    DenseMatrix next = transitions * step;
    step = next;
    NormaliseRows(next);
    sum += weight * next;
  }
  NormaliseRows(sum);
  std::vector<float> searchable_vectors;
  for (int32_t node = 0; node < n; ++node) {
    if (graph.Degree(node) == 0) continue;
    std::copy(sum.row(node).data(), sum.row(node).data() + d,
              embedding.vectors_.begin() + static_cast<size_t>(node) * d);
    embedding.searchable_.push_back(node);
    searchable_vectors.insert(searchable_vectors.end(), sum.row(node).data(),
                              sum.row(node).data() + d);
  }
  embedding.index_->add(static_cast<faiss::Index::idx_t>(embedding.searchable_.size()),
                        searchable_vectors.data());
  return embedding;
}

float RelationalEmbedding::Cosine(int32_t a, int32_t b) const {
  if (vectors_.empty()) return 0;
  const std::span<const float> x = Vector(a);
  const std::span<const float> y = Vector(b);
  float dot = 0;
  for (int i = 0; i < dimension_; ++i) dot += x[i] * y[i];
  return dot;
}

std::vector<std::pair<int32_t, float>> RelationalEmbedding::Nearest(int32_t node, int count) const {
  std::vector<std::pair<int32_t, float>> out;
  if (index_ == nullptr) return out;
  const auto searchable = static_cast<int>(searchable_.size());
  const int fetch = std::min(count + 1, searchable);
  if (fetch <= 0) return out;
  const std::span<const float> query = Vector(node);
  if (std::all_of(query.begin(), query.end(), [](float x) { return x == 0; })) return out;
  std::vector<float> distances(fetch);
  std::vector<faiss::Index::idx_t> labels(fetch);
  index_->search(1, query.data(), fetch, distances.data(), labels.data());
  for (int i = 0; i < fetch && static_cast<int>(out.size()) < count; ++i) {
    if (labels[i] < 0) continue;
    const int32_t found = searchable_[labels[i]];
    if (found != node) out.emplace_back(found, distances[i]);
  }
  return out;
}

}  // namespace clustermatch
