// API key material: generated keys are well-formed, distinct and hashed as
// documented; malformed tokens are refused without echoing them.
#include "server/api_key_secret.h"

#include <set>
#include <string>
#include <string_view>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace clustermatch {
namespace {

using ::testing::MatchesRegex;

std::string Cat(std::string_view a, std::string_view b, std::string_view c = "") {
  std::string out(a);
  out.append(b);
  out.append(c);
  return out;
}

std::string HexOf(const std::string& bytes) { return absl::BytesToHexString(bytes); }

TEST(Sha256Test, MatchesKnownDigests) {
  EXPECT_EQ(HexOf(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexOf(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256(std::string("a\0b", 3)).size(), 32u);
  EXPECT_NE(Sha256(std::string("a\0b", 3)), Sha256("a"));
}

TEST(GenerateApiKeyTest, KeysAreWellFormedDistinctAndHashedWhole) {
  std::set<std::string> ids;
  std::set<std::string> tokens;
  std::set<char> secret_digits;
  constexpr int kKeys = 500;
  for (int i = 0; i < kKeys; ++i) {
    absl::StatusOr<NewApiKey> key = GenerateApiKey();
    ASSERT_TRUE(key.ok()) << key.status();
    EXPECT_THAT(key->id, MatchesRegex("[0-9a-f]{12}"));
    EXPECT_THAT(key->token, MatchesRegex("cm_[0-9a-f]{12}_[A-Za-z0-9_-]{43}"));
    ASSERT_EQ(key->token.size(), kApiKeyTokenLength);
    EXPECT_EQ(key->token.substr(3, 12), key->id);
    EXPECT_EQ(key->secret_sha256.size(), 32u);
    EXPECT_EQ(key->secret_sha256, Sha256(key->token));
    absl::StatusOr<std::string> id = KeyIdOfToken(key->token);
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_EQ(*id, key->id);
    ids.insert(key->id);
    tokens.insert(key->token);
    const std::string secret = key->token.substr(16);
    secret_digits.insert(secret.begin(), secret.end() - 1);
  }
  EXPECT_EQ(ids.size(), static_cast<size_t>(kKeys));
  EXPECT_EQ(tokens.size(), static_cast<size_t>(kKeys));
  // 500 x 42 uniformly random digits use the whole base64url alphabet.
  EXPECT_EQ(secret_digits.size(), 64u);
}

TEST(KeyIdOfTokenTest, RefusesEverythingButTheExactFormat) {
  const std::string good = "cm_0123456789ab_" + std::string(42, 'A') + "w";
  ASSERT_TRUE(KeyIdOfToken(good).ok()) << KeyIdOfToken(good).status();
  EXPECT_EQ(*KeyIdOfToken(good), "0123456789ab");

  // Built with Cat: GCC 12 warns falsely (-Wrestrict) on "literal" + string.
  const std::string bad[] = {
      "",
      "cm_",
      good.substr(0, good.size() - 1),                                 // one short
      Cat(good, "A"),                                                  // one long
      Cat("CM", good.substr(2)),                                       // prefix case
      Cat("xx_", good.substr(3)),                                      // prefix
      Cat("cm_0123456789AB", good.substr(15)),                         // upper-case hex
      Cat("cm_0123456789ag", good.substr(15)),                         // not hex
      Cat("cm_0123456789ab-", good.substr(16)),                        // separator
      Cat(good.substr(0, 20), "+", good.substr(21)),                   // base64, not base64url
      Cat(good.substr(0, 20), "/", good.substr(21)),                   // base64, not base64url
      Cat(good.substr(0, 58), "="),                                    // padding
      Cat(good.substr(0, 58), "B"),                                    // non-canonical last digit
      Cat(" ", good.substr(1)),                                        // leading space
      Cat(good.substr(0, 30), std::string(1, '\0'), good.substr(31)),  // NUL
  };
  for (const std::string& token : bad) {
    const absl::StatusOr<std::string> id = KeyIdOfToken(token);
    ASSERT_FALSE(id.ok()) << token;
    EXPECT_EQ(id.status().code(), absl::StatusCode::kUnauthenticated) << token;
    EXPECT_EQ(std::string(id.status().message()), "malformed API key") << token;
  }
}

TEST(ConstantTimeEqualsTest, ComparesWholeStrings) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  const std::string hash = Sha256("token");
  std::string flipped = hash;
  flipped[31] = static_cast<char>(flipped[31] ^ 1);
  EXPECT_TRUE(ConstantTimeEquals(hash, Sha256("token")));
  EXPECT_FALSE(ConstantTimeEquals(hash, flipped));
}

}  // namespace
}  // namespace clustermatch
