#include "engine/engine.h"

#include <xxhash.h>

#include <algorithm>
#include <functional>
#include <future>
#include <system_error>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/embed_firms.h"
#include "engine/firm_texts.h"
#include "engine/firm_validation.h"
#include "engine/serving_model.h"
#include "engine/status_macros.h"

namespace clustermatch {
using engine_internal::AddSecondsSince;
using engine_internal::SecondsSince;
using engine_internal::UtcNow;

Engine::Engine(const EngineOptions& options, std::unique_ptr<FirmStore> store)
    : options_(options),
      store_(std::move(store)),
      idle_helper_(options.idle_helper ? std::make_unique<IdleHelper>() : nullptr) {}

Engine::~Engine() {
  // A cache: should it fail, the next open builds the index instead.
  SaveIndexSnapshot().IgnoreError();
}

absl::StatusOr<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  StoreOptions store_options;
  store_options.read_only = options.read_only;
  store_options.holder_command = options.holder_command;
  store_options.audit_retention_days = options.audit_retention_days;
  CM_ASSIGN_OR_RETURN(std::unique_ptr<FirmStore> store,
                      FirmStore::Open(options.db_path, store_options));
  std::unique_ptr<Engine> engine(new Engine(options, std::move(store)));
  CM_RETURN_IF_ERROR(engine->Load());
  return engine;
}

absl::Status Engine::Load() {
  ExclusiveLock writer(&writer_mutex_);
  absl::Time start = absl::Now();
  std::unique_ptr<ServingModel> stored;
  if (options_.model_mode != ModelMode::kUntrained) {
    CM_ASSIGN_OR_RETURN(stored, StoredServing());
  }
  // The index snapshot is read on a second thread while this one parses the
  // firms: only judging its slots needs the catalog. `stored` and `times`
  // outlive the future, whose destructor waits for the read on every return
  // below. Without a thread the read happens on this one, afterwards.
  OpenTimes times;
  auto read_snapshot = [this, &times](ServingModel& serving) {
    const absl::Time read_start = absl::Now();
    absl::Status read = ReadIndexSnapshot(serving);
    times.snapshot_read_seconds = SecondsSince(read_start);
    return read;
  };
  std::future<absl::Status> snapshot_read;
  if (stored != nullptr) {
    try {
      snapshot_read = std::async(std::launch::async, read_snapshot, std::ref(*stored));
    } catch (const std::system_error&) {
      // No thread to spare: the snapshot is read after the catalog.
    }
  }
  std::vector<StoredFirm> firms;
  std::vector<Relation> relations;
  {
    ExclusiveLock store(&store_mutex_);
    CM_ASSIGN_OR_RETURN(firms, store_->ListFirms());
    CM_ASSIGN_OR_RETURN(relations, store_->ListRelations());
    // A stored blend that cannot be read is learned again.
    absl::StatusOr<std::optional<std::string>> blend = store_->GetSetting(kPartnerBlendSetting);
    if (blend.ok() && blend->has_value()) {
      absl::StatusOr<std::optional<StoredBlend>> parsed = StoredBlendFromJson(**blend);
      if (parsed.ok() && parsed->has_value()) {
        blend_ = **parsed;
        blend_known_ = true;
      }
    }
  }
  {
    ExclusiveLock lock(&mutex_);
    catalog_.Reserve(firms.size());
    for (StoredFirm& stored_firm : firms)
      catalog_.Put(stored_firm.key, std::move(stored_firm.firm));
    for (const Relation& relation : relations) relations_.Add(relation);
    relation_list_ = std::move(relations);
  }
  times.catalog_seconds = SecondsSince(start);
  start = absl::Now();
  absl::Status read = absl::OkStatus();
  if (snapshot_read.valid()) {
    read = snapshot_read.get();
  } else if (stored != nullptr) {
    read = read_snapshot(*stored);
  }
  CM_ASSIGN_OR_RETURN(std::unique_ptr<ServingModel> serving,
                      LoadServing(FirmsAfter({}), std::move(stored), read));
  times.model_and_index_seconds = SecondsSince(start);
  const bool from_snapshot = serving->index_from_snapshot;
  {
    ExclusiveLock lock(&mutex_);
    serving_ = std::move(serving);
  }
  // An index built in full is saved at once; a snapshot that served needs
  // no rewrite for a few changed firms, which go into the next one.
  if (!from_snapshot) {
    ++index_changes_;
    start = absl::Now();
    SaveIndexSnapshotLocked(true).IgnoreError();
    times.snapshot_save_seconds = SecondsSince(start);
  }
  start = absl::Now();
  RefreshPartners();
  times.partners_seconds = SecondsSince(start);
  ExclusiveLock lock(&mutex_);
  open_times_ = times;
  return absl::OkStatus();
}

