// The hand-written complementary pairs (tests/data/complement_pairs.jsonl),
// shared by the complement hit-rate tests: the file's text, and the partner
// of each firm ("pair-07-a" <-> "pair-07-b").
#ifndef CLUSTERMATCH_TESTS_SERVER_COMPLEMENT_PAIRS_DATA_H_
#define CLUSTERMATCH_TESTS_SERVER_COMPLEMENT_PAIRS_DATA_H_

#include <fstream>
#include <sstream>
#include <string>

namespace clustermatch::testing {

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline std::string PartnerOf(const std::string& id) {
  std::string partner = id;
  partner.back() = id.back() == 'a' ? 'b' : 'a';
  return partner;
}

}  // namespace clustermatch::testing

#endif  // CLUSTERMATCH_TESTS_SERVER_COMPLEMENT_PAIRS_DATA_H_
