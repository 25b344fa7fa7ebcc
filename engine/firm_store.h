// FirmStore: the embedded SQLite store (firms, relations, models, vectors).
//
// Durability: WAL journal with synchronous=FULL, so a call that returned OK
// survives kill -9 and power loss. Every mutating call is one transaction:
// it applies whole or not at all. The schema is versioned (PRAGMA
// user_version) and migrated forward on open.
//
// Audit log (audit_log.h): the writes of firms, relations, models and keys
// take an optional AuditStamp and, given one, record their audit_log rows in
// their own transaction, so the change and its rows commit or fail together.
// The overloads without a stamp record nothing; they are for tests and
// tools: the Engine always passes one. A writable open prunes rows older
// than the retention period (StoreOptions::audit_retention_days).
//
// Writers: one process writes a store at a time. A writable Open takes an
// exclusive advisory lock on PATH.lock and writes the holder (pid, command,
// start time) into it; a second writable Open fails with FailedPrecondition
// naming that holder. Read-only opens take no lock.
//
// Thread safety: a FirmStore is used by one thread at a time (callers
// serialise writes; the engine holds it under its writer lock).
#ifndef CLUSTERMATCH_ENGINE_FIRM_STORE_H_
#define CLUSTERMATCH_ENGINE_FIRM_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/api_key.h"
#include "engine/audit_log.h"
#include "engine/firm.h"
#include "engine/vector_index.h"

namespace clustermatch {

struct StoreOptions {
  // Open without the write lock; every mutating call fails with
  // FailedPrecondition.
  bool read_only = false;
  // Create the file (and schema) when it does not exist. A read-only open of
  // a missing file is NotFound.
  bool create_if_missing = true;
  // Name written into the lock file, e.g. "clustermatch import".
  std::string holder_command = "clustermatch";
  // Writable opens: the audit log's retention, in days (1 to
  // kMaxAuditRetentionDays), kept in the store from then on; nullopt: the
  // one kept in the store, else kDefaultAuditRetentionDays. Rows older than
  // it are deleted by the open.
  std::optional<int> audit_retention_days;
};

struct StoredFirm {
  int64_t key = 0;  // stable row key, never reused
  Firm firm;
};

struct StoredModel {
  int64_t version = 0;
  std::string blob;
  std::string created_at;  // ISO 8601 UTC
  int64_t firm_count = 0;  // firms in the store when it was trained
};

struct StoredVectors {
  int64_t key = 0;
  int64_t model_version = 0;
  FirmVectors vectors;
};

class FirmStore {
 public:
  // path ":memory:" opens a private in-memory store (tests, fuzzing).
  static absl::StatusOr<std::unique_ptr<FirmStore>> Open(const std::string& path,
                                                         const StoreOptions& options);
  virtual ~FirmStore() = default;

  virtual const std::string& path() const = 0;
  virtual bool read_only() const = 0;
  virtual int schema_version() const = 0;

  // Inserts or replaces firms by id, in one transaction; returns their keys in
  // input order. A replaced firm keeps its key and loses its stored vectors.
  // InvalidArgument if the batch repeats an id. Audit: one row per firm,
  // subject its id.
  virtual absl::StatusOr<std::vector<int64_t>> PutFirms(std::span<const Firm> firms,
                                                        const std::optional<AuditStamp>& audit) = 0;
  absl::StatusOr<std::vector<int64_t>> PutFirms(std::span<const Firm> firms) {
    return PutFirms(firms, std::nullopt);
  }
  virtual absl::StatusOr<StoredFirm> GetFirm(std::string_view id) const = 0;
  // All firms, ordered by key (the order they were first stored in).
  virtual absl::StatusOr<std::vector<StoredFirm>> ListFirms() const = 0;
  virtual absl::StatusOr<int64_t> CountFirms() const = 0;
  // Deletes the firm, its vectors and the relations naming it, and empties
  // the log of their old pages (PIPA); NotFound if absent.
  // Audit: one row, subject the id (nothing of the profile).
  virtual absl::Status DeleteFirm(std::string_view id, const std::optional<AuditStamp>& audit) = 0;
  absl::Status DeleteFirm(std::string_view id) { return DeleteFirm(id, std::nullopt); }

