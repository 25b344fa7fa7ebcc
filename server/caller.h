// Caller: who is making a gRPC call, as established by the API key it sent
// (see key_ring.h). The services decide what the caller may do and see from
// its role, scope and cluster, how often it may call from its rate limit,
// and name it in the audit log by its key id.
#ifndef CLUSTERMATCH_SERVER_CALLER_H_
#define CLUSTERMATCH_SERVER_CALLER_H_

#include <string>

#include "engine/api_key.h"

namespace clustermatch {

struct Caller {
  std::string key_id;
  KeyRole role = KeyRole::kReader;
  KeyScope scope = KeyScope::kPublic;
  std::string cluster;  // the only cluster it may see; empty for all
  // The key's own rate limit (requests per second, burst); 0: the server's
  // default (see rate_limiter.h).
  double rate_limit = 0;
  int rate_burst = 0;

  friend bool operator==(const Caller&, const Caller&) = default;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_CALLER_H_
