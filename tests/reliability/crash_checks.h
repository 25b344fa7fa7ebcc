// The crash harness's checks after a restart, through the public API with an
// admin key:
//   - every acknowledged write is there exactly: each firm a client wrote
//     reads back (GetFirm) as its last acknowledged state, or NOT_FOUND when
//     deleted; each acknowledged relation is listed (ListRelations) once,
//     as sent;
//   - the write in flight at the kill is there whole or not at all: its firm
//     equals the state before or the state asked for; all of its relations
//     are listed or none. The models then follow what the store holds;
//   - the index agrees with the store: GetStats counts the expected firms and
//     relations and indexes every firm, a Search for each live client firm's
//     offer text finds it in the top k (hidden firms excepted: search never
//     shows them), and none for a firm deleted this cycle finds it.
#ifndef CLUSTERMATCH_TESTS_RELIABILITY_CRASH_CHECKS_H_
#define CLUSTERMATCH_TESTS_RELIABILITY_CRASH_CHECKS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "tests/reliability/crash_client.h"
#include "tests/reliability/crash_model.h"

namespace clustermatch::reliability {

struct CheckSettings {
  std::string address;
  std::string api_key;  // admin, members scope, no cluster limit
  int64_t base_firms = 0;
  int64_t base_relations = 0;
  int search_k = 10;
};

struct CheckResult {
  int64_t firms_checked = 0;
  int64_t relations_checked = 0;
  int64_t searches = 0;
  int64_t hidden_not_searched = 0;  // live hidden firms: search never shows them
  int64_t lost = 0;                 // acknowledged writes missing or different
  int64_t half_applied = 0;         // in-flight writes neither whole nor absent
  int64_t in_flight_applied = 0;
  int64_t in_flight_absent = 0;
  int64_t phantoms = 0;             // client relations listed that no client sent
  int64_t index_disagreements = 0;  // counts or searches
  int64_t call_failures = 0;        // a check's own call failed
  std::vector<std::string> violations;

  bool ok() const {
    return lost == 0 && half_applied == 0 && phantoms == 0 && index_disagreements == 0 &&
           call_failures == 0;
  }
};

// Checks the store against `models` (every client's, after `cycles`, the
// same length; an empty cycle for the first check) and resolves each
// in-flight write into its model.
CheckResult CheckStore(const CheckSettings& settings, std::vector<ClientModel>& models,
                       const std::vector<ClientCycle>& cycles);

}  // namespace clustermatch::reliability

#endif  // CLUSTERMATCH_TESTS_RELIABILITY_CRASH_CHECKS_H_
