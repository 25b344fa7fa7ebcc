// Names of API key roles and scopes, as the store, the CLI and the server
// spell them.
#include "engine/api_key.h"

#include <cmath>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace clustermatch {

std::string_view KeyRoleName(KeyRole role) {
  switch (role) {
    case KeyRole::kReader:
      return "reader";
    case KeyRole::kWriter:
      return "writer";
    case KeyRole::kOrganiser:
      return "organiser";
    case KeyRole::kAdmin:
      return "admin";
  }
  return "unknown";
}

std::string_view KeyScopeName(KeyScope scope) {
  switch (scope) {
    case KeyScope::kPublic:
      return "public";
    case KeyScope::kMembers:
      return "members";
  }
  return "unknown";
}

std::optional<KeyRole> ParseKeyRole(std::string_view text) {
  for (KeyRole role : {KeyRole::kReader, KeyRole::kWriter, KeyRole::kOrganiser, KeyRole::kAdmin}) {
    if (text == KeyRoleName(role)) return role;
  }
  return std::nullopt;
}

std::optional<KeyScope> ParseKeyScope(std::string_view text) {
  for (KeyScope scope : {KeyScope::kPublic, KeyScope::kMembers}) {
    if (text == KeyScopeName(scope)) return scope;
  }
  return std::nullopt;
}

absl::Status ValidateKeyRateLimit(double rate_limit, int rate_burst, std::string_view rate_field,
                                  std::string_view burst_field) {
  if (!std::isfinite(rate_limit) || rate_limit < 0 || rate_limit > kMaxKeyRateLimit) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(rate_field), ": must be 0 (the server default) or a rate up to ",
                     kMaxKeyRateLimit, " requests per second, got ", rate_limit));
  }
  if (rate_burst < 0 || rate_burst > kMaxKeyRateBurst) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(burst_field),
                                                   ": must be between 0 and ", kMaxKeyRateBurst,
                                                   ", got ", rate_burst));
  }
  if (rate_limit == 0 && rate_burst != 0) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(burst_field), ": needs ",
                                                   std::string(rate_field), " (a burst of ",
                                                   rate_burst, " without a rate)"));
  }
  return absl::OkStatus();
}

std::string DescribeKeyRateLimit(const ApiKeyRecord& key) {
  if (key.rate_limit <= 0) return "default";
  std::ostringstream text;
  text << key.rate_limit << "/s";
  if (key.rate_burst > 0) text << ", burst " << key.rate_burst;
  return text.str();
}

}  // namespace clustermatch
