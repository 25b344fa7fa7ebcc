// The Engine's index snapshots (engine/index_snapshot.h): where the file
// lives, loading it into a serving model's index, and writing it. The
// snapshot is a cache the engine owns; the store stays the only truth.
#include <xxhash.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/engine.h"
#include "engine/index_snapshot.h"
#include "engine/serving_model.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

// The engine's part of an index snapshot, ahead of FirmVectorIndex::SaveTo:
// u32 format, i64 model version, u64 model stamp.
constexpr uint32_t kIndexSnapshotFormat = 1;

}  // namespace

std::string Engine::IndexSnapshotPath() const {
  const std::string& db = store_->path();
  if (db.empty() || db == ":memory:") return "";
  return db + ".index";
}

absl::Status Engine::ReadIndexSnapshot(ServingModel& serving) const {
  const std::string path = IndexSnapshotPath();
  if (path.empty()) return absl::FailedPreconditionError("the store is in memory");
  CM_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotSource> in, SnapshotSource::Open(path));
  const auto format = in->Value<uint32_t>();
  const auto version = in->Value<int64_t>();
  const auto model_stamp = in->Value<uint64_t>();
  CM_RETURN_IF_ERROR(in->status());
  if (format != kIndexSnapshotFormat) {
    return absl::FailedPreconditionError(absl::StrCat("index snapshot ", path, " has format ",
                                                      format, ", this build reads ",
                                                      kIndexSnapshotFormat));
  }
  if (version != serving.version || model_stamp != serving.model_stamp) {
    return absl::FailedPreconditionError(absl::StrCat("index snapshot ", path,
                                                      " was made under model v", version,
                                                      ", the store's model is v", serving.version));
  }
  return serving.index.ReadSnapshot(*in);
}

absl::Status Engine::AdoptIndexSnapshot(ServingModel& serving) {
  SharedLock lock(&mutex_);
  // Every firm's facets and text stamp, computed on every core (the stamps
  // hash each firm's texts).
  std::vector<std::pair<int64_t, const Firm*>> firms(catalog_.firms().size());
  absl::flat_hash_map<int64_t, size_t> position;
  position.reserve(firms.size());
  for (const auto& [key, firm] : catalog_.firms()) {
    firms[position.size()] = {key, &firm};
    position.emplace(key, position.size());
  }
  std::vector<FirmFacets> facets(firms.size());
  const auto n = static_cast<int64_t>(firms.size());
#pragma omp parallel for schedule(dynamic, 256)
  for (int64_t i = 0; i < n; ++i) {
    const auto& [key, firm] = firms[static_cast<size_t>(i)];
    facets[static_cast<size_t>(i)] = FacetsOf(key, *firm);
  }
  CM_RETURN_IF_ERROR(serving.index.AdoptSnapshot([&](int64_t key) -> const FirmFacets* {
    auto it = position.find(key);
    return it == position.end() ? nullptr : &facets[it->second];
  }));
  index_changes_saved_ = index_changes_;
  return absl::OkStatus();
}

absl::StatusOr<std::optional<IndexSnapshotInfo>> Engine::SaveIndexSnapshot(bool only_if_changed) {
  ExclusiveLock writer(&writer_mutex_);
  return SaveIndexSnapshotLocked(only_if_changed);
}

absl::StatusOr<std::optional<IndexSnapshotInfo>> Engine::SaveIndexSnapshotLocked(
    bool only_if_changed) {
  const std::string path = IndexSnapshotPath();
  if (path.empty() || store_->read_only()) return std::nullopt;
  if (only_if_changed && index_changes_ == index_changes_saved_) return std::nullopt;
  // Writers hold writer_mutex_ to change serving_, so it may be read here
  // without mutex_; queries go on meanwhile.
  const ServingModel* serving = nullptr;
  {
    SharedLock lock(&mutex_);
    serving = serving_.get();
  }
  if (serving == nullptr || serving->version == 0 ||
      serving->index.size() < options_.index_snapshot_min_firms) {
    return std::nullopt;
  }
  const absl::Time start = absl::Now();
  CM_ASSIGN_OR_RETURN(std::unique_ptr<SnapshotSink> out, SnapshotSink::Create(path));
  out->Value<uint32_t>(kIndexSnapshotFormat);
  out->Value<int64_t>(serving->version);
  out->Value<uint64_t>(serving->model_stamp);
  serving->index.SaveTo(*out);
  CM_RETURN_IF_ERROR(out->Commit());
  index_changes_saved_ = index_changes_;
  return IndexSnapshotInfo{path, out->bytes_written(), serving->index.size(),
                           absl::ToDoubleSeconds(absl::Now() - start)};
}

}  // namespace clustermatch
