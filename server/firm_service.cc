#include "server/firm_service.h"

#include <utility>

#include <google/protobuf/util/field_mask_util.h>

#include "absl/strings/str_cat.h"
#include "engine/firm_validation.h"
#include "engine/status_macros.h"
#include "server/firm_proto_converter.h"
#include "server/grpc_status.h"
#include "server/matching_proto_converter.h"
#include "server/page_token.h"

namespace clustermatch {
namespace {

using google::protobuf::util::FieldMaskUtil;

absl::StatusOr<Firm> FirmFromRequest(const v1::Firm& proto, std::string_view field) {
  absl::StatusOr<Firm> firm = FromProto(proto);
  if (!firm.ok()) return WithFieldPrefix(firm.status(), field);
  return firm;
}

absl::Status RequireId(const std::string& id, std::string_view field) {
  if (!id.empty()) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(std::string(field), ": required"));
}

// Checks the mask names Firm fields other than id; true when it means "every
// field" (empty or "*").
absl::StatusOr<bool> CheckMask(const google::protobuf::FieldMask& mask) {
  if (mask.paths_size() == 0 || (mask.paths_size() == 1 && mask.paths(0) == "*")) return true;
  const google::protobuf::Descriptor* descriptor = v1::Firm::descriptor();
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    const std::string where = absl::StrCat("update_mask.paths[", i, "]");
    if (path == "id") return absl::InvalidArgumentError(where + ": the id cannot be changed");
    if (descriptor->FindFieldByName(path) == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": Firm has no field \"", path, "\""));
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<Firm> VisibleFirm(const Engine& engine, const AccessScope& access,
                                 const std::string& id, std::string_view field) {
  absl::StatusOr<Firm> firm = engine.GetFirm(id);
  if (firm.ok() && CanSee(access, *firm)) return firm;
  if (firm.ok() || absl::IsNotFound(firm.status())) {
    return absl::NotFoundError(absl::StrCat(std::string(field), ": no firm \"", id, "\""));
  }
  return firm.status();
}

grpc::Status FirmServiceImpl::CreateFirm(grpc::ServerContext* context,
                                         const v1::CreateFirmRequest* request, v1::Firm* response) {
  return RunCall(state_, context, "FirmService/CreateFirm", Permission::kWrite,
                 [&](const CallInfo& call) -> absl::Status {
                   CM_ASSIGN_OR_RETURN(Firm firm, FirmFromRequest(request->firm(), "firm."));
                   CM_RETURN_IF_ERROR(CheckChange(call.access, nullptr, firm));
                   absl::StatusOr<Firm> created = state_.engine->CreateFirm(firm, call.actor());
                   if (!created.ok()) return WithFieldPrefix(created.status(), "firm.");
                   *response = ToProto(*created);
                   return absl::OkStatus();
                 });
}

grpc::Status FirmServiceImpl::UpdateFirm(grpc::ServerContext* context,
                                         const v1::UpdateFirmRequest* request, v1::Firm* response) {
  return RunCall(state_, context, "FirmService/UpdateFirm", Permission::kWrite,
                 [&](const CallInfo& call) -> absl::Status {
                   const std::string& id = request->firm().id();
                   CM_RETURN_IF_ERROR(RequireId(id, "firm.id"));
                   CM_ASSIGN_OR_RETURN(const bool whole, CheckMask(request->update_mask()));
                   auto change = [&](Firm& firm) -> absl::Status {
                     if (!CanSee(call.access, firm)) {
                       return absl::NotFoundError(absl::StrCat("firm.id: no firm \"", id, "\""));
                     }
                     v1::Firm merged = ToProto(firm);
                     if (whole) {
                       merged = request->firm();
                     } else {
                       FieldMaskUtil::MergeOptions options;
                       options.set_replace_repeated_fields(true);
                       FieldMaskUtil::MergeMessageTo(request->firm(), request->update_mask(),
                                                     options, &merged);
                     }
                     CM_ASSIGN_OR_RETURN(Firm after, FirmFromRequest(merged, "firm."));
                     CM_RETURN_IF_ERROR(WithFieldPrefix(ValidateFirm(after), "firm."));
                     CM_RETURN_IF_ERROR(CheckChange(call.access, &firm, after));
                     firm = std::move(after);
                     return absl::OkStatus();
                   };
                   absl::StatusOr<Firm> updated =
                       state_.engine->UpdateFirm(id, change, call.actor());
                   if (absl::IsNotFound(updated.status())) {
                     return absl::NotFoundError(absl::StrCat("firm.id: no firm \"", id, "\""));
                   }
                   if (!updated.ok()) return updated.status();
                   *response = ToProto(*updated);
                   return absl::OkStatus();
                 });
}

grpc::Status FirmServiceImpl::GetFirm(grpc::ServerContext* context,
                                      const v1::GetFirmRequest* request, v1::Firm* response) {
  return RunCall(state_, context, "FirmService/GetFirm", Permission::kRead,
                 [&](const CallInfo& call) -> absl::Status {
                   CM_RETURN_IF_ERROR(RequireId(request->id(), "id"));
                   CM_ASSIGN_OR_RETURN(const Firm firm, VisibleFirm(*state_.engine, call.access,
                                                                    request->id(), "id"));
                   *response = ToProto(firm);
                   return absl::OkStatus();
                 });
}

grpc::Status FirmServiceImpl::DeleteFirm(grpc::ServerContext* context,
                                         const v1::DeleteFirmRequest* request,
                                         google::protobuf::Empty*) {
  return RunCall(state_, context, "FirmService/DeleteFirm", Permission::kWrite,
                 [&](const CallInfo& call) -> absl::Status {
                   CM_RETURN_IF_ERROR(RequireId(request->id(), "id"));
                   CM_ASSIGN_OR_RETURN(const Firm firm, VisibleFirm(*state_.engine, call.access,
                                                                    request->id(), "id"));
                   CM_RETURN_IF_ERROR(CheckChange(call.access, &firm, firm));
                   return state_.engine->DeleteFirm(request->id(), call.actor());
                 });
}

grpc::Status FirmServiceImpl::ListFirms(grpc::ServerContext* context,
                                        const v1::ListFirmsRequest* request,
                                        v1::ListFirmsResponse* response) {
  return RunCall(
      state_, context, "FirmService/ListFirms", Permission::kRead,
      [&](const CallInfo& call) -> absl::Status {
        CM_ASSIGN_OR_RETURN(const int page_size, PageSize(request->page_size(), state_.limits));
        CM_ASSIGN_OR_RETURN(SearchFilter filter, FilterFromProto(request->filter(), "filter"));
        CM_RETURN_IF_ERROR(RestrictFilter(call.access, "filter", filter));
        const std::string fingerprint = RequestFingerprint(*request);
        CM_ASSIGN_OR_RETURN(const std::string after,
                            DecodePageToken(request->page_token(), fingerprint));
        auto keep = [&](const Firm& firm) {
          return CanSee(call.access, firm) && FirmPassesFilter(firm, filter);
        };
        std::vector<Firm> page =
            state_.engine->ListFirmsPage(after, static_cast<size_t>(page_size) + 1, keep);
        if (page.size() > static_cast<size_t>(page_size)) {
          page.resize(static_cast<size_t>(page_size));
          response->set_next_page_token(EncodePageToken(fingerprint, page.back().id));
        }
        for (Firm& firm : page) ToProto(std::move(firm), response->add_firms());
        return absl::OkStatus();
      });
}

grpc::Status FirmServiceImpl::ImportFirms(grpc::ServerContext* context,
                                          grpc::ServerReader<v1::ImportFirmsRequest>* reader,
                                          v1::ImportFirmsResponse* response) {
  return RunCall(
      state_, context, "FirmService/ImportFirms", Permission::kWrite,
      [&](const CallInfo& call) -> absl::Status {
        std::vector<Firm> firms;
        absl::flat_hash_map<std::string, std::string> seen;  // id -> where it came first
        v1::ImportFirmsRequest message;
        for (int m = 0; reader->Read(&message); ++m) {
          if (context->IsCancelled()) return absl::CancelledError("import cancelled");
          const std::string where = absl::StrCat("messages[", m, "].firms");
          if (message.firms_size() > state_.limits.max_batch) {
            return absl::ResourceExhaustedError(
                absl::StrCat(where, ": at most ", state_.limits.max_batch,
                             " firms per message, got ", message.firms_size()));
          }
          if (firms.size() + static_cast<size_t>(message.firms_size()) >
              static_cast<size_t>(state_.limits.max_import_firms)) {
            return absl::ResourceExhaustedError(absl::StrCat(
                "firms: at most ", state_.limits.max_import_firms, " firms per import stream"));
          }
          for (int i = 0; i < message.firms_size(); ++i) {
            const std::string prefix = absl::StrCat(where, "[", i, "].");
            CM_ASSIGN_OR_RETURN(Firm firm, FirmFromRequest(message.firms(i), prefix));
            CM_RETURN_IF_ERROR(WithFieldPrefix(ValidateFirm(firm), prefix));
            absl::StatusOr<Firm> before = state_.engine->GetFirm(firm.id);
            if (before.ok() && !CanSee(call.access, *before)) {
              return absl::PermissionDeniedError(
                  absl::StrCat(prefix, "id: this key may not change firm \"", firm.id, "\""));
            }
            CM_RETURN_IF_ERROR(WithFieldPrefix(
                CheckChange(call.access, before.ok() ? &*before : nullptr, firm), prefix));
            auto [first, inserted] = seen.try_emplace(firm.id, absl::StrCat(where, "[", i, "]"));
            if (!inserted) {
              return absl::InvalidArgumentError(
                  absl::StrCat(prefix, "id: \"", firm.id, "\" repeats ", first->second));
            }
            firms.push_back(std::move(firm));
          }
        }
        CM_ASSIGN_OR_RETURN(const ImportSummary summary,
                            state_.engine->ImportFirms(firms, call.actor()));
        response->set_created(static_cast<int32_t>(summary.created));
        response->set_updated(static_cast<int32_t>(summary.updated));
        response->set_retrained(summary.retrained);
        response->set_model_version(summary.model_version);
        return absl::OkStatus();
      });
}

}  // namespace clustermatch
