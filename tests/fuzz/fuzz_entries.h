// The fuzz targets' logic, one plain function per target. Each takes any
// bytes, feeds them to one input path (an importer, the tokenizer, the proto
// converters), and checks what that path promises: it never crashes, and
// what it accepts is valid, round-trips where the format says it does, and
// reads back equal from an in-memory store. A broken promise prints what
// broke and aborts, which libFuzzer reports as a crash.
//
// The tiny LLVMFuzzerTestOneInput files (fuzz_*.cc) call these, and so does
// fuzz_regression_test, which replays the seed corpora and every saved crash
// (tests/fuzz/corpus/TARGET, tests/fuzz/regressions/TARGET) in the normal
// build.
#ifndef CLUSTERMATCH_TESTS_FUZZ_FUZZ_ENTRIES_H_
#define CLUSTERMATCH_TESTS_FUZZ_FUZZ_ENTRIES_H_

#include <span>
#include <string_view>

namespace clustermatch::fuzz {

// Firm JSON Lines (server/firm_jsonl.h).
void FuzzFirmJsonl(std::string_view bytes);
// Firm CSV (engine/firm_csv.h), encoding "auto".
void FuzzFirmCsv(std::string_view bytes);
// Relation CSV (engine/relation_csv.h), encoding "auto".
void FuzzRelationCsv(std::string_view bytes);
// Event attendee CSV and its pair rules (engine/event_attendees.h).
void FuzzEventAttendees(std::string_view bytes);
// Encoding detection and conversion to UTF-8 (engine/text_encoding.h).
void FuzzTextEncoding(std::string_view bytes);
// Text normalisation and the tokenizer (models/text_normalizer.h,
// models/tokenizer.h).
void FuzzTokenizer(std::string_view bytes);
// The first byte picks a request message; the rest is its wire form
// (ParseFromArray), converted to engine types (server/*_proto_converter.h)
// and validated.
void FuzzProtoConvert(std::string_view bytes);

struct FuzzTarget {
  std::string_view name;  // also the corpus folder name
  void (*entry)(std::string_view bytes);
};

// Every target, in the order scripts/fuzz.sh runs them.
std::span<const FuzzTarget> FuzzTargets();

}  // namespace clustermatch::fuzz

#endif  // CLUSTERMATCH_TESTS_FUZZ_FUZZ_ENTRIES_H_
