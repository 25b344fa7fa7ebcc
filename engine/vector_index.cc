#include "engine/vector_index.h"

#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "engine/field_index.h"
#include "engine/index_slots.h"
#include "engine/shared_mutex.h"
#include "engine/status_macros.h"
#include "engine/vector_index_state.h"

namespace clustermatch {
namespace {

using vector_index_internal::FaissError;

using FaissId = faiss::Index::idx_t;

absl::Status CheckVector(std::span<const float> values, int dimension, std::string_view what) {
  if (values.size() != static_cast<size_t>(dimension)) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(what), " has ", values.size(), " floats, expected ", dimension));
  }
  for (float value : values) {
    if (!std::isfinite(value)) {
      return absl::InvalidArgumentError(absl::StrCat(std::string(what), " is not finite"));
    }
  }
  return absl::OkStatus();
}

bool BetterHit(const SearchHit& a, const SearchHit& b) {
  if (a.score != b.score) return a.score > b.score;
  return a.key < b.key;
}

}  // namespace

FirmVectorIndex::FirmVectorIndex(int dimension, VectorIndexOptions options)
    : dimension_(dimension), state_(std::make_unique<State>(dimension, options)) {}

FirmVectorIndex::~FirmVectorIndex() = default;

absl::Status FirmVectorIndex::Upsert(const FirmFacets& facets, const FirmVectors& vectors) {
  const IndexEntry entry{facets, &vectors};
  return UpsertMany({&entry, 1});
}

absl::Status FirmVectorIndex::UpsertMany(std::span<const IndexEntry> entries) {
  std::vector<uint8_t> field_masks(entries.size(), 0);
  for (size_t e = 0; e < entries.size(); ++e) {
    for (int f = 0; f < kVectorFieldCount; ++f) {
      const std::vector<float>& values = entries[e].vectors->fields[static_cast<size_t>(f)];
      if (values.empty()) continue;
      if (absl::Status status =
              CheckVector(values, dimension_, absl::StrCat("vector of field ", f));
          !status.ok()) {
        if (entries.size() == 1) return status;
        return absl::InvalidArgumentError(
            absl::StrCat("firm key ", entries[e].facets.key, ": ", status.message()));
      }
      field_masks[e] |= static_cast<uint8_t>(1u << f);
    }
  }
  if (entries.empty()) return absl::OkStatus();
  // One contiguous block per field, so that a graph links the batch in
  // parallel; fields without text get zero rows.
  const auto d = static_cast<size_t>(dimension_);
  std::vector<float> block;

  ExclusiveLock lock(&state_->mutex);
  State& s = *state_;
  const size_t first = s.slots.size();
  try {
    for (int f = 0; f < kVectorFieldCount; ++f) {
      block.assign(entries.size() * d, 0.0f);
      for (size_t e = 0; e < entries.size(); ++e) {
        const std::vector<float>& values = entries[e].vectors->fields[static_cast<size_t>(f)];
        if (!values.empty()) std::copy(values.begin(), values.end(), block.begin() + e * d);
      }
      s.fields[static_cast<size_t>(f)]->Append(block.data(), entries.size());
    }
  } catch (const std::exception& e) {
    // Keep the fields aligned with the slot table. Rows without a graph are
    // dropped again; a field with a graph cannot unlink a row, so all fields
    // are rebuilt from the slots (the extra rows are not among them).
    bool graph_touched = false;
    for (auto& field : s.fields) {
      if (field->rows() <= first) continue;
      if (field->has_graph()) {
        graph_touched = true;
      } else {
        field->Truncate(first);
      }
    }
    const auto* faiss_error = dynamic_cast<const faiss::FaissException*>(&e);
    absl::Status error =
        faiss_error != nullptr
            ? FaissError(*faiss_error)
            : absl::ResourceExhaustedError(absl::StrCat("vector index: ", e.what()));
    if (graph_touched) {
      if (absl::Status rebuilt = s.CompactLocked(dimension_); !rebuilt.ok()) {
        return absl::InternalError(
            absl::StrCat(error.message(), "; rebuilding the fields failed: ", rebuilt.message()));
      }
    }
    return error;
  }

  GrowGently(s.slots, entries.size());
  for (size_t e = 0; e < entries.size(); ++e) {
    const FirmFacets& facets = entries[e].facets;
    const size_t slot = first + e;
    s.slots.push_back(s.MakeSlot(facets, slot, field_masks[e]));
    auto [it, inserted] = s.slot_of_key.try_emplace(facets.key, slot);
    if (!inserted) {
      s.Tombstone(it->second);
      it->second = slot;
    }
  }
  return s.MaybeCompactLocked(dimension_);
}

