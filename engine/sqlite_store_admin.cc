// SqliteFirmStore's API keys and online backup: the parts of the store the
// gRPC server's administration uses (see firm_store.h for the contract).

#include <algorithm>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/audit_sqlite.h"
#include "engine/file_sync.h"
#include "engine/sqlite_firm_store.h"
#include "engine/sqlite_text.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

using sqlite_text::kNow;
using sqlite_text::Quoted;

constexpr size_t kSha256Bytes = 32;
constexpr char kApiKeyColumns[] =
    "id, role, scope, cluster, label, secret_sha256, created_at, revoked_at, rate_limit, "
    "rate_burst";

absl::StatusOr<ApiKeyRecord> ReadApiKeyRow(const SqliteStatement& row, const std::string& path) {
  ApiKeyRecord key;
  key.id = row.ColumnText(0);
  const std::string role = row.ColumnText(1);
  const std::string scope = row.ColumnText(2);
  const std::optional<KeyRole> parsed_role = ParseKeyRole(role);
  if (!parsed_role.has_value()) {
    return absl::DataLossError(absl::StrCat("store ", path, ": API key ", Quoted(key.id),
                                            ": unknown role ", Quoted(role)));
  }
  const std::optional<KeyScope> parsed_scope = ParseKeyScope(scope);
  if (!parsed_scope.has_value()) {
    return absl::DataLossError(absl::StrCat("store ", path, ": API key ", Quoted(key.id),
                                            ": unknown scope ", Quoted(scope)));
  }
  key.role = *parsed_role;
  key.scope = *parsed_scope;
  key.cluster = row.ColumnText(3);
  key.label = row.ColumnText(4);
  key.secret_sha256 = std::string(row.ColumnBlob(5));
  if (key.secret_sha256.size() != kSha256Bytes) {
    return absl::DataLossError(absl::StrCat("store ", path, ": API key ", Quoted(key.id),
                                            ": secret_sha256 has ", key.secret_sha256.size(),
                                            " bytes, not ", kSha256Bytes));
  }
  key.created_at = row.ColumnText(6);
  key.revoked_at = row.ColumnText(7);  // "" for NULL
  // REAL, read through its text (sqlite_statement.h has no double accessors).
  const std::string rate = row.ColumnText(8);
  const int64_t burst = row.ColumnInt64(9);
  key.rate_burst = static_cast<int>(std::clamp<int64_t>(burst, -1, kMaxKeyRateBurst + int64_t{1}));
  if (!absl::SimpleAtod(rate, &key.rate_limit) ||
      !ValidateKeyRateLimit(key.rate_limit, key.rate_burst, "rate_limit", "rate_burst").ok()) {
    return absl::DataLossError(absl::StrCat("store ", path, ": API key ", Quoted(key.id),
                                            ": rate limit ", key.rate_limit, " burst ",
                                            key.rate_burst, " out of range"));
  }
  return key;
}

}  // namespace

absl::Status SqliteFirmStore::PutApiKey(const ApiKeyRecord& key,
                                        const std::optional<AuditStamp>& audit) {
  CM_RETURN_IF_ERROR(CheckWritable("put API keys"));
  if (key.id.empty()) return absl::InvalidArgumentError("API key: empty id");
  if (key.secret_sha256.size() != kSha256Bytes) {
    return absl::InvalidArgumentError(absl::StrCat("API key ", Quoted(key.id),
                                                   ": secret_sha256 has ", key.secret_sha256.size(),
                                                   " bytes, not ", kSha256Bytes));
  }
  const std::string_view role = KeyRoleName(key.role);
  const std::string_view scope = KeyScopeName(key.scope);
  if (!ParseKeyRole(role).has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("API key ", Quoted(key.id), ": unknown role ", static_cast<int>(key.role)));
  }
  if (!ParseKeyScope(scope).has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("API key ", Quoted(key.id), ": unknown scope ", static_cast<int>(key.scope)));
  }
  CM_RETURN_IF_ERROR(
      ValidateKeyRateLimit(key.rate_limit, key.rate_burst, "rate_limit", "rate_burst"));
  CM_ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(*db_));
  CM_ASSIGN_OR_RETURN(SqliteStatement exists,
                      SqliteStatement::Prepare(*db_, "SELECT 1 FROM api_keys WHERE id = ?1"));
  exists.BindText(1, key.id);
  CM_ASSIGN_OR_RETURN(bool taken, exists.Step());
  if (taken) {
    return absl::AlreadyExistsError(
        absl::StrCat("store ", path_, ": API key id ", Quoted(key.id), " is taken"));
  }
  // An empty created_at or revoked_at means "now" and "still valid".
  CM_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      SqliteStatement::Prepare(
          *db_, absl::StrCat("INSERT INTO api_keys(", kApiKeyColumns,
                             ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, coalesce(nullif(?7, ''), ", kNow,
                             "), nullif(?8, ''), ?9, ?10)")));
  insert.BindText(1, key.id);
  insert.BindText(2, role);
  insert.BindText(3, scope);
  insert.BindText(4, key.cluster);
  insert.BindText(5, key.label);
  insert.BindBlob(6, key.secret_sha256.data(), key.secret_sha256.size());
  insert.BindText(7, key.created_at);
  insert.BindText(8, key.revoked_at);
  // Text into a REAL column: SQLite's affinity stores the number.
  insert.BindText(9, absl::StrFormat("%.17g", key.rate_limit));
  insert.BindInt64(10, key.rate_burst);
  CM_RETURN_IF_ERROR(insert.Run());
  CM_ASSIGN_OR_RETURN(std::optional<AuditRowWriter> audit_rows, PrepareAudit(*db_, audit));
  if (audit_rows.has_value()) CM_RETURN_IF_ERROR(audit_rows->Add(key.id));
  return transaction.Commit();
}

