// Concat: absl::StrCat for std::string_view pieces. Debian's abseil keeps
// absl::string_view distinct from std::string_view, so StrCat does not take
// the latter.
#ifndef CLUSTERMATCH_ENGINE_STR_CONCAT_H_
#define CLUSTERMATCH_ENGINE_STR_CONCAT_H_

#include <initializer_list>
#include <string>
#include <string_view>

namespace clustermatch {

inline std::string Concat(std::initializer_list<std::string_view> parts) {
  size_t size = 0;
  for (std::string_view part : parts) size += part.size();
  std::string out;
  out.reserve(size);
  for (std::string_view part : parts) out.append(part);
  return out;
}

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_STR_CONCAT_H_
