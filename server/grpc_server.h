// GrpcServer: clustermatch's four services plus the standard health and
// reflection services on one gRPC server, with TLS and message-size limits.
// Used by `clustermatch serve` and by the tests (on a port or in process).
#ifndef CLUSTERMATCH_SERVER_GRPC_SERVER_H_
#define CLUSTERMATCH_SERVER_GRPC_SERVER_H_

#include <memory>
#include <string>

#include <grpcpp/channel.h>
#include <grpcpp/server.h>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/service_call.h"

namespace clustermatch {

struct ServerOptions {
  // host:port; port 0 picks a free port (see GrpcServer::port()). Empty: no
  // listening port, in-process channels only.
  std::string listen = "127.0.0.1:50051";
  // PEM files. With cert and key the server speaks TLS only; with a client CA
  // as well, callers must present a certificate it signed (mutual TLS).
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  int max_message_bytes = 8 << 20;
  ServiceLimits limits;
  std::string snapshot_dir;
  // Requests per second (and burst) for keys without a limit of their own;
  // the default, 0, is unlimited (see rate_limiter.h).
  RateLimit rate_limit;
  // The rate limiter's clock; null: absl::Now. Tests set it so as not to
  // sleep.
  RateLimiter::Clock rate_clock;
};

class GrpcServer {
 public:
  // Starts serving at once. The engine, keys and log must outlive the server.
  static absl::StatusOr<std::unique_ptr<GrpcServer>> Start(Engine* engine, KeyRing* keys,
                                                           const CallLog* log,
                                                           const ServerOptions& options);
  ~GrpcServer();

  // The bound port; 0 without a listening port.
  int port() const { return port_; }
  // A channel to this server that bypasses the network.
  std::shared_ptr<grpc::Channel> InProcessChannel();
  // Stops taking calls, lets calls in flight finish for up to `grace`
  // (cancelling the rest), and reports NOT_SERVING on health meanwhile.
  void Shutdown(absl::Duration grace);

 private:
  GrpcServer();
  struct Services;
  std::unique_ptr<Services> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  bool shut_down_ = false;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_GRPC_SERVER_H_
