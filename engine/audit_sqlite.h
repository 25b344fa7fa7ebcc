// The audit log's SQL (engine/audit_log.h), private to the SQLite store:
// rows appended inside a write's own transaction, the retention pruning done
// by a writable open, and the query behind `clustermatch audit`.
//
// Thread safety: as the connection they are given: one thread at a time.
#ifndef CLUSTERMATCH_ENGINE_AUDIT_SQLITE_H_
#define CLUSTERMATCH_ENGINE_AUDIT_SQLITE_H_

#include <optional>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/audit_log.h"
#include "engine/sqlite_statement.h"

namespace clustermatch {

// The meta key that keeps a store's retention period, in days.
inline constexpr std::string_view kAuditRetentionSetting = "audit_retention_days";

// Appends rows of one stamp (actor, action); `at` is the time of each insert.
// Use it inside the transaction of the write the rows record.
class AuditRowWriter {
 public:
  static absl::StatusOr<AuditRowWriter> Prepare(const SqliteDb& db, const AuditStamp& stamp);
  absl::Status Add(std::string_view subject);

 private:
  explicit AuditRowWriter(SqliteStatement insert) : insert_(std::move(insert)) {}
  SqliteStatement insert_;
  std::string actor_;
  std::string_view action_;
};

// A writer when `stamp` is set, nullopt (record nothing) otherwise.
absl::StatusOr<std::optional<AuditRowWriter>> PrepareAudit(const SqliteDb& db,
                                                           const std::optional<AuditStamp>& stamp);

// In one transaction: keeps `days` as the store's retention when given
// (InvalidArgument "audit retention: ..." outside 1..kMaxAuditRetentionDays),
// then deletes the rows older than the store's retention (the kept one, else
// kDefaultAuditRetentionDays). Returns the retention applied.
absl::StatusOr<int> ApplyAuditRetention(const SqliteDb& db, std::optional<int> days);

// The rows `query` selects (see AuditQuery).
absl::StatusOr<std::vector<AuditEntry>> ReadAuditLog(const SqliteDb& db, const AuditQuery& query);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_AUDIT_SQLITE_H_
