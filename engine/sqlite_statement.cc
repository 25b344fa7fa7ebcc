#include "engine/sqlite_statement.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace clustermatch {
namespace {

absl::StatusCode CodeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
      return absl::StatusCode::kUnavailable;
    case SQLITE_READONLY:
    case SQLITE_CONSTRAINT:
      return absl::StatusCode::kFailedPrecondition;
    case SQLITE_FULL:
    case SQLITE_TOOBIG:
    case SQLITE_NOMEM:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return absl::StatusCode::kPermissionDenied;
    case SQLITE_RANGE:
      return absl::StatusCode::kOutOfRange;
    default:
      return absl::StatusCode::kInternal;
  }
}

}  // namespace

absl::Status SqliteError(sqlite3* db, int rc, std::string_view what, std::string_view path) {
  // sqlite3_errmsg describes the most recent failure on the connection, which
  // is this one when called right after it; without a connection, fall back
  // to the generic text for the code.
  const char* message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return absl::Status(CodeFor(rc), absl::StrCat("store ", std::string(path), ": ",
                                                std::string(what), ": ", message));
}

absl::StatusOr<std::unique_ptr<SqliteDb>> SqliteDb::Open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  std::unique_ptr<SqliteDb> db(new SqliteDb(raw, path));
  if (rc != SQLITE_OK) return db->Error(rc, "open");
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

absl::Status SqliteDb::Exec(std::string_view sql, std::string_view what) const {
  const int rc = sqlite3_exec(get(), std::string(sql).c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return Error(rc, what);
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteDb::QueryInt(std::string_view sql, std::string_view what) const {
  auto statement = SqliteStatement::Prepare(*this, sql);
  if (!statement.ok()) return statement.status();
  auto row = statement->Step();
  if (!row.ok()) return row.status();
  if (!*row)
    return absl::InternalError(absl::StrCat("store ", path_, ": ", std::string(what), ": no row"));
  return statement->ColumnInt64(0);
}

absl::StatusOr<std::string> SqliteDb::QueryText(std::string_view sql, std::string_view what) const {
  auto statement = SqliteStatement::Prepare(*this, sql);
  if (!statement.ok()) return statement.status();
  auto row = statement->Step();
  if (!row.ok()) return row.status();
  if (!*row)
    return absl::InternalError(absl::StrCat("store ", path_, ": ", std::string(what), ": no row"));
  return statement->ColumnText(0);
}

SqliteStatement::SqliteStatement(const SqliteDb* db, sqlite3_stmt* stmt, std::string sql)
    : db_(db), stmt_(stmt), sql_(std::move(sql)) {}

absl::StatusOr<SqliteStatement> SqliteStatement::Prepare(const SqliteDb& db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  const int rc =
      sqlite3_prepare_v2(db.get(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  SqliteStatement statement(&db, stmt, std::string(sql));
  if (rc != SQLITE_OK) return db.Error(rc, absl::StrCat("prepare \"", statement.sql_, "\""));
  return statement;
}

void SqliteStatement::KeepBindError(int rc, int index) {
  if (rc == SQLITE_OK || !bind_status_.ok()) return;
  bind_status_ = db_->Error(rc, absl::StrCat("bind parameter ", index, " of \"", sql_, "\""));
}

void SqliteStatement::BindInt64(int index, int64_t value) {
  KeepBindError(sqlite3_bind_int64(stmt_.get(), index, value), index);
}

void SqliteStatement::BindText(int index, std::string_view value) {
  KeepBindError(sqlite3_bind_text64(stmt_.get(), index, value.data(), value.size(),
                                    SQLITE_TRANSIENT, SQLITE_UTF8),
                index);
}

void SqliteStatement::BindBlob(int index, const void* data, size_t size) {
  // sqlite3_bind_blob64 turns a null pointer into SQL NULL, so an empty blob
  // is bound as a zero-length zeroblob instead.
  const int rc = size == 0 ? sqlite3_bind_zeroblob(stmt_.get(), index, 0)
                           : sqlite3_bind_blob64(stmt_.get(), index, data, size, SQLITE_TRANSIENT);
  KeepBindError(rc, index);
}

absl::StatusOr<bool> SqliteStatement::Step() {
  if (!bind_status_.ok()) return bind_status_;
  const int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return db_->Error(rc, absl::StrCat("run \"", sql_, "\""));
}

absl::Status SqliteStatement::Run() {
  while (true) {
    auto row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

void SqliteStatement::Reset() {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
  bind_status_ = absl::OkStatus();
}

int SqliteStatement::ColumnType(int index) const { return sqlite3_column_type(stmt_.get(), index); }

int64_t SqliteStatement::ColumnInt64(int index) const {
  return sqlite3_column_int64(stmt_.get(), index);
}

std::string SqliteStatement::ColumnText(int index) const {
  const unsigned char* text = sqlite3_column_text(stmt_.get(), index);
  const int size = sqlite3_column_bytes(stmt_.get(), index);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

std::string_view SqliteStatement::ColumnBlob(int index) const {
  const void* data = sqlite3_column_blob(stmt_.get(), index);
  const int size = sqlite3_column_bytes(stmt_.get(), index);
  if (data == nullptr) return std::string_view();
  return std::string_view(static_cast<const char*>(data), static_cast<size_t>(size));
}

absl::StatusOr<SqliteTransaction> SqliteTransaction::Begin(const SqliteDb& db) {
  absl::Status status = db.Exec("BEGIN IMMEDIATE", "begin transaction");
  if (!status.ok()) return status;
  return SqliteTransaction(&db);
}

SqliteTransaction::SqliteTransaction(SqliteTransaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)) {}

SqliteTransaction::~SqliteTransaction() {
  // A failed statement may already have ended the transaction (SQLite rolls
  // back on some errors); ROLLBACK then fails harmlessly, so it is only run
  // while a transaction is open.
  if (db_ != nullptr && sqlite3_get_autocommit(db_->get()) == 0) {
    sqlite3_exec(db_->get(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

absl::Status SqliteTransaction::Commit() {
  if (db_ == nullptr) return absl::FailedPreconditionError("transaction already ended");
  absl::Status status = db_->Exec("COMMIT", "commit transaction");
  if (status.ok()) db_ = nullptr;
  return status;
}

}  // namespace clustermatch
