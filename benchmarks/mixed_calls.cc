// The load generator's mixed read/write scenario; see mixed_calls.h.
#include "benchmarks/mixed_calls.h"

#include <google/protobuf/empty.pb.h>

#include <string_view>
#include <utility>

#include "benchmarks/grpc_load_client.h"

namespace clustermatch {
namespace {

const std::string& Pick(const std::vector<std::string>& items, std::mt19937_64& random) {
  std::uniform_int_distribution<size_t> index(0, items.size() - 1);
  return items[index(random)];
}

}  // namespace

MixedCaller::MixedCaller(const std::shared_ptr<grpc::Channel>& channel,
                         const MixedWorkload& workload, std::string api_key, int k,
                         std::chrono::milliseconds deadline, std::string id_prefix, int own_firms)
    : workload_(workload),
      api_key_(std::move(api_key)),
      k_(k),
      deadline_(deadline),
      id_prefix_(std::move(id_prefix)),
      own_firms_(own_firms),
      firms_(v1::FirmService::NewStub(channel)),
      matching_(v1::MatchingService::NewStub(channel)),
      feedback_(v1::FeedbackService::NewStub(channel)) {}

void MixedCaller::Prepare(grpc::ClientContext& context) const {
  PrepareCall(context, api_key_, deadline_);
}

grpc::Status MixedCaller::CallOnce(grpc::CompletionQueue& queue, std::mt19937_64& random,
                                   const char** op) {
  const MixedShares& shares = workload_.shares;
  const int total = shares.recommend + shares.search + shares.get + shares.update +
                    shares.create_or_delete + shares.relations;
  int draw = std::uniform_int_distribution<int>(0, total - 1)(random);
  if ((draw -= shares.recommend) < 0) {
    *op = "recommend";
    return Recommend(queue, random);
  }
  if ((draw -= shares.search) < 0) {
    *op = "search";
    return Search(queue, random);
  }
  if ((draw -= shares.get) < 0) {
    *op = "get";
    return Get(queue, random);
  }
  if ((draw -= shares.update) < 0) {
    *op = "update";
    return Update(queue, random);
  }
  if ((draw -= shares.create_or_delete) < 0) {
    if (static_cast<int>(own_.size()) < own_firms_) {
      *op = "create";
      return Create(queue, random);
    }
    *op = "delete";
    return DeleteOldest(queue);
  }
  *op = "relations";
  return Relate(queue, random);
}

grpc::Status MixedCaller::Recommend(grpc::CompletionQueue& queue, std::mt19937_64& random) {
  grpc::ClientContext context;
  Prepare(context);
  v1::RecommendRequest request;
  request.set_firm_id(Pick(workload_.firm_ids, random));
  request.set_k(k_);
  v1::RecommendResponse response;
  auto reader = matching_->PrepareAsyncRecommend(&context, request, &queue);
  return Complete(queue, *reader, &response);
}

grpc::Status MixedCaller::Search(grpc::CompletionQueue& queue, std::mt19937_64& random) {
  grpc::ClientContext context;
  Prepare(context);
  v1::SearchRequest request;
  request.set_query(Pick(workload_.queries, random));
  request.set_k(k_);
  v1::SearchResponse response;
  auto reader = matching_->PrepareAsyncSearch(&context, request, &queue);
  return Complete(queue, *reader, &response);
}

grpc::Status MixedCaller::Get(grpc::CompletionQueue& queue, std::mt19937_64& random) {
  grpc::ClientContext context;
  Prepare(context);
  v1::GetFirmRequest request;
  request.set_id(Pick(workload_.firm_ids, random));
  v1::Firm response;
  auto reader = firms_->PrepareAsyncGetFirm(&context, request, &queue);
  return Complete(queue, *reader, &response);
}

grpc::Status MixedCaller::Update(grpc::CompletionQueue& queue, std::mt19937_64& random) {
  grpc::ClientContext context;
  Prepare(context);
  v1::UpdateFirmRequest request;
  request.mutable_firm()->set_id(Pick(workload_.firm_ids, random));
  request.mutable_firm()->set_description("Updated by the soak (" + std::to_string(++counter_) +
                                          "): " + Pick(workload_.phrases, random) + ".");
  request.mutable_update_mask()->add_paths("description");
  v1::Firm response;
  auto reader = firms_->PrepareAsyncUpdateFirm(&context, request, &queue);
  return Complete(queue, *reader, &response);
}

grpc::Status MixedCaller::Create(grpc::CompletionQueue& queue, std::mt19937_64& random) {
  grpc::ClientContext context;
  Prepare(context);
  const std::string id = id_prefix_ + std::to_string(++counter_);
  v1::CreateFirmRequest request;
  v1::Firm& firm = *request.mutable_firm();
  firm.set_id(id);
  firm.set_name("Soak firm " + id);
  firm.set_description("Made by the load generator's mixed scenario.");
  firm.set_kind(v1::FIRM_KIND_COMPANY);
  firm.add_clusters("G-Valley");
  firm.add_offers(Pick(workload_.phrases, random));
  firm.add_offers(Pick(workload_.phrases, random));
  firm.add_needs(Pick(workload_.queries, random));
  firm.set_region("Seoul Guro-gu");
  firm.set_employees(12);
  firm.set_founded(2020);
  firm.set_visibility(v1::VISIBILITY_PUBLIC);
  if (firm.offers(0) == firm.offers(1)) firm.mutable_offers()->RemoveLast();
  v1::Firm response;
  auto reader = firms_->PrepareAsyncCreateFirm(&context, request, &queue);
  grpc::Status status = Complete(queue, *reader, &response);
  if (status.ok()) own_.push_back(id);
  return status;
}

grpc::Status MixedCaller::DeleteOldest(grpc::CompletionQueue& queue) {
  grpc::ClientContext context;
  Prepare(context);
  v1::DeleteFirmRequest request;
  request.set_id(own_.front());
  // Whatever the answer, the firm is not tried again.
  own_.pop_front();
  google::protobuf::Empty response;
  auto reader = firms_->PrepareAsyncDeleteFirm(&context, request, &queue);
  return Complete(queue, *reader, &response);
}

grpc::Status MixedCaller::Relate(grpc::CompletionQueue& queue, std::mt19937_64& random) {
  grpc::ClientContext context;
  Prepare(context);
  v1::RecordRelationsRequest request;
  v1::Relation& relation = *request.add_relations();
  // From one of this caller's own firms when it has one: those are deleted
  // in turn, and their relations with them, so relations do not pile up and
  // the data set stays the same size for as long as the scenario runs.
  relation.set_firm_a(own_.empty() ? Pick(workload_.firm_ids, random) : own_.back());
  do {
    relation.set_firm_b(Pick(workload_.firm_ids, random));
  } while (relation.firm_b() == relation.firm_a() && workload_.firm_ids.size() > 1);
  relation.set_kind(v1::RELATION_KIND_MET);
  relation.set_date("2025-06-01");
  relation.set_context(id_prefix_ + "relation " + std::to_string(++counter_));
  v1::RecordRelationsResponse response;
  auto reader = feedback_->PrepareAsyncRecordRelations(&context, request, &queue);
  return Complete(queue, *reader, &response);
}

}  // namespace clustermatch
