// What each caller may see over gRPC: cluster-limited keys see and change
// only their cluster, members-only firms reach only keys of members scope,
// and hidden firms are never returned by a non-admin call and never appear
// in anyone's recommendations or searches.
#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/firm_proto_converter.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

class GrpcVisibilityTest : public GrpcTest {};

// ---- Reading helpers: everything one caller can get from each method.

std::vector<v1::Firm> ListAll(GrpcTestEnv& env, const std::string& token,
                              const v1::FirmFilter& filter = v1::FirmFilter(),
                              int page_size = 1000) {
  std::vector<v1::Firm> firms;
  v1::ListFirmsRequest request;
  *request.mutable_filter() = filter;
  request.set_page_size(page_size);
  for (int pages = 0; pages < 1000; ++pages) {
    v1::ListFirmsResponse response;
    const grpc::Status status =
        env.Call(token, env.firms(), &v1::FirmService::Stub::ListFirms, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    if (!status.ok()) break;
    firms.insert(firms.end(), response.firms().begin(), response.firms().end());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return firms;
}

std::vector<std::string> ListIds(GrpcTestEnv& env, const std::string& token,
                                 const v1::FirmFilter& filter = v1::FirmFilter()) {
  std::vector<std::string> ids;
  for (const v1::Firm& firm : ListAll(env, token, filter)) ids.push_back(firm.id());
  return ids;
}

v1::RecommendResponse RecommendFor(GrpcTestEnv& env, const std::string& token,
                                   const std::string& firm_id,
                                   v1::MatchIntent intent = v1::MATCH_INTENT_PARTNER) {
  v1::RecommendRequest request;
  request.set_firm_id(firm_id);
  request.set_k(1000);
  request.set_intent(intent);
  v1::RecommendResponse response;
  const grpc::Status status =
      env.Call(token, env.matching(), &v1::MatchingService::Stub::Recommend, request, &response);
  EXPECT_TRUE(status.ok()) << firm_id << ": " << Describe(status);
  return response;
}

v1::RecommendResponse RecommendForProfile(GrpcTestEnv& env, const std::string& token,
                                          const v1::Firm& profile) {
  v1::RecommendRequest request;
  *request.mutable_profile() = profile;
  request.set_k(1000);
  v1::RecommendResponse response;
  const grpc::Status status =
      env.Call(token, env.matching(), &v1::MatchingService::Stub::Recommend, request, &response);
  EXPECT_TRUE(status.ok()) << Describe(status);
  return response;
}

v1::SearchResponse SearchFor(GrpcTestEnv& env, const std::string& token, const std::string& text,
                             const v1::FirmFilter& filter = v1::FirmFilter()) {
  v1::SearchRequest request;
  request.set_query(text);
  request.set_k(1000);
  *request.mutable_filter() = filter;
  v1::SearchResponse response;
  const grpc::Status status =
      env.Call(token, env.matching(), &v1::MatchingService::Stub::Search, request, &response);
  EXPECT_TRUE(status.ok()) << text << ": " << Describe(status);
  return response;
}

std::vector<v1::Relation> AllRelations(GrpcTestEnv& env, const std::string& token,
                                       const std::string& firm_id = "") {
  std::vector<v1::Relation> relations;
  v1::ListRelationsRequest request;
  request.set_firm_id(firm_id);
  request.set_page_size(2);
  for (int pages = 0; pages < 1000; ++pages) {
    v1::ListRelationsResponse response;
    const grpc::Status status = env.Call(
        token, env.feedback(), &v1::FeedbackService::Stub::ListRelations, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    if (!status.ok()) break;
    relations.insert(relations.end(), response.relations().begin(), response.relations().end());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return relations;
}

grpc::StatusCode GetCode(GrpcTestEnv& env, const std::string& token, const std::string& id) {
  v1::GetFirmRequest request;
  request.set_id(id);
  v1::Firm response;
  return env.Call(token, env.firms(), &v1::FirmService::Stub::GetFirm, request, &response)
      .error_code();
}

bool InCluster(const v1::Firm& firm, const std::string& cluster) {
  return std::find(firm.clusters().begin(), firm.clusters().end(), cluster) !=
         firm.clusters().end();
}

// ---- Cluster-limited keys.

TEST_F(GrpcVisibilityTest, ClusterLimitedKeyListsOnlyItsCluster) {
  const std::vector<std::string> ids = ListIds(env(), Token("reader_gv"));
  std::vector<std::string> expected;
  for (const Firm& firm : env().engine().ListFirms()) {
    if (std::find(firm.clusters.begin(), firm.clusters.end(), kGValley) != firm.clusters.end() &&
        firm.visibility == Visibility::kPublic) {
      expected.push_back(firm.id);
    }
  }
  EXPECT_EQ(ids, expected);
  EXPECT_TRUE(grpc_test::Contains(ids, "both-pcb"));
  EXPECT_FALSE(grpc_test::Contains(ids, "dmc-iot"));
  for (const v1::Firm& firm : ListAll(env(), Token("reader_gv"))) {
    EXPECT_TRUE(InCluster(firm, kGValley)) << firm.id();
  }
}

TEST_F(GrpcVisibilityTest, ClusterLimitedKeyRecommendsAndSearchesOnlyItsCluster) {
  // Without a limit these would find DMC firms: dmc-iot answers pcb's need.
  ASSERT_TRUE(grpc_test::Contains(
      ResultIds(RecommendFor(env(), Token("reader"), "pcb").recommendations()), "dmc-iot"));
  ASSERT_TRUE(grpc_test::Contains(
      ResultIds(SearchFor(env(), Token("reader"), "IoT sensor hardware design").results()),
      "dmc-iot"));

  for (const std::string& key :
       std::vector<std::string>{"reader_gv", "reader_gv_members", "writer_gv", "admin_gv"}) {
    SCOPED_TRACE(key);
    for (const std::string& id : std::vector<std::string>{"pcb", "iot", "vr", "both-pcb"}) {
      const v1::RecommendResponse response = RecommendFor(env(), Token(key), id);
      EXPECT_FALSE(response.recommendations().empty()) << id;
      for (const v1::Recommendation& r : response.recommendations()) {
        EXPECT_TRUE(InCluster(r.firm(), kGValley)) << id << " -> " << r.firm_id();
      }
    }
    const v1::RecommendResponse by_profile =
        RecommendForProfile(env(), Token(key),
                            ToProto(testing::MakeFirm("", "ICT", {"PCB design services"},
                                                      {"IoT sensor hardware design"})));
    EXPECT_FALSE(by_profile.recommendations().empty());
    for (const v1::Recommendation& r : by_profile.recommendations()) {
      EXPECT_TRUE(InCluster(r.firm(), kGValley)) << r.firm_id();
    }
    const v1::SearchResponse search = SearchFor(env(), Token(key), "IoT sensor hardware design");
    EXPECT_FALSE(search.results().empty());
    for (const v1::Recommendation& r : search.results()) {
      EXPECT_TRUE(InCluster(r.firm(), kGValley)) << r.firm_id();
    }
  }
}

TEST_F(GrpcVisibilityTest, ClusterLimitedKeyGetsNotFoundForAnotherCluster) {
  EXPECT_EQ(GetCode(env(), Token("reader_gv"), "both-pcb"), grpc::StatusCode::OK);
  v1::GetFirmRequest request;
  request.set_id("dmc-iot");
  const grpc::Status status =
      env().Call(Token("reader_gv"), env().firms(), &v1::FirmService::Stub::GetFirm, request);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("id: no firm \"dmc-iot\""));
  // The same answer as for a firm that does not exist.
  request.set_id("no-such-firm");
  const grpc::Status missing =
      env().Call(Token("reader_gv"), env().firms(), &v1::FirmService::Stub::GetFirm, request);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);

  v1::RecommendRequest recommend;
  recommend.set_firm_id("dmc-iot");
  const grpc::Status rec = env().Call(Token("reader_gv"), env().matching(),
                                      &v1::MatchingService::Stub::Recommend, recommend);
  EXPECT_EQ(rec.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(rec);
  EXPECT_THAT(rec.error_message(), HasSubstr("firm_id"));

  v1::DeleteFirmRequest remove;
  remove.set_id("dmc-iot");
  const grpc::Status deleted =
      env().Call(Token("writer_gv"), env().firms(), &v1::FirmService::Stub::DeleteFirm, remove);
  EXPECT_EQ(deleted.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(deleted);
  EXPECT_TRUE(env().engine().GetFirm("dmc-iot").ok());

  v1::ListRelationsRequest relations;
  relations.set_firm_id("dmc-iot");
  const grpc::Status listed = env().Call(Token("reader_gv"), env().feedback(),
                                         &v1::FeedbackService::Stub::ListRelations, relations);
  EXPECT_EQ(listed.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(listed);
  for (const v1::Relation& relation : AllRelations(env(), Token("reader_gv"))) {
    EXPECT_THAT(relation.firm_a(), Not(HasSubstr("dmc")));
    EXPECT_THAT(relation.firm_b(), Not(HasSubstr("dmc")));
  }
}

TEST_F(GrpcVisibilityTest, ClusterLimitedWriterCannotWriteOutsideItsCluster) {
  const EngineStats before = env().engine().Stats();
  const std::vector<Firm> firms_before = env().engine().ListFirms();

  v1::CreateFirmRequest create;
  *create.mutable_firm() = NewFirm("dmc-new", kDmc);
  grpc::Status status =
      env().Call(Token("writer_gv"), env().firms(), &v1::FirmService::Stub::CreateFirm, create);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("clusters"));

  // Dropping its own cluster from a firm it may change.
  v1::UpdateFirmRequest update;
  update.mutable_firm()->set_id("pcb");
  update.mutable_firm()->add_clusters(kDmc);
  update.mutable_update_mask()->add_paths("clusters");
  status =
      env().Call(Token("writer_gv"), env().firms(), &v1::FirmService::Stub::UpdateFirm, update);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("clusters"));

  // Updating a firm of another cluster: it does not exist for this key.
  update.mutable_firm()->set_id("dmc-iot");
  update.mutable_firm()->clear_clusters();
  update.mutable_firm()->set_description("changed");
  update.mutable_update_mask()->Clear();
  update.mutable_update_mask()->add_paths("description");
  status =
      env().Call(Token("writer_gv"), env().firms(), &v1::FirmService::Stub::UpdateFirm, update);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);

  v1::ImportFirmsRequest message;
  *message.add_firms() = NewFirm("gv-import");
  *message.add_firms() = NewFirm("dmc-import", kDmc);
  status = env().Import(Token("writer_gv"), {message});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("messages[0].firms[1].clusters"));

  v1::RecordRelationsRequest record;
  v1::Relation* relation = record.add_relations();
  relation->set_firm_a("pcb");
  relation->set_firm_b("dmc-iot");
  relation->set_kind(v1::RELATION_KIND_MET);
  status = env().Call(Token("writer_gv"), env().feedback(),
                      &v1::FeedbackService::Stub::RecordRelations, record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("relations[0].firm_b"));

  const EngineStats after = env().engine().Stats();
  EXPECT_EQ(after.firms, before.firms);
  EXPECT_EQ(after.relations, before.relations);
  EXPECT_EQ(env().engine().ListFirms(), firms_before);

  // Within its cluster the same key may write.
  *create.mutable_firm() = NewFirm("gv-new", kGValley);
  status =
      env().Call(Token("writer_gv"), env().firms(), &v1::FirmService::Stub::CreateFirm, create);
  EXPECT_TRUE(status.ok()) << Describe(status);
}

TEST_F(GrpcVisibilityTest, ClusterLimitedKeyIsDeniedAFilterNamingOnlyAnotherCluster) {
  v1::FirmFilter dmc_only;
  dmc_only.add_clusters(kDmc);

  v1::ListFirmsRequest list;
  *list.mutable_filter() = dmc_only;
  grpc::Status status =
      env().Call(Token("reader_gv"), env().firms(), &v1::FirmService::Stub::ListFirms, list);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("filter.clusters"));

  v1::RecommendRequest recommend;
  recommend.set_firm_id("pcb");
  *recommend.mutable_filter() = dmc_only;
  status = env().Call(Token("reader_gv"), env().matching(), &v1::MatchingService::Stub::Recommend,
                      recommend);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("filter.clusters"));

  v1::SearchRequest search;
  search.set_query("IoT sensor hardware design");
  *search.mutable_filter() = dmc_only;
  status =
      env().Call(Token("reader_gv"), env().matching(), &v1::MatchingService::Stub::Search, search);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("filter.clusters"));

  // Naming its own cluster among others narrows to its own.
  v1::FirmFilter both;
  both.add_clusters(kDmc);
  both.add_clusters(kGValley);
  for (const v1::Firm& firm : ListAll(env(), Token("reader_gv"), both)) {
    EXPECT_TRUE(InCluster(firm, kGValley)) << firm.id();
  }
  const v1::SearchResponse narrowed =
      SearchFor(env(), Token("reader_gv"), "IoT sensor hardware design", both);
  EXPECT_FALSE(narrowed.results().empty());
  for (const v1::Recommendation& r : narrowed.results()) {
    EXPECT_TRUE(InCluster(r.firm(), kGValley)) << r.firm_id();
  }
}

