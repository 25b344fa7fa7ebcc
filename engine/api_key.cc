// Names of API key roles and scopes, as the store, the CLI and the server
// spell them.
#include "engine/api_key.h"

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

}  // namespace clustermatch
