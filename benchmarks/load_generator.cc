// Closed-loop gRPC load generator for a running `clustermatch serve` (issue 6):
// QPS and exact latency percentiles of the portal's calls, each against the
// cheapest possible call on the same server in the same run.
//
// Scenarios (--calls, default all three, run in this order at each
// concurrency):
//   empty      grpc.health.v1.Health/Check: the empty-RPC baseline (no key
//              check, no engine work), so "QPS / empty" says what share of
//              the transport's capacity a real call leaves.
//   recommend  MatchingService/Recommend for a random firm id, k=--k, with
//              explanations, as the member portal calls it. Ids come from
//              FirmService/ListFirms paging (what the key may see) or from
//              --firms-from FILE.jsonl.
//   search     MatchingService/Search with a random need phrase of the sample
//              vocabulary (engine/sample_vocabulary.h, Korean and English).
//
// Closed loop: at concurrency C, C workers each send their next call as soon
// as the previous answer arrives, for --warmup seconds (not recorded) and then
// --duration seconds. A call is recorded when it completes inside the
// measured window; QPS counts successful calls only (goodput), latencies are
// those of successful calls, and every non-OK status is counted per code and
// printed. Percentiles are exact (nearest rank over all sorted latencies).
// Each worker draws its requests from its own generator seeded from --seed,
// the scenario, C and its index, so the request sequence is reproducible.
//
// Channels: one per worker, each with its own subchannel pool
// (GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL) and hence its own TCP connection.
// gRPC C++ otherwise shares one subchannel, i.e. one HTTP/2 connection,
// between channels with equal arguments, and one connection serialises
// every frame through one transport on each side; separate connections are
// what C independent portal backends would open. At C <= 8 that is at most
// 8 connections, cheap for the server.
//
// Every call is an async unary call on a completion queue owned by the
// worker, which waits on it itself (no hand-off to a callback thread), the
// same path for all three scenarios.
//
// On a small machine the server and this client share the CPU cores: the
// numbers then measure the pair, not the server alone (say so when quoting).
//
// Run (benchmarks/run_load.sh does all of this on a scratch store):
//   export CLUSTERMATCH_API_KEY=cm_...   # a reader key
//   build/benchmarks/load_generator --server 127.0.0.1:50051 --concurrency 1,2,8
//       --duration 10 --json out.json
// Exit codes: 0 measured without errors, 3 measured with errors (see the
// table), 1 setup failure (no connection, no firms, bad key), 2 bad flags.
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

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
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "clustermatch/v1/firm_service.grpc.pb.h"
#include "clustermatch/v1/matching_service.grpc.pb.h"
#include "engine/sample_vocabulary.h"
#include "server/firm_jsonl.h"
#include "server/read_file.h"

