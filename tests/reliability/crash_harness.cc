// Crash harness for `clustermatch serve` (issue 7, crash safety).
//
// Makes a scratch store of sample firms with an admin key, starts the server
// with frequent index snapshots, and then, cycle after cycle:
//   1. --clients clients (at least 4) stream creates, updates, deletes and
//      relation batches, each on its own connection and its own firm ids
//      (tests/reliability/crash_model.h), logging every acknowledged write
//      and the one in flight when the server died (cycle-NN-client-C.log);
//   2. after a random delay (seeded: --seed, printed) the server gets
//      SIGKILL; every few cycles (--snapshot-kill-every) the kill waits for
//      an index snapshot being written (STORE.index.tmp appearing) instead;
//   3. the server is started again, its health check must answer SERVING,
//      and its start line must say where the index came from ("index:
//      snapshot (...)" is the snapshot-loading path);
//   4. the checks of tests/reliability/crash_checks.h run: acknowledged
//      writes all present, in-flight writes whole or absent, the index
//      agreeing with the store.
// At the end the server is stopped with SIGTERM, started once more and
// checked again (a clean shutdown must keep everything too).
//
// Prints one line per cycle and a summary; exits 1 on any violation (a lost
// or half-applied write, an index disagreement, a write refused while the
// server was up, a restart not through the snapshot path on more than a
// fifth of the restarts), 2 on bad flags or a setup failure. The scratch
// directory is removed unless --keep or a violation.
//
//   build/tests/crash_harness --clustermatch build/server/clustermatch --cycles 30
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/grpc_load_client.h"
#include "clustermatch/v1/admin_service.grpc.pb.h"
#include "server/firm_jsonl.h"
#include "server/firm_proto_converter.h"
#include "server/read_file.h"
#include "tests/reliability/crash_checks.h"
#include "tests/reliability/crash_client.h"
#include "tests/reliability/crash_model.h"
#include "tests/reliability/serve_process.h"

namespace clustermatch::reliability {
namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kStartTimeout = std::chrono::seconds(120);

struct Options {
  std::string clustermatch;
  int cycles = 20;
  int firms = 1000;
  int clients = 4;
  uint64_t seed = 0;  // 0: from the clock
  double kill_min_s = 0.3;
  double kill_max_s = 2.5;
  double snapshot_every_s = 0.5;
  int snapshot_kill_every = 3;
  int max_live = 15;
  int search_k = 10;
  std::string scratch;
  bool keep = false;
  bool stop_on_violation = false;
};

// Totals over the run.
struct Totals {
  int64_t kills = 0;
  int64_t kills_during_snapshot = 0;
  int64_t restarts = 0;
  int64_t snapshot_restarts = 0;
  int64_t acknowledged = 0;
  int64_t acknowledged_by_kind[4] = {0, 0, 0, 0};
  int64_t in_flight = 0;
  int64_t in_flight_applied = 0;
  int64_t in_flight_absent = 0;
  int64_t lost = 0;
  int64_t half_applied = 0;
  int64_t phantoms = 0;
  int64_t index_disagreements = 0;
  int64_t check_call_failures = 0;
  int64_t refused = 0;            // writes failing while the server was up
  int64_t answer_mismatches = 0;  // acknowledged with other content
  int64_t firms_checked = 0;
  int64_t searches = 0;
  int64_t hidden_not_searched = 0;
  std::vector<std::string> violations;
};

// Identity of STORE.index.tmp, to tell a snapshot being written now from a
// leftover of an earlier kill.
struct FileStamp {
  bool exists = false;
  ino_t inode = 0;
  int64_t mtime_ns = 0;
  off_t size = 0;
  bool operator==(const FileStamp&) const = default;
};

FileStamp Stamp(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) return {};
  return {true, info.st_ino, info.st_mtim.tv_sec * 1'000'000'000LL + info.st_mtim.tv_nsec,
          info.st_size};
}

std::string TwoDigits(int n) {
  std::ostringstream text;
  text << std::setw(2) << std::setfill('0') << n;
  return text.str();
}

// The store's firms as the API returns them: the clients' templates.
absl::StatusOr<std::vector<v1::Firm>> Templates(const std::string& jsonl) {
  absl::StatusOr<std::string> bytes = ReadFileBytes(jsonl);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<std::vector<Firm>> firms = ParseFirmsJsonl(*bytes, jsonl);
  if (!firms.ok()) return firms.status();
  std::vector<v1::Firm> templates;
  for (const Firm& firm : *firms) templates.push_back(ToProto(firm));
  return templates;
}

