#include "server/key_ring.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "server/api_key_secret.h"

namespace clustermatch {
namespace {

constexpr std::string_view kBearer = "bearer";

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trimmed(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsSpace(text.back())) text.remove_suffix(1);
  return text;
}

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (absl::ascii_tolower(static_cast<unsigned char>(a[i])) !=
        absl::ascii_tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

absl::Status Missing() {
  return absl::UnauthenticatedError("missing API key: send 'authorization: Bearer KEY'");
}

absl::Status Invalid() { return absl::UnauthenticatedError("invalid API key"); }

// The token of "Bearer <token>"; empty when there is none.
absl::StatusOr<std::string_view> BearerToken(std::string_view header) {
  const std::string_view value = Trimmed(header);
  if (value.empty()) return Missing();
  size_t scheme_end = 0;
  while (scheme_end < value.size() && !IsSpace(value[scheme_end])) ++scheme_end;
  if (!EqualsIgnoringCase(value.substr(0, scheme_end), kBearer)) {
    return absl::UnauthenticatedError("invalid API key: send 'authorization: Bearer KEY'");
  }
  const std::string_view token = Trimmed(value.substr(scheme_end));
  if (token.empty()) return Missing();
  return token;
}

}  // namespace

void KeyRing::Replace(std::vector<ApiKeyRecord> keys) {
  absl::flat_hash_map<std::string, ApiKeyRecord> table;
  table.reserve(keys.size());
  for (ApiKeyRecord& key : keys) {
    std::string id = key.id;
    table.insert_or_assign(std::move(id), std::move(key));
  }
  ExclusiveLock lock(&mutex_);
  keys_ = std::move(table);
}

void KeyRing::Put(const ApiKeyRecord& key) {
  ExclusiveLock lock(&mutex_);
  keys_.insert_or_assign(key.id, key);
}

size_t KeyRing::size() const {
  SharedLock lock(&mutex_);
  return keys_.size();
}

absl::StatusOr<Caller> KeyRing::Authenticate(std::string_view authorization_header_value) const {
  absl::StatusOr<std::string_view> token = BearerToken(authorization_header_value);
  if (!token.ok()) return token.status();
  absl::StatusOr<std::string> id = KeyIdOfToken(*token);
  if (!id.ok()) return Invalid();
  // Hashed outside the lock; a key's hash is 32 bytes, so a failed (empty)
  // digest matches nothing.
  const std::string digest = Sha256(*token);
  if (digest.empty()) return Invalid();

  SharedLock lock(&mutex_);
  const auto it = keys_.find(*id);
  if (it == keys_.end()) return Invalid();
  const ApiKeyRecord& key = it->second;
  if (!ConstantTimeEquals(digest, key.secret_sha256)) return Invalid();
  if (key.revoked()) {
    return absl::UnauthenticatedError(absl::StrCat("API key ", key.id, " was revoked"));
  }
  return Caller{key.id, key.role, key.scope, key.cluster, key.rate_limit, key.rate_burst};
}

}  // namespace clustermatch
