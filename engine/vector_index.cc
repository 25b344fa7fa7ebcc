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
#include "engine/index_snapshot.h"
#include "engine/shared_mutex.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

using FaissId = faiss::Index::idx_t;

absl::Status FaissError(const faiss::FaissException& e) {
  return absl::InternalError(absl::StrCat("faiss: ", e.what()));
}

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

struct FirmVectorIndex::State {
  // Shared by searches and other const readers; exclusive for writers.
  // SharedMutex (absl::Mutex, visible to TSan) lets a waiting writer in ahead
  // of new readers; glibc's std::shared_mutex starves writers under steady
  // reads.
  mutable SharedMutex mutex;
  const VectorIndexOptions options;
  // Everything below is guarded by `mutex`.
  std::array<std::unique_ptr<FieldIndex>, kVectorFieldCount> fields;
  std::vector<Slot> slots;                           // row -> slot, in every field index
  absl::flat_hash_map<int64_t, size_t> slot_of_key;  // live slots only
  size_t tombstones = 0;
  StringTable strings;
  // Slots carrying each interned string (cluster, mini-cluster or region),
  // dead ones included: where a selective filter's firms are found.
  std::vector<std::vector<int64_t>> slots_of_string;

  State(int dimension, const VectorIndexOptions& index_options) : options(index_options) {
    for (auto& field : fields) field = std::make_unique<FieldIndex>(dimension, options);
  }

  // The live slot of `key`, or NotFound.
  absl::StatusOr<size_t> SlotOf(int64_t key) const {
    auto it = slot_of_key.find(key);
    if (it == slot_of_key.end()) {
      return absl::NotFoundError(absl::StrCat("firm key ", key, " is not indexed"));
    }
    return it->second;
  }

  // The slot for `facets` at position `slot`, its strings interned and
  // posted.
  Slot MakeSlot(const FirmFacets& facets, size_t slot, uint8_t field_mask) {
    Slot entry;
    entry.key = facets.key;
    entry.stamp = facets.stamp;
    entry.clusters.reserve(facets.clusters.size());
    for (const std::string& cluster : facets.clusters) {
      entry.clusters.push_back(InternFacet(cluster, slot));
    }
    entry.mini_cluster = InternFacet(facets.mini_cluster, slot);
    entry.region = InternFacet(facets.region, slot);
    entry.kind = facets.kind;
    entry.visibility = facets.visibility;
    entry.field_mask = field_mask;
    return entry;
  }

  int32_t InternFacet(const std::string& text, size_t slot) {
    const int32_t id = strings.Intern(text);
    if (static_cast<size_t>(id) >= slots_of_string.size()) slots_of_string.resize(id + 1);
    auto& posting = slots_of_string[static_cast<size_t>(id)];
    if (posting.empty() || posting.back() != static_cast<int64_t>(slot)) posting.push_back(slot);
    return id;
  }

  // Rebuilds the field indexes, slot table and postings without tombstones.
  // On failure nothing has changed.
  absl::Status CompactLocked(int dimension) {
    std::vector<size_t> kept;
    kept.reserve(slot_of_key.size());
    for (size_t i = 0; i < slots.size(); ++i) {
      if (slots[i].live) kept.push_back(i);
    }
    std::array<std::unique_ptr<FieldIndex>, kVectorFieldCount> fresh;
    const auto row = static_cast<size_t>(dimension);
    std::vector<float> buffer;
    try {
      for (int f = 0; f < kVectorFieldCount; ++f) {
        const FieldIndex& old_field = *fields[static_cast<size_t>(f)];
        // Fields without text stay zero rows (SQ8 codes would not decode
        // to zeros).
        const auto bit = static_cast<uint8_t>(1u << f);
        buffer.assign(kept.size() * row, 0.0f);
        for (size_t i = 0; i < kept.size(); ++i) {
          if ((slots[kept[i]].field_mask & bit) != 0) {
            old_field.CopyRow(kept[i], buffer.data() + i * row);
          }
        }
        auto field = std::make_unique<FieldIndex>(dimension, options);
        field->UseQuantizerOf(old_field);  // SQ8 rows decode and encode to the same codes
        field->Append(buffer.data(), kept.size());
        fresh[static_cast<size_t>(f)] = std::move(field);
      }
    } catch (const faiss::FaissException& e) {
      return FaissError(e);
    } catch (const std::bad_alloc&) {
      return absl::ResourceExhaustedError("out of memory while compacting the vector index");
    }
    std::vector<Slot> compacted;
    compacted.reserve(kept.size());
    slot_of_key.clear();
    for (size_t old_slot : kept) {
      slot_of_key[slots[old_slot].key] = compacted.size();
      compacted.push_back(std::move(slots[old_slot]));
    }
    slots = std::move(compacted);
    fields = std::move(fresh);
    tombstones = 0;
    RebuildPostings();
    return absl::OkStatus();
  }

