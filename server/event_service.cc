#include "server/event_service.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/event_planner.h"
#include "engine/status_macros.h"
#include "server/event_proto_converter.h"
#include "server/grpc_status.h"

namespace clustermatch {
namespace {

absl::Status NoFirm(size_t i, const std::string& id) {
  return absl::NotFoundError(absl::StrCat("attendees[", i, "].firm_id: no firm \"", id, "\""));
}

// The new firm of attendee `i`, with what the caller may store and see
// checked; nullopt for a stored firm the caller may see in results. Stored
// firms it may not see are NotFound, like missing ones.
absl::StatusOr<std::optional<Firm>> NewAttendee(const Engine& engine, const AccessScope& access,
                                                const EventAttendee& attendee, size_t i) {
  const absl::StatusOr<Firm> stored = engine.GetFirm(attendee.firm_id);
  if (stored.ok()) {
    if (!CanSeeInResults(access, *stored)) return NoFirm(i, attendee.firm_id);
    return std::nullopt;
  }
  if (!absl::IsNotFound(stored.status())) return stored.status();
  if (!attendee.profile.has_value()) return NoFirm(i, attendee.firm_id);
  const std::string prefix = absl::StrCat("attendees[", i, "].profile.");
  CM_RETURN_IF_ERROR(WithFieldPrefix(CheckChange(access, nullptr, *attendee.profile), prefix));
  if (!CanSeeInResults(access, *attendee.profile)) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix,
                     "visibility: this key could not see the new firm in results, so it cannot be "
                     "scheduled"));
  }
  return attendee.profile;
}

}  // namespace

grpc::Status EventServiceImpl::ScheduleEvent(grpc::ServerContext* context,
                                             const v1::ScheduleEventRequest* request,
                                             v1::ScheduleEventResponse* response) {
  return RunCall(
      state_, context, "EventService/ScheduleEvent", Permission::kOrganise,
      [&](const CallInfo& call) -> absl::Status {
        Engine& engine = *state_.engine;
        if (request->attendees_size() > state_.limits.max_batch) {
          return absl::ResourceExhaustedError(
              absl::StrCat("attendees: at most ", state_.limits.max_batch, " per call, got ",
                           request->attendees_size()));
        }
        CM_ASSIGN_OR_RETURN(EventRequest event, EventRequestFromProto(*request));
        CM_ASSIGN_OR_RETURN(const Language language, LanguageFromProto(request->language()));
        CM_RETURN_IF_ERROR(RestrictFilter(call.access, "filter", event.filter));

        // Every attendee is checked before any new one is stored.
        std::vector<std::pair<size_t, Firm>> fresh;
        for (size_t i = 0; i < event.attendees.size(); ++i) {
          CM_ASSIGN_OR_RETURN(std::optional<Firm> firm,
                              NewAttendee(engine, call.access, event.attendees[i], i));
          if (firm.has_value()) fresh.emplace_back(i, *std::move(firm));
        }
        for (const auto& [i, firm] : fresh) {
          const absl::StatusOr<Firm> created = engine.CreateFirm(firm, call.actor());
          if (!created.ok()) {
            return WithFieldPrefix(created.status(), absl::StrCat("attendees[", i, "].profile."));
          }
        }

        CM_ASSIGN_OR_RETURN(EventOutcome outcome, PlanEvent(engine, event));
        // Profiles may have changed since the check: the scope is applied
        // once more to what goes out.
        for (size_t i = 0; i < outcome.attendees.size(); ++i) {
          if (!CanSeeInResults(call.access, outcome.attendees[i])) {
            return NoFirm(i, outcome.attendees[i].id);
          }
        }
        *response =
            OutcomeToProto(std::move(outcome), event.plan, !request->omit_explanations(), language);
        response->set_model_version(engine.ModelVersion());
        return absl::OkStatus();
      });
}

}  // namespace clustermatch
