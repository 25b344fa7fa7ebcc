// One writing client of the crash harness; see crash_client.h.
#include "tests/reliability/crash_client.h"

#include <google/protobuf/empty.pb.h>
#include <google/protobuf/util/message_differencer.h>

#include "benchmarks/grpc_load_client.h"
#include "clustermatch/v1/feedback_service.grpc.pb.h"
#include "clustermatch/v1/firm_service.grpc.pb.h"

namespace clustermatch::reliability {
namespace {

// Sends `write`; on success `answer` holds the firm the server returned
// (creates and updates).
grpc::Status Send(const ClientSettings& settings, v1::FirmService::Stub& firms,
                  v1::FeedbackService::Stub& feedback, const Write& write, v1::Firm* answer) {
  grpc::ClientContext context;
  PrepareCall(context, settings.api_key, settings.deadline);
  switch (write.kind) {
    case WriteKind::kCreate: {
      v1::CreateFirmRequest request;
      *request.mutable_firm() = *write.after;
      return firms.CreateFirm(&context, request, answer);
    }
    case WriteKind::kUpdate: {
      v1::UpdateFirmRequest request;
      *request.mutable_firm() = *write.after;
      for (const std::string& path : write.mask) request.mutable_update_mask()->add_paths(path);
      return firms.UpdateFirm(&context, request, answer);
    }
    case WriteKind::kDelete: {
      v1::DeleteFirmRequest request;
      request.set_id(write.firm_id);
      google::protobuf::Empty response;
      return firms.DeleteFirm(&context, request, &response);
    }
    case WriteKind::kRelations: {
      v1::RecordRelationsRequest request;
      for (const v1::Relation& relation : write.relations) *request.add_relations() = relation;
      v1::RecordRelationsResponse response;
      grpc::Status status = feedback.RecordRelations(&context, request, &response);
      if (status.ok() && response.recorded() != static_cast<int>(write.relations.size())) {
        return grpc::Status(grpc::StatusCode::INTERNAL,
                            "RecordRelations: recorded " + std::to_string(response.recorded()) +
                                " of " + std::to_string(write.relations.size()));
      }
      return status;
    }
  }
  return grpc::Status(grpc::StatusCode::INTERNAL, "unknown write kind");
}

}  // namespace

ClientCycle RunClient(const ClientSettings& settings, const WriteFactory& factory,
                      ClientModel& model, std::mt19937_64& random, const std::atomic<bool>& stop,
                      std::ostream& log) {
  const std::shared_ptr<grpc::Channel> channel = NewConnection(settings.address, model.client);
  auto firms = v1::FirmService::NewStub(channel);
  auto feedback = v1::FeedbackService::NewStub(channel);
  ClientCycle cycle;
  while (!stop.load(std::memory_order_acquire)) {
    const Write write = factory.Next(model, random);
    v1::Firm answer;
    const grpc::Status status = Send(settings, *firms, *feedback, write, &answer);
    if (!status.ok()) {
      cycle.failed_at = std::chrono::steady_clock::now();
      cycle.in_flight = write;
      cycle.in_flight_error = StatusText(status);
      log << "in-flight " << write.Describe() << " -> " << cycle.in_flight_error << "\n";
      break;
    }
    if ((write.kind == WriteKind::kCreate || write.kind == WriteKind::kUpdate) &&
        !google::protobuf::util::MessageDifferencer::Equals(answer, *write.after)) {
      cycle.answer_mismatches.push_back(write.Describe() + ": answered " +
                                        answer.ShortDebugString());
    }
    model.Apply(write);
    ++cycle.acknowledged;
    cycle.acknowledged_writes.push_back(write);
    log << "ack " << write.Describe() << "\n";
  }
  log.flush();
  return cycle;
}

}  // namespace clustermatch::reliability