// ---- Members-only firms and key scope.

TEST_F(GrpcVisibilityTest, MembersOnlyFirmsNeverReachPublicScopeKeys) {
  for (const std::string& key : std::vector<std::string>{"reader", "writer", "organiser", "admin",
                                                         "reader_gv", "writer_gv", "admin_gv"}) {
    SCOPED_TRACE(key);
    for (const std::string& id : std::vector<std::string>{"gv-members", "dmc-members"}) {
      EXPECT_EQ(GetCode(env(), Token(key), id), grpc::StatusCode::NOT_FOUND) << id;
    }
    for (const std::string& id : ListIds(env(), Token(key))) EXPECT_FALSE(IsMembersId(id)) << id;
    for (const std::string& id :
         std::vector<std::string>{"iot", "pcb", "vr", "expo", "machining"}) {
      for (const std::string& r :
           ResultIds(RecommendFor(env(), Token(key), id).recommendations())) {
        EXPECT_FALSE(IsMembersId(r)) << id << " -> " << r;
      }
    }
    for (const std::string& text : std::vector<std::string>{kGvMembersOffer, kDmcMembersOffer}) {
      for (const std::string& r : ResultIds(SearchFor(env(), Token(key), text).results())) {
        EXPECT_FALSE(IsMembersId(r)) << text << " -> " << r;
      }
    }
    for (const v1::Relation& relation : AllRelations(env(), Token(key))) {
      EXPECT_FALSE(IsMembersId(relation.firm_a())) << relation.ShortDebugString();
      EXPECT_FALSE(IsMembersId(relation.firm_b())) << relation.ShortDebugString();
    }
  }
}

