// One writing client of the crash harness: on its own connection it sends
// the writes WriteFactory draws, one at a time, until it is told to stop or a
// call fails (the server was killed). Every acknowledged write is applied to
// the client's model and logged; the one write whose answer never came is
// kept as in flight: the store may hold it whole or not at all.
#ifndef CLUSTERMATCH_TESTS_RELIABILITY_CRASH_CLIENT_H_
#define CLUSTERMATCH_TESTS_RELIABILITY_CRASH_CLIENT_H_

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <random>
#include <string>
#include <vector>

#include "tests/reliability/crash_model.h"

namespace clustermatch::reliability {

// What one client did in one cycle.
struct ClientCycle {
  int64_t acknowledged = 0;
  std::vector<Write> acknowledged_writes;  // this cycle's, in order
  std::optional<Write> in_flight;
  std::string in_flight_error;  // "UNAVAILABLE: ..."
  // The failing call ended before the server was killed: not a crash, a
  // refused write (e.g. INVALID_ARGUMENT), which the harness reports.
  std::chrono::steady_clock::time_point failed_at;
  // An acknowledged create or update whose answer differs from the request.
  std::vector<std::string> answer_mismatches;
};

struct ClientSettings {
  std::string address;
  std::string api_key;
  std::chrono::milliseconds deadline{10000};
};

// Runs until `stop` or the first failed call; `log` gets one line per write
// ("ack ..." or "in-flight ...").
ClientCycle RunClient(const ClientSettings& settings, const WriteFactory& factory,
                      ClientModel& model, std::mt19937_64& random, const std::atomic<bool>& stop,
                      std::ostream& log);

}  // namespace clustermatch::reliability

#endif  // CLUSTERMATCH_TESTS_RELIABILITY_CRASH_CLIENT_H_
