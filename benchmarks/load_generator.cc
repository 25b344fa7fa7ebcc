// gRPC load generator for a running `clustermatch serve` (issues 6 and 7):
// QPS and exact latency percentiles of the portal's calls, each against the
// cheapest possible call on the same server in the same run.
//
// Scenarios (--calls, default empty,recommend,search, run in this order at
// each concurrency):
//   empty      grpc.health.v1.Health/Check: the empty-RPC baseline (no key
//              check, no engine work), so "QPS / empty" says what share of
//              the transport's capacity a real call leaves.
//   recommend  MatchingService/Recommend for a random firm id, k=--k, with
//              explanations, as the member portal calls it. Ids come from
//              FirmService/ListFirms paging (what the key may see) or from
//              --firms-from FILE.jsonl.
//   search     MatchingService/Search with a random need phrase of the sample
//              vocabulary (engine/sample_vocabulary.h, Korean and English).
//   mixed      80% reads (Recommend, Search, GetFirm), 20% writes (UpdateFirm,
//              CreateFirm/DeleteFirm, RecordRelations), drawn call by call
//              (benchmarks/mixed_calls.h); needs a writer key.
//
// Closed loop (default): at concurrency C, C workers each send their next
// call as soon as the previous answer arrives, for --warmup seconds (not
// recorded) and then --duration seconds. A call is recorded when it
// completes inside the measured window.
// Open loop (--qps Q): calls are due at a fixed rate Q (benchmarks/
// rate_pacer.h) and the C workers take the next due call as soon as they are
// free; a call is recorded when it was due inside the measured window, and
// its latency runs from when it was due (so a late start counts), and the
// largest lag of a start behind its due time is reported.
// Either way QPS counts successful calls only (goodput), latencies are those
// of successful calls, and every non-OK status is counted per code and
// printed. Percentiles are exact (nearest rank over all sorted latencies).
// Each worker draws its requests from its own generator seeded from --seed,
// the scenario, C and its index, so the request sequence is reproducible.
//
// Channels: one per worker, each with its own TCP connection
// (benchmarks/grpc_load_client.h): one connection would serialise every
// frame through one transport on each side; separate connections are what C
// independent portal backends would open.
//
// Every call is an async unary call on a completion queue owned by the
// worker, which waits on it itself (no hand-off to a callback thread), the
// same path for all scenarios.
//
// On a small machine the server and this client share the CPU cores: the
// numbers then measure the pair, not the server alone (say so when quoting).
//
// Run (benchmarks/run_load.sh and benchmarks/run_soak.sh do all of this on a
// scratch store):
//   export CLUSTERMATCH_API_KEY=cm_...   # a reader key (writer for mixed)
//   build/benchmarks/load_generator --server 127.0.0.1:50051 --concurrency 1,2,8
//       --duration 10 --json out.json
// Exit codes: 0 measured without errors, 3 measured with errors (see the
// table), 1 setup failure (no connection, no firms, bad key), 2 bad flags.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "benchmarks/grpc_load_client.h"
#include "benchmarks/mixed_calls.h"
#include "benchmarks/rate_pacer.h"
#include "clustermatch/v1/matching_service.grpc.pb.h"
#include "server/firm_jsonl.h"
#include "server/read_file.h"

namespace clustermatch {
namespace {

using Clock = std::chrono::steady_clock;

enum class Scenario { kEmpty, kRecommend, kSearch, kMixed };

const char* ScenarioName(Scenario scenario) {
  switch (scenario) {
    case Scenario::kEmpty:
      return "empty";
    case Scenario::kRecommend:
      return "recommend";
    case Scenario::kSearch:
      return "search";
    case Scenario::kMixed:
      return "mixed";
  }
  return "?";
}

struct Options {
  std::string server = "127.0.0.1:50051";
  std::string api_key;
  std::vector<int> concurrency = {1, 2, 8};
  double duration_s = 10;
  double warmup_s = 2;
  std::vector<std::string> calls = {"empty", "recommend", "search"};
  int k = 10;
  uint64_t seed = 1;
  std::string json_path;
  std::string firms_from;
  int deadline_ms = 10000;
  double qps = 0;        // > 0: open loop at this rate
  std::vector<int> mix;  // the mixed scenario's shares (MixedShares order)
};

// What the workers draw requests from; read-only while they run.
using Workload = MixedWorkload;

// One worker's record of the measured window.
struct WorkerTally {
  std::vector<double> latencies_ms;  // successful calls
  std::map<std::string, int64_t> errors;
  std::map<std::string, int64_t> ops;  // successful calls per mixed op
  std::string first_error;
  double max_lag_ms = 0;         // open loop: latest start behind its due time
  Clock::time_point last_end{};  // latest completion of a recorded call
};

struct ScenarioResult {
  Scenario scenario;
  int concurrency = 0;
  int64_t calls = 0;  // completed in the window, OK or not
  int64_t errors = 0;
  std::map<std::string, int64_t> error_codes;
  std::string first_error;
  double qps = 0;         // successful calls per second of window_s
  double window_s = 0;    // measured seconds; open loop: until the last completion
  double target_qps = 0;  // open loop: the offered rate; 0 closed loop
  double max_lag_ms = 0;
  std::map<std::string, int64_t> ops;
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
  double qps_vs_empty = NAN;  // NaN when the empty scenario was not run
};

// One client: a channel, a completion queue and a random source.
class Worker {
 public:
  Worker(const std::shared_ptr<grpc::Channel>& channel, const Options& options,
         const Workload& workload, Scenario scenario, std::seed_seq& seed,
         const std::string& id_prefix, int own_firms)
      : options_(options),
        workload_(workload),
        scenario_(scenario),
        random_(seed),
        generic_(channel),
        matching_(v1::MatchingService::NewStub(channel)),
        mixed_(channel, workload, options.api_key, options.k,
               std::chrono::milliseconds(options.deadline_ms), id_prefix, own_firms) {}
  ~Worker() { DrainQueue(queue_); }

