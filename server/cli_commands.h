// The `clustermatch` command line: the organiser's front door to the engine
// on an embedded store. Every subcommand is a thin call into Engine; none
// holds matching logic.
//
// Exit codes: 0 success; 1 a failure (a message on stderr); 2 a usage error.
#ifndef CLUSTERMATCH_SERVER_CLI_COMMANDS_H_
#define CLUSTERMATCH_SERVER_CLI_COMMANDS_H_

#include <ostream>

namespace clustermatch {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_CLI_COMMANDS_H_
