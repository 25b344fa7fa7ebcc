// `clustermatch serve`: opens the store for writing (holding its write lock
// for as long as it serves), loads the API keys, serves gRPC until SIGTERM or
// SIGINT, then drains calls in flight and closes the store cleanly. While it
// serves it rewrites the index snapshot every so often when the index changed.
#ifndef CLUSTERMATCH_SERVER_SERVE_COMMAND_H_
#define CLUSTERMATCH_SERVER_SERVE_COMMAND_H_

#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "engine/vector_index.h"
#include "server/grpc_server.h"

namespace clustermatch {

struct ServeCommandOptions {
  std::string db;
  VectorIndexOptions index_options;  // EngineOptions::index_options
  ServerOptions server;
  // Written (atomically) with the bound port once the server listens.
  std::string port_file;
  // How long calls in flight may take to finish after a stop signal.
  absl::Duration grace = absl::Seconds(10);
  // How often the engine's index snapshot is rewritten while the index has
  // changed (Engine::SaveIndexSnapshot), so that a restart after a crash
  // loads it and indexes only the firms changed since; zero: only on stop.
  absl::Duration index_snapshot_every = absl::Minutes(5);
};

// Blocks until a stop signal arrives. `err` gets the start and stop lines;
// the call log goes to standard error.
absl::Status Serve(const ServeCommandOptions& options, std::ostream& err);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_SERVE_COMMAND_H_
