#include "engine/sqlite_firm_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <system_error>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/audit_sqlite.h"
#include "engine/firm_json.h"
#include "engine/sqlite_text.h"
#include "engine/status_macros.h"
#include "engine/store_schema.h"

namespace clustermatch {
namespace {

using sqlite_text::kNow;
using sqlite_text::Quoted;

constexpr std::string_view kCurrentModelKey = "current_model_version";
constexpr std::array<const char*, kVectorFieldCount> kFieldNames = {"offer", "need", "topic",
                                                                    "materials"};

// Vectors are stored as little-endian float32 whatever the host's order.
std::string EncodeFloats(const std::vector<float>& values) {
  std::string bytes(values.size() * 4, '\0');
  for (size_t i = 0; i < values.size(); ++i) {
    const uint32_t bits = std::bit_cast<uint32_t>(values[i]);
    for (int b = 0; b < 4; ++b) bytes[i * 4 + b] = static_cast<char>((bits >> (8 * b)) & 0xff);
  }
  return bytes;
}

std::vector<float> DecodeFloats(std::string_view bytes) {
  std::vector<float> values(bytes.size() / 4);
  for (size_t i = 0; i < values.size(); ++i) {
    uint32_t bits = 0;
    for (int b = 0; b < 4; ++b) {
      bits |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i * 4 + b])) << (8 * b);
    }
    values[i] = std::bit_cast<float>(bits);
  }
  return values;
}

// The length shared by the non-empty fields, or the first field that breaks
// it.
std::optional<int> MismatchedField(const FirmVectors& vectors) {
  size_t length = 0;
  for (int f = 0; f < kVectorFieldCount; ++f) {
    const size_t n = vectors.fields[f].size();
    if (n == 0) continue;
    if (length == 0) length = n;
    if (n != length) return f;
  }
  return std::nullopt;
}

