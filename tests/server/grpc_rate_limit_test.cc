// Per-key rate limits through a real gRPC server (in process, and once on a
// loopback port) with an injected clock: a limited key gets
// RESOURCE_EXHAUSTED past its burst, naming its id and limit but never its
// secret, and the call log says so; it recovers as time passes; other keys
// are unaffected; a key's own limit beats the serve-wide default; a refused
// call does no work; CreateKey and ListKeys carry the limit.
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A clock the test moves by hand, shared with the server's limiter.
struct ManualClock {
  mutable absl::Mutex mutex;
  absl::Time now = absl::FromUnixSeconds(1'800'000'000);

  absl::Time Now() const {
    absl::MutexLock lock(&mutex);
    return now;
  }
  void Advance(absl::Duration step) {
    absl::MutexLock lock(&mutex);
    now += step;
  }
};

class GrpcRateLimitTest : public ::testing::Test {
 protected:
  // An environment whose server has `default_limit` and the manual clock.
  std::unique_ptr<GrpcTestEnv> MakeEnv(RateLimit default_limit, bool on_port = false) {
    EnvOptions options;
    options.relations.clear();
    options.server.rate_limit = default_limit;
    options.server.rate_clock = [this] { return clock_.Now(); };
    if (on_port) options.server.listen = "127.0.0.1:0";
    auto env = std::make_unique<GrpcTestEnv>(std::move(options));
    EXPECT_TRUE(env->ok());
    return env;
  }

  // A reader key with its own limit (0: none), stored and in the ring.
  static TestKey LimitedKey(GrpcTestEnv& env, double rate, int burst) {
    TestKey key = env.IssueKey(KeyRole::kReader, KeyScope::kPublic, "", "limited");
    key.record.rate_limit = rate;
    key.record.rate_burst = burst;
    env.keys().Put(key.record);  // the ring learns the limit, as on a restart
    return key;
  }

  static grpc::Status Get(GrpcTestEnv& env, const std::string& token) {
    v1::GetFirmRequest request;
    request.set_id("mes");
    return env.Call(token, env.firms(), &v1::FirmService::Stub::GetFirm, request);
  }

  static int Passed(GrpcTestEnv& env, const std::string& token, int calls) {
    int passed = 0;
    for (int i = 0; i < calls; ++i) passed += Get(env, token).ok();
    return passed;
  }