TEST_F(GrpcVisibilityTest, MembersOnlyFirmsReachMembersScopeKeys) {
  for (const std::string& key :
       std::vector<std::string>{"reader_members", "writer_members", "admin_members"}) {
    SCOPED_TRACE(key);
    EXPECT_EQ(GetCode(env(), Token(key), "gv-members"), grpc::StatusCode::OK);
    EXPECT_EQ(GetCode(env(), Token(key), "dmc-members"), grpc::StatusCode::OK);
    const std::vector<std::string> ids = ListIds(env(), Token(key));
    EXPECT_TRUE(grpc_test::Contains(ids, "gv-members"));
    EXPECT_TRUE(grpc_test::Contains(ids, "dmc-members"));
    const std::vector<std::string> found =
        ResultIds(SearchFor(env(), Token(key), kGvMembersOffer).results());
    ASSERT_FALSE(found.empty());
    EXPECT_EQ(found.front(), "gv-members");
    EXPECT_TRUE(grpc_test::Contains(
        ResultIds(SearchFor(env(), Token(key), kDmcMembersOffer).results()), "dmc-members"));
    EXPECT_TRUE(grpc_test::Contains(
        ResultIds(RecommendFor(env(), Token(key), "iot").recommendations()), "gv-members"));
    EXPECT_TRUE(grpc_test::Contains(
        ResultIds(RecommendFor(env(), Token(key), "expo").recommendations()), "dmc-members"));
  }
  // Limited to G-Valley: its members firms only.
  const std::string key = Token("reader_gv_members");
  EXPECT_EQ(GetCode(env(), key, "gv-members"), grpc::StatusCode::OK);
  EXPECT_EQ(GetCode(env(), key, "dmc-members"), grpc::StatusCode::NOT_FOUND);
  const std::vector<std::string> ids = ListIds(env(), key);
  EXPECT_TRUE(grpc_test::Contains(ids, "gv-members"));
  EXPECT_FALSE(grpc_test::Contains(ids, "dmc-members"));
  EXPECT_TRUE(grpc_test::Contains(ResultIds(SearchFor(env(), key, kGvMembersOffer).results()),
                                  "gv-members"));
  EXPECT_FALSE(grpc_test::Contains(ResultIds(SearchFor(env(), key, kDmcMembersOffer).results()),
                                   "dmc-members"));
}

