// The in-memory store and failure reporting of the fuzz entries.
#include "tests/fuzz/fuzz_check.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "engine/sqlite_firm_store.h"
#include "server/firm_jsonl.h"

namespace clustermatch::fuzz {
namespace {

// Relations are never deleted from a store; a fresh store is opened once
// this many have been appended, so that listing them stays cheap.
constexpr size_t kMaxStoredRelations = 2000;

struct MemoryStore {
  std::unique_ptr<SqliteFirmStore> store;
  size_t relations = 0;
};

MemoryStore& Memory() {
  static MemoryStore* memory = new MemoryStore();
  if (memory->store == nullptr || memory->relations > kMaxStoredRelations) {
    memory->store.reset();
    StoreOptions options;
    options.holder_command = "fuzz";
    absl::StatusOr<std::unique_ptr<SqliteFirmStore>> opened =
        SqliteFirmStore::Open(":memory:", options);
    FUZZ_CHECK(opened.ok(), opened.status().ToString());
    memory->store = *std::move(opened);
    memory->relations = 0;
  }
  return *memory;
}

}  // namespace

void FailCheck(const char* file, int line, const char* condition, const std::string& detail) {
  std::fprintf(stderr, "%s:%d: check failed: %s: %s\n", file, line, condition, detail.c_str());
  std::fflush(stderr);
  std::abort();
}

std::string Printable(std::string_view bytes) {
  std::string out;
  for (unsigned char c : bytes.substr(0, 2000)) {
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
    } else {
      absl::StrAppend(&out, "\\x", absl::Hex(c, absl::kZeroPad2));
    }
  }
  if (bytes.size() > 2000) out += "...";
  return out;
}

std::string Describe(std::span<const Firm> firms) {
  std::string out;
  for (const Firm& firm : firms) absl::StrAppend(&out, Printable(FirmToProtoJson(firm)), "\n");
  return out;
}

void CheckStoreRoundTrip(std::span<const Firm> firms, std::string_view source) {
  FirmStore& store = *Memory().store;
  absl::StatusOr<std::vector<int64_t>> keys = store.PutFirms(firms);
  FUZZ_CHECK(keys.ok(), source, ": the store refused accepted firms: ", keys.status().ToString(),
             "\n", Describe(firms));
  FUZZ_CHECK(keys->size() == firms.size(), source);
  for (const Firm& firm : firms) {
    absl::StatusOr<StoredFirm> stored = store.GetFirm(firm.id);
    FUZZ_CHECK(stored.ok(), source, ": ", stored.status().ToString());
    FUZZ_CHECK(stored->firm == firm, source, ": read back differs\nstored: ", Describe({&firm, 1}),
               "read:   ", Describe({&stored->firm, 1}));
  }
  for (const Firm& firm : firms) {
    const absl::Status deleted = store.DeleteFirm(firm.id);
    FUZZ_CHECK(deleted.ok(), source, ": ", deleted.ToString());
  }
  absl::StatusOr<int64_t> count = store.CountFirms();
  FUZZ_CHECK(count.ok() && *count == 0, source, ": firms left after deleting all");
}

void CheckRelationStoreRoundTrip(std::span<const Relation> relations) {
  MemoryStore& memory = Memory();
  FirmStore& store = *memory.store;
  std::vector<Firm> firms;
  absl::flat_hash_set<std::string> ids;
  for (const Relation& relation : relations) {
    for (const std::string* id : {&relation.a, &relation.b}) {
      if (!ids.insert(*id).second) continue;
      Firm firm;
      firm.id = *id;
      firms.push_back(std::move(firm));
    }
  }
  absl::StatusOr<std::vector<int64_t>> keys = store.PutFirms(firms);
  FUZZ_CHECK(keys.ok(), "relation_csv: ", keys.status().ToString());
  const absl::Status added = store.AddRelations(relations);
  FUZZ_CHECK(added.ok(), "relation_csv: the store refused accepted relations: ", added.ToString());
  memory.relations += relations.size();
  absl::StatusOr<std::vector<Relation>> listed = store.ListRelations();
  FUZZ_CHECK(listed.ok(), "relation_csv: ", listed.status().ToString());
  FUZZ_CHECK(listed->size() >= relations.size(), "relation_csv: relations missing");
  const size_t first = listed->size() - relations.size();
  for (size_t i = 0; i < relations.size(); ++i) {
    const Relation& read = (*listed)[first + i];
    FUZZ_CHECK(read == relations[i], "relation_csv: relation ", i,
               " read back differs: ", Printable(read.a), ",", Printable(read.b), ",",
               RelationKindName(read.kind), ",", Printable(read.date), ",",
               Printable(read.context));
  }
  for (const Firm& firm : firms) {
    const absl::Status deleted = store.DeleteFirm(firm.id);
    FUZZ_CHECK(deleted.ok(), "relation_csv: ", deleted.ToString());
  }
}

}  // namespace clustermatch::fuzz
