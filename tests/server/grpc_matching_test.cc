// MatchingService and FeedbackService over gRPC against the engine itself:
// Recommend returns exactly what Engine::Recommend does (ids, scores,
// explanations), an inline profile matches like the stored firm, recorded
// feedback takes effect on the very next call, explanations can be left out,
// and every result carries the proposed firm's profile.
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "engine/sample_cluster.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/firm_proto_converter.h"
#include "server/matching_proto_converter.h"
#include "server/process_allocator.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::google::protobuf::util::MessageDifferencer;

std::string Diff(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  std::string report;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&report);
  differencer.Compare(a, b);
  return report;
}

// The sample cluster, with its hidden and members-only firms.
class GrpcMatchingTest : public GrpcTest {
 protected:
  EnvOptions Options() override {
    EnvOptions options;
    options.firms = GenerateSampleCluster(SampleOptions{.firms = 200, .seed = 3});
    options.relations.clear();
    return options;
  }

  // `n` public firms with needs, spread over the sample (every 17th).
  std::vector<std::string> PublicIds(size_t n) {
    std::vector<std::string> ids;
    int seen = 0;
    for (const Firm& firm : env().engine().ListFirms()) {
      if (firm.visibility != Visibility::kPublic || firm.needs.empty()) continue;
      if (seen++ % 17 == 0 && ids.size() < n) ids.push_back(firm.id);
    }
    return ids;
  }

  v1::Stats StatsOk() {
    v1::Stats stats;
    const grpc::Status status =
        env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::GetStats,
                   v1::GetStatsRequest(), &stats);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return stats;
  }

  v1::RecommendResponse RecommendOk(const v1::RecommendRequest& request,
                                    const std::string& key = "reader_members") {
    v1::RecommendResponse response;
    const grpc::Status status = env().Call(
        Token(key), env().matching(), &v1::MatchingService::Stub::Recommend, request, &response);
    EXPECT_TRUE(status.ok()) << request.ShortDebugString() << ": " << Describe(status);
    return response;
  }

  // Checks a gRPC response against the engine's results for the same
  // request: same ids in the same order, same scores and explanations, and
  // each firm's stored profile.
  void ExpectSameAsEngine(const google::protobuf::RepeatedPtrField<v1::Recommendation>& got,
                          const std::vector<Recommendation>& want, bool with_explanation) {
    ASSERT_EQ(got.size(), static_cast<int>(want.size()));
    for (int i = 0; i < got.size(); ++i) {
      SCOPED_TRACE("result " + std::to_string(i));
      v1::Recommendation without_firm = got[i];
      without_firm.clear_firm();
      const v1::Recommendation expected = RecommendationToProto(want[i], with_explanation);
      EXPECT_EQ(got[i].firm_id(), want[i].firm_id);
      EXPECT_EQ(got[i].score(), want[i].score);
      EXPECT_TRUE(MessageDifferencer::Equals(without_firm, expected))
          << Diff(without_firm, expected);
      EXPECT_EQ(got[i].has_explanation(), with_explanation);
      const absl::StatusOr<Firm> firm = env().engine().GetFirm(want[i].firm_id);
      ASSERT_TRUE(firm.ok());
      EXPECT_TRUE(MessageDifferencer::Equals(got[i].firm(), ToProto(*firm)))
          << Diff(got[i].firm(), ToProto(*firm));
    }
  }

  grpc::Status RecordRelation(const std::string& a, const std::string& b, v1::RelationKind kind) {
    v1::RecordRelationsRequest request;
    v1::Relation* relation = request.add_relations();
    relation->set_firm_a(a);
    relation->set_firm_b(b);
    relation->set_kind(kind);
    v1::RecordRelationsResponse response;
    const grpc::Status status =
        env().Call(Token("writer_members"), env().feedback(),
                   &v1::FeedbackService::Stub::RecordRelations, request, &response);
    if (status.ok()) {
      EXPECT_EQ(response.recorded(), 1);
    }
    return status;
  }
};

