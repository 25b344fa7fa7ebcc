// KeyRing authentication, and keys kept in a real store: only the hash is on
// disk, and a ring loaded from the store accepts the token.
#include "server/key_ring.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "engine/firm_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/api_key_secret.h"
#include "tests/engine/store_test_support.h"

namespace clustermatch {
namespace {

using ::clustermatch::store_test::ScratchDir;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kMissing[] = "missing API key: send 'authorization: Bearer KEY'";
constexpr char kInvalid[] = "invalid API key";

struct IssuedKey {
  std::string token;
  ApiKeyRecord record;
};

IssuedKey Issue(KeyRole role, KeyScope scope, const std::string& cluster) {
  absl::StatusOr<NewApiKey> made = GenerateApiKey();
  EXPECT_TRUE(made.ok()) << made.status();
  IssuedKey key;
  key.token = made->token;
  key.record.id = made->id;
  key.record.role = role;
  key.record.scope = scope;
  key.record.cluster = cluster;
  key.record.label = "test";
  key.record.secret_sha256 = made->secret_sha256;
  key.record.created_at = "2024-05-01T00:00:00Z";
  return key;
}

// The Unauthenticated message, or "" when authentication succeeded or failed
// otherwise.
std::string Refusal(const KeyRing& ring, const std::string& header) {
  const absl::StatusOr<Caller> caller = ring.Authenticate(header);
  if (caller.ok() || caller.status().code() != absl::StatusCode::kUnauthenticated) return "";
  return std::string(caller.status().message());
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class KeyRingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ring_.Replace({admin_.record, reader_.record});
    ASSERT_EQ(ring_.size(), 2u);
  }

