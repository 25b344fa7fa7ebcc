// The audit log: who changed the store, how, and when. Every write the
// Engine makes on behalf of someone (a gRPC caller's API key, a command-line
// user) records rows in the store's `audit_log` table in the SAME SQLite
// transaction as the write itself, so an acknowledged write and its rows
// survive a crash together and a failed write leaves neither.
//
// A row holds exactly: seq, at (UTC, millisecond ISO 8601), actor, action,
// subject. The subject is an id ("mes"), a relation "a->b kind" or a model
// "model v3", never profile content: after a firm is deleted the log keeps
// only its id (Korea's PIPA).
//
// Retention: rows older than the retention period (default 730 days) are
// deleted when the store is opened for writing (serve, import, delete, ...;
// never by read-only opens). The period is kept in the store (meta key
// 'audit_retention_days') once set, so that every writer prunes alike;
// SQLite's secure_delete zeroes the pruned rows on disk.
#ifndef CLUSTERMATCH_ENGINE_AUDIT_LOG_H_
#define CLUSTERMATCH_ENGINE_AUDIT_LOG_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace clustermatch {

inline constexpr int kDefaultAuditRetentionDays = 730;
// Longest retention a store accepts (100 years).
inline constexpr int kMaxAuditRetentionDays = 36500;

// Who a write is made for, as the audit log names it:
//   "key:<key id>"   a gRPC call authenticated by that API key
//   "cli:<user>"     the command line, run by that OS user
//   "system"         the engine itself (training a model on open, tools)
struct WriteActor {
  std::string name = "system";

  static WriteActor ApiKey(std::string_view key_id);
  static WriteActor CommandLine(std::string_view user);
  // CommandLine of the effective OS user (getpwuid; $USER, else the uid).
  static WriteActor CurrentUser();
  static WriteActor System();

  friend bool operator==(const WriteActor&, const WriteActor&) = default;
};

enum class AuditAction : uint8_t {
  kCreateFirm = 0,
  kUpdateFirm = 1,
  kDeleteFirm = 2,
  kImportFirm = 3,   // one row per firm an import wrote (new or replaced)
  kAddRelation = 4,  // one row per relation
  kTrain = 5,        // an explicit train
  kRetrain = 6,      // a model trained by an import (growth) or on open
  kAddKey = 7,
  kRevokeKey = 8,
};

// "create_firm", "update_firm", "delete_firm", "import_firm",
// "add_relation", "train", "retrain", "add_key", "revoke_key".
std::string_view AuditActionName(AuditAction action);

// What a store write records besides its change: the actor and the action;
// the store fills in seq, at and the subject of each row.
struct AuditStamp {
  std::string actor;
  AuditAction action = AuditAction::kCreateFirm;
};

// One row of the log.
struct AuditEntry {
  int64_t seq = 0;
  std::string at;  // "2026-11-23T07:10:00.123Z"
  std::string actor;
  std::string action;
  std::string subject;

  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

// Which rows ListAudit returns: those at or after `since` (an ISO 8601 UTC
// prefix such as "2026-11-01"; empty for all) that concern `firm_id` (the
// firm itself, or a relation with it on either side; empty for all); the
// most recent `limit` of them (0: all), oldest first.
struct AuditQuery {
  std::string since;
  std::string firm_id;
  size_t limit = 0;
};

// The subject of a relation row: "a->b kind".
std::string AuditRelationSubject(std::string_view a, std::string_view b, std::string_view kind);

// Whether a row concerns the firm `firm_id`: a firm action on it, or a
// relation with it on either side (keys and models concern no firm).
bool AuditEntryConcerns(const AuditEntry& entry, std::string_view firm_id);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_AUDIT_LOG_H_
