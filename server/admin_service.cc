#include "server/admin_service.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "engine/status_macros.h"
#include "server/api_key_secret.h"
#include "server/process_allocator.h"
#include "server/relation_proto_converter.h"

namespace clustermatch {
namespace {

// A new file name in the snapshot folder: clustermatch-20261122T154455Z.db,
// with -2, -3, ... when taken.
absl::StatusOr<std::string> NewSnapshotPath(const std::string& folder) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat("snapshot folder ", folder, ": ", error.message()));
  }
  const std::string stamp = absl::FormatTime("%Y%m%dT%H%M%SZ", absl::Now(), absl::UTCTimeZone());
  for (int n = 1; n < 1000; ++n) {
    const std::string name =
        absl::StrCat("clustermatch-", stamp, n == 1 ? "" : absl::StrCat("-", n), ".db");
    const std::filesystem::path path = std::filesystem::path(folder) / name;
    if (!std::filesystem::exists(path)) return path.string();
  }
  return absl::AlreadyExistsError("snapshot: too many snapshots this second");
}

// ApiKeyToProto (relation_proto_converter.h) plus the key's rate limit.
v1::ApiKey KeyToProto(const ApiKeyRecord& key) {
  v1::ApiKey proto = ApiKeyToProto(key);
  proto.set_rate_limit(key.rate_limit);
  proto.set_rate_burst(key.rate_burst);
  return proto;
}

}  // namespace

grpc::Status AdminServiceImpl::Train(grpc::ServerContext* context, const v1::TrainRequest*,
                                     v1::TrainResponse* response) {
  return RunCall(state_, context, "AdminService/Train", Permission::kAdmin,
                 [&](const CallInfo& call) -> absl::Status {
                   CM_RETURN_IF_ERROR(RequireUnlimitedAdmin(call.access, "Train"));
                   CM_ASSIGN_OR_RETURN(const int64_t version, state_.engine->Train(call.actor()));
                   response->set_model_version(version);
                   response->set_model(state_.engine->Stats().model);
                   return absl::OkStatus();
                 });
}

grpc::Status AdminServiceImpl::GetStats(grpc::ServerContext* context, const v1::GetStatsRequest*,
                                        v1::Stats* response) {
  return RunCall(state_, context, "AdminService/GetStats", Permission::kAdmin,
                 [&](const CallInfo&) -> absl::Status {
                   const EngineStats stats = state_.engine->Stats();
                   response->set_firms(static_cast<int64_t>(stats.firms));
                   response->set_relations(static_cast<int64_t>(stats.relations));
                   response->set_indexed(static_cast<int64_t>(stats.indexed));
                   response->set_model_version(stats.model_version);
                   response->set_model(stats.model);
                   response->set_schema_version(stats.schema_version);
                   v1::SparseCacheStats* cache = response->mutable_sparse_cache();
                   cache->set_firms(static_cast<int64_t>(stats.sparse_cache.firms));
                   cache->set_capacity(static_cast<int64_t>(stats.sparse_cache.capacity));
                   cache->set_hits(static_cast<int64_t>(stats.sparse_cache.hits));
                   cache->set_misses(static_cast<int64_t>(stats.sparse_cache.misses));
                   const ProcessMemory memory = CurrentProcessMemory();
                   v1::MemoryStats* out = response->mutable_memory();
                   out->set_allocator(ProcessAllocator());
                   out->set_heap_allocated_bytes(memory.heap_allocated_bytes);
                   out->set_heap_mapped_bytes(memory.heap_mapped_bytes);
                   out->set_rss_bytes(memory.rss_bytes);
                   return absl::OkStatus();
                 });
}