absl::Status Configure(const SqliteDb& db, bool writable_file) {
  sqlite3_busy_timeout(db.get(), kStoreBusyTimeoutMs);
  CM_RETURN_IF_ERROR(db.Exec("PRAGMA foreign_keys = ON", "enable foreign keys"));
  CM_RETURN_IF_ERROR(db.Exec("PRAGMA synchronous = FULL", "set synchronous"));
  // A deleted firm's profile must not linger in free pages (PIPA): SQLite
  // overwrites deleted content with zeros.
  CM_RETURN_IF_ERROR(db.Exec("PRAGMA secure_delete = ON", "set secure_delete"));
  if (!writable_file) return absl::OkStatus();
  CM_ASSIGN_OR_RETURN(std::string mode, db.QueryText("PRAGMA journal_mode = WAL", "set WAL"));
  if (mode != "wal") {
    return absl::FailedPreconditionError(
        absl::StrCat("store ", db.path(), ": cannot use WAL journal (got ", mode, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<FirmStore>> FirmStore::Open(const std::string& path,
                                                           const StoreOptions& options) {
  CM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteFirmStore> store, SqliteFirmStore::Open(path, options));
  return std::unique_ptr<FirmStore>(std::move(store));
}

SqliteFirmStore::SqliteFirmStore(std::string path, bool read_only,
                                 std::unique_ptr<StoreWriteLock> lock, std::unique_ptr<SqliteDb> db,
                                 int schema_version)
    : path_(std::move(path)),
      read_only_(read_only),
      lock_(std::move(lock)),
      db_(std::move(db)),
      schema_version_(schema_version) {}

SqliteFirmStore::~SqliteFirmStore() = default;

absl::StatusOr<std::unique_ptr<SqliteFirmStore>> SqliteFirmStore::Open(
    const std::string& path, const StoreOptions& options) {
  if (path.empty()) return absl::InvalidArgumentError("store path is empty");
  const bool in_memory = path == ":memory:";
  if (in_memory && options.read_only) {
    return absl::InvalidArgumentError("a read-only :memory: store would always be empty");
  }
  if (!in_memory) {
    std::error_code error;
    const bool exists = std::filesystem::exists(path, error);
    if (!exists && (options.read_only || !options.create_if_missing)) {
      return absl::NotFoundError(absl::StrCat("store ", path, " does not exist"));
    }
  }

  // The lock comes first: opening a store for writing may migrate it.
  std::unique_ptr<StoreWriteLock> lock;
  if (!options.read_only && !in_memory) {
    CM_ASSIGN_OR_RETURN(lock, StoreWriteLock::Acquire(path, options.holder_command));
  }
  const int flags =
      options.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
  CM_ASSIGN_OR_RETURN(std::unique_ptr<SqliteDb> db, SqliteDb::Open(path, flags));
  CM_RETURN_IF_ERROR(Configure(*db, !options.read_only && !in_memory));

  int version = CurrentStoreSchemaVersion();
  if (options.read_only) {
    CM_RETURN_IF_ERROR(CheckSchemaVersion(*db, version));
  } else {
    CM_ASSIGN_OR_RETURN(version, MigrateSchema(*db, StoreMigrations()));
    CM_RETURN_IF_ERROR(ApplyAuditRetention(*db, options.audit_retention_days).status());
  }
  return std::unique_ptr<SqliteFirmStore>(
      new SqliteFirmStore(path, options.read_only, std::move(lock), std::move(db), version));
}

absl::Status SqliteFirmStore::CheckWritable(std::string_view operation) const {
  if (!read_only_) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("store ", path_, " is open read-only; cannot ", std::string(operation)));
}

absl::StatusOr<std::vector<int64_t>> SqliteFirmStore::PutFirms(
    std::span<const Firm> firms, const std::optional<AuditStamp>& audit) {
  CM_RETURN_IF_ERROR(CheckWritable("put firms"));
  // Everything that can be checked without the database is checked before
  // the transaction starts.
  absl::flat_hash_map<std::string_view, size_t> first_index;
  for (size_t i = 0; i < firms.size(); ++i) {
    const std::string& id = firms[i].id;
    if (id.empty()) return absl::InvalidArgumentError(absl::StrCat("firms[", i, "]: empty id"));
    const auto [it, inserted] = first_index.emplace(id, i);
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat("firms[", i, "]: id ", Quoted(id), " repeats firms[", it->second, "]"));
    }
  }
  // Profiles are written as JSON on every core (an import writes many); the
  // first failure in input order is returned.
  std::vector<absl::StatusOr<std::string>> profiles(firms.size());
  const auto n = static_cast<int64_t>(firms.size());
#pragma omp parallel for schedule(dynamic, 64) if (n >= 1024)
  for (int64_t i = 0; i < n; ++i) {
    profiles[static_cast<size_t>(i)] = FirmToJson(firms[static_cast<size_t>(i)]);
  }
  for (const absl::StatusOr<std::string>& profile : profiles) {
    if (!profile.ok()) return profile.status();
  }

  CM_ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(*db_));
  CM_ASSIGN_OR_RETURN(SqliteStatement find,
                      SqliteStatement::Prepare(*db_, "SELECT key FROM firms WHERE id = ?1"));
  CM_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      SqliteStatement::Prepare(*db_, absl::StrCat("INSERT INTO firms(id, profile, updated_at) "
                                                  "VALUES(?1, ?2, ",
                                                  kNow, ") RETURNING key")));
  CM_ASSIGN_OR_RETURN(SqliteStatement update,
                      SqliteStatement::Prepare(
                          *db_, absl::StrCat("UPDATE firms SET profile = ?2, updated_at = ", kNow,
                                             " WHERE key = ?1")));
  CM_ASSIGN_OR_RETURN(SqliteStatement drop_vectors,
                      SqliteStatement::Prepare(*db_, "DELETE FROM vectors WHERE key = ?1"));
  CM_ASSIGN_OR_RETURN(std::optional<AuditRowWriter> audit_rows, PrepareAudit(*db_, audit));
  std::vector<int64_t> keys;
  keys.reserve(firms.size());
  for (size_t i = 0; i < firms.size(); ++i) {
    find.Reset();
    find.BindText(1, firms[i].id);
    CM_ASSIGN_OR_RETURN(bool exists, find.Step());
    if (exists) {
      const int64_t key = find.ColumnInt64(0);
      update.Reset();
      update.BindInt64(1, key);
      update.BindText(2, *profiles[i]);
      CM_RETURN_IF_ERROR(update.Run());
      drop_vectors.Reset();
      drop_vectors.BindInt64(1, key);
      CM_RETURN_IF_ERROR(drop_vectors.Run());
      keys.push_back(key);
    } else {
      insert.Reset();
      insert.BindText(1, firms[i].id);
      insert.BindText(2, *profiles[i]);
      CM_ASSIGN_OR_RETURN(bool has_key, insert.Step());
      if (!has_key) return db_->Error(SQLITE_INTERNAL, "insert firm returned no key");
      keys.push_back(insert.ColumnInt64(0));
      CM_RETURN_IF_ERROR(insert.Run());
    }
    if (audit_rows.has_value()) CM_RETURN_IF_ERROR(audit_rows->Add(firms[i].id));
  }
  CM_RETURN_IF_ERROR(transaction.Commit());
  return keys;
}

