// libFuzzer's entry point for one target: tests/fuzz/CMakeLists.txt builds
// this file once per target with CM_FUZZ_ENTRY naming its function in
// fuzz_entries.h.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_entries.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  clustermatch::fuzz::CM_FUZZ_ENTRY(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
