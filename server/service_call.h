// What every RPC handler shares, and the one wrapper every handler runs in:
//
//   authenticate the bearer key -> the key's rate limit -> check the role ->
//   honour the deadline -> run the handler body -> convert its
//   absl::Status -> log one line
//
// so that handlers stay thin: parse the request, call the engine under the
// caller's access scope, fill the response.
#ifndef CLUSTERMATCH_SERVER_SERVICE_CALL_H_
#define CLUSTERMATCH_SERVER_SERVICE_CALL_H_

#include <string>
#include <string_view>

#include <grpcpp/server_context.h>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "engine/access_policy.h"
#include "engine/engine.h"
#include "server/call_log.h"
#include "server/caller.h"
#include "server/key_ring.h"
#include "server/rate_limiter.h"

namespace clustermatch {

// Request limits. Asking for more is RESOURCE_EXHAUSTED naming the field.
struct ServiceLimits {
  int max_k = kMaxK;
  int default_k = 10;
  int max_page_size = 1000;
  int default_page_size = 100;
  int max_batch = 1000;            // firms per import message, relations per call
  int max_import_firms = 1000000;  // firms per import stream
  size_t max_query_bytes = 4096;   // free-text search
};

// Borrowed by every service; outlives the server.
struct ServiceState {
  Engine* engine = nullptr;
  KeyRing* keys = nullptr;
  const CallLog* log = nullptr;    // null: no call log
  RateLimiter* limiter = nullptr;  // null: no rate limits
  ServiceLimits limits;
  std::string snapshot_dir;  // where Snapshot writes
};

// The authenticated caller of one call.
struct CallInfo {
  Caller caller;
  AccessScope access;
  grpc::ServerContext* context = nullptr;

  // Who the audit log names for the writes of this call: "key:<key id>".
  WriteActor actor() const { return WriteActor::ApiKey(caller.key_id); }
};

// Runs `body` for the RPC `method` ("FirmService/GetFirm") if the caller's
// key is valid (else UNAUTHENTICATED), it is within its rate limit (else
// RESOURCE_EXHAUSTED naming the key id and the limit, before any other work)
// and its role allows `needed` (else PERMISSION_DENIED); DEADLINE_EXCEEDED if
// the deadline passed before or during the body. Every outcome gets its call
// log line, with the key id once the key is known.
grpc::Status RunCall(const ServiceState& state, grpc::ServerContext* context,
                     std::string_view method, Permission needed,
                     absl::FunctionRef<absl::Status(const CallInfo&)> body);

// A `k` of a request: the default when unset, InvalidArgument below 1,
// ResourceExhausted above the limit.
absl::StatusOr<int> ResultCount(bool has_k, int k, const ServiceLimits& limits);
// A page size: the default for 0, InvalidArgument below 0,
// ResourceExhausted above the limit.
absl::StatusOr<int> PageSize(int page_size, const ServiceLimits& limits);

// Keys, training and snapshots act on the whole store: they need an admin key
// without a cluster limit.
absl::Status RequireUnlimitedAdmin(const AccessScope& access, std::string_view what);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_SERVICE_CALL_H_
