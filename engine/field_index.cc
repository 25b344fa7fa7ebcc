#include "engine/field_index.h"

#include <algorithm>
#include <limits>
#include <queue>

#include "engine/hnsw_link.h"
#include "engine/index_snapshot.h"
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

// The flag byte after a field's rows in a snapshot.
constexpr uint8_t kHasGraph = 1;
constexpr uint8_t kSq8Rows = 2;

// One query scored against a field's rows in their stored format: float
// rows, or SQ8 codes with the query prepared once.
class QueryScorer {
 public:
  QueryScorer(const float* query, const float* rows, const Sq8Storage* sq8, size_t dimension)
      : query_(query), rows_(rows), sq8_(sq8), dimension_(dimension) {
    if (sq8_ != nullptr) prepared_ = sq8_->Prepare(query);
  }
  void Rows(size_t first, size_t n, float* out) const {
    if (sq8_ == nullptr) {
      InnerProductRows(query_, rows_ + first * dimension_, n, dimension_, out);
      return;
    }
    InnerProductU8Rows(prepared_.weights.data(), sq8_->row_codes(first), n, dimension_, out);
    for (size_t i = 0; i < n; ++i) out[i] += prepared_.bias;
  }
  void Gather(const int64_t* ids, size_t n, float* out) const {
    if (sq8_ == nullptr) {
      InnerProductGather(query_, rows_, ids, n, dimension_, out);
      return;
    }
    InnerProductU8Gather(prepared_.weights.data(), sq8_->row_codes(0), ids, n, dimension_, out);
    for (size_t i = 0; i < n; ++i) out[i] += prepared_.bias;
  }

 private:
  const float* query_;
  const float* rows_;
  const Sq8Storage* sq8_;
  const size_t dimension_;
  Sq8Query prepared_;
};

}  // namespace

FieldIndex::FieldIndex(int dimension, const VectorIndexOptions& options)
    : dimension_(dimension),
      options_(options),
      flat_(std::make_unique<SimdFlatStorage>(dimension)),
      norms_(static_cast<size_t>(dimension)) {}

FieldIndex::~FieldIndex() {
  for (omp_lock_t& lock : locks_) omp_destroy_lock(&lock);
}

const faiss::IndexFlatCodes& FieldIndex::storage() const {
  if (graph_ != nullptr) return *static_cast<const faiss::IndexFlatCodes*>(graph_->storage);
  return *flat_;
}

const float* FieldIndex::float_rows() const {
  if (sq8_ != nullptr) return nullptr;
  return static_cast<const faiss::IndexFlat&>(storage()).get_xb();
}

size_t FieldIndex::rows() const { return static_cast<size_t>(storage().ntotal); }

void FieldIndex::CopyRow(size_t index, float* out) const {
  const auto d = static_cast<size_t>(dimension_);
  if (sq8_ != nullptr) {
    sq8_->DecodeRow(index, out);
  } else {
    std::copy_n(float_rows() + index * d, d, out);
  }
}

void FieldIndex::UseQuantizerOf(const FieldIndex& other) {
  if (other.sq8_ != nullptr && graph_ == nullptr) adopted_ranges_ = other.sq8_->ranges();
}

size_t FieldIndex::MemoryBytes() const {
  size_t bytes = storage().codes.capacity();
  if (sq8_ != nullptr) {
    // The quantizer's ranges and the derived offsets and scales.
    bytes += 4 * static_cast<size_t>(dimension_) * sizeof(float);
  }
  bytes += adopted_ranges_.capacity() * sizeof(float);
  if (graph_ != nullptr) {
    const faiss::HNSW& hnsw = graph_->hnsw;
    bytes += hnsw.assign_probas.capacity() * sizeof(double) +
             hnsw.cum_nneighbor_per_level.capacity() * sizeof(int) +
             hnsw.levels.capacity() * sizeof(int) + hnsw.offsets.capacity() * sizeof(size_t) +
             hnsw.neighbors.capacity() * sizeof(faiss::HNSW::storage_idx_t);
  }
  bytes += locks_.capacity() * sizeof(omp_lock_t);
  bytes += norms_.MemoryBytes();
  return bytes;
}

