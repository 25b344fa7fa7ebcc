// Test helper: CP949 bytes for a UTF-8 literal, made with glibc iconv, as
// Korean Excel would save them.
#ifndef CLUSTERMATCH_TESTS_ENGINE_CP949_TEST_UTIL_H_
#define CLUSTERMATCH_TESTS_ENGINE_CP949_TEST_UTIL_H_

#include <iconv.h>

#include <string>
#include <string_view>

#include "gtest/gtest.h"

namespace clustermatch {

inline std::string ToCp949(std::string_view utf8) {
  iconv_t cd = iconv_open("CP949", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1)) << "iconv has no CP949";
  if (cd == reinterpret_cast<iconv_t>(-1)) return "";
  std::string out(utf8.size() * 2 + 8, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* dst = out.data();
  size_t out_left = out.size();
  const size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
  iconv_close(cd);
  EXPECT_NE(rc, static_cast<size_t>(-1)) << "not representable in CP949: " << utf8;
  out.resize(out.size() - out_left);
  return out;
}

}  // namespace clustermatch

#endif  // CLUSTERMATCH_TESTS_ENGINE_CP949_TEST_UTIL_H_