  ManualClock clock_;
};

TEST_F(GrpcRateLimitTest, PastItsBurstAKeyIsRefusedAndRecoversWithTime) {
  std::unique_ptr<GrpcTestEnv> env = MakeEnv({});
  ASSERT_TRUE(env->ok());
  const TestKey limited = LimitedKey(*env, 1, 3);
  EXPECT_EQ(Passed(*env, limited.token, 3), 3);
  const grpc::Status refused = Get(*env, limited.token);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(refused);
  EXPECT_THAT(refused.error_message(), HasSubstr("API key " + limited.record.id));
  EXPECT_THAT(refused.error_message(), HasSubstr("rate limit of 1 requests/s (burst 3)"));
  // The part after "cm_<id>_" (base64url: it may hold '_' itself).
  const std::string secret = limited.token.substr(kApiKeyPrefix.size() + kApiKeyIdLength + 1);
  ASSERT_GT(secret.size(), 10u);
  EXPECT_THAT(refused.error_message(), Not(HasSubstr(secret)));
  // The call log records the refusal with the key id.
  bool logged = false;
  for (const std::string& line : env->LogLines()) {
    if (line.find("FirmService/GetFirm RESOURCE_EXHAUSTED") != std::string::npos &&
        line.find("key=" + limited.record.id) != std::string::npos) {
      logged = true;
    }
    EXPECT_THAT(line, Not(HasSubstr(secret)));
  }
  EXPECT_TRUE(logged);

  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(Passed(*env, limited.token, 3), 1);
  clock_.Advance(absl::Seconds(60));
  EXPECT_EQ(Passed(*env, limited.token, 5), 3);
}

TEST_F(GrpcRateLimitTest, OtherKeysAreUnaffected) {
  std::unique_ptr<GrpcTestEnv> env = MakeEnv({});
  ASSERT_TRUE(env->ok());
  const TestKey limited = LimitedKey(*env, 1, 1);
  const TestKey other = LimitedKey(*env, 1, 1);
  EXPECT_EQ(Passed(*env, limited.token, 5), 1);
  // Unlimited keys (the default is 0: unlimited) and another limited key
  // with its own bucket.
  EXPECT_EQ(Passed(*env, env->Token("reader"), 200), 200);
  EXPECT_EQ(Passed(*env, env->Token("admin"), 50), 50);
  EXPECT_EQ(Passed(*env, other.token, 5), 1);
}

TEST_F(GrpcRateLimitTest, AKeysOwnLimitBeatsTheServeWideDefault) {
  std::unique_ptr<GrpcTestEnv> env = MakeEnv({2, 2});
  ASSERT_TRUE(env->ok());
  const TestKey generous = LimitedKey(*env, 100, 40);
  const TestKey strict = LimitedKey(*env, 1, 1);
  EXPECT_EQ(Passed(*env, env->Token("reader"), 10), 2) << "the default applies";
  EXPECT_EQ(Passed(*env, generous.token, 60), 40) << "its own, larger limit";
  EXPECT_EQ(Passed(*env, strict.token, 10), 1) << "its own, smaller limit";
}

TEST_F(GrpcRateLimitTest, ARefusedCallDoesNoWork) {
  std::unique_ptr<GrpcTestEnv> env = MakeEnv({1, 1});
  ASSERT_TRUE(env->ok());
  const size_t audit_rows = env->engine().AuditLog({})->size();
  v1::CreateFirmRequest first;
  *first.mutable_firm() = NewFirm("allowed-firm");
  ASSERT_TRUE(
      env->Call(env->Token("writer"), env->firms(), &v1::FirmService::Stub::CreateFirm, first)
          .ok());
  v1::CreateFirmRequest second;
  *second.mutable_firm() = NewFirm("refused-firm");
  const grpc::Status refused =
      env->Call(env->Token("writer"), env->firms(), &v1::FirmService::Stub::CreateFirm, second);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(refused);
  EXPECT_TRUE(Contains(env->StoredIds(), "allowed-firm"));
  EXPECT_FALSE(Contains(env->StoredIds(), "refused-firm"));
  EXPECT_EQ(env->engine().AuditLog({})->size(), audit_rows + 1);
  // The limit is checked before the role: a reader refused for its rate is
  // told so, not that it may not write.
  v1::CreateFirmRequest by_reader;
  *by_reader.mutable_firm() = NewFirm("reader-firm");
  ASSERT_EQ(
      env->Call(env->Token("reader"), env->firms(), &v1::FirmService::Stub::CreateFirm, by_reader)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      env->Call(env->Token("reader"), env->firms(), &v1::FirmService::Stub::CreateFirm, by_reader)
          .error_code(),
      grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(GrpcRateLimitTest, CreateKeyCarriesTheLimitAndTheNewKeyIsHeldToIt) {
  std::unique_ptr<GrpcTestEnv> env = MakeEnv({});
  ASSERT_TRUE(env->ok());
  v1::CreateKeyRequest request;
  request.set_role(v1::KEY_ROLE_READER);
  request.set_rate_limit(0.5);
  request.set_rate_burst(2);
  v1::CreateKeyResponse created;
  grpc::Status status = env->Call(env->Token("admin"), env->admin(),
                                  &v1::AdminService::Stub::CreateKey, request, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(created.key().rate_limit(), 0.5);
  EXPECT_EQ(created.key().rate_burst(), 2);
  EXPECT_EQ(Passed(*env, created.secret(), 4), 2);
  clock_.Advance(absl::Seconds(2));
  EXPECT_EQ(Passed(*env, created.secret(), 4), 1);

  v1::ListKeysResponse listed;
  status = env->Call(env->Token("admin"), env->admin(), &v1::AdminService::Stub::ListKeys,
                     v1::ListKeysRequest(), &listed);
  ASSERT_TRUE(status.ok()) << Describe(status);
  bool found = false;
  for (const v1::ApiKey& key : listed.keys()) {
    if (key.id() != created.key().id()) continue;
    found = true;
    EXPECT_EQ(key.rate_limit(), 0.5);
    EXPECT_EQ(key.rate_burst(), 2);
  }
  EXPECT_TRUE(found);

  // Bad limits name their field and make no key.
  const size_t keys = env->keys().size();
  for (const auto& [rate, burst, field] :
       std::vector<std::tuple<double, int, std::string>>{{-1, 0, "rate_limit"},
                                                         {2e9, 0, "rate_limit"},
                                                         {0, 3, "rate_burst"},
                                                         {5, -2, "rate_burst"}}) {
    v1::CreateKeyRequest bad;
    bad.set_role(v1::KEY_ROLE_READER);
    bad.set_rate_limit(rate);
    bad.set_rate_burst(burst);
    status = env->Call(env->Token("admin"), env->admin(), &v1::AdminService::Stub::CreateKey, bad);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_THAT(status.error_message(), HasSubstr(field));
  }
  EXPECT_EQ(env->keys().size(), keys);
}

TEST_F(GrpcRateLimitTest, LimitsHoldOverALoopbackPort) {
  std::unique_ptr<GrpcTestEnv> env = MakeEnv({3, 3}, /*on_port=*/true);
  ASSERT_TRUE(env->ok());
  ASSERT_GT(env->server().port(), 0);
  std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(
      "127.0.0.1:" + std::to_string(env->server().port()), grpc::InsecureChannelCredentials());
  std::unique_ptr<v1::FirmService::Stub> stub = v1::FirmService::NewStub(channel);
  int passed = 0;
  int exhausted = 0;
  for (int i = 0; i < 6; ++i) {
    grpc::ClientContext context;
    Prepare(context, env->Token("reader"));
    v1::GetFirmRequest request;
    request.set_id("mes");
    v1::Firm response;
    const grpc::Status status = stub->GetFirm(&context, request, &response);
    passed += status.ok();
    exhausted += status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED;
  }
  EXPECT_EQ(passed, 3);
  EXPECT_EQ(exhausted, 3);
}

}  // namespace
}  // namespace clustermatch::grpc_test