// ---- Hidden firms.

const char* const kNonAdminKeys[] = {
    "reader",         "writer",    "organiser",         "reader_members",
    "writer_members", "reader_gv", "reader_gv_members", "writer_gv"};
const char* const kAdminKeys[] = {"admin", "admin_members", "admin_gv"};

// A profile that an unfiltered matcher would pair with gv-hidden: it needs
// exactly what gv-hidden offers and offers what it needs.
v1::Firm ProfileSeekingTheHiddenFirm(const std::string& id) {
  Firm profile = testing::MakeFirm(id, "IMT", {"CNC machining partner for aluminium parts"},
                                   {kHiddenOffer, "MES software to monitor machine utilisation"});
  return ToProto(profile);
}

TEST_F(GrpcVisibilityTest, NoNonAdminMethodEverReturnsAHiddenFirm) {
  // Admins see that the relations exist: the filter below has work to do.
  std::vector<std::string> admin_relation_ids;
  for (const v1::Relation& relation : AllRelations(env(), Token("admin"))) {
    admin_relation_ids.push_back(relation.firm_a());
    admin_relation_ids.push_back(relation.firm_b());
  }
  ASSERT_TRUE(grpc_test::Contains(admin_relation_ids, "gv-hidden"));

  for (const std::string key : kNonAdminKeys) {  // NOLINT: from const char*
    SCOPED_TRACE(key);
    for (const std::string& id : std::vector<std::string>{"gv-hidden", "dmc-hidden"}) {
      v1::GetFirmRequest get;
      get.set_id(id);
      const grpc::Status status =
          env().Call(Token(key), env().firms(), &v1::FirmService::Stub::GetFirm, get);
      EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
      EXPECT_THAT(status.error_message(), HasSubstr("id: no firm"));

      v1::RecommendRequest by_id;
      by_id.set_firm_id(id);
      EXPECT_EQ(
          env()
              .Call(Token(key), env().matching(), &v1::MatchingService::Stub::Recommend, by_id)
              .error_code(),
          grpc::StatusCode::NOT_FOUND);

      v1::RecommendRequest by_profile;
      *by_profile.mutable_profile() = ProfileSeekingTheHiddenFirm(id);
      const grpc::Status profile_status = env().Call(
          Token(key), env().matching(), &v1::MatchingService::Stub::Recommend, by_profile);
      EXPECT_EQ(profile_status.error_code(), grpc::StatusCode::NOT_FOUND)
          << Describe(profile_status);
      EXPECT_THAT(profile_status.error_message(), HasSubstr("profile.id"));

      v1::ListRelationsRequest relations;
      relations.set_firm_id(id);
      EXPECT_EQ(env()
                    .Call(Token(key), env().feedback(), &v1::FeedbackService::Stub::ListRelations,
                          relations)
                    .error_code(),
                grpc::StatusCode::NOT_FOUND);
    }
    for (const std::string& id : ListIds(env(), Token(key))) EXPECT_FALSE(IsHiddenId(id)) << id;
    for (const std::string& id :
         std::vector<std::string>{"machining", "mes", "vr", "expo", "animation", "dmc-animation"}) {
      if (GetCode(env(), Token(key), id) != grpc::StatusCode::OK) continue;  // other cluster
      for (const v1::MatchIntent intent :
           {v1::MATCH_INTENT_PARTNER, v1::MATCH_INTENT_PEER, v1::MATCH_INTENT_PURCHASING}) {
        for (const std::string& r :
             ResultIds(RecommendFor(env(), Token(key), id, intent).recommendations())) {
          EXPECT_FALSE(IsHiddenId(r)) << id << " -> " << r;
        }
      }
    }
    for (const std::string& r :
         ResultIds(RecommendForProfile(env(), Token(key), ProfileSeekingTheHiddenFirm(""))
                       .recommendations())) {
      EXPECT_FALSE(IsHiddenId(r)) << r;
    }
    for (const std::string& text : std::vector<std::string>{
             kHiddenOffer, "trade show marketing and overseas exhibition agency"}) {
      for (const std::string& r : ResultIds(SearchFor(env(), Token(key), text).results())) {
        EXPECT_FALSE(IsHiddenId(r)) << text << " -> " << r;
      }
    }
    for (const v1::Relation& relation : AllRelations(env(), Token(key))) {
      EXPECT_FALSE(IsHiddenId(relation.firm_a())) << relation.ShortDebugString();
      EXPECT_FALSE(IsHiddenId(relation.firm_b())) << relation.ShortDebugString();
    }
  }
}

