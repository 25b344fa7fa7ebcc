#include "server/group_service.h"

#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "engine/access_policy.h"
#include "engine/status_macros.h"
#include "server/group_proto_converter.h"

namespace clustermatch {
namespace {

// Profiles of group members, each fetched once and checked against the
// caller's scope a second time: null for a firm the caller may not see.
class VisibleMembers {
 public:
  VisibleMembers(const Engine& engine, const AccessScope& access)
      : engine_(engine), access_(access) {}

  const Firm* operator()(const std::string& id) {
    auto [it, added] = firms_.try_emplace(id);
    if (added) {
      absl::StatusOr<Firm> firm = engine_.GetFirm(id);
      if (firm.ok() && CanSeeInResults(access_, *firm)) {
        it->second = std::make_unique<Firm>(*std::move(firm));
      }
    }
    return it->second.get();
  }

 private:
  const Engine& engine_;
  const AccessScope& access_;
  absl::flat_hash_map<std::string, std::unique_ptr<Firm>> firms_;
};

absl::Status CheckTextSize(const std::string& text, std::string_view field, size_t limit) {
  if (text.size() <= limit) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat(std::string(field), ": at most ", limit, " bytes, got ", text.size()));
}

// Call texts run longer than search queries.
constexpr size_t kTextLimitFactor = 8;

}  // namespace

grpc::Status GroupServiceImpl::SuggestSigs(grpc::ServerContext* context,
                                           const v1::SuggestSigsRequest* request,
                                           v1::SuggestSigsResponse* response) {
  return RunCall(state_, context, "GroupService/SuggestSigs", Permission::kOrganise,
                 [&](const CallInfo& call) -> absl::Status {
                   const Engine& engine = *state_.engine;
                   CM_ASSIGN_OR_RETURN(SigRequest query, SigRequestFromProto(*request));
                   CM_RETURN_IF_ERROR(RestrictFilter(call.access, "filter", query.filter));
                   CM_ASSIGN_OR_RETURN(const SigReport report,
                                       clustermatch::SuggestSigs(engine, query));
                   VisibleMembers members(engine, call.access);
                   *response = SigReportToProto(report, std::ref(members));
                   return absl::OkStatus();
                 });
}

grpc::Status GroupServiceImpl::ProposeFounders(grpc::ServerContext* context,
                                               const v1::ProposeFoundersRequest* request,
                                               v1::ProposeFoundersResponse* response) {
  return RunCall(
      state_, context, "GroupService/ProposeFounders", Permission::kOrganise,
      [&](const CallInfo& call) -> absl::Status {
        const Engine& engine = *state_.engine;
        CM_RETURN_IF_ERROR(CheckTextSize(request->topic(), "topic", state_.limits.max_query_bytes));
        CM_ASSIGN_OR_RETURN(FounderRequest query, FounderRequestFromProto(*request));
        CM_RETURN_IF_ERROR(RestrictFilter(call.access, "filter", query.filter));
        CM_ASSIGN_OR_RETURN(const FounderReport report,
                            clustermatch::ProposeFounders(engine, query));
        VisibleMembers members(engine, call.access);
        *response = FounderReportToProto(report, std::ref(members));
        return absl::OkStatus();
      });
}

grpc::Status GroupServiceImpl::AssembleConsortium(grpc::ServerContext* context,
                                                  const v1::AssembleConsortiumRequest* request,
                                                  v1::AssembleConsortiumResponse* response) {
  return RunCall(
      state_, context, "GroupService/AssembleConsortium", Permission::kOrganise,
      [&](const CallInfo& call) -> absl::Status {
        const Engine& engine = *state_.engine;
        CM_RETURN_IF_ERROR(CheckTextSize(request->call_text(), "call_text",
                                         kTextLimitFactor * state_.limits.max_query_bytes));
        for (int i = 0; i < request->capabilities_size(); ++i) {
          CM_RETURN_IF_ERROR(CheckTextSize(request->capabilities(i),
                                           absl::StrCat("capabilities[", i, "]"),
                                           state_.limits.max_query_bytes));
        }
        CM_ASSIGN_OR_RETURN(ConsortiumRequest query, ConsortiumRequestFromProto(*request));
        CM_RETURN_IF_ERROR(RestrictFilter(call.access, "filter", query.filter));
        absl::StatusOr<ConsortiumReport> report = clustermatch::AssembleConsortium(engine, query);
        if (!report.ok()) {
          // The engine names the lead "lead_firm"; the request field is lead_firm_id.
          const std::string message(report.status().message());
          if (message.rfind("lead_firm:", 0) == 0) {
            return absl::Status(report.status().code(), "lead_firm_id" + message.substr(9));
          }
          return report.status();
        }
        VisibleMembers members(engine, call.access);
        *response = ConsortiumReportToProto(*report, std::ref(members));
        return absl::OkStatus();
      });
}

grpc::Status GroupServiceImpl::FormPurchasingPools(grpc::ServerContext* context,
                                                   const v1::FormPurchasingPoolsRequest* request,
                                                   v1::FormPurchasingPoolsResponse* response) {
  return RunCall(state_, context, "GroupService/FormPurchasingPools", Permission::kOrganise,
                 [&](const CallInfo& call) -> absl::Status {
                   const Engine& engine = *state_.engine;
                   CM_ASSIGN_OR_RETURN(PoolRequest query, PoolRequestFromProto(*request));
                   CM_RETURN_IF_ERROR(RestrictFilter(call.access, "filter", query.filter));
                   CM_ASSIGN_OR_RETURN(const PoolReport report,
                                       ProposePurchasingPools(engine, query));
                   VisibleMembers members(engine, call.access);
                   *response = PoolReportToProto(report, std::ref(members));
                   return absl::OkStatus();
                 });
}

}  // namespace clustermatch