absl::StatusOr<v1::Stats> GetStats(const std::string& address, const std::string& key) {
  auto admin = v1::AdminService::NewStub(NewConnection(address, 2000));
  grpc::ClientContext context;
  PrepareCall(context, key, std::chrono::seconds(30));
  v1::Stats stats;
  const grpc::Status status = admin->GetStats(&context, v1::GetStatsRequest(), &stats);
  if (!status.ok()) return absl::UnavailableError("GetStats: " + StatusText(status));
  return stats;
}

void Add(Totals& totals, const CheckResult& check) {
  totals.in_flight_applied += check.in_flight_applied;
  totals.in_flight_absent += check.in_flight_absent;
  totals.lost += check.lost;
  totals.half_applied += check.half_applied;
  totals.phantoms += check.phantoms;
  totals.index_disagreements += check.index_disagreements;
  totals.check_call_failures += check.call_failures;
  totals.firms_checked += check.firms_checked;
  totals.searches += check.searches;
  totals.hidden_not_searched += check.hidden_not_searched;
  for (const std::string& violation : check.violations) totals.violations.push_back(violation);
}

class Harness {
 public:
  Harness(const Options& options, const std::string& scratch)
      : options_(options),
        scratch_(scratch),
        db_(scratch + "/store.db"),
        server_({options.clustermatch, db_, scratch, options.snapshot_every_s,
                 std::min(100, options.firms / 2)}),
        random_(options.seed) {}

  // The store, the key, the first start and the baseline check.
  absl::Status SetUp() {
    const std::string jsonl = scratch_ + "/firms.jsonl";
    const std::string setup_log = scratch_ + "/setup.log";
    absl::Status status =
        RunCommand({options_.clustermatch, "sample", "--firms", std::to_string(options_.firms),
                    "--seed", std::to_string(options_.seed % 1000 + 1)},
                   jsonl, setup_log);
    if (status.ok()) {
      status = RunCommand({options_.clustermatch, "--db", db_, "import", jsonl},
                          scratch_ + "/import.out", setup_log);
    }
    if (status.ok()) {
      status = RunCommand({options_.clustermatch, "--db", db_, "keys", "add", "--role", "admin",
                           "--scope", "members", "--label", "crash_harness"},
                          scratch_ + "/key", setup_log);
    }
    if (!status.ok()) return status;
    absl::StatusOr<std::string> key = ReadFileBytes(scratch_ + "/key");
    if (!key.ok()) return key.status();
    key_ = std::string(absl::StripAsciiWhitespace(*key));
    absl::StatusOr<std::vector<v1::Firm>> templates = Templates(jsonl);
    if (!templates.ok()) return templates.status();
    factory_.emplace(*std::move(templates), SampleOfferPhrases(), options_.max_live);
    for (int c = 0; c < options_.clients; ++c) {
      models_.emplace_back();
      models_.back().client = c;
    }

    if (absl::Status started = StartServer(0); !started.ok()) return started;
    absl::StatusOr<v1::Stats> stats = GetStats(server_.address(), key_);
    if (!stats.ok()) return stats.status();
    check_settings_.api_key = key_;
    check_settings_.base_firms = stats->firms();
    check_settings_.base_relations = stats->relations();
    check_settings_.search_k = options_.search_k;
    std::cout << "crash_harness: store " << db_ << ": " << stats->firms() << " firms, "
              << stats->indexed() << " indexed, " << stats->relations() << " relations, model v"
              << stats->model_version() << "; first start: index: " << server_.index_source()
              << std::endl;
    const CheckResult baseline = Check({});
    Add(totals_, baseline);
    if (!baseline.ok()) {
      return absl::FailedPreconditionError("the baseline check failed before any crash");
    }
    return absl::OkStatus();
  }

