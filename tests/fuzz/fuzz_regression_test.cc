// Replays every seed corpus file (tests/fuzz/corpus/TARGET) and every saved
// crash (tests/fuzz/regressions/TARGET) through the fuzz entries, in the
// normal build: a regression aborts this test as it crashed the fuzzer.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/fuzz/fuzz_entries.h"

namespace clustermatch::fuzz {
namespace {

namespace fs = std::filesystem;

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Regular files directly in `dir`, sorted; none if it does not exist.
std::vector<fs::path> FilesIn(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

const fs::path kFuzzDir = fs::path(CM_SOURCE_DIR) / "tests" / "fuzz";

TEST(FuzzRegressionTest, EveryTargetHasASeedCorpus) {
  for (const FuzzTarget& target : FuzzTargets()) {
    EXPECT_GE(FilesIn(kFuzzDir / "corpus" / std::string(target.name)).size(), 3u) << target.name;
  }
}

TEST(FuzzRegressionTest, ReplaysCorporaAndRegressions) {
  size_t replayed = 0;
  for (const FuzzTarget& target : FuzzTargets()) {
    for (const char* folder : {"corpus", "regressions"}) {
      for (const fs::path& file : FilesIn(kFuzzDir / folder / std::string(target.name))) {
        // Named before the replay, since a regression aborts the process.
        std::fprintf(stderr, "replaying %s\n", file.c_str());
        const std::string bytes = ReadBytes(file);
        target.entry(bytes);  // aborts on a broken promise
        ++replayed;
      }
    }
  }
  EXPECT_GT(replayed, 7u * 3u);
}

}  // namespace
}  // namespace clustermatch::fuzz
