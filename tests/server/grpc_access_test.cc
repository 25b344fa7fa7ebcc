// Who may call what over gRPC: the role x method matrix over every RPC of
// the four services, authentication failures (that never echo the secret)
// and revocation. What each caller may see is in grpc_visibility_test.cc.
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

// One RPC of the API: the least role it needs and a call that makes sense
// for a caller of any role (`tag` keeps the ids of different callers apart).
struct Rpc {
  std::string name;
  KeyRole needed;
  // Needs an admin key without a cluster limit.
  bool unlimited_admin = false;
  std::function<grpc::Status(GrpcTestEnv&, const std::string& token, const std::string& tag)> call;
};

std::vector<Rpc> AllRpcs() {
  std::vector<Rpc> rpcs;
  // FirmService.
  rpcs.push_back({"FirmService/CreateFirm", KeyRole::kWriter, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string& tag) {
                    v1::CreateFirmRequest request;
                    *request.mutable_firm() = NewFirm("matrix-" + tag);
                    return env.Call(token, env.firms(), &v1::FirmService::Stub::CreateFirm,
                                    request);
                  }});
  rpcs.push_back({"FirmService/UpdateFirm", KeyRole::kWriter, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string& tag) {
                    v1::UpdateFirmRequest request;
                    request.mutable_firm()->set_id("pcb");
                    request.mutable_firm()->set_description("updated by " + tag);
                    request.mutable_update_mask()->add_paths("description");
                    return env.Call(token, env.firms(), &v1::FirmService::Stub::UpdateFirm,
                                    request);
                  }});
  rpcs.push_back({"FirmService/GetFirm", KeyRole::kReader, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string&) {
                    v1::GetFirmRequest request;
                    request.set_id("pcb");
                    return env.Call(token, env.firms(), &v1::FirmService::Stub::GetFirm, request);
                  }});
  rpcs.push_back({"FirmService/ListFirms", KeyRole::kReader, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string&) {
                    v1::ListFirmsRequest request;
                    request.set_page_size(5);
                    return env.Call(token, env.firms(), &v1::FirmService::Stub::ListFirms, request);
                  }});
  rpcs.push_back({"FirmService/ImportFirms", KeyRole::kWriter, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string& tag) {
                    v1::ImportFirmsRequest message;
                    *message.add_firms() = NewFirm("import-" + tag);
                    return env.Import(token, {message});
                  }});
  // Deletes the firm CreateFirm made for the same caller.
  rpcs.push_back({"FirmService/DeleteFirm", KeyRole::kWriter, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string& tag) {
                    v1::DeleteFirmRequest request;
                    request.set_id("matrix-" + tag);
                    return env.Call(token, env.firms(), &v1::FirmService::Stub::DeleteFirm,
                                    request);
                  }});
  // MatchingService.
  rpcs.push_back({"MatchingService/Recommend", KeyRole::kReader, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string&) {
                    v1::RecommendRequest request;
                    request.set_firm_id("machining");
                    return env.Call(token, env.matching(), &v1::MatchingService::Stub::Recommend,
                                    request);
                  }});
  rpcs.push_back({"MatchingService/Search", KeyRole::kReader, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string&) {
                    v1::SearchRequest request;
                    request.set_query("PCB assembly");
                    return env.Call(token, env.matching(), &v1::MatchingService::Stub::Search,
                                    request);
                  }});
  // FeedbackService.
  rpcs.push_back({"FeedbackService/RecordRelations", KeyRole::kWriter, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string& tag) {
                    v1::RecordRelationsRequest request;
                    v1::Relation* relation = request.add_relations();
                    relation->set_firm_a("pcb");
                    relation->set_firm_b("iot");
                    relation->set_kind(v1::RELATION_KIND_MET);
                    relation->set_context("matrix-" + tag);
                    return env.Call(token, env.feedback(),
                                    &v1::FeedbackService::Stub::RecordRelations, request);
                  }});
  rpcs.push_back({"FeedbackService/ListRelations", KeyRole::kReader, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string&) {
                    v1::ListRelationsRequest request;
                    return env.Call(token, env.feedback(),
                                    &v1::FeedbackService::Stub::ListRelations, request);
                  }});
  // AdminService.
  rpcs.push_back({"AdminService/Train", KeyRole::kAdmin, true,
                  [](GrpcTestEnv& env, const std::string& token, const std::string&) {
                    return env.Call(token, env.admin(), &v1::AdminService::Stub::Train,
                                    v1::TrainRequest());
                  }});
  rpcs.push_back({"AdminService/GetStats", KeyRole::kAdmin, false,
                  [](GrpcTestEnv& env, const std::string& token, const std::string&) {
                    return env.Call(token, env.admin(), &v1::AdminService::Stub::GetStats,
                                    v1::GetStatsRequest());
                  }});
  rpcs.push_back({"AdminService/Snapshot", KeyRole::kAdmin, true,
                  [](GrpcTestEnv& env, const std::string& token, const std::string&) {
                    return env.Call(token, env.admin(), &v1::AdminService::Stub::Snapshot,
                                    v1::SnapshotRequest());
                  }});
  rpcs.push_back({"AdminService/CreateKey", KeyRole::kAdmin, true,
                  [](GrpcTestEnv& env, const std::string& token, const std::string& tag) {
                    v1::CreateKeyRequest request;
                    request.set_role(v1::KEY_ROLE_READER);
                    request.set_label("made by " + tag);
                    return env.Call(token, env.admin(), &v1::AdminService::Stub::CreateKey,
                                    request);
                  }});
  rpcs.push_back({"AdminService/ListKeys", KeyRole::kAdmin, true,
                  [](GrpcTestEnv& env, const std::string& token, const std::string&) {
                    return env.Call(token, env.admin(), &v1::AdminService::Stub::ListKeys,
                                    v1::ListKeysRequest());
                  }});
  rpcs.push_back({"AdminService/RevokeKey", KeyRole::kAdmin, true,
                  [](GrpcTestEnv& env, const std::string& token, const std::string& tag) {
                    const TestKey victim =
                        env.IssueKey(KeyRole::kReader, KeyScope::kPublic, "", "victim " + tag);
                    v1::RevokeKeyRequest request;
                    request.set_id(victim.record.id);
                    return env.Call(token, env.admin(), &v1::AdminService::Stub::RevokeKey,
                                    request);
                  }});
  return rpcs;
}

