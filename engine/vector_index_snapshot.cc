// FirmVectorIndex's snapshots (index_snapshot.h): every slot and every
// field's rows and graph written out, and read back in two steps so that the
// file can be read before the caller's catalog is ready.
#include <faiss/impl/FaissException.h>

#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/index_snapshot.h"
#include "engine/status_macros.h"
#include "engine/vector_index.h"
#include "engine/vector_index_state.h"

namespace clustermatch {

using vector_index_internal::FaissError;

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

}  // namespace clustermatch
