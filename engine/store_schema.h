// The firm store's SQL schema and its forward migrations.
//
// The schema version lives in PRAGMA user_version. Migration step i (counted
// from 0) takes a database from version i to i + 1; each step runs in its own
// transaction together with the user_version update, so a failed step leaves
// the database at the previous version. PRAGMA application_id marks the file
// as a clustermatch store so that another program's SQLite file is refused.
//
// Schema (version 1):
//   firms(key INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
//         profile TEXT NOT NULL, updated_at TEXT NOT NULL)
//     profile is the firm as firm_json.h text; keys are never reused.
//   relations(seq INTEGER PRIMARY KEY AUTOINCREMENT, a, b, kind, date,
//             context TEXT NOT NULL) with indexes on a and on b
//     a and b are firm ids, not keys: relations outlive deleted firms. kind
//     is the short RelationKindName. Repeats are separate rows.
//   models(version INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL,
//          created_at TEXT NOT NULL, firm_count INTEGER NOT NULL)
//   meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)
//     'current_model_version' -> the current models.version.
//   vectors(key INTEGER PRIMARY KEY REFERENCES firms(key) ON DELETE CASCADE,
//           model_version INTEGER NOT NULL, offer BLOB NOT NULL,
//           need BLOB NOT NULL, topic BLOB NOT NULL, materials BLOB NOT NULL)
//     One row per firm holding every field, so a firm whose fields are all
//     empty is still recorded as embedded. Each blob is little-endian
//     float32; zero bytes for an empty field. Indexed by model_version.
//
// Version 2 adds:
//   api_keys(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
//            role, scope, cluster, label TEXT NOT NULL, secret_sha256 BLOB
//            NOT NULL, created_at TEXT NOT NULL, revoked_at TEXT)
//     Only the SHA-256 of a key is stored, never the key; revoked_at is NULL
//     while the key is valid. role and scope are the short names.
//
// Version 3 adds:
//   api_keys.rate_limit REAL NOT NULL DEFAULT 0 (requests per second; 0: the
//     server's default) and api_keys.rate_burst INTEGER NOT NULL DEFAULT 0
//   audit_log(seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,
//             actor TEXT NOT NULL, action TEXT NOT NULL,
//             subject TEXT NOT NULL) with an index on at
//     One row per change, written in the transaction of the change itself
//     (engine/audit_log.h); at is UTC ISO 8601 with milliseconds. Rows
//     older than the retention (meta 'audit_retention_days', default 730)
//     are deleted when the store is opened for writing.
//
// Thread safety: the functions use the connection they are given and nothing
// else; callers serialise use of that connection.
#ifndef CLUSTERMATCH_ENGINE_STORE_SCHEMA_H_
#define CLUSTERMATCH_ENGINE_STORE_SCHEMA_H_

#include <cstdint>
#include <span>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/sqlite_statement.h"

namespace clustermatch {

// PRAGMA application_id of a clustermatch store ("CMst").
inline constexpr int32_t kStoreApplicationId = 0x434d7374;

// The ordered migration steps; the schema version this code writes is their
// count.
std::span<const std::string_view> StoreMigrations();
int CurrentStoreSchemaVersion();

// The database's user_version.
absl::StatusOr<int> ReadSchemaVersion(const SqliteDb& db);

// Brings `db` up to steps.size() by running the steps it has not had yet, one
// transaction each, and returns the resulting version. FailedPrecondition
// when the database is newer than steps.size() (written by newer code), or
// when it is a non-empty SQLite database that is not a clustermatch store.
// `steps` is a parameter so tests can migrate with lists of their own.
absl::StatusOr<int> MigrateSchema(const SqliteDb& db, std::span<const std::string_view> steps);

// For read-only opens, which cannot migrate: OK when the database is at
// exactly `expected_version`, FailedPrecondition otherwise.
absl::Status CheckSchemaVersion(const SqliteDb& db, int expected_version);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_STORE_SCHEMA_H_