namespace {

absl::StatusOr<StoredFirm> ParseFirmRow(int64_t key, const std::string& id,
                                        std::string_view profile, const std::string& path) {
  StoredFirm stored;
  stored.key = key;
  absl::StatusOr<Firm> firm = FirmFromJson(profile);
  if (!firm.ok()) {
    return absl::DataLossError(absl::StrCat("store ", path, ": firm ", Quoted(id), " (key ",
                                            stored.key, "): ", firm.status().message()));
  }
  if (firm->id != id) {
    return absl::DataLossError(absl::StrCat("store ", path, ": firm ", Quoted(id), " (key ",
                                            stored.key, ") has a profile for ", Quoted(firm->id)));
  }
  stored.firm = *std::move(firm);
  return stored;
}

absl::StatusOr<StoredFirm> ReadFirmRow(const SqliteStatement& row, const std::string& path) {
  return ParseFirmRow(row.ColumnInt64(0), row.ColumnText(1), row.ColumnText(2), path);
}

}  // namespace

absl::StatusOr<StoredFirm> SqliteFirmStore::GetFirm(std::string_view id) const {
  CM_ASSIGN_OR_RETURN(
      SqliteStatement select,
      SqliteStatement::Prepare(*db_, "SELECT key, id, profile FROM firms WHERE id = ?1"));
  select.BindText(1, id);
  CM_ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) {
    return absl::NotFoundError(absl::StrCat("store ", path_, ": no firm with id ", Quoted(id)));
  }
  return ReadFirmRow(select, path_);
}

// Rows come in key order (the table's own order, read sequentially) and are
// parsed on every core in chunks: opening a store of a million firms parses
// a million profiles.
absl::StatusOr<std::vector<StoredFirm>> SqliteFirmStore::ListFirms() const {
  CM_ASSIGN_OR_RETURN(
      SqliteStatement select,
      SqliteStatement::Prepare(*db_, "SELECT key, id, profile FROM firms ORDER BY key"));
  struct Row {
    int64_t key = 0;
    std::string id;
    std::string profile;
  };
  constexpr size_t kChunk = 8192;
  std::vector<Row> rows;
  std::vector<absl::StatusOr<StoredFirm>> parsed;
  std::vector<StoredFirm> firms;
  bool more = true;
  while (more) {
    rows.clear();
    while (rows.size() < kChunk) {
      CM_ASSIGN_OR_RETURN(more, select.Step());
      if (!more) break;
      rows.push_back({select.ColumnInt64(0), select.ColumnText(1), select.ColumnText(2)});
    }
    parsed.assign(rows.size(), absl::UnknownError("not parsed"));
    const auto n = static_cast<int64_t>(rows.size());
#pragma omp parallel for schedule(dynamic, 64) if (n >= 1024)
    for (int64_t i = 0; i < n; ++i) {
      const Row& row = rows[static_cast<size_t>(i)];
      parsed[static_cast<size_t>(i)] = ParseFirmRow(row.key, row.id, row.profile, path_);
    }
    for (absl::StatusOr<StoredFirm>& firm : parsed) {
      if (!firm.ok()) return firm.status();
      firms.push_back(*std::move(firm));
    }
  }
  return firms;
}

absl::StatusOr<int64_t> SqliteFirmStore::CountFirms() const {
  return db_->QueryInt("SELECT count(*) FROM firms", "count firms");
}

