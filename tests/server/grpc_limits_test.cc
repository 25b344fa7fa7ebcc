// The server's size limits over gRPC: a request above the message limit and
// an import above the stream limit are RESOURCE_EXHAUSTED and write nothing.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/grpc_store_state.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::testing::StartsWith;

// The server's message limit: a request above it is refused before any
// handler runs.
class GrpcSmallMessageTest : public GrpcTest {
 protected:
  EnvOptions Options() override {
    EnvOptions options;
    options.server.max_message_bytes = 16 << 10;
    return options;
  }
};

TEST_F(GrpcSmallMessageTest, RequestLargerThanTheServerLimitIsResourceExhausted) {
  const StoreState before = StateOf(env().engine());
  // 40 firms of ~1 KiB: valid, and within every per-field and batch limit.
  v1::ImportFirmsRequest message;
  for (int i = 0; i < 40; ++i) {
    v1::Firm firm = GoodFirm("big-" + std::to_string(i));
    firm.set_description(std::string(1000, 'd'));
    *message.add_firms() = firm;
  }
  ASSERT_GT(message.ByteSizeLong(), 16u << 10);
  const grpc::Status status = env().Import(Token("writer"), {message});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(status);

  v1::CreateFirmRequest create;
  *create.mutable_firm() = GoodFirm("big-one");
  create.mutable_firm()->set_description(std::string(20000, 'd'));
  const grpc::Status created =
      env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::CreateFirm, create);
  EXPECT_EQ(created.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(created);
  EXPECT_TRUE(StateOf(env().engine()) == before);

  // Small requests still pass.
  create.mutable_firm()->set_description("short");
  EXPECT_TRUE(
      env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::CreateFirm, create).ok());
}

// Small limits, to reach the per-stream import limit and the batch limit.
class GrpcSmallLimitsTest : public GrpcTest {
 protected:
  EnvOptions Options() override {
    EnvOptions options;
    options.server.limits.max_import_firms = 5;
    options.server.limits.max_batch = 4;
    return options;
  }
};

TEST_F(GrpcSmallLimitsTest, ImportOverTheStreamLimitIsResourceExhaustedAndWritesNothing) {
  const std::vector<Firm> before = env().engine().ListFirms();
  v1::ImportFirmsRequest three;
  for (int i = 0; i < 3; ++i) *three.add_firms() = GoodFirm("limit-" + std::to_string(i));
  v1::ImportFirmsRequest more = three;
  for (v1::Firm& firm : *more.mutable_firms()) firm.set_id(firm.id() + "b");
  grpc::Status status = env().Import(Token("writer"), {three, more});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(status);
  EXPECT_THAT(status.error_message(), StartsWith("firms"));
  v1::ImportFirmsRequest five = three;
  for (int i = 3; i < 5; ++i) *five.add_firms() = GoodFirm("limit-" + std::to_string(i));
  status = env().Import(Token("writer"), {five});
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(status);
  EXPECT_THAT(status.error_message(), StartsWith("messages[0].firms"));
  EXPECT_EQ(env().engine().ListFirms(), before);

  v1::RecordRelationsRequest record;
  for (int i = 0; i < 5; ++i)
    *record.add_relations() = MakeRelation("pcb", "iot", v1::RELATION_KIND_MET);
  status = env().Call(Token("writer"), env().feedback(),
                      &v1::FeedbackService::Stub::RecordRelations, record);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << Describe(status);
  EXPECT_EQ(env().engine().ListRelations().size(), TestRelations().size());

  // Within the limits.
  more.mutable_firms()->RemoveLast();
  status = env().Import(Token("writer"), {three, more});
  EXPECT_TRUE(status.ok()) << Describe(status);
}

}  // namespace
}  // namespace clustermatch::grpc_test