  // Closed loop (no pacer): calls until `stop`, recording the calls that
  // complete in [begin, stop). Open loop: takes due times from `pacer` until
  // one is at or after `stop`, and records the calls due in [begin, stop).
  void Run(Clock::time_point begin, Clock::time_point stop, RatePacer* pacer) {
    while (true) {
      const Clock::time_point due = pacer != nullptr ? pacer->Next() : Clock::now();
      if (due >= stop) break;
      if (pacer != nullptr) std::this_thread::sleep_until(due);
      const Clock::time_point started = Clock::now();
      const char* op = nullptr;
      const grpc::Status status = CallOnce(&op);
      const Clock::time_point end = Clock::now();
      const Clock::time_point recorded_at = pacer != nullptr ? due : end;
      if (recorded_at < begin || recorded_at >= stop) continue;
      tally_.last_end = std::max(tally_.last_end, end);
      if (pacer != nullptr) {
        tally_.max_lag_ms = std::max(
            tally_.max_lag_ms, std::chrono::duration<double, std::milli>(started - due).count());
      }
      if (status.ok()) {
        tally_.latencies_ms.push_back(std::chrono::duration<double, std::milli>(end - due).count());
        if (op != nullptr) ++tally_.ops[op];
      } else {
        ++tally_.errors[StatusCodeName(status.error_code())];
        if (tally_.first_error.empty()) {
          tally_.first_error =
              (op != nullptr ? std::string(op) + ": " : std::string()) + StatusText(status);
        }
      }
    }
  }

  WorkerTally& tally() { return tally_; }

 private:
  const std::string& Pick(const std::vector<std::string>& items) {
    std::uniform_int_distribution<size_t> index(0, items.size() - 1);
    return items[index(random_)];
  }

  void Prepare(grpc::ClientContext& context, bool authorise) {
    PrepareCall(context, authorise ? options_.api_key : "",
                std::chrono::milliseconds(options_.deadline_ms));
  }

  grpc::Status CallOnce(const char** op) {
    grpc::ClientContext context;
    switch (scenario_) {
      case Scenario::kEmpty: {
        Prepare(context, false);
        return CheckHealth(generic_, queue_, context);
      }
      case Scenario::kRecommend: {
        Prepare(context, true);
        v1::RecommendRequest request;
        request.set_firm_id(Pick(workload_.firm_ids));
        request.set_k(options_.k);
        v1::RecommendResponse response;
        auto reader = matching_->PrepareAsyncRecommend(&context, request, &queue_);
        return Complete(queue_, *reader, &response);
      }
      case Scenario::kSearch: {
        Prepare(context, true);
        v1::SearchRequest request;
        request.set_query(Pick(workload_.queries));
        request.set_k(options_.k);
        v1::SearchResponse response;
        auto reader = matching_->PrepareAsyncSearch(&context, request, &queue_);
        return Complete(queue_, *reader, &response);
      }
      case Scenario::kMixed:
        return mixed_.CallOnce(queue_, random_, op);
    }
    return grpc::Status(grpc::StatusCode::INTERNAL, "unknown scenario");
  }

