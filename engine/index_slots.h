// The slot table of FirmVectorIndex and how a filter tests a slot: private
// to the vector index (vector_index.cc and its snapshot code), not an API.
#ifndef CLUSTERMATCH_ENGINE_INDEX_SLOTS_H_
#define CLUSTERMATCH_ENGINE_INDEX_SLOTS_H_

#include <faiss/Index.h>
#include <faiss/impl/IDSelector.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "engine/firm.h"
#include "engine/vector_index.h"

namespace clustermatch {

// Why one slot space: every firm version gets one slot, and that slot is the
// same Faiss position in all four field indexes. A field without text stores
// a zero vector that the selector never admits (Slot::field_mask). This keeps
// one tombstone flag, one key -> slot map and one compaction for all fields, at
// the price of dimension() floats per empty field.
// Firms belong to one or two clusters, rarely more.
inline constexpr size_t kInlineClusters = 4;

struct Slot {
  int64_t key = 0;
  uint64_t stamp = 0;  // FirmFacets::stamp
  // Interned, in the order given; a few are held inline, so the filter
  // check reads one slot and not a second, scattered allocation.
  absl::InlinedVector<int32_t, kInlineClusters> clusters;
  int32_t mini_cluster = 0;  // interned (the empty string is a value too)
  int32_t region = 0;        // interned
  FirmKind kind = FirmKind::kUnspecified;
  Visibility visibility = Visibility::kPublic;
  uint8_t field_mask = 0;  // bit f: field f has a vector
  bool live = true;
};

// One byte per slot, kept beside the slot table in a dense array: what a
// search without facet restrictions needs to know about a row. A graph walk
// checks every row it may return; reading this byte instead of the row's
// 64-byte slot, scattered over the whole table, saves a cache miss per check.
enum SlotBit : uint8_t {
  kSlotFieldBits = 0x0f,  // bit f: field f has a vector (Slot::field_mask)
  kSlotServable = 0x10,   // live and not hidden
  kSlotMembersOnly = 0x20,
};
static_assert(kVectorFieldCount <= 4, "field bits fit the low nibble");

inline uint8_t SlotBitsOf(const Slot& slot) {
  uint8_t bits = slot.field_mask & kSlotFieldBits;
  if (slot.live && slot.visibility != Visibility::kHidden) bits |= kSlotServable;
  if (slot.visibility == Visibility::kMembers) bits |= kSlotMembersOnly;
  return bits;
}

// Clusters, mini-clusters and regions share one table of interned strings.
// It only grows; distinct facet values are few.
class StringTable {
 public:
  int32_t Intern(const std::string& text) {
    auto [it, inserted] = ids_.try_emplace(text, static_cast<int32_t>(names_.size()));
    if (inserted) names_.push_back(text);
    return it->second;
  }
  // -1 when the string was never interned.
  int32_t Find(const std::string& text) const {
    auto it = ids_.find(text);
    return it == ids_.end() ? -1 : it->second;
  }
  const std::string& Name(int32_t id) const { return names_[static_cast<size_t>(id)]; }
  size_t size() const { return names_.size(); }

 private:
  absl::flat_hash_map<std::string, int32_t> ids_;
  std::vector<std::string> names_;
};

// A SearchFilter with its strings resolved once per query into one flag byte
// per interned string, so the per-vector check is a few array lookups.
class ResolvedFilter {
 public:
  ResolvedFilter(const SearchFilter& filter, const StringTable& strings)
      : excluded_(filter.excluded_keys),
        only_(filter.only_keys.get()),
        flags_(strings.size(), 0),
        clusters_any_(!filter.clusters_any.empty()),
        mini_any_(!filter.mini_clusters_any.empty()),
        regions_(!filter.regions.empty()),
        members_all_(filter.members_visible_all),
        facet_free_(only_ == nullptr && filter.kinds.empty() && filter.clusters_any.empty() &&
                    filter.clusters_none.empty() && filter.mini_clusters_any.empty() &&
                    filter.mini_clusters_none.empty() && filter.regions.empty()) {
    Mark(filter.clusters_any, kClustersAny, strings);
    Mark(filter.clusters_none, kClustersNone, strings);
    Mark(filter.mini_clusters_any, kMiniAny, strings);
    Mark(filter.mini_clusters_none, kMiniNone, strings);
    Mark(filter.regions, kRegions, strings);
    Mark(filter.members_visible_clusters, kMembersVisible, strings);
    for (FirmKind kind : filter.kinds) kind_mask_ |= KindBit(kind);
  }