void FieldIndex::EraseRow(size_t index) {
  auto& stored = const_cast<faiss::IndexFlatCodes&>(storage());
  std::fill_n(stored.codes.begin() + static_cast<std::ptrdiff_t>(index * stored.code_size),
              stored.code_size, uint8_t{0});
  norms_.Zero(index);
}

void FieldIndex::Append(const float* values, size_t n) {
  if (n == 0) return;
  const auto count = static_cast<faiss::Index::idx_t>(n);
  if (graph_ != nullptr) {
    const size_t first = rows();
    auto& stored = static_cast<faiss::IndexFlatCodes&>(*graph_->storage);
    GrowGently(stored.codes, n * stored.code_size);
    stored.add(count, values);  // encoded when the rows are SQ8
    graph_->ntotal = graph_->storage->ntotal;
    if (sq8_ == nullptr) norms_.Append(values, n);
    LinkRows(first, n, values);
    return;
  }
  const size_t before = rows();
  try {
    GrowGently(flat_->codes, n * flat_->code_size);
    flat_->add(count, values);
    norms_.Append(values, n);
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
  norms_.Truncate(count);
}

// Hands the rows to a new graph as its storage and links them all. With SQ8
// rows the storage is a new Sq8Storage (trained on the rows, or with the
// adopted quantizer) holding their codes, and the floats are freed once the
// rows are linked (linking uses the exact floats as queries, as Faiss's
// IndexHNSW::add does).
void FieldIndex::BuildGraph() {
  const size_t n = rows();
  std::unique_ptr<Sq8Storage> codes;
  if (options_.row_format == RowFormat::kSq8) {
    codes = std::make_unique<Sq8Storage>(dimension_);
    if (adopted_ranges_.empty() || !codes->SetRanges(adopted_ranges_)) {
      codes->Train(flat_->get_xb(), n);
    }
    GrowGently(codes->codes, n * codes->code_size);
    codes->add(static_cast<faiss::Index::idx_t>(n), flat_->get_xb());
  }
  faiss::Index* storage = codes != nullptr ? static_cast<faiss::Index*>(codes.get()) : flat_.get();
  auto graph = std::make_unique<faiss::IndexHNSW>(storage, options_.hnsw_m);
  graph->own_fields = true;
  graph->hnsw.efConstruction = options_.hnsw_ef_construction;
  graph->ntotal = static_cast<faiss::Index::idx_t>(n);
  // The handover below cannot throw; once it is done, a throw while linking
  // leaves a graph the caller must rebuild (Append's contract).
  graph_ = std::move(graph);
  std::unique_ptr<SimdFlatStorage> floats = std::move(flat_);
  const float* values = floats->get_xb();
  if (codes != nullptr) {
    norms_.Clear();  // the floats are freed below
    sq8_ = codes.release();
    adopted_ranges_.clear();
    adopted_ranges_.shrink_to_fit();
  } else {
    static_cast<void>(floats.release());
  }
  LinkRows(0, n, values);
}

// Links rows [first, first + n) the way Faiss's IndexHNSW::add does: levels
// drawn by Faiss, the highest-level rows first, each level's rows in parallel
// through HnswLinkRow (Faiss's insertion, hnsw_link.h). Unlike Faiss's add it
// keeps its lock table between calls, links a single row without an OpenMP
// region, and leaves all-zero rows (a firm without text in this field, never
// searched for) unlinked, so they cost no graph work and no query can reach
// them.
void FieldIndex::LinkRows(size_t first, size_t n, const float* values) {
  faiss::HNSW& hnsw = graph_->hnsw;
  // prepare_level_tab appends to these; about 2M + 1 links per row.
  GrowGently(hnsw.levels, n);
  GrowGently(hnsw.offsets, n);
  GrowGently(hnsw.neighbors, n * static_cast<size_t>(hnsw.nb_neighbors(0) + 2));
  hnsw.prepare_level_tab(n, false);
  const size_t total = rows();
  GrowGently(locks_, total - std::min(total, locks_.size()));
  while (locks_.size() < total) {
    locks_.emplace_back();
    omp_init_lock(&locks_.back());
  }
  const auto d = static_cast<size_t>(dimension_);
  std::vector<std::pair<int, int>> order;  // (level, row), highest level first
  auto query_of = [&](int row) { return values + (static_cast<size_t>(row) - first) * d; };
  for (size_t i = first; i < first + n; ++i) {
    const float* row = values + (i - first) * d;
    if (std::all_of(row, row + d, [](float v) { return v == 0.0f; })) continue;
    order.emplace_back(hnsw.levels[i] - 1, static_cast<int>(i));
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  auto link = [&](int row) {
    if (sq8_ != nullptr) {
      HnswLinkRow(hnsw, locks_, *sq8_, row, query_of(row));
    } else {
      HnswLinkRow(hnsw, locks_, float_rows(), d, row, query_of(row));
    }
  };
  if (order.size() < 64) {
    for (const auto& entry : order) link(entry.second);
    return;
  }
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin;
    while (end < order.size() && order[end].first == order[begin].first) ++end;
#pragma omp parallel for schedule(dynamic, 16)
    for (size_t i = begin; i < end; ++i) link(order[i].second);
    begin = end;
  }
}

void FieldIndex::SaveTo(SnapshotSink& out) const {
  out.Vector(storage().codes);
  out.Value<uint8_t>((graph_ != nullptr ? kHasGraph : 0) | (sq8_ != nullptr ? kSq8Rows : 0));
  if (sq8_ != nullptr) out.Vector(sq8_->ranges());
  if (graph_ == nullptr) return;
  const faiss::HNSW& hnsw = graph_->hnsw;
  out.Vector(hnsw.assign_probas);
  out.Vector(hnsw.cum_nneighbor_per_level);
  out.Vector(hnsw.levels);
  out.Vector(hnsw.offsets);
  out.Vector(hnsw.neighbors);
  out.Value<int32_t>(hnsw.entry_point);
  out.Value<int32_t>(hnsw.max_level);
}

namespace {

// Why a graph read from a snapshot cannot be searched safely, or "" if it
// can: every size agrees with the rows and every link names a row.
std::string GraphProblem(const faiss::HNSW& hnsw, size_t rows) {
  const auto& cum = hnsw.cum_nneighbor_per_level;
  if (cum.empty() || cum[0] != 0 || !std::is_sorted(cum.begin(), cum.end())) {
    return "bad neighbours-per-level table";
  }
  if (hnsw.assign_probas.size() + 1 != cum.size()) return "level tables disagree";
  if (hnsw.levels.size() != rows || hnsw.offsets.size() != rows + 1) {
    return "graph tables do not match the rows";
  }
  const auto levels = static_cast<int>(cum.size()) - 1;
  for (size_t i = 0; i < rows; ++i) {
    const int level = hnsw.levels[i];
    if (level < 1 || level > levels ||
        hnsw.offsets[i + 1] - hnsw.offsets[i] != static_cast<size_t>(cum[level])) {
      return "bad level or link count";
    }
  }
  if (hnsw.offsets[0] != 0 || hnsw.offsets[rows] != hnsw.neighbors.size()) {
    return "links do not match their offsets";
  }
  const auto n = static_cast<int64_t>(rows);
  for (const int neighbor : hnsw.neighbors) {
    if (neighbor < -1 || neighbor >= n) return "a link names no row";
  }
  if (hnsw.entry_point < -1 || hnsw.entry_point >= n || hnsw.max_level < -1 ||
      hnsw.max_level >= levels ||
      (hnsw.entry_point >= 0 && hnsw.levels[hnsw.entry_point] - 1 != hnsw.max_level)) {
    return "bad entry point";
  }
  return "";
}

}  // namespace

void FieldIndex::LoadFrom(SnapshotSource& in) {
  std::vector<uint8_t> codes = in.Vector<uint8_t>();
  const auto flags = in.Value<uint8_t>();
  const bool has_graph = (flags & kHasGraph) != 0;
  const bool sq8 = (flags & kSq8Rows) != 0;
  std::vector<float> ranges;
  if (sq8) ranges = in.Vector<float>();
  const bool want_sq8 = options_.row_format == RowFormat::kSq8;
  if (!in.ok()) {
  } else if ((flags & ~(kHasGraph | kSq8Rows)) != 0) {
    in.Fail("unknown row format flags");
  } else if (sq8 && !want_sq8) {
    in.Fail("SQ8 rows, but the index keeps float rows");
  } else if (sq8 && !has_graph) {
    in.Fail("SQ8 rows without a graph");
  } else if (!sq8 && has_graph && want_sq8) {
    in.Fail("float rows with a graph, but the index keeps SQ8 rows");
  }
  const auto d = static_cast<size_t>(dimension_);
  const size_t row_bytes = sq8 ? d : d * sizeof(float);
  if (in.ok() && codes.size() % row_bytes != 0) in.Fail("rows are not whole vectors");
  if (!in.ok() || graph_ != nullptr || rows() != 0) return;
  const size_t n = codes.size() / row_bytes;
  if (!sq8) norms_.Append(reinterpret_cast<const float*>(codes.data()), n);
  if (!has_graph) {
    flat_->codes = std::move(codes);
    flat_->ntotal = static_cast<faiss::Index::idx_t>(n);
    if (n >= options_.exact_below) BuildGraph();
    return;
  }
  std::unique_ptr<faiss::IndexFlatCodes> storage;
  if (sq8) {
    auto quantized = std::make_unique<Sq8Storage>(dimension_);
    if (!quantized->SetRanges(ranges)) {
      in.Fail("bad SQ8 quantizer ranges");
      return;
    }
    storage = std::move(quantized);
  } else {
    storage = std::make_unique<SimdFlatStorage>(dimension_);
  }
  storage->codes = std::move(codes);
  storage->ntotal = static_cast<faiss::Index::idx_t>(n);
  auto graph = std::make_unique<faiss::IndexHNSW>(storage.get(), options_.hnsw_m);
  faiss::HNSW& hnsw = graph->hnsw;
  hnsw.assign_probas = in.Vector<double>();
  hnsw.cum_nneighbor_per_level = in.Vector<int>();
  hnsw.levels = in.Vector<int>();
  hnsw.offsets = in.Vector<size_t>();
  hnsw.neighbors = in.Vector<faiss::HNSW::storage_idx_t>();
  hnsw.entry_point = in.Value<int32_t>();
  hnsw.max_level = in.Value<int32_t>();
  if (in.ok()) {
    if (const std::string problem = GraphProblem(hnsw, n); !problem.empty()) in.Fail(problem);
  }
  if (!in.ok()) {
    graph->storage = nullptr;  // `storage` still owns the rows
    norms_.Clear();
    return;
  }
  hnsw.efConstruction = options_.hnsw_ef_construction;
  graph->own_fields = true;
  graph->ntotal = static_cast<faiss::Index::idx_t>(n);
  graph_ = std::move(graph);
  flat_.reset();
  if (sq8) sq8_ = static_cast<const Sq8Storage*>(storage.get());
  static_cast<void>(storage.release());
}

std::vector<ScoredRow> FieldIndex::ScanAll(const float* query, size_t k,
                                           const faiss::IDSelector& admit) const {
  TopRows top(k);
  const size_t total = rows();
  const QueryScorer scorer(query, float_rows(), sq8_, static_cast<size_t>(dimension_));
  float scores[kScanBlock];
  for (size_t start = 0; start < total; start += kScanBlock) {
    const size_t n = std::min(kScanBlock, total - start);
    scorer.Rows(start, n, scores);
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
  if (sq8_ == nullptr && norms_.size() == this->rows() && rows.size() > 2 * k) {
    return ScanRowsBounded(query, k, rows);
  }
  TopRows top(k);
  const QueryScorer scorer(query, float_rows(), sq8_, static_cast<size_t>(dimension_));
  float scores[kScanBlock];
  for (size_t start = 0; start < rows.size(); start += kScanBlock) {
    const size_t n = std::min(kScanBlock, rows.size() - start);
    scorer.Gather(rows.data() + start, n, scores);
    for (size_t i = 0; i < n; ++i) top.Push(scores[i], rows[start + i]);
  }
  return top.Take();
}

// Scores each row's head, and the whole row only when the head's bound
// (RowNorms) reaches the k-th best score so far. The rows kept are scored by
// InnerProduct over d floats, the kernel of InnerProductGather, so the answer
// is the plain scan's. Rows whose heads carry little (an untrained model's
// hashed dimensions) are not worth the second look: if the first rows are
// mostly scored in full, the rest go through the plain gather.
std::vector<ScoredRow> FieldIndex::ScanRowsBounded(const float* query, size_t k,
                                                   std::span<const int64_t> rows) const {
  constexpr size_t kAhead = 4;  // rows whose heads are fetched ahead
  // After kTrialRows the bound must have settled a quarter of the rows. The
  // k-th score climbs as rows are seen, so early rows are settled less often
  // than later ones (at a 1% filter of 1M firms, 90% over all rows).
  constexpr size_t kTrialRows = 4096;
  TopRows top(k);
  const auto d = static_cast<size_t>(dimension_);
  const size_t head = norms_.head();
  const size_t head_bytes = head * sizeof(float);
  const float* base = float_rows();
  const RowNorms::Query prepared = norms_.Prepare(query);
  size_t skipped = 0;
  size_t i = 0;
  for (; i < rows.size(); ++i) {
    if (i == kTrialRows && skipped < kTrialRows / 4) break;
    if (i + kAhead < rows.size()) {
      const char* ahead =
          reinterpret_cast<const char*>(base + static_cast<size_t>(rows[i + kAhead]) * d);
      for (size_t offset = 0; offset < head_bytes; offset += 64) __builtin_prefetch(ahead + offset);
    }
    const auto row = static_cast<size_t>(rows[i]);
    const float* values = base + row * d;
    const float threshold = top.threshold();
    if (threshold > -std::numeric_limits<float>::infinity() &&
        norms_.Bound(prepared, row, InnerProduct(query, values, head)) < threshold) {
      ++skipped;
      continue;
    }
    top.Push(InnerProduct(query, values, d), rows[i]);
  }
  float scores[kScanBlock];
  for (; i < rows.size(); i += kScanBlock) {
    const size_t n = std::min(kScanBlock, rows.size() - i);
    InnerProductGather(query, base, rows.data() + i, n, d, scores);
    for (size_t j = 0; j < n; ++j) top.Push(scores[j], rows[i + j]);
  }
  return top.Take();
}

std::vector<ScoredRow> FieldIndex::SearchGraph(const float* query, size_t k, size_t ef,
                                               const faiss::IDSelector* admit, size_t max_scored,
                                               bool* cut_short) const {
  if (sq8_ != nullptr) {
    return HnswBeamSearch(graph_->hnsw, *sq8_, sq8_->Prepare(query), k, ef, admit, max_scored,
                          cut_short);
  }
  return HnswBeamSearch(graph_->hnsw, float_rows(), static_cast<size_t>(dimension_), query, k, ef,
                        admit, max_scored, cut_short);
}

}  // namespace clustermatch
