// Bad input, class by class (issue 7): each class of bad input is tried at
// every door it can come through — the files `clustermatch import`, `relate`
// and `event schedule` read (the real binary, on a real store), and the gRPC
// API (a real server in process). Every attempt must fail with a clear error
// that names the file and line or the field, and write nothing: the store's
// export, relations and index are compared before and after.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/server/cli_run.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using cli_test::CliRun;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr char kGoodRow[] = R"({"id":"good-1","name":"Good One","offers":["CNC machining"]})";

class BadInputTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/bad_input_" + std::to_string(getpid()));
    std::filesystem::create_directories(*dir_);
    ASSERT_EQ(Cli("sample --firms 120 --seed 4 > " + *dir_ + "/sample.jsonl").code, 0);
    ASSERT_EQ(Cli(Db() + "import " + *dir_ + "/sample.jsonl").code, 0);
    env_ = new GrpcTestEnv();
  }
  static void TearDownTestSuite() {
    delete env_;
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override {
    ASSERT_TRUE(env_->ok());
    cli_before_ = CliState();
    grpc_before_ = GrpcState();
  }
  // Nothing any attempt of the test made was written, at either door.
  void TearDown() override {
    EXPECT_TRUE(CliState() == cli_before_) << "the store behind the command line changed";
    EXPECT_EQ(GrpcState(), grpc_before_);
  }

  static CliRun Cli(const std::string& args) { return cli_test::RunCli(args, *dir_); }
  static std::string Db() { return "--db " + *dir_ + "/store.db "; }
  static std::string File(const std::string& name, const std::string& bytes) {
    const std::string path = *dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
  // Imports `bytes` as file `name`; expects exit code 1 and every piece of
  // `expected` in the message.
  static void ExpectImportRefused(const std::string& name, const std::string& bytes,
                                  const std::vector<std::string>& expected) {
    const CliRun run = Cli(Db() + "import " + File(name, bytes));
    EXPECT_EQ(run.code, 1) << run.err;
    for (const std::string& piece : expected) EXPECT_THAT(run.err, HasSubstr(piece)) << name;
  }
  // The export and the store's counts (stats' first lines; the rest are
  // timings).
  static std::string CliState() {
    const std::string stats = Cli(Db() + "stats").out;
    size_t end = 0;
    for (int line = 0; line < 3 && end != std::string::npos; ++line)
      end = stats.find('\n', end + 1);
    return Cli(Db() + "export").out + "\n" + stats.substr(0, end);
  }

  struct GrpcSnapshot {
    std::vector<Firm> firms;
    std::vector<Relation> relations;
    size_t indexed = 0;
    bool operator==(const GrpcSnapshot&) const = default;
  };
  static GrpcSnapshot GrpcState() {
    return {env_->engine().ListFirms(), env_->engine().ListRelations(),
            env_->engine().Stats().indexed};
  }

  static grpc::Status Create(const v1::Firm& firm) {
    v1::CreateFirmRequest request;
    *request.mutable_firm() = firm;
    return env_->Call(env_->Token("writer"), env_->firms(), &v1::FirmService::Stub::CreateFirm,
                      request);
  }
  static v1::Firm GoodFirm() { return NewFirm("new-firm"); }
  static void ExpectInvalid(const grpc::Status& status, const std::string& field) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
    EXPECT_THAT(status.error_message(), HasSubstr(field)) << Describe(status);
  }

  static inline std::string* dir_ = nullptr;
  static inline GrpcTestEnv* env_ = nullptr;
  std::string cli_before_;
  GrpcSnapshot grpc_before_;
};

TEST_F(BadInputTest, EmptyOrDuplicateId) {
  ExpectImportRefused("empty-id.jsonl", std::string(kGoodRow) + "\n{\"id\":\"\",\"name\":\"X\"}\n",
                      {"empty-id.jsonl:2: id"});
  ExpectImportRefused("dup.jsonl", std::string(kGoodRow) + "\n{\"id\":\"x\"}\n" + kGoodRow + "\n",
                      {"dup.jsonl:3: id", "repeats line 1"});
  ExpectImportRefused("dup.csv", "id,name\nc-1,One\nc-2,Two\nc-1,Again\n", {"dup.csv:4", "id"});
  v1::Firm firm = GoodFirm();
  firm.set_id("");
  ExpectInvalid(Create(firm), "firm.id");
  // Twice in one import stream: refused whole.
  std::vector<v1::ImportFirmsRequest> messages(2);
  *messages[0].add_firms() = NewFirm("twice");
  *messages[1].add_firms() = NewFirm("twice");
  ExpectInvalid(env_->Import(env_->Token("writer"), messages), "twice");
  // An id already in the store, created again.
  firm = NewFirm("machining");
  EXPECT_EQ(Create(firm).error_code(), grpc::StatusCode::ALREADY_EXISTS);
}

