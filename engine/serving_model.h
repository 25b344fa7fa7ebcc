// The engine's internal header, shared by its own source files (engine.cc,
// engine_writes.cc, engine_groups.cc, engine_index_snapshot.cc) and by
// nothing else: Engine::ServingModel (what serves queries under one model,
// replaced whole when a new model is trained), Engine::PreparedWrite, and a
// few helpers.
#ifndef CLUSTERMATCH_ENGINE_SERVING_MODEL_H_
#define CLUSTERMATCH_ENGINE_SERVING_MODEL_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

#include "engine/engine.h"
#include "engine/firm_texts.h"
#include "engine/reciprocal_scorer.h"
#include "engine/sparse_field_cache.h"
#include "engine/vector_index.h"
#include "models/text_model.h"

namespace clustermatch {

// What the index knows of a firm: its facets and the stamp of its texts.
inline FirmFacets FacetsOf(int64_t key, const Firm& firm) {
  return FirmFacets{key,       TextStamp(firm), firm.clusters,  firm.mini_cluster,
                    firm.kind, firm.region,     firm.visibility};
}

struct Engine::ServingModel {
  ServingModel(TextModel trained, int64_t model_version, int64_t trained_firm_count,
               const EngineOptions& options)
      : model(std::move(trained)),
        version(model_version),
        firm_count(trained_firm_count),
        scorer(model),
        sparse_cache(model, options.sparse_cache_firms, &scorer.phrases()),
        index(model.dimension(), options.index_options) {}

  // Members are destroyed in reverse order: the borrowers before the model.
  const TextModel model;
  const int64_t version;     // 0: not stored (the fallback, or a read-only train)
  const int64_t firm_count;  // firms it was trained on; 0 for the fallback
  // xxHash3 of the stored model blob (0 when not stored): index snapshots
  // name the model they were made under by version and stamp.
  uint64_t model_stamp = 0;
  std::string index_source;  // EngineStats::index_source
  bool index_from_snapshot = false;
  const ReciprocalScorer scorer;
  SparseFieldCache sparse_cache;
  FirmVectorIndex index;
};

// A write, prepared outside the exclusive lock and applied under it
// (Engine::Apply, engine_writes.cc).
struct Engine::PreparedWrite {
  std::vector<std::pair<int64_t, Firm>> puts;           // stored (new or replaced)
  std::vector<std::pair<int64_t, std::string>> erases;  // deleted: key, id
  std::vector<Relation> relations;                      // appended
  // Into the current index, when `serving` is unset.
  std::vector<std::pair<FirmFacets, FirmVectors>> upserts;
  // A new model with every firm indexed under it: replaces the current one.
  std::unique_ptr<ServingModel> serving;
};

namespace engine_internal {

inline absl::Status Prefixed(const absl::Status& status, const std::string& prefix) {
  return absl::Status(status.code(), prefix + std::string(status.message()));
}

// "YYYY-MM-DDTHH:MM:SSZ".
inline std::string UtcNow() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
}

inline double SecondsSince(absl::Time start) { return absl::ToDoubleSeconds(absl::Now() - start); }

// Seconds since `start`, added to `*seconds` when the caller keeps a tally.
inline void AddSecondsSince(absl::Time start, double* seconds) {
  if (seconds != nullptr) *seconds += SecondsSince(start);
}

}  // namespace engine_internal

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SERVING_MODEL_H_
