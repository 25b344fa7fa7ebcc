// `clustermatch group sigs|founders|consortium|pools`: the coordinators'
// group workflows on the embedded store, read-only. Files in (a firm list,
// a topic or call text), a readable report or JSON out, and a CSV of the
// result with --out.
#ifndef CLUSTERMATCH_SERVER_GROUP_COMMAND_H_
#define CLUSTERMATCH_SERVER_GROUP_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "engine/consortium_workflow.h"
#include "engine/engine.h"
#include "engine/founder_workflow.h"
#include "engine/purchasing_workflow.h"
#include "engine/sig_workflow.h"

namespace CLI {
class App;
}  // namespace CLI

namespace clustermatch {

enum class GroupCommand { kNone, kSigs, kFounders, kConsortium, kPools };

struct GroupCommandOptions {
  GroupCommand command = GroupCommand::kNone;
  // Which firms, for every command.
  std::vector<std::string> clusters;
  std::vector<std::string> mini_clusters;
  std::vector<std::string> kinds;
  std::vector<std::string> regions;
  bool json = false;
  std::string out_csv;
  std::string lang = "en";

  SigRequest sigs;
  std::string firms_file;  // sigs: one firm id per line (or a CSV with firm_id)
  FounderRequest founders;
  std::string topic_file;
  ConsortiumRequest consortium;
  std::string call_file;
  std::string capabilities;  // ";"-separated
  std::vector<std::string> roles;
  PoolRequest pools;
  bool exact_materials = false;
};

// Adds `group` and its four subcommands to `app`, filling `options`.
void AddGroupCommands(CLI::App& app, GroupCommandOptions& options);

// Runs the chosen subcommand. Errors name the option or the file and line.
absl::Status RunGroupCommand(GroupCommandOptions& options, const Engine& engine, std::ostream& out);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_GROUP_COMMAND_H_
