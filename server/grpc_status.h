// The one place where statuses cross the gRPC edge. absl and gRPC share the
// canonical code numbers, so the code passes through unchanged; what this
// adds is the guarantee that every handler's error goes out the same way.
#ifndef CLUSTERMATCH_SERVER_GRPC_STATUS_H_
#define CLUSTERMATCH_SERVER_GRPC_STATUS_H_

#include <string_view>

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace clustermatch {

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

// The status with `prefix` put before its message ("firm." + "name: too
// long"); OK stays OK.
absl::Status WithFieldPrefix(const absl::Status& status, std::string_view prefix);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_GRPC_STATUS_H_