  void RebuildPostings() {
    for (auto& posting : slots_of_string) posting.clear();
    for (size_t i = 0; i < slots.size(); ++i) {
      const Slot& slot = slots[i];
      for (int32_t cluster : slot.clusters) Post(cluster, i);
      Post(slot.mini_cluster, i);
      Post(slot.region, i);
    }
  }
  void Post(int32_t id, size_t slot) {
    auto& posting = slots_of_string[static_cast<size_t>(id)];
    if (posting.empty() || posting.back() != static_cast<int64_t>(slot)) posting.push_back(slot);
  }

  // Graph fields keep tombstones longer: a compaction rebuilds their graphs.
  absl::Status MaybeCompactLocked(int dimension) {
    const bool graphs = fields[0]->has_graph();
    const size_t limit = graphs ? slots.size() / 2 : slots.size() / 4;
    if (tombstones <= limit) return absl::OkStatus();
    return CompactLocked(dimension);
  }

  // A tombstone keeps nothing of what its firm said: its vectors and text
  // stamp are zeroed now, so that a deleted firm (or a replaced version)
  // leaves memory and the next snapshot without waiting for a compaction.
  void Tombstone(size_t slot) {
    slots[slot].live = false;
    slots[slot].stamp = 0;
    for (auto& field : fields) field->EraseRow(slot);
    ++tombstones;
  }

  // The narrowest restriction of the filter that postings can list: its
  // firms, dead slots included, are an upper bound on the firms that pass.
  struct Restriction {
    size_t upper_bound = 0;
    const std::vector<std::string>* names = nullptr;  // null: the filter's only_keys
  };
  std::optional<Restriction> Narrowest(const SearchFilter& filter) const {
    std::optional<Restriction> best;
    if (filter.only_keys != nullptr) best = Restriction{filter.only_keys->size(), nullptr};
    for (const auto* list : {&filter.clusters_any, &filter.mini_clusters_any, &filter.regions}) {
      if (list->empty()) continue;
      size_t total = 0;
      for (const std::string& name : *list) {
        const int32_t id = strings.Find(name);
        if (id >= 0) total += slots_of_string[static_cast<size_t>(id)].size();
      }
      if (!best.has_value() || total < best->upper_bound) best = Restriction{total, list};
    }
    return best;
  }

  // The slots within `restriction` that pass the selector (live, with a
  // vector in its field, passing the whole filter), in slot order.
  std::vector<int64_t> PassingRows(const SearchFilter& filter, const Restriction& restriction,
                                   const SlotSelector& selector) const {
    std::vector<int64_t> rows;
    if (restriction.names == nullptr) {
      for (int64_t key : *filter.only_keys) {
        auto it = slot_of_key.find(key);
        if (it != slot_of_key.end()) rows.push_back(static_cast<int64_t>(it->second));
      }
    } else {
      for (const std::string& name : *restriction.names) {
        const int32_t id = strings.Find(name);
        if (id < 0) continue;
        const auto& posting = slots_of_string[static_cast<size_t>(id)];
        rows.insert(rows.end(), posting.begin(), posting.end());
      }
    }
    // One posting list is sorted and unique already.
    if (restriction.names == nullptr || restriction.names->size() > 1) {
      std::sort(rows.begin(), rows.end());
      rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    }
    std::erase_if(rows, [&](int64_t row) { return !selector.is_member(row); });
    return rows;
  }
};

// A snapshot read and checked, not yet judged against the catalog.
struct FirmVectorIndex::PendingLoad {
  std::vector<int64_t> keys;
  std::vector<uint64_t> stamps;
  std::vector<uint8_t> masks;
  std::vector<uint8_t> live;
  std::unique_ptr<State> state;  // the fields' rows and graphs, no slots yet
};

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

