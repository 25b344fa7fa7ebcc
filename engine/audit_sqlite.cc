// The audit log's SQL: appending rows, retention, reading (see
// audit_sqlite.h and audit_log.h).
#include "engine/audit_sqlite.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

// UTC with milliseconds: fixed width, so text order is time order.
constexpr char kNowMs[] = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

}  // namespace

absl::StatusOr<AuditRowWriter> AuditRowWriter::Prepare(const SqliteDb& db,
                                                       const AuditStamp& stamp) {
  CM_ASSIGN_OR_RETURN(
      SqliteStatement insert,
      SqliteStatement::Prepare(db, absl::StrCat("INSERT INTO audit_log(at, actor, action, "
                                                "subject) VALUES(",
                                                kNowMs, ", ?1, ?2, ?3)")));
  AuditRowWriter writer(std::move(insert));
  writer.actor_ = stamp.actor;
  writer.action_ = AuditActionName(stamp.action);
  return writer;
}

absl::Status AuditRowWriter::Add(std::string_view subject) {
  insert_.Reset();
  insert_.BindText(1, actor_);
  insert_.BindText(2, action_);
  insert_.BindText(3, subject);
  return insert_.Run();
}

absl::StatusOr<std::optional<AuditRowWriter>> PrepareAudit(const SqliteDb& db,
                                                           const std::optional<AuditStamp>& stamp) {
  if (!stamp.has_value()) return std::nullopt;
  CM_ASSIGN_OR_RETURN(AuditRowWriter writer, AuditRowWriter::Prepare(db, *stamp));
  return std::optional<AuditRowWriter>(std::move(writer));
}

absl::StatusOr<int> ApplyAuditRetention(const SqliteDb& db, std::optional<int> days) {
  if (days.has_value() && (*days < 1 || *days > kMaxAuditRetentionDays)) {
    return absl::InvalidArgumentError(absl::StrCat("audit retention: must be between 1 and ",
                                                   kMaxAuditRetentionDays, " days, got ", *days));
  }
  CM_ASSIGN_OR_RETURN(SqliteTransaction transaction, SqliteTransaction::Begin(db));
  int retention = kDefaultAuditRetentionDays;
  if (days.has_value()) {
    CM_ASSIGN_OR_RETURN(SqliteStatement keep,
                        SqliteStatement::Prepare(db,
                                                 "INSERT INTO meta(key, value) VALUES(?1, ?2) "
                                                 "ON CONFLICT(key) DO UPDATE SET value = ?2"));
    keep.BindText(1, kAuditRetentionSetting);
    keep.BindText(2, absl::StrCat(*days));
    CM_RETURN_IF_ERROR(keep.Run());
    retention = *days;
  } else {
    CM_ASSIGN_OR_RETURN(SqliteStatement read,
                        SqliteStatement::Prepare(db, "SELECT value FROM meta WHERE key = ?1"));
    read.BindText(1, kAuditRetentionSetting);
    CM_ASSIGN_OR_RETURN(bool found, read.Step());
    int stored = 0;
    // A kept value that cannot be read falls back to the default rather
    // than keeping rows for ever.
    if (found && absl::SimpleAtoi(read.ColumnText(0), &stored) && stored >= 1 &&
        stored <= kMaxAuditRetentionDays) {
      retention = stored;
    }
  }
  CM_ASSIGN_OR_RETURN(
      SqliteStatement prune,
      SqliteStatement::Prepare(
          db, "DELETE FROM audit_log WHERE at < strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ?1)"));
  prune.BindText(1, absl::StrCat("-", retention, " days"));
  CM_RETURN_IF_ERROR(prune.Run());
  CM_RETURN_IF_ERROR(transaction.Commit());
  return retention;
}

absl::StatusOr<std::vector<AuditEntry>> ReadAuditLog(const SqliteDb& db, const AuditQuery& query) {
  // Newest first, so that a limit keeps the most recent rows; reversed at
  // the end.
  CM_ASSIGN_OR_RETURN(SqliteStatement select,
                      SqliteStatement::Prepare(db,
                                               "SELECT seq, at, actor, action, subject "
                                               "FROM audit_log WHERE at >= ?1 ORDER BY seq DESC"));
  select.BindText(1, query.since);
  std::vector<AuditEntry> entries;
  while (query.limit == 0 || entries.size() < query.limit) {
    CM_ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    AuditEntry entry;
    entry.seq = select.ColumnInt64(0);
    entry.at = select.ColumnText(1);
    entry.actor = select.ColumnText(2);
    entry.action = select.ColumnText(3);
    entry.subject = select.ColumnText(4);
    if (!query.firm_id.empty() && !AuditEntryConcerns(entry, query.firm_id)) continue;
    entries.push_back(std::move(entry));
  }
  std::reverse(entries.begin(), entries.end());
  return entries;
}

}  // namespace clustermatch
