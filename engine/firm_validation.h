// Validation of firm profiles and relations. Every error is InvalidArgument
// with a message that starts with the field path, e.g.
// "needs[2]: not valid UTF-8" or "id: longer than 128 bytes".
#ifndef CLUSTERMATCH_ENGINE_FIRM_VALIDATION_H_
#define CLUSTERMATCH_ENGINE_FIRM_VALIDATION_H_

#include <cstddef>

#include "absl/status/status.h"
#include "engine/firm.h"

namespace clustermatch {

// Limits per field (bytes of UTF-8, and list lengths).
struct FirmLimits {
  static constexpr size_t kIdBytes = 128;
  static constexpr size_t kNameBytes = 300;
  static constexpr size_t kDescriptionBytes = 8000;
  static constexpr size_t kShortTextBytes = 100;  // clusters, mini_cluster, region, industries
  static constexpr size_t kPhraseBytes =
      500;  // technologies, products, offers, needs, materials, markets
  static constexpr size_t kListItems = 64;
  static constexpr int kMaxEmployees = 10'000'000;
  static constexpr int kMinFounded = 1800;
  static constexpr int kMaxFounded = 2100;
};

// Checks one profile: the id is non-empty, at most 128 bytes, without control
// characters; every text is valid UTF-8 without control characters (C0, DEL
// and C1; the description may hold tab, LF and CR) and within its limit; list
// items are non-empty and not repeated (byte-exact comparison), at most 64 per
// list; enums hold known values; employees is 0 to 10,000,000; founded is 0
// (unknown) or 1800 to 2100. Fields are checked in declaration order and the
// first failure is returned.
absl::Status ValidateFirm(const Firm& firm);

// Checks one relation: both ids valid (as Firm::id) and different, a known
// kind, a date "YYYY" or "YYYY-MM-DD" that exists in the calendar with a year
// from 1800 to 2100, and a context of at most 128 bytes of UTF-8 without
// control characters (may be empty).
absl::Status ValidateRelation(const Relation& relation);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIRM_VALIDATION_H_
