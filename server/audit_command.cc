// `clustermatch audit` (see audit_command.h).
#include "server/audit_command.h"

#include <CLI/CLI.hpp>
#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "engine/audit_log.h"
#include "engine/firm_store.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

// "2026-11-01" -> the same text, after checking it is a real date.
absl::StatusOr<std::string> SinceDate(const std::string& text) {
  if (text.empty()) return text;
  absl::Time time;
  std::string error;
  if (text.size() != 10 || !absl::ParseTime("%Y-%m-%d", text, absl::UTCTimeZone(), &time, &error)) {
    return absl::InvalidArgumentError("--since: expected a date YYYY-MM-DD, got \"" + text + "\"");
  }
  return absl::FormatTime("%Y-%m-%d", time, absl::UTCTimeZone());
}

}  // namespace

void AddAuditCommand(CLI::App& app, AuditCommandOptions& options) {
  CLI::App* audit =
      app.add_subcommand("audit", "Print the audit log: who changed what and when (oldest first)");
  audit->add_option("--since", options.since, "Only rows from this UTC day on (YYYY-MM-DD)");
  audit->add_option("--firm", options.firm,
                    "Only rows about this firm (its changes and relations with it)");
  audit->add_option("--limit", options.limit, "At most the N most recent rows (0: all)")
      ->capture_default_str();
  audit->callback([&options] { options.chosen = true; });
}

absl::Status RunAuditCommand(const AuditCommandOptions& options, const std::string& db_path,
                             std::ostream& out) {
  AuditQuery query;
  CM_ASSIGN_OR_RETURN(query.since, SinceDate(options.since));
  query.firm_id = options.firm;
  query.limit = options.limit;
  StoreOptions store_options;
  store_options.read_only = true;
  CM_ASSIGN_OR_RETURN(std::unique_ptr<FirmStore> store, FirmStore::Open(db_path, store_options));
  CM_ASSIGN_OR_RETURN(const std::vector<AuditEntry> entries, store->ListAudit(query));
  out << "seq\tat\tactor\taction\tsubject\n";
  for (const AuditEntry& entry : entries) {
    out << entry.seq << "\t" << entry.at << "\t" << entry.actor << "\t" << entry.action << "\t"
        << entry.subject << "\n";
  }
  return absl::OkStatus();
}

}  // namespace clustermatch
