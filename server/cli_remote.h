// The command line in --server mode: import, relate, show, list, delete,
// recommend, search and stats sent to a running `clustermatch serve`, printed as
// the embedded commands print them.
#ifndef CLUSTERMATCH_SERVER_CLI_REMOTE_H_
#define CLUSTERMATCH_SERVER_CLI_REMOTE_H_

#include <ostream>
#include <string_view>

#include "absl/status/status.h"
#include "server/cli_options.h"

namespace clustermatch {

enum class RemoteCommand { kImport, kRelate, kShow, kList, kDelete, kRecommend, kSearch, kStats };

absl::Status RunRemote(RemoteCommand command, const CliOptions& o, std::ostream& out,
                       std::ostream& err);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_CLI_REMOTE_H_