absl::Status SqliteFirmStore::DeleteFirm(std::string_view id,
                                         const std::optional<AuditStamp>& audit) {
  CM_RETURN_IF_ERROR(CheckWritable("delete firms"));
  CM_ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(*db_));
  // Vectors go with the firm through ON DELETE CASCADE; its relations (which
  // name firms by id) go too, so that nothing of the firm stays (PIPA).
  CM_ASSIGN_OR_RETURN(SqliteStatement remove,
                      SqliteStatement::Prepare(*db_, "DELETE FROM firms WHERE id = ?1"));
  remove.BindText(1, id);
  CM_RETURN_IF_ERROR(remove.Run());
  if (db_->changes() == 0) {
    return absl::NotFoundError(absl::StrCat("store ", path_, ": no firm with id ", Quoted(id)));
  }
  CM_ASSIGN_OR_RETURN(
      SqliteStatement relations,
      SqliteStatement::Prepare(*db_, "DELETE FROM relations WHERE a = ?1 OR b = ?1"));
  relations.BindText(1, id);
  CM_RETURN_IF_ERROR(relations.Run());
  CM_ASSIGN_OR_RETURN(std::optional<AuditRowWriter> audit_rows, PrepareAudit(*db_, audit));
  if (audit_rows.has_value()) CM_RETURN_IF_ERROR(audit_rows->Add(id));
  CM_RETURN_IF_ERROR(transaction.Commit());
  // secure_delete zeroed the firm's pages in the database, but the log still
  // holds the frames that wrote them: fold the log into the database and
  // empty it now. Best effort: with readers in the log it is emptied by a
  // later checkpoint instead, and the delete itself has committed.
  if (path_ != ":memory:") {
    (void)db_->Exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpoint after a delete");
  }
  return absl::OkStatus();
}

absl::Status SqliteFirmStore::AddRelations(std::span<const Relation> relations,
                                           const std::optional<AuditStamp>& audit) {
  CM_RETURN_IF_ERROR(CheckWritable("add relations"));
  for (size_t i = 0; i < relations.size(); ++i) {
    if (RelationKindName(relations[i].kind) == "unknown") {
      return absl::InvalidArgumentError(
          absl::StrCat("relation ", i, ": unknown kind ", static_cast<int>(relations[i].kind)));
    }
  }
  CM_ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(*db_));
  CM_ASSIGN_OR_RETURN(SqliteStatement exists,
                      SqliteStatement::Prepare(*db_, "SELECT 1 FROM firms WHERE id = ?1"));
  CM_ASSIGN_OR_RETURN(SqliteStatement insert,
                      SqliteStatement::Prepare(*db_,
                                               "INSERT INTO relations(a, b, kind, date, context) "
                                               "VALUES(?1, ?2, ?3, ?4, ?5)"));
  CM_ASSIGN_OR_RETURN(std::optional<AuditRowWriter> audit_rows, PrepareAudit(*db_, audit));
  for (size_t i = 0; i < relations.size(); ++i) {
    const Relation& relation = relations[i];
    for (const std::string* id : {&relation.a, &relation.b}) {
      exists.Reset();
      exists.BindText(1, *id);
      CM_ASSIGN_OR_RETURN(bool found, exists.Step());
      if (!found) {
        return absl::NotFoundError(
            absl::StrCat("store ", path_, ": relation ", i, ": no firm with id ", Quoted(*id)));
      }
    }
    insert.Reset();
    insert.BindText(1, relation.a);
    insert.BindText(2, relation.b);
    insert.BindText(3, RelationKindName(relation.kind));
    insert.BindText(4, relation.date);
    if (!relation.context.empty()) insert.BindText(5, relation.context);  // else NULL
    CM_RETURN_IF_ERROR(insert.Run());
    if (audit_rows.has_value()) {
      CM_RETURN_IF_ERROR(audit_rows->Add(
          AuditRelationSubject(relation.a, relation.b, RelationKindName(relation.kind))));
    }
  }
  return transaction.Commit();
}

absl::StatusOr<std::vector<Relation>> SqliteFirmStore::ListRelations() const {
  CM_ASSIGN_OR_RETURN(SqliteStatement select,
                      SqliteStatement::Prepare(*db_,
                                               "SELECT seq, a, b, kind, date, context "
                                               "FROM relations ORDER BY seq"));
  std::vector<Relation> relations;
  while (true) {
    CM_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    Relation relation;
    relation.a = select.ColumnText(1);
    relation.b = select.ColumnText(2);
    const std::string kind = select.ColumnText(3);
    const std::optional<RelationKind> parsed = ParseRelationKind(kind);
    if (!parsed.has_value() || RelationKindName(*parsed) != kind) {
      return absl::DataLossError(absl::StrCat("store ", path_, ": relation seq ",
                                              select.ColumnInt64(0), ": unknown kind ",
                                              Quoted(kind)));
    }
    relation.kind = *parsed;
    relation.date = select.ColumnText(4);
    relation.context = select.ColumnText(5);  // "" for NULL
    relations.push_back(std::move(relation));
  }
  return relations;
}

