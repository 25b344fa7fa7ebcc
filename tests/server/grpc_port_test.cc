// GrpcServer on a real loopback port: the standard health service, one call
// log line per call (method, code, latency, key id; never a secret), TLS and
// mutual TLS with throw-away certificates made by the `openssl` command, and
// a graceful shutdown that lets a call in flight finish.
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <google/protobuf/wrappers.pb.h>
#include <grpcpp/generic/generic_stub.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/firm_proto_converter.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

EnvOptions OnLoopback() {
  EnvOptions options;
  options.server.listen = "127.0.0.1:0";
  return options;
}

std::string Target(GrpcTestEnv& env) { return "127.0.0.1:" + std::to_string(env.server().port()); }

// grpc.health.v1.Health/Check by hand: HealthCheckRequest {string service = 1}
// and HealthCheckResponse {ServingStatus status = 1} have the wire format of
// StringValue and Int32Value. 1 is SERVING, 2 NOT_SERVING.
grpc::Status HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         int* serving_status) {
  grpc::TemplatedGenericStub<google::protobuf::StringValue, google::protobuf::Int32Value> stub(
      channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  google::protobuf::StringValue request;
  request.set_value(service);
  google::protobuf::Int32Value response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status status = done.get_future().get();
  *serving_status = response.value();
  return status;
}

grpc::Status GetFirm(const std::shared_ptr<grpc::Channel>& channel, const std::string& token,
                     const std::string& id, absl::Duration timeout = absl::Seconds(10)) {
  std::unique_ptr<v1::FirmService::Stub> stub = v1::FirmService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context, token, timeout);
  v1::GetFirmRequest request;
  request.set_id(id);
  v1::Firm response;
  return stub->GetFirm(&context, request, &response);
}

class GrpcPortTest : public GrpcTest {
 protected:
  EnvOptions Options() override { return OnLoopback(); }
};

TEST_F(GrpcPortTest, ListensOnAFreePortAndReportsServing) {
  ASSERT_GT(env().server().port(), 0);
  const std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(Target(env()), grpc::InsecureChannelCredentials());
  int serving = 0;
  grpc::Status status = HealthCheck(channel, "", &serving);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(serving, 1);
  for (const std::string& service : std::vector<std::string>{
           "clustermatch.v1.FirmService", "clustermatch.v1.MatchingService",
           "clustermatch.v1.FeedbackService", "clustermatch.v1.AdminService"}) {
    serving = 0;
    status = HealthCheck(channel, service, &serving);
    EXPECT_TRUE(status.ok()) << service << ": " << Describe(status);
    EXPECT_EQ(serving, 1) << service;
  }
  status = HealthCheck(channel, "no.such.Service", &serving);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(status);

  EXPECT_TRUE(GetFirm(channel, Token("reader"), "pcb").ok());
}

TEST_F(GrpcPortTest, EachCallLogsOneLineWithMethodCodeLatencyAndKeyButNoSecret) {
  const std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(Target(env()), grpc::InsecureChannelCredentials());
  const size_t lines_before = env().LogLines().size();
  EXPECT_TRUE(GetFirm(channel, Token("reader"), "pcb").ok());
  EXPECT_EQ(GetFirm(channel, Token("writer"), "no-such-firm").error_code(),
            grpc::StatusCode::NOT_FOUND);
  std::string wrong = Token("admin");
  wrong.back() = wrong.back() == 'x' ? 'y' : 'x';
  EXPECT_EQ(GetFirm(channel, wrong, "pcb").error_code(), grpc::StatusCode::UNAUTHENTICATED);
  {
    std::unique_ptr<v1::MatchingService::Stub> stub = v1::MatchingService::NewStub(channel);
    grpc::ClientContext context;
    Prepare(context, Token("reader_members"));
    v1::SearchRequest request;
    request.set_query("PCB assembly");
    v1::SearchResponse response;
    EXPECT_TRUE(stub->Search(&context, request, &response).ok());
  }
  int serving = 0;
  EXPECT_TRUE(HealthCheck(channel, "", &serving).ok());  // logged by the edge, without a key

  const std::vector<std::string> all = env().LogLines();
  ASSERT_EQ(all.size(), lines_before + 5);
  const std::vector<std::string> lines(all.begin() + static_cast<long>(lines_before), all.end());
  const std::string latency_and_peer = " [0-9]+\\.[0-9]{3}ms key=";
  EXPECT_THAT(lines[0],
              MatchesRegex("rpc FirmService/GetFirm OK" + latency_and_peer +
                           env().Key("reader").record.id + " peer=ipv4:127\\.0\\.0\\.1:[0-9]+\n"));
  EXPECT_THAT(lines[1], MatchesRegex("rpc FirmService/GetFirm NOT_FOUND" + latency_and_peer +
                                     env().Key("writer").record.id + " peer=.*\n"));
  EXPECT_THAT(lines[2], MatchesRegex("rpc FirmService/GetFirm UNAUTHENTICATED" + latency_and_peer +
                                     "- .*\n"));
  EXPECT_THAT(lines[3], MatchesRegex("rpc MatchingService/Search OK" + latency_and_peer +
                                     env().Key("reader_members").record.id + " .*\n"));
  EXPECT_THAT(lines[4],
              MatchesRegex("rpc grpc.health.v1.Health/Check OK" + latency_and_peer + "- .*\n"));
  for (const std::string& line : lines) {
    for (const KeySpec& spec : kKeySpecs) {
      const std::string& token = Token(spec.name);
      EXPECT_THAT(line, Not(HasSubstr(token.substr(16)))) << spec.name;
    }
    EXPECT_THAT(line, Not(HasSubstr(wrong.substr(16))));
    EXPECT_THAT(line, Not(HasSubstr("pcb")));  // no request contents either
  }
}

