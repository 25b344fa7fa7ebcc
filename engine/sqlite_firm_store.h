// SqliteFirmStore: the FirmStore on one SQLite 3 database file. The schema is
// described in store_schema.h, the profile text in firm_json.h, the write
// lock in store_lock.h.
//
// Connection settings: WAL journal (files, not ":memory:"), synchronous=FULL,
// foreign_keys=ON, busy_timeout 5000 ms. A read-only store opens SQLite with
// SQLITE_OPEN_READONLY, takes no write lock and can run beside a writer in
// another process, seeing each committed transaction whole.
//
// Errors: SQLite failures carry SQLite's message and the store path (see
// sqlite_statement.h for the code mapping). A stored row that cannot be
// decoded (bad profile JSON, vector blob of the wrong size, unknown relation
// kind) is DataLoss.
//
// Thread safety: as FirmStore: one thread at a time.
#ifndef CLUSTERMATCH_ENGINE_SQLITE_FIRM_STORE_H_
#define CLUSTERMATCH_ENGINE_SQLITE_FIRM_STORE_H_

#include <memory>
#include <string>

#include "engine/firm_store.h"
#include "engine/sqlite_statement.h"
#include "engine/store_lock.h"

namespace clustermatch {

inline constexpr int kStoreBusyTimeoutMs = 5000;

class SqliteFirmStore final : public FirmStore {
 public:
  // As FirmStore::Open. InvalidArgument for an empty path or a read-only
  // ":memory:" store; NotFound for a missing file when read_only or not
  // create_if_missing; FailedPrecondition when another writer holds the lock
  // or the schema is newer than this code (or, read-only, older).
  static absl::StatusOr<std::unique_ptr<SqliteFirmStore>> Open(const std::string& path,
                                                               const StoreOptions& options);
  ~SqliteFirmStore() override;

  const std::string& path() const override { return path_; }
  bool read_only() const override { return read_only_; }
  int schema_version() const override { return schema_version_; }

  // The overloads without an audit stamp, from FirmStore.
  using FirmStore::AddRelations;
  using FirmStore::DeleteFirm;
  using FirmStore::PutApiKey;
  using FirmStore::PutFirms;
  using FirmStore::PutModel;
  using FirmStore::RevokeApiKey;

  absl::StatusOr<std::vector<int64_t>> PutFirms(std::span<const Firm> firms,
                                                const std::optional<AuditStamp>& audit) override;
  absl::StatusOr<StoredFirm> GetFirm(std::string_view id) const override;
  absl::StatusOr<std::vector<StoredFirm>> ListFirms() const override;
  absl::StatusOr<int64_t> CountFirms() const override;
  absl::Status DeleteFirm(std::string_view id, const std::optional<AuditStamp>& audit) override;

  absl::Status AddRelations(std::span<const Relation> relations,
                            const std::optional<AuditStamp>& audit) override;
  absl::StatusOr<std::vector<Relation>> ListRelations() const override;

  absl::StatusOr<int64_t> PutModel(std::string_view blob, int64_t firm_count,
                                   const std::optional<AuditStamp>& audit) override;
  absl::StatusOr<std::optional<StoredModel>> CurrentModel() const override;
  absl::Status PutSetting(std::string_view name, std::string_view value) override;
  absl::StatusOr<std::optional<std::string>> GetSetting(std::string_view name) const override;

  // Also InvalidArgument when the non-empty fields of one entry differ in
  // length, and NotFound when an entry's key is not a stored firm.
  absl::Status PutVectors(std::span<const StoredVectors> vectors) override;
  absl::StatusOr<std::vector<StoredVectors>> ListVectors(int64_t model_version) const override;
  absl::StatusOr<std::vector<StoredVectors>> ListVectorsOf(
      int64_t model_version, std::span<const int64_t> keys) const override;

  // Also InvalidArgument for an empty id or a secret_sha256 that is not 32
  // bytes. An empty created_at is stored as the current UTC time.
  // InvalidArgument for a rate limit ValidateKeyRateLimit refuses.
  absl::Status PutApiKey(const ApiKeyRecord& key, const std::optional<AuditStamp>& audit) override;
  // DataLoss for a stored row with an unknown role or scope or a hash that is
  // not 32 bytes.
  absl::StatusOr<std::vector<ApiKeyRecord>> ListApiKeys() const override;
  // An empty revoked_at means the current UTC time.
  absl::StatusOr<ApiKeyRecord> RevokeApiKey(std::string_view id, std::string_view revoked_at,
                                            const std::optional<AuditStamp>& audit) override;
  // Implemented in audit_sqlite.cc's terms, in sqlite_store_admin.cc.
  absl::StatusOr<std::vector<AuditEntry>> ListAudit(const AuditQuery& query) const override;
  // VACUUM INTO: one read snapshot, compacted, then fsync'ed (file and
  // directory). A failed copy is removed.
  absl::StatusOr<int64_t> BackupTo(const std::string& path) const override;
  absl::Status SetLockHolderCommand(std::string_view command) override {
    return lock_ == nullptr ? absl::OkStatus() : lock_->SetCommand(command);
  }

 private:
  SqliteFirmStore(std::string path, bool read_only, std::unique_ptr<StoreWriteLock> lock,
                  std::unique_ptr<SqliteDb> db, int schema_version);

  // FailedPrecondition on a read-only store.
  absl::Status CheckWritable(std::string_view operation) const;
  // One row of "SELECT key, offer, need, topic, materials"; DataLoss naming
  // the key and field for a malformed one.
  absl::StatusOr<StoredVectors> ReadVectorsRow(const SqliteStatement& select,
                                               int64_t model_version) const;

  // Fixed at construction. The connection is declared after the lock so it
  // closes before the lock is released.
  const std::string path_;
  const bool read_only_;
  const std::unique_ptr<StoreWriteLock> lock_;  // null when read-only or in memory
  const std::unique_ptr<SqliteDb> db_;
  const int schema_version_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SQLITE_FIRM_STORE_H_
