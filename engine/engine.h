// Engine: clustermatch's core, behind both front doors (the command line and
// the gRPC server). It owns the store, the text model, the vector index, the
// in-memory firm catalog and the relation graph, and keeps them consistent:
//
//   write: validate -> store transaction -> embed -> index update -> return
//   read:  candidates from the index with filters -> scoring -> explanation
//
// Audit: every write takes the WriteActor it is made for and records who,
// what and when in the store's audit log, in the same transaction as the
// write (engine/audit_log.h). The actor defaults to WriteActor::System() for
// the engine's own tools (evaluation, benchmarks); the front doors always
// pass their caller: "key:<id>" for gRPC, "cli:<user>" for the command line.
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
// Thread safety: every method may be called from any thread. Queries are
// const and run in parallel under a shared lock. Writes are serialised by a
// writer lock and do their slow part (validation, the store transaction with
// its fsync, embedding, training) while queries go on; they hold the shared
// lock alone only to apply the prepared change to the catalog, relations and
// index (or to swap in a new model), so a query sees a write whole or not at
// all. A store write that fails changes nothing in memory.
#ifndef CLUSTERMATCH_ENGINE_ENGINE_H_
#define CLUSTERMATCH_ENGINE_ENGINE_H_

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/api_key.h"
#include "engine/audit_log.h"
#include "engine/firm.h"
#include "engine/firm_catalog.h"
#include "engine/firm_store.h"
#include "engine/partner_blend_json.h"
#include "engine/recommender.h"
#include "engine/relation_graph.h"
#include "engine/shared_mutex.h"
#include "engine/sparse_field_cache.h"
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
  // The learned partner ranking (engine/partner_model.h). Its weights are
  // relearned when the partnered relations reached (1 + retrain_growth) times
  // the count at the last learning; the graph and embedding follow every
  // relation write.
  PartnerModelOptions partner_options;
  // Index snapshots (engine/index_snapshot.h) at db_path + ".index": an open
  // loads one made under the current model and indexes again only the firms
  // whose texts changed since (or that are new), instead of embedding every
  // firm and rebuilding the HNSW graphs. A writable engine writes one after
  // an open that had to index many firms, on SaveIndexSnapshot(), and on
  // destruction when the index changed since the last one. Stores under this
  // many firms index in milliseconds and get none.
  size_t index_snapshot_min_firms = 20000;
  // How the vector index searches and stores rows (engine/vector_index.h):
  // the exact-scan threshold, the HNSW parameters and the row format (float
  // rows, or 8-bit codes for about a third of the memory). Not kept with the
  // store: each open chooses; a snapshot of another row format is rebuilt.
  VectorIndexOptions index_options;
  // Writable opens: the audit log's retention in days, kept in the store;
  // nullopt: the store's own, else kDefaultAuditRetentionDays (see
  // StoreOptions::audit_retention_days). Older rows are deleted on open.
  std::optional<int> audit_retention_days;
  // Recommend lends half of a call's candidates to a spare thread while
  // that thread is idle (engine/idle_helper.h): a lone call on a cluster
  // answers in a little over half the time, and a busy server is unchanged.
  bool idle_helper = true;
  // Firms whose sparse field vectors stay cached for scoring (the oldest
  // are dropped first; engine/sparse_field_cache.h). An entry costs about
  // 2 KB with a partner query's two fields and 6 KB with all four (sample
  // firms): a cluster fits whole, a nationwide store keeps its recent firms.
  size_t sparse_cache_firms = SparseFieldCache::kMaxEntries;
};

// What SaveIndexSnapshot wrote.
struct IndexSnapshotInfo {
  std::string path;
  int64_t bytes = 0;
  size_t firms = 0;
  double seconds = 0;
};

struct ImportSummary {
  size_t created = 0;
  size_t updated = 0;
  bool retrained = false;
  int64_t model_version = 0;
  // Wall time of each phase of the write, in seconds. store: the firm
  // transaction and the vector persistence (vector_store_seconds of it);
  // train: a retraining (0 when none); embed: the firms' vectors; index:
  // the vector index update.
  double store_seconds = 0;
  double vector_store_seconds = 0;
  double train_seconds = 0;
  double embed_seconds = 0;
  double index_seconds = 0;
};

struct SnapshotInfo {
  std::string path;
  int64_t bytes = 0;
  std::string created_at;  // ISO 8601 UTC
};

// A firm as group workflows read it: the profile and its topic vector
// (empty when the profile has no topic text).
struct GroupFirm {
  Firm firm;
  std::vector<float> topic;
};