  KeyRing ring_;
  const IssuedKey admin_ = Issue(KeyRole::kAdmin, KeyScope::kMembers, "");
  const IssuedKey reader_ = Issue(KeyRole::kReader, KeyScope::kPublic, "changwon");
};

TEST_F(KeyRingTest, BearerTokenGivesTheCaller) {
  absl::StatusOr<Caller> caller = ring_.Authenticate("Bearer " + admin_.token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(*caller, (Caller{admin_.record.id, KeyRole::kAdmin, KeyScope::kMembers, ""}));

  caller = ring_.Authenticate("Bearer " + reader_.token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(*caller, (Caller{reader_.record.id, KeyRole::kReader, KeyScope::kPublic, "changwon"}));
}

TEST_F(KeyRingTest, SchemeIsCaseInsensitiveAndSpacesAreTolerated) {
  for (const std::string& header :
       {"bearer " + admin_.token, "BEARER " + admin_.token, "BeArEr " + admin_.token,
        "Bearer   " + admin_.token + "  ", "  Bearer\t" + admin_.token}) {
    const absl::StatusOr<Caller> caller = ring_.Authenticate(header);
    ASSERT_TRUE(caller.ok()) << header << ": " << caller.status();
    EXPECT_EQ(caller->key_id, admin_.record.id);
  }
}

TEST_F(KeyRingTest, MissingKeyIsToldHowToSendOne) {
  for (const std::string header : {"", "   ", "Bearer", "bearer   ", "Bearer \t"}) {
    EXPECT_EQ(Refusal(ring_, header), kMissing) << "header \"" << header << "\"";
  }
}

TEST_F(KeyRingTest, WrongUnknownAndMalformedKeysGetOneMessageWithoutTheToken) {
  // Same id, other secret.
  std::string wrong_secret = admin_.token;
  wrong_secret[20] = wrong_secret[20] == 'A' ? 'B' : 'A';
  const IssuedKey stranger = Issue(KeyRole::kAdmin, KeyScope::kMembers, "");
  const std::vector<std::string> tokens = {
      wrong_secret,
      stranger.token,  // well-formed, unknown id
      "abc",
      admin_.token.substr(0, admin_.token.size() - 1),
      admin_.token + "x",
      "Bearer " + admin_.token,  // "Bearer Bearer <token>"
  };
  for (const std::string& token : tokens) {
    const std::string message = Refusal(ring_, "Bearer " + token);
    EXPECT_EQ(message, kInvalid) << token;
  }
  // Another scheme, or no scheme at all.
  for (const std::string& header :
       std::vector<std::string>{"Basic " + admin_.token, admin_.token, "Token abc"}) {
    const std::string message = Refusal(ring_, header);
    EXPECT_THAT(message, HasSubstr(kInvalid)) << header;
    EXPECT_THAT(message, Not(HasSubstr(admin_.token.substr(16)))) << header;
  }
}

TEST_F(KeyRingTest, RevokedKeyIsNamedOnlyToItsHolder) {
  ApiKeyRecord revoked = admin_.record;
  revoked.revoked_at = "2024-06-01T00:00:00Z";
  ring_.Put(revoked);
  EXPECT_EQ(ring_.size(), 2u);
  EXPECT_EQ(Refusal(ring_, "Bearer " + admin_.token),
            "API key " + admin_.record.id + " was revoked");
  std::string wrong_secret = admin_.token;
  wrong_secret[30] = wrong_secret[30] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Refusal(ring_, "Bearer " + wrong_secret), kInvalid);
  EXPECT_TRUE(ring_.Authenticate("Bearer " + reader_.token).ok());
}

TEST_F(KeyRingTest, ReplaceDropsKeysAndPutAddsThem) {
  const IssuedKey writer = Issue(KeyRole::kWriter, KeyScope::kPublic, "");
  EXPECT_EQ(Refusal(ring_, "Bearer " + writer.token), kInvalid);
  ring_.Put(writer.record);
  EXPECT_TRUE(ring_.Authenticate("Bearer " + writer.token).ok());
  ring_.Replace({writer.record});
  EXPECT_EQ(ring_.size(), 1u);
  EXPECT_EQ(Refusal(ring_, "Bearer " + admin_.token), kInvalid);
  EXPECT_TRUE(ring_.Authenticate("Bearer " + writer.token).ok());
}

TEST_F(KeyRingTest, ConcurrentAuthenticationAndUpdates) {
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        if (!ring_.Authenticate("Bearer " + reader_.token).ok()) failures.fetch_add(1);
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    const IssuedKey extra = Issue(KeyRole::kReader, KeyScope::kPublic, "");
    ring_.Put(extra.record);
    if (i % 50 == 0) ring_.Replace({admin_.record, reader_.record, extra.record});
  }
  stop.store(true);
  for (std::thread& thread : readers) thread.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST(KeyStoreTest, StoreHoldsTheHashNotTheTokenAndARingFromItAuthenticates) {
  ScratchDir dir;
  ASSERT_TRUE(dir.ok());
  const std::string path = dir.File("keys.db");
  const IssuedKey kept = Issue(KeyRole::kOrganiser, KeyScope::kMembers, "gimhae");
  const IssuedKey dropped = Issue(KeyRole::kWriter, KeyScope::kPublic, "");
  {
    absl::StatusOr<std::unique_ptr<FirmStore>> store = FirmStore::Open(path, {});
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_TRUE((*store)->PutApiKey(kept.record).ok());
    ASSERT_TRUE((*store)->PutApiKey(dropped.record).ok());
    ASSERT_TRUE((*store)->RevokeApiKey(dropped.record.id, "2024-06-01T00:00:00Z").ok());
  }
  // Every file of the store, the WAL included if one was left.
  std::string bytes;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::filesystem::path(path).parent_path())) {
    bytes += ReadBytes(entry.path().string());
  }
  ASSERT_THAT(bytes, HasSubstr(kept.record.id));
  ASSERT_THAT(bytes, HasSubstr(kept.record.secret_sha256));
  for (const IssuedKey* key : {&kept, &dropped}) {
    EXPECT_THAT(bytes, Not(HasSubstr(key->token)));
    EXPECT_THAT(bytes, Not(HasSubstr(key->token.substr(16))));  // the secret alone
  }

  StoreOptions read_only;
  read_only.read_only = true;
  absl::StatusOr<std::unique_ptr<FirmStore>> store = FirmStore::Open(path, read_only);
  ASSERT_TRUE(store.ok()) << store.status();
  absl::StatusOr<std::vector<ApiKeyRecord>> keys = (*store)->ListApiKeys();
  ASSERT_TRUE(keys.ok()) << keys.status();
  KeyRing ring;
  ring.Replace(*std::move(keys));
  const absl::StatusOr<Caller> caller = ring.Authenticate("Bearer " + kept.token);
  ASSERT_TRUE(caller.ok()) << caller.status();
  EXPECT_EQ(*caller, (Caller{kept.record.id, KeyRole::kOrganiser, KeyScope::kMembers, "gimhae"}));
  EXPECT_EQ(Refusal(ring, "Bearer " + dropped.token),
            "API key " + dropped.record.id + " was revoked");
}

}  // namespace
}  // namespace clustermatch
