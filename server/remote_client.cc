#include "server/remote_client.h"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/strings/str_cat.h"
#include "clustermatch/v1/admin_service.grpc.pb.h"
#include "clustermatch/v1/feedback_service.grpc.pb.h"
#include "clustermatch/v1/firm_service.grpc.pb.h"
#include "clustermatch/v1/matching_service.grpc.pb.h"
#include "engine/status_macros.h"
#include "server/firm_proto_converter.h"
#include "server/grpc_status.h"
#include "server/matching_proto_converter.h"
#include "server/read_file.h"
#include "server/relation_proto_converter.h"

namespace clustermatch {
namespace {

constexpr int kImportBatch = 500;
constexpr size_t kRelationBatch = 1000;  // the server's per-call limit

absl::StatusOr<RemoteResults> Collect(
    const google::protobuf::RepeatedPtrField<v1::Recommendation>& protos) {
  RemoteResults out;
  for (const v1::Recommendation& proto : protos) {
    out.results.push_back(RecommendationFromProto(proto));
    CM_ASSIGN_OR_RETURN(Firm firm, FromProto(proto.firm()));
    out.firms.emplace(proto.firm_id(), std::move(firm));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RemoteClient>> RemoteClient::Connect(const RemoteOptions& o) {
  if (o.api_key.empty()) {
    return absl::InvalidArgumentError(
        "--api-key: required with --server (or set CLUSTERMATCH_API_KEY)");
  }
  std::shared_ptr<grpc::ChannelCredentials> credentials = grpc::InsecureChannelCredentials();
  if (!o.tls_ca.empty() || !o.tls_cert.empty()) {
    grpc::SslCredentialsOptions ssl;
    if (!o.tls_ca.empty()) {
      CM_ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadFileBytes(o.tls_ca));
    }
    if (!o.tls_cert.empty()) {
      CM_ASSIGN_OR_RETURN(ssl.pem_cert_chain, ReadFileBytes(o.tls_cert));
      CM_ASSIGN_OR_RETURN(ssl.pem_private_key, ReadFileBytes(o.tls_key));
    }
    credentials = grpc::SslCredentials(ssl);
  }
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(64 << 20);
  return std::make_unique<RemoteClient>(
      grpc::CreateCustomChannel(o.address, credentials, arguments), o.api_key, o.timeout);
}

RemoteClient::RemoteClient(std::shared_ptr<grpc::Channel> channel, std::string api_key,
                           absl::Duration timeout)
    : channel_(std::move(channel)), api_key_(std::move(api_key)), timeout_(timeout) {}

namespace {

void Prepare(grpc::ClientContext& context, const std::string& api_key, absl::Duration timeout) {
  context.AddMetadata("authorization", "Bearer " + api_key);
  context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
}

}  // namespace

absl::StatusOr<ImportSummary> RemoteClient::ImportFirms(std::span<const Firm> firms) {
  auto stub = v1::FirmService::NewStub(channel_);
  grpc::ClientContext context;
  Prepare(context, api_key_, timeout_);
  v1::ImportFirmsResponse response;
  auto writer = stub->ImportFirms(&context, &response);
  for (size_t start = 0; start < firms.size(); start += kImportBatch) {
    v1::ImportFirmsRequest message;
    const size_t end = std::min(firms.size(), start + kImportBatch);
    for (size_t i = start; i < end; ++i) *message.add_firms() = ToProto(firms[i]);
    if (!writer->Write(message)) break;  // the server ended the call: Finish says why
  }
  writer->WritesDone();
  CM_RETURN_IF_ERROR(FromGrpcStatus(writer->Finish()));
  return ImportSummary{static_cast<size_t>(response.created()),
                       static_cast<size_t>(response.updated()), response.retrained(),
                       response.model_version()};
}

absl::StatusOr<Firm> RemoteClient::GetFirm(const std::string& id) {
  auto stub = v1::FirmService::NewStub(channel_);
  grpc::ClientContext context;
  Prepare(context, api_key_, timeout_);
  v1::GetFirmRequest request;
  request.set_id(id);
  v1::Firm response;
  CM_RETURN_IF_ERROR(FromGrpcStatus(stub->GetFirm(&context, request, &response)));
  return FromProto(response);
}

absl::Status RemoteClient::DeleteFirm(const std::string& id) {
  auto stub = v1::FirmService::NewStub(channel_);
  grpc::ClientContext context;
  Prepare(context, api_key_, timeout_);
  v1::DeleteFirmRequest request;
  request.set_id(id);
  google::protobuf::Empty response;
  return FromGrpcStatus(stub->DeleteFirm(&context, request, &response));
}

absl::Status RemoteClient::RecordRelations(std::span<const Relation> relations) {
  auto stub = v1::FeedbackService::NewStub(channel_);
  for (size_t start = 0; start < relations.size(); start += kRelationBatch) {
    grpc::ClientContext context;
    Prepare(context, api_key_, timeout_);
    v1::RecordRelationsRequest request;
    for (const Relation& relation :
         relations.subspan(start, std::min(kRelationBatch, relations.size() - start))) {
      *request.add_relations() = RelationToProto(relation);
    }
    v1::RecordRelationsResponse response;
    absl::Status status = FromGrpcStatus(stub->RecordRelations(&context, request, &response));
    if (!status.ok() && start > 0) {
      return absl::Status(status.code(), absl::StrCat("after ", start, " relations were recorded: ",
                                                      std::string(status.message())));
    }
    CM_RETURN_IF_ERROR(status);
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Firm>> RemoteClient::ListFirms() {
  auto stub = v1::FirmService::NewStub(channel_);
  std::vector<Firm> firms;
  v1::ListFirmsRequest request;
  request.set_page_size(1000);
  do {
    grpc::ClientContext context;
    Prepare(context, api_key_, timeout_);
    v1::ListFirmsResponse response;
    CM_RETURN_IF_ERROR(FromGrpcStatus(stub->ListFirms(&context, request, &response)));
    for (const v1::Firm& proto : response.firms()) {
      CM_ASSIGN_OR_RETURN(Firm firm, FromProto(proto));
      firms.push_back(std::move(firm));
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return firms;
}

absl::StatusOr<RemoteResults> RemoteClient::Recommend(const RecommendRequest& query) {
  auto stub = v1::MatchingService::NewStub(channel_);
  grpc::ClientContext context;
  Prepare(context, api_key_, timeout_);
  v1::RecommendRequest request;
  if (query.profile.has_value()) {
    *request.mutable_profile() = ToProto(*query.profile);
  } else {
    request.set_firm_id(query.firm_id);
  }
  request.set_intent(IntentToProto(query.intent));
  request.set_k(query.k);
  *request.mutable_filter() = FilterToProto(query.filter);
  request.set_cross_cluster(CrossClusterToProto(query.cross_cluster));
  v1::RecommendResponse response;
  CM_RETURN_IF_ERROR(FromGrpcStatus(stub->Recommend(&context, request, &response)));
  return Collect(response.recommendations());
}

absl::StatusOr<RemoteResults> RemoteClient::Search(const SearchRequest& query) {
  auto stub = v1::MatchingService::NewStub(channel_);
  grpc::ClientContext context;
  Prepare(context, api_key_, timeout_);
  v1::SearchRequest request;
  request.set_query(query.text);
  request.set_k(query.k);
  *request.mutable_filter() = FilterToProto(query.filter);
  v1::SearchResponse response;
  CM_RETURN_IF_ERROR(FromGrpcStatus(stub->Search(&context, request, &response)));
  return Collect(response.results());
}

absl::StatusOr<RemoteStats> RemoteClient::GetStats() {
  auto stub = v1::AdminService::NewStub(channel_);
  grpc::ClientContext context;
  Prepare(context, api_key_, timeout_);
  v1::Stats response;
  CM_RETURN_IF_ERROR(FromGrpcStatus(stub->GetStats(&context, v1::GetStatsRequest(), &response)));
  RemoteStats stats;
  stats.engine.firms = static_cast<size_t>(response.firms());
  stats.engine.relations = static_cast<size_t>(response.relations());
  stats.engine.indexed = static_cast<size_t>(response.indexed());
  stats.engine.model_version = response.model_version();
  stats.engine.model = response.model();
  stats.engine.schema_version = response.schema_version();
  stats.engine.sparse_cache.firms = static_cast<size_t>(response.sparse_cache().firms());
  stats.engine.sparse_cache.capacity = static_cast<size_t>(response.sparse_cache().capacity());
  stats.engine.sparse_cache.hits = static_cast<uint64_t>(response.sparse_cache().hits());
  stats.engine.sparse_cache.misses = static_cast<uint64_t>(response.sparse_cache().misses());
  stats.allocator = response.memory().allocator();
  stats.memory.heap_allocated_bytes = response.memory().heap_allocated_bytes();
  stats.memory.heap_mapped_bytes = response.memory().heap_mapped_bytes();
  stats.memory.rss_bytes = response.memory().rss_bytes();
  return stats;
}

}  // namespace clustermatch
