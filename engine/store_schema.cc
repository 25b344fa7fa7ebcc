#include "engine/store_schema.h"

#include <array>
#include <string>

#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

// Never edit a step that has shipped: stores in the field already ran it.
// Append a new step instead.
constexpr std::string_view kStep1 = R"sql(
CREATE TABLE firms (
  key INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT UNIQUE NOT NULL,
  profile TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE relations (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  a TEXT NOT NULL,
  b TEXT NOT NULL,
  kind TEXT NOT NULL,
  date TEXT NOT NULL,
  context TEXT
);
CREATE INDEX relations_a ON relations(a);
CREATE INDEX relations_b ON relations(b);
CREATE TABLE models (
  version INTEGER PRIMARY KEY AUTOINCREMENT,
  blob BLOB NOT NULL,
  created_at TEXT NOT NULL,
  firm_count INTEGER NOT NULL
);
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE vectors (
  key INTEGER PRIMARY KEY REFERENCES firms(key) ON DELETE CASCADE,
  model_version INTEGER NOT NULL,
  offer BLOB NOT NULL,
  need BLOB NOT NULL,
  topic BLOB NOT NULL,
  materials BLOB NOT NULL
);
CREATE INDEX vectors_model_version ON vectors(model_version);
)sql";

// Version 2: API keys. seq orders keys by creation; secret_sha256 is the
// SHA-256 of the whole token (the token itself is never stored); role and
// scope are KeyRoleName / KeyScopeName; revoked_at is NULL while the key is
// valid.
constexpr std::string_view kStep2 = R"sql(
CREATE TABLE api_keys (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT UNIQUE NOT NULL,
  role TEXT NOT NULL,
  scope TEXT NOT NULL,
  cluster TEXT NOT NULL,
  label TEXT NOT NULL,
  secret_sha256 BLOB NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);
)sql";

// Version 3: per-key rate limits and the audit log (engine/audit_log.h).
// rate_limit is requests per second, 0 for the server's default; rate_burst
// 0 for about one second's worth. Existing keys keep the default. at is
// UTC with milliseconds ("2026-11-23T07:10:00.123Z"), so text order is time
// order; the index serves --since and retention pruning.
constexpr std::string_view kStep3 = R"sql(
ALTER TABLE api_keys ADD COLUMN rate_limit REAL NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN rate_burst INTEGER NOT NULL DEFAULT 0;
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
)sql";

constexpr std::array<std::string_view, 3> kMigrations = {kStep1, kStep2, kStep3};

absl::StatusOr<int> ReadApplicationId(const SqliteDb& db) {
  CM_ASSIGN_OR_RETURN(int64_t id, db.QueryInt("PRAGMA application_id", "read application_id"));
  return static_cast<int>(id);
}

absl::Status NotAStore(const SqliteDb& db) {
  return absl::FailedPreconditionError(
      absl::StrCat("store ", db.path(), ": is an SQLite database but not a clustermatch store"));
}

absl::Status TooNew(const SqliteDb& db, int version, int known) {
  return absl::FailedPreconditionError(absl::StrCat(
      "store ", db.path(), ": schema version ", version, " is newer than this program's ", known,
      "; it was written by a newer clustermatch, use that version"));
}

// Runs one step inside the caller's transaction, or reports that there is
// nothing left to do (returns false).
absl::StatusOr<bool> ApplyNextStep(const SqliteDb& db, std::span<const std::string_view> steps) {
  CM_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(db));
  const int target = static_cast<int>(steps.size());
  if (version > target) return TooNew(db, version, target);
  if (version == target) return false;
  CM_ASSIGN_OR_RETURN(int application_id, ReadApplicationId(db));
  if (version == 0) {
    CM_ASSIGN_OR_RETURN(int64_t objects,
                        db.QueryInt("SELECT count(*) FROM sqlite_schema", "read schema"));
    if (objects != 0 || (application_id != 0 && application_id != kStoreApplicationId)) {
      return NotAStore(db);
    }
    CM_RETURN_IF_ERROR(db.Exec(absl::StrCat("PRAGMA application_id = ", kStoreApplicationId),
                               "set application_id"));
  } else if (application_id != kStoreApplicationId) {
    return NotAStore(db);
  }
  CM_RETURN_IF_ERROR(db.Exec(steps[version], absl::StrCat("migrate to version ", version + 1)));
  CM_RETURN_IF_ERROR(
      db.Exec(absl::StrCat("PRAGMA user_version = ", version + 1), "set schema version"));
  return true;
}

}  // namespace

std::span<const std::string_view> StoreMigrations() { return kMigrations; }

int CurrentStoreSchemaVersion() { return static_cast<int>(kMigrations.size()); }

absl::StatusOr<int> ReadSchemaVersion(const SqliteDb& db) {
  CM_ASSIGN_OR_RETURN(int64_t version, db.QueryInt("PRAGMA user_version", "read schema version"));
  return static_cast<int>(version);
}

absl::StatusOr<int> MigrateSchema(const SqliteDb& db, std::span<const std::string_view> steps) {
  // The version is read inside each step's transaction, so the decision to
  // migrate and the migration see the same database.
  while (true) {
    CM_ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(db));
    CM_ASSIGN_OR_RETURN(bool applied, ApplyNextStep(db, steps));
    CM_RETURN_IF_ERROR(transaction.Commit());
    if (!applied) break;
  }
  return ReadSchemaVersion(db);
}

absl::Status CheckSchemaVersion(const SqliteDb& db, int expected_version) {
  CM_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(db));
  if (version > expected_version) return TooNew(db, version, expected_version);
  CM_ASSIGN_OR_RETURN(int application_id, ReadApplicationId(db));
  if (version > 0 && application_id != kStoreApplicationId) return NotAStore(db);
  if (version < expected_version) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store ", db.path(), ": schema version ", version, " is older than this program's ",
        expected_version, "; open it once for writing to migrate it"));
  }
  return absl::OkStatus();
}

}  // namespace clustermatch