TEST_F(GrpcVisibilityTest, AdminsSeeHiddenFirmsByIdAndInListsButNeverInResults) {
  for (const std::string key : kAdminKeys) {
    SCOPED_TRACE(key);
    EXPECT_EQ(GetCode(env(), Token(key), "gv-hidden"), grpc::StatusCode::OK);
    EXPECT_TRUE(grpc_test::Contains(ListIds(env(), Token(key)), "gv-hidden"));
    for (const std::string& id : std::vector<std::string>{"machining", "mes", "vr", "expo"}) {
      for (const std::string& r :
           ResultIds(RecommendFor(env(), Token(key), id).recommendations())) {
        EXPECT_FALSE(IsHiddenId(r)) << id << " -> " << r;
      }
    }
    for (const std::string& r :
         ResultIds(RecommendForProfile(env(), Token(key), ProfileSeekingTheHiddenFirm(""))
                       .recommendations())) {
      EXPECT_FALSE(IsHiddenId(r)) << r;
    }
    for (const std::string& r : ResultIds(SearchFor(env(), Token(key), kHiddenOffer).results())) {
      EXPECT_FALSE(IsHiddenId(r)) << r;
    }
  }
  // dmc-hidden is outside admin_gv's cluster.
  EXPECT_EQ(GetCode(env(), Token("admin"), "dmc-hidden"), grpc::StatusCode::OK);
  EXPECT_EQ(GetCode(env(), Token("admin_gv"), "dmc-hidden"), grpc::StatusCode::NOT_FOUND);
}