class GrpcAccessTest : public GrpcTest {};

TEST_F(GrpcAccessTest, RoleMatrixCoversEveryRpcOfTheFourServices) {
  std::vector<std::string> covered;
  for (const Rpc& rpc : AllRpcs()) covered.push_back("clustermatch.v1." + rpc.name);
  std::vector<std::string> declared;
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const char* service : {"clustermatch.v1.FirmService", "clustermatch.v1.MatchingService",
                              "clustermatch.v1.FeedbackService", "clustermatch.v1.AdminService"}) {
    const google::protobuf::ServiceDescriptor* descriptor = pool->FindServiceByName(service);
    ASSERT_NE(descriptor, nullptr) << service;
    for (int i = 0; i < descriptor->method_count(); ++i) {
      declared.push_back(std::string(service) + "/" + descriptor->method(i)->name());
    }
  }
  std::sort(covered.begin(), covered.end());
  std::sort(declared.begin(), declared.end());
  EXPECT_EQ(covered, declared);
}

KeyRole RoleOfCaller(const std::string& name) {
  for (const KeySpec& spec : kKeySpecs) {
    if (name == spec.name) return spec.role;
  }
  ADD_FAILURE() << "no key " << name;
  return KeyRole::kReader;
}

TEST_F(GrpcAccessTest, EachRoleMayCallExactlyTheRpcsItsRoleAllows) {
  for (const std::string& caller :
       std::vector<std::string>{"reader", "writer", "organiser", "admin"}) {
    const KeyRole role = RoleOfCaller(caller);
    for (const Rpc& rpc : AllRpcs()) {
      SCOPED_TRACE(caller + " calls " + rpc.name);
      const grpc::Status status = rpc.call(env(), Token(caller), caller);
      if (static_cast<int>(role) >= static_cast<int>(rpc.needed)) {
        EXPECT_NE(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
        EXPECT_NE(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
        EXPECT_TRUE(status.ok()) << Describe(status);
      } else {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
        EXPECT_THAT(status.error_message(),
                    AllOf(HasSubstr(rpc.name), HasSubstr(std::string(KeyRoleName(rpc.needed)))));
      }
    }
  }
}

TEST_F(GrpcAccessTest, ClusterLimitedAdminIsRefusedWholeStoreWorkOnly) {
  for (const Rpc& rpc : AllRpcs()) {
    SCOPED_TRACE("admin_gv calls " + rpc.name);
    const grpc::Status status = rpc.call(env(), Token("admin_gv"), "admin_gv");
    if (rpc.unlimited_admin) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(status);
      EXPECT_THAT(status.error_message(), HasSubstr("without a cluster limit"));
    } else {
      EXPECT_TRUE(status.ok()) << Describe(status);
    }
  }
}

TEST_F(GrpcAccessTest, EveryRpcRefusesMissingMalformedWrongAndRevokedKeys) {
  const TestKey good = env().IssueKey(KeyRole::kAdmin, KeyScope::kMembers, "", "good");
  std::string wrong_secret = good.token;
  wrong_secret.back() = wrong_secret.back() == 'A' ? 'B' : 'A';
  const TestKey revoked = env().IssueKey(KeyRole::kAdmin, KeyScope::kMembers, "", "revoked");
  {
    v1::RevokeKeyRequest request;
    request.set_id(revoked.record.id);
    v1::ApiKey response;
    const grpc::Status status = env().Call(Token("admin"), env().admin(),
                                           &v1::AdminService::Stub::RevokeKey, request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
    EXPECT_FALSE(response.revoked_at().empty());
  }
  const std::string unknown_id = "cm_000000000000_" + good.token.substr(good.token.size() - 43);
  struct BadKey {
    std::string what;
    std::string token;
    std::string message;
  };
  const std::vector<BadKey> bad_keys = {
      {"no key", "", "missing API key"},
      {"malformed", "not-a-key", "invalid API key"},
      {"truncated", good.token.substr(0, good.token.size() - 1), "invalid API key"},
      {"wrong secret", wrong_secret, "invalid API key"},
      {"unknown id", unknown_id, "invalid API key"},
      {"revoked", revoked.token, "was revoked"},
  };
  const std::string good_secret = good.token.substr(good.token.size() - 43);
  for (const BadKey& bad : bad_keys) {
    for (const Rpc& rpc : AllRpcs()) {
      SCOPED_TRACE(bad.what + " calls " + rpc.name);
      const grpc::Status status = rpc.call(env(), bad.token, "bad");
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
      EXPECT_THAT(status.error_message(), HasSubstr(bad.message));
      if (!bad.token.empty()) {
        EXPECT_THAT(status.error_message(), Not(HasSubstr(bad.token)));
      }
      if (bad.token.size() > 16) {
        EXPECT_THAT(status.error_message(), Not(HasSubstr(bad.token.substr(16))));
      }
      EXPECT_THAT(status.error_message(), Not(HasSubstr(good_secret)));
      EXPECT_THAT(status.error_details(), Not(HasSubstr(good_secret)));
    }
  }
  // The good key still works, so the refusals above were about the keys.
  v1::GetFirmRequest get;
  get.set_id("pcb");
  EXPECT_TRUE(env().Call(good.token, env().firms(), &v1::FirmService::Stub::GetFirm, get).ok());
}

TEST_F(GrpcAccessTest, OtherSchemesAndEmptyBearerAreUnauthenticated) {
  const std::string token = Token("admin");
  for (const std::string& header : std::vector<std::string>{"Basic " + token, token, "Bearer",
                                                            "Bearer    ", "Token " + token}) {
    SCOPED_TRACE(header);
    grpc::ClientContext context;
    context.AddMetadata("authorization", header);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::GetFirmRequest request;
    request.set_id("pcb");
    v1::Firm response;
    const grpc::Status status = env().firms().GetFirm(&context, request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
    EXPECT_THAT(status.error_message(), Not(HasSubstr(token.substr(16))));
  }
}

TEST_F(GrpcAccessTest, KeyRevokedThroughAdminServiceIsRefusedFromTheNextCall) {
  v1::CreateKeyRequest create;
  create.set_role(v1::KEY_ROLE_WRITER);
  create.set_scope(v1::KEY_SCOPE_MEMBERS);
  create.set_label("portal");
  v1::CreateKeyResponse created;
  grpc::Status status = env().Call(Token("admin"), env().admin(),
                                   &v1::AdminService::Stub::CreateKey, create, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  const std::string token = created.secret();
  ASSERT_EQ(token.size(), kApiKeyTokenLength);
  EXPECT_EQ(created.key().id(), token.substr(3, 12));

  v1::GetFirmRequest get;
  get.set_id("gv-members");
  status = env().Call(token, env().firms(), &v1::FirmService::Stub::GetFirm, get);
  EXPECT_TRUE(status.ok()) << Describe(status);

  v1::RevokeKeyRequest revoke;
  revoke.set_id(created.key().id());
  v1::ApiKey revoked;
  status = env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::RevokeKey, revoke,
                      &revoked);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(revoked.revoked_at().empty());

  status = env().Call(token, env().firms(), &v1::FirmService::Stub::GetFirm, get);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr(created.key().id()));
  EXPECT_THAT(status.error_message(), Not(HasSubstr(token.substr(16))));

  // ListKeys shows it revoked, and never a secret.
  v1::ListKeysResponse keys;
  status = env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::ListKeys,
                      v1::ListKeysRequest(), &keys);
  ASSERT_TRUE(status.ok()) << Describe(status);
  bool found = false;
  for (const v1::ApiKey& key : keys.keys()) {
    if (key.id() == created.key().id()) {
      found = true;
      EXPECT_FALSE(key.revoked_at().empty());
    }
  }
  EXPECT_TRUE(found);
  EXPECT_THAT(keys.DebugString(), Not(HasSubstr(token.substr(16))));
}

}  // namespace
}  // namespace clustermatch::grpc_test