  // Appends relations in one transaction. Both firms must exist: otherwise
  // NotFound naming the relation's index and the missing id, and nothing is
  // written. Audit: one row per relation, subject "a->b kind".
  virtual absl::Status AddRelations(std::span<const Relation> relations,
                                    const std::optional<AuditStamp>& audit) = 0;
  absl::Status AddRelations(std::span<const Relation> relations) {
    return AddRelations(relations, std::nullopt);
  }
  // All relations in insertion order.
  virtual absl::StatusOr<std::vector<Relation>> ListRelations() const = 0;

  // Stores a new model and makes it current; returns its version (1, 2, ...).
  // Audit: one row, subject "model vN".
  virtual absl::StatusOr<int64_t> PutModel(std::string_view blob, int64_t firm_count,
                                           const std::optional<AuditStamp>& audit) = 0;
  absl::StatusOr<int64_t> PutModel(std::string_view blob, int64_t firm_count) {
    return PutModel(blob, firm_count, std::nullopt);
  }
  // The current model, or nullopt when none was ever trained.
  virtual absl::StatusOr<std::optional<StoredModel>> CurrentModel() const = 0;

  // Named values the engine derives and keeps with the store (the learned
  // partner blend, say); never a key of its own (current_model).
  virtual absl::Status PutSetting(std::string_view name, std::string_view value) = 0;
  // nullopt when never set.
  virtual absl::StatusOr<std::optional<std::string>> GetSetting(std::string_view name) const = 0;

  // Inserts or replaces vectors, in one transaction.
  virtual absl::Status PutVectors(std::span<const StoredVectors> vectors) = 0;
  // Every stored vector set made with model_version.
  virtual absl::StatusOr<std::vector<StoredVectors>> ListVectors(int64_t model_version) const = 0;
  // The stored vectors, made with model_version, of those of `keys` that
  // have them, in key order.
  virtual absl::StatusOr<std::vector<StoredVectors>> ListVectorsOf(
      int64_t model_version, std::span<const int64_t> keys) const = 0;

  // Stores a new API key; AlreadyExists if its id is taken. Audit: one row,
  // subject the key id.
  virtual absl::Status PutApiKey(const ApiKeyRecord& key,
                                 const std::optional<AuditStamp>& audit) = 0;
  absl::Status PutApiKey(const ApiKeyRecord& key) { return PutApiKey(key, std::nullopt); }
  // Every key, revoked ones included, ordered by creation.
  virtual absl::StatusOr<std::vector<ApiKeyRecord>> ListApiKeys() const = 0;
  // Marks the key revoked at `revoked_at` and returns it; NotFound if
  // absent. Revoking a revoked key keeps its first revocation time. Audit:
  // one row, subject the key id.
  virtual absl::StatusOr<ApiKeyRecord> RevokeApiKey(std::string_view id,
                                                    std::string_view revoked_at,
                                                    const std::optional<AuditStamp>& audit) = 0;
  absl::StatusOr<ApiKeyRecord> RevokeApiKey(std::string_view id, std::string_view revoked_at) {
    return RevokeApiKey(id, revoked_at, std::nullopt);
  }

  // The audit log rows `query` selects, oldest first. Works on read-only
  // stores too.
  virtual absl::StatusOr<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) const = 0;

  // Writes a consistent copy of the whole store to `path` (which must not
  // exist: AlreadyExists) while the store stays open; returns its size in
  // bytes. Works on read-only stores too.
  virtual absl::StatusOr<int64_t> BackupTo(const std::string& path) const = 0;

  // Rewrites the command the write lock names as its holder (what a refused
  // second writer is told). OK and nothing done without the lock.
  virtual absl::Status SetLockHolderCommand(std::string_view command) = 0;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIRM_STORE_H_