// How Engine::TextScores scores a firm against a text.
enum class TextMeasure : uint8_t {
  kSearch = 0,            // as free-text search ranks it (offers and topic)
  kStatedCapability = 1,  // how fully its offers, products or technologies
                          // state the text (ReciprocalScorer::CapabilityMatch)
};

// Where the time of Engine::Open went, in seconds.
struct OpenTimes {
  double catalog_seconds = 0;          // firms and relations read and parsed
  double model_and_index_seconds = 0;  // the model, then the index (index_source)
  // The index snapshot file read and checked, on a second thread while the
  // catalog was parsed (so not part of the sum; 0 without a snapshot).
  double snapshot_read_seconds = 0;
  double snapshot_save_seconds = 0;  // an index snapshot written after a build
  double partners_seconds = 0;       // the partner graph, embedding and blend
};

struct EngineStats {
  size_t firms = 0;
  size_t relations = 0;
  size_t indexed = 0;
  int64_t model_version = 0;  // 0: the untrained fallback
  std::string model;          // TextModel::Describe()
  int schema_version = 0;
  // The learned partner ranking: its weights, when the store's relations
  // were enough to learn them.
  std::optional<BlendWeights> partner_weights;
  size_t partner_graph_firms = 0;
  // How the open or the last training filled the index: "snapshot (N firms
  // loaded, M indexed again)", or "built (R firms; why no snapshot served)".
  std::string index_source;
  OpenTimes open_times;
  // The current model's sparse-vector cache (counts since it was made).
  SparseCacheStats sparse_cache;
};

class Engine {
 public:
  static absl::StatusOr<std::unique_ptr<Engine>> Open(const EngineOptions& options);
  ~Engine();

  // Validates every firm first (InvalidArgument "firms[i] (ID): field: reason"),
  // then writes all in one transaction: a bad firm writes nothing. Audit:
  // import_firm per firm written (and retrain when the import retrains).
  absl::StatusOr<ImportSummary> ImportFirms(std::span<const Firm> firms,
                                            const WriteActor& actor = WriteActor::System());
  // Validates every relation and checks both firms exist, then appends all in
  // one transaction. Audit: add_relation per relation.
  absl::Status AddRelations(std::span<const Relation> relations,
                            const WriteActor& actor = WriteActor::System());
  // Creates one firm; AlreadyExists if the id is taken, InvalidArgument
  // "field: reason" for a bad profile. Audit: create_firm.
  absl::StatusOr<Firm> CreateFirm(const Firm& firm, const WriteActor& actor = WriteActor::System());
  // Applies `change` to a copy of the stored profile, validates the result
  // and stores it, all while holding the write lock, so concurrent updates
  // of one firm never lose each other's changes. NotFound if absent; an error
  // from `change` is returned unchanged and nothing is written;
  // InvalidArgument "id: ..." if `change` altered the id. `change` runs under
  // the write lock: it must not call back into the Engine. Audit: update_firm.
  absl::StatusOr<Firm> UpdateFirm(const std::string& id,
                                  const std::function<absl::Status(Firm&)>& change,
                                  const WriteActor& actor = WriteActor::System());
  // Deletes the firm from the store, its relations and the index: its
  // vectors are zeroed at once, so the next index snapshot has nothing of it
  // (PIPA). Audit: delete_firm, with the id only.
  absl::Status DeleteFirm(const std::string& id, const WriteActor& actor = WriteActor::System());
  // Rebuilds the model from the stored firms and re-embeds every firm.
  // Audit: train, subject "model vN".
  absl::StatusOr<int64_t> Train(const WriteActor& actor = WriteActor::System());

  absl::StatusOr<Firm> GetFirm(const std::string& id) const;
  // Every firm, hidden ones included, ordered by id.
  std::vector<Firm> ListFirms() const;
  // Up to `limit` firms with id > after_id (all when after_id is empty) that
  // pass `keep`, ordered by id. Cost grows with the firms visited, not with
  // the store. `keep` (null keeps all) runs under the shared lock: it must
  // not call back into the Engine.
  std::vector<Firm> ListFirmsPage(std::string_view after_id, size_t limit,
                                  const std::function<bool(const Firm&)>& keep) const;
  // Relations in recording order: all, or those with firm_id on either side.
  std::vector<Relation> ListRelations(const std::string& firm_id = "") const;
  absl::StatusOr<std::vector<Recommendation>> Recommend(const RecommendRequest& request) const;
  absl::StatusOr<std::vector<Recommendation>> Search(const SearchRequest& request) const;
  // Match lists inside a group (an event's attendees): for each firm of
  // `firm_ids`, in order, `base` (intent, k, cross-cluster, filter)
  // recommended among the other firms of the group only, under one reader
  // lock. NotFound "firm_ids[i]: no firm \"ID\"" for an unknown id;
  // InvalidArgument for a repeated one.
  absl::StatusOr<std::vector<std::vector<Recommendation>>> RecommendWithin(
      std::span<const std::string> firm_ids, const RecommendRequest& base) const;
  EngineStats Stats() const;
  // EngineStats::model_version alone, for every response that names the
  // model (Stats also formats the model's description and reads the caches).
  int64_t ModelVersion() const;