TEST_F(GrpcMatchingTest, RecommendEqualsEngineRecommendForSeveralFirmsAndIntents) {
  const std::vector<std::string> ids = PublicIds(6);
  ASSERT_EQ(ids.size(), 6u);
  struct Intent {
    v1::MatchIntent proto;
    MatchIntent engine;
  };
  int compared = 0;
  for (const std::string& id : ids) {
    for (const Intent intent : {Intent{v1::MATCH_INTENT_UNSPECIFIED, MatchIntent::kPartner},
                                Intent{v1::MATCH_INTENT_PARTNER, MatchIntent::kPartner},
                                Intent{v1::MATCH_INTENT_PEER, MatchIntent::kPeer},
                                Intent{v1::MATCH_INTENT_PURCHASING, MatchIntent::kPurchasing}}) {
      SCOPED_TRACE(id + " intent " + std::to_string(intent.proto));
      v1::RecommendRequest request;
      request.set_firm_id(id);
      request.set_intent(intent.proto);
      request.set_k(15);
      RecommendRequest engine_request;
      engine_request.firm_id = id;
      engine_request.intent = intent.engine;
      engine_request.k = 15;
      const absl::StatusOr<std::vector<Recommendation>> want =
          env().engine().Recommend(engine_request);
      ASSERT_TRUE(want.ok()) << want.status();
      const v1::RecommendResponse got = RecommendOk(request);
      ExpectSameAsEngine(got.recommendations(), *want, true);
      EXPECT_EQ(got.model_version(), env().engine().Stats().model_version);
      compared += got.recommendations_size();
    }
  }
  EXPECT_GT(compared, 100);
}

TEST_F(GrpcMatchingTest, RecommendWithFilterAndCrossClusterEqualsEngine) {
  const std::string id = PublicIds(1).front();
  v1::RecommendRequest request;
  request.set_firm_id(id);
  request.set_k(20);
  request.set_cross_cluster(v1::CROSS_CLUSTER_BOOST);
  request.mutable_filter()->add_kinds(v1::FIRM_KIND_COMPANY);
  request.mutable_filter()->add_exclude_mini_clusters("Green IT");
  RecommendRequest engine_request;
  engine_request.firm_id = id;
  engine_request.k = 20;
  engine_request.cross_cluster = CrossCluster::kBoost;
  engine_request.filter.kinds = {FirmKind::kCompany};
  engine_request.filter.mini_clusters_none = {"Green IT"};
  const absl::StatusOr<std::vector<Recommendation>> want = env().engine().Recommend(engine_request);
  ASSERT_TRUE(want.ok()) << want.status();
  ASSERT_FALSE(want->empty());
  ExpectSameAsEngine(RecommendOk(request).recommendations(), *want, true);

  request.set_cross_cluster(v1::CROSS_CLUSTER_OTHER_MINI_CLUSTER);
  engine_request.cross_cluster = CrossCluster::kOtherMiniCluster;
  const absl::StatusOr<std::vector<Recommendation>> other =
      env().engine().Recommend(engine_request);
  ASSERT_TRUE(other.ok()) << other.status();
  ExpectSameAsEngine(RecommendOk(request).recommendations(), *other, true);
}

TEST_F(GrpcMatchingTest, SearchEqualsEngineSearch) {
  for (const std::string& text :
       std::vector<std::string>{"PCB 조립", "distribution in Japan", "injection moulds"}) {
    SCOPED_TRACE(text);
    v1::SearchRequest request;
    request.set_query(text);
    request.set_k(12);
    SearchRequest engine_request;
    engine_request.text = text;
    engine_request.k = 12;
    const absl::StatusOr<std::vector<Recommendation>> want = env().engine().Search(engine_request);
    ASSERT_TRUE(want.ok()) << want.status();
    v1::SearchResponse got;
    const grpc::Status status = env().Call(Token("reader_members"), env().matching(),
                                           &v1::MatchingService::Stub::Search, request, &got);
    ASSERT_TRUE(status.ok()) << Describe(status);
    ExpectSameAsEngine(got.results(), *want, true);
  }
}

TEST_F(GrpcMatchingTest, RecommendByInlineProfileEqualsRecommendById) {
  for (const std::string& id : PublicIds(4)) {
    SCOPED_TRACE(id);
    v1::RecommendRequest by_id;
    by_id.set_firm_id(id);
    by_id.set_k(10);
    v1::RecommendRequest by_profile = by_id;
    const absl::StatusOr<Firm> firm = env().engine().GetFirm(id);
    ASSERT_TRUE(firm.ok());
    *by_profile.mutable_profile() = ToProto(*firm);
    const v1::RecommendResponse a = RecommendOk(by_id);
    const v1::RecommendResponse b = RecommendOk(by_profile);
    ASSERT_FALSE(a.recommendations().empty());
    EXPECT_EQ(ResultIds(a.recommendations()), ResultIds(b.recommendations()));
    for (int i = 0; i < std::min(a.recommendations_size(), b.recommendations_size()); ++i) {
      EXPECT_NEAR(a.recommendations(i).score(), b.recommendations(i).score(), 1e-5) << i;
    }
    // The stored firm never recommends itself.
    EXPECT_FALSE(grpc_test::Contains(ResultIds(b.recommendations()), id));
  }
}

