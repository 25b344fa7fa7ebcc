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
        members_all_(filter.members_visible_all) {
    Mark(filter.clusters_any, kClustersAny, strings);
    Mark(filter.clusters_none, kClustersNone, strings);
    Mark(filter.mini_clusters_any, kMiniAny, strings);
    Mark(filter.mini_clusters_none, kMiniNone, strings);
    Mark(filter.regions, kRegions, strings);
    Mark(filter.members_visible_clusters, kMembersVisible, strings);
    for (FirmKind kind : filter.kinds) kind_mask_ |= KindBit(kind);
  }

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
};

// Admits the slots of one field that pass the filter; Faiss calls it for every
// stored vector during the scan.
class SlotSelector final : public faiss::IDSelector {
 public:
  SlotSelector(const std::vector<Slot>& slots, int field, const ResolvedFilter& filter)
      : slots_(slots), field_bit_(static_cast<uint8_t>(1u << field)), filter_(filter) {}

  bool is_member(faiss::Index::idx_t id) const override {
    if (id < 0 || static_cast<size_t>(id) >= slots_.size()) return false;
    const Slot& slot = slots_[static_cast<size_t>(id)];
    return (slot.field_mask & field_bit_) != 0 && filter_.Passes(slot);
  }

 private:
  const std::vector<Slot>& slots_;
  const uint8_t field_bit_;
  const ResolvedFilter& filter_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_INDEX_SLOTS_H_
