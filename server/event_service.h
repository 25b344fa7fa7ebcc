// clustermatch.v1.EventService: event scheduling over gRPC for organisers,
// on the same planner as `clustermatch event schedule`
// (engine/event_planner.h). The handler converts the request
// (server/event_proto_converter.h), checks that the caller may see every
// attendee in results (else NOT_FOUND, as for a missing firm) and may create
// the new ones it brings (CheckChange), narrows the match lists to the
// caller's scope (RestrictFilter), plans, and fills the response.
#ifndef CLUSTERMATCH_SERVER_EVENT_SERVICE_H_
#define CLUSTERMATCH_SERVER_EVENT_SERVICE_H_

#include "clustermatch/v1/event_service.grpc.pb.h"
#include "server/service_call.h"

namespace clustermatch {

class EventServiceImpl final : public v1::EventService::Service {
 public:
  explicit EventServiceImpl(const ServiceState* state) : state_(*state) {}

  grpc::Status ScheduleEvent(grpc::ServerContext* context, const v1::ScheduleEventRequest* request,
                             v1::ScheduleEventResponse* response) override;

 private:
  const ServiceState& state_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_EVENT_SERVICE_H_
