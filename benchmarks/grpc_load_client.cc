// The shared client side of `clustermatch serve`; see grpc_load_client.h.
#include "benchmarks/grpc_load_client.h"

#include <grpcpp/create_channel.h>

#include <algorithm>
#include <cmath>
#include <string_view>

#include "absl/status/status.h"
#include "clustermatch/v1/firm_service.grpc.pb.h"
#include "engine/sample_vocabulary.h"

namespace clustermatch {
namespace {

constexpr char kHealthCheckMethod[] = "/grpc.health.v1.Health/Check";
// HealthCheckResponse{status: SERVING}: field 1, varint 1.
constexpr std::string_view kServingResponse = "\x08\x01";
constexpr int kListPageSize = 1000;  // the server's maximum page size

}  // namespace

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    default:
      return "CODE_" + std::to_string(static_cast<int>(code));
  }
}

std::string StatusText(const grpc::Status& status) {
  return StatusCodeName(status.error_code()) + ": " + status.error_message();
}

std::shared_ptr<grpc::Channel> NewConnection(const std::string& address, int index) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // Distinct arguments as well, so no layer merges the channels.
  args.SetInt("clustermatch.load_client.connection", index);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

void PrepareCall(grpc::ClientContext& context, const std::string& api_key,
                 std::chrono::milliseconds deadline) {
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  if (!api_key.empty()) context.AddMetadata("authorization", "Bearer " + api_key);
}

void DrainQueue(grpc::CompletionQueue& queue) {
  queue.Shutdown();
  void* tag = nullptr;
  bool ok = false;
  while (queue.Next(&tag, &ok)) {
  }
}

grpc::Status CheckHealth(grpc::GenericStub& stub, grpc::CompletionQueue& queue,
                         grpc::ClientContext& context) {
  // HealthCheckRequest{service: ""} encodes to no bytes, but the server
  // needs a buffer with a slice in it (a bare ByteBuffer is refused as
  // INVALID_ARGUMENT).
  grpc::Slice empty_slice("", 0);
  const grpc::ByteBuffer request(&empty_slice, 1);
  grpc::ByteBuffer response;
  auto reader = stub.PrepareUnaryCall(&context, kHealthCheckMethod, request, &queue);
  grpc::Status status = Complete(queue, *reader, &response);
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (response.Dump(&slices).ok()) {
    for (const grpc::Slice& slice : slices) {
      bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
    }
  }
  if (bytes != kServingResponse) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "health: server is not SERVING");
  }
  return status;
}

grpc::Status CheckHealth(const std::shared_ptr<grpc::Channel>& channel,
                         std::chrono::milliseconds deadline) {
  grpc::GenericStub stub(channel);
  grpc::CompletionQueue queue;
  grpc::Status status;
  {
    grpc::ClientContext context;
    PrepareCall(context, "", deadline);
    status = CheckHealth(stub, queue, context);
  }
  DrainQueue(queue);
  return status;
}

absl::StatusOr<std::vector<std::string>> ListFirmIds(const std::shared_ptr<grpc::Channel>& channel,
                                                     const std::string& api_key) {
  auto stub = v1::FirmService::NewStub(channel);
  std::vector<std::string> ids;
  std::string token;
  do {
    grpc::ClientContext context;
    PrepareCall(context, api_key, std::chrono::seconds(60));
    v1::ListFirmsRequest request;
    request.set_page_size(kListPageSize);
    request.set_page_token(token);
    v1::ListFirmsResponse response;
    const grpc::Status status = stub->ListFirms(&context, request, &response);
    if (!status.ok()) {
      return absl::UnavailableError("FirmService/ListFirms: " + StatusText(status));
    }
    for (const v1::Firm& firm : response.firms()) ids.push_back(firm.id());
    token = response.next_page_token();
  } while (!token.empty());
  return ids;
}

std::vector<std::string> SampleSearchQueries() {
  std::vector<std::string> queries;
  for (const SampleCapability& capability : SampleVocabularyTables().capabilities) {
    for (std::string_view need : capability.needs_ko) queries.emplace_back(need);
    for (std::string_view need : capability.needs_en) queries.emplace_back(need);
  }
  return queries;
}

std::vector<std::string> SampleOfferPhrases() {
  std::vector<std::string> phrases;
  for (const SampleCapability& capability : SampleVocabularyTables().capabilities) {
    for (std::string_view offer : capability.offers_en) phrases.emplace_back(offer);
    for (std::string_view offer : capability.offers_ko) phrases.emplace_back(offer);
  }
  return phrases;
}

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace clustermatch