  // What the group workflows (SIGs, founders, consortia, purchasing pools)
  // read, each under one reader lock (implemented in engine_groups.cc).
  //
  // Every firm that passes `filter` (visibility included; hidden firms
  // never), ordered by id, with its topic vector; or, when `only_ids` is
  // given, those of its firms that exist and pass, in its order.
  std::vector<GroupFirm> GroupFirms(const SearchFilter& filter,
                                    std::span<const std::string> only_ids = {}) const;
  // Pair scores among `ids` under `intent`: entry i * n + j is the mean of
  // the two directions (0 on the diagonal). NotFound "ids[i]: ..." for an
  // unknown firm.
  absl::StatusOr<std::vector<float>> PairScores(std::span<const std::string> ids,
                                                MatchIntent intent) const;
  // Entry t * n + i: how well firm ids[i] answers texts[t], by `measure`.
  // NotFound "ids[i]: ..." for an unknown firm.
  absl::StatusOr<std::vector<float>> TextScores(std::span<const std::string> texts,
                                                std::span<const std::string> ids,
                                                TextMeasure measure = TextMeasure::kSearch) const;
  // Why `b` suits `a` under `intent` (a is the asking side).
  absl::StatusOr<Explanation> ExplainPair(const std::string& a, const std::string& b,
                                          MatchIntent intent) const;
  // Pairs (i < j) of `ids` with at least one relation of one of `kinds`;
  // ids that name no firm are ignored.
  std::vector<std::pair<int, int>> RelatedPairs(std::span<const std::string> ids,
                                                std::span<const RelationKind> kinds) const;
  // A text's dense vector under the current model (L2-normalised; all zeros
  // when the model knows none of its features).
  std::vector<float> EmbedText(std::string_view text) const;

  // API keys, kept in the store (see api_key.h). Audit: add_key and
  // revoke_key, subject the key id.
  absl::Status AddApiKey(const ApiKeyRecord& key, const WriteActor& actor = WriteActor::System());
  absl::StatusOr<std::vector<ApiKeyRecord>> ListApiKeys() const;
  absl::StatusOr<ApiKeyRecord> RevokeApiKey(const std::string& id,
                                            const WriteActor& actor = WriteActor::System());
  // The audit log rows `query` selects, oldest first.
  absl::StatusOr<std::vector<AuditEntry>> AuditLog(const AuditQuery& query) const;
  // Changes the command the store's write lock names as its holder.
  absl::Status SetLockHolderCommand(const std::string& command);
  // A consistent copy of the store at `path`, taken while serving.
  absl::StatusOr<SnapshotInfo> Snapshot(const std::string& path) const;
  // Writes the index snapshot (see EngineOptions::index_snapshot_min_firms)
  // while queries go on; writes wait. nullopt when there is nothing to write:
  // a read-only or in-memory store, fewer firms than the minimum, the
  // untrained fallback model, or (with only_if_changed) no index change since
  // the last snapshot.
  absl::StatusOr<std::optional<IndexSnapshotInfo>> SaveIndexSnapshot(bool only_if_changed = true);

 private:
  // What serves queries under one model: the model, the index of every
  // firm's vectors under it, and the scorer and sparse cache that borrow it.
  // Replaced whole when a new model is trained.
  struct ServingModel;
  // A write's in-memory effect, prepared outside the exclusive section.
  struct PreparedWrite;
  // Firms as a prepared write leaves them: (key, profile), ordered by id.
  using FirmList = std::vector<std::pair<int64_t, const Firm*>>;

  explicit Engine(const EngineOptions& options, std::unique_ptr<FirmStore> store);
  absl::Status Load();

