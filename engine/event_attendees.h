// The attendee list of a networking event, as organisers export it from a
// registration system or Excel (PRODUCT.md, "Attendees"), and the must-meet
// and never-meet pairs it asks for.
//
// The CSV is UTF-8 (with or without a byte order mark) or CP949, detected or
// named (text_encoding.h). The header row names the columns, in any order and
// any case:
//   firm_id          required (`id` is accepted instead); the firm's id
//   representatives  meetings the firm can hold at once; 1 to 20, default 1
//   max_meetings     this attendee's meeting cap; 1 to 1,920; empty: the
//                    event's cap applies (stored as 0)
//   side             buyer, supplier (or 구매, 구매자, 공급, 공급자) or empty
//   available        windows "10:00-12:00;14:00-17:00"; empty: all day
//   available_from, available_to
//                    one window as two times, either may be empty (start or
//                    end of the day); a file uses these or `available`
//   must_meet, never_meet
//                    firm ids separated by ';'
//   plus the firm CSV columns (firm_csv.h) except id: an inline profile for a
//   firm that is not in the store. A row with any of them non-empty carries a
//   profile whose id is firm_id, checked with ValidateFirm.
// Whether a firm without an inline profile exists in the store is for the
// caller to check. Rows whose cells are all empty are skipped.
//
// All functions are thread-safe.
#ifndef CLUSTERMATCH_ENGINE_EVENT_ATTENDEES_H_
#define CLUSTERMATCH_ENGINE_EVENT_ATTENDEES_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/event_plan.h"
#include "engine/firm.h"

namespace clustermatch {

inline constexpr int kMaxRepresentatives = 20;
inline constexpr int kMaxAttendeeMeetings = 1920;  // 96 slots x 20 representatives

// Which side of a buyer/supplier event an attendee is on. With sides, only
// cross-side meetings are held; kUnspecified attendees take no side.
enum class Side : uint8_t {
  kUnspecified = 0,
  kBuyer = 1,
  kSupplier = 2,
};

// "", "buyer" or "supplier".
std::string_view SideName(Side side);

// "buyer"/"supplier" (any case), 구매/구매자/공급/공급자, or "" for
// kUnspecified (surrounding whitespace ignored); nullopt for anything else.
std::optional<Side> ParseSide(std::string_view text);

struct EventAttendee {
  std::string firm_id;
  std::optional<Firm> profile;  // inline profile, if the row has one
  int representatives = 1;
  int max_meetings = 0;  // 0: the event's cap applies
  Side side = Side::kUnspecified;
  std::vector<TimeWindow> available;    // sorted, merged; empty: all day
  std::vector<std::string> must_meet;   // unique, in file order
  std::vector<std::string> never_meet;  // unique, in file order
  int line = 0;                         // physical line where the row starts
};

// Parses a whole attendee file (see above). Firm ids are unique, and no
// attendee names itself in must_meet or never_meet. The first problem
// rejects the whole file with InvalidArgument "FILE:LINE: FIELD: reason",
// e.g.
//   attendees.csv:7: representatives: must be 1 to 20, got 0
//   attendees.csv:3: available: window "12:00-10:00": ends before it starts
//   attendees.csv:9: firm_id: duplicate id "GV-0001", first on line 4
absl::StatusOr<std::vector<EventAttendee>> ParseAttendeesCsv(std::string_view bytes,
                                                             const std::string& file_name,
                                                             const std::string& encoding);

// A pair of firm ids, the smaller first.
using FirmPair = std::pair<std::string, std::string>;

struct PairConflict {
  FirmPair pair;
  std::string description;  // which rows asked for what, and what wins
};

struct PairRules {
  std::vector<FirmPair> must_meet;   // sorted, unique; without conflicts
  std::vector<FirmPair> never_meet;  // sorted, unique
  // Pairs both must and never meet (never wins: they stay in never_meet),
  // and must-meet pairs on the same side (buyer-buyer or supplier-supplier,
  // which never meet): dropped from must_meet.
  std::vector<PairConflict> conflicts;
  // Ids in must_meet or never_meet that are not attendees, ignored, one note
  // each, e.g. "line 5: must_meet: \"GV-9999\" is not an attendee".
  std::vector<std::string> unknown_ids;
};

// Collects the pairs symmetrically: an entry in either attendee's row
// counts.
PairRules CollectPairRules(std::span<const EventAttendee> attendees);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_EVENT_ATTENDEES_H_
