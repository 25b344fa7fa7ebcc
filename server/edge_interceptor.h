// EdgeInterceptor: what must hold for every call, including those that never
// reach a clustermatch handler:
//
// - A request protobuf refuses to parse (a string field that is not UTF-8,
//   say) is reported by gRPC as INTERNAL with no message before any handler
//   runs. Bad input is never INTERNAL here: it becomes INVALID_ARGUMENT.
// - Such calls, and calls to the health and reflection services, get their
//   one call-log line here; calls that reach RunCall are logged there, with
//   the caller's key id.
#ifndef CLUSTERMATCH_SERVER_EDGE_INTERCEPTOR_H_
#define CLUSTERMATCH_SERVER_EDGE_INTERCEPTOR_H_

#include <memory>

#include <grpcpp/support/server_interceptor.h>

#include "server/call_log.h"

namespace clustermatch {

// `log` may be null (no call log); it must outlive the server.
std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeEdgeInterceptorFactory(
    const CallLog* log);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_EDGE_INTERCEPTOR_H_