  void RunCycle(int cycle) {
    const std::string index_tmp = db_ + ".index.tmp";
    const FileStamp leftover = Stamp(index_tmp);
    std::atomic<bool> stop{false};
    std::vector<ClientCycle> cycles(models_.size());
    std::vector<std::thread> threads;
    std::vector<std::ofstream> logs;
    for (size_t c = 0; c < models_.size(); ++c) {
      logs.emplace_back(absl::StrCat(scratch_, "/cycle-", TwoDigits(cycle), "-client-", c, ".log"));
    }
    const ClientSettings settings{server_.address(), key_};
    std::vector<std::mt19937_64> randoms;
    for (size_t c = 0; c < models_.size(); ++c) randoms.emplace_back(random_());
    const Clock::time_point begin = Clock::now();
    for (size_t c = 0; c < models_.size(); ++c) {
      threads.emplace_back([&, c] {
        cycles[c] = RunClient(settings, *factory_, models_[c], randoms[c], stop, logs[c]);
      });
    }

    // Kill at a random moment, or while a snapshot is being written.
    const double delay =
        std::uniform_real_distribution<double>(options_.kill_min_s, options_.kill_max_s)(random_);
    const bool aim_at_snapshot =
        options_.snapshot_kill_every > 0 && cycle % options_.snapshot_kill_every == 0;
    const auto seconds = [](double s) {
      return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
    };
    if (!aim_at_snapshot) {
      std::this_thread::sleep_until(begin + seconds(delay));
    } else {
      std::this_thread::sleep_until(begin + seconds(options_.kill_min_s));
      const Clock::time_point give_up =
          Clock::now() + seconds(delay + 4 * options_.snapshot_every_s);
      while (Clock::now() < give_up) {
        const FileStamp now = Stamp(index_tmp);
        if (now.exists && !(now == leftover)) break;
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
      // Somewhere inside the write, not always at its first byte.
      std::this_thread::sleep_for(
          std::chrono::microseconds(std::uniform_int_distribution<int>(0, 3000)(random_)));
    }
    const Clock::time_point killed_at = Clock::now();
    server_.Kill();
    const FileStamp after_kill = Stamp(index_tmp);
    const bool during_snapshot = after_kill.exists && !(after_kill == leftover);
    stop.store(true, std::memory_order_release);
    for (std::thread& thread : threads) thread.join();
    ++totals_.kills;
    totals_.kills_during_snapshot += during_snapshot;

    int64_t acknowledged = 0;
    int in_flight = 0;
    for (size_t c = 0; c < cycles.size(); ++c) {
      const ClientCycle& client = cycles[c];
      acknowledged += client.acknowledged;
      for (const Write& write : client.acknowledged_writes) {
        ++totals_.acknowledged_by_kind[static_cast<int>(write.kind)];
      }
      for (const std::string& mismatch : client.answer_mismatches) {
        ++totals_.answer_mismatches;
        totals_.violations.push_back("ANSWER: client " + std::to_string(c) + ": " + mismatch);
      }
      if (!client.in_flight.has_value()) continue;
      ++in_flight;
      if (client.failed_at < killed_at) {
        ++totals_.refused;
        totals_.violations.push_back(absl::StrCat(
            "REFUSED: client ", c, " cycle ", cycle, ": ", client.in_flight->Describe(),
            " failed before the kill: ", client.in_flight_error));
      }
    }
    totals_.acknowledged += acknowledged;
    totals_.in_flight += in_flight;

    const absl::Status restarted = StartServer(cycle);
    std::cout << "cycle " << cycle << "/" << options_.cycles << ": killed after " << std::fixed
              << std::setprecision(2) << std::chrono::duration<double>(killed_at - begin).count()
              << " s" << (during_snapshot ? " during a snapshot write" : "")
              << (aim_at_snapshot && !during_snapshot ? " (aimed at a snapshot, missed)" : "")
              << "; " << acknowledged << " acknowledged, " << in_flight << " in flight";
    if (!restarted.ok()) {
      std::cout << "; RESTART FAILED: " << restarted.message() << std::endl;
      totals_.violations.push_back(
          absl::StrCat("RESTART: cycle ", cycle, ": ", std::string(restarted.message())));
      failed_restart_ = true;
      return;
    }
    const CheckResult check = Check(cycles);
    Add(totals_, check);
    std::cout << "; restart: index: " << server_.index_source() << "; in flight applied "
              << check.in_flight_applied << ", absent " << check.in_flight_absent << "; "
              << (check.ok() ? "checks ok" : absl::StrCat(check.violations.size(), " VIOLATIONS"))
              << std::endl;
    for (const std::string& violation : check.violations) std::cout << "  " << violation << "\n";
  }

  // SIGTERM, start again, check: what a clean shutdown leaves.
  void CleanRestart() {
    const absl::Status stopped = server_.Stop(std::chrono::seconds(60));
    if (!stopped.ok()) {
      totals_.violations.push_back("STOP: " + std::string(stopped.message()));
      return;
    }
    const absl::Status started = StartServer(options_.cycles + 1);
    if (!started.ok()) {
      totals_.violations.push_back("RESTART after SIGTERM: " + std::string(started.message()));
      return;
    }
    const CheckResult check = Check(std::vector<ClientCycle>(models_.size()));
    Add(totals_, check);
    std::cout << "after SIGTERM and a restart: index: " << server_.index_source() << "; "
              << (check.ok() ? "checks ok" : "VIOLATIONS") << std::endl;
    const absl::Status final_stop = server_.Stop(std::chrono::seconds(60));
    if (!final_stop.ok())
      totals_.violations.push_back("STOP: " + std::string(final_stop.message()));
  }

  bool failed_restart() const { return failed_restart_; }
  bool violated() const { return !totals_.violations.empty(); }
  // Leaves the store as the failing check saw it (no snapshot on close).
  void KillServer() { server_.Kill(); }

  // Prints the summary; true when nothing was violated.
  bool Summarise() {
    const bool snapshot_path_ok = totals_.snapshot_restarts * 5 >= totals_.restarts * 4;
    if (!snapshot_path_ok) {
      totals_.violations.push_back(absl::StrCat("SNAPSHOT PATH: only ", totals_.snapshot_restarts,
                                                " of ", totals_.restarts,
                                                " restarts loaded the index snapshot"));
    }
    std::cout << "\ncrash_harness summary (seed " << options_.seed << ", " << options_.firms
              << " sample firms, " << options_.clients << " clients)\n"
              << "  cycles (kill -9): " << totals_.kills
              << ", of them during a snapshot write: " << totals_.kills_during_snapshot << "\n"
              << "  acknowledged writes: " << totals_.acknowledged << " (creates "
              << totals_.acknowledged_by_kind[0] << ", updates " << totals_.acknowledged_by_kind[1]
              << ", deletes " << totals_.acknowledged_by_kind[2] << ", relation batches "
              << totals_.acknowledged_by_kind[3] << ")\n"
              << "  in-flight writes at kills: " << totals_.in_flight << " (applied whole "
              << totals_.in_flight_applied << ", not applied " << totals_.in_flight_absent << ")\n"
              << "  lost acknowledged writes: " << totals_.lost << "\n"
              << "  half-applied writes: " << totals_.half_applied << "\n"
              << "  phantom relations: " << totals_.phantoms << "\n"
              << "  index disagreements (counts, searches): " << totals_.index_disagreements << " ("
              << totals_.searches << " searches, " << totals_.firms_checked << " firm reads; "
              << totals_.hidden_not_searched << " checks of live hidden firms by count only)\n"
              << "  writes refused while serving: " << totals_.refused
              << ", answers differing from the request: " << totals_.answer_mismatches << "\n"
              << "  restarts through the snapshot-loading path: " << totals_.snapshot_restarts
              << " of " << totals_.restarts << " after the first start\n"
              << "  check calls failed: " << totals_.check_call_failures << "\n";
    if (!totals_.violations.empty()) {
      std::cout << "VIOLATIONS (" << totals_.violations.size() << "):\n";
      for (const std::string& violation : totals_.violations)
        std::cout << "  " << violation << "\n";
    }
    std::cout << (totals_.violations.empty() ? "crash_harness: PASS" : "crash_harness: FAIL")
              << std::endl;
    return totals_.violations.empty();
  }

 private:
  absl::Status StartServer(int cycle) {
    const absl::Status status =
        server_.Start(absl::StrCat(scratch_, "/serve-", TwoDigits(cycle), ".log"), kStartTimeout);
    if (!status.ok()) return status;
    check_settings_.address = server_.address();
    if (cycle > 0) {
      ++totals_.restarts;
      totals_.snapshot_restarts += absl::StartsWith(server_.index_source(), "snapshot");
    }
    return absl::OkStatus();
  }

  CheckResult Check(const std::vector<ClientCycle>& cycles) {
    std::vector<ClientCycle> padded = cycles;
    padded.resize(models_.size());
    return CheckStore(check_settings_, models_, padded);
  }

  const Options& options_;
  const std::string scratch_;
  const std::string db_;
  ServeProcess server_;
  std::mt19937_64 random_;
  std::string key_;
  std::optional<WriteFactory> factory_;
  std::vector<ClientModel> models_;
  CheckSettings check_settings_;
  Totals totals_;
  bool failed_restart_ = false;
};

int Main(Options options) {
  if (options.seed == 0) {
    options.seed = static_cast<uint64_t>(
        std::chrono::system_clock::now().time_since_epoch().count() % 1'000'000'000);
  }
  std::string scratch = options.scratch;
  if (scratch.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/cm_crash_XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) {
      std::cerr << "crash_harness: cannot make a scratch directory from " << pattern << "\n";
      return 2;
    }
    scratch = pattern;
  } else {
    std::filesystem::create_directories(scratch);
  }
  std::cout << "crash_harness: seed " << options.seed << ", " << options.cycles << " cycles, "
            << options.clients << " clients, scratch " << scratch << std::endl;

  Harness harness(options, scratch);
  if (absl::Status status = harness.SetUp(); !status.ok()) {
    std::cerr << "crash_harness: setup: " << status.message() << "\n";
    return 2;
  }
  bool stopped = false;
  for (int cycle = 1; cycle <= options.cycles && !harness.failed_restart(); ++cycle) {
    harness.RunCycle(cycle);
    if (options.stop_on_violation && harness.violated()) {
      std::cout << "crash_harness: stopping at the first violation (--stop-on-violation); the "
                   "server was killed, the store is as the check saw it"
                << std::endl;
      harness.KillServer();
      stopped = true;
      break;
    }
  }
  if (!harness.failed_restart() && !stopped) harness.CleanRestart();
  const bool passed = harness.Summarise();
  if (passed && !options.keep) {
    std::error_code ignored;
    std::filesystem::remove_all(scratch, ignored);
  } else {
    std::cout << "crash_harness: logs kept in " << scratch << std::endl;
  }
  return passed ? 0 : 1;
}

}  // namespace
}  // namespace clustermatch::reliability

