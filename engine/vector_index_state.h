// FirmVectorIndex's internal state, shared by its own source files
// (vector_index.cc: writes and searches; vector_index_snapshot.cc: snapshot
// save and load) and by nothing else.
#ifndef CLUSTERMATCH_ENGINE_VECTOR_INDEX_STATE_H_
#define CLUSTERMATCH_ENGINE_VECTOR_INDEX_STATE_H_

#include <faiss/impl/FaissException.h>
#include <faiss/impl/IDSelector.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/field_index.h"
#include "engine/index_slots.h"
#include "engine/shared_mutex.h"
#include "engine/status_macros.h"
#include "engine/vector_index.h"

namespace clustermatch {
namespace vector_index_internal {

inline absl::Status FaissError(const faiss::FaissException& e) {
  return absl::InternalError(absl::StrCat("faiss: ", e.what()));
}

}  // namespace vector_index_internal

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
      return vector_index_internal::FaissError(e);
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
    // The rows ascend but lie far apart among the slots: the slots a few
    // rows ahead are fetched while this one is checked.
    constexpr size_t kAhead = 8;
    size_t kept = 0;
    for (size_t i = 0; i < rows.size(); ++i) {
      if (i + kAhead < rows.size())
        __builtin_prefetch(&slots[static_cast<size_t>(rows[i + kAhead])]);
      if (selector.is_member(rows[i])) rows[kept++] = rows[i];
    }
    rows.resize(kept);
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

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_VECTOR_INDEX_STATE_H_
