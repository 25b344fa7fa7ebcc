// Pair scores for an event's meeting schedule (engine/meeting_schedule.h),
// taken from the attendees' match lists (Engine::RecommendWithin): a pair's
// score is the better of its two directions, so that a pair is a candidate
// when either attendee has the other near the top of its list.
#ifndef CLUSTERMATCH_ENGINE_EVENT_PAIR_SCORES_H_
#define CLUSTERMATCH_ENGINE_EVENT_PAIR_SCORES_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "engine/meeting_schedule.h"
#include "engine/recommender.h"

namespace clustermatch {

// lists[i] is attendee i's match list, best first; `index` maps a firm id to
// its attendee index. The first `candidates` entries of each list (all when
// candidates < 0) give pairs (i, index[firm_id]) scored max(0, score); a
// pair named by both attendees keeps the higher of the two scores. Entries
// whose firm is not in `index`, or is attendee i itself, are skipped. The
// result has a < b and is sorted by (a, b), one entry per pair.
std::vector<ScoredPair> PairsFromMatchLists(const std::vector<std::vector<Recommendation>>& lists,
                                            const absl::flat_hash_map<std::string, int>& index,
                                            int candidates);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_EVENT_PAIR_SCORES_H_
