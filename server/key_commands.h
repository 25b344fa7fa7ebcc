// The `clustermatch keys` subcommands, which manage the API keys of an
// embedded store:
//
//   keys add --role reader|writer|organiser|admin [--scope public|members]
//            [--cluster NAME] [--label TEXT] [--rate-limit R [--rate-burst B]]
//       prints the new token alone on one line of stdout (so scripts can
//       capture it) and "key ID (ROLE, SCOPE[, cluster X][, R/s, burst B])
//       created; this is the only time the key is shown" on stderr.
//       --rate-limit is the key's own limit in requests per second (the
//       server's `serve --rate-limit` applies to keys without one).
//   keys list      a table: id, role, scope, cluster, label, rate, created,
//                  revoked (rate: "R/s, burst B" or "default")
//   keys revoke ID prints "revoked key ID"
//
// add and revoke are recorded in the audit log as "cli:<OS user>".
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
  double rate_limit = 0;                   // add; 0: the server's default
  int rate_burst = 0;                      // add; 0: one second's worth
  std::string id;                          // revoke
};

// Registers `keys` and its subcommands on `app`; `options` must outlive the
// parse.
void AddKeyCommands(CLI::App& app, KeyCommandOptions& options);

// Whether the command changes the store (add, revoke) and so needs a
// writable engine.
bool KeyCommandWrites(const KeyCommandOptions& options);

// Runs the parsed command. InvalidArgument naming the flag for a bad role,
// scope, cluster, label or rate; the engine's errors (NotFound for an unknown
// id) otherwise.
absl::Status RunKeyCommand(const KeyCommandOptions& options, Engine& engine, std::ostream& out,
                           std::ostream& err);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_KEY_COMMANDS_H_