namespace clustermatch {
namespace {

using Clock = std::chrono::steady_clock;

constexpr char kHealthCheckMethod[] = "/grpc.health.v1.Health/Check";
// HealthCheckResponse{status: SERVING}: field 1, varint 1.
constexpr char kServingResponse[] = "\x08\x01";
constexpr int kListPageSize = 1000;  // the server's maximum page size

enum class Scenario { kEmpty, kRecommend, kSearch };

const char* ScenarioName(Scenario scenario) {
  switch (scenario) {
    case Scenario::kEmpty:
      return "empty";
    case Scenario::kRecommend:
      return "recommend";
    case Scenario::kSearch:
      return "search";
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
};

// What the workers draw requests from; read-only while they run.
struct Workload {
  std::vector<std::string> firm_ids;
  std::vector<std::string> queries;
};

// One worker's record of the measured window.
struct WorkerTally {
  std::vector<double> latencies_ms;  // successful calls
  std::map<std::string, int64_t> errors;
  std::string first_error;
};

struct ScenarioResult {
  Scenario scenario;
  int concurrency = 0;
  int64_t calls = 0;  // completed in the window, OK or not
  int64_t errors = 0;
  std::map<std::string, int64_t> error_codes;
  std::string first_error;
  double qps = 0;  // successful calls per second
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
  double qps_vs_empty = NAN;  // NaN when the empty scenario was not run
};

std::string StatusCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    default:
      return "CODE_" + std::to_string(static_cast<int>(code));
  }
}

std::shared_ptr<grpc::Channel> NewChannel(const std::string& address, int index) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // Distinct arguments as well, so no layer merges the channels.
  args.SetInt("clustermatch.load_generator.worker", index);
  args.SetMaxReceiveMessageSize(64 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

// Issues the call a reader was prepared for and waits for its completion on
// the caller's queue.
template <typename Response>
grpc::Status Complete(grpc::CompletionQueue& queue,
                      grpc::ClientAsyncResponseReader<Response>& reader, Response* response) {
  grpc::Status status;
  reader.StartCall();
  reader.Finish(response, &status, &reader);
  void* tag = nullptr;
  bool ok = false;
  if (!queue.Next(&tag, &ok)) {
    return grpc::Status(grpc::StatusCode::INTERNAL, "completion queue shut down");
  }
  return status;
}

// One closed-loop client: a channel, a completion queue and a random source.
class Worker {
 public:
  Worker(std::shared_ptr<grpc::Channel> channel, const Options& options, const Workload& workload,
         Scenario scenario, std::seed_seq& seed)
      : options_(options),
        workload_(workload),
        scenario_(scenario),
        random_(seed),
        generic_(channel),
        matching_(v1::MatchingService::NewStub(channel)) {}
  ~Worker() {
    queue_.Shutdown();
    void* tag;
    bool ok;
    while (queue_.Next(&tag, &ok)) {
    }
  }

  // Calls until `stop`, recording the calls that complete in [begin, stop).
  void Run(Clock::time_point begin, Clock::time_point stop) {
    while (true) {
      const Clock::time_point start = Clock::now();
      if (start >= stop) break;
      const grpc::Status status = CallOnce();
      const Clock::time_point end = Clock::now();
      if (end < begin || end >= stop) continue;
      if (status.ok()) {
        tally_.latencies_ms.push_back(
            std::chrono::duration<double, std::milli>(end - start).count());
      } else {
        ++tally_.errors[StatusCodeName(status.error_code())];
        if (tally_.first_error.empty()) {
          tally_.first_error = StatusCodeName(status.error_code()) + ": " + status.error_message();
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
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::milliseconds(options_.deadline_ms));
    if (authorise) context.AddMetadata("authorization", "Bearer " + options_.api_key);
  }

  grpc::Status CallOnce() {
    grpc::ClientContext context;
    switch (scenario_) {
      case Scenario::kEmpty: {
        Prepare(context, false);
        // HealthCheckRequest{service: ""} encodes to no bytes, but the server
        // needs a buffer with a slice in it (a bare ByteBuffer is refused as
        // INVALID_ARGUMENT).
        grpc::Slice empty_slice("", 0);
        const grpc::ByteBuffer request(&empty_slice, 1);
        grpc::ByteBuffer response;
        auto reader = generic_.PrepareUnaryCall(&context, kHealthCheckMethod, request, &queue_);
        grpc::Status status = Complete(queue_, *reader, &response);
        if (!status.ok()) return status;
        std::vector<grpc::Slice> slices;
        std::string bytes;
        if (response.Dump(&slices).ok()) {
          for (const grpc::Slice& slice : slices) {
            bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
          }
        }
        if (bytes != kServingResponse) {
          return grpc::Status(grpc::StatusCode::UNAVAILABLE, "health: server is not SERVING");
        }
        return status;
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
    }
    return grpc::Status(grpc::StatusCode::INTERNAL, "unknown scenario");
  }

  const Options& options_;
  const Workload& workload_;
  const Scenario scenario_;
  std::mt19937_64 random_;
  grpc::GenericStub generic_;
  std::unique_ptr<v1::MatchingService::Stub> matching_;
  grpc::CompletionQueue queue_;
  WorkerTally tally_;
};

// Nearest-rank percentile of sorted values: the smallest value with at least
// p of them at or below it.
double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

ScenarioResult RunScenario(const Options& options, const Workload& workload,
                           const std::vector<std::shared_ptr<grpc::Channel>>& channels,
                           Scenario scenario, int concurrency) {
  std::vector<std::unique_ptr<Worker>> workers;
  for (int i = 0; i < concurrency; ++i) {
    std::seed_seq seed{static_cast<uint32_t>(options.seed),
                       static_cast<uint32_t>(options.seed >> 32), static_cast<uint32_t>(scenario),
                       static_cast<uint32_t>(concurrency), static_cast<uint32_t>(i)};
    workers.push_back(std::make_unique<Worker>(channels[i], options, workload, scenario, seed));
  }
  const auto to_duration = [](double seconds) {
    return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  };
  const Clock::time_point begin = Clock::now() + to_duration(options.warmup_s);
  const Clock::time_point stop = begin + to_duration(options.duration_s);
  std::vector<std::thread> threads;
  for (auto& worker : workers) {
    threads.emplace_back([&worker, begin, stop] { worker->Run(begin, stop); });
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
    if (result.first_error.empty()) result.first_error = tally.first_error;
  }
  std::sort(latencies.begin(), latencies.end());
  result.calls = static_cast<int64_t>(latencies.size()) + result.errors;
  result.qps = static_cast<double>(latencies.size()) / options.duration_s;
  result.p50_ms = Percentile(latencies, 0.50);
  result.p95_ms = Percentile(latencies, 0.95);
  result.p99_ms = Percentile(latencies, 0.99);
  result.max_ms = latencies.empty() ? 0 : latencies.back();
  return result;
}

// Every firm id the key may see, page by page.
absl::StatusOr<std::vector<std::string>> ListFirmIds(
    const Options& options, const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = v1::FirmService::NewStub(channel);
  std::vector<std::string> ids;
  std::string token;
  do {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    context.AddMetadata("authorization", "Bearer " + options.api_key);
    v1::ListFirmsRequest request;
    request.set_page_size(kListPageSize);
    request.set_page_token(token);
    v1::ListFirmsResponse response;
    const grpc::Status status = stub->ListFirms(&context, request, &response);
    if (!status.ok()) {
      return absl::UnavailableError("FirmService/ListFirms on " + options.server + ": " +
                                    StatusCodeName(status.error_code()) + ": " +
                                    status.error_message());
    }
    for (const v1::Firm& firm : response.firms()) ids.push_back(firm.id());
    token = response.next_page_token();
  } while (!token.empty());
  return ids;
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

// The need phrases of the sample vocabulary: what members type into search.
std::vector<std::string> SearchQueries() {
  std::vector<std::string> queries;
  for (const SampleCapability& capability : SampleVocabularyTables().capabilities) {
    for (std::string_view need : capability.needs_ko) queries.emplace_back(need);
    for (std::string_view need : capability.needs_en) queries.emplace_back(need);
  }
  return queries;
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
  for (Scenario s : {Scenario::kEmpty, Scenario::kRecommend, Scenario::kSearch}) {
    if (std::find(options.calls.begin(), options.calls.end(), ScenarioName(s)) !=
        options.calls.end()) {
      scenarios.push_back(s);
    }
  }
  const bool needs_key = std::any_of(scenarios.begin(), scenarios.end(),
                                     [](Scenario s) { return s != Scenario::kEmpty; });
  if (needs_key && options.api_key.empty()) {
    std::cerr << "load_generator: --api-key: needed for recommend and search (or set "
                 "CLUSTERMATCH_API_KEY)\n";
    return 2;
  }

  const int max_concurrency =
      *std::max_element(options.concurrency.begin(), options.concurrency.end());
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  for (int i = 0; i < max_concurrency; ++i) {
    channels.push_back(NewChannel(options.server, i));
    if (!channels.back()->WaitForConnected(std::chrono::system_clock::now() +
                                           std::chrono::seconds(10))) {
      std::cerr << "load_generator: --server: cannot connect to " << options.server
                << " within 10 s\n";
      return 1;
    }
  }

  Workload workload;
  workload.queries = SearchQueries();
  if (std::find(scenarios.begin(), scenarios.end(), Scenario::kRecommend) != scenarios.end()) {
    absl::StatusOr<std::vector<std::string>> ids = options.firms_from.empty()
                                                       ? ListFirmIds(options, channels[0])
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
            << ", warmup " << options.warmup_s << " s + " << options.duration_s
            << " s per row, one channel (connection) per worker, "
            << std::thread::hardware_concurrency() << " hardware threads on this host\n";

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
  CLI::App app{"Closed-loop gRPC load generator for `clustermatch serve`"};
  app.add_option("--server", options.server, "host:port of the server")->capture_default_str();
  app.add_option("--api-key", options.api_key, "Reader key (cm_...)")
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
  app.add_option("--calls", options.calls, "Scenarios, a list: empty,recommend,search")
      ->delimiter(',')
      ->check(CLI::IsMember({"empty", "recommend", "search"}))
      ->capture_default_str();
  app.add_option("--k", options.k, "Results per Recommend or Search")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  app.add_option("--seed", options.seed, "Seed of the request sequence")->capture_default_str();
  app.add_option("--json", options.json_path, "Also write the results to this JSON file");
  app.add_option("--firms-from", options.firms_from,
                 "Firm ids for recommend from this JSONL file instead of ListFirms")
      ->check(CLI::ExistingFile);
  app.add_option("--deadline-ms", options.deadline_ms, "Deadline of each call")
      ->check(CLI::Range(1, 3'600'000))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (options.concurrency.empty() || options.calls.empty()) {
    std::cerr << "load_generator: --concurrency and --calls need at least one value\n";
    return 2;
  }
  return clustermatch::Run(options);
}
