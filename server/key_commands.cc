#include "server/key_commands.h"

#include <CLI/CLI.hpp>
#include <optional>
#include <string_view>
#include <vector>

#include "engine/status_macros.h"
#include "server/api_key_secret.h"

namespace clustermatch {
namespace {

bool HasControlCharacter(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

absl::Status CheckText(std::string_view flag, std::string_view value) {
  if (HasControlCharacter(value)) {
    return absl::InvalidArgumentError(std::string(flag) +
                                      ": must not contain control characters (tabs, newlines)");
  }
  return absl::OkStatus();
}

// "admin, members, cluster changwon"
std::string Describe(const ApiKeyRecord& key) {
  std::string text =
      std::string(KeyRoleName(key.role)) + ", " + std::string(KeyScopeName(key.scope));
  if (!key.cluster.empty()) text += ", cluster " + key.cluster;
  if (key.rate_limit > 0) text += ", " + DescribeKeyRateLimit(key);
  return text;
}

absl::Status Add(const KeyCommandOptions& o, Engine& engine, std::ostream& out, std::ostream& err) {
  const std::optional<KeyRole> role = ParseKeyRole(o.role);
  if (!role.has_value()) {
    return absl::InvalidArgumentError(
        "--role: expected reader, writer, organiser or admin, got \"" + o.role + "\"");
  }
  const std::optional<KeyScope> scope = ParseKeyScope(o.scope);
  if (!scope.has_value()) {
    return absl::InvalidArgumentError("--scope: expected public or members, got \"" + o.scope +
                                      "\"");
  }
  CM_RETURN_IF_ERROR(CheckText("--cluster", o.cluster));
  CM_RETURN_IF_ERROR(CheckText("--label", o.label));
  CM_RETURN_IF_ERROR(
      ValidateKeyRateLimit(o.rate_limit, o.rate_burst, "--rate-limit", "--rate-burst"));

  CM_ASSIGN_OR_RETURN(NewApiKey made, GenerateApiKey());
  ApiKeyRecord key;
  key.id = made.id;
  key.role = *role;
  key.scope = *scope;
  key.cluster = o.cluster;
  key.label = o.label;
  key.secret_sha256 = made.secret_sha256;
  key.rate_limit = o.rate_limit;
  key.rate_burst = o.rate_burst;
  CM_RETURN_IF_ERROR(engine.AddApiKey(key, WriteActor::CurrentUser()));
  out << made.token << "\n" << std::flush;
  err << "key " << key.id << " (" << Describe(key)
      << ") created; this is the only time the key is shown\n";
  return absl::OkStatus();
}

absl::Status List(Engine& engine, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(const std::vector<ApiKeyRecord> keys, engine.ListApiKeys());
  out << "id\trole\tscope\tcluster\tlabel\trate\tcreated\trevoked\n";
  for (const ApiKeyRecord& key : keys) {
    out << key.id << "\t" << KeyRoleName(key.role) << "\t" << KeyScopeName(key.scope) << "\t"
        << key.cluster << "\t" << key.label << "\t" << DescribeKeyRateLimit(key) << "\t"
        << key.created_at << "\t" << key.revoked_at << "\n";
  }
  return absl::OkStatus();
}

absl::Status Revoke(const KeyCommandOptions& o, Engine& engine, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(const ApiKeyRecord key, engine.RevokeApiKey(o.id, WriteActor::CurrentUser()));
  out << "revoked key " << key.id << "\n";
  return absl::OkStatus();
}

}  // namespace

void AddKeyCommands(CLI::App& app, KeyCommandOptions& options) {
  CLI::App* keys = app.add_subcommand("keys", "Manage the API keys of the gRPC server");
  keys->require_subcommand(1);

  CLI::App* add = keys->add_subcommand("add", "Make a key; prints it once, on stdout");
  add->add_option("--role", options.role, "reader, writer, organiser or admin")
      ->required()
      ->check(CLI::IsMember({"reader", "writer", "organiser", "admin"}));
  add->add_option("--scope", options.scope, "public (default) or members")
      ->check(CLI::IsMember({"public", "members"}));
  add->add_option("--cluster", options.cluster, "The only cluster the key may see");
  add->add_option("--label", options.label, "Free text, e.g. who holds the key");
  add->add_option("--rate-limit", options.rate_limit,
                  "The key's own limit in requests per second (default: the server's "
                  "serve --rate-limit); over it, calls get RESOURCE_EXHAUSTED")
      ->check(CLI::Range(0.0, kMaxKeyRateLimit));
  add->add_option("--rate-burst", options.rate_burst,
                  "Requests the key may make at once (default: one second's worth)")
      ->check(CLI::Range(0, kMaxKeyRateBurst));
  add->callback([&options] { options.command = KeyCommand::kAdd; });

  CLI::App* list = keys->add_subcommand("list", "List keys, revoked ones included");
  list->callback([&options] { options.command = KeyCommand::kList; });

  CLI::App* revoke = keys->add_subcommand("revoke", "Revoke a key by its id");
  revoke->add_option("id", options.id, "Key id (12 hex digits)")->required();
  revoke->callback([&options] { options.command = KeyCommand::kRevoke; });
}

bool KeyCommandWrites(const KeyCommandOptions& options) {
  return options.command == KeyCommand::kAdd || options.command == KeyCommand::kRevoke;
}

absl::Status RunKeyCommand(const KeyCommandOptions& options, Engine& engine, std::ostream& out,
                           std::ostream& err) {
  switch (options.command) {
    case KeyCommand::kAdd:
      return Add(options, engine, out, err);
    case KeyCommand::kList:
      return List(engine, out);
    case KeyCommand::kRevoke:
      return Revoke(options, engine, out);
    case KeyCommand::kNone:
      break;
  }
  return absl::InvalidArgumentError("keys: expected a subcommand: add, list or revoke");
}

}  // namespace clustermatch