  const Options& options_;
  const Workload& workload_;
  const Scenario scenario_;
  std::mt19937_64 random_;
  grpc::GenericStub generic_;
  std::unique_ptr<v1::MatchingService::Stub> matching_;
  MixedCaller mixed_;
  grpc::CompletionQueue queue_;
  WorkerTally tally_;
};

ScenarioResult RunScenario(const Options& options, const Workload& workload,
                           const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                           Scenario scenario, int concurrency) {
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < concurrency; ++i) {
    std::seed_seq seed{static_cast<uint32_t>(options.seed),
                       static_cast<uint32_t>(options.seed >> 32), static_cast<uint32_t>(scenario),
                       static_cast<uint32_t>(concurrency), static_cast<uint32_t>(i)};
    // Firms the mixed scenario creates: unique to this process and worker.
    const std::string id_prefix = "mix-" + std::to_string(::getpid()) + "-c" +
                                  std::to_string(concurrency) + "-w" + std::to_string(i) + "-";
    workers.push_back(std::make_unique<Worker>(channels[i], options, workload, scenario, seed,
                                               id_prefix,
                                               std::max(1, kMixedOwnFirmsInAll / concurrency)));
  }
  const auto to_duration = [](double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  };
  const Clock::time_point now = Clock::now();
  const Clock::time_point begin = now + to_duration(options.warmup_s);
  const Clock::time_point stop = begin + to_duration(options.duration_s);
  std::optional<RatePacer> pacer;
  if (options.qps > 0) pacer.emplace(options.qps, now);
  RatePacer* shared_pacer = pacer.has_value() ? &*pacer : nullptr;
  std::vector<std::thread> threads;
  for (auto& worker : workers) {
    threads.emplace_back(
        [&worker, begin, stop, shared_pacer] { worker->Run(begin, stop, shared_pacer); });
  }
  for (std::thread& thread : threads) thread.join();

