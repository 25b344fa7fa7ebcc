// The list of fuzz targets (fuzz_entries.h).
#include <array>

#include "tests/fuzz/fuzz_entries.h"

namespace clustermatch::fuzz {

std::span<const FuzzTarget> FuzzTargets() {
  static constexpr std::array<FuzzTarget, 7> kTargets = {{
      {"firm_jsonl", &FuzzFirmJsonl},
      {"firm_csv", &FuzzFirmCsv},
      {"relation_csv", &FuzzRelationCsv},
      {"event_attendees", &FuzzEventAttendees},
      {"text_encoding", &FuzzTextEncoding},
      {"tokenizer", &FuzzTokenizer},
      {"proto_convert", &FuzzProtoConvert},
  }};
  return kTargets;
}

}  // namespace clustermatch::fuzz
