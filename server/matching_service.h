// clustermatch.v1.MatchingService: recommendations and free-text search.
// Results pass the caller's access scope twice: inside the index scan (the
// filter) and again before they are returned.
#ifndef CLUSTERMATCH_SERVER_MATCHING_SERVICE_H_
#define CLUSTERMATCH_SERVER_MATCHING_SERVICE_H_

#include "clustermatch/v1/matching_service.grpc.pb.h"
#include "server/service_call.h"

namespace clustermatch {

class MatchingServiceImpl final : public v1::MatchingService::Service {
 public:
  explicit MatchingServiceImpl(const ServiceState* state) : state_(*state) {}

  grpc::Status Recommend(grpc::ServerContext* context, const v1::RecommendRequest* request,
                         v1::RecommendResponse* response) override;
  grpc::Status Search(grpc::ServerContext* context, const v1::SearchRequest* request,
                      v1::SearchResponse* response) override;

 private:
  const ServiceState& state_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_MATCHING_SERVICE_H_
