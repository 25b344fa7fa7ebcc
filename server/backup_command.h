// The `clustermatch backup` and `clustermatch restore` commands (issue 7):
//
//   clustermatch --db STORE backup FILE
//       an online copy of STORE (engine/store_backup.h): runs while
//       `clustermatch serve` serves the store; prints
//       "backed up N firms, M relations (B bytes) to FILE".
//   clustermatch --db STORE restore FILE [--replace]
//       replaces STORE by the backup FILE, after checking it; refuses while
//       a server holds STORE, and an existing STORE without --replace.
//
// Wiring (cli_commands.cc): AddBackupCommands before parsing; after parsing,
// if options.command != BackupCommand::kNone, RunBackupCommand with the
// --db path. Neither command opens the engine.
#ifndef CLUSTERMATCH_SERVER_BACKUP_COMMAND_H_
#define CLUSTERMATCH_SERVER_BACKUP_COMMAND_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/status.h"

namespace CLI {
class App;
}  // namespace CLI

namespace clustermatch {

enum class BackupCommand : uint8_t { kNone = 0, kBackup = 1, kRestore = 2 };

struct BackupCommandOptions {
  BackupCommand command = BackupCommand::kNone;  // set by the parser's callbacks
  std::string file;                              // the backup file
  bool replace = false;                          // restore over an existing store
};

// Registers `backup` and `restore` on `app`; `options` must outlive the parse.
void AddBackupCommands(CLI::App& app, BackupCommandOptions& options);

// Runs the parsed command on the store at `db`.
absl::Status RunBackupCommand(const BackupCommandOptions& options, const std::string& db,
                              std::ostream& out);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_BACKUP_COMMAND_H_
