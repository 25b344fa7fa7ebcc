// The audit log through the gRPC services: every write RPC records its rows
// under the caller's key ("key:<id>"), in the store; refused calls and reads
// record nothing.
#include <memory>
#include <string>
#include <vector>

#include "clustermatch/v1/event_service.grpc.pb.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

class GrpcAuditTest : public GrpcTest {
 protected:
  // The rows written since the last call, as "actor action subject".
  std::vector<std::string> NewRows() {
    absl::StatusOr<std::vector<AuditEntry>> log = env().engine().AuditLog({});
    EXPECT_TRUE(log.ok()) << log.status();
    std::vector<std::string> rows;
    if (!log.ok()) return rows;
    for (const AuditEntry& entry : *log) {
      if (entry.seq <= seen_) continue;
      rows.push_back(entry.actor + " " + entry.action + " " + entry.subject);
      seen_ = entry.seq;
    }
    return rows;
  }
  std::string Actor(const std::string& key) { return "key:" + env().Key(key).record.id; }

  int64_t seen_ = 0;
};

TEST_F(GrpcAuditTest, EveryWriteRpcRecordsItsCallersKey) {
  NewRows();  // the fixture's own writes
  const std::string writer = Actor("writer");
  const std::string admin = Actor("admin");

  v1::CreateFirmRequest create;
  *create.mutable_firm() = NewFirm("audit-new");
  grpc::Status status =
      env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::CreateFirm, create);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(NewRows(), ElementsAre(writer + " create_firm audit-new"));

  v1::UpdateFirmRequest update;
  update.mutable_firm()->set_id("audit-new");
  update.mutable_firm()->set_description("changed");
  update.mutable_update_mask()->add_paths("description");
  status = env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::UpdateFirm, update);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(NewRows(), ElementsAre(writer + " update_firm audit-new"));

  v1::ImportFirmsRequest message;
  *message.add_firms() = NewFirm("audit-import-1");
  *message.add_firms() = NewFirm("audit-import-2");
  status = env().Import(Token("writer"), {message});
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(NewRows(), ElementsAre(writer + " import_firm audit-import-1",
                                     writer + " import_firm audit-import-2"));

  v1::RecordRelationsRequest relations;
  v1::Relation* relation = relations.add_relations();
  relation->set_firm_a("audit-new");
  relation->set_firm_b("mes");
  relation->set_kind(v1::RELATION_KIND_MET);
  status = env().Call(Token("writer"), env().feedback(),
                      &v1::FeedbackService::Stub::RecordRelations, relations);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(NewRows(), ElementsAre(writer + " add_relation audit-new->mes met"));

  v1::DeleteFirmRequest remove;
  remove.set_id("audit-new");
  status = env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::DeleteFirm, remove);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(NewRows(), ElementsAre(writer + " delete_firm audit-new"));

  v1::TrainResponse trained;
  status = env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::Train,
                      v1::TrainRequest(), &trained);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(NewRows(),
              ElementsAre(admin + " train model v" + std::to_string(trained.model_version())));

  v1::CreateKeyRequest make;
  make.set_role(v1::KEY_ROLE_READER);
  make.set_label("partner portal");
  v1::CreateKeyResponse made;
  status =
      env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::CreateKey, make, &made);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(NewRows(), ElementsAre(admin + " add_key " + made.key().id()));

  v1::RevokeKeyRequest revoke;
  revoke.set_id(made.key().id());
  status = env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::RevokeKey, revoke);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(NewRows(), ElementsAre(admin + " revoke_key " + made.key().id()));
}

