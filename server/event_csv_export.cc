// schedule.csv and matchlists.csv: UTF-8 with a byte-order mark and CRLF
// line ends, which is what Excel on a Korean Windows machine needs to show
// Hangul correctly.
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/event_exports.h"

namespace clustermatch {
namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";

// RFC 4180 quoting: fields with a comma, quote or line break are quoted and
// their quotes doubled.
std::string Field(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

std::string Score(double score) { return absl::StrFormat("%.4f", score); }

}  // namespace

std::string ScheduleCsv(const EventExportInput& input) {
  std::string csv = absl::StrCat(kBom, "slot,start,table,firm_a,firm_b,score\r\n");
  for (const Meeting& m : input.meetings) {
    absl::StrAppend(&csv, m.slot + 1, ",", SlotStartText(input.plan, m.slot), ",",
                    Field(TableName(input.plan, m.table)), ",",
                    Field(input.attendees[static_cast<size_t>(m.a)].id), ",",
                    Field(input.attendees[static_cast<size_t>(m.b)].id), ",", Score(m.score),
                    "\r\n");
  }
  return csv;
}

std::string MatchListsCsv(const EventExportInput& input) {
  std::string csv = absl::StrCat(kBom, "firm,rank,partner,partner_name,score,reason\r\n");
  absl::flat_hash_map<std::string, int> index;
  for (size_t j = 0; j < input.attendees.size(); ++j) {
    index.emplace(input.attendees[j].id, static_cast<int>(j));
  }
  for (size_t i = 0; i < input.attendees.size() && i < input.match_lists.size(); ++i) {
    const std::vector<Recommendation>& list = input.match_lists[i];
    for (size_t rank = 0; rank < list.size(); ++rank) {
      const Recommendation& r = list[rank];
      auto found = index.find(r.firm_id);
      const int partner = found == index.end() ? -1 : found->second;
      const std::string name =
          partner < 0 ? "" : input.attendees[static_cast<size_t>(partner)].name;
      const std::string reason =
          partner < 0 ? "" : MeetingReason(input, static_cast<int>(i), partner);
      absl::StrAppend(&csv, Field(input.attendees[i].id), ",", rank + 1, ",", Field(r.firm_id), ",",
                      Field(name), ",", Score(r.score), ",", Field(reason), "\r\n");
    }
  }
  return csv;
}

}  // namespace clustermatch
