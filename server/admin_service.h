// clustermatch.v1.AdminService: the text model, statistics, snapshots and
// API keys. All need the admin role; all but GetStats need an admin key
// without a cluster limit.
#ifndef CLUSTERMATCH_SERVER_ADMIN_SERVICE_H_
#define CLUSTERMATCH_SERVER_ADMIN_SERVICE_H_

#include "clustermatch/v1/admin_service.grpc.pb.h"
#include "server/service_call.h"

namespace clustermatch {

class AdminServiceImpl final : public v1::AdminService::Service {
 public:
  explicit AdminServiceImpl(const ServiceState* state) : state_(*state) {}

  grpc::Status Train(grpc::ServerContext* context, const v1::TrainRequest* request,
                     v1::TrainResponse* response) override;
  grpc::Status GetStats(grpc::ServerContext* context, const v1::GetStatsRequest* request,
                        v1::Stats* response) override;
  grpc::Status Snapshot(grpc::ServerContext* context, const v1::SnapshotRequest* request,
                        v1::SnapshotResponse* response) override;
  grpc::Status CreateKey(grpc::ServerContext* context, const v1::CreateKeyRequest* request,
                         v1::CreateKeyResponse* response) override;
  grpc::Status ListKeys(grpc::ServerContext* context, const v1::ListKeysRequest* request,
                        v1::ListKeysResponse* response) override;
  grpc::Status RevokeKey(grpc::ServerContext* context, const v1::RevokeKeyRequest* request,
                         v1::ApiKey* response) override;

 private:
  const ServiceState& state_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_ADMIN_SERVICE_H_