int main(int argc, char** argv) {
  clustermatch::reliability::Options options;
  CLI::App app{"kill -9 `clustermatch serve` under writes and check nothing acknowledged is lost"};
  app.add_option("--clustermatch", options.clustermatch, "Path of the clustermatch binary")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--cycles", options.cycles, "Kill and restart cycles")
      ->check(CLI::Range(1, 10000))
      ->capture_default_str();
  app.add_option("--firms", options.firms, "Sample firms in the scratch store")
      ->check(CLI::Range(50, 100000))
      ->capture_default_str();
  app.add_option("--clients", options.clients, "Concurrent writing clients")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of everything random (0: from the clock)")
      ->capture_default_str();
  app.add_option("--kill-min", options.kill_min_s, "Earliest kill, seconds into a cycle")
      ->check(CLI::Range(0.05, 600.0))
      ->capture_default_str();
  app.add_option("--kill-max", options.kill_max_s, "Latest kill, seconds into a cycle")
      ->check(CLI::Range(0.05, 600.0))
      ->capture_default_str();
  app.add_option("--snapshot-every", options.snapshot_every_s,
                 "The server's --index-snapshot-every, seconds")
      ->check(CLI::Range(0.05, 3600.0))
      ->capture_default_str();
  app.add_option("--snapshot-kill-every", options.snapshot_kill_every,
                 "Every Nth cycle kills while a snapshot is written (0: never)")
      ->check(CLI::Range(0, 1000))
      ->capture_default_str();
  app.add_option("--max-live", options.max_live, "Most live firms a client holds")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--search-k", options.search_k, "Results a check's Search asks for")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--scratch", options.scratch, "Scratch directory (default: a new one in TMPDIR)");
  app.add_flag("--keep", options.keep, "Keep the scratch directory even when all checks pass");
  app.add_flag("--stop-on-violation", options.stop_on_violation,
               "Stop at the first violating cycle, leaving the store for a post-mortem");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (options.kill_max_s < options.kill_min_s) {
    std::cerr << "crash_harness: --kill-max must not be below --kill-min\n";
    return 2;
  }
  return clustermatch::reliability::Main(options);
}
