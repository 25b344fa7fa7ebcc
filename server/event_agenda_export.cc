// The printable agenda of one attendee (self-contained HTML with print
// styles) and the organiser's summary of the whole event.
#include <map>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/event_exports.h"

namespace clustermatch {
namespace {

std::string Html(std::string_view text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

struct AgendaLabels {
  const char* lang;
  const char* agenda;
  const char* time;
  const char* table;
  const char* partner;
  const char* why;
  const char* none;
};
constexpr AgendaLabels kEnglishAgenda{"en",
                                      "Your meetings",
                                      "Time",
                                      "Table",
                                      "Partner",
                                      "Why meet",
                                      "No meetings were scheduled for you."};
constexpr AgendaLabels kKoreanAgenda{
    "ko", "미팅 일정", "시간", "테이블", "상대 기업", "미팅 이유", "배정된 미팅이 없습니다."};

}  // namespace

std::string AttendeeAgendaHtml(const EventExportInput& input, int attendee) {
  const AgendaLabels& l = input.language == Language::kKorean ? kKoreanAgenda : kEnglishAgenda;
  const Firm& self = input.attendees[static_cast<size_t>(attendee)];
  std::string rows;
  for (const Meeting& m : input.meetings) {
    if (m.a != attendee && m.b != attendee) continue;
    const int other = m.a == attendee ? m.b : m.a;
    const Firm& partner = input.attendees[static_cast<size_t>(other)];
    absl::StrAppend(
        &rows, "<tr><td>", SlotStartText(input.plan, m.slot), "–", SlotEndText(input.plan, m.slot),
        "</td><td>", Html(TableName(input.plan, m.table)), "</td><td><strong>", Html(partner.name),
        "</strong><br><small>", Html(partner.id), " · ", Html(partner.mini_cluster),
        "</small></td><td>", Html(MeetingReason(input, attendee, other)), "</td></tr>\n");
  }
  std::string html = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"", l.lang, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
      Html(input.event_name), " — ", Html(self.name), "</title>\n",
      "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;width:100%}"
      "th,td{border:1px solid #999;padding:.4em;text-align:left;vertical-align:top}"
      "@media print{body{margin:0}}</style>\n</head>\n<body>\n<h1>",
      Html(input.event_name), "</h1>\n<h2>", Html(self.name), " (", Html(self.id), ")</h2>\n",
      "<p>", absl::FormatCivilTime(input.plan.date), "</p>\n<h3>", l.agenda, "</h3>\n");
  if (rows.empty()) {
    absl::StrAppend(&html, "<p>", l.none, "</p>\n");
  } else {
    absl::StrAppend(&html, "<table>\n<tr><th>", l.time, "</th><th>", l.table, "</th><th>",
                    l.partner, "</th><th>", l.why, "</th></tr>\n", rows, "</table>\n");
  }
  absl::StrAppend(&html, "</body>\n</html>\n");
  return html;
}

std::string OrganiserSummary(const EventExportInput& input) {
  const ScheduleQuality& q = input.quality;
  const bool ko = input.language == Language::kKorean;
  std::string out = absl::StrCat(input.event_name, "\n", absl::FormatCivilTime(input.plan.date),
                                 " ", input.plan.time_zone, "\n\n");
  absl::StrAppend(&out, ko ? "참가 기업: " : "attendees: ", input.attendees.size(), "\n",
                  ko ? "배정된 미팅: " : "meetings placed: ", q.meetings, "\n");
  absl::StrAppend(&out,
                  // One literal per StrFormat: clang checks formats at compile time.
                  ko ? absl::StrFormat("총 효용: %.3f / 상한 %.3f (비율 %.3f)\n", q.utility,
                                       q.upper_bound, q.ratio)
                     : absl::StrFormat("total utility: %.3f of an upper bound %.3f (ratio %.3f)\n",
                                       q.utility, q.upper_bound, q.ratio));
  absl::StrAppend(&out, ko ? absl::StrFormat("기업당 미팅: 최소 %d, 평균 %.2f\n", q.min_meetings,
                                             q.mean_meetings)
                           : absl::StrFormat("meetings per attendee: min %d, mean %.2f\n",
                                             q.min_meetings, q.mean_meetings));
  absl::StrAppend(&out, ko ? "최소 미팅 기준 달성: " : "fairness floor reached: ",
                  q.floor_reached ? (ko ? "예" : "yes") : (ko ? "아니오" : "no"), "\n",
                  ko ? "빈 시간(공백 슬롯): " : "idle gaps: ", q.idle_gaps, "\n",
                  ko ? absl::StrFormat("계산 시간: %.2f초\n", q.solve_seconds)
                     : absl::StrFormat("solve time: %.2f s\n", q.solve_seconds));
  std::map<int, int> per_slot;
  for (const Meeting& m : input.meetings) ++per_slot[m.slot];
  absl::StrAppend(&out, "\n", ko ? "슬롯별 사용 테이블:\n" : "tables used per slot:\n");
  for (int slot = 0; slot < input.plan.slots; ++slot) {
    absl::StrAppend(&out, "  ", slot + 1, "  ", SlotStartText(input.plan, slot), "  ",
                    per_slot[slot], " / ", input.plan.tables_per_slot[static_cast<size_t>(slot)],
                    "\n");
  }
  if (!q.conflicts.empty()) {
    absl::StrAppend(&out, "\n", ko ? "충돌:\n" : "conflicts:\n");
    for (const std::string& conflict : q.conflicts) absl::StrAppend(&out, "  - ", conflict, "\n");
  }
  return out;
}

}  // namespace clustermatch