void Engine::RefreshPartners() {
  std::shared_ptr<const PartnerModel> model;
  bool learned = false;
  {
    SharedLock lock(&mutex_);
    const ServingModel& s = *serving_;
    const Recommender recommender(s.model, s.index, catalog_, relations_, s.scorer, s.sparse_cache);
    ContentSide content;
    content.candidates = [&](int64_t key) { return recommender.PartnerContentCandidates(key); };
    content.score = [&](int64_t key, int64_t candidate) {
      return recommender.PartnerContentScores(key, candidate);
    };
    size_t partnered = 0;
    for (const Relation& relation : relation_list_) {
      partnered += relation.kind == RelationKind::kPartnered;
    }
    const bool keep =
        blend_known_ && static_cast<double>(partnered) <
                            (1 + options_.retrain_growth) * static_cast<double>(blend_.learned_at);
    model = PartnerModel::Build(catalog_, relation_list_, content, options_.partner_options,
                                keep ? &blend_.weights : nullptr);
    if (!keep) {
      blend_.weights = model->learned() ? std::optional(*model->weights()) : std::nullopt;
      blend_.learned_at = partnered;
      blend_known_ = true;
    }
    learned = !keep;
  }
  // Kept with the store so that the next open need not learn again. The blend
  // is derived data: if this write fails, the next open learns it anew.
  if (learned && !store_->read_only()) {
    ExclusiveLock store(&store_mutex_);
    store_->PutSetting(kPartnerBlendSetting, StoredBlendToJson(blend_)).IgnoreError();
  }
  ExclusiveLock lock(&mutex_);
  partners_ = std::move(model);
}

absl::StatusOr<std::unique_ptr<Engine::ServingModel>> Engine::StoredServing() {
  std::optional<StoredModel> stored;
  {
    ExclusiveLock store(&store_mutex_);
    CM_ASSIGN_OR_RETURN(stored, store_->CurrentModel());
  }
  if (!stored.has_value()) return nullptr;
  absl::StatusOr<TextModel> model = TextModel::Deserialize(stored->blob);
  // A model saved by a build with other features (FailedPrecondition) is
  // retrained from the stored firms; a corrupt one is an error.
  if (absl::IsFailedPrecondition(model.status())) return nullptr;
  if (!model.ok()) return model.status();
  auto serving = std::make_unique<ServingModel>(*std::move(model), stored->version,
                                                stored->firm_count, options_);
  serving->model_stamp = XXH3_64bits(stored->blob.data(), stored->blob.size());
  return serving;
}

// Picks the model (stored, freshly trained, or the fallback) and indexes
// every firm with vectors of that model, embedding those that lack them.
absl::StatusOr<std::unique_ptr<Engine::ServingModel>> Engine::LoadServing(
    const FirmList& firms, std::unique_ptr<ServingModel> stored,
    const absl::Status& snapshot_read) {
  if (options_.model_mode == ModelMode::kUntrained || firms.empty()) {
    auto serving = std::make_unique<ServingModel>(
        TextModel::Untrained(options_.model_options.dimension), 0, 0, options_);
    CM_RETURN_IF_ERROR(IndexFirms(*serving, firms, {}));
    return serving;
  }
  // A model the open trains is the engine's own doing.
  const AuditStamp opened{WriteActor::System().name, AuditAction::kRetrain};
  if (stored == nullptr) return TrainServing(firms, opened);
  std::unique_ptr<ServingModel> serving = std::move(stored);
  const absl::Time start = absl::Now();
  const absl::Status snapshot = snapshot_read.ok() ? AdoptIndexSnapshot(*serving) : snapshot_read;
  FirmList missing;
  for (const auto& entry : firms) {
    if (!serving->index.Contains(entry.first)) missing.push_back(entry);
  }
  std::vector<StoredVectors> vectors;
  {
    ExclusiveLock store(&store_mutex_);
    if (missing.size() > firms.size() / 8) {
      CM_ASSIGN_OR_RETURN(vectors, store_->ListVectors(serving->version));
    } else if (!missing.empty()) {
      std::vector<int64_t> keys;
      keys.reserve(missing.size());
      for (const auto& entry : missing) keys.push_back(entry.first);
      CM_ASSIGN_OR_RETURN(vectors, store_->ListVectorsOf(serving->version, keys));
    }
  }
  CM_RETURN_IF_ERROR(IndexFirms(*serving, missing, vectors));
  const double seconds = SecondsSince(start);
  serving->index_from_snapshot = snapshot.ok();
  if (snapshot.ok()) {
    serving->index_source =
        absl::StrCat("snapshot (", firms.size() - missing.size(), " firms loaded, ", missing.size(),
                     " indexed again; ", absl::SixDigits(seconds), " s)");
  } else {
    serving->index_source =
        absl::StrCat("built (", firms.size(), " firms in ", absl::SixDigits(seconds), " s; ",
                     std::string(snapshot.message()), ")");
  }
  return serving;
}

