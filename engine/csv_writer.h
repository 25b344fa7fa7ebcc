// Writing CSV: RFC 4180 quoting of one cell, shared by every CSV the
// project writes (firm export, event exports, group reports).
#ifndef CLUSTERMATCH_ENGINE_CSV_WRITER_H_
#define CLUSTERMATCH_ENGINE_CSV_WRITER_H_

#include <string>
#include <string_view>

namespace clustermatch {

// The UTF-8 byte order mark that CSV output starts with, so that Excel
// shows Korean correctly.
inline constexpr char kUtf8Bom[] = "\xEF\xBB\xBF";

// `cell` as is, or quoted with its quotes doubled when it holds a comma,
// a quote or a line break.
inline std::string CsvCell(std::string_view cell) {
  if (cell.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(cell);
  std::string quoted = "\"";
  for (char c : cell) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_CSV_WRITER_H_
