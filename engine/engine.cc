#include "engine/engine.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "engine/firm_texts.h"
#include "engine/firm_validation.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

absl::Status Prefixed(const absl::Status& status, const std::string& prefix) {
  return absl::Status(status.code(), prefix + std::string(status.message()));
}

}  // namespace

Engine::Engine(const EngineOptions& options, std::unique_ptr<FirmStore> store)
    : options_(options), store_(std::move(store)) {}

Engine::~Engine() = default;

absl::StatusOr<std::unique_ptr<Engine>> Engine::Open(const EngineOptions& options) {
  StoreOptions store_options;
  store_options.read_only = options.read_only;
  store_options.holder_command = options.holder_command;
  CM_ASSIGN_OR_RETURN(std::unique_ptr<FirmStore> store,
                      FirmStore::Open(options.db_path, store_options));
  std::unique_ptr<Engine> engine(new Engine(options, std::move(store)));
  CM_RETURN_IF_ERROR(engine->Load());
  return engine;
}

absl::Status Engine::Load() {
  absl::WriterMutexLock lock(&mutex_);
  CM_ASSIGN_OR_RETURN(std::vector<StoredFirm> firms, store_->ListFirms());
  for (StoredFirm& stored : firms) catalog_.Put(stored.key, std::move(stored.firm));
  CM_ASSIGN_OR_RETURN(relation_list_, store_->ListRelations());
  for (const Relation& relation : relation_list_) relations_.Add(relation);
  return LoadModel();
}

// Picks the model (stored, freshly trained, or the fallback) and indexes
// every firm with vectors of that model, embedding those that lack them.
absl::Status Engine::LoadModel() {
  if (options_.model_mode == ModelMode::kUntrained || catalog_.size() == 0) {
    UseModelLocked(TextModel::Untrained(options_.model_options.dimension), 0);
    return IndexAllLocked({});
  }
  CM_ASSIGN_OR_RETURN(std::optional<StoredModel> stored, store_->CurrentModel());
  if (!stored.has_value()) return TrainLocked();
  absl::StatusOr<TextModel> model = TextModel::Deserialize(stored->blob);
  // A model saved by a build with other features (FailedPrecondition) is
  // retrained from the stored firms; a corrupt one is an error.
  if (absl::IsFailedPrecondition(model.status())) return TrainLocked();
  if (!model.ok()) return model.status();
  UseModelLocked(*std::move(model), stored->version);
  model_firm_count_ = stored->firm_count;
  CM_ASSIGN_OR_RETURN(std::vector<StoredVectors> vectors, store_->ListVectors(model_version_));
  return IndexAllLocked(vectors);
}

absl::Status Engine::TrainLocked() {
  std::vector<const Firm*> firms;
  for (const auto& [key, firm] : catalog_.firms()) firms.push_back(&firm);
  std::sort(firms.begin(), firms.end(), [](const Firm* a, const Firm* b) { return a->id < b->id; });
  const std::vector<std::string> documents = TrainingDocuments(firms);
  absl::StatusOr<TextModel> trained = TextModel::Train(documents, options_.model_options);
  if (absl::IsInvalidArgument(trained.status())) {
    // The firms hold no text to learn from (ids only): as for an empty
    // store, the untrained fallback serves until a train finds text.
    UseModelLocked(TextModel::Untrained(options_.model_options.dimension), 0);
    model_firm_count_ = 0;
    return IndexAllLocked({});
  }
  if (!trained.ok()) return trained.status();
  TextModel model = *std::move(trained);
  int64_t version = 0;
  if (!store_->read_only()) {
    CM_ASSIGN_OR_RETURN(version,
                        store_->PutModel(model.Serialize(), static_cast<int64_t>(catalog_.size())));
  }
  UseModelLocked(std::move(model), version);
  model_firm_count_ = static_cast<int64_t>(catalog_.size());
  return IndexAllLocked({});
}

void Engine::UseModelLocked(TextModel model, int64_t version) {
  // Order matters: the scorer and the cache borrow the model they replace.
  scorer_.reset();
  sparse_cache_.reset();
  model_ = std::make_unique<TextModel>(std::move(model));
  model_version_ = version;
  scorer_ = std::make_unique<ReciprocalScorer>(*model_);
  sparse_cache_ = std::make_unique<SparseFieldCache>(*model_);
}

FirmFacets Engine::FacetsOf(int64_t key, const Firm& firm) const {
  return FirmFacets{key, firm.clusters, firm.mini_cluster, firm.kind, firm.region, firm.visibility};
}

// Rebuilds the index: stored vectors where they match the current model,
// fresh embeddings (persisted when writable) for the rest.
absl::Status Engine::IndexAllLocked(const std::vector<StoredVectors>& stored) {
  index_ = std::make_unique<FirmVectorIndex>(model_->dimension());
  absl::flat_hash_set<int64_t> done;
  for (const StoredVectors& vectors : stored) {
    const Firm* firm = catalog_.ByKey(vectors.key);
    if (firm == nullptr) continue;
    CM_RETURN_IF_ERROR(index_->Upsert(FacetsOf(vectors.key, *firm), vectors.vectors));
    done.insert(vectors.key);
  }
  std::vector<int64_t> missing;
  for (const auto& [key, firm] : catalog_.firms()) {
    if (!done.contains(key)) missing.push_back(key);
  }
  std::sort(missing.begin(), missing.end());
  return EmbedAndIndexLocked(missing);
}

