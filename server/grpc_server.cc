#include "server/grpc_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "engine/status_macros.h"
#include "server/admin_service.h"
#include "server/edge_interceptor.h"
#include "server/event_service.h"
#include "server/feedback_service.h"
#include "server/firm_service.h"
#include "server/group_service.h"
#include "server/matching_service.h"
#include "server/read_file.h"

namespace clustermatch {
namespace {

constexpr const char* kServiceNames[] = {
    "clustermatch.v1.FirmService",     "clustermatch.v1.MatchingService",
    "clustermatch.v1.FeedbackService", "clustermatch.v1.AdminService",
    "clustermatch.v1.EventService",    "clustermatch.v1.GroupService"};

absl::StatusOr<std::string> ReadPem(const std::string& path, std::string_view flag) {
  absl::StatusOr<std::string> pem = ReadFileBytes(path);
  if (!pem.ok())
    return absl::InvalidArgumentError(std::string(flag) + ": " +
                                      std::string(pem.status().message()));
  return pem;
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(const ServerOptions& o) {
  if (o.tls_cert.empty() && o.tls_key.empty()) {
    if (!o.tls_client_ca.empty()) {
      return absl::InvalidArgumentError("--tls-client-ca needs --tls-cert and --tls-key");
    }
    return grpc::InsecureServerCredentials();
  }
  if (o.tls_cert.empty() || o.tls_key.empty()) {
    return absl::InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  grpc::SslServerCredentialsOptions ssl;
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  CM_ASSIGN_OR_RETURN(pair.private_key, ReadPem(o.tls_key, "--tls-key"));
  CM_ASSIGN_OR_RETURN(pair.cert_chain, ReadPem(o.tls_cert, "--tls-cert"));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!o.tls_client_ca.empty()) {
    CM_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadPem(o.tls_client_ca, "--tls-client-ca"));
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

struct GrpcServer::Services {
  Services(const ServiceState& s, const ServerOptions& options)
      : limiter(options.rate_limit, options.rate_clock),
        state(WithLimiter(s, &limiter)),
        firms(&state),
        matching(&state),
        feedback(&state),
        admin(&state),
        events(&state),
        groups(&state) {}
  static ServiceState WithLimiter(ServiceState state, RateLimiter* limiter) {
    state.limiter = limiter;
    return state;
  }
  RateLimiter limiter;
  ServiceState state;
  FirmServiceImpl firms;
  MatchingServiceImpl matching;
  FeedbackServiceImpl feedback;
  AdminServiceImpl admin;
  EventServiceImpl events;
  GroupServiceImpl groups;
};

GrpcServer::GrpcServer() = default;

GrpcServer::~GrpcServer() { Shutdown(absl::ZeroDuration()); }

absl::StatusOr<std::unique_ptr<GrpcServer>> GrpcServer::Start(Engine* engine, KeyRing* keys,
                                                              const CallLog* log,
                                                              const ServerOptions& options) {
  std::unique_ptr<GrpcServer> server(new GrpcServer());
  ServiceState state;
  state.engine = engine;
  state.keys = keys;
  state.log = log;
  state.limits = options.limits;
  state.snapshot_dir = options.snapshot_dir;
  server->services_ = std::make_unique<Services>(state, options);

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  if (!options.listen.empty()) {
    CM_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials, Credentials(options));
    builder.AddListeningPort(options.listen, credentials, &server->port_);
  }
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  builder.SetMaxSendMessageSize(options.max_message_bytes);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(MakeEdgeInterceptorFactory(log));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.RegisterService(&server->services_->firms);
  builder.RegisterService(&server->services_->matching);
  builder.RegisterService(&server->services_->feedback);
  builder.RegisterService(&server->services_->admin);
  builder.RegisterService(&server->services_->events);
  builder.RegisterService(&server->services_->groups);
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || (!options.listen.empty() && server->port_ == 0)) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, ": address in use or not available"));
  }
  grpc::HealthCheckServiceInterface* health = server->server_->GetHealthCheckService();
  health->SetServingStatus(true);
  for (const char* name : kServiceNames) health->SetServingStatus(name, true);
  return server;
}

std::shared_ptr<grpc::Channel> GrpcServer::InProcessChannel() {
  grpc::ChannelArguments arguments;
  return server_->InProcessChannel(arguments);
}

void GrpcServer::Shutdown(absl::Duration grace) {
  if (shut_down_ || server_ == nullptr) return;
  shut_down_ = true;
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
  server_->Wait();
}

}  // namespace clustermatch
