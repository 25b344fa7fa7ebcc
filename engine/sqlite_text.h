// Small text helpers shared by the SQLite store's source files.
#ifndef CLUSTERMATCH_ENGINE_SQLITE_TEXT_H_
#define CLUSTERMATCH_ENGINE_SQLITE_TEXT_H_

#include <string>
#include <string_view>

namespace clustermatch::sqlite_text {

// SQL for the current UTC time as ISO 8601, e.g. 2026-11-22T15:44:55Z.
inline constexpr char kNow[] = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

// `text` in double quotes, for error messages that name an id.
inline std::string Quoted(std::string_view text) {
  std::string quoted = "\"";
  quoted.append(text);
  quoted.push_back('"');
  return quoted;
}

}  // namespace clustermatch::sqlite_text

#endif  // CLUSTERMATCH_ENGINE_SQLITE_TEXT_H_
