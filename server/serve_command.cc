#include "server/serve_command.h"

#include <pthread.h>
#include <signal.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "engine/audit_log.h"
#include "engine/engine.h"
#include "engine/status_macros.h"
#include "server/key_ring.h"
#include "server/process_allocator.h"

namespace clustermatch {
namespace {

absl::Status WritePortFile(const std::string& path, int port) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << port << "\n";
    if (!out.flush()) return absl::InternalError("--port-file: cannot write " + temporary);
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error)
    return absl::InternalError("--port-file: cannot write " + path + ": " + error.message());
  return absl::OkStatus();
}

// Blocks SIGINT and SIGTERM in this thread and every thread it starts from
// now on, so that only the sigwait below receives them.
sigset_t BlockStopSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

// Waits for SIGINT or SIGTERM and returns it; meanwhile saves the engine's
// index snapshot every `every` (when the index changed).
int WaitForStop(const sigset_t& stop_signals, absl::Duration every, Engine& engine,
                std::ostream& err) {
  while (true) {
    if (every <= absl::ZeroDuration()) {
      int signal_number = 0;
      sigwait(&stop_signals, &signal_number);
      return signal_number;
    }
    const timespec timeout = absl::ToTimespec(every);
    const int signal_number = sigtimedwait(&stop_signals, nullptr, &timeout);
    if (signal_number > 0) return signal_number;
    if (errno != EAGAIN) continue;  // EINTR
    absl::StatusOr<std::optional<IndexSnapshotInfo>> saved = engine.SaveIndexSnapshot();
    if (!saved.ok()) {
      err << "clustermatch serve: index snapshot failed (the next open builds the index): "
          << saved.status().message() << std::endl;
    } else if (saved->has_value()) {
      err << "clustermatch serve: index snapshot of " << (*saved)->firms << " firms, "
          << (*saved)->bytes / (1 << 20) << " MiB, in " << (*saved)->seconds << " s" << std::endl;
    }
  }
}

}  // namespace

void AddServeSecurityFlags(CLI::App* serve, ServeCommandOptions& options) {
  serve
      ->add_option("--rate-limit", options.server.rate_limit.per_second,
                   "Requests per second each API key may make, for keys without a limit of their "
                   "own (keys add --rate-limit); over it, RESOURCE_EXHAUSTED. 0: unlimited")
      ->check(CLI::Range(0.0, kMaxKeyRateLimit))
      ->capture_default_str();
  serve
      ->add_option("--rate-burst", options.server.rate_limit.burst,
                   "Requests a key may make at once under --rate-limit (0: one second's worth)")
      ->check(CLI::Range(0, kMaxKeyRateBurst))
      ->capture_default_str();
  serve
      ->add_option("--audit-retention-days", options.audit_retention_days,
                   "Days the audit log keeps its rows, kept in the store; older rows are deleted "
                   "when the store is opened for writing (0: the store's own, default 730)")
      ->check(CLI::Range(0, kMaxAuditRetentionDays));
}

absl::Status Serve(const ServeCommandOptions& options, std::ostream& err) {
  TuneProcessAllocatorForServing();  // before any thread starts
  const sigset_t stop_signals = BlockStopSignals();
  EngineOptions engine_options;
  engine_options.db_path = options.db;
  engine_options.index_options = options.index_options;
  engine_options.index_snapshot_min_firms = options.index_snapshot_min_firms;
  engine_options.idle_helper = options.idle_helper;
  engine_options.sparse_cache_firms = options.sparse_cache_firms;
  if (options.audit_retention_days > 0) {
    engine_options.audit_retention_days = options.audit_retention_days;
  }
  engine_options.holder_command = "clustermatch serve --listen " + options.server.listen;
  CM_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, Engine::Open(engine_options));

  KeyRing keys;
  CM_ASSIGN_OR_RETURN(std::vector<ApiKeyRecord> records, engine->ListApiKeys());
  const size_t valid = static_cast<size_t>(std::count_if(
      records.begin(), records.end(), [](const ApiKeyRecord& key) { return !key.revoked(); }));
  keys.Replace(std::move(records));
  if (valid == 0) {
    err << "clustermatch serve: warning: the store has no valid API key, so every call will be "
           "refused; make one with: clustermatch --db "
        << options.db << " keys add --role admin\n";
  }

  ServerOptions server_options = options.server;
  if (server_options.snapshot_dir.empty()) server_options.snapshot_dir = options.db + ".snapshots";
  const CallLog log = CallLog::Stderr();
  CM_ASSIGN_OR_RETURN(std::unique_ptr<GrpcServer> server,
                      GrpcServer::Start(engine.get(), &keys, &log, server_options));
  // Port 0 became a real port: name it in the lock, for the hint that sends
  // refused writers to --server.
  const std::string host = server_options.listen.substr(0, server_options.listen.rfind(':'));
  CM_RETURN_IF_ERROR(engine->SetLockHolderCommand("clustermatch serve --listen " + host + ":" +
                                                  std::to_string(server->port())));
  const EngineStats stats = engine->Stats();
  err << "clustermatch serve: malloc: " << ProcessAllocator() << std::endl;
  err << "clustermatch serve: listening on port " << server->port() << " (" << server_options.listen
      << (server_options.tls_cert.empty() ? ", plaintext" : ", TLS") << "); store " << options.db
      << ", " << stats.firms << " firms, model v" << stats.model_version << ", " << valid
      << " API keys; index: " << stats.index_source << std::endl;
  if (!server_options.rate_limit.unlimited()) {
    err << "clustermatch serve: keys without their own rate limit get "
        << server_options.rate_limit.per_second << " requests/s (burst "
        << server_options.rate_limit.Capacity() << ")" << std::endl;
  }
  if (!options.port_file.empty())
    CM_RETURN_IF_ERROR(WritePortFile(options.port_file, server->port()));

  const int signal_number = WaitForStop(stop_signals, options.index_snapshot_every, *engine, err);
  err << "clustermatch serve: " << (signal_number == SIGINT ? "SIGINT" : "SIGTERM")
      << ": finishing calls in flight" << std::endl;
  server->Shutdown(options.grace);
  server.reset();
  engine.reset();  // saves a changed index snapshot, closes the store, releases its lock
  err << "clustermatch serve: stopped; store closed" << std::endl;
  return absl::OkStatus();
}

}  // namespace clustermatch
