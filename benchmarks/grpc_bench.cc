// Cost of the gRPC edge on the sample cluster: Recommend and Search through
// a real server on a loopback port, against the same calls made on the
// engine directly and against the cheapest authenticated call (GetFirm) and
// an unauthenticated health check, all in the same run.
// Run: OPENBLAS_NUM_THREADS=1 build/benchmarks/grpc_bench
#include <benchmark/benchmark.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <unistd.h>

#include <condition_variable>
#include <filesystem>
#include <mutex>

#include "absl/synchronization/mutex.h"
#include "clustermatch/v1/firm_service.grpc.pb.h"
#include "clustermatch/v1/matching_service.grpc.pb.h"
#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "server/api_key_secret.h"
#include "server/grpc_server.h"
#include "server/key_ring.h"

namespace clustermatch {
namespace {

// One store, engine and server for the whole run.
struct Fixture {
  Fixture() {
    dir = std::filesystem::temp_directory_path() / ("grpc_bench." + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    EngineOptions options;
    options.db_path = (dir / "bench.db").string();
    engine = *Engine::Open(options);
    firms = GenerateSampleCluster(SampleOptions{});
    (void)*engine->ImportFirms(firms);
    const NewApiKey key = *GenerateApiKey();
    ApiKeyRecord record{
        key.id, KeyRole::kReader, KeyScope::kMembers, "", "bench", key.secret_sha256, "", ""};
    (void)engine->AddApiKey(record);
    keys.Put(record);
    token = key.token;
    ServerOptions server_options;
    server_options.listen = "127.0.0.1:0";
    server = *GrpcServer::Start(engine.get(), &keys, nullptr, server_options);
    channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(server->port()),
                                  grpc::InsecureChannelCredentials());
  }
  ~Fixture() {
    server.reset();
    engine.reset();
    std::filesystem::remove_all(dir);
  }
  const std::string& FirmId(size_t i) const { return firms[i % firms.size()].id; }

  std::filesystem::path dir;
  std::unique_ptr<Engine> engine;
  std::vector<Firm> firms;
  KeyRing keys;
  std::string token;
  std::unique_ptr<GrpcServer> server;
  std::shared_ptr<grpc::Channel> channel;
};

Fixture& Shared() {
  static Fixture* fixture = new Fixture();
  return *fixture;
}

void Authorise(grpc::ClientContext& context) {
  context.AddMetadata("authorization", "Bearer " + Shared().token);
}

void BM_HealthCheck(benchmark::State& state) {
  grpc::GenericStub stub(Shared().channel);
  const std::string empty_request;  // HealthCheckRequest{service: ""} encodes to no bytes
  grpc::Slice slice(empty_request);
  for (auto _ : state) {
    grpc::ClientContext context;
    grpc::ByteBuffer request(&slice, 1);
    grpc::ByteBuffer response;
    std::mutex mu;
    std::condition_variable done_cv;
    bool done = false;
    grpc::Status status;
    stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                   &response, [&](grpc::Status s) {
                     std::lock_guard<std::mutex> lock(mu);
                     status = std::move(s);
                     done = true;
                     done_cv.notify_one();
                   });
    std::unique_lock<std::mutex> lock(mu);
    done_cv.wait(lock, [&] { return done; });
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  }
}
BENCHMARK(BM_HealthCheck)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(1)->Threads(2);

void BM_GetFirm(benchmark::State& state) {
  auto stub = v1::FirmService::NewStub(Shared().channel);
  size_t i = static_cast<size_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    grpc::ClientContext context;
    Authorise(context);
    v1::GetFirmRequest request;
    request.set_id(Shared().FirmId(i++));
    v1::Firm response;
    grpc::Status status = stub->GetFirm(&context, request, &response);
    if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
      state.SkipWithError(status.error_message().c_str());
    }
  }
}
BENCHMARK(BM_GetFirm)->Unit(benchmark::kMicrosecond)->UseRealTime()->Threads(1)->Threads(2);

void BM_RecommendGrpc(benchmark::State& state) {
  auto stub = v1::MatchingService::NewStub(Shared().channel);
  size_t i = static_cast<size_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    grpc::ClientContext context;
    Authorise(context);
    v1::RecommendRequest request;
    request.set_firm_id(Shared().FirmId(i++));
    request.set_k(10);
    v1::RecommendResponse response;
    grpc::Status status = stub->Recommend(&context, request, &response);
    if (!status.ok() && status.error_code() != grpc::StatusCode::NOT_FOUND) {
      state.SkipWithError(status.error_message().c_str());
    }
  }
}
BENCHMARK(BM_RecommendGrpc)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(1)->Threads(2);

void BM_RecommendEngine(benchmark::State& state) {
  size_t i = static_cast<size_t>(state.thread_index()) * 7919;
  for (auto _ : state) {
    RecommendRequest request;
    request.firm_id = Shared().FirmId(i++);
    request.k = 10;
    benchmark::DoNotOptimize(Shared().engine->Recommend(request));
  }
}
BENCHMARK(BM_RecommendEngine)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(1)->Threads(2);

void BM_SearchGrpc(benchmark::State& state) {
  auto stub = v1::MatchingService::NewStub(Shared().channel);
  const std::vector<std::string> queries = {"PCB 조립", "VR content for our exhibition booth",
                                            "distribution in Japan", "금형 설계",
                                            "cloud migration"};
  size_t i = 0;
  for (auto _ : state) {
    grpc::ClientContext context;
    Authorise(context);
    v1::SearchRequest request;
    request.set_query(queries[i++ % queries.size()]);
    request.set_k(10);
    v1::SearchResponse response;
    grpc::Status status = stub->Search(&context, request, &response);
    if (!status.ok()) state.SkipWithError(status.error_message().c_str());
  }
}
BENCHMARK(BM_SearchGrpc)->Unit(benchmark::kMillisecond)->UseRealTime()->Threads(1)->Threads(2);

}  // namespace
}  // namespace clustermatch

int main(int argc, char** argv) {
  // As the clustermatch binary (server/main.cc): no deadlock-cycle checks.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
