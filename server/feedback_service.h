// clustermatch.v1.FeedbackService: relations recorded from the portal (met,
// accepted, declined, partnered, do-not-match). The engine applies them to
// the next recommendation call.
#ifndef CLUSTERMATCH_SERVER_FEEDBACK_SERVICE_H_
#define CLUSTERMATCH_SERVER_FEEDBACK_SERVICE_H_

#include "clustermatch/v1/feedback_service.grpc.pb.h"
#include "server/service_call.h"

namespace clustermatch {

class FeedbackServiceImpl final : public v1::FeedbackService::Service {
 public:
  explicit FeedbackServiceImpl(const ServiceState* state) : state_(*state) {}

  grpc::Status RecordRelations(grpc::ServerContext* context,
                               const v1::RecordRelationsRequest* request,
                               v1::RecordRelationsResponse* response) override;
  grpc::Status ListRelations(grpc::ServerContext* context, const v1::ListRelationsRequest* request,
                             v1::ListRelationsResponse* response) override;

 private:
  const ServiceState& state_;
};

// Today's date in Asia/Seoul, "YYYY-MM-DD": the date of feedback recorded
// without one.
std::string TodayInSeoul();

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_FEEDBACK_SERVICE_H_
