#include "server/feedback_service.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/status_macros.h"
#include "server/firm_service.h"
#include "server/grpc_status.h"
#include "server/page_token.h"
#include "server/relation_proto_converter.h"

namespace clustermatch {
namespace {

absl::StatusOr<Relation> RelationFromRequest(const Engine& engine, const AccessScope& access,
                                             const v1::Relation& proto, const std::string& prefix) {
  for (const auto& [field, id] :
       {std::pair{"firm_a", &proto.firm_a()}, {"firm_b", &proto.firm_b()}}) {
    if (id->empty()) return absl::InvalidArgumentError(absl::StrCat(prefix, field, ": required"));
    CM_RETURN_IF_ERROR(VisibleFirm(engine, access, *id, prefix + field).status());
  }
  if (proto.firm_a() == proto.firm_b()) {
    return absl::InvalidArgumentError(prefix + "firm_b: must differ from firm_a");
  }
  absl::StatusOr<Relation> relation = RelationFromProto(proto);
  if (!relation.ok()) return WithFieldPrefix(relation.status(), prefix);
  if (relation->date.empty()) relation->date = TodayInSeoul();
  return relation;
}

}  // namespace

std::string TodayInSeoul() {
  absl::TimeZone seoul;
  // Korea has kept UTC+9 without daylight saving since 1988: a fixed zone is
  // exact when the time zone database is missing.
  if (!absl::LoadTimeZone("Asia/Seoul", &seoul)) seoul = absl::FixedTimeZone(9 * 3600);
  return absl::FormatTime("%Y-%m-%d", absl::Now(), seoul);
}

grpc::Status FeedbackServiceImpl::RecordRelations(grpc::ServerContext* context,
                                                  const v1::RecordRelationsRequest* request,
                                                  v1::RecordRelationsResponse* response) {
  return RunCall(state_, context, "FeedbackService/RecordRelations", Permission::kWrite,
                 [&](const CallInfo& call) -> absl::Status {
                   if (request->relations_size() == 0) {
                     return absl::InvalidArgumentError("relations: give at least one relation");
                   }
                   if (request->relations_size() > state_.limits.max_batch) {
                     return absl::ResourceExhaustedError(
                         absl::StrCat("relations: at most ", state_.limits.max_batch,
                                      " per call, got ", request->relations_size()));
                   }
                   std::vector<Relation> relations;
                   for (int i = 0; i < request->relations_size(); ++i) {
                     CM_ASSIGN_OR_RETURN(
                         Relation relation,
                         RelationFromRequest(*state_.engine, call.access, request->relations(i),
                                             absl::StrCat("relations[", i, "].")));
                     relations.push_back(std::move(relation));
                   }
                   CM_RETURN_IF_ERROR(state_.engine->AddRelations(relations, call.actor()));
                   response->set_recorded(static_cast<int32_t>(relations.size()));
                   return absl::OkStatus();
                 });
}

grpc::Status FeedbackServiceImpl::ListRelations(grpc::ServerContext* context,
                                                const v1::ListRelationsRequest* request,
                                                v1::ListRelationsResponse* response) {
  return RunCall(
      state_, context, "FeedbackService/ListRelations", Permission::kRead,
      [&](const CallInfo& call) -> absl::Status {
        const Engine& engine = *state_.engine;
        CM_ASSIGN_OR_RETURN(const int page_size, PageSize(request->page_size(), state_.limits));
        if (!request->firm_id().empty()) {
          CM_RETURN_IF_ERROR(
              VisibleFirm(engine, call.access, request->firm_id(), "firm_id").status());
        }
        std::vector<RelationKind> kinds;
        for (int i = 0; i < request->kinds_size(); ++i) {
          absl::StatusOr<RelationKind> kind = RelationKindFromProto(request->kinds(i));
          if (!kind.ok()) {
            return absl::InvalidArgumentError(
                absl::StrCat("kinds[", i, "]: unknown relation kind ", request->kinds(i)));
          }
          kinds.push_back(*kind);
        }
        // The cursor is an offset into the firm's relations, which only grow.
        const std::string fingerprint = RequestFingerprint(*request);
        CM_ASSIGN_OR_RETURN(const std::string cursor,
                            DecodePageToken(request->page_token(), fingerprint));
        size_t offset = 0;
        if (!cursor.empty()) {
          auto [end, error] = std::from_chars(cursor.data(), cursor.data() + cursor.size(), offset);
          if (error != std::errc() || end != cursor.data() + cursor.size()) {
            return absl::InvalidArgumentError("page_token: malformed cursor");
          }
        }
        const std::vector<Relation> relations = engine.ListRelations(request->firm_id());
        // Visibility is judged once per firm id in this call.
        absl::flat_hash_map<std::string, bool> visible;
        auto can_see = [&](const std::string& id) {
          auto [it, inserted] = visible.try_emplace(id, false);
          if (inserted) {
            absl::StatusOr<Firm> firm = engine.GetFirm(id);
            it->second = firm.ok() && CanSee(call.access, *firm);
          }
          return it->second;
        };
        size_t i = offset;
        for (; i < relations.size(); ++i) {
          const Relation& relation = relations[i];
          if (!kinds.empty() &&
              std::find(kinds.begin(), kinds.end(), relation.kind) == kinds.end()) {
            continue;
          }
          if (!can_see(relation.a) || !can_see(relation.b)) continue;
          if (response->relations_size() == page_size) {
            response->set_next_page_token(EncodePageToken(fingerprint, std::to_string(i)));
            break;
          }
          *response->add_relations() = RelationToProto(relation);
        }
        return absl::OkStatus();
      });
}

}  // namespace clustermatch