absl::StatusOr<int64_t> SqliteFirmStore::PutModel(std::string_view blob, int64_t firm_count,
                                                  const std::optional<AuditStamp>& audit) {
  CM_RETURN_IF_ERROR(CheckWritable("put models"));
  if (firm_count < 0) {
    return absl::InvalidArgumentError(absl::StrCat("model firm_count ", firm_count, " < 0"));
  }
  CM_ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(*db_));
  CM_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      SqliteStatement::Prepare(*db_, absl::StrCat("INSERT INTO models(blob, created_at, "
                                                  "firm_count) VALUES(?1, ",
                                                  kNow, ", ?2) RETURNING version")));
  insert.BindBlob(1, blob.data(), blob.size());
  insert.BindInt64(2, firm_count);
  CM_ASSIGN_OR_RETURN(bool has_version, insert.Step());
  if (!has_version) return db_->Error(SQLITE_INTERNAL, "insert model returned no version");
  const int64_t version = insert.ColumnInt64(0);
  CM_RETURN_IF_ERROR(insert.Run());
  CM_ASSIGN_OR_RETURN(SqliteStatement current,
                      SqliteStatement::Prepare(*db_,
                                               "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                                               "ON CONFLICT(key) DO UPDATE SET value = ?2"));
  current.BindText(1, kCurrentModelKey);
  current.BindText(2, absl::StrCat(version));
  CM_RETURN_IF_ERROR(current.Run());
  CM_ASSIGN_OR_RETURN(std::optional<AuditRowWriter> audit_rows, PrepareAudit(*db_, audit));
  if (audit_rows.has_value()) CM_RETURN_IF_ERROR(audit_rows->Add(absl::StrCat("model v", version)));
  CM_RETURN_IF_ERROR(transaction.Commit());
  return version;
}

absl::Status SqliteFirmStore::PutSetting(std::string_view name, std::string_view value) {
  CM_RETURN_IF_ERROR(CheckWritable("put setting"));
  if (name == kCurrentModelKey) {
    return absl::InvalidArgumentError(absl::StrCat("setting ", Quoted(name), " is reserved"));
  }
  CM_ASSIGN_OR_RETURN(SqliteStatement upsert,
                      SqliteStatement::Prepare(*db_,
                                               "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                                               "ON CONFLICT(key) DO UPDATE SET value = ?2"));
  upsert.BindText(1, name);
  upsert.BindText(2, value);
  return upsert.Run();
}

absl::StatusOr<std::optional<std::string>> SqliteFirmStore::GetSetting(
    std::string_view name) const {
  CM_ASSIGN_OR_RETURN(SqliteStatement select,
                      SqliteStatement::Prepare(*db_, "SELECT value FROM meta WHERE key = ?1"));
  select.BindText(1, name);
  CM_ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return std::nullopt;
  return select.ColumnText(0);
}

absl::StatusOr<std::optional<StoredModel>> SqliteFirmStore::CurrentModel() const {
  CM_ASSIGN_OR_RETURN(SqliteStatement meta,
                      SqliteStatement::Prepare(*db_, "SELECT value FROM meta WHERE key = ?1"));
  meta.BindText(1, kCurrentModelKey);
  CM_ASSIGN_OR_RETURN(bool has_current, meta.Step());
  if (!has_current) return std::nullopt;
  const std::string text = meta.ColumnText(0);
  int64_t version = 0;
  if (!absl::SimpleAtoi(text, &version)) {
    return absl::DataLossError(absl::StrCat("store ", path_, ": current model version ",
                                            Quoted(text), " is not a number"));
  }
  CM_ASSIGN_OR_RETURN(SqliteStatement select,
                      SqliteStatement::Prepare(*db_,
                                               "SELECT blob, created_at, firm_count FROM models "
                                               "WHERE version = ?1"));
  select.BindInt64(1, version);
  CM_ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) {
    return absl::DataLossError(
        absl::StrCat("store ", path_, ": current model version ", version, " is missing"));
  }
  StoredModel model;
  model.version = version;
  model.blob = std::string(select.ColumnBlob(0));
  model.created_at = select.ColumnText(1);
  model.firm_count = select.ColumnInt64(2);
  return model;
}

absl::Status SqliteFirmStore::PutVectors(std::span<const StoredVectors> vectors) {
  CM_RETURN_IF_ERROR(CheckWritable("put vectors"));
  for (size_t i = 0; i < vectors.size(); ++i) {
    if (std::optional<int> field = MismatchedField(vectors[i].vectors)) {
      return absl::InvalidArgumentError(absl::StrCat("vectors ", i, " (key ", vectors[i].key,
                                                     "): field ", kFieldNames[*field],
                                                     " differs in length from the others"));
    }
  }
  CM_ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(*db_));
  CM_ASSIGN_OR_RETURN(SqliteStatement exists,
                      SqliteStatement::Prepare(*db_, "SELECT 1 FROM firms WHERE key = ?1"));
  CM_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      SqliteStatement::Prepare(*db_,
                               "INSERT OR REPLACE INTO vectors(key, model_version, offer, need, "
                               "topic, materials) VALUES(?1, ?2, ?3, ?4, ?5, ?6)"));
  for (size_t i = 0; i < vectors.size(); ++i) {
    const StoredVectors& entry = vectors[i];
    exists.Reset();
    exists.BindInt64(1, entry.key);
    CM_ASSIGN_OR_RETURN(bool found, exists.Step());
    if (!found) {
      return absl::NotFoundError(
          absl::StrCat("store ", path_, ": vectors ", i, ": no firm with key ", entry.key));
    }
    insert.Reset();
    insert.BindInt64(1, entry.key);
    insert.BindInt64(2, entry.model_version);
    for (int f = 0; f < kVectorFieldCount; ++f) {
      const std::string bytes = EncodeFloats(entry.vectors.fields[f]);
      insert.BindBlob(3 + f, bytes.data(), bytes.size());
    }
    CM_RETURN_IF_ERROR(insert.Run());
  }
  return transaction.Commit();
}

