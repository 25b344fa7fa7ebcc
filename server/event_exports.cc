#include "server/event_exports.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

const Recommendation* FindIn(const std::vector<Recommendation>& list, const std::string& id) {
  for (const Recommendation& r : list) {
    if (r.firm_id == id) return &r;
  }
  return nullptr;
}

// A file name for a firm id: letters, digits, '.', '-' and '_' kept, the
// rest '_'.
std::string SafeName(const std::string& id) {
  std::string name;
  for (char c : id) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '-' || c == '_';
    name.push_back(keep ? c : '_');
  }
  if (name.empty() || name[0] == '.') name.insert(name.begin(), '_');
  return name;
}

absl::Status WriteFile(const std::filesystem::path& path, const std::string& bytes) {
  const std::filesystem::path temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out.flush()) return absl::InternalError(temporary.string() + ": cannot write");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) return absl::InternalError(path.string() + ": cannot write: " + error.message());
  return absl::OkStatus();
}

}  // namespace

std::string MeetingReason(const EventExportInput& input, int a, int b) {
  const Firm& first = input.attendees[static_cast<size_t>(a)];
  const Firm& second = input.attendees[static_cast<size_t>(b)];
  const Recommendation* found = nullptr;
  if (static_cast<size_t>(a) < input.match_lists.size()) {
    found = FindIn(input.match_lists[static_cast<size_t>(a)], second.id);
  }
  if (found == nullptr && static_cast<size_t>(b) < input.match_lists.size()) {
    found = FindIn(input.match_lists[static_cast<size_t>(b)], first.id);
  }
  if (found == nullptr) return "";
  const Explanation& e = found->explanation;
  const bool ko = input.language == Language::kKorean;
  if (!e.need_offer.empty()) {
    const PhraseMatch& m = e.need_offer.front();
    return ko ? absl::StrCat("필요 \"", m.need, "\" ← 제공 \"", m.offer, "\"")
              : absl::StrCat("needs \"", m.need, "\" ← offers \"", m.offer, "\"");
  }
  if (!e.similar_offers.empty()) {
    const SimilarPhrases& s = e.similar_offers.front();
    return ko ? absl::StrCat("유사 분야: \"", s.query_phrase, "\" ~ \"", s.candidate_phrase, "\"")
              : absl::StrCat("similar work: \"", s.query_phrase, "\" ~ \"", s.candidate_phrase,
                             "\"");
  }
  if (!e.shared_materials.empty()) {
    return absl::StrCat(ko ? "공통 원자재: " : "shared materials: ", e.shared_materials.front());
  }
  if (!e.shared_technologies.empty()) {
    return absl::StrCat(ko ? "공통 기술: " : "shared technologies: ",
                        e.shared_technologies.front());
  }
  return "";
}

absl::Status WriteEventExports(const EventExportInput& input, const std::string& folder) {
  const std::filesystem::path root(folder);
  std::error_code error;
  for (const char* sub : {"", "calendars", "agendas"}) {
    std::filesystem::create_directories(root / sub, error);
    if (error) return absl::InternalError((root / sub).string() + ": " + error.message());
  }
  CM_RETURN_IF_ERROR(WriteFile(root / "schedule.csv", ScheduleCsv(input)));
  CM_RETURN_IF_ERROR(WriteFile(root / "matchlists.csv", MatchListsCsv(input)));
  {
    // libxlsxwriter writes the file itself: into a temporary name, renamed.
    const std::filesystem::path xlsx = root / "schedule.xlsx";
    CM_RETURN_IF_ERROR(WriteScheduleXlsx(input, xlsx.string() + ".tmp"));
    std::filesystem::rename(xlsx.string() + ".tmp", xlsx, error);
    if (error) return absl::InternalError(xlsx.string() + ": " + error.message());
  }
  CM_RETURN_IF_ERROR(WriteFile(root / "summary.txt", OrganiserSummary(input)));
  absl::flat_hash_set<std::string> used;
  for (size_t i = 0; i < input.attendees.size(); ++i) {
    std::string name = SafeName(input.attendees[i].id);
    for (int n = 2; !used.insert(name).second; ++n) {
      name = absl::StrCat(SafeName(input.attendees[i].id), "-", n);
    }
    const int attendee = static_cast<int>(i);
    CM_RETURN_IF_ERROR(
        WriteFile(root / "calendars" / (name + ".ics"), AttendeeCalendar(input, attendee)));
    CM_RETURN_IF_ERROR(
        WriteFile(root / "agendas" / (name + ".html"), AttendeeAgendaHtml(input, attendee)));
  }
  return absl::OkStatus();
}

}  // namespace clustermatch