TEST_F(BadInputTest, OneMegabyteField) {
  const std::string huge(1 << 20, 'a');
  ExpectImportRefused("huge.jsonl", "{\"id\":\"h-1\",\"description\":\"" + huge + "\"}\n",
                      {"huge.jsonl:1: description"});
  ExpectImportRefused("huge.csv", "id,name,description\nh-1,H," + huge + "\n",
                      {"huge.csv:2", "description"});
  v1::Firm firm = GoodFirm();
  firm.set_description(huge);
  ExpectInvalid(Create(firm), "firm.description");
  firm = GoodFirm();
  firm.add_offers(huge);
  ExpectInvalid(Create(firm), "firm.offers[1]");
}

TEST_F(BadInputTest, InvalidUtf8) {
  ExpectImportRefused("latin1.jsonl",
                      std::string(kGoodRow) + "\n{\"id\":\"u-1\",\"name\":\"Caf\xe9\"}\n",
                      {"latin1.jsonl:2"});
  ExpectImportRefused("latin1.csv", "id,name\nu-1,Caf\xe9\n", {"latin1.csv:2", "UTF-8"});
  // A string field that is not UTF-8 fails protobuf's own parse on the
  // server: INVALID_ARGUMENT, never INTERNAL.
  v1::Firm firm = GoodFirm();
  firm.set_name("Caf\xe9");
  const grpc::Status status = Create(firm);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
}

TEST_F(BadInputTest, ControlCharacters) {
  ExpectImportRefused("ctrl.jsonl", "{\"id\":\"c-1\",\"name\":\"A\\u0001B\"}\n",
                      {"ctrl.jsonl:1: name"});
  ExpectImportRefused("ctrl-id.csv",
                      "id,name\n\"c\x07"
                      "1\",One\n",
                      {"ctrl-id.csv:2", "id"});
  v1::Firm firm = GoodFirm();
  firm.set_name("A\x1b[31mB");
  ExpectInvalid(Create(firm), "firm.name");
  firm = GoodFirm();
  firm.set_id("new\tfirm");
  ExpectInvalid(Create(firm), "firm.id");
}

// Not errors: a byte-order mark and CRLF line ends are read as if absent,
// so the same rows give the same firms. A file with them must not import
// "\xEF\xBB\xBFid" or "name\r": its import is compared with a clean one.
TEST_F(BadInputTest, CrlfAndBomAreReadAsTheCleanFile) {
  const std::string clean = "id,name,offers\ncrlf-1,One,CNC machining\ncrlf-2,Two,laser cutting\n";
  std::string dirty = "\xEF\xBB\xBF";
  for (const char c : clean) {
    if (c == '\n') dirty += '\r';
    dirty += c;
  }
  const std::string other = *dir_ + "/other.db";
  ASSERT_EQ(Cli("--db " + other + " import " + File("clean.csv", clean)).code, 0);
  const CliRun dirty_run = Cli("--db " + *dir_ + "/dirty.db import " + File("dirty.csv", dirty));
  ASSERT_EQ(dirty_run.code, 0) << dirty_run.err;
  EXPECT_EQ(Cli("--db " + other + " export").out, Cli("--db " + *dir_ + "/dirty.db export").out);
  const std::string jsonl = "\xEF\xBB\xBF" + std::string(kGoodRow) + "\r\n\r\n";
  const CliRun jsonl_run = Cli("--db " + *dir_ + "/dirty2.db import " + File("bom.jsonl", jsonl));
  EXPECT_EQ(jsonl_run.code, 0) << jsonl_run.err;
  EXPECT_THAT(Cli("--db " + *dir_ + "/dirty2.db show good-1").out, HasSubstr("Good One"));
}