// ---- TLS.

// A throw-away CA, a server certificate for localhost and 127.0.0.1 and a
// client certificate, made with the openssl command in `dir`.
struct Pki {
  std::string ca;
  std::string server_cert;
  std::string server_key;
  std::string client_cert;
  std::string client_key;
};

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool MakePki(const store_test::ScratchDir& dir, Pki* pki) {
  const std::string d = dir.File("");
  std::ofstream(dir.File("server.ext"))
      << "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n";
  std::ofstream(dir.File("client.ext")) << "extendedKeyUsage=clientAuth\n";
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  const std::string script =
      "cd '" + d + "' && ( " + "openssl req -x509" + ec +
      " -keyout ca.key -out ca.pem -days 2 -subj '/CN=clustermatch test CA'" +
      " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign" +
      " && openssl req" + ec + " -keyout server.key -out server.csr -subj '/CN=localhost'" +
      " && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial" +
      " -out server.pem -days 2 -extfile server.ext" + " && openssl req" + ec +
      " -keyout client.key -out client.csr -subj '/CN=test client'" +
      " && openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial" +
      " -out client.pem -days 2 -extfile client.ext ) > openssl.log 2>&1";
  if (std::system(script.c_str()) != 0) {
    ADD_FAILURE() << "openssl failed: " << ReadText(dir.File("openssl.log"));
    return false;
  }
  pki->ca = dir.File("ca.pem");
  pki->server_cert = dir.File("server.pem");
  pki->server_key = dir.File("server.key");
  pki->client_cert = dir.File("client.pem");
  pki->client_key = dir.File("client.key");
  return true;
}

std::shared_ptr<grpc::Channel> TlsChannel(const std::string& target, const Pki& pki,
                                          bool with_client_cert) {
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadText(pki.ca);
  if (with_client_cert) {
    ssl.pem_cert_chain = ReadText(pki.client_cert);
    ssl.pem_private_key = ReadText(pki.client_key);
  }
  return grpc::CreateChannel(target, grpc::SslCredentials(ssl));
}

class GrpcTlsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(MakePki(pki_dir_, &pki_)); }

  std::unique_ptr<GrpcTestEnv> StartTls(bool require_client_cert) {
    EnvOptions options = OnLoopback();
    options.relations.clear();
    options.server.tls_cert = pki_.server_cert;
    options.server.tls_key = pki_.server_key;
    if (require_client_cert) options.server.tls_client_ca = pki_.ca;
    auto env = std::make_unique<GrpcTestEnv>(std::move(options));
    EXPECT_TRUE(env->ok());
    return env;
  }

  store_test::ScratchDir pki_dir_;
  Pki pki_;
};

