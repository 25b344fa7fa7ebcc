// Fuzz entries for the file importers: firm JSONL and CSV, relation CSV and
// the event attendee CSV. Whatever an importer accepts must be valid, must
// survive the store unchanged, and (where the format has a writer) must
// round-trip through it.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "engine/event_attendees.h"
#include "engine/firm_csv.h"
#include "engine/firm_validation.h"
#include "engine/relation_csv.h"
#include "server/firm_jsonl.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_entries.h"

namespace clustermatch::fuzz {
namespace {

// Every firm valid, ids unique.
void CheckAcceptedFirms(std::span<const Firm> firms, std::string_view source) {
  absl::flat_hash_set<std::string> ids;
  for (const Firm& firm : firms) {
    const absl::Status valid = ValidateFirm(firm);
    FUZZ_CHECK(valid.ok(), source, ": accepted an invalid firm: ", valid.ToString(), "\n",
               Describe({&firm, 1}));
    FUZZ_CHECK(ids.insert(firm.id).second, source, ": accepted a repeated id \"",
               Printable(firm.id), "\"");
  }
}

// Rejections are InvalidArgument with a message (the file and line).
void CheckRejection(const absl::Status& status, std::string_view source) {
  FUZZ_CHECK(absl::IsInvalidArgument(status) && !status.message().empty(), source,
             ": unexpected rejection ", status.ToString());
}

}  // namespace

void FuzzFirmJsonl(std::string_view bytes) {
  absl::StatusOr<std::vector<Firm>> firms = ParseFirmsJsonl(bytes, "fuzz.jsonl");
  if (!firms.ok()) return CheckRejection(firms.status(), "firm_jsonl");
  CheckAcceptedFirms(*firms, "firm_jsonl");
  // WriteFirmsJsonl's output is a firm file of the same firms.
  const std::string written = WriteFirmsJsonl(*firms);
  absl::StatusOr<std::vector<Firm>> again = ParseFirmsJsonl(written, "written.jsonl");
  FUZZ_CHECK(again.ok(), "firm_jsonl: written file refused: ", again.status().ToString());
  FUZZ_CHECK(*again == *firms, "firm_jsonl: written file reads back different firms\nbefore:\n",
             Describe(*firms), "after:\n", Describe(*again));
  CheckStoreRoundTrip(*firms, "firm_jsonl");
}

void FuzzFirmCsv(std::string_view bytes) {
  absl::StatusOr<std::vector<Firm>> firms = ParseFirmsCsv(bytes, "fuzz.csv", "auto");
  if (!firms.ok()) {
    // A file in an encoding iconv cannot read at all is Internal; anything
    // else wrong is the file's fault.
    if (absl::IsInternal(firms.status())) return;
    return CheckRejection(firms.status(), "firm_csv");
  }
  CheckAcceptedFirms(*firms, "firm_csv");
  // Parsed cells are trimmed and list items hold no ';', so WriteFirmsCsv
  // promises that its output parses back to equal firms.
  const std::string written = WriteFirmsCsv(*firms);
  absl::StatusOr<std::vector<Firm>> again = ParseFirmsCsv(written, "written.csv", "auto");
  FUZZ_CHECK(again.ok(), "firm_csv: written file refused: ", again.status().ToString(),
             "\nfirms:\n", Describe(*firms));
  FUZZ_CHECK(*again == *firms, "firm_csv: written file reads back different firms\nbefore:\n",
             Describe(*firms), "after:\n", Describe(*again));
  CheckStoreRoundTrip(*firms, "firm_csv");
}

void FuzzRelationCsv(std::string_view bytes) {
  absl::StatusOr<std::vector<Relation>> relations = ParseRelationsCsv(bytes, "fuzz.csv", "auto");
  if (!relations.ok()) {
    if (absl::IsInternal(relations.status())) return;
    return CheckRejection(relations.status(), "relation_csv");
  }
  for (const Relation& relation : *relations) {
    const absl::Status valid = ValidateRelation(relation);
    FUZZ_CHECK(valid.ok(), "relation_csv: accepted an invalid relation: ", valid.ToString());
  }
  if (!relations->empty()) CheckRelationStoreRoundTrip(*relations);
}

void FuzzEventAttendees(std::string_view bytes) {
  absl::StatusOr<std::vector<EventAttendee>> attendees =
      ParseAttendeesCsv(bytes, "fuzz.csv", "auto");
  if (!attendees.ok()) {
    if (absl::IsInternal(attendees.status())) return;
    return CheckRejection(attendees.status(), "event_attendees");
  }
  absl::flat_hash_set<std::string> ids;
  std::vector<Firm> profiles;
  for (const EventAttendee& attendee : *attendees) {
    const std::string id = Printable(attendee.firm_id);
    FUZZ_CHECK(!attendee.firm_id.empty(), "event_attendees: empty firm_id");
    FUZZ_CHECK(ids.insert(attendee.firm_id).second, "event_attendees: repeated id ", id);
    FUZZ_CHECK(attendee.representatives >= 1 && attendee.representatives <= kMaxRepresentatives,
               "event_attendees: ", id, " representatives ", attendee.representatives);
    FUZZ_CHECK(attendee.max_meetings >= 0 && attendee.max_meetings <= kMaxAttendeeMeetings,
               "event_attendees: ", id, " max_meetings ", attendee.max_meetings);
    for (size_t i = 0; i < attendee.available.size(); ++i) {
      const TimeWindow& window = attendee.available[i];
      FUZZ_CHECK(0 <= window.start_minute && window.start_minute < window.end_minute &&
                     window.end_minute <= kMinutesPerDay,
                 "event_attendees: ", id, " window ", window.start_minute, "-", window.end_minute);
      // Sorted and merged: each window starts after the previous one ends.
      FUZZ_CHECK(i == 0 || attendee.available[i - 1].end_minute < window.start_minute,
                 "event_attendees: ", id, " windows not sorted and merged");
    }
    for (const std::vector<std::string>* list : {&attendee.must_meet, &attendee.never_meet}) {
      absl::flat_hash_set<std::string> seen;
      for (const std::string& other : *list) {
        FUZZ_CHECK(other != attendee.firm_id, "event_attendees: ", id, " names itself");
        FUZZ_CHECK(seen.insert(other).second, "event_attendees: ", id, " repeats ",
                   Printable(other));
      }
    }
    if (attendee.profile.has_value()) {
      FUZZ_CHECK(attendee.profile->id == attendee.firm_id, "event_attendees: profile id of ", id);
      const absl::Status valid = ValidateFirm(*attendee.profile);
      FUZZ_CHECK(valid.ok(), "event_attendees: invalid profile: ", valid.ToString());
      profiles.push_back(*attendee.profile);
    }
  }
  const PairRules rules = CollectPairRules(*attendees);
  for (const std::vector<FirmPair>* pairs : {&rules.must_meet, &rules.never_meet}) {
    FUZZ_CHECK(std::is_sorted(pairs->begin(), pairs->end()) &&
                   std::adjacent_find(pairs->begin(), pairs->end()) == pairs->end(),
               "event_attendees: pair rules not sorted and unique");
    for (const FirmPair& pair : *pairs) {
      FUZZ_CHECK(pair.first < pair.second,
                 "event_attendees: pair not ordered: ", Printable(pair.first), " ",
                 Printable(pair.second));
      FUZZ_CHECK(ids.contains(pair.first) && ids.contains(pair.second),
                 "event_attendees: pair names a non-attendee");
    }
  }
  for (const FirmPair& pair : rules.must_meet) {
    FUZZ_CHECK(!std::binary_search(rules.never_meet.begin(), rules.never_meet.end(), pair),
               "event_attendees: a pair both must and never meet");
  }
  if (!profiles.empty()) CheckStoreRoundTrip(profiles, "event_attendees");
}

}  // namespace clustermatch::fuzz
