// Group reasons (engine/group_reason.h) and role names worded for people,
// in English or Korean, for the command line's reports and the gRPC
// responses of GroupService.
#ifndef CLUSTERMATCH_SERVER_GROUP_REASON_TEXT_H_
#define CLUSTERMATCH_SERVER_GROUP_REASON_TEXT_H_

#include <string>
#include <string_view>
#include <vector>

#include "engine/group_reason.h"
#include "server/cli_output.h"

namespace clustermatch {

std::string ReasonText(const GroupReason& reason, Language language);
std::vector<std::string> ReasonTexts(const std::vector<GroupReason>& reasons, Language language);

// A value-chain role's name ("production") in `language` ("생산").
std::string RoleLabel(std::string_view role, Language language);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_GROUP_REASON_TEXT_H_
