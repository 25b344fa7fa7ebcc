// `clustermatch serve`: opens the store for writing (holding its write lock
// for as long as it serves), loads the API keys, serves gRPC until SIGTERM or
// SIGINT, then drains calls in flight and closes the store cleanly.
#ifndef CLUSTERMATCH_SERVER_SERVE_COMMAND_H_
#define CLUSTERMATCH_SERVER_SERVE_COMMAND_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "server/grpc_server.h"

namespace clustermatch {

struct ServeCommandOptions {
  std::string db;
  ServerOptions server;
  // Written (atomically) with the bound port once the server listens.
  std::string port_file;
  // How long calls in flight may take to finish after a stop signal.
  absl::Duration grace = absl::Seconds(10);
};

// Blocks until a stop signal arrives. `err` gets the start and stop lines;
// the call log goes to standard error.
absl::Status Serve(const ServeCommandOptions& options, std::ostream& err);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_SERVE_COMMAND_H_
