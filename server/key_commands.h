// The `clustermatch keys` subcommands, which manage the API keys of an
// embedded store:
//
//   keys add --role reader|writer|organiser|admin [--scope public|members]
//            [--cluster NAME] [--label TEXT]
//       prints the new token alone on one line of stdout (so scripts can
//       capture it) and "key ID (ROLE, SCOPE[, cluster X]) created; this is
//       the only time the key is shown" on stderr.
//   keys list      a table: id, role, scope, cluster, label, created, revoked
//   keys revoke ID prints "revoked key ID"
//
// Wiring (cli_commands.cc): AddKeyCommands before parsing; after parsing, if
// options.command != KeyCommand::kNone, open the engine (writable when
// KeyCommandWrites) and call RunKeyCommand.
#ifndef CLUSTERMATCH_SERVER_KEY_COMMANDS_H_
#define CLUSTERMATCH_SERVER_KEY_COMMANDS_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "engine/engine.h"

namespace CLI {
class App;
}  // namespace CLI

namespace clustermatch {

enum class KeyCommand : uint8_t { kNone = 0, kAdd = 1, kList = 2, kRevoke = 3 };

// What the parsed `keys` command line says.
struct KeyCommandOptions {
  KeyCommand command = KeyCommand::kNone;  // set by the parser's callbacks
  std::string role;                        // add
  std::string scope = "public";            // add
  std::string cluster;                     // add
  std::string label;                       // add
  std::string id;                          // revoke
};

// Registers `keys` and its subcommands on `app`; `options` must outlive the
// parse.
void AddKeyCommands(CLI::App& app, KeyCommandOptions& options);

// Whether the command changes the store (add, revoke) and so needs a
// writable engine.
bool KeyCommandWrites(const KeyCommandOptions& options);

// Runs the parsed command. InvalidArgument naming the flag for a bad role,
// scope, cluster or label; the engine's errors (NotFound for an unknown id)
// otherwise.
absl::Status RunKeyCommand(const KeyCommandOptions& options, Engine& engine, std::ostream& out,
                           std::ostream& err);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_KEY_COMMANDS_H_