absl::Status Engine::EmbedAndIndexLocked(const std::vector<int64_t>& keys) {
  std::vector<StoredVectors> fresh;
  fresh.reserve(keys.size());
  for (int64_t key : keys) {
    const Firm& firm = *catalog_.ByKey(key);
    StoredVectors vectors{key, model_version_, EmbedFirm(*model_, firm)};
    CM_RETURN_IF_ERROR(index_->Upsert(FacetsOf(key, firm), vectors.vectors));
    fresh.push_back(std::move(vectors));
  }
  // The fallback model is never stored, so neither are its vectors.
  if (store_->read_only() || model_version_ == 0 || fresh.empty()) return absl::OkStatus();
  return store_->PutVectors(fresh);
}

absl::StatusOr<ImportSummary> Engine::ImportFirms(std::span<const Firm> firms) {
  absl::flat_hash_map<std::string, size_t> seen;
  for (size_t i = 0; i < firms.size(); ++i) {
    const std::string where = "firms[" + std::to_string(i) + "] (" + firms[i].id + "): ";
    absl::Status valid = ValidateFirm(firms[i]);
    if (!valid.ok()) return Prefixed(valid, where);
    auto [it, inserted] = seen.emplace(firms[i].id, i);
    if (!inserted) {
      return absl::InvalidArgumentError(where + "id: repeats firms[" + std::to_string(it->second) +
                                        "]");
    }
  }
  absl::WriterMutexLock lock(&mutex_);
  ImportSummary summary;
  for (const Firm& firm : firms) {
    (catalog_.KeyOf(firm.id) >= 0 ? summary.updated : summary.created)++;
  }
  CM_ASSIGN_OR_RETURN(std::vector<int64_t> keys, store_->PutFirms(firms));
  for (size_t i = 0; i < firms.size(); ++i) {
    catalog_.Put(keys[i], firms[i]);
    sparse_cache_->Invalidate(keys[i]);
  }

  const bool stale = !model_->trained() ||
                     static_cast<double>(catalog_.size()) >=
                         (1.0 + options_.retrain_growth) * static_cast<double>(model_firm_count_);
  if (options_.model_mode == ModelMode::kTrained && stale) {
    CM_RETURN_IF_ERROR(TrainLocked());
    summary.retrained = true;
  } else {
    CM_RETURN_IF_ERROR(EmbedAndIndexLocked(keys));
  }
  summary.model_version = model_version_;
  return summary;
}

absl::Status Engine::AddRelations(std::span<const Relation> relations) {
  absl::WriterMutexLock lock(&mutex_);
  for (size_t i = 0; i < relations.size(); ++i) {
    const std::string where = "relations[" + std::to_string(i) + "]: ";
    absl::Status valid = ValidateRelation(relations[i]);
    if (!valid.ok()) return Prefixed(valid, where);
    for (const auto& [field, id] : {std::pair{"a", &relations[i].a}, {"b", &relations[i].b}}) {
      if (catalog_.KeyOf(*id) < 0) {
        return absl::NotFoundError(where + field + ": no firm \"" + *id + "\"");
      }
    }
  }
  CM_RETURN_IF_ERROR(store_->AddRelations(relations));
  for (const Relation& relation : relations) {
    relations_.Add(relation);
    relation_list_.push_back(relation);
  }
  return absl::OkStatus();
}

absl::Status Engine::DeleteFirm(const std::string& id) {
  absl::WriterMutexLock lock(&mutex_);
  const int64_t key = catalog_.KeyOf(id);
  if (key < 0) return absl::NotFoundError("id: no firm \"" + id + "\"");
  CM_RETURN_IF_ERROR(store_->DeleteFirm(id));
  catalog_.Erase(id);
  sparse_cache_->Invalidate(key);
  absl::Status removed = index_->Remove(key);
  if (!removed.ok() && !absl::IsNotFound(removed)) return removed;
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Engine::Train() {
  absl::WriterMutexLock lock(&mutex_);
  if (catalog_.size() == 0) {
    return absl::FailedPreconditionError("train: the store has no firms to learn from");
  }
  CM_RETURN_IF_ERROR(TrainLocked());
  return model_version_;
}

absl::StatusOr<Firm> Engine::GetFirm(const std::string& id) const {
  absl::ReaderMutexLock lock(&mutex_);
  const int64_t key = catalog_.KeyOf(id);
  if (key < 0) return absl::NotFoundError("id: no firm \"" + id + "\"");
  return *catalog_.ByKey(key);
}

std::vector<Firm> Engine::ListFirms() const {
  absl::ReaderMutexLock lock(&mutex_);
  std::vector<Firm> firms;
  firms.reserve(catalog_.size());
  for (const auto& [key, firm] : catalog_.firms()) firms.push_back(firm);
  std::sort(firms.begin(), firms.end(), [](const Firm& a, const Firm& b) { return a.id < b.id; });
  return firms;
}

std::vector<Relation> Engine::ListRelations() const {
  absl::ReaderMutexLock lock(&mutex_);
  return relation_list_;
}

absl::StatusOr<std::vector<Recommendation>> Engine::Recommend(
    const RecommendRequest& request) const {
  absl::ReaderMutexLock lock(&mutex_);
  return Recommender(*model_, *index_, catalog_, relations_, *scorer_, *sparse_cache_)
      .Recommend(request);
}

absl::StatusOr<std::vector<Recommendation>> Engine::Search(const SearchRequest& request) const {
  absl::ReaderMutexLock lock(&mutex_);
  return Recommender(*model_, *index_, catalog_, relations_, *scorer_, *sparse_cache_)
      .Search(request);
}

EngineStats Engine::Stats() const {
  absl::ReaderMutexLock lock(&mutex_);
  return EngineStats{catalog_.size(), relation_list_.size(), index_->size(),
                     model_version_,  model_->Describe(),    store_->schema_version()};
}

}  // namespace clustermatch
