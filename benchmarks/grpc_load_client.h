// The client side of `clustermatch serve` shared by the load generator
// (benchmarks/load_generator.cc, benchmarks/mixed_calls.cc) and the crash
// harness (tests/reliability/): one TCP connection per worker, bearer
// metadata and deadlines, async unary calls completed on the caller's own
// queue, the health check, status code names, percentiles, firm id listing
// and the search and offer phrases of the sample vocabulary.
#ifndef CLUSTERMATCH_BENCHMARKS_GRPC_LOAD_CLIENT_H_
#define CLUSTERMATCH_BENCHMARKS_GRPC_LOAD_CLIENT_H_

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace clustermatch {

// "OK", "UNAVAILABLE", ...; "CODE_<n>" for a code gRPC does not name.
std::string StatusCodeName(grpc::StatusCode code);

// "UNAVAILABLE: <message>".
std::string StatusText(const grpc::Status& status);

// A channel with its own subchannel pool and hence its own TCP connection:
// gRPC C++ otherwise shares one HTTP/2 connection between channels with
// equal arguments. `index` makes the arguments distinct as well.
std::shared_ptr<grpc::Channel> NewConnection(const std::string& address, int index);

// Sets the call's deadline and, when `api_key` is not empty, its
// `authorization: Bearer` metadata.
void PrepareCall(grpc::ClientContext& context, const std::string& api_key,
                 std::chrono::milliseconds deadline);

// Starts the call a reader was prepared for and waits for its completion on
// the caller's queue (no hand-off to another thread).
template <typename Response>
grpc::Status Complete(grpc::CompletionQueue& queue,
                      grpc::ClientAsyncResponseReader<Response>& reader, Response* response) {
  grpc::Status status;
  reader.StartCall();
  reader.Finish(response, &status, &reader);
  void* tag = nullptr;
  bool ok = false;
  if (!queue.Next(&tag, &ok)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "completion queue shut down");
  }
  return status;
}

// Shuts a completion queue down and drains it; for destructors.
void DrainQueue(grpc::CompletionQueue& queue);

// grpc.health.v1.Health/Check for the whole server ("" service) on the
// caller's stub and queue: OK only when the answer is SERVING (UNAVAILABLE
// "health: server is not SERVING" otherwise).
grpc::Status CheckHealth(grpc::GenericStub& stub, grpc::CompletionQueue& queue,
                         grpc::ClientContext& context);

// The same on a stub and queue of its own, with this deadline.
grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         std::chrono::milliseconds deadline);

// Every firm id the key may see, by FirmService/ListFirms pages of 1000.
absl::StatusOr<std::vector<std::string>> ListFirmIds(const std::shared_ptr<grpc::Channel>& channel,
                                                     const std::string& api_key);

// The need phrases of the sample vocabulary (engine/sample_vocabulary.h,
// Korean and English): what members type into search.
std::vector<std::string> SampleSearchQueries();

// The offer wordings of the sample vocabulary, in English and Korean.
std::vector<std::string> SampleOfferPhrases();

// Nearest-rank percentile of sorted values: the smallest value with at least
// p of them at or below it; 0 for none.
double Percentile(const std::vector<double>& sorted, double p);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_BENCHMARKS_GRPC_LOAD_CLIENT_H_
