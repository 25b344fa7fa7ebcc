// API key material: making new keys, reading the public id out of a token,
// and the hash and comparison used to check one. Backed by OpenSSL's
// libcrypto (RAND_bytes, SHA-256, CRYPTO_memcmp).
//
// Token format: "cm_" + id + "_" + secret, where id is 12 lower-case hex
// digits (6 random bytes) and secret is 32 random bytes (256 bits) in
// base64url without padding (43 characters): 59 characters in all. The store
// keeps only SHA-256(token); the secret has enough entropy that no slow KDF
// is needed, so checking a key costs one SHA-256.
//
// Thread safety: every function may be called from any thread.
#ifndef CLUSTERMATCH_SERVER_API_KEY_SECRET_H_
#define CLUSTERMATCH_SERVER_API_KEY_SECRET_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace clustermatch {

inline constexpr std::string_view kApiKeyPrefix = "cm_";
inline constexpr size_t kApiKeyIdLength = 12;
inline constexpr size_t kApiKeySecretLength = 43;
inline constexpr size_t kApiKeyTokenLength =
    kApiKeyPrefix.size() + kApiKeyIdLength + 1 + kApiKeySecretLength;

struct NewApiKey {
  std::string id;             // 12 lower-case hex digits
  std::string token;          // the whole key; shown once, never stored
  std::string secret_sha256;  // Sha256(token), 32 raw bytes
};

// A fresh key from the system's CSPRNG; Internal if OpenSSL cannot supply
// random bytes.
absl::StatusOr<NewApiKey> GenerateApiKey();

// The id inside a token of the exact format above; Unauthenticated
// "malformed API key" for anything else (the token is never echoed).
absl::StatusOr<std::string> KeyIdOfToken(std::string_view token);

// SHA-256 of `data`: 32 raw bytes; empty (equal to no stored hash) in the
// unexpected case that libcrypto fails.
std::string Sha256(std::string_view data);

// Compares without leaking where the inputs differ; false when the lengths
// differ (lengths are not secret here: every hash is 32 bytes).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_API_KEY_SECRET_H_
