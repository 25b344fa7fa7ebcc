#include "server/group_service.h"

#include <memory>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "engine/access_policy.h"
#include "engine/status_macros.h"
#include "server/event_proto_converter.h"
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

// The body every group RPC shares: the converted request's filter narrowed
// to the caller's scope, the workflow, and a response holding only members
// the caller may see.
template <typename Query, typename Workflow, typename ToProto, typename Response>
absl::Status RunWorkflow(const Engine& engine, const CallInfo& call, absl::StatusOr<Query> query,
                         Workflow workflow, ToProto to_proto, Response* response) {
  if (!query.ok()) return query.status();
  CM_RETURN_IF_ERROR(RestrictFilter(call.access, "filter", query->filter));
  auto report = workflow(engine, *query);
  if (!report.ok()) return report.status();
  VisibleMembers members(engine, call.access);
  *response = to_proto(*report, std::ref(members));
  return absl::OkStatus();
}

// The consortium workflow, its lead named as the request field names it.
absl::StatusOr<ConsortiumReport> Consortium(const Engine& engine, const ConsortiumRequest& query) {
  absl::StatusOr<ConsortiumReport> report = AssembleConsortium(engine, query);
  const std::string message(report.status().message());
  if (!report.ok() && message.rfind("lead_firm:", 0) == 0) {
    return absl::Status(report.status().code(), "lead_firm_id" + message.substr(9));
  }
  return report;
}

}  // namespace

grpc::Status GroupServiceImpl::SuggestSigs(grpc::ServerContext* context,
                                           const v1::SuggestSigsRequest* request,
                                           v1::SuggestSigsResponse* response) {
  return RunCall(state_, context, "GroupService/SuggestSigs", Permission::kOrganise,
                 [&](const CallInfo& call) {
                   return RunWorkflow(*state_.engine, call, SigRequestFromProto(*request),
                                      clustermatch::SuggestSigs, SigReportToProto, response);
                 });
}

grpc::Status GroupServiceImpl::ProposeFounders(grpc::ServerContext* context,
                                               const v1::ProposeFoundersRequest* request,
                                               v1::ProposeFoundersResponse* response) {
  return RunCall(
      state_, context, "GroupService/ProposeFounders", Permission::kOrganise,
      [&](const CallInfo& call) -> absl::Status {
        CM_RETURN_IF_ERROR(CheckTextSize(request->topic(), "topic", state_.limits.max_query_bytes));
        CM_ASSIGN_OR_RETURN(const Language language, LanguageFromProto(request->language()));
        auto to_proto = [language](const FounderReport& report, const FirmLookup& firm) {
          return FounderReportToProto(report, firm, language);
        };
        return RunWorkflow(*state_.engine, call, FounderRequestFromProto(*request),
                           clustermatch::ProposeFounders, to_proto, response);
      });
}

grpc::Status GroupServiceImpl::AssembleConsortium(grpc::ServerContext* context,
                                                  const v1::AssembleConsortiumRequest* request,
                                                  v1::AssembleConsortiumResponse* response) {
  return RunCall(
      state_, context, "GroupService/AssembleConsortium", Permission::kOrganise,
      [&](const CallInfo& call) -> absl::Status {
        CM_RETURN_IF_ERROR(CheckTextSize(request->call_text(), "call_text",
                                         kTextLimitFactor * state_.limits.max_query_bytes));
        for (int i = 0; i < request->capabilities_size(); ++i) {
          CM_RETURN_IF_ERROR(CheckTextSize(request->capabilities(i),
                                           absl::StrCat("capabilities[", i, "]"),
                                           state_.limits.max_query_bytes));
        }
        CM_ASSIGN_OR_RETURN(const Language language, LanguageFromProto(request->language()));
        auto to_proto = [language](const ConsortiumReport& report, const FirmLookup& firm) {
          return ConsortiumReportToProto(report, firm, language);
        };
        return RunWorkflow(*state_.engine, call, ConsortiumRequestFromProto(*request), Consortium,
                           to_proto, response);
      });
}

grpc::Status GroupServiceImpl::FormPurchasingPools(grpc::ServerContext* context,
                                                   const v1::FormPurchasingPoolsRequest* request,
                                                   v1::FormPurchasingPoolsResponse* response) {
  return RunCall(state_, context, "GroupService/FormPurchasingPools", Permission::kOrganise,
                 [&](const CallInfo& call) {
                   return RunWorkflow(*state_.engine, call, PoolRequestFromProto(*request),
                                      ProposePurchasingPools, PoolReportToProto, response);
                 });
}

}  // namespace clustermatch
