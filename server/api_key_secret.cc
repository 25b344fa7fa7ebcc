#include "server/api_key_secret.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace clustermatch {
namespace {

constexpr size_t kIdBytes = kApiKeyIdLength / 2;
constexpr size_t kSecretBytes = 32;
constexpr size_t kSha256Bytes = 32;
constexpr std::string_view kHexDigits = "0123456789abcdef";
constexpr std::string_view kBase64UrlDigits =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static_assert(kApiKeySecretLength == (kSecretBytes * 8 + 5) / 6);

absl::Status OpenSslError(std::string_view what) {
  const unsigned long code = ERR_get_error();
  std::array<char, 256> text{};
  ERR_error_string_n(code, text.data(), text.size());
  return absl::InternalError(absl::StrCat(std::string(what), ": ", text.data()));
}

std::string Hex(const unsigned char* bytes, size_t size) {
  std::string out;
  out.reserve(size * 2);
  for (size_t i = 0; i < size; ++i) {
    out += kHexDigits[bytes[i] >> 4];
    out += kHexDigits[bytes[i] & 0x0f];
  }
  return out;
}

// RFC 4648 section 5, without '=' padding.
std::string Base64Url(const unsigned char* bytes, size_t size) {
  std::string out;
  out.reserve((size * 8 + 5) / 6);
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < size; ++i) {
    buffer = (buffer << 8) | bytes[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kBase64UrlDigits[(buffer >> bits) & 0x3f];
    }
  }
  if (bits > 0) out += kBase64UrlDigits[(buffer << (6 - bits)) & 0x3f];
  return out;
}

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// The 6-bit value of a base64url digit, or -1.
int Base64UrlValue(char c) {
  const size_t at = kBase64UrlDigits.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

// The last digit of 32 bytes carries 4 data bits; the canonical encoding
// leaves its 2 low bits zero.
constexpr int kUnusedLowBits = static_cast<int>(kApiKeySecretLength * 6 - kSecretBytes * 8);

const EVP_MD* Sha256Digest() {
  // Fetched once: EVP_sha256() would look the implementation up per call.
  static const EVP_MD* const digest = [] {
    const EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return fetched != nullptr ? fetched : EVP_sha256();
  }();
  return digest;
}

}  // namespace

absl::StatusOr<NewApiKey> GenerateApiKey() {
  std::array<unsigned char, kIdBytes> id{};
  std::array<unsigned char, kSecretBytes> secret{};
  if (RAND_bytes(id.data(), id.size()) != 1) return OpenSslError("API key id: RAND_bytes");
  if (RAND_bytes(secret.data(), secret.size()) != 1) {
    return OpenSslError("API key secret: RAND_bytes");
  }
  NewApiKey key;
  key.id = Hex(id.data(), id.size());
  key.token = absl::StrCat(std::string(kApiKeyPrefix), key.id, "_",
                           Base64Url(secret.data(), secret.size()));
  OPENSSL_cleanse(secret.data(), secret.size());
  key.secret_sha256 = Sha256(key.token);
  if (key.secret_sha256.size() != kSha256Bytes) return OpenSslError("API key: SHA-256");
  return key;
}

absl::StatusOr<std::string> KeyIdOfToken(std::string_view token) {
  const absl::Status malformed = absl::UnauthenticatedError("malformed API key");
  if (token.size() != kApiKeyTokenLength ||
      token.substr(0, kApiKeyPrefix.size()) != kApiKeyPrefix) {
    return malformed;
  }
  const std::string_view id = token.substr(kApiKeyPrefix.size(), kApiKeyIdLength);
  for (char c : id) {
    if (!IsLowerHex(c)) return malformed;
  }
  if (token[kApiKeyPrefix.size() + kApiKeyIdLength] != '_') return malformed;
  const std::string_view secret = token.substr(kApiKeyTokenLength - kApiKeySecretLength);
  for (char c : secret) {
    if (Base64UrlValue(c) < 0) return malformed;
  }
  if ((Base64UrlValue(secret.back()) & ((1 << kUnusedLowBits) - 1)) != 0) return malformed;
  return std::string(id);
}

std::string Sha256(std::string_view data) {
  std::string digest(kSha256Bytes, '\0');
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), reinterpret_cast<unsigned char*>(digest.data()), &size,
                 Sha256Digest(), nullptr) != 1 ||
      size != kSha256Bytes) {
    return std::string();
  }
  return digest;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace clustermatch
