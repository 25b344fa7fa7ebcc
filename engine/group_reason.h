// GroupReason: one reason a coordinator reads out for a founder or a
// consortium member, kept structured so that each front door words it in
// the caller's language (server/group_reason_text.h).
#ifndef CLUSTERMATCH_ENGINE_GROUP_REASON_H_
#define CLUSTERMATCH_ENGINE_GROUP_REASON_H_

#include <cstdint>
#include <string>

namespace clustermatch {

struct GroupReason {
  enum class Kind : uint8_t {
    kLead = 0,            // the lead firm of a consortium
    kCovers = 1,          // best cover of `subject` (a sub-area or requirement)
    kCoversWith = 2,      // covers `subject` with its offer `detail`
    kAlsoOffers = 3,      // also offers `subject`, covered by another member; `value` its share
    kAlsoHasRole = 4,     // also has the role `subject`
    kTopicRelevance = 5,  // `value`: relevance to the topic relative to the best candidate
    kOffers = 6,          // offers `subject`, matched to the topic
    kResearchMember = 7,  // a university or research institute; `subject` the kind name
    kMiniCluster = 8,     // from mini-cluster `subject`
    kCoversRole = 9,      // has the required value-chain role `subject`
  };
  Kind kind = Kind::kCovers;
  std::string subject;
  std::string detail;
  float value = 0;

  friend bool operator==(const GroupReason&, const GroupReason&) = default;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_GROUP_REASON_H_
