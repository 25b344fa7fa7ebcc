#include "server/matching_service.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"
#include "server/firm_proto_converter.h"
#include "server/firm_service.h"
#include "server/grpc_status.h"
#include "server/matching_proto_converter.h"

namespace clustermatch {
namespace {

// Copies results the caller may see into `out`, each with its profile.
void AddResults(const Engine& engine, const AccessScope& access,
                const std::vector<Recommendation>& results, bool with_explanation,
                google::protobuf::RepeatedPtrField<v1::Recommendation>* out) {
  for (const Recommendation& result : results) {
    absl::StatusOr<Firm> firm = engine.GetFirm(result.firm_id);
    if (!firm.ok() || !CanSeeInResults(access, *firm)) continue;  // deleted meanwhile, or hidden
    v1::Recommendation* proto = out->Add();
    *proto = RecommendationToProto(result, with_explanation);
    ToProto(*std::move(firm), proto->mutable_firm());
  }
}

absl::Status SetQuery(const Engine& engine, const AccessScope& access,
                      const v1::RecommendRequest& request, RecommendRequest& query) {
  switch (request.query_case()) {
    case v1::RecommendRequest::kFirmId: {
      if (request.firm_id().empty()) return absl::InvalidArgumentError("firm_id: required");
      CM_ASSIGN_OR_RETURN(const Firm firm,
                          VisibleFirm(engine, access, request.firm_id(), "firm_id"));
      query.firm_id = firm.id;
      return absl::OkStatus();
    }
    case v1::RecommendRequest::kProfile: {
      absl::StatusOr<Firm> profile = FromProto(request.profile());
      if (!profile.ok()) return WithFieldPrefix(profile.status(), "profile.");
      if (!profile->id.empty() && engine.GetFirm(profile->id).ok()) {
        absl::Status visible = VisibleFirm(engine, access, profile->id, "profile.id").status();
        if (!visible.ok()) return visible;
      }
      query.profile = *std::move(profile);
      return absl::OkStatus();
    }
    case v1::RecommendRequest::QUERY_NOT_SET:
      break;
  }
  return absl::InvalidArgumentError("query: give firm_id or profile");
}

}  // namespace

grpc::Status MatchingServiceImpl::Recommend(grpc::ServerContext* context,
                                            const v1::RecommendRequest* request,
                                            v1::RecommendResponse* response) {
  return RunCall(
      state_, context, "MatchingService/Recommend", Permission::kRead,
      [&](const CallInfo& call) -> absl::Status {
        const Engine& engine = *state_.engine;
        RecommendRequest query;
        CM_RETURN_IF_ERROR(SetQuery(engine, call.access, *request, query));
        CM_ASSIGN_OR_RETURN(query.k, ResultCount(request->has_k(), request->k(), state_.limits));
        CM_ASSIGN_OR_RETURN(query.intent, IntentFromProto(request->intent()));
        CM_ASSIGN_OR_RETURN(query.cross_cluster, CrossClusterFromProto(request->cross_cluster()));
        CM_ASSIGN_OR_RETURN(query.filter, FilterFromProto(request->filter(), "filter"));
        CM_RETURN_IF_ERROR(RestrictFilter(call.access, "filter", query.filter));
        query.explain = !request->omit_explanations();
        CM_ASSIGN_OR_RETURN(const std::vector<Recommendation> results, engine.Recommend(query));
        AddResults(engine, call.access, results, !request->omit_explanations(),
                   response->mutable_recommendations());
        response->set_model_version(engine.ModelVersion());
        return absl::OkStatus();
      });
}

grpc::Status MatchingServiceImpl::Search(grpc::ServerContext* context,
                                         const v1::SearchRequest* request,
                                         v1::SearchResponse* response) {
  return RunCall(
      state_, context, "MatchingService/Search", Permission::kRead,
      [&](const CallInfo& call) -> absl::Status {
        const Engine& engine = *state_.engine;
        if (request->query().size() > state_.limits.max_query_bytes) {
          return absl::ResourceExhaustedError(
              absl::StrCat("query: at most ", state_.limits.max_query_bytes, " bytes, got ",
                           request->query().size()));
        }
        if (request->query().empty()) return absl::InvalidArgumentError("query: required");
        SearchRequest query;
        query.text = request->query();
        CM_ASSIGN_OR_RETURN(query.k, ResultCount(request->has_k(), request->k(), state_.limits));
        CM_ASSIGN_OR_RETURN(query.filter, FilterFromProto(request->filter(), "filter"));
        CM_RETURN_IF_ERROR(RestrictFilter(call.access, "filter", query.filter));
        query.explain = !request->omit_explanations();
        CM_ASSIGN_OR_RETURN(const std::vector<Recommendation> results, engine.Search(query));
        AddResults(engine, call.access, results, !request->omit_explanations(),
                   response->mutable_results());
        response->set_model_version(engine.ModelVersion());
        return absl::OkStatus();
      });
}

}  // namespace clustermatch