Engine::FirmList Engine::FirmsAfter(const PreparedWrite& write) const {
  absl::flat_hash_map<int64_t, const Firm*> changed;
  for (const auto& [key, firm] : write.puts) changed[key] = &firm;
  absl::flat_hash_set<int64_t> erased;
  for (const auto& [key, id] : write.erases) erased.insert(key);
  FirmList firms;
  SharedLock lock(&mutex_);
  firms.reserve(catalog_.size() + changed.size());
  for (const auto& [id, key] : catalog_.ids()) {
    if (erased.contains(key)) continue;
    auto it = changed.find(key);
    if (it == changed.end()) {
      firms.emplace_back(key, catalog_.ByKey(key));
    } else {
      firms.emplace_back(key, it->second);
      changed.erase(it);
    }
  }
  const size_t stored = firms.size();
  for (const auto& [key, firm] : changed) firms.emplace_back(key, firm);
  if (firms.size() > stored) {
    std::sort(firms.begin(), firms.end(),
              [](const auto& a, const auto& b) { return a.second->id < b.second->id; });
  }
  // The pointers into catalog_ stay valid after the lock goes: only writers
  // change the catalog, and this one holds writer_mutex_ until it applies.
  return firms;
}

// On failure nothing in memory changes. Should the model be stored but not
// its vectors, the next open picks it up and embeds every firm again.
absl::StatusOr<std::unique_ptr<Engine::ServingModel>> Engine::TrainServing(const FirmList& firms,
                                                                           const AuditStamp& audit,
                                                                           ImportSummary* phases) {
  const absl::Time train_start = absl::Now();
  std::vector<const Firm*> profiles;
  profiles.reserve(firms.size());
  for (const auto& [key, firm] : firms) profiles.push_back(firm);
  const std::vector<std::string> documents = TrainingDocuments(profiles);
  absl::StatusOr<TextModel> trained = TextModel::Train(documents, options_.model_options);
  std::unique_ptr<ServingModel> serving;
  if (absl::IsInvalidArgument(trained.status())) {
    // The firms hold no text to learn from (ids only): as for an empty
    // store, the untrained fallback serves until a train finds text.
    serving = std::make_unique<ServingModel>(TextModel::Untrained(options_.model_options.dimension),
                                             0, 0, options_);
  } else if (!trained.ok()) {
    return trained.status();
  } else {
    const auto firm_count = static_cast<int64_t>(firms.size());
    int64_t version = 0;
    std::string blob;
    if (!store_->read_only()) {
      blob = trained->Serialize();
      ExclusiveLock store(&store_mutex_);
      CM_ASSIGN_OR_RETURN(version, store_->PutModel(blob, firm_count, audit));
    }
    serving = std::make_unique<ServingModel>(*std::move(trained), version, firm_count, options_);
    if (version != 0) serving->model_stamp = XXH3_64bits(blob.data(), blob.size());
  }
  AddSecondsSince(train_start, phases != nullptr ? &phases->train_seconds : nullptr);
  const absl::Time index_start = absl::Now();
  CM_RETURN_IF_ERROR(IndexFirms(*serving, firms, {}, phases));
  serving->index_source = absl::StrCat("built (", firms.size(), " firms in ",
                                       absl::SixDigits(SecondsSince(index_start)), " s; trained)");
  return serving;
}