TEST_F(GrpcVisibilityTest, NonAdminWritersCannotChangeHiddenFirms) {
  const std::vector<Firm> before = env().engine().ListFirms();
  const size_t relations = env().engine().ListRelations().size();
  for (const std::string& key :
       std::vector<std::string>{"writer", "organiser", "writer_members", "writer_gv"}) {
    SCOPED_TRACE(key);
    v1::DeleteFirmRequest remove;
    remove.set_id("gv-hidden");
    grpc::Status status =
        env().Call(Token(key), env().firms(), &v1::FirmService::Stub::DeleteFirm, remove);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);

    v1::UpdateFirmRequest update;
    update.mutable_firm()->set_id("gv-hidden");
    update.mutable_firm()->set_visibility(v1::VISIBILITY_PUBLIC);
    update.mutable_update_mask()->add_paths("visibility");
    status = env().Call(Token(key), env().firms(), &v1::FirmService::Stub::UpdateFirm, update);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
    EXPECT_THAT(status.error_message(), HasSubstr("firm.id"));

    v1::RecordRelationsRequest record;
    v1::Relation* relation = record.add_relations();
    relation->set_firm_a("pcb");
    relation->set_firm_b("gv-hidden");
    relation->set_kind(v1::RELATION_KIND_MET);
    status = env().Call(Token(key), env().feedback(), &v1::FeedbackService::Stub::RecordRelations,
                        record);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);
    EXPECT_THAT(status.error_message(), HasSubstr("relations[0].firm_b"));

    // Importing a profile under the hidden firm's id would replace it.
    v1::ImportFirmsRequest message;
    *message.add_firms() = NewFirm("gv-hidden");
    status = env().Import(Token(key), {message});
    EXPECT_FALSE(status.ok());
    EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL) << Describe(status);
  }
  EXPECT_EQ(env().engine().ListFirms(), before);
  EXPECT_EQ(env().engine().ListRelations().size(), relations);

  // An admin may.
  v1::UpdateFirmRequest update;
  update.mutable_firm()->set_id("gv-hidden");
  update.mutable_firm()->set_visibility(v1::VISIBILITY_PUBLIC);
  update.mutable_update_mask()->add_paths("visibility");
  const grpc::Status status =
      env().Call(Token("admin"), env().firms(), &v1::FirmService::Stub::UpdateFirm, update);
  EXPECT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(GetCode(env(), Token("reader"), "gv-hidden"), grpc::StatusCode::OK);
}

// Authentication first, then the role, then the request: a caller learns
// nothing about a request it may not make.
TEST_F(GrpcVisibilityTest, KeyAndRoleAreCheckedBeforeTheRequest) {
  v1::CreateFirmRequest bad;
  bad.mutable_firm()->set_kind(static_cast<v1::FirmKind>(99));
  grpc::Status status =
      env().Call(std::string(), env().firms(), &v1::FirmService::Stub::CreateFirm, bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
  status = env().Call(Token("reader"), env().firms(), &v1::FirmService::Stub::CreateFirm, bad);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
  v1::CreateKeyRequest key;  // no role: invalid
  status = env().Call(Token("writer"), env().admin(), &v1::AdminService::Stub::CreateKey, key);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
}

}  // namespace
}  // namespace clustermatch::grpc_test
