// Engine: clustermatch's core, behind both front doors (the command line and
// the gRPC server). It owns the store, the text model, the vector index, the
// in-memory firm catalog and the relation graph, and keeps them consistent:
//
//   write: validate -> store transaction -> embed -> index update -> return
//   read:  candidates from the index with filters -> scoring -> explanation
//
// On open, the model comes from the store (trained there if the store has
// firms but no model yet), vectors made with another model version are
// re-embedded, and the index is rebuilt from the stored vectors.
//
// Model policy: a store with firms always has a trained (LSA) model; the
// untrained hashing fallback serves only an empty store, firms that hold no
// text at all, or an explicit ModelMode::kUntrained (used to measure what
// training buys). Imports
// retrain when the firm count has grown by a quarter since the last training.
//
// Thread safety: queries are const and run concurrently under a shared lock;
// writes take the lock exclusively.
#ifndef CLUSTERMATCH_ENGINE_ENGINE_H_
#define CLUSTERMATCH_ENGINE_ENGINE_H_

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "engine/firm.h"
#include "engine/firm_catalog.h"
#include "engine/firm_store.h"
#include "engine/recommender.h"
#include "engine/relation_graph.h"
#include "engine/vector_index.h"
#include "models/text_model.h"

namespace clustermatch {

enum class ModelMode : uint8_t {
  kTrained = 0,    // the default: LSA trained on the stored firms
  kUntrained = 1,  // force the hashing fallback (measurement only)
};

struct EngineOptions {
  std::string db_path = "clustermatch.db";
  // Queries only: no write lock, nothing persisted (a missing model or
  // vectors are computed in memory).
  bool read_only = false;
  std::string holder_command = "clustermatch";
  ModelMode model_mode = ModelMode::kTrained;
  TextModelOptions model_options;
  // Retrain on import when the firm count reached (1 + growth) times the
  // count at the last training.
  double retrain_growth = 0.25;
};

struct ImportSummary {
  size_t created = 0;
  size_t updated = 0;
  bool retrained = false;
  int64_t model_version = 0;
};

struct EngineStats {
  size_t firms = 0;
  size_t relations = 0;
  size_t indexed = 0;
  int64_t model_version = 0;  // 0: the untrained fallback
  std::string model;          // TextModel::Describe()
  int schema_version = 0;
};

class Engine {
 public:
  static absl::StatusOr<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  ~Engine();

  // Validates every firm first (InvalidArgument "firms[i] (ID): field: reason"),
  // then writes all in one transaction: a bad firm writes nothing.
  absl::StatusOr<ImportSummary> ImportFirms(std::span<const Firm> firms);
  // Validates every relation and checks both firms exist, then appends all in
  // one transaction.
  absl::Status AddRelations(std::span<const Relation> relations);
  absl::Status DeleteFirm(const std::string& id);
  // Rebuilds the model from the stored firms and re-embeds every firm.
  absl::StatusOr<int64_t> Train();

  absl::StatusOr<Firm> GetFirm(const std::string& id) const;
  // Every firm, hidden ones included, ordered by id.
  std::vector<Firm> ListFirms() const;
  std::vector<Relation> ListRelations() const;
  absl::StatusOr<std::vector<Recommendation>> Recommend(const RecommendRequest& request) const;
  absl::StatusOr<std::vector<Recommendation>> Search(const SearchRequest& request) const;
  EngineStats Stats() const;

 private:
  explicit Engine(const EngineOptions& options, std::unique_ptr<FirmStore> store);
  absl::Status Load();
  absl::Status LoadModel();
  absl::Status TrainLocked();
  absl::Status IndexAllLocked(const std::vector<StoredVectors>& stored);
  absl::Status EmbedAndIndexLocked(const std::vector<int64_t>& keys);
  FirmFacets FacetsOf(int64_t key, const Firm& firm) const;
  // Installs a model with the scorer and caches that depend on it.
  void UseModelLocked(TextModel model, int64_t version);

  const EngineOptions options_;
  const std::unique_ptr<FirmStore> store_;

  // Readers share it, writers hold it alone. absl::Mutex lets a waiting
  // writer in ahead of new readers (glibc's std::shared_mutex starved writers
  // under a steady stream of queries).
  mutable absl::Mutex mutex_;
  FirmCatalog catalog_ ABSL_GUARDED_BY(mutex_);
  RelationGraph relations_ ABSL_GUARDED_BY(mutex_);
  std::vector<Relation> relation_list_ ABSL_GUARDED_BY(mutex_);
  std::unique_ptr<TextModel> model_ ABSL_GUARDED_BY(mutex_);
  int64_t model_version_ ABSL_GUARDED_BY(mutex_) = 0;
  int64_t model_firm_count_ ABSL_GUARDED_BY(mutex_) = 0;
  std::unique_ptr<FirmVectorIndex> index_ ABSL_GUARDED_BY(mutex_);
  std::unique_ptr<ReciprocalScorer> scorer_ ABSL_GUARDED_BY(mutex_);
  std::unique_ptr<SparseFieldCache> sparse_cache_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_ENGINE_H_
