// Small RAII wrappers over the SQLite 3 C API, private to the store
// (sqlite_firm_store.cc, store_schema.cc). Every failure becomes an
// absl::Status carrying SQLite's message and the database path.
//
// Thread safety: none of these objects may be used by two threads at once.
#ifndef CLUSTERMATCH_ENGINE_SQLITE_STATEMENT_H_
#define CLUSTERMATCH_ENGINE_SQLITE_STATEMENT_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace clustermatch {

// The status for SQLite result code `rc` on `db` (may be null), e.g.
// DataLoss "store /x/firms.db: insert firm: database disk image is
// malformed". SQLITE_CORRUPT/NOTADB map to DataLoss, BUSY/LOCKED to
// Unavailable, READONLY to FailedPrecondition, CONSTRAINT to
// FailedPrecondition, FULL to ResourceExhausted, PERM/AUTH to
// PermissionDenied, CANTOPEN to Unavailable; the rest to Internal.
absl::Status SqliteError(sqlite3* db, int rc, std::string_view what, std::string_view path);

// Owns one connection; closes it on destruction. Statements and
// transactions borrow it and must not outlive it.
class SqliteDb {
 public:
  // `flags` are SQLITE_OPEN_* flags for sqlite3_open_v2.
  static absl::StatusOr<std::unique_ptr<SqliteDb>> Open(const std::string& path, int flags);

  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  sqlite3* get() const { return db_.get(); }
  const std::string& path() const { return path_; }
  // Rows changed by the most recent INSERT, UPDATE or DELETE.
  int64_t changes() const { return sqlite3_changes64(get()); }

  // Runs SQL text without parameters or results (may hold several
  // statements); `what` names the step in error messages.
  absl::Status Exec(std::string_view sql, std::string_view what) const;
  // The integer in the first column of the first row of `sql`.
  absl::StatusOr<int64_t> QueryInt(std::string_view sql, std::string_view what) const;
  // The text in the first column of the first row of `sql`.
  absl::StatusOr<std::string> QueryText(std::string_view sql, std::string_view what) const;

  absl::Status Error(int rc, std::string_view what) const {
    return SqliteError(get(), rc, what, path_);
  }

 private:
  struct Closer {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
  };
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  const std::unique_ptr<sqlite3, Closer> db_;
  const std::string path_;
};

// One prepared statement. Bind* never fail on their own: the first bind error
// is kept and returned by the next Step.
class SqliteStatement {
 public:
  static absl::StatusOr<SqliteStatement> Prepare(const SqliteDb& db, std::string_view sql);

  SqliteStatement(SqliteStatement&&) = default;
  SqliteStatement& operator=(SqliteStatement&&) = default;

  // Parameters are numbered from 1, as in SQLite. Text and blobs are copied.
  void BindInt64(int index, int64_t value);
  void BindText(int index, std::string_view value);
  // A zero-length blob (not NULL) when `size` is 0.
  void BindBlob(int index, const void* data, size_t size);

  // Runs one step: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to completion, for statements that return no rows.
  absl::Status Run();
  // Makes the statement runnable again and clears the bindings.
  void Reset();

  // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL;
  // ask before reading the value, which may convert it.
  int ColumnType(int index) const;
  int64_t ColumnInt64(int index) const;
  std::string ColumnText(int index) const;
  // Blob bytes; empty for NULL.
  std::string_view ColumnBlob(int index) const;

 private:
  struct Finalizer {
    void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
  };
  SqliteStatement(const SqliteDb* db, sqlite3_stmt* stmt, std::string sql);
  void KeepBindError(int rc, int index);

  const SqliteDb* db_;
  std::unique_ptr<sqlite3_stmt, Finalizer> stmt_;
  std::string sql_;  // for error messages
  absl::Status bind_status_;
};

// BEGIN IMMEDIATE on construction (via Begin); ROLLBACK on destruction unless
// Commit succeeded.
class SqliteTransaction {
 public:
  static absl::StatusOr<SqliteTransaction> Begin(const SqliteDb& db);
  SqliteTransaction(SqliteTransaction&& other) noexcept;
  SqliteTransaction& operator=(SqliteTransaction&&) = delete;
  ~SqliteTransaction();

  absl::Status Commit();

 private:
  explicit SqliteTransaction(const SqliteDb* db) : db_(db) {}
  const SqliteDb* db_;  // null once committed or moved from
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SQLITE_STATEMENT_H_