absl::Status Engine::IndexFirms(ServingModel& serving, const FirmList& firms,
                                const std::vector<StoredVectors>& stored, ImportSummary* phases) {
  absl::flat_hash_map<int64_t, const FirmVectors*> vectors_by_key;
  for (const StoredVectors& vectors : stored) vectors_by_key[vectors.key] = &vectors.vectors;
  // Firms without stored vectors of this model are embedded first, on every
  // core. `fresh` is not resized after, so pointers into it stay valid.
  const absl::Time embed_start = absl::Now();
  std::vector<const Firm*> missing;
  std::vector<StoredVectors> fresh;
  for (const auto& [key, firm] : firms) {
    if (vectors_by_key.contains(key)) continue;
    missing.push_back(firm);
    fresh.push_back({key, serving.version, {}});
  }
  std::vector<FirmVectors> embedded = EmbedFirms(serving.model, missing);
  for (size_t i = 0; i < fresh.size(); ++i) {
    fresh[i].vectors = std::move(embedded[i]);
    vectors_by_key[fresh[i].key] = &fresh[i].vectors;
  }
  AddSecondsSince(embed_start, phases != nullptr ? &phases->embed_seconds : nullptr);
  // One batch. Into an empty index that builds each graph from all rows at
  // once, every level's rows before the next level's, which links a far
  // better graph than growing it batch by batch: at 1M firms, recall@10 at
  // ef 64 is 0.99 against 0.96 with batches of 4,096 (docs/performance.md).
  const absl::Time index_start = absl::Now();
  std::vector<FirmVectorIndex::IndexEntry> entries;
  entries.reserve(firms.size());
  for (const auto& [key, firm] : firms) {
    entries.push_back({FacetsOf(key, *firm), vectors_by_key.at(key)});
  }
  CM_RETURN_IF_ERROR(serving.index.UpsertMany(entries));
  AddSecondsSince(index_start, phases != nullptr ? &phases->index_seconds : nullptr);
  // The fallback model is never stored, so neither are its vectors.
  if (serving.version == 0) return absl::OkStatus();
  const absl::Time persist_start = absl::Now();
  absl::Status persisted = PersistVectors(fresh);
  if (phases != nullptr) {
    const double seconds = SecondsSince(persist_start);
    phases->store_seconds += seconds;
    phases->vector_store_seconds += seconds;
  }
  return persisted;
}

absl::StatusOr<Firm> Engine::GetFirm(const std::string& id) const {
  SharedLock lock(&mutex_);
  const int64_t key = catalog_.KeyOf(id);
  if (key < 0) return absl::NotFoundError("id: no firm \"" + id + "\"");
  return *catalog_.ByKey(key);
}

std::vector<Firm> Engine::ListFirms() const {
  SharedLock lock(&mutex_);
  std::vector<Firm> firms;
  firms.reserve(catalog_.size());
  for (const auto& [id, key] : catalog_.ids()) firms.push_back(*catalog_.ByKey(key));
  return firms;
}

std::vector<Firm> Engine::ListFirmsPage(std::string_view after_id, size_t limit,
                                        const std::function<bool(const Firm&)>& keep) const {
  std::vector<Firm> page;
  if (limit == 0) return page;
  SharedLock lock(&mutex_);
  const FirmCatalog::IdIndex& ids = catalog_.ids();
  auto it = after_id.empty() ? ids.begin() : ids.upper_bound(std::string(after_id));
  for (; it != ids.end() && page.size() < limit; ++it) {
    const Firm& firm = *catalog_.ByKey(it->second);
    if (!keep || keep(firm)) page.push_back(firm);
  }
  return page;
}

std::vector<Relation> Engine::ListRelations(const std::string& firm_id) const {
  SharedLock lock(&mutex_);
  if (firm_id.empty()) return relation_list_;
  std::vector<Relation> relations;
  for (const Relation& relation : relation_list_) {
    if (relation.a == firm_id || relation.b == firm_id) relations.push_back(relation);
  }
  return relations;
}

absl::StatusOr<std::vector<Recommendation>> Engine::Recommend(
    const RecommendRequest& request) const {
  const IdleHelper::Call call(idle_helper_.get());
  SharedLock lock(&mutex_);
  const ServingModel& s = *serving_;
  return Recommender(s.model, s.index, catalog_, relations_, s.scorer, s.sparse_cache,
                     partners_.get(), idle_helper_.get())
      .Recommend(request);
}