  ScenarioResult result;
  result.scenario = scenario;
  result.concurrency = concurrency;
  std::vector<double> latencies;
  for (auto& worker : workers) {
    WorkerTally& tally = worker->tally();
    latencies.insert(latencies.end(), tally.latencies_ms.begin(), tally.latencies_ms.end());
    for (const auto& [code, count] : tally.errors) {
      result.error_codes[code] += count;
      result.errors += count;
    }
    for (const auto& [op, count] : tally.ops) result.ops[op] += count;
    if (result.first_error.empty()) result.first_error = tally.first_error;
    result.max_lag_ms = std::max(result.max_lag_ms, tally.max_lag_ms);
  }
  result.target_qps = options.qps;
  std::sort(latencies.begin(), latencies.end());
  result.calls = static_cast<int64_t>(latencies.size()) + result.errors;
  // Closed loop: the calls that completed in the window. Open loop: the calls
  // due in the window, over the time until the last of them completed, which
  // is longer than the window when the server fell behind.
  result.window_s = options.duration_s;
  if (options.qps > 0) {
    Clock::time_point last_end = stop;
    for (auto& worker : workers) last_end = std::max(last_end, worker->tally().last_end);
    result.window_s = std::chrono::duration<double>(last_end - begin).count();
  }
  result.qps = static_cast<double>(latencies.size()) / result.window_s;
  result.p50_ms = Percentile(latencies, 0.50);
  result.p95_ms = Percentile(latencies, 0.95);
  result.p99_ms = Percentile(latencies, 0.99);
  result.max_ms = latencies.empty() ? 0 : latencies.back();
  return result;
}

absl::StatusOr<std::vector<std::string>> FirmIdsFromFile(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFileBytes(path);
  if (!bytes.ok()) return bytes.status();
  absl::StatusOr<std::vector<Firm>> firms = ParseFirmsJsonl(*bytes, path);
  if (!firms.ok()) return firms.status();
  std::vector<std::string> ids;
  for (const Firm& firm : *firms) ids.push_back(firm.id);
  return ids;
}

std::string Fixed(double value, int digits) {
  std::ostringstream text;
  text << std::fixed << std::setprecision(digits) << value;
  return text.str();
}

void PrintTable(const std::vector<ScenarioResult>& results, std::ostream& out) {
  out << "| call | C | calls | errors | QPS | p50 ms | p95 ms | p99 ms | max ms | QPS / empty |\n"
      << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  for (const ScenarioResult& r : results) {
    out << "| " << ScenarioName(r.scenario) << " | " << r.concurrency << " | " << r.calls << " | "
        << r.errors << " | " << Fixed(r.qps, 1) << " | " << Fixed(r.p50_ms, 3) << " | "
        << Fixed(r.p95_ms, 3) << " | " << Fixed(r.p99_ms, 3) << " | " << Fixed(r.max_ms, 3) << " | "
        << (std::isnan(r.qps_vs_empty) ? "-" : Fixed(r.qps_vs_empty, 4)) << " |\n";
  }
  for (const ScenarioResult& r : results) {
    if (r.target_qps > 0) {
      out << "\nopen loop " << ScenarioName(r.scenario) << " at C=" << r.concurrency << ": target "
          << Fixed(r.target_qps, 1) << " QPS, achieved " << Fixed(r.qps, 1) << " QPS over "
          << Fixed(r.window_s, 1) << " s, largest start lag " << Fixed(r.max_lag_ms, 1) << " ms\n";
    }
    if (!r.ops.empty()) {
      out << "\nsuccessful " << ScenarioName(r.scenario) << " calls at C=" << r.concurrency << ":";
      for (const auto& [op, count] : r.ops) out << " " << op << " " << count;
      out << "\n";
    }
  }
  for (const ScenarioResult& r : results) {
    if (r.errors == 0) continue;
    out << "\nerrors in " << ScenarioName(r.scenario) << " at C=" << r.concurrency << ":";
    for (const auto& [code, count] : r.error_codes) out << " " << code << " x" << count;
    out << " (first: " << r.first_error << ")\n";
  }
}

nlohmann::json ToJson(const Options& options, const Workload& workload,
                      const std::vector<ScenarioResult>& results) {
  nlohmann::json json;
  json["server"] = options.server;
  json["duration_s"] = options.duration_s;
  json["warmup_s"] = options.warmup_s;
  json["k"] = options.k;
  json["seed"] = options.seed;
  json["firm_ids"] = workload.firm_ids.size();
  json["search_queries"] = workload.queries.size();
  json["client_hardware_threads"] = std::thread::hardware_concurrency();
  json["channels"] = "one per worker, own TCP connection";
  json["loop"] = options.qps > 0 ? "open" : "closed";
  nlohmann::json rows = nlohmann::json::array();
  for (const ScenarioResult& r : results) {
    nlohmann::json row;
    row["call"] = ScenarioName(r.scenario);
    row["concurrency"] = r.concurrency;
    row["calls"] = r.calls;
    row["errors"] = r.errors;
    row["error_codes"] = r.error_codes;
    if (!r.first_error.empty()) row["first_error"] = r.first_error;
    row["qps"] = r.qps;
    row["target_qps"] = r.target_qps;
    row["window_s"] = r.window_s;
    row["max_lag_ms"] = r.max_lag_ms;
    row["ops"] = r.ops;
    row["p50_ms"] = r.p50_ms;
    row["p95_ms"] = r.p95_ms;
    row["p99_ms"] = r.p99_ms;
    row["max_ms"] = r.max_ms;
    row["qps_vs_empty"] =
        std::isnan(r.qps_vs_empty) ? nlohmann::json(nullptr) : nlohmann::json(r.qps_vs_empty);
    rows.push_back(std::move(row));
  }
  json["results"] = std::move(rows);
  return json;
}

int Run(const Options& options) {
  std::vector<Scenario> scenarios;
  for (Scenario s : {Scenario::kEmpty, Scenario::kRecommend, Scenario::kSearch, Scenario::kMixed}) {
    if (std::find(options.calls.begin(), options.calls.end(), ScenarioName(s)) !=
        options.calls.end()) {
      scenarios.push_back(s);
    }
  }
  const bool needs_key = std::any_of(scenarios.begin(), scenarios.end(),
                                     [](Scenario s) { return s != Scenario::kEmpty; });
  if (needs_key && options.api_key.empty()) {
    std::cerr << "load_generator: --api-key: needed for recommend, search and mixed (or set "
                 "CLUSTERMATCH_API_KEY)\n";
    return 2;
  }

  const int max_concurrency =
      *std::max_element(options.concurrency.begin(), options.concurrency.end());
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < max_concurrency; ++i) {
    channels.push_back(NewConnection(options.server, i));
    if (!channels.back()->WaitForConnected(std::chrono::system_clock::now() +
                                           std::chrono::seconds(10))) {
      std::cerr << "load_generator: --server: cannot connect to " << options.server
                << " within 10 s\n";
      return 1;
    }
  }

