// clustermatch.v1.FirmService: firm profiles over gRPC. Handlers parse the
// request, apply the caller's access scope (engine/access_policy.h) and call
// the engine; RunCall does authentication, logging and status conversion.
#ifndef CLUSTERMATCH_SERVER_FIRM_SERVICE_H_
#define CLUSTERMATCH_SERVER_FIRM_SERVICE_H_

#include "clustermatch/v1/firm_service.grpc.pb.h"
#include "server/service_call.h"

namespace clustermatch {

class FirmServiceImpl final : public v1::FirmService::Service {
 public:
  explicit FirmServiceImpl(const ServiceState* state) : state_(*state) {}

  grpc::Status CreateFirm(grpc::ServerContext* context, const v1::CreateFirmRequest* request,
                          v1::Firm* response) override;
  grpc::Status UpdateFirm(grpc::ServerContext* context, const v1::UpdateFirmRequest* request,
                          v1::Firm* response) override;
  grpc::Status GetFirm(grpc::ServerContext* context, const v1::GetFirmRequest* request,
                       v1::Firm* response) override;
  grpc::Status DeleteFirm(grpc::ServerContext* context, const v1::DeleteFirmRequest* request,
                          google::protobuf::Empty* response) override;
  grpc::Status ListFirms(grpc::ServerContext* context, const v1::ListFirmsRequest* request,
                         v1::ListFirmsResponse* response) override;
  grpc::Status ImportFirms(grpc::ServerContext* context,
                           grpc::ServerReader<v1::ImportFirmsRequest>* reader,
                           v1::ImportFirmsResponse* response) override;

 private:
  const ServiceState& state_;
};

// A stored firm the caller may see; NotFound "FIELD: no firm \"ID\""
// otherwise, the same answer as for a firm that does not exist.
absl::StatusOr<Firm> VisibleFirm(const Engine& engine, const AccessScope& access,
                                 const std::string& id, std::string_view field);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_FIRM_SERVICE_H_
