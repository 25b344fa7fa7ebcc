// schedule.xlsx: the schedule and the match lists as two worksheets, written
// with libxlsxwriter, for organisers who work in Excel.
#include <xlsxwriter.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "server/event_exports.h"

namespace clustermatch {
namespace {

// libxlsxwriter reports errors per call; the first one wins.
class Sheet {
 public:
  Sheet(lxw_workbook* book, const char* name, lxw_format* bold)
      : sheet_(workbook_add_worksheet(book, name)), bold_(bold) {}

  void Header(std::initializer_list<const char*> titles) {
    lxw_col_t col = 0;
    for (const char* title : titles) Check(worksheet_write_string(sheet_, 0, col++, title, bold_));
    worksheet_freeze_panes(sheet_, 1, 0);
  }
  void Text(lxw_row_t row, lxw_col_t col, const std::string& text) {
    Check(worksheet_write_string(sheet_, row, col, text.c_str(), nullptr));
  }
  void Number(lxw_row_t row, lxw_col_t col, double value) {
    Check(worksheet_write_number(sheet_, row, col, value, nullptr));
  }
  lxw_error error() const { return error_; }

 private:
  void Check(lxw_error error) {
    if (error_ == LXW_NO_ERROR) error_ = error;
  }
  lxw_worksheet* sheet_;
  lxw_format* bold_;
  lxw_error error_ = LXW_NO_ERROR;
};

}  // namespace

absl::Status WriteScheduleXlsx(const EventExportInput& input, const std::string& path) {
  lxw_workbook* book = workbook_new(path.c_str());
  if (book == nullptr) return absl::InternalError(path + ": cannot create workbook");
  lxw_format* bold = workbook_add_format(book);
  format_set_bold(bold);
  const bool ko = input.language == Language::kKorean;

  Sheet schedule(book, ko ? "일정" : "Schedule", bold);
  schedule.Header({"slot", "start", "end", "table", "firm_a", "name_a", "firm_b", "name_b", "score",
                   ko ? "미팅 이유" : "why meet"});
  lxw_row_t row = 1;
  for (const Meeting& m : input.meetings) {
    const Firm& a = input.attendees[static_cast<size_t>(m.a)];
    const Firm& b = input.attendees[static_cast<size_t>(m.b)];
    schedule.Number(row, 0, m.slot + 1);
    schedule.Text(row, 1, SlotStartText(input.plan, m.slot));
    schedule.Text(row, 2, SlotEndText(input.plan, m.slot));
    schedule.Text(row, 3, TableName(input.plan, m.table));
    schedule.Text(row, 4, a.id);
    schedule.Text(row, 5, a.name);
    schedule.Text(row, 6, b.id);
    schedule.Text(row, 7, b.name);
    schedule.Number(row, 8, m.score);
    schedule.Text(row, 9, MeetingReason(input, m.a, m.b));
    ++row;
  }

  Sheet lists(book, ko ? "매칭 목록" : "Match lists", bold);
  lists.Header({"firm", "rank", "partner", "score"});
  row = 1;
  for (size_t i = 0; i < input.attendees.size() && i < input.match_lists.size(); ++i) {
    for (size_t rank = 0; rank < input.match_lists[i].size(); ++rank) {
      lists.Text(row, 0, input.attendees[i].id);
      lists.Number(row, 1, static_cast<double>(rank + 1));
      lists.Text(row, 2, input.match_lists[i][rank].firm_id);
      lists.Number(row, 3, input.match_lists[i][rank].score);
      ++row;
    }
  }
  const lxw_error first = schedule.error() != LXW_NO_ERROR ? schedule.error() : lists.error();
  const lxw_error closed = workbook_close(book);  // writes the file and frees the workbook
  const lxw_error error = first != LXW_NO_ERROR ? first : closed;
  if (error != LXW_NO_ERROR) {
    return absl::InternalError(absl::StrCat(path, ": ", lxw_strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace clustermatch