TEST_F(GrpcAuditTest, AnEventWithANewAttendeeRecordsItsCreation) {
  NewRows();
  std::unique_ptr<v1::EventService::Stub> events = v1::EventService::NewStub(env().channel());
  v1::ScheduleEventRequest request;
  for (const char* id : {"machining", "mes", "vr", "expo", "battery", "bms"}) {
    request.add_attendees()->set_firm_id(id);
  }
  v1::EventAttendee* fresh = request.add_attendees();
  fresh->set_firm_id("audit-attendee");
  *fresh->mutable_profile() = NewFirm("");
  v1::EventPlan* plan = request.mutable_plan();
  plan->set_date("2026-12-03");
  plan->set_start("14:00");
  plan->set_slots(3);
  plan->set_slot_minutes(20);
  plan->add_tables_per_slot(3);
  request.set_max_meetings(2);
  grpc::ClientContext context;
  Prepare(context, Token("organiser"), absl::Seconds(60));
  v1::ScheduleEventResponse response;
  const grpc::Status status = events->ScheduleEvent(&context, request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_THAT(NewRows(), ElementsAre(Actor("organiser") + " create_firm audit-attendee"));
}

TEST_F(GrpcAuditTest, ReadsAndRefusedCallsRecordNothing) {
  NewRows();
  v1::GetFirmRequest get;
  get.set_id("mes");
  EXPECT_TRUE(
      env().Call(Token("reader"), env().firms(), &v1::FirmService::Stub::GetFirm, get).ok());
  v1::ListFirmsRequest list;
  EXPECT_TRUE(
      env().Call(Token("reader"), env().firms(), &v1::FirmService::Stub::ListFirms, list).ok());
  v1::RecommendRequest recommend;
  recommend.set_firm_id("machining");
  EXPECT_TRUE(
      env()
          .Call(Token("reader"), env().matching(), &v1::MatchingService::Stub::Recommend, recommend)
          .ok());
  v1::SearchRequest search;
  search.set_query("PCB assembly");
  EXPECT_TRUE(
      env()
          .Call(Token("reader"), env().matching(), &v1::MatchingService::Stub::Search, search)
          .ok());
  EXPECT_TRUE(env()
                  .Call(Token("reader"), env().feedback(),
                        &v1::FeedbackService::Stub::ListRelations, v1::ListRelationsRequest())
                  .ok());
  EXPECT_TRUE(env()
                  .Call(Token("admin"), env().admin(), &v1::AdminService::Stub::GetStats,
                        v1::GetStatsRequest())
                  .ok());
  EXPECT_TRUE(env()
                  .Call(Token("admin"), env().admin(), &v1::AdminService::Stub::ListKeys,
                        v1::ListKeysRequest())
                  .ok());

  // Refused: no key, a reader writing, a bad profile, an unknown firm, a
  // cluster-limited writer outside its cluster.
  v1::CreateFirmRequest create;
  *create.mutable_firm() = NewFirm("audit-refused");
  EXPECT_FALSE(env().Call("", env().firms(), &v1::FirmService::Stub::CreateFirm, create).ok());
  EXPECT_FALSE(
      env().Call(Token("reader"), env().firms(), &v1::FirmService::Stub::CreateFirm, create).ok());
  v1::CreateFirmRequest bad = create;
  bad.mutable_firm()->set_employees(-3);
  EXPECT_FALSE(
      env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::CreateFirm, bad).ok());
  v1::DeleteFirmRequest remove;
  remove.set_id("no-such-firm");
  EXPECT_FALSE(
      env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::DeleteFirm, remove).ok());
  v1::CreateFirmRequest elsewhere;
  *elsewhere.mutable_firm() = NewFirm("audit-dmc", kDmc);
  EXPECT_FALSE(
      env()
          .Call(Token("writer_gv"), env().firms(), &v1::FirmService::Stub::CreateFirm, elsewhere)
          .ok());
  v1::RevokeKeyRequest revoke;
  revoke.set_id("ffffffffffff");
  EXPECT_FALSE(
      env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::RevokeKey, revoke).ok());

  EXPECT_THAT(NewRows(), ::testing::IsEmpty());
}

TEST_F(GrpcAuditTest, TheFixturesOwnWritesAreTheSystems) {
  const std::vector<std::string> rows = NewRows();
  ASSERT_FALSE(rows.empty());
  for (const std::string& row : rows) EXPECT_THAT(row, StartsWith("system "));
}

}  // namespace
}  // namespace clustermatch::grpc_test