TEST_F(BadInputTest, BrokenCsvQuoting) {
  ExpectImportRefused("open-quote.csv", "id,name\nq-1,\"One\nq-2,Two\n", {"open-quote.csv:2"});
  ExpectImportRefused("stray-quote.csv", "id,name\nq-1,On\"e\"x\n", {"stray-quote.csv:2"});
  const CliRun relate =
      Cli(Db() + "relate " + File("rel.csv", "a,b,kind,date\nmachining,\"mes,met,2024-01-01\n"));
  EXPECT_EQ(relate.code, 1);
  EXPECT_THAT(relate.err, HasSubstr("rel.csv:2"));
  const std::string out = *dir_ + "/event-out";
  const CliRun event =
      Cli(Db() + "event schedule --attendees " + File("att.csv", "id\n\"unclosed\n") +
          " --date 2026-12-01 --slots 4 --tables 3 --max-meetings 3 --out " + out);
  EXPECT_EQ(event.code, 1);
  EXPECT_THAT(event.err, HasSubstr("att.csv:2"));
  EXPECT_FALSE(std::filesystem::exists(out + "/schedule.csv"));
}

TEST_F(BadInputTest, NanInfiniteOrNegativeNumbers) {
  ExpectImportRefused("neg.jsonl", "{\"id\":\"n-1\",\"employees\":-5}\n",
                      {"neg.jsonl:1: employees"});
  ExpectImportRefused("nan.jsonl", "{\"id\":\"n-1\",\"employees\":NaN}\n", {"nan.jsonl:1"});
  ExpectImportRefused("inf.jsonl", "{\"id\":\"n-1\",\"employees\":1e999}\n", {"inf.jsonl:1"});
  ExpectImportRefused("frac.jsonl", "{\"id\":\"n-1\",\"founded\":1999.5}\n",
                      {"frac.jsonl:1: founded"});
  ExpectImportRefused("neg.csv", "id,employees\nn-1,-3\n", {"neg.csv:2", "employees"});
  ExpectImportRefused("nan.csv", "id,employees\nn-1,NaN\n", {"nan.csv:2", "employees"});
  v1::Firm firm = GoodFirm();
  firm.set_employees(-1);
  ExpectInvalid(Create(firm), "firm.employees");
  firm = GoodFirm();
  firm.set_founded(-2000);
  ExpectInvalid(Create(firm), "firm.founded");
}

TEST_F(BadInputTest, UnknownEnum) {
  ExpectImportRefused("kind.jsonl", "{\"id\":\"e-1\",\"kind\":\"spaceship\"}\n",
                      {"kind.jsonl:1: kind", "spaceship"});
  ExpectImportRefused("role.csv", "id,roles\ne-1,production;juggling\n", {"role.csv:2", "roles"});
  const CliRun relate =
      Cli(Db() + "relate " + File("kind.csv", "a,b,kind,date\nmachining,mes,married,2024-01-01\n"));
  EXPECT_EQ(relate.code, 1);
  EXPECT_THAT(relate.err, HasSubstr("kind.csv:2"));
  v1::Firm firm = GoodFirm();
  firm.set_kind(static_cast<v1::FirmKind>(42));
  ExpectInvalid(Create(firm), "firm.kind");
  v1::RecommendRequest request;
  request.set_firm_id("machining");
  request.set_intent(static_cast<v1::MatchIntent>(9));
  ExpectInvalid(env_->Call(env_->Token("reader"), env_->matching(),
                           &v1::MatchingService::Stub::Recommend, request),
                "intent");
}

TEST_F(BadInputTest, ZeroOrHugeK) {
  for (const int k : {0, -1, 1000000}) {
    SCOPED_TRACE(k);
    v1::RecommendRequest recommend;
    recommend.set_firm_id("machining");
    recommend.set_k(k);
    const grpc::Status status = env_->Call(env_->Token("reader"), env_->matching(),
                                           &v1::MatchingService::Stub::Recommend, recommend);
    EXPECT_THAT(status.error_code(),
                AnyOf(grpc::StatusCode::INVALID_ARGUMENT, grpc::StatusCode::RESOURCE_EXHAUSTED));
    EXPECT_THAT(status.error_message(), StartsWith("k")) << Describe(status);
    v1::SearchRequest search;
    search.set_query("CNC");
    search.set_k(k);
    const grpc::Status searched = env_->Call(env_->Token("reader"), env_->matching(),
                                             &v1::MatchingService::Stub::Search, search);
    EXPECT_THAT(searched.error_message(), StartsWith("k")) << Describe(searched);
  }
  const CliRun run = Cli(Db() + "search --k 0 CNC");
  EXPECT_NE(run.code, 0);
  EXPECT_THAT(run.err, HasSubstr("--k"));
}

