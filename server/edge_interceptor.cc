#include "server/edge_interceptor.h"

#include <string>
#include <string_view>

#include <grpcpp/server_context.h>

#include "absl/time/clock.h"

namespace clustermatch {
namespace {

using grpc::experimental::InterceptionHookPoints;

constexpr std::string_view kOwnPrefix = "/clustermatch.v1.";

class EdgeInterceptor final : public grpc::experimental::Interceptor {
 public:
  EdgeInterceptor(grpc::experimental::ServerRpcInfo* info, const CallLog* log)
      : info_(info), log_(log), start_(absl::Now()) {}

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      const grpc::Status status = methods->GetSendStatus();
      const std::string_view method = info_->method() == nullptr ? "" : info_->method();
      const bool own = method.substr(0, kOwnPrefix.size()) == kOwnPrefix;
      const bool unparsed =
          status.error_code() == grpc::StatusCode::INTERNAL && status.error_message().empty();
      grpc::Status sent = status;
      if (unparsed) {
        sent = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                            "request: not a valid message (string fields must be valid UTF-8)");
        methods->ModifySendStatus(sent);
      }
      if (log_ != nullptr && (!own || unparsed)) {
        const std::string_view name =
            own ? method.substr(kOwnPrefix.size()) : method.substr(method.empty() ? 0 : 1);
        log_->Record(name, sent.error_code(), absl::Now() - start_, "",
                     info_->server_context()->peer());
      }
    }
    methods->Proceed();
  }

 private:
  grpc::experimental::ServerRpcInfo* info_;
  const CallLog* log_;
  const absl::Time start_;
};

class EdgeInterceptorFactory final : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit EdgeInterceptorFactory(const CallLog* log) : log_(log) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new EdgeInterceptor(info, log_);
  }

 private:
  const CallLog* log_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeEdgeInterceptorFactory(
    const CallLog* log) {
  return std::make_unique<EdgeInterceptorFactory>(log);
}

}  // namespace clustermatch