  // Everything below runs with writer_mutex_ held.
  // The store's model, deserialised, with an empty index; null when the
  // store holds none or one saved by a build with other features (the open
  // then trains one).
  absl::StatusOr<std::unique_ptr<ServingModel>> StoredServing()
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);
  // The serving model for `firms`: `stored` (from StoredServing) with its
  // index adopted from the snapshot when `snapshot_read` (the outcome of
  // ReadIndexSnapshot) is OK and the rest indexed, or a model trained anew
  // when `stored` is null.
  absl::StatusOr<std::unique_ptr<ServingModel>> LoadServing(const FirmList& firms,
                                                            std::unique_ptr<ServingModel> stored,
                                                            const absl::Status& snapshot_read)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);
  // `audit` names the actor and the action each firm is recorded under.
  absl::StatusOr<ImportSummary> WriteFirms(std::span<const Firm> firms, const AuditStamp& audit)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);
  FirmList FirmsAfter(const PreparedWrite& write) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);
  // Trains a model on `firms` (the untrained fallback if they hold no text),
  // persists it and indexes every firm under it.
  // `phases`, when set, gets the time spent added to its *_seconds. The
  // stored model is recorded in the audit log under `audit`.
  absl::StatusOr<std::unique_ptr<ServingModel>> TrainServing(const FirmList& firms,
                                                             const AuditStamp& audit,
                                                             ImportSummary* phases = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);
  // Indexes `firms` into serving.index: `stored` vectors where they were made
  // by serving's model, fresh embeddings (persisted when possible) for the rest.
  absl::Status IndexFirms(ServingModel& serving, const FirmList& firms,
                          const std::vector<StoredVectors>& stored, ImportSummary* phases = nullptr)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);
  absl::Status PersistVectors(const std::vector<StoredVectors>& vectors)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);
  // Reads the index snapshot into serving.index as a pending load
  // (FirmVectorIndex::ReadSnapshot) when it was made under serving's model.
  // It touches nothing of the engine but the store's path, so Load runs it on
  // a second thread while the catalog is parsed. Any error means the
  // snapshot cannot serve.
  absl::Status ReadIndexSnapshot(ServingModel& serving) const;
  // Keeps the read snapshot's slots whose firms are in the catalog with the
  // same texts; the firms left out (changed since, or new) are then indexed
  // by the caller.
  absl::Status AdoptIndexSnapshot(ServingModel& serving)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);
  absl::StatusOr<std::optional<IndexSnapshotInfo>> SaveIndexSnapshotLocked(bool only_if_changed)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);
  // "" for a store with no file (in memory).
  std::string IndexSnapshotPath() const;
  // The only place that changes what readers see, under mutex_ held alone.
  absl::Status Apply(PreparedWrite& write) ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);
  // Drops the relations naming deleted firms (id of each pair), as the store
  // did in the delete's transaction.
  void ForgetRelationsOf(const std::vector<std::pair<int64_t, std::string>>& erased)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_);
  // Rebuilds the partner graph and embedding from the current relations,
  // relearning the blend weights when enough relations were added.
  void RefreshPartners() ABSL_EXCLUSIVE_LOCKS_REQUIRED(writer_mutex_);

  const EngineOptions options_;
  // Every call goes through store_mutex_ (a FirmStore serves one thread at a
  // time), except the immutable path(), read_only() and schema_version().
  const std::unique_ptr<FirmStore> store_;
  // Null when options_.idle_helper is off. Split is thread-safe.
  const std::unique_ptr<IdleHelper> idle_helper_;

  // Lock order: writer_mutex_, then mutex_, then store_mutex_.
  //
  // writer_mutex_ serialises writers: a writer validates, writes the store,
  // embeds and trains holding only it (and mutex_ shared, to read the
  // catalog), then takes mutex_ alone just to apply the prepared change. As
  // only writers change the catalog, the relations and the serving model, a
  // writer may read them outside mutex_ between its reads and its Apply.
  mutable SharedMutex writer_mutex_;
  // Readers share it, Apply holds it alone. absl::Mutex underneath lets a
  // waiting writer in ahead of new readers (glibc's std::shared_mutex starved
  // writers under a steady stream of queries).
  mutable SharedMutex mutex_;
  mutable SharedMutex store_mutex_;
  FirmCatalog catalog_ ABSL_GUARDED_BY(mutex_);
  RelationGraph relations_ ABSL_GUARDED_BY(mutex_);
  std::vector<Relation> relation_list_ ABSL_GUARDED_BY(mutex_);
  std::unique_ptr<ServingModel> serving_ ABSL_GUARDED_BY(mutex_);
  OpenTimes open_times_ ABSL_GUARDED_BY(mutex_);
  std::shared_ptr<const PartnerModel> partners_ ABSL_GUARDED_BY(mutex_);
  // The blend last learned (or read from the store) and whether there is one.
  StoredBlend blend_ ABSL_GUARDED_BY(writer_mutex_);
  bool blend_known_ ABSL_GUARDED_BY(writer_mutex_) = false;
  // Applied writes that changed the index, and their count when the last
  // index snapshot was written or loaded.
  uint64_t index_changes_ ABSL_GUARDED_BY(writer_mutex_) = 0;
  uint64_t index_changes_saved_ ABSL_GUARDED_BY(writer_mutex_) = 0;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_ENGINE_H_
