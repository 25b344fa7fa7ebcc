// The engine's writes: validated, stored in one transaction with their audit
// rows, embedded (or a new model trained) while queries go on, then applied
// to the catalog, relations and index under the exclusive lock (Apply).
#include "engine/engine.h"

#include <algorithm>
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
using engine_internal::Prefixed;
using engine_internal::SecondsSince;

absl::Status Engine::PersistVectors(const std::vector<StoredVectors>& vectors) {
  if (store_->read_only() || vectors.empty()) return absl::OkStatus();
  ExclusiveLock store(&store_mutex_);
  return store_->PutVectors(vectors);
}

void Engine::ForgetRelationsOf(const std::vector<std::pair<int64_t, std::string>>& erased) {
  absl::flat_hash_set<std::string> gone;
  for (const auto& [key, id] : erased) gone.insert(id);
  const size_t before = relation_list_.size();
  std::erase_if(relation_list_, [&gone](const Relation& relation) {
    return gone.contains(relation.a) || gone.contains(relation.b);
  });
  if (relation_list_.size() == before) return;
  relations_ = RelationGraph();
  for (const Relation& relation : relation_list_) relations_.Add(relation);
}

absl::Status Engine::Apply(PreparedWrite& write) {
  absl::Status status;
  std::unique_ptr<ServingModel> replaced;
  if (!write.puts.empty() || !write.erases.empty() || write.serving != nullptr) ++index_changes_;
  {
    ExclusiveLock lock(&mutex_);
    for (const auto& [key, id] : write.erases) catalog_.Erase(id);
    if (!write.erases.empty()) ForgetRelationsOf(write.erases);
    for (auto& [key, firm] : write.puts) catalog_.Put(key, std::move(firm));
    for (Relation& relation : write.relations) {
      relations_.Add(relation);
      relation_list_.push_back(std::move(relation));
    }
    if (write.serving != nullptr) {
      replaced = std::exchange(serving_, std::move(write.serving));
    } else {
      for (const auto& [key, id] : write.erases) {
        serving_->sparse_cache.Invalidate(key);
        absl::Status removed = serving_->index.Remove(key);
        if (!absl::IsNotFound(removed)) status.Update(removed);
      }
      for (const auto& [key, firm] : write.puts) serving_->sparse_cache.Invalidate(key);
      // One batch, so that graphs link the new rows on every core. Embedded
      // vectors are well formed; should one not be, the batch changes
      // nothing, and the firms go in one by one so the others still do.
      std::vector<FirmVectorIndex::IndexEntry> entries;
      entries.reserve(write.upserts.size());
      for (const auto& [facets, vectors] : write.upserts) entries.push_back({facets, &vectors});
      absl::Status upserted = serving_->index.UpsertMany(entries);
      if (absl::IsInvalidArgument(upserted)) {
        for (const auto& [facets, vectors] : write.upserts) {
          status.Update(serving_->index.Upsert(facets, vectors));
        }
      } else {
        status.Update(upserted);
      }
    }
  }
  // The old model and its index are freed outside the exclusive section.
  replaced.reset();
  return status;
}

// Runs with writer_mutex_ held, on validated firms.
absl::StatusOr<ImportSummary> Engine::WriteFirms(std::span<const Firm> firms,
                                                 const AuditStamp& audit) {
  ImportSummary summary;
  const ServingModel* current = nullptr;
  size_t count_after = 0;
  {
    SharedLock lock(&mutex_);
    for (const Firm& firm : firms) {
      (catalog_.KeyOf(firm.id) >= 0 ? summary.updated : summary.created)++;
    }
    count_after = catalog_.size() + summary.created;
    // Stays valid until this writer applies: only writers replace it.
    current = serving_.get();
  }
  std::vector<int64_t> keys;
  const absl::Time store_start = absl::Now();
  {
    ExclusiveLock store(&store_mutex_);
    CM_ASSIGN_OR_RETURN(keys, store_->PutFirms(firms, audit));
  }
  AddSecondsSince(store_start, &summary.store_seconds);
  // The firms are stored: from here on memory follows them, whatever else
  // fails, and the first such failure is returned.
  PreparedWrite write;
  write.puts.reserve(firms.size());
  for (size_t i = 0; i < firms.size(); ++i) write.puts.emplace_back(keys[i], firms[i]);

  absl::Status status;
  const bool stale = !current->model.trained() ||
                     static_cast<double>(count_after) >=
                         (1.0 + options_.retrain_growth) * static_cast<double>(current->firm_count);
  if (options_.model_mode == ModelMode::kTrained && stale) {
    absl::StatusOr<std::unique_ptr<ServingModel>> trained =
        TrainServing(FirmsAfter(write), {audit.actor, AuditAction::kRetrain}, &summary);
    if (trained.ok()) {
      write.serving = *std::move(trained);
      summary.retrained = true;
    } else {
      status = trained.status();
    }
  }
  if (write.serving == nullptr) {
    // Embedded with the current model, which this writer may read unlocked;
    // many firms on every core (EmbedFirms), a few on this thread.
    const absl::Time embed_start = absl::Now();
    std::vector<const Firm*> profiles;
    profiles.reserve(write.puts.size());
    for (const auto& [key, firm] : write.puts) profiles.push_back(&firm);
    std::vector<FirmVectors> embedded = EmbedFirms(current->model, profiles);
    std::vector<StoredVectors> fresh;
    fresh.reserve(write.puts.size());
    for (size_t i = 0; i < write.puts.size(); ++i) {
      const auto& [key, firm] = write.puts[i];
      StoredVectors vectors{key, current->version, std::move(embedded[i])};
      write.upserts.emplace_back(FacetsOf(key, firm), vectors.vectors);
      fresh.push_back(std::move(vectors));
    }
    AddSecondsSince(embed_start, &summary.embed_seconds);
    // The fallback model is never stored, so neither are its vectors.
    const absl::Time persist_start = absl::Now();
    if (current->version != 0) status.Update(PersistVectors(fresh));
    const double persist_seconds = SecondsSince(persist_start);
    summary.store_seconds += persist_seconds;
    summary.vector_store_seconds += persist_seconds;
  }
  summary.model_version = write.serving != nullptr ? write.serving->version : current->version;
  // Apply updates the index (or swaps in the new model's).
  const absl::Time apply_start = absl::Now();
  status.Update(Apply(write));
  AddSecondsSince(apply_start, &summary.index_seconds);
  if (!status.ok()) return status;
  return summary;
}

