#include "engine/field_index.h"

#include <algorithm>
#include <limits>
#include <queue>

#include "engine/vector_index.h"
#include "engine/vector_kernels.h"

namespace clustermatch {
namespace {

// Keeps the k best scores seen; Take() returns them best first.
class TopRows {
 public:
  explicit TopRows(size_t k) : k_(k) {}
  // The score a row must beat to enter (-inf until k rows are held).
  float threshold() const {
    return heap_.size() < k_ ? -std::numeric_limits<float>::infinity() : heap_.top().score;
  }
  void Push(float score, int64_t row) {
    if (heap_.size() < k_) {
      heap_.push({score, row});
    } else if (score > heap_.top().score) {
      heap_.pop();
      heap_.push({score, row});
    }
  }
  std::vector<ScoredRow> Take() {
    std::vector<ScoredRow> out(heap_.size());
    for (size_t i = out.size(); i-- > 0;) {
      out[i] = heap_.top();
      heap_.pop();
    }
    return out;
  }

 private:
  struct Worse {
    bool operator()(const ScoredRow& a, const ScoredRow& b) const { return a.score > b.score; }
  };
  const size_t k_;
  std::priority_queue<ScoredRow, std::vector<ScoredRow>, Worse> heap_;
};

constexpr size_t kScanBlock = 256;  // rows scored per kernel call

}  // namespace

FieldIndex::FieldIndex(int dimension, const VectorIndexOptions& options)
    : dimension_(dimension),
      options_(options),
      flat_(std::make_unique<SimdFlatStorage>(dimension)) {}

FieldIndex::~FieldIndex() {
  for (omp_lock_t& lock : locks_) omp_destroy_lock(&lock);
}

const faiss::IndexFlat& FieldIndex::storage() const {
  if (graph_ != nullptr) return *static_cast<const faiss::IndexFlat*>(graph_->storage);
  return *flat_;
}

size_t FieldIndex::rows() const { return static_cast<size_t>(storage().ntotal); }

const float* FieldIndex::row(size_t index) const {
  return storage().get_xb() + index * static_cast<size_t>(dimension_);
}

void FieldIndex::Append(const float* values, size_t n) {
  if (n == 0) return;
  const auto count = static_cast<faiss::Index::idx_t>(n);
  if (graph_ != nullptr) {
    const size_t first = rows();
    graph_->storage->add(count, values);
    graph_->ntotal = graph_->storage->ntotal;
    LinkRows(first, n);
    return;
  }
  const size_t before = rows();
  try {
    flat_->add(count, values);
    if (rows() >= options_.exact_below) BuildGraph();
  } catch (...) {
    Truncate(before);
    throw;
  }
}

void FieldIndex::Truncate(size_t count) {
  if (graph_ != nullptr || count >= rows()) return;
  flat_->codes.resize(count * flat_->code_size);
  flat_->ntotal = static_cast<faiss::Index::idx_t>(count);
}

// Hands the rows to a new graph as its storage and links them all.
void FieldIndex::BuildGraph() {
  auto graph = std::make_unique<faiss::IndexHNSW>(flat_.get(), options_.hnsw_m);
  graph->own_fields = true;
  graph->hnsw.efConstruction = options_.hnsw_ef_construction;
  graph->ntotal = flat_->ntotal;
  graph_ = std::move(graph);
  static_cast<void>(flat_.release());
  LinkRows(0, rows());
}

// Links rows [first, first + n) the way Faiss's IndexHNSW::add does: levels
// drawn by Faiss, the highest-level rows first, each level's rows in parallel
// through HNSW::add_with_locks. Unlike Faiss's add it keeps its lock table
// between calls, links a single row without an OpenMP region, and leaves
// all-zero rows (a firm without text in this field, never searched for)
// unlinked, so they cost no graph work and no query can reach them.
void FieldIndex::LinkRows(size_t first, size_t n) {
  faiss::HNSW& hnsw = graph_->hnsw;
  hnsw.prepare_level_tab(n, false);
  const size_t total = rows();
  while (locks_.size() < total) {
    locks_.emplace_back();
    omp_init_lock(&locks_.back());
  }
  const auto d = static_cast<size_t>(dimension_);
  std::vector<std::pair<int, int>> order;  // (level, row), highest level first
  for (size_t i = first; i < first + n; ++i) {
    const float* values = row(i);
    if (std::all_of(values, values + d, [](float v) { return v == 0.0f; })) continue;
    order.emplace_back(hnsw.levels[i] - 1, static_cast<int>(i));
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  const auto& storage = static_cast<const faiss::IndexFlat&>(*graph_->storage);
  if (order.size() < 64) {
    if (visited_.visited.size() < total) {
      visited_.visited.resize(std::max(total, 2 * visited_.visited.size()));
    }
    std::unique_ptr<faiss::DistanceComputer> distance = NewNegatedInnerProduct(storage);
    for (const auto& [level, id] : order) {
      distance->set_query(row(static_cast<size_t>(id)));
      hnsw.add_with_locks(*distance, level, id, locks_, visited_);
    }
    return;
  }
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin;
    while (end < order.size() && order[end].first == order[begin].first) ++end;
#pragma omp parallel
    {
      faiss::VisitedTable visited(static_cast<int>(total));
      std::unique_ptr<faiss::DistanceComputer> distance = NewNegatedInnerProduct(storage);
#pragma omp for schedule(dynamic, 16)
      for (size_t i = begin; i < end; ++i) {
        distance->set_query(row(static_cast<size_t>(order[i].second)));
        hnsw.add_with_locks(*distance, order[i].first, order[i].second, locks_, visited);
      }
    }
    begin = end;
  }
}

std::vector<ScoredRow> FieldIndex::ScanAll(const float* query, size_t k,
                                           const faiss::IDSelector& admit) const {
  TopRows top(k);
  const size_t total = rows();
  const auto d = static_cast<size_t>(dimension_);
  const float* base = storage().get_xb();
  float scores[kScanBlock];
  for (size_t start = 0; start < total; start += kScanBlock) {
    const size_t n = std::min(kScanBlock, total - start);
    InnerProductRows(query, base + start * d, n, d, scores);
    for (size_t i = 0; i < n; ++i) {
      // The filter is checked only for rows good enough to enter.
      if (scores[i] > top.threshold() && admit.is_member(static_cast<int64_t>(start + i))) {
        top.Push(scores[i], static_cast<int64_t>(start + i));
      }
    }
  }
  return top.Take();
}

std::vector<ScoredRow> FieldIndex::ScanRows(const float* query, size_t k,
                                            std::span<const int64_t> rows) const {
  TopRows top(k);
  const auto d = static_cast<size_t>(dimension_);
  const float* base = storage().get_xb();
  float scores[kScanBlock];
  for (size_t start = 0; start < rows.size(); start += kScanBlock) {
    const size_t n = std::min(kScanBlock, rows.size() - start);
    InnerProductGather(query, base, rows.data() + start, n, d, scores);
    for (size_t i = 0; i < n; ++i) top.Push(scores[i], rows[start + i]);
  }
  return top.Take();
}

std::vector<ScoredRow> FieldIndex::SearchGraph(const float* query, size_t k, size_t ef,
                                               const faiss::IDSelector* admit, size_t max_scored,
                                               bool* cut_short) const {
  return HnswBeamSearch(graph_->hnsw, storage().get_xb(), static_cast<size_t>(dimension_), query, k,
                        ef, admit, max_scored, cut_short);
}

}  // namespace clustermatch