absl::StatusOr<std::vector<std::vector<Recommendation>>> Engine::RecommendWithin(
    std::span<const std::string> firm_ids, const RecommendRequest& base) const {
  SharedLock lock(&mutex_);
  auto group = std::make_shared<absl::flat_hash_set<int64_t>>();
  for (size_t i = 0; i < firm_ids.size(); ++i) {
    const int64_t key = catalog_.KeyOf(firm_ids[i]);
    const std::string where = "firm_ids[" + std::to_string(i) + "]: ";
    if (key < 0) return absl::NotFoundError(where + "no firm \"" + firm_ids[i] + "\"");
    if (!group->insert(key).second) {
      return absl::InvalidArgumentError(where + "\"" + firm_ids[i] + "\" is listed twice");
    }
  }
  const ServingModel& s = *serving_;
  const Recommender recommender(s.model, s.index, catalog_, relations_, s.scorer, s.sparse_cache,
                                partners_.get());
  RecommendRequest request = base;
  request.profile.reset();
  request.filter.only_keys = group;
  std::vector<std::vector<Recommendation>> lists;
  lists.reserve(firm_ids.size());
  for (const std::string& id : firm_ids) {
    request.firm_id = id;
    absl::StatusOr<std::vector<Recommendation>> list = recommender.Recommend(request);
    if (!list.ok()) return list.status();
    lists.push_back(*std::move(list));
  }
  return lists;
}

absl::StatusOr<std::vector<Recommendation>> Engine::Search(const SearchRequest& request) const {
  const IdleHelper::Call call(idle_helper_.get());  // keeps recommendations to one thread meanwhile
  SharedLock lock(&mutex_);
  const ServingModel& s = *serving_;
  return Recommender(s.model, s.index, catalog_, relations_, s.scorer, s.sparse_cache)
      .Search(request);
}

EngineStats Engine::Stats() const {
  SharedLock lock(&mutex_);
  EngineStats stats;
  stats.firms = catalog_.size();
  stats.relations = relation_list_.size();
  stats.indexed = serving_->index.size();
  stats.model_version = serving_->version;
  stats.model = serving_->model.Describe();
  stats.schema_version = store_->schema_version();
  stats.index_source = serving_->index_source;
  stats.open_times = open_times_;
  stats.sparse_cache = serving_->sparse_cache.Stats();
  if (partners_ != nullptr) {
    if (partners_->learned()) stats.partner_weights = *partners_->weights();
    stats.partner_graph_firms = partners_->graph().key_of_node.size();
  }
  return stats;
}

int64_t Engine::ModelVersion() const {
  SharedLock lock(&mutex_);
  return serving_->version;
}

absl::Status Engine::SetLockHolderCommand(const std::string& command) {
  ExclusiveLock store(&store_mutex_);
  return store_->SetLockHolderCommand(command);
}

absl::Status Engine::AddApiKey(const ApiKeyRecord& key, const WriteActor& actor) {
  ExclusiveLock store(&store_mutex_);
  return store_->PutApiKey(key, AuditStamp{actor.name, AuditAction::kAddKey});
}

absl::StatusOr<std::vector<ApiKeyRecord>> Engine::ListApiKeys() const {
  ExclusiveLock store(&store_mutex_);
  return store_->ListApiKeys();
}

absl::StatusOr<ApiKeyRecord> Engine::RevokeApiKey(const std::string& id, const WriteActor& actor) {
  ExclusiveLock store(&store_mutex_);
  return store_->RevokeApiKey(id, UtcNow(), AuditStamp{actor.name, AuditAction::kRevokeKey});
}

absl::StatusOr<std::vector<AuditEntry>> Engine::AuditLog(const AuditQuery& query) const {
  ExclusiveLock store(&store_mutex_);
  return store_->ListAudit(query);
}

absl::StatusOr<SnapshotInfo> Engine::Snapshot(const std::string& path) const {
  ExclusiveLock store(&store_mutex_);
  SnapshotInfo info;
  info.path = path;
  info.created_at = UtcNow();
  CM_ASSIGN_OR_RETURN(info.bytes, store_->BackupTo(path));
  return info;
}

}  // namespace clustermatch
