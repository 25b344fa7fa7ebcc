#include "server/service_call.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "server/grpc_status.h"

namespace clustermatch {
namespace {

std::string_view AuthorizationHeader(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return {};
  return std::string_view(it->second.data(), it->second.size());
}

bool DeadlinePassed(const grpc::ServerContext& context) {
  return context.deadline() <= std::chrono::system_clock::now();
}

}  // namespace

grpc::Status RunCall(const ServiceState& state, grpc::ServerContext* context,
                     std::string_view method, Permission needed,
                     absl::FunctionRef<absl::Status(const CallInfo&)> body) {
  const absl::Time start = absl::Now();
  std::string key_id;
  absl::Status status = [&]() -> absl::Status {
    absl::StatusOr<Caller> caller = state.keys->Authenticate(AuthorizationHeader(*context));
    if (!caller.ok()) return caller.status();
    key_id = caller->key_id;
    if (state.limiter != nullptr) {
      absl::Status admitted =
          state.limiter->Admit(caller->key_id, RateLimit{caller->rate_limit, caller->rate_burst});
      if (!admitted.ok()) return admitted;
    }
    CallInfo call{*caller, AccessScope{caller->role, caller->scope, caller->cluster}, context};
    absl::Status allowed = CheckPermission(call.access, needed, method);
    if (!allowed.ok()) return allowed;
    if (DeadlinePassed(*context)) return absl::DeadlineExceededError("deadline passed");
    absl::Status result = body(call);
    if (context->IsCancelled()) {
      return DeadlinePassed(*context) ? absl::DeadlineExceededError("deadline passed")
                                      : absl::CancelledError("cancelled by the client");
    }
    return result;
  }();
  const grpc::Status out = ToGrpcStatus(status);
  if (state.log != nullptr) {
    state.log->Record(method, out.error_code(), absl::Now() - start, key_id, context->peer());
  }
  return out;
}

absl::StatusOr<int> ResultCount(bool has_k, int k, const ServiceLimits& limits) {
  if (!has_k) return limits.default_k;
  if (k < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("k: must be between 1 and ", limits.max_k, ", got ", k));
  }
  if (k > limits.max_k) {
    return absl::ResourceExhaustedError(absl::StrCat("k: at most ", limits.max_k, ", got ", k));
  }
  return k;
}

absl::StatusOr<int> PageSize(int page_size, const ServiceLimits& limits) {
  if (page_size == 0) return limits.default_page_size;
  if (page_size < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("page_size: must not be negative, got ", page_size));
  }
  if (page_size > limits.max_page_size) {
    return absl::ResourceExhaustedError(
        absl::StrCat("page_size: at most ", limits.max_page_size, ", got ", page_size));
  }
  return page_size;
}

absl::Status RequireUnlimitedAdmin(const AccessScope& access, std::string_view what) {
  if (access.cluster.empty()) return absl::OkStatus();
  return absl::PermissionDeniedError(absl::StrCat(
      std::string(what), " needs an admin key without a cluster limit; this key is limited to \"",
      access.cluster, "\""));
}

}  // namespace clustermatch