  Workload workload;
  workload.queries = SampleSearchQueries();
  workload.phrases = SampleOfferPhrases();
  if (!options.mix.empty()) {
    workload.shares = {options.mix[0], options.mix[1], options.mix[2],
                       options.mix[3], options.mix[4], options.mix[5]};
  }
  const auto runs = [&](Scenario s) {
    return std::find(scenarios.begin(), scenarios.end(), s) != scenarios.end();
  };
  if (runs(Scenario::kRecommend) || runs(Scenario::kMixed)) {
    absl::StatusOr<std::vector<std::string>> ids = options.firms_from.empty()
                                                       ? ListFirmIds(channels[0], options.api_key)
                                                       : FirmIdsFromFile(options.firms_from);
    if (!ids.ok()) {
      std::cerr << "load_generator: " << ids.status().message() << "\n";
      return 1;
    }
    if (ids->empty()) {
      std::cerr << "load_generator: no firm ids to recommend for ("
                << (options.firms_from.empty() ? "ListFirms returned none"
                                               : "--firms-from: file has no firms")
                << ")\n";
      return 1;
    }
    workload.firm_ids = std::move(*ids);
  }

  std::cerr << "load_generator: " << options.server << ", " << workload.firm_ids.size()
            << " firm ids, " << workload.queries.size() << " search queries, k=" << options.k
            << ", warmup " << options.warmup_s << " s + " << options.duration_s << " s per row, "
            << (options.qps > 0 ? "open loop at " + Fixed(options.qps, 1) + " QPS, "
                                : std::string("closed loop, "))
            << "one channel (connection) per worker, " << std::thread::hardware_concurrency()
            << " hardware threads on this host\n";

  std::vector<ScenarioResult> results;
  for (int concurrency : options.concurrency) {
    double empty_qps = NAN;
    for (Scenario scenario : scenarios) {
      ScenarioResult result = RunScenario(options, workload, channels, scenario, concurrency);
      if (scenario == Scenario::kEmpty) empty_qps = result.qps;
      if (!std::isnan(empty_qps) && empty_qps > 0) result.qps_vs_empty = result.qps / empty_qps;
      std::cerr << "  " << ScenarioName(scenario) << " C=" << concurrency << ": "
                << Fixed(result.qps, 1) << " QPS, " << result.errors << " errors\n";
      results.push_back(std::move(result));
    }
  }

  PrintTable(results, std::cout);
  if (!options.json_path.empty()) {
    std::ofstream file(options.json_path);
    file << ToJson(options, workload, results).dump(2) << "\n";
    if (!file) {
      std::cerr << "load_generator: --json: cannot write " << options.json_path << "\n";
      return 1;
    }
  }
  const bool any_errors = std::any_of(results.begin(), results.end(),
                                      [](const ScenarioResult& r) { return r.errors > 0; });
  return any_errors ? 3 : 0;
}

}  // namespace
}  // namespace clustermatch

int main(int argc, char** argv) {
  clustermatch::Options options;
  CLI::App app{"gRPC load generator for `clustermatch serve`"};
  app.add_option("--server", options.server, "host:port of the server")->capture_default_str();
  app.add_option("--api-key", options.api_key, "Reader key (cm_...), writer for mixed")
      ->envname("CLUSTERMATCH_API_KEY");
  app.add_option("--concurrency", options.concurrency, "Workers, a list: 1,2,8")
      ->delimiter(',')
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  app.add_option("--duration", options.duration_s, "Measured seconds per scenario and C")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--warmup", options.warmup_s, "Unrecorded seconds before each measurement")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--calls", options.calls, "Scenarios, a list: empty,recommend,search,mixed")
      ->delimiter(',')
      ->check(CLI::IsMember({"empty", "recommend", "search", "mixed"}))
      ->capture_default_str();
  app.add_option("--k", options.k, "Results per Recommend or Search")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the request sequence")->capture_default_str();
  app.add_option("--json", options.json_path, "Also write the results to this JSON file");
  app.add_option("--firms-from", options.firms_from,
                 "Firm ids for recommend and mixed from this JSONL file instead of ListFirms")
      ->check(CLI::ExistingFile);
  app.add_option("--deadline-ms", options.deadline_ms, "Deadline of each call")
      ->check(CLI::Range(1, 3'600'000))
      ->capture_default_str();
  app.add_option("--qps", options.qps,
                 "Open loop: calls due at this rate, spread over the workers (0: closed loop)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--mix", options.mix,
                 "Mixed scenario shares: recommend,search,get,update,create-or-delete,relations "
                 "(default 35,30,15,10,6,4)")
      ->delimiter(',')
      ->expected(6)
      ->check(CLI::Range(0, 1000));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  int mix_total = 0;
  for (int share : options.mix) mix_total += share;
  if (!options.mix.empty() && mix_total == 0) {
    std::cerr << "load_generator: --mix: the shares must not all be 0\n";
    return 2;
  }
  if (options.concurrency.empty() || options.calls.empty()) {
    std::cerr << "load_generator: --concurrency and --calls need at least one value\n";
    return 2;
  }
  return clustermatch::Run(options);
}
