#include "server/backup_command.h"

#include <CLI/CLI.hpp>

#include "engine/status_macros.h"
#include "engine/store_backup.h"

namespace clustermatch {
namespace {

void Describe(const StoreFileInfo& info, std::ostream& out) {
  out << info.firms << " firms, " << info.relations << " relations (" << info.bytes
      << " bytes, schema v" << info.schema_version << ")";
}

}  // namespace

void AddBackupCommands(CLI::App& app, BackupCommandOptions& options) {
  auto* backup = app.add_subcommand(
      "backup", "Copy the store to FILE while it is in use (SQLite online backup)");
  backup->add_option("file", options.file, "Backup file to write (must not exist)")->required();
  backup->callback([&options] { options.command = BackupCommand::kBackup; });
  auto* restore =
      app.add_subcommand("restore", "Replace the store by a backup FILE, after checking it");
  restore->add_option("file", options.file, "Backup file to restore")->required();
  restore->add_flag("--replace", options.replace, "Overwrite the store if it exists");
  restore->callback([&options] { options.command = BackupCommand::kRestore; });
}

absl::Status RunBackupCommand(const BackupCommandOptions& options, const std::string& db,
                              std::ostream& out) {
  if (options.command == BackupCommand::kBackup) {
    CM_ASSIGN_OR_RETURN(const StoreFileInfo info, BackupStore(db, options.file));
    out << "backed up ";
    Describe(info, out);
    out << " from " << db << " to " << info.path << "\n";
    return absl::OkStatus();
  }
  CM_ASSIGN_OR_RETURN(const StoreFileInfo info, RestoreStore(options.file, db, options.replace));
  out << "restored ";
  Describe(info, out);
  out << " from " << options.file << " into " << info.path << "\n";
  return absl::OkStatus();
}

}  // namespace clustermatch
