// Names of audit actions and actors, and which rows concern a firm (see
// audit_log.h).
#include "engine/audit_log.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace clustermatch {

WriteActor WriteActor::ApiKey(std::string_view key_id) {
  return WriteActor{"key:" + std::string(key_id)};
}

WriteActor WriteActor::CommandLine(std::string_view user) {
  return WriteActor{"cli:" + std::string(user)};
}

WriteActor WriteActor::CurrentUser() {
  const uid_t uid = geteuid();
  passwd entry{};
  passwd* found = nullptr;
  char buffer[4096];
  if (getpwuid_r(uid, &entry, buffer, sizeof(buffer), &found) == 0 && found != nullptr &&
      found->pw_name != nullptr && found->pw_name[0] != '\0') {
    return CommandLine(found->pw_name);
  }
  const char* user = std::getenv("USER");
  if (user != nullptr && user[0] != '\0') return CommandLine(user);
  return CommandLine("uid" + std::to_string(uid));
}

WriteActor WriteActor::System() { return WriteActor{"system"}; }

std::string_view AuditActionName(AuditAction action) {
  switch (action) {
    case AuditAction::kCreateFirm:
      return "create_firm";
    case AuditAction::kUpdateFirm:
      return "update_firm";
    case AuditAction::kDeleteFirm:
      return "delete_firm";
    case AuditAction::kImportFirm:
      return "import_firm";
    case AuditAction::kAddRelation:
      return "add_relation";
    case AuditAction::kTrain:
      return "train";
    case AuditAction::kRetrain:
      return "retrain";
    case AuditAction::kAddKey:
      return "add_key";
    case AuditAction::kRevokeKey:
      return "revoke_key";
  }
  return "unknown";
}

std::string AuditRelationSubject(std::string_view a, std::string_view b, std::string_view kind) {
  std::string subject(a);
  subject.append("->");
  subject.append(b);
  subject.push_back(' ');
  subject.append(kind);
  return subject;
}

bool AuditEntryConcerns(const AuditEntry& entry, std::string_view firm_id) {
  const std::string_view action = entry.action;
  const std::string_view subject = entry.subject;
  if (action == "create_firm" || action == "update_firm" || action == "delete_firm" ||
      action == "import_firm") {
    return subject == firm_id;
  }
  if (action != "add_relation") return false;
  // "a->b kind": the kind has no spaces; ids may, so a and b are matched
  // from the ends of "a->b".
  const size_t space = subject.rfind(' ');
  const std::string_view pair = subject.substr(0, space == std::string_view::npos ? 0 : space);
  const std::string prefix = std::string(firm_id) + "->";
  const std::string suffix = "->" + std::string(firm_id);
  return pair.starts_with(prefix) || pair.ends_with(suffix);
}

}  // namespace clustermatch
