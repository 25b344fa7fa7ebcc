// One iCalendar file (RFC 5545) per attendee with its meetings. Times are
// written in UTC ("Z"), which every calendar program converts to local time
// without needing a VTIMEZONE block. Lines end in CRLF and are folded at 75
// octets without splitting a UTF-8 character.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "server/event_exports.h"

namespace clustermatch {
namespace {

std::string UtcStamp(absl::Time time) {
  return absl::FormatTime("%Y%m%dT%H%M%SZ", time, absl::UTCTimeZone());
}

// TEXT escaping of RFC 5545 section 3.3.11.
std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ';' || c == ',') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c != '\r') {
      out.push_back(c);
    }
  }
  return out;
}

// Appends one content line, folded: at most 75 octets a line, continuation
// lines start with a space, and a cut never falls inside a UTF-8 sequence.
void AppendLine(std::string& out, std::string_view line) {
  size_t start = 0;
  size_t limit = 75;
  while (line.size() - start > limit) {
    size_t cut = start + limit;
    while (cut > start && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    out.append(line.substr(start, cut - start));
    out += "\r\n ";
    start = cut;
    limit = 74;  // the leading space counts
  }
  out.append(line.substr(start));
  out += "\r\n";
}

}  // namespace

std::string AttendeeCalendar(const EventExportInput& input, int attendee) {
  const Firm& self = input.attendees[static_cast<size_t>(attendee)];
  const bool ko = input.language == Language::kKorean;
  std::string out;
  AppendLine(out, "BEGIN:VCALENDAR");
  AppendLine(out, "VERSION:2.0");
  AppendLine(out, "PRODID:-//clustermatch//event schedule//EN");
  AppendLine(out, "CALSCALE:GREGORIAN");
  AppendLine(out, "METHOD:PUBLISH");
  AppendLine(out, "X-WR-CALNAME:" + Escape(input.event_name + " — " + self.name));
  // The event's start, not the wall clock: the same input gives the same file.
  const std::string stamp = UtcStamp(SlotStartTime(input.plan, 0));
  for (const Meeting& m : input.meetings) {
    if (m.a != attendee && m.b != attendee) continue;
    const int other = m.a == attendee ? m.b : m.a;
    const Firm& partner = input.attendees[static_cast<size_t>(other)];
    const std::string table = TableName(input.plan, m.table);
    AppendLine(out, "BEGIN:VEVENT");
    AppendLine(out, absl::StrCat("UID:", m.slot + 1, "-", m.table + 1, "-",
                                 input.attendees[static_cast<size_t>(m.a)].id, "-",
                                 input.attendees[static_cast<size_t>(m.b)].id, "@clustermatch"));
    AppendLine(out, "DTSTAMP:" + stamp);
    AppendLine(out, "DTSTART:" + UtcStamp(SlotStartTime(input.plan, m.slot)));
    AppendLine(out, "DTEND:" + UtcStamp(SlotEndTime(input.plan, m.slot)));
    AppendLine(out, "SUMMARY:" + Escape(absl::StrCat(ko ? "미팅: " : "Meeting: ", partner.name)));
    AppendLine(out, "LOCATION:" + Escape(absl::StrCat(ko ? "테이블 " : "Table ", table, " — ",
                                                      input.event_name)));
    const std::string reason = MeetingReason(input, attendee, other);
    if (!reason.empty()) AppendLine(out, "DESCRIPTION:" + Escape(reason));
    AppendLine(out, "END:VEVENT");
  }
  AppendLine(out, "END:VCALENDAR");
  return out;
}

}  // namespace clustermatch
