// `clustermatch audit`: prints the store's audit log (engine/audit_log.h),
// who changed what and when, oldest first:
//
//   clustermatch audit [--since YYYY-MM-DD] [--firm ID] [--limit N]
//
//   seq   at                        actor              action       subject
//   12    2026-11-23T07:10:00.123Z  key:3f9a61c2d4e7   update_firm  mes
//
// (tab-separated, with that header line). --since keeps rows from that UTC
// day on; --firm the rows about one firm (its own changes and relations with
// it on either side); --limit the most recent N of those (default 1000; 0:
// all). It opens the store read-only, so it works while `serve` holds it.
//
// Wiring (cli_commands.cc): AddAuditCommand before parsing; after parsing,
// when options.chosen, RunAuditCommand with the --db path.
#ifndef CLUSTERMATCH_SERVER_AUDIT_COMMAND_H_
#define CLUSTERMATCH_SERVER_AUDIT_COMMAND_H_

#include <cstddef>
#include <ostream>
#include <string>

#include "absl/status/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace clustermatch {

struct AuditCommandOptions {
  bool chosen = false;  // set by the parser's callback
  std::string since;    // YYYY-MM-DD (UTC); empty: from the start
  std::string firm;     // empty: every subject
  size_t limit = 1000;  // 0: all
};

// Registers `audit` on `app`; `options` must outlive the parse.
void AddAuditCommand(CLI::App& app, AuditCommandOptions& options);

// Prints the selected rows of the store at `db_path`. InvalidArgument
// "--since: ..." for a date that is not YYYY-MM-DD; the store's errors
// (NotFound for a missing file, FailedPrecondition for a store of an older
// schema that no writer has migrated yet) otherwise.
absl::Status RunAuditCommand(const AuditCommandOptions& options, const std::string& db_path,
                             std::ostream& out);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_AUDIT_COMMAND_H_