absl::StatusOr<std::vector<ApiKeyRecord>> SqliteFirmStore::ListApiKeys() const {
  CM_ASSIGN_OR_RETURN(SqliteStatement select,
                      SqliteStatement::Prepare(*db_, absl::StrCat("SELECT ", kApiKeyColumns,
                                                                  " FROM api_keys ORDER BY seq")));
  std::vector<ApiKeyRecord> keys;
  while (true) {
    CM_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    CM_ASSIGN_OR_RETURN(ApiKeyRecord key, ReadApiKeyRow(select, path_));
    keys.push_back(std::move(key));
  }
  return keys;
}

absl::StatusOr<ApiKeyRecord> SqliteFirmStore::RevokeApiKey(std::string_view id,
                                                           std::string_view revoked_at,
                                                           const std::optional<AuditStamp>& audit) {
  CM_RETURN_IF_ERROR(CheckWritable("revoke API keys"));
  CM_ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(*db_));
  CM_ASSIGN_OR_RETURN(
      SqliteStatement revoke,
      SqliteStatement::Prepare(*db_,
                               absl::StrCat("UPDATE api_keys SET revoked_at = coalesce(revoked_at, "
                                            "nullif(?2, ''), ",
                                            kNow, ") WHERE id = ?1")));
  revoke.BindText(1, id);
  revoke.BindText(2, revoked_at);
  CM_RETURN_IF_ERROR(revoke.Run());
  if (db_->changes() == 0) {
    return absl::NotFoundError(absl::StrCat("store ", path_, ": no API key with id ", Quoted(id)));
  }
  CM_ASSIGN_OR_RETURN(SqliteStatement select,
                      SqliteStatement::Prepare(*db_, absl::StrCat("SELECT ", kApiKeyColumns,
                                                                  " FROM api_keys WHERE id = ?1")));
  select.BindText(1, id);
  CM_ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return db_->Error(SQLITE_INTERNAL, "revoked API key vanished");
  CM_ASSIGN_OR_RETURN(ApiKeyRecord key, ReadApiKeyRow(select, path_));
  CM_RETURN_IF_ERROR(select.Run());
  CM_ASSIGN_OR_RETURN(std::optional<AuditRowWriter> audit_rows, PrepareAudit(*db_, audit));
  if (audit_rows.has_value()) CM_RETURN_IF_ERROR(audit_rows->Add(key.id));
  CM_RETURN_IF_ERROR(transaction.Commit());
  return key;
}

absl::StatusOr<std::vector<AuditEntry>> SqliteFirmStore::ListAudit(const AuditQuery& query) const {
  return ReadAuditLog(*db_, query);
}

absl::StatusOr<int64_t> SqliteFirmStore::BackupTo(const std::string& path) const {
  if (path.empty()) return absl::InvalidArgumentError("backup path is empty");
  std::error_code error;
  if (std::filesystem::exists(path, error) || error) {
    return absl::AlreadyExistsError(
        absl::StrCat("backup ", path, ": ",
                     error ? absl::StrCat("cannot check it: ", error.message())
                           : std::string("already exists")));
  }
  // VACUUM INTO reads one snapshot (a read transaction), so writers in other
  // processes may go on; it works on read-only connections too.
  CM_ASSIGN_OR_RETURN(SqliteStatement vacuum, SqliteStatement::Prepare(*db_, "VACUUM INTO ?1"));
  vacuum.BindText(1, path);
  if (absl::Status status = vacuum.Run(); !status.ok()) {
    std::filesystem::remove(path, error);
    return absl::Status(status.code(), absl::StrCat("backup to ", path, ": ", status.message()));
  }
  // SQLite does not sync the copy; do it so an acknowledged backup is on disk.
  CM_RETURN_IF_ERROR(SyncFileAndDirectory(path));
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (error) {
    return absl::InternalError(
        absl::StrCat("backup ", path, ": cannot read its size: ", error.message()));
  }
  return static_cast<int64_t>(size);
}

}  // namespace clustermatch