absl::Status FirmVectorIndex::Remove(int64_t key) {
  ExclusiveLock lock(&state_->mutex);
  State& s = *state_;
  absl::StatusOr<size_t> position = s.SlotOf(key);
  if (!position.ok()) return position.status();
  s.Tombstone(*position);
  s.slot_of_key.erase(key);
  return s.MaybeCompactLocked(dimension_);
}

absl::Status FirmVectorIndex::Compact() {
  ExclusiveLock lock(&state_->mutex);
  return state_->CompactLocked(dimension_);
}

absl::StatusOr<std::vector<SearchHit>> FirmVectorIndex::Search(VectorField field,
                                                               std::span<const float> query, int k,
                                                               const SearchFilter& filter) const {
  const int f = static_cast<int>(field);
  if (f < 0 || f >= kVectorFieldCount) {
    return absl::InvalidArgumentError(absl::StrCat("unknown vector field ", f));
  }
  if (k <= 0) return absl::InvalidArgumentError(absl::StrCat("k must be positive, got ", k));
  if (absl::Status status = CheckVector(query, dimension_, "query"); !status.ok()) return status;

  SharedLock lock(&state_->mutex);
  const State& s = *state_;
  const FieldIndex& index = *s.fields[static_cast<size_t>(f)];
  const size_t total = index.rows();
  std::vector<SearchHit> hits;
  if (total == 0) return hits;

  const ResolvedFilter resolved(filter, s.strings);
  const SlotSelector selector(s.slots, f, resolved);
  const VectorIndexOptions& options = s.options;
  // Exact answers when the field is small or the filter passes few firms.
  // Otherwise the graph walk gets a budget of rows to score: half the firms
  // the filter may pass (a quarter of the field when postings cannot list
  // them). A filter whose firms lie far from the query would make the walk
  // cover most of the graph; past the budget, scanning the passing rows
  // exactly is cheaper, and exact.
  std::optional<std::vector<int64_t>> few;
  std::optional<State::Restriction> restriction;
  size_t budget = 0;
  if (index.has_graph()) {
    const size_t live = s.slot_of_key.size();
    restriction = s.Narrowest(filter);
    const auto limit =
        std::max(static_cast<size_t>(options.exact_filter_share * static_cast<double>(live)),
                 static_cast<size_t>(k));
    if (restriction.has_value() && restriction->upper_bound <= limit) {
      few = s.PassingRows(filter, *restriction, selector);
    } else {
      budget = restriction.has_value() ? restriction->upper_bound / 2 : live / 4;
    }
  }
  const bool exact = !index.has_graph() || few.has_value();

  // Ties: the kernels break them by row, not by key. Ask for more than k; if
  // the weakest row returned ties the k-th, a tied firm with a smaller key may
  // have been cut off, so ask again for twice as many (exact modes only).
  size_t want = std::min(total, 2 * static_cast<size_t>(k) + 8);
  std::vector<ScoredRow> rows;
  while (true) {
    if (few.has_value()) {
      rows = index.ScanRows(query.data(), want, *few);
    } else if (!index.has_graph()) {
      rows = index.ScanAll(query.data(), want, selector);
    } else {
      // A filter passing a share p of the firms widens the beam by 1/p (at
      // most 4x), so that about as many passing firms are weighed.
      size_t ef = std::max(want, static_cast<size_t>(options.hnsw_ef_search));
      if (restriction.has_value() && restriction->upper_bound > 0) {
        const size_t live = std::max<size_t>(s.slot_of_key.size(), 1);
        ef = ef *
             std::min<size_t>(4, (live + restriction->upper_bound - 1) / restriction->upper_bound);
      }
      bool cut_short = false;
      rows = index.SearchGraph(query.data(), want, ef, &selector, std::max<size_t>(budget, 1),
                               &cut_short);
      // Over budget, or fewer than k found: the exact answer instead.
      if (cut_short || rows.size() < static_cast<size_t>(k)) {
        if (restriction.has_value()) {
          few = s.PassingRows(filter, *restriction, selector);
          rows = index.ScanRows(query.data(), want, *few);
        } else {
          rows = index.ScanAll(query.data(), want, selector);
        }
      }
    }
    hits.clear();
    float weakest = 0;
    for (const ScoredRow& row : rows) {
      hits.push_back({s.slots[static_cast<size_t>(row.row)].key, row.score});
      weakest = hits.size() == 1 ? row.score : std::min(weakest, row.score);
    }
    std::sort(hits.begin(), hits.end(), BetterHit);
    const bool exhausted = hits.size() < want || want == total;
    if (!exact || exhausted || hits[static_cast<size_t>(k) - 1].score > weakest) break;
    want = std::min(total, want * 2);
  }
  if (hits.size() > static_cast<size_t>(k)) hits.resize(static_cast<size_t>(k));
  return hits;
}

