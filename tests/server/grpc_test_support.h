// Test support for the gRPC server suites: a real store in a scratch
// directory holding a small hand-made cluster (firms of known visibility,
// cluster and mini-cluster), an Engine on it, a KeyRing with a key of every
// role, scope and cluster limit the suites need, a GrpcServer (in process, or
// on a loopback port), stubs of the four services, and helpers that send
// `authorization: Bearer KEY` with a deadline.
#ifndef CLUSTERMATCH_TESTS_SERVER_GRPC_TEST_SUPPORT_H_
#define CLUSTERMATCH_TESTS_SERVER_GRPC_TEST_SUPPORT_H_

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "clustermatch/v1/admin_service.grpc.pb.h"
#include "clustermatch/v1/feedback_service.grpc.pb.h"
#include "clustermatch/v1/firm_service.grpc.pb.h"
#include "clustermatch/v1/matching_service.grpc.pb.h"
#include "engine/engine.h"
#include "gtest/gtest.h"
#include "server/api_key_secret.h"
#include "server/call_log.h"
#include "server/firm_proto_converter.h"
#include "server/grpc_server.h"
#include "server/key_ring.h"
#include "tests/engine/store_test_support.h"
#include "tests/engine/test_firms.h"

namespace clustermatch::grpc_test {

inline constexpr char kGValley[] = "G-Valley";
inline constexpr char kDmc[] = "DMC";
// The offer of "gv-hidden" that no other firm has: a search for exactly this
// text would rank the hidden firm first if anything let it through.
inline constexpr char kHiddenOffer[] = "ultrasonic welding of titanium medical implants";
// The same for the members-only firms.
inline constexpr char kGvMembersOffer[] = "cleanroom coating of optical lenses";
inline constexpr char kDmcMembersOffer[] = "holographic stage projection for concerts";

// A public firm of one cluster as an API message, for create and import
// calls.
inline v1::Firm NewFirm(const std::string& id, const std::string& cluster = kGValley) {
  Firm firm = testing::MakeFirm(id, "ICT", {"robot vision inspection software"},
                                {"conveyor automation partner"}, {Role::kDevelopment});
  firm.clusters = {cluster};
  return ToProto(firm);
}

inline Firm WithCluster(Firm firm, std::vector<std::string> clusters, Visibility visibility) {
  firm.clusters = std::move(clusters);
  firm.visibility = visibility;
  return firm;
}

// tests/engine/test_firms.h's SmallCluster (G-Valley, public) plus:
//   DMC public      dmc-iot, dmc-japan, dmc-animation
//   both clusters   both-pcb (G-Valley and DMC, public)
//   members-only    gv-members (G-Valley), dmc-members (DMC)
//   hidden          gv-hidden (G-Valley), dmc-hidden (DMC)
// The hidden and members-only firms answer needs of public firms, so that
// they would appear in results if visibility were not enforced.
inline std::vector<Firm> TestFirms() {
  using testing::MakeFirm;
  std::vector<Firm> firms = testing::SmallCluster();
  firms.push_back(
      WithCluster(MakeFirm("dmc-iot", "ICT", {"IoT sensor hardware design for smart factories"},
                           {"PCB assembly subcontractor for sensor boards"}, {Role::kDevelopment}),
                  {kDmc}, Visibility::kPublic));
  firms.push_back(
      WithCluster(MakeFirm("dmc-japan", "ICT", {"sales agency for content distribution in Japan"},
                           {"animated educational content"}, {Role::kMarketing}),
                  {kDmc}, Visibility::kPublic));
  firms.push_back(
      WithCluster(MakeFirm("dmc-animation", "DC", {"3D character animation studio"},
                           {"distribution and sales partner in Japan"}, {Role::kDevelopment}),
                  {kDmc}, Visibility::kPublic));
  firms.push_back(WithCluster(MakeFirm("both-pcb", "IMT", {"PCB assembly and SMT for IoT devices"},
                                       {"IoT sensor design partner"}, {Role::kProduction}),
                              {kGValley, kDmc}, Visibility::kPublic));
  firms.push_back(WithCluster(
      MakeFirm("gv-members", "IMT", {kGvMembersOffer, "contract PCB assembly for IoT sensors"},
               {"IoT sensor hardware design partner"}, {Role::kProduction}),
      {kGValley}, Visibility::kMembers));
  firms.push_back(WithCluster(
      MakeFirm("dmc-members", "DC", {kDmcMembersOffer, "immersive VR exhibition booth content"},
               {"trade show marketing agency overseas"}, {Role::kDevelopment}),
      {kDmc}, Visibility::kMembers));
  firms.push_back(WithCluster(
      MakeFirm("gv-hidden", "ICT",
               {kHiddenOffer, "MES software to monitor machine utilisation in factories"},
               {"CNC machining partner for aluminium parts"}, {Role::kDevelopment}),
      {kGValley}, Visibility::kHidden));
  firms.push_back(WithCluster(
      MakeFirm("dmc-hidden", "DC", {"trade show marketing and overseas exhibition agency"},
               {"immersive VR booth content for exhibitions"}, {Role::kMarketing}),
      {kDmc}, Visibility::kHidden));
  return firms;
}

inline bool IsHiddenId(std::string_view id) { return id == "gv-hidden" || id == "dmc-hidden"; }
inline bool IsMembersId(std::string_view id) { return id == "gv-members" || id == "dmc-members"; }

// Relations recorded in the fixture's store, including some with hidden and
// members-only firms.
inline std::vector<Relation> TestRelations() {
  return {
      {"machining", "mes", RelationKind::kMet, "2024-03-01", "expo-2024"},
      {"gv-hidden", "machining", RelationKind::kPartnered, "2023", ""},
      {"gv-members", "pcb", RelationKind::kMet, "2024-05-02", ""},
      {"dmc-iot", "dmc-japan", RelationKind::kMet, "2024", ""},
      {"dmc-hidden", "dmc-animation", RelationKind::kAccepted, "2024-06-30", ""},
  };
}

// One API key given to the tests: its token and what the store keeps.
struct TestKey {
  std::string token;
  ApiKeyRecord record;
};

// The keys every environment holds, by name.
struct KeySpec {
  const char* name;
  KeyRole role;
  KeyScope scope;
  const char* cluster;
};
inline constexpr KeySpec kKeySpecs[] = {
    {"reader", KeyRole::kReader, KeyScope::kPublic, ""},
    {"writer", KeyRole::kWriter, KeyScope::kPublic, ""},
    {"organiser", KeyRole::kOrganiser, KeyScope::kPublic, ""},
    {"admin", KeyRole::kAdmin, KeyScope::kPublic, ""},
    {"reader_members", KeyRole::kReader, KeyScope::kMembers, ""},
    {"writer_members", KeyRole::kWriter, KeyScope::kMembers, ""},
    {"admin_members", KeyRole::kAdmin, KeyScope::kMembers, ""},
    {"reader_gv", KeyRole::kReader, KeyScope::kPublic, kGValley},
    {"reader_gv_members", KeyRole::kReader, KeyScope::kMembers, kGValley},
    {"writer_gv", KeyRole::kWriter, KeyScope::kPublic, kGValley},
    {"admin_gv", KeyRole::kAdmin, KeyScope::kPublic, kGValley},
};

struct EnvOptions {
  std::vector<Firm> firms = TestFirms();
  std::vector<Relation> relations = TestRelations();
  // listen empty: in process only. Set it (e.g. "127.0.0.1:0") for a port.
  ServerOptions server = [] {
    ServerOptions options;
    options.listen = "";
    return options;
  }();
};

// Adds the bearer key (none when `token` is empty) and a deadline to a
// client context.
inline void Prepare(grpc::ClientContext& context, std::string_view token,
                    absl::Duration timeout = absl::Seconds(20)) {
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + std::string(token));
  context.set_deadline(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(timeout));
}