absl::StatusOr<ImportSummary> Engine::ImportFirms(std::span<const Firm> firms,
                                                  const WriteActor& actor) {
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
  ExclusiveLock writer(&writer_mutex_);
  return WriteFirms(firms, {actor.name, AuditAction::kImportFirm});
}

absl::StatusOr<Firm> Engine::CreateFirm(const Firm& firm, const WriteActor& actor) {
  CM_RETURN_IF_ERROR(ValidateFirm(firm));
  ExclusiveLock writer(&writer_mutex_);
  {
    SharedLock lock(&mutex_);
    if (catalog_.KeyOf(firm.id) >= 0) {
      return absl::AlreadyExistsError("id: firm \"" + firm.id + "\" already exists");
    }
  }
  CM_RETURN_IF_ERROR(
      WriteFirms(std::span<const Firm>(&firm, 1), {actor.name, AuditAction::kCreateFirm}).status());
  return firm;
}

absl::StatusOr<Firm> Engine::UpdateFirm(const std::string& id,
                                        const std::function<absl::Status(Firm&)>& change,
                                        const WriteActor& actor) {
  ExclusiveLock writer(&writer_mutex_);
  Firm firm;
  {
    SharedLock lock(&mutex_);
    const int64_t key = catalog_.KeyOf(id);
    if (key < 0) return absl::NotFoundError("id: no firm \"" + id + "\"");
    firm = *catalog_.ByKey(key);
  }
  CM_RETURN_IF_ERROR(change(firm));
  if (firm.id != id) {
    return absl::InvalidArgumentError("id: cannot change (from \"" + id + "\" to \"" + firm.id +
                                      "\")");
  }
  CM_RETURN_IF_ERROR(ValidateFirm(firm));
  CM_RETURN_IF_ERROR(
      WriteFirms(std::span<const Firm>(&firm, 1), {actor.name, AuditAction::kUpdateFirm}).status());
  return firm;
}

absl::Status Engine::AddRelations(std::span<const Relation> relations, const WriteActor& actor) {
  for (size_t i = 0; i < relations.size(); ++i) {
    absl::Status valid = ValidateRelation(relations[i]);
    if (!valid.ok()) return Prefixed(valid, "relations[" + std::to_string(i) + "]: ");
  }
  ExclusiveLock writer(&writer_mutex_);
  {
    SharedLock lock(&mutex_);
    for (size_t i = 0; i < relations.size(); ++i) {
      for (const auto& [field, id] : {std::pair{"a", &relations[i].a}, {"b", &relations[i].b}}) {
        if (catalog_.KeyOf(*id) < 0) {
          return absl::NotFoundError("relations[" + std::to_string(i) + "]: " + field +
                                     ": no firm \"" + *id + "\"");
        }
      }
    }
  }
  {
    ExclusiveLock store(&store_mutex_);
    CM_RETURN_IF_ERROR(
        store_->AddRelations(relations, AuditStamp{actor.name, AuditAction::kAddRelation}));
  }
  PreparedWrite write;
  write.relations.assign(relations.begin(), relations.end());
  CM_RETURN_IF_ERROR(Apply(write));
  RefreshPartners();
  return absl::OkStatus();
}

absl::Status Engine::DeleteFirm(const std::string& id, const WriteActor& actor) {
  ExclusiveLock writer(&writer_mutex_);
  int64_t key = -1;
  {
    SharedLock lock(&mutex_);
    key = catalog_.KeyOf(id);
  }
  if (key < 0) return absl::NotFoundError("id: no firm \"" + id + "\"");
  {
    ExclusiveLock store(&store_mutex_);
    CM_RETURN_IF_ERROR(store_->DeleteFirm(id, AuditStamp{actor.name, AuditAction::kDeleteFirm}));
  }
  PreparedWrite write;
  write.erases.emplace_back(key, id);
  return Apply(write);
}

absl::StatusOr<int64_t> Engine::Train(const WriteActor& actor) {
  ExclusiveLock writer(&writer_mutex_);
  const FirmList firms = FirmsAfter({});
  if (firms.empty()) {
    return absl::FailedPreconditionError("train: the store has no firms to learn from");
  }
  PreparedWrite write;
  CM_ASSIGN_OR_RETURN(write.serving, TrainServing(firms, {actor.name, AuditAction::kTrain}));
  const int64_t version = write.serving->version;
  CM_RETURN_IF_ERROR(Apply(write));
  return version;
}

}  // namespace clustermatch
