// `clustermatch serve`: opens the store for writing (holding its write lock
// for as long as it serves), loads the API keys, serves gRPC until SIGTERM or
// SIGINT, then drains calls in flight and closes the store cleanly. While it
// serves it rewrites the index snapshot every so often when the index changed.
//
// Security flags (AddServeSecurityFlags): --rate-limit R and --rate-burst B,
// the per-key limit for keys without one of their own (0, the default:
// unlimited; see rate_limiter.h), and --audit-retention-days N, how long the
// audit log keeps its rows (kept in the store; default 730, see
// engine/audit_log.h).
#ifndef CLUSTERMATCH_SERVER_SERVE_COMMAND_H_
#define CLUSTERMATCH_SERVER_SERVE_COMMAND_H_

#include <cstddef>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "engine/sparse_field_cache.h"
#include "engine/vector_index.h"
#include "server/grpc_server.h"

namespace CLI {
class App;
}  // namespace CLI

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
  // Stores with fewer firms get no index snapshot
  // (EngineOptions::index_snapshot_min_firms).
  size_t index_snapshot_min_firms = 20000;
  // The audit log's retention in days; 0: the store's own (default 730).
  int audit_retention_days = 0;
  // EngineOptions::idle_helper: a lone Recommend call shares its candidates
  // with a spare thread.
  bool idle_helper = true;
  // EngineOptions::sparse_cache_firms.
  size_t sparse_cache_firms = SparseFieldCache::kMaxEntries;
};

// Registers --rate-limit, --rate-burst (into options.server.rate_limit) and
// --audit-retention-days on the `serve` subcommand.
void AddServeSecurityFlags(CLI::App* serve, ServeCommandOptions& options);

// Blocks until a stop signal arrives. `err` gets the start and stop lines;
// the call log goes to standard error.
absl::Status Serve(const ServeCommandOptions& options, std::ostream& err);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_SERVE_COMMAND_H_