TEST_F(GrpcTlsTest, TlsClientTrustingTheCaSucceedsAndPlaintextFails) {
  std::unique_ptr<GrpcTestEnv> env = StartTls(false);
  ASSERT_TRUE(env->ok());
  const std::string target = Target(*env);
  grpc::Status status = GetFirm(TlsChannel(target, pki_, false), env->Token("reader"), "pcb");
  EXPECT_TRUE(status.ok()) << Describe(status);
  // By name, too: the certificate names localhost.
  status = GetFirm(TlsChannel("localhost:" + std::to_string(env->server().port()), pki_, false),
                   env->Token("reader"), "pcb");
  EXPECT_TRUE(status.ok()) << Describe(status);

  status = GetFirm(grpc::CreateChannel(target, grpc::InsecureChannelCredentials()),
                   env->Token("reader"), "pcb", absl::Seconds(3));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);

  // A client that does not trust the CA fails too.
  grpc::SslCredentialsOptions other;
  other.pem_root_certs = ReadText(pki_.client_cert);  // not a CA
  status = GetFirm(grpc::CreateChannel(target, grpc::SslCredentials(other)), env->Token("reader"),
                   "pcb", absl::Seconds(3));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);
}

TEST_F(GrpcTlsTest, MutualTlsNeedsAClientCertificateSignedByTheClientCa) {
  std::unique_ptr<GrpcTestEnv> env = StartTls(true);
  ASSERT_TRUE(env->ok());
  const std::string target = Target(*env);
  grpc::Status status =
      GetFirm(TlsChannel(target, pki_, false), env->Token("reader"), "pcb", absl::Seconds(3));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << Describe(status);
  status = GetFirm(TlsChannel(target, pki_, true), env->Token("reader"), "pcb");
  EXPECT_TRUE(status.ok()) << Describe(status);
  // TLS does not replace the API key.
  status = GetFirm(TlsChannel(target, pki_, true), "", "pcb");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << Describe(status);
}

TEST(GrpcServerOptionsTest, TlsOptionsAreCheckedAtStart) {
  store_test::ScratchDir dir;
  EngineOptions engine_options;
  engine_options.db_path = dir.File("options.db");
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Open(engine_options);
  ASSERT_TRUE(engine.ok()) << engine.status();
  KeyRing keys;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.tls_cert = dir.File("missing.pem");
  absl::StatusOr<std::unique_ptr<GrpcServer>> server =
      GrpcServer::Start(engine->get(), &keys, nullptr, options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument) << server.status();
  options.tls_key = dir.File("missing.key");
  server = GrpcServer::Start(engine->get(), &keys, nullptr, options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument) << server.status();
  EXPECT_THAT(std::string(server.status().message()), HasSubstr("--tls-key"));
  options.tls_cert.clear();
  options.tls_key.clear();
  options.tls_client_ca = dir.File("ca.pem");
  server = GrpcServer::Start(engine->get(), &keys, nullptr, options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument) << server.status();
}

// ---- Graceful shutdown.

TEST_F(GrpcPortTest, CallInFlightWhenShutdownStartsCompletes) {
  const std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel(Target(env()), grpc::InsecureChannelCredentials());
  std::unique_ptr<v1::FirmService::Stub> stub = v1::FirmService::NewStub(channel);
  grpc::ClientContext context;
  Prepare(context, Token("writer"));
  v1::ImportFirmsResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::ImportFirmsRequest>> writer =
      stub->ImportFirms(&context, &response);
  v1::ImportFirmsRequest first;
  *first.add_firms() = ToProto(testing::MakeFirm("late-1", "ICT", {"drone mapping"}, {}));
  ASSERT_TRUE(writer->Write(first));
  // Let the server take the call into its handler, where it waits for the
  // next message.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  std::thread stopper([&] { env().server().Shutdown(absl::Seconds(10)); });
  // New calls are refused once the shutdown has begun, while the import is
  // still open.
  const std::shared_ptr<grpc::Channel> other =
      grpc::CreateChannel(Target(env()), grpc::InsecureChannelCredentials());
  bool refused = false;
  for (int attempt = 0; attempt < 100 && !refused; ++attempt) {
    refused = !GetFirm(other, Token("reader"), "pcb", absl::Seconds(1)).ok();
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(refused);

  v1::ImportFirmsRequest second;
  *second.add_firms() = ToProto(testing::MakeFirm("late-2", "DC", {"drone videography"}, {}));
  EXPECT_TRUE(writer->Write(second));
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  stopper.join();
  EXPECT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.created(), 2);
  EXPECT_TRUE(env().engine().GetFirm("late-1").ok());
  EXPECT_TRUE(env().engine().GetFirm("late-2").ok());
}

}  // namespace
}  // namespace clustermatch::grpc_test
