// CallLog: one line per RPC, for operators:
//   rpc FirmService/GetFirm OK 0.412ms key=3f9a61c2d4e7 peer=ipv4:127.0.0.1:53422
// It names the caller's key id, never a secret, and never request contents.
#ifndef CLUSTERMATCH_SERVER_CALL_LOG_H_
#define CLUSTERMATCH_SERVER_CALL_LOG_H_

#include <functional>
#include <string>
#include <string_view>

#include <grpcpp/support/status.h>

#include "absl/time/time.h"

namespace clustermatch {

class CallLog {
 public:
  // Writes each line with its newline to `sink`, which must be safe to call
  // from several threads at once.
  explicit CallLog(std::function<void(std::string_view line)> sink) : sink_(std::move(sink)) {}
  // A log to standard error, one write per line.
  static CallLog Stderr();

  void Record(std::string_view method, grpc::StatusCode code, absl::Duration latency,
              std::string_view key_id, std::string_view peer) const;

 private:
  std::function<void(std::string_view)> sink_;
};

// "OK", "INVALID_ARGUMENT", ...
std::string_view StatusCodeName(grpc::StatusCode code);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_CALL_LOG_H_