absl::StatusOr<FirmVectors> FirmVectorIndex::Vectors(int64_t key, FieldMask fields) const {
  SharedLock lock(&state_->mutex);
  const State& s = *state_;
  absl::StatusOr<size_t> position = s.SlotOf(key);
  if (!position.ok()) return position.status();
  const Slot& slot = s.slots[*position];
  const auto row = static_cast<size_t>(dimension_);
  FirmVectors vectors;
  for (int f = 0; f < kVectorFieldCount; ++f) {
    if ((slot.field_mask & fields & (1u << f)) == 0) continue;
    std::vector<float>& values = vectors.fields[static_cast<size_t>(f)];
    values.resize(row);
    s.fields[static_cast<size_t>(f)]->CopyRow(*position, values.data());
  }
  return vectors;
}

absl::StatusOr<FirmFacets> FirmVectorIndex::Facets(int64_t key) const {
  SharedLock lock(&state_->mutex);
  const State& s = *state_;
  absl::StatusOr<size_t> position = s.SlotOf(key);
  if (!position.ok()) return position.status();
  const Slot& slot = s.slots[*position];
  FirmFacets facets;
  facets.key = slot.key;
  for (int32_t cluster : slot.clusters) facets.clusters.push_back(s.strings.Name(cluster));
  facets.mini_cluster = s.strings.Name(slot.mini_cluster);
  facets.kind = slot.kind;
  facets.region = s.strings.Name(slot.region);
  facets.visibility = slot.visibility;
  return facets;
}

bool FirmVectorIndex::Passes(int64_t key, const SearchFilter& filter) const {
  SharedLock lock(&state_->mutex);
  const State& s = *state_;
  auto it = s.slot_of_key.find(key);
  if (it == s.slot_of_key.end()) return false;
  return ResolvedFilter(filter, s.strings).Passes(s.slots[it->second]);
}

std::vector<int64_t> FirmVectorIndex::Passing(std::span<const int64_t> keys,
                                              const SearchFilter& filter) const {
  SharedLock lock(&state_->mutex);
  const State& s = *state_;
  const ResolvedFilter resolved(filter, s.strings);
  std::vector<int64_t> out;
  for (int64_t key : keys) {
    auto it = s.slot_of_key.find(key);
    if (it != s.slot_of_key.end() && resolved.Passes(s.slots[it->second])) out.push_back(key);
  }
  return out;
}

bool FirmVectorIndex::Contains(int64_t key) const {
  SharedLock lock(&state_->mutex);
  return state_->slot_of_key.contains(key);
}

size_t FirmVectorIndex::size() const {
  SharedLock lock(&state_->mutex);
  return state_->slot_of_key.size();
}

size_t FirmVectorIndex::tombstone_count() const {
  SharedLock lock(&state_->mutex);
  return state_->tombstones;
}

size_t FirmVectorIndex::MemoryBytes() const {
  SharedLock lock(&state_->mutex);
  const State& s = *state_;
  size_t bytes = sizeof(State);
  for (const auto& field : s.fields) bytes += sizeof(FieldIndex) + field->MemoryBytes();
  bytes += s.slots.capacity() * sizeof(Slot);
  for (const Slot& slot : s.slots) {
    if (slot.clusters.capacity() > kInlineClusters) {
      bytes += slot.clusters.capacity() * sizeof(int32_t);
    }
  }
  // absl's flat_hash_map: one control byte and one (key, slot) entry per
  // bucket.
  bytes += s.slot_of_key.capacity() * (sizeof(std::pair<const int64_t, size_t>) + 1);
  bytes += s.slots_of_string.capacity() * sizeof(std::vector<int64_t>);
  for (const auto& posting : s.slots_of_string) bytes += posting.capacity() * sizeof(int64_t);
  // Interned strings: each held twice (the map's key and the names list).
  for (size_t i = 0; i < s.strings.size(); ++i) {
    const std::string& name = s.strings.Name(static_cast<int32_t>(i));
    const size_t heap = name.capacity() > 15 ? name.capacity() + 1 : 0;
    bytes += 2 * (sizeof(std::string) + heap) + sizeof(int32_t) + 1;
  }
  return bytes;
}

}  // namespace clustermatch