// One server over one store; everything a test talks to.
class GrpcTestEnv {
 public:
  explicit GrpcTestEnv(EnvOptions options = EnvOptions()) : options_(std::move(options)) {
    EXPECT_TRUE(dir_.ok());
    EngineOptions engine_options;
    engine_options.db_path = dir_.File("grpc.db");
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Open(engine_options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    if (!engine.ok()) return;
    engine_ = *std::move(engine);
    if (!options_.firms.empty()) {
      const absl::StatusOr<ImportSummary> imported = engine_->ImportFirms(options_.firms);
      EXPECT_TRUE(imported.ok()) << imported.status();
    }
    if (!options_.relations.empty()) {
      const absl::Status added = engine_->AddRelations(options_.relations);
      EXPECT_TRUE(added.ok()) << added;
    }
    for (const KeySpec& spec : kKeySpecs) {
      keys_by_name_[spec.name] = IssueKey(spec.role, spec.scope, spec.cluster, spec.name);
    }
    log_ = std::make_unique<CallLog>([this](std::string_view line) {
      absl::MutexLock lock(&log_mutex_);
      log_lines_.emplace_back(line);
    });
    ServerOptions server_options = options_.server;
    if (server_options.snapshot_dir.empty()) server_options.snapshot_dir = dir_.File("snapshots");
    absl::StatusOr<std::unique_ptr<GrpcServer>> server =
        GrpcServer::Start(engine_.get(), &keys_, log_.get(), server_options);
    EXPECT_TRUE(server.ok()) << server.status();
    if (!server.ok()) return;
    server_ = *std::move(server);
    channel_ = server_->InProcessChannel();
    firms_ = v1::FirmService::NewStub(channel_);
    matching_ = v1::MatchingService::NewStub(channel_);
    feedback_ = v1::FeedbackService::NewStub(channel_);
    admin_ = v1::AdminService::NewStub(channel_);
  }
  ~GrpcTestEnv() {
    if (server_ != nullptr) server_->Shutdown(absl::ZeroDuration());
    server_.reset();
    engine_.reset();
  }
  GrpcTestEnv(const GrpcTestEnv&) = delete;
  GrpcTestEnv& operator=(const GrpcTestEnv&) = delete;

  bool ok() const { return server_ != nullptr; }
  Engine& engine() { return *engine_; }
  KeyRing& keys() { return keys_; }
  GrpcServer& server() { return *server_; }
  const store_test::ScratchDir& dir() const { return dir_; }
  const std::shared_ptr<grpc::Channel>& channel() const { return channel_; }
  v1::FirmService::Stub& firms() { return *firms_; }
  v1::MatchingService::Stub& matching() { return *matching_; }
  v1::FeedbackService::Stub& feedback() { return *feedback_; }
  v1::AdminService::Stub& admin() { return *admin_; }

  // The token of a key of kKeySpecs.
  const std::string& Token(const std::string& name) const { return Key(name).token; }
  const TestKey& Key(const std::string& name) const {
    auto it = keys_by_name_.find(name);
    EXPECT_NE(it, keys_by_name_.end()) << "no test key " << name;
    static const TestKey kNone;
    return it == keys_by_name_.end() ? kNone : it->second;
  }

  // Makes a key as `keys add` would: GenerateApiKey, stored, put in the ring.
  TestKey IssueKey(KeyRole role, KeyScope scope, const std::string& cluster,
                   const std::string& label = "test") {
    TestKey key;
    absl::StatusOr<NewApiKey> made = GenerateApiKey();
    EXPECT_TRUE(made.ok()) << made.status();
    if (!made.ok()) return key;
    key.token = made->token;
    key.record.id = made->id;
    key.record.role = role;
    key.record.scope = scope;
    key.record.cluster = cluster;
    key.record.label = label;
    key.record.secret_sha256 = made->secret_sha256;
    key.record.created_at = "2024-01-01T00:00:00Z";
    const absl::Status added = engine_->AddApiKey(key.record);
    EXPECT_TRUE(added.ok()) << added;
    keys_.Put(key.record);
    return key;
  }

  // Calls a unary RPC with `token` as the bearer key.
  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(std::string_view token, Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request, Response* response,
                    absl::Duration timeout = absl::Seconds(20)) {
    grpc::ClientContext context;
    Prepare(context, token, timeout);
    return (stub.*method)(&context, request, response);
  }
  // The same without a response the test wants to read.
  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(std::string_view token, Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const Request& request) {
    Response response;
    return Call(token, stub, method, request, &response);
  }

  // Streams `messages` to ImportFirms.
  grpc::Status Import(std::string_view token, const std::vector<v1::ImportFirmsRequest>& messages,
                      v1::ImportFirmsResponse* response = nullptr) {
    grpc::ClientContext context;
    Prepare(context, token);
    v1::ImportFirmsResponse ignored;
    std::unique_ptr<grpc::ClientWriter<v1::ImportFirmsRequest>> writer =
        firms_->ImportFirms(&context, response != nullptr ? response : &ignored);
    for (const v1::ImportFirmsRequest& message : messages) {
      if (!writer->Write(message)) break;  // the server ended the call
    }
    writer->WritesDone();
    return writer->Finish();
  }

  std::vector<std::string> LogLines() const {
    absl::MutexLock lock(&log_mutex_);
    return log_lines_;
  }

  // Every firm in the store, hidden ones included, by id.
  std::vector<std::string> StoredIds() const {
    std::vector<std::string> ids;
    for (const Firm& firm : engine_->ListFirms()) ids.push_back(firm.id);
    return ids;
  }

 private:
  EnvOptions options_;
  store_test::ScratchDir dir_;
  std::unique_ptr<Engine> engine_;
  KeyRing keys_;
  std::map<std::string, TestKey> keys_by_name_;
  mutable absl::Mutex log_mutex_;
  std::vector<std::string> log_lines_ ABSL_GUARDED_BY(log_mutex_);
  std::unique_ptr<CallLog> log_;
  std::unique_ptr<GrpcServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::FirmService::Stub> firms_;
  std::unique_ptr<v1::MatchingService::Stub> matching_;
  std::unique_ptr<v1::FeedbackService::Stub> feedback_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

// A gtest fixture with a fresh environment per test.
class GrpcTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = std::make_unique<GrpcTestEnv>(Options());
    ASSERT_TRUE(env_->ok());
  }
  void TearDown() override { env_.reset(); }
  virtual EnvOptions Options() { return EnvOptions(); }