absl::StatusOr<FirmVectors> FirmVectorIndex::Vectors(int64_t key) const {
  SharedLock lock(&state_->mutex);
  const State& s = *state_;
  absl::StatusOr<size_t> position = s.SlotOf(key);
  if (!position.ok()) return position.status();
  const Slot& slot = s.slots[*position];
  const auto row = static_cast<size_t>(dimension_);
  FirmVectors vectors;
  for (int f = 0; f < kVectorFieldCount; ++f) {
    if ((slot.field_mask & (1u << f)) == 0) continue;
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

void FirmVectorIndex::SaveTo(SnapshotSink& out) const {
  SharedLock lock(&state_->mutex);
  const State& s = *state_;
  out.Value<int32_t>(dimension_);
  std::vector<int64_t> keys;
  std::vector<uint64_t> stamps;
  std::vector<uint8_t> masks;
  std::vector<uint8_t> live;
  keys.reserve(s.slots.size());
  stamps.reserve(s.slots.size());
  masks.reserve(s.slots.size());
  live.reserve(s.slots.size());
  for (const Slot& slot : s.slots) {
    keys.push_back(slot.key);
    stamps.push_back(slot.stamp);
    masks.push_back(slot.field_mask);
    live.push_back(slot.live ? 1 : 0);
  }
  out.Vector(keys);
  out.Vector(stamps);
  out.Vector(masks);
  out.Vector(live);
  for (const auto& field : s.fields) field->SaveTo(out);
}

absl::Status FirmVectorIndex::LoadFrom(
    SnapshotSource& in, const std::function<const FirmFacets*(int64_t key)>& current) {
  CM_RETURN_IF_ERROR(ReadSnapshot(in));
  return AdoptSnapshot(current);
}

absl::Status FirmVectorIndex::ReadSnapshot(SnapshotSource& in) {
  pending_.reset();
  if (in.Value<int32_t>() != dimension_ && in.ok()) {
    in.Fail(absl::StrCat("made for another dimension than ", dimension_));
  }
  auto load = std::make_unique<PendingLoad>();
  load->keys = in.Vector<int64_t>();
  load->stamps = in.Vector<uint64_t>();
  load->masks = in.Vector<uint8_t>();
  load->live = in.Vector<uint8_t>();
  const size_t n = load->keys.size();
  if (in.ok() && (load->stamps.size() != n || load->masks.size() != n || load->live.size() != n)) {
    in.Fail("slot tables differ in length");
  }
  // The options never change after construction, so reading them beside
  // queries needs no lock.
  load->state = std::make_unique<State>(dimension_, state_->options);
  try {
    for (auto& field : load->state->fields) {
      field->LoadFrom(in);
      if (in.ok() && field->rows() != n) in.Fail("a field's rows do not match its slots");
    }
  } catch (const faiss::FaissException& e) {
    return FaissError(e);
  } catch (const std::bad_alloc&) {
    return absl::ResourceExhaustedError("out of memory while loading the vector index");
  }
  CM_RETURN_IF_ERROR(in.Finish());
  pending_ = std::move(load);
  return absl::OkStatus();
}

absl::Status FirmVectorIndex::AdoptSnapshot(
    const std::function<const FirmFacets*(int64_t key)>& current) {
  if (pending_ == nullptr) return absl::FailedPreconditionError("no snapshot has been read");
  const std::unique_ptr<PendingLoad> load = std::move(pending_);
  std::unique_ptr<State> fresh = std::move(load->state);
  State& s = *fresh;
  const size_t n = load->keys.size();
  s.slots.reserve(n);
  const FirmFacets gone;
  for (size_t i = 0; i < n; ++i) {
    const int64_t key = load->keys[i];
    const FirmFacets* facets = load->live[i] != 0 ? current(key) : nullptr;
    const bool keep =
        facets != nullptr && facets->stamp == load->stamps[i] && !s.slot_of_key.contains(key);
    Slot slot = s.MakeSlot(keep ? *facets : gone, i, load->masks[i]);
    slot.key = key;
    slot.stamp = load->stamps[i];
    s.slots.push_back(std::move(slot));
    if (keep) {
      s.slot_of_key.emplace(key, i);
    } else {
      s.Tombstone(i);
    }
  }
  CM_RETURN_IF_ERROR(s.MaybeCompactLocked(dimension_));
  ExclusiveLock lock(&state_->mutex);
  std::swap(state_, fresh);
  return absl::OkStatus();
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
  for (const Slot& slot : s.slots) bytes += slot.clusters.capacity() * sizeof(int32_t);
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