grpc::Status AdminServiceImpl::Snapshot(grpc::ServerContext* context, const v1::SnapshotRequest*,
                                        v1::SnapshotResponse* response) {
  return RunCall(state_, context, "AdminService/Snapshot", Permission::kAdmin,
                 [&](const CallInfo& call) -> absl::Status {
                   CM_RETURN_IF_ERROR(RequireUnlimitedAdmin(call.access, "Snapshot"));
                   CM_ASSIGN_OR_RETURN(const std::string path,
                                       NewSnapshotPath(state_.snapshot_dir));
                   CM_ASSIGN_OR_RETURN(const SnapshotInfo info, state_.engine->Snapshot(path));
                   response->set_path(info.path);
                   response->set_bytes(info.bytes);
                   response->set_created_at(info.created_at);
                   return absl::OkStatus();
                 });
}

grpc::Status AdminServiceImpl::CreateKey(grpc::ServerContext* context,
                                         const v1::CreateKeyRequest* request,
                                         v1::CreateKeyResponse* response) {
  return RunCall(state_, context, "AdminService/CreateKey", Permission::kAdmin,
                 [&](const CallInfo& call) -> absl::Status {
                   CM_RETURN_IF_ERROR(RequireUnlimitedAdmin(call.access, "CreateKey"));
                   ApiKeyRecord record;
                   CM_ASSIGN_OR_RETURN(record.role, KeyRoleFromProto(request->role()));
                   CM_ASSIGN_OR_RETURN(record.scope, KeyScopeFromProto(request->scope()));
                   record.cluster = request->cluster();
                   record.label = request->label();
                   if (record.label.size() > 256) {
                     return absl::InvalidArgumentError("label: at most 256 bytes");
                   }
                   if (record.cluster.size() > 256) {
                     return absl::InvalidArgumentError("cluster: at most 256 bytes");
                   }
                   record.rate_limit = request->rate_limit();
                   record.rate_burst = request->rate_burst();
                   CM_RETURN_IF_ERROR(ValidateKeyRateLimit(record.rate_limit, record.rate_burst,
                                                           "rate_limit", "rate_burst"));
                   CM_ASSIGN_OR_RETURN(const NewApiKey key, GenerateApiKey());
                   record.id = key.id;
                   record.secret_sha256 = key.secret_sha256;
                   record.created_at =
                       absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
                   CM_RETURN_IF_ERROR(state_.engine->AddApiKey(record, call.actor()));
                   state_.keys->Put(record);
                   *response->mutable_key() = KeyToProto(record);
                   response->set_secret(key.token);
                   return absl::OkStatus();
                 });
}

grpc::Status AdminServiceImpl::ListKeys(grpc::ServerContext* context, const v1::ListKeysRequest*,
                                        v1::ListKeysResponse* response) {
  return RunCall(state_, context, "AdminService/ListKeys", Permission::kAdmin,
                 [&](const CallInfo& call) -> absl::Status {
                   CM_RETURN_IF_ERROR(RequireUnlimitedAdmin(call.access, "ListKeys"));
                   CM_ASSIGN_OR_RETURN(const std::vector<ApiKeyRecord> keys,
                                       state_.engine->ListApiKeys());
                   for (const ApiKeyRecord& key : keys) *response->add_keys() = KeyToProto(key);
                   return absl::OkStatus();
                 });
}

grpc::Status AdminServiceImpl::RevokeKey(grpc::ServerContext* context,
                                         const v1::RevokeKeyRequest* request,
                                         v1::ApiKey* response) {
  return RunCall(state_, context, "AdminService/RevokeKey", Permission::kAdmin,
                 [&](const CallInfo& call) -> absl::Status {
                   CM_RETURN_IF_ERROR(RequireUnlimitedAdmin(call.access, "RevokeKey"));
                   if (request->id().empty()) return absl::InvalidArgumentError("id: required");
                   CM_ASSIGN_OR_RETURN(const ApiKeyRecord key,
                                       state_.engine->RevokeApiKey(request->id(), call.actor()));
                   state_.keys->Put(key);
                   *response = KeyToProto(key);
                   return absl::OkStatus();
                 });
}

}  // namespace clustermatch