  GrpcTestEnv& env() { return *env_; }
  const std::string& Token(const std::string& name) { return env_->Token(name); }

  std::unique_ptr<GrpcTestEnv> env_;
};

// Ids of firms, results or relations' firms, in order.
inline std::vector<std::string> FirmIds(const google::protobuf::RepeatedPtrField<v1::Firm>& firms) {
  std::vector<std::string> ids;
  for (const v1::Firm& firm : firms) ids.push_back(firm.id());
  return ids;
}
inline std::vector<std::string> ResultIds(
    const google::protobuf::RepeatedPtrField<v1::Recommendation>& results) {
  std::vector<std::string> ids;
  for (const v1::Recommendation& result : results) ids.push_back(result.firm_id());
  return ids;
}
inline std::vector<std::string> RelationFirmIds(
    const google::protobuf::RepeatedPtrField<v1::Relation>& relations) {
  std::vector<std::string> ids;
  for (const v1::Relation& relation : relations) {
    ids.push_back(relation.firm_a());
    ids.push_back(relation.firm_b());
  }
  return ids;
}

inline bool Contains(const std::vector<std::string>& ids, std::string_view id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// "CODE: message", for failure output.
inline std::string Describe(const grpc::Status& status) {
  return std::to_string(static_cast<int>(status.error_code())) + " " +
         std::string(StatusCodeName(status.error_code())) + ": " + status.error_message();
}

}  // namespace clustermatch::grpc_test

#endif  // CLUSTERMATCH_TESTS_SERVER_GRPC_TEST_SUPPORT_H_