TEST_F(GrpcMatchingTest, DeclinedAndDoNotMatchFeedbackRemovesTheResultAtOnce) {
  for (const std::string& a : PublicIds(3)) {
    SCOPED_TRACE(a);
    v1::RecommendRequest request;
    request.set_firm_id(a);
    request.set_k(10);
    const std::vector<std::string> first = ResultIds(RecommendOk(request).recommendations());
    ASSERT_GE(first.size(), 3u);

    ASSERT_TRUE(RecordRelation(a, first[0], v1::RELATION_KIND_DECLINED).ok());
    const std::vector<std::string> second = ResultIds(RecommendOk(request).recommendations());
    EXPECT_FALSE(grpc_test::Contains(second, first[0]));
    ASSERT_FALSE(second.empty());
    EXPECT_EQ(second.front(), first[1]);

    // Recorded the other way round: relations are symmetric.
    ASSERT_TRUE(RecordRelation(second[0], a, v1::RELATION_KIND_DO_NOT_MATCH).ok());
    const std::vector<std::string> third = ResultIds(RecommendOk(request).recommendations());
    EXPECT_FALSE(grpc_test::Contains(third, first[0]));
    EXPECT_FALSE(grpc_test::Contains(third, second[0]));

    // Do-not-match holds for every intent, and for the other side too.
    request.set_intent(v1::MATCH_INTENT_PEER);
    request.set_k(1000);
    EXPECT_FALSE(grpc_test::Contains(ResultIds(RecommendOk(request).recommendations()), second[0]));
    v1::RecommendRequest reverse;
    reverse.set_firm_id(second[0]);
    reverse.set_k(1000);
    EXPECT_FALSE(grpc_test::Contains(ResultIds(RecommendOk(reverse).recommendations()), a));
  }
  // And the relations are listed.
  v1::ListRelationsRequest list;
  list.add_kinds(v1::RELATION_KIND_DECLINED);
  list.add_kinds(v1::RELATION_KIND_DO_NOT_MATCH);
  v1::ListRelationsResponse relations;
  ASSERT_TRUE(env()
                  .Call(Token("reader_members"), env().feedback(),
                        &v1::FeedbackService::Stub::ListRelations, list, &relations)
                  .ok());
  EXPECT_EQ(relations.relations_size(), 6);
  for (const v1::Relation& relation : relations.relations()) {
    EXPECT_EQ(relation.date().size(), 10u) << relation.ShortDebugString();  // today
  }
}

TEST_F(GrpcMatchingTest, ExplanationsAreOmittedOnRequestAndProfilesAlwaysCome) {
  const std::string id = PublicIds(1).front();
  v1::RecommendRequest request;
  request.set_firm_id(id);
  request.set_k(10);
  const v1::RecommendResponse with = RecommendOk(request);
  request.set_omit_explanations(true);
  const v1::RecommendResponse without = RecommendOk(request);
  ASSERT_FALSE(with.recommendations().empty());
  ASSERT_EQ(ResultIds(with.recommendations()), ResultIds(without.recommendations()));
  bool some_need_offer = false;
  for (int i = 0; i < with.recommendations_size(); ++i) {
    const v1::Recommendation& full = with.recommendations(i);
    const v1::Recommendation& lean = without.recommendations(i);
    EXPECT_TRUE(full.has_explanation());
    EXPECT_FALSE(lean.has_explanation());
    EXPECT_EQ(full.score(), lean.score());
    some_need_offer |= full.explanation().need_offer_size() > 0;
    for (const v1::Recommendation* r : {&full, &lean}) {
      EXPECT_EQ(r->firm().id(), r->firm_id());
      EXPECT_FALSE(r->firm().name().empty());
      const absl::StatusOr<Firm> stored = env().engine().GetFirm(r->firm_id());
      ASSERT_TRUE(stored.ok());
      EXPECT_TRUE(MessageDifferencer::Equals(r->firm(), ToProto(*stored)));
    }
  }
  EXPECT_TRUE(some_need_offer);

  v1::SearchRequest search;
  search.set_query("PCB assembly");
  search.set_omit_explanations(true);
  v1::SearchResponse found;
  ASSERT_TRUE(env()
                  .Call(Token("reader"), env().matching(), &v1::MatchingService::Stub::Search,
                        search, &found)
                  .ok());
  ASSERT_FALSE(found.results().empty());
  EXPECT_EQ(found.results_size(), 10);  // the default k
  for (const v1::Recommendation& r : found.results()) {
    EXPECT_FALSE(r.has_explanation());
    EXPECT_EQ(r.firm().id(), r.firm_id());
  }
}

