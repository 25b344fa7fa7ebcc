// Page tokens for list calls: opaque to clients, bound to the request that
// made them. A token carries a cursor (the last id listed, or an offset) and a
// digest of the cursor with the request's other fields, so a token altered,
// or replayed with a different filter, is refused with INVALID_ARGUMENT
// instead of silently listing the wrong thing. The digest is not keyed: a
// client that knows this scheme can make a token, which gains it nothing,
// since every page applies the caller's access scope anew.
#ifndef CLUSTERMATCH_SERVER_PAGE_TOKEN_H_
#define CLUSTERMATCH_SERVER_PAGE_TOKEN_H_

#include <string>
#include <string_view>

#include <google/protobuf/message.h>

#include "absl/status/statusor.h"

namespace clustermatch {

// A stable digest of `request` with its page_token and page_size fields
// cleared (the page size may change between pages).
std::string RequestFingerprint(const google::protobuf::Message& request);

std::string EncodePageToken(std::string_view fingerprint, std::string_view cursor);
// The cursor; InvalidArgument "page_token: ..." for a malformed token or
// one made for another request. An empty token is an empty cursor.
absl::StatusOr<std::string> DecodePageToken(std::string_view token, std::string_view fingerprint);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_PAGE_TOKEN_H_
