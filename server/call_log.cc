#include "server/call_log.h"

#include <unistd.h>

#include <string>

#include "absl/strings/str_format.h"

namespace clustermatch {

CallLog CallLog::Stderr() {
  return CallLog([](std::string_view line) {
    // One write(2) per line keeps lines whole when threads log at once.
    size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = write(STDERR_FILENO, line.data() + done, line.size() - done);
      if (n <= 0) return;
      done += static_cast<size_t>(n);
    }
  });
}

void CallLog::Record(std::string_view method, grpc::StatusCode code, absl::Duration latency,
                     std::string_view key_id, std::string_view peer) const {
  const std::string line =
      absl::StrFormat("rpc %s %s %.3fms key=%s peer=%s\n", std::string(method),
                      std::string(StatusCodeName(code)), absl::ToDoubleMilliseconds(latency),
                      key_id.empty() ? "-" : std::string(key_id), std::string(peer));
  sink_(line);
}

std::string_view StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::OK:
      return "OK";
    case grpc::CANCELLED:
      return "CANCELLED";
    case grpc::UNKNOWN:
      return "UNKNOWN";
    case grpc::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::ABORTED:
      return "ABORTED";
    case grpc::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::INTERNAL:
      return "INTERNAL";
    case grpc::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

}  // namespace clustermatch