  // True when only liveness, visibility, members-only clusters and excluded
  // keys can reject a firm: no key list, kind, region, mini-cluster or
  // cluster condition.
  bool facet_free() const { return facet_free_; }
  bool members_all() const { return members_all_; }
  const absl::flat_hash_set<int64_t>& excluded() const { return excluded_; }

  bool Passes(const Slot& slot) const {
    if (!slot.live || slot.visibility == Visibility::kHidden) return false;
    if (only_ != nullptr && !only_->contains(slot.key)) return false;
    if (kind_mask_ != 0 && (kind_mask_ & KindBit(slot.kind)) == 0) return false;
    if (regions_ && !Has(slot.region, kRegions)) return false;
    if (mini_any_ && !Has(slot.mini_cluster, kMiniAny)) return false;
    if (Has(slot.mini_cluster, kMiniNone)) return false;
    uint8_t cluster_flags = 0;
    for (int32_t cluster : slot.clusters) cluster_flags |= flags_[static_cast<size_t>(cluster)];
    if (clusters_any_ && (cluster_flags & kClustersAny) == 0) return false;
    if ((cluster_flags & kClustersNone) != 0) return false;
    if (slot.visibility == Visibility::kMembers && !members_all_ &&
        (cluster_flags & kMembersVisible) == 0) {
      return false;
    }
    return !excluded_.contains(slot.key);
  }

 private:
  enum Flag : uint8_t {
    kClustersAny = 1,
    kClustersNone = 2,
    kMiniAny = 4,
    kMiniNone = 8,
    kRegions = 16,
    kMembersVisible = 32,
  };

  static uint32_t KindBit(FirmKind kind) {
    const auto value = static_cast<uint32_t>(kind);
    return value < 32 ? (1u << value) : 0;
  }
  void Mark(const std::vector<std::string>& names, Flag flag, const StringTable& strings) {
    for (const std::string& name : names) {
      const int32_t id = strings.Find(name);
      if (id >= 0) flags_[static_cast<size_t>(id)] |= flag;
    }
  }
  bool Has(int32_t id, Flag flag) const { return (flags_[static_cast<size_t>(id)] & flag) != 0; }

  const absl::flat_hash_set<int64_t>& excluded_;
  const absl::flat_hash_set<int64_t>* only_;  // null: any firm
  std::vector<uint8_t> flags_;
  uint32_t kind_mask_ = 0;
  const bool clusters_any_;
  const bool mini_any_;
  const bool regions_;
  const bool members_all_;
  const bool facet_free_;
};

// Admits the slots of one field that pass the filter; Faiss calls it for every
// stored vector during the scan. A facet-free filter is decided from the
// dense slot bits and the excluded keys' rows; only a members-only firm under
// a filter that does not admit all of them needs its slot read.
class SlotSelector final : public faiss::IDSelector {
 public:
  SlotSelector(const std::vector<Slot>& slots, const std::vector<uint8_t>& bits,
               const absl::flat_hash_map<int64_t, size_t>& slot_of_key, int field,
               const ResolvedFilter& filter)
      : slots_(slots), bits_(bits), field_bit_(static_cast<uint8_t>(1u << field)), filter_(filter) {
    if (!filter.facet_free()) return;
    fast_ = true;
    // Live slots are exactly those in slot_of_key, so a live row is excluded
    // when its key's slot is that row.
    for (int64_t key : filter.excluded()) {
      auto it = slot_of_key.find(key);
      if (it != slot_of_key.end()) excluded_rows_.insert(static_cast<int64_t>(it->second));
    }
    if (!filter.members_all()) slow_bits_ = kSlotMembersOnly;
  }

  bool is_member(faiss::Index::idx_t id) const override {
    if (id < 0 || static_cast<size_t>(id) >= bits_.size()) return false;
    const uint8_t bits = bits_[static_cast<size_t>(id)];
    if ((bits & field_bit_) == 0 || (bits & kSlotServable) == 0) return false;
    if (!fast_ || (bits & slow_bits_) != 0) return filter_.Passes(slots_[static_cast<size_t>(id)]);
    return excluded_rows_.empty() || !excluded_rows_.contains(id);
  }

 private:
  const std::vector<Slot>& slots_;
  const std::vector<uint8_t>& bits_;  // SlotBitsOf each slot
  const uint8_t field_bit_;
  const ResolvedFilter& filter_;
  bool fast_ = false;
  uint8_t slow_bits_ = 0;  // rows with these bits go through Passes
  absl::flat_hash_set<int64_t> excluded_rows_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_INDEX_SLOTS_H_