absl::StatusOr<std::vector<StoredVectors>> SqliteFirmStore::ListVectors(
    int64_t model_version) const {
  CM_ASSIGN_OR_RETURN(SqliteStatement select,
                      SqliteStatement::Prepare(*db_,
                                               "SELECT key, offer, need, topic, materials "
                                               "FROM vectors WHERE model_version = ?1 "
                                               "ORDER BY key"));
  select.BindInt64(1, model_version);
  std::vector<StoredVectors> result;
  while (true) {
    CM_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    CM_ASSIGN_OR_RETURN(StoredVectors entry, ReadVectorsRow(select, model_version));
    result.push_back(std::move(entry));
  }
  return result;
}

absl::StatusOr<std::vector<StoredVectors>> SqliteFirmStore::ListVectorsOf(
    int64_t model_version, std::span<const int64_t> keys) const {
  CM_ASSIGN_OR_RETURN(SqliteStatement select,
                      SqliteStatement::Prepare(*db_,
                                               "SELECT key, offer, need, topic, materials "
                                               "FROM vectors WHERE key = ?1 AND "
                                               "model_version = ?2"));
  std::vector<int64_t> sorted(keys.begin(), keys.end());
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  std::vector<StoredVectors> result;
  for (const int64_t key : sorted) {
    select.Reset();
    select.BindInt64(1, key);
    select.BindInt64(2, model_version);
    CM_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) continue;
    CM_ASSIGN_OR_RETURN(StoredVectors entry, ReadVectorsRow(select, model_version));
    result.push_back(std::move(entry));
  }
  return result;
}

absl::StatusOr<StoredVectors> SqliteFirmStore::ReadVectorsRow(const SqliteStatement& select,
                                                              int64_t model_version) const {
  StoredVectors entry;
  entry.key = select.ColumnInt64(0);
  entry.model_version = model_version;
  for (int f = 0; f < kVectorFieldCount; ++f) {
    if (select.ColumnType(1 + f) != SQLITE_BLOB) {
      return absl::DataLossError(absl::StrCat("store ", path_, ": vectors of key ", entry.key,
                                              ": field ", kFieldNames[f], " is not a blob"));
    }
    const std::string_view bytes = select.ColumnBlob(1 + f);
    if (bytes.size() % 4 != 0) {
      return absl::DataLossError(absl::StrCat("store ", path_, ": vectors of key ", entry.key,
                                              ": field ", kFieldNames[f], " has ", bytes.size(),
                                              " bytes, not whole float32s"));
    }
    entry.vectors.fields[f] = DecodeFloats(bytes);
  }
  if (std::optional<int> field = MismatchedField(entry.vectors)) {
    return absl::DataLossError(absl::StrCat("store ", path_, ": vectors of key ", entry.key,
                                            ": field ", kFieldNames[*field],
                                            " differs in length from the others"));
  }
  return entry;
}

}  // namespace clustermatch
