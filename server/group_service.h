// clustermatch.v1.GroupService: SIGs, research-society founders, consortia
// and purchasing pools for coordinators (organiser role). The firms a call
// may group are those its key may see in results: the filter is narrowed to
// the key's scope before the engine runs, and every member is checked
// against it again before it is returned.
#ifndef CLUSTERMATCH_SERVER_GROUP_SERVICE_H_
#define CLUSTERMATCH_SERVER_GROUP_SERVICE_H_

#include "clustermatch/v1/group_service.grpc.pb.h"
#include "server/service_call.h"

namespace clustermatch {

class GroupServiceImpl final : public v1::GroupService::Service {
 public:
  explicit GroupServiceImpl(const ServiceState* state) : state_(*state) {}

  grpc::Status SuggestSigs(grpc::ServerContext* context, const v1::SuggestSigsRequest* request,
                           v1::SuggestSigsResponse* response) override;
  grpc::Status ProposeFounders(grpc::ServerContext* context,
                               const v1::ProposeFoundersRequest* request,
                               v1::ProposeFoundersResponse* response) override;
  grpc::Status AssembleConsortium(grpc::ServerContext* context,
                                  const v1::AssembleConsortiumRequest* request,
                                  v1::AssembleConsortiumResponse* response) override;
  grpc::Status FormPurchasingPools(grpc::ServerContext* context,
                                   const v1::FormPurchasingPoolsRequest* request,
                                   v1::FormPurchasingPoolsResponse* response) override;

 private:
  const ServiceState& state_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_GROUP_SERVICE_H_
