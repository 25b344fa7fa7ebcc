// schedule.csv and matchlists.csv: UTF-8 with a byte-order mark and CRLF
// line ends, which is what Excel on a Korean Windows machine needs to show
// Hangul correctly.
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/csv_writer.h"
#include "server/event_exports.h"

namespace clustermatch {
namespace {

std::string Score(double score) { return absl::StrFormat("%.4f", score); }

}  // namespace

std::string ScheduleCsv(const EventExportInput& input) {
  std::string csv = absl::StrCat(kUtf8Bom, "slot,start,table,firm_a,firm_b,score\r\n");
  for (const Meeting& m : input.meetings) {
    absl::StrAppend(&csv, m.slot + 1, ",", SlotStartText(input.plan, m.slot), ",",
                    CsvCell(TableName(input.plan, m.table)), ",",
                    CsvCell(input.attendees[static_cast<size_t>(m.a)].id), ",",
                    CsvCell(input.attendees[static_cast<size_t>(m.b)].id), ",", Score(m.score),
                    "\r\n");
  }
  return csv;
}

std::string MatchListsCsv(const EventExportInput& input) {
  std::string csv = absl::StrCat(kUtf8Bom, "firm,rank,partner,partner_name,score,reason\r\n");
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
      absl::StrAppend(&csv, CsvCell(input.attendees[i].id), ",", rank + 1, ",", CsvCell(r.firm_id),
                      ",", CsvCell(name), ",", Score(r.score), ",", CsvCell(reason), "\r\n");
    }
  }
  return csv;
}

}  // namespace clustermatch