TEST_F(BadInputTest, ForgedPageToken) {
  v1::ListFirmsRequest request;
  request.set_page_size(2);
  v1::ListFirmsResponse first;
  ASSERT_TRUE(env_->Call(env_->Token("reader"), env_->firms(), &v1::FirmService::Stub::ListFirms,
                         request, &first)
                  .ok());
  ASSERT_FALSE(first.next_page_token().empty());
  std::string forged = first.next_page_token();
  forged[forged.size() / 2] = forged[forged.size() / 2] == 'A' ? 'B' : 'A';
  for (const std::string& token : {forged, std::string("not-a-token"), std::string(4096, 'Z')}) {
    request.set_page_token(token);
    ExpectInvalid(env_->Call(env_->Token("reader"), env_->firms(),
                             &v1::FirmService::Stub::ListFirms, request),
                  "page_token");
  }
  v1::ListRelationsRequest relations;
  relations.set_page_token("forged");
  ExpectInvalid(env_->Call(env_->Token("reader"), env_->feedback(),
                           &v1::FeedbackService::Stub::ListRelations, relations),
                "page_token");
}

TEST_F(BadInputTest, UnknownFirm) {
  v1::RecommendRequest recommend;
  recommend.set_firm_id("no-such-firm");
  const grpc::Status status = env_->Call(env_->Token("reader"), env_->matching(),
                                         &v1::MatchingService::Stub::Recommend, recommend);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(status.error_message(), StartsWith("firm_id"));
  v1::RecordRelationsRequest record;
  v1::Relation* relation = record.add_relations();
  relation->set_firm_a("machining");
  relation->set_firm_b("no-such-firm");
  relation->set_kind(v1::RELATION_KIND_MET);
  const grpc::Status recorded = env_->Call(env_->Token("writer"), env_->feedback(),
                                           &v1::FeedbackService::Stub::RecordRelations, record);
  EXPECT_EQ(recorded.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(recorded.error_message(), HasSubstr("firm_b"));
  v1::DeleteFirmRequest remove;
  remove.set_id("no-such-firm");
  EXPECT_EQ(
      env_->Call(env_->Token("writer"), env_->firms(), &v1::FirmService::Stub::DeleteFirm, remove)
          .error_code(),
      grpc::StatusCode::NOT_FOUND);
  const std::string ids = Cli(Db() + "export").out;
  const CliRun relate = Cli(
      Db() + "relate " + File("unknown.csv", "a,b,kind,date\nno-such-firm,other,met,2024-01-01\n"));
  EXPECT_EQ(relate.code, 1);
  EXPECT_THAT(relate.err, HasSubstr("no-such-firm"));
  const CliRun removed = Cli(Db() + "delete no-such-firm");
  EXPECT_EQ(removed.code, 1);
  EXPECT_THAT(removed.err, HasSubstr("no-such-firm"));
}

// The request is larger than the server takes (8 MiB by default): refused
// before any handler runs.
TEST_F(BadInputTest, OversizedMessage) {
  v1::Firm firm = GoodFirm();
  firm.set_description(std::string(9 << 20, 'x'));
  const grpc::Status status = Create(firm);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(status);
  std::vector<v1::ImportFirmsRequest> messages(1);
  for (int i = 0; i < 20; ++i) {
    v1::Firm big = NewFirm("big-" + std::to_string(i));
    big.set_description(std::string(500 << 10, 'y'));
    *messages[0].add_firms() = big;
  }
  EXPECT_EQ(env_->Import(env_->Token("writer"), messages).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(BadInputTest, DeadlineAlreadyPast) {
  v1::CreateFirmRequest request;
  *request.mutable_firm() = GoodFirm();
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + env_->Token("writer"));
  context.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  v1::Firm response;
  const grpc::Status status = env_->firms().CreateFirm(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::DEADLINE_EXCEEDED) << Describe(status);
}

}  // namespace
}  // namespace clustermatch::grpc_test