TEST_F(GrpcMatchingTest, DefaultKIsTenAndPublicKeysGetOnlyPublicFirms) {
  const std::string id = PublicIds(1).front();
  v1::RecommendRequest request;
  request.set_firm_id(id);
  EXPECT_EQ(RecommendOk(request, "reader").recommendations_size(), 10);
  request.set_k(1000);
  const v1::RecommendResponse public_only = RecommendOk(request, "reader");
  for (const v1::Recommendation& r : public_only.recommendations()) {
    EXPECT_EQ(r.firm().visibility(), v1::VISIBILITY_PUBLIC) << r.firm_id();
  }
  bool members_seen = false;
  const v1::RecommendResponse with_members = RecommendOk(request, "reader_members");
  for (const v1::Recommendation& r : with_members.recommendations()) {
    EXPECT_NE(r.firm().visibility(), v1::VISIBILITY_HIDDEN) << r.firm_id();
    members_seen |= r.firm().visibility() == v1::VISIBILITY_MEMBERS;
  }
  EXPECT_TRUE(members_seen);
}

// GetStats reports the sparse-vector cache: a first recommendation computes
// its firms' vectors, the same call again finds them all.
TEST_F(GrpcMatchingTest, GetStatsCountsTheSparseCacheHitsAndMisses) {
  auto cache_stats = [&] { return StatsOk().sparse_cache(); };
  v1::RecommendRequest request;
  request.set_firm_id(PublicIds(3).back());
  const v1::SparseCacheStats before = cache_stats();
  const v1::RecommendResponse first = RecommendOk(request);
  const v1::SparseCacheStats after_first = cache_stats();
  const v1::RecommendResponse second = RecommendOk(request);
  const v1::SparseCacheStats after_second = cache_stats();

  ASSERT_GT(first.recommendations_size(), 0);
  EXPECT_EQ(Diff(first, second), "");
  // At least the query and each recommended firm were looked up.
  EXPECT_GE((after_first.hits() + after_first.misses()) - (before.hits() + before.misses()),
            first.recommendations_size() + 1);
  EXPECT_EQ(after_second.misses(), after_first.misses()) << "the repeat computes nothing";
  EXPECT_GE(after_second.hits() - after_first.hits(), first.recommendations_size() + 1);
  EXPECT_EQ(after_second.capacity(), static_cast<int64_t>(SparseFieldCache::kMaxEntries));
  EXPECT_GT(after_second.firms(), 0);
  EXPECT_LE(after_second.firms(), env().engine().Stats().firms);
}

// GetStats reports the server process's memory as its allocator counts it:
// 64 MiB allocated and written in this process (the server runs in it) show
// in the live heap and in the resident set, and are gone from the heap once
// freed.
TEST_F(GrpcMatchingTest, GetStatsReportsTheLiveHeapAndTheResidentSet) {
  auto memory = [&] { return StatsOk().memory(); };
  constexpr int64_t kBlock = int64_t{64} << 20;
  const v1::MemoryStats before = memory();
  auto block = std::make_unique<char[]>(kBlock);
  std::memset(block.get(), 1, kBlock);
  const v1::MemoryStats holding = memory();
  block.reset();
  const v1::MemoryStats after = memory();

  EXPECT_EQ(before.allocator(), ProcessAllocator());
  EXPECT_GT(before.heap_allocated_bytes(), 0);
  EXPECT_LE(before.heap_allocated_bytes(), before.heap_mapped_bytes());
  EXPECT_GT(before.rss_bytes(), 0);
  // Other threads allocate meanwhile; a few MiB either way is noise.
  constexpr int64_t kSlack = int64_t{8} << 20;
  EXPECT_GE(holding.heap_allocated_bytes() - before.heap_allocated_bytes(), kBlock - kSlack);
  EXPECT_GE(holding.rss_bytes() - before.rss_bytes(), kBlock - kSlack);
  EXPECT_LE(after.heap_allocated_bytes(), holding.heap_allocated_bytes() - kBlock + kSlack);
}

}  // namespace
}  // namespace clustermatch::grpc_test
