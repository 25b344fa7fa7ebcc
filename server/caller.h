// Caller: who is making a gRPC call, as established by the API key it sent
// (see key_ring.h). The services decide what the caller may do and see from
// its role, scope and cluster.
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

  friend bool operator==(const Caller&, const Caller&) = default;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_CALLER_H_
