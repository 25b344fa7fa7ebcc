// EventService over a real gRPC server on a loopback port, on the sample
// cluster: only organisers schedule; a schedule of twenty attendees keeps
// every hard rule (caps, representatives, tables per slot, must/never pairs,
// sides, availability) and equals what the shared planner gives the command
// line; hidden, members-only and out-of-cluster attendees are NOT_FOUND like
// missing firms; inline profiles are created under the writer rules; bad
// fields are INVALID_ARGUMENT naming the field; the same request twice gives
// the same response.
#include <algorithm>
#include <functional>
#include <future>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <google/protobuf/util/message_differencer.h>
#include <google/protobuf/wrappers.pb.h>
#include <grpcpp/generic/generic_stub.h>

#include "absl/strings/numbers.h"
#include "clustermatch/v1/event_service.grpc.pb.h"
#include "engine/event_planner.h"
#include "engine/sample_cluster.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/event_proto_converter.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr int kSlots = 8;
constexpr int kTables = 6;
constexpr int kMaxMeetings = 4;
// Slot starts with 20-minute slots from 14:00 and a break 15:20-15:40.
const std::vector<std::string> kSlotStarts = {"14:00", "14:20", "14:40", "15:00",
                                              "15:40", "16:00", "16:20", "16:40"};

using FirmIdPair = std::pair<std::string, std::string>;

FirmIdPair OrderedPair(const std::string& a, const std::string& b) {
  return a < b ? FirmIdPair(a, b) : FirmIdPair(b, a);
}

class GrpcEventTest : public GrpcTest {
 protected:
  EnvOptions Options() override {
    EnvOptions options;
    options.firms = GenerateSampleCluster(SampleOptions{.firms = 200, .seed = 3});
    options.relations.clear();
    options.server.listen = "127.0.0.1:0";
    return options;
  }

  void SetUp() override {
    GrpcTest::SetUp();
    ASSERT_GT(env().server().port(), 0);
    channel_ = grpc::CreateChannel("127.0.0.1:" + std::to_string(env().server().port()),
                                   grpc::InsecureChannelCredentials());
    events_ = v1::EventService::NewStub(channel_);
  }

  // Stored firms of `visibility` with needs, in id order, optionally of one
  // cluster only.
  std::vector<Firm> Firms(Visibility visibility, const std::string& cluster = "") {
    std::vector<Firm> firms;
    for (const Firm& firm : env().engine().ListFirms()) {
      if (firm.visibility != visibility || firm.needs.empty()) continue;
      if (!cluster.empty() &&
          std::find(firm.clusters.begin(), firm.clusters.end(), cluster) == firm.clusters.end()) {
        continue;
      }
      firms.push_back(firm);
    }
    return firms;
  }

  // Twenty public firms, every fifth one, so that several mini-clusters and
  // clusters take part.
  std::vector<std::string> TwentyPublicIds() {
    std::vector<std::string> ids;
    const std::vector<Firm> firms = Firms(Visibility::kPublic);
    for (size_t i = 0; i < firms.size() && ids.size() < 20; i += 5) ids.push_back(firms[i].id);
    EXPECT_EQ(ids.size(), 20u);
    return ids;
  }

  static v1::ScheduleEventRequest BaseRequest(const std::vector<std::string>& ids) {
    v1::ScheduleEventRequest request;
    for (const std::string& id : ids) request.add_attendees()->set_firm_id(id);
    v1::EventPlan* plan = request.mutable_plan();
    plan->set_date("2026-12-03");
    plan->set_start("14:00");
    plan->set_slots(kSlots);
    plan->set_slot_minutes(20);
    plan->add_breaks("15:20-15:40");
    plan->add_tables_per_slot(kTables);
    request.set_max_meetings(kMaxMeetings);
    request.set_min_meetings(2);
    return request;
  }

  grpc::Status Schedule(const std::string& token, const v1::ScheduleEventRequest& request,
                        v1::ScheduleEventResponse* response) {
    grpc::ClientContext context;
    Prepare(context, token, absl::Seconds(60));
    return events_->ScheduleEvent(&context, request, response);
  }

  v1::ScheduleEventResponse ScheduleOk(const v1::ScheduleEventRequest& request,
                                       const std::string& key = "organiser") {
    v1::ScheduleEventResponse response;
    const grpc::Status status = Schedule(Token(key), request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return response;
  }

  void ExpectError(const std::string& key, const v1::ScheduleEventRequest& request,
                   grpc::StatusCode code, const std::string& message_start) {
    v1::ScheduleEventResponse response;
    const grpc::Status status = Schedule(Token(key), request, &response);
    EXPECT_EQ(status.error_code(), code) << Describe(status);
    EXPECT_THAT(status.error_message(), StartsWith(message_start)) << Describe(status);
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::EventService::Stub> events_;
};

TEST_F(GrpcEventTest, HealthReportsTheEventServiceServing) {
  // grpc.health.v1 messages have the wire format of StringValue (service)
  // and Int32Value (status; 1 is SERVING).
  grpc::TemplatedGenericStub<google::protobuf::StringValue, google::protobuf::Int32Value> stub(
      channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  google::protobuf::StringValue request;
  request.set_value("clustermatch.v1.EventService");
  google::protobuf::Int32Value response;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request, &response,
                 [&done](grpc::Status status) { done.set_value(std::move(status)); });
  const grpc::Status status = done.get_future().get();
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.value(), 1);
}

TEST_F(GrpcEventTest, OnlyOrganisersAndAdminsSchedule) {
  const v1::ScheduleEventRequest request = BaseRequest(TwentyPublicIds());
  for (const char* key : {"reader", "writer", "reader_members", "writer_gv"}) {
    SCOPED_TRACE(key);
    ExpectError(key, request, grpc::StatusCode::PERMISSION_DENIED,
                "EventService/ScheduleEvent needs a key with role organiser");
  }
  v1::ScheduleEventResponse response;
  EXPECT_EQ(Schedule("", request, &response).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Schedule("cm_nokey_nosecret", request, &response).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Schedule(Token("admin"), request, &response).ok());
}

TEST_F(GrpcEventTest, TwentyAttendeesGetAScheduleThatKeepsEveryRule) {
  const std::vector<std::string> ids = TwentyPublicIds();
  v1::ScheduleEventRequest request = BaseRequest(ids);
  // A first plan without rules tells which pair would meet first: the rules
  // below forbid it and demand a pair that did not meet.
  const v1::ScheduleEventResponse free_plan = ScheduleOk(request);
  ASSERT_GT(free_plan.meetings_size(), 0);
  std::set<FirmIdPair> met;
  for (const v1::EventMeeting& m : free_plan.meetings())
    met.insert(OrderedPair(m.firm_a(), m.firm_b()));
  const FirmIdPair never =
      OrderedPair(free_plan.meetings(0).firm_a(), free_plan.meetings(0).firm_b());
  FirmIdPair must;
  for (size_t i = 14; i < ids.size() && must.first.empty(); ++i) {
    for (size_t j = i + 1; j < ids.size(); ++j) {
      if (met.contains(OrderedPair(ids[i], ids[j])) || never == OrderedPair(ids[i], ids[j]))
        continue;
      must = {ids[i], ids[j]};
      break;
    }
  }
  ASSERT_FALSE(must.first.empty());

  // Attendees 0-5 buy, 6-11 supply, 12-19 take no side. Two send two
  // representatives, one has its own cap, two are there only part of the day.
  std::map<std::string, v1::EventAttendee*> by_id;
  for (int i = 0; i < request.attendees_size(); ++i) {
    v1::EventAttendee* a = request.mutable_attendees(i);
    by_id[a->firm_id()] = a;
    if (i < 6) a->set_side(v1::EVENT_SIDE_BUYER);
    if (i >= 6 && i < 12) a->set_side(v1::EVENT_SIDE_SUPPLIER);
  }
  request.mutable_attendees(12)->set_representatives(2);
  request.mutable_attendees(13)->set_representatives(2);
  request.mutable_attendees(13)->set_max_meetings(6);
  request.mutable_attendees(2)->set_max_meetings(2);
  request.mutable_attendees(3)->set_available_from("14:40");
  request.mutable_attendees(3)->set_available_to("16:00");
  request.mutable_attendees(15)->set_available_to("15:20");
  by_id[never.first]->add_never_meet(never.second);
  by_id[must.second]->add_must_meet(must.first);
  request.mutable_attendees(0)->add_must_meet("NOT-AN-ATTENDEE");

  const v1::ScheduleEventResponse response = ScheduleOk(request);
  ASSERT_EQ(response.attendees_size(), 20);
  ASSERT_EQ(response.match_lists_size(), 20);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(response.attendees(i).id(), ids[static_cast<size_t>(i)]);
    const v1::EventMatchList& list = response.match_lists(i);
    EXPECT_EQ(list.firm_id(), ids[static_cast<size_t>(i)]);
    EXPECT_LE(list.recommendations_size(), 10);
    for (const v1::Recommendation& r : list.recommendations()) {
      EXPECT_NE(r.firm_id(), list.firm_id());
      EXPECT_TRUE(Contains(ids, r.firm_id())) << r.firm_id();
      EXPECT_TRUE(r.has_explanation());
    }
  }
  EXPECT_GT(response.model_version(), 0);
  ASSERT_EQ(response.notes_size(), 1);
  EXPECT_THAT(response.notes(0), HasSubstr("\"NOT-AN-ATTENDEE\" is not an attendee"));

  std::map<std::string, int> cap, reps, side, total;
  for (const v1::EventAttendee& a : request.attendees()) {
    cap[a.firm_id()] = a.max_meetings() > 0 ? a.max_meetings() : kMaxMeetings;
    reps[a.firm_id()] = a.representatives() > 0 ? a.representatives() : 1;
    side[a.firm_id()] = a.side();
  }
  std::set<FirmIdPair> pairs;
  std::map<std::pair<int, std::string>, int> busy;  // (slot, firm) -> meetings
  std::map<int, std::set<std::string>> tables;
  bool reasons = false;
  for (const v1::EventMeeting& m : response.meetings()) {
    SCOPED_TRACE(m.ShortDebugString());
    ASSERT_GE(m.slot(), 1);
    ASSERT_LE(m.slot(), kSlots);
    EXPECT_EQ(m.start(), kSlotStarts[static_cast<size_t>(m.slot() - 1)]);
    EXPECT_TRUE(pairs.insert(OrderedPair(m.firm_a(), m.firm_b())).second) << "pair meets twice";
    EXPECT_TRUE(tables[m.slot()].insert(m.table()).second) << "table used twice";
    int table = 0;
    ASSERT_TRUE(absl::SimpleAtoi(m.table(), &table));
    EXPECT_GE(table, 1);
    EXPECT_LE(table, kTables);
    for (const std::string& firm : {m.firm_a(), m.firm_b()}) {
      ++busy[{m.slot(), firm}];
      ++total[firm];
    }
    EXPECT_FALSE(side[m.firm_a()] != v1::EVENT_SIDE_UNSPECIFIED &&
                 side[m.firm_a()] == side[m.firm_b()])
        << "same side";
    for (const std::string& firm : {m.firm_a(), m.firm_b()}) {
      if (firm == ids[3]) {
        EXPECT_GE(m.start(), "14:40");
        EXPECT_LE(m.end(), "16:00");
      }
      if (firm == ids[15]) {
        EXPECT_LE(m.end(), "15:20");
      }
    }
    EXPECT_GE(m.score(), 0);
    reasons = reasons || !m.reason().empty();
  }
  EXPECT_TRUE(reasons);
  for (const auto& [slot_firm, count] : busy) EXPECT_LE(count, reps[slot_firm.second]);
  for (const auto& [firm, count] : total) EXPECT_LE(count, cap[firm]) << firm;
  EXPECT_FALSE(pairs.contains(never));
  EXPECT_TRUE(pairs.contains(must));

  const v1::EventScheduleQuality& q = response.quality();
  EXPECT_EQ(q.attendees(), 20);
  EXPECT_EQ(q.meetings(), response.meetings_size());
  EXPECT_GT(q.meetings(), 20);
  EXPECT_LE(q.utility(), q.upper_bound() + 1e-9);
  EXPECT_GT(q.ratio(), 0.5);

  // The command line's planner, given the same request and the organiser's
  // visibility, makes the same schedule: one core behind both front doors.
  absl::StatusOr<EventRequest> same = EventRequestFromProto(request);
  ASSERT_TRUE(same.ok()) << same.status();
  ASSERT_TRUE(RestrictFilter(AccessScope{KeyRole::kOrganiser, KeyScope::kPublic, ""}, "filter",
                             same->filter)
                  .ok());
  absl::StatusOr<EventOutcome> planned = PlanEvent(env().engine(), *same);
  ASSERT_TRUE(planned.ok()) << planned.status();
  v1::ScheduleEventResponse expected =
      OutcomeToProto(*std::move(planned), same->plan, true, Language::kEnglish);
  expected.set_model_version(response.model_version());
  expected.mutable_quality()->set_solve_seconds(0);
  v1::ScheduleEventResponse got = response;
  got.mutable_quality()->set_solve_seconds(0);
  EXPECT_TRUE(MessageDifferencer::Equals(got, expected));
}

TEST_F(GrpcEventTest, SameRequestTwiceGivesTheSameResponseAndKeptMeetingsStay) {
  v1::ScheduleEventRequest request = BaseRequest(TwentyPublicIds());
  request.mutable_attendees(4)->set_side(v1::EVENT_SIDE_BUYER);
  request.mutable_attendees(5)->set_side(v1::EVENT_SIDE_SUPPLIER);
  v1::ScheduleEventResponse first = ScheduleOk(request);
  v1::ScheduleEventResponse second = ScheduleOk(request);
  ASSERT_GT(first.meetings_size(), 0);
  first.mutable_quality()->clear_solve_seconds();
  second.mutable_quality()->clear_solve_seconds();
  std::string diff;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  EXPECT_TRUE(differencer.Compare(first, second)) << diff;

  // Re-planning with the first schedule published and another seed: every
  // meeting stays where it was.
  v1::ScheduleEventRequest again = request;
  *again.mutable_kept_meetings() = first.meetings();
  again.set_seed(9);
  const v1::ScheduleEventResponse replanned = ScheduleOk(again);
  std::set<std::tuple<int, std::string, std::string, std::string>> after;
  for (const v1::EventMeeting& m : replanned.meetings()) {
    after.insert({m.slot(), m.table(), m.firm_a(), m.firm_b()});
  }
  for (const v1::EventMeeting& m : first.meetings()) {
    EXPECT_TRUE(after.contains({m.slot(), m.table(), m.firm_a(), m.firm_b()}))
        << m.ShortDebugString();
  }
}

TEST_F(GrpcEventTest, HiddenMembersOnlyAndMissingAttendeesAreNotFoundAlike) {
  const std::vector<Firm> hidden = Firms(Visibility::kHidden);
  const std::vector<Firm> members = Firms(Visibility::kMembers);
  ASSERT_FALSE(hidden.empty());
  ASSERT_FALSE(members.empty());
  std::vector<std::string> ids = TwentyPublicIds();
  ids.resize(5);
  for (const std::string& id : {hidden[0].id, std::string("NO-SUCH-FIRM")}) {
    SCOPED_TRACE(id);
    std::vector<std::string> with = ids;
    with.insert(with.begin() + 3, id);
    // Admins see hidden firms by id, but hidden firms are never matched.
    for (const char* key : {"organiser", "admin", "admin_members"}) {
      SCOPED_TRACE(key);
      ExpectError(key, BaseRequest(with), grpc::StatusCode::NOT_FOUND,
                  "attendees[3].firm_id: no firm \"" + id + "\"");
    }
  }
  std::vector<std::string> with_members = ids;
  with_members.push_back(members[0].id);
  ExpectError("organiser", BaseRequest(with_members), grpc::StatusCode::NOT_FOUND,
              "attendees[5].firm_id: no firm \"" + members[0].id + "\"");
  // A key of members scope may schedule the members-only firm.
  EXPECT_EQ(ScheduleOk(BaseRequest(with_members), "admin_members").attendees_size(), 6);
}

TEST_F(GrpcEventTest, ClusterLimitedOrganiserSchedulesOnlyItsClustersFirms) {
  const TestKey gv = env().IssueKey(KeyRole::kOrganiser, KeyScope::kPublic, kGValley, "gv-event");
  const std::vector<Firm> gv_firms = Firms(Visibility::kPublic, kGValley);
  std::vector<std::string> gv_ids;
  for (const Firm& firm : gv_firms) {
    if (gv_ids.size() < 8) gv_ids.push_back(firm.id);
  }
  ASSERT_EQ(gv_ids.size(), 8u);
  std::string outside;
  for (const Firm& firm : Firms(Visibility::kPublic)) {
    if (std::find(firm.clusters.begin(), firm.clusters.end(), kGValley) == firm.clusters.end()) {
      outside = firm.id;
      break;
    }
  }
  ASSERT_FALSE(outside.empty());

  v1::ScheduleEventResponse response;
  ASSERT_TRUE(Schedule(gv.token, BaseRequest(gv_ids), &response).ok());
  EXPECT_EQ(response.attendees_size(), 8);
  EXPECT_GT(response.meetings_size(), 0);

  std::vector<std::string> with = gv_ids;
  with.push_back(outside);
  const v1::ScheduleEventRequest request = BaseRequest(with);
  EXPECT_EQ(Schedule(gv.token, request, &response).error_code(), grpc::StatusCode::NOT_FOUND);
  grpc::ClientContext context;
  Prepare(context, gv.token);
  const grpc::Status status = events_->ScheduleEvent(&context, request, &response);
  EXPECT_EQ(status.error_message(), "attendees[8].firm_id: no firm \"" + outside + "\"");
  // The unlimited organiser may.
  EXPECT_EQ(ScheduleOk(request).attendees_size(), 9);

  // A new firm outside the key's cluster is not created.
  v1::ScheduleEventRequest fresh = BaseRequest(gv_ids);
  v1::EventAttendee* attendee = fresh.add_attendees();
  attendee->set_firm_id("EV-DMC-NEW");
  *attendee->mutable_profile() = NewFirm("", kDmc);
  v1::ScheduleEventResponse ignored;
  const grpc::Status denied = Schedule(gv.token, fresh, &ignored);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED) << Describe(denied);
  EXPECT_THAT(denied.error_message(), StartsWith("attendees[8].profile.clusters: "));
  EXPECT_FALSE(env().engine().GetFirm("EV-DMC-NEW").ok());
}

TEST_F(GrpcEventTest, InlineProfilesOfNewAttendeesAreStoredUnderTheWriterRules) {
  std::vector<std::string> ids = TwentyPublicIds();
  ids.resize(6);
  v1::ScheduleEventRequest request = BaseRequest(ids);
  v1::EventAttendee* attendee = request.add_attendees();
  attendee->set_firm_id("EV-NEW-01");
  *attendee->mutable_profile() = NewFirm("");
  attendee->mutable_profile()->set_visibility(v1::VISIBILITY_HIDDEN);

  // A hidden newcomer could never be matched: nothing is stored.
  ExpectError("organiser", request, grpc::StatusCode::INVALID_ARGUMENT,
              "attendees[6].profile.visibility: ");
  EXPECT_FALSE(env().engine().GetFirm("EV-NEW-01").ok());
  attendee->mutable_profile()->set_id("EV-OTHER");
  ExpectError("organiser", request, grpc::StatusCode::INVALID_ARGUMENT,
              "attendees[6].profile.id: ");
  attendee->mutable_profile()->set_id("");
  attendee->mutable_profile()->set_employees(-5);
  ExpectError("organiser", request, grpc::StatusCode::INVALID_ARGUMENT,
              "attendees[6].profile.employees: ");

  attendee->mutable_profile()->set_employees(12);
  attendee->mutable_profile()->set_visibility(v1::VISIBILITY_PUBLIC);
  const v1::ScheduleEventResponse response = ScheduleOk(request);
  ASSERT_EQ(response.attendees_size(), 7);
  EXPECT_EQ(response.attendees(6).id(), "EV-NEW-01");
  EXPECT_EQ(response.attendees(6).employees(), 12);
  const absl::StatusOr<Firm> stored = env().engine().GetFirm("EV-NEW-01");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(stored->clusters, std::vector<std::string>{kGValley});
  // Stored now: the same request again uses the stored firm.
  EXPECT_EQ(ScheduleOk(request).attendees(6).id(), "EV-NEW-01");
}

TEST_F(GrpcEventTest, BadFieldsAreInvalidArgumentNamingTheField) {
  const std::vector<std::string> ids = TwentyPublicIds();
  struct Case {
    std::string name;
    std::function<void(v1::ScheduleEventRequest&)> change;
    std::string message_start;
  };
  const std::vector<Case> cases = {
      {"no attendees", [](auto& r) { r.clear_attendees(); }, "attendees: required"},
      {"no plan", [](auto& r) { r.clear_plan(); }, "plan: required"},
      {"slots", [](auto& r) { r.mutable_plan()->set_slots(0); }, "plan.slots: must be 1 to 64"},
      {"too many slots", [](auto& r) { r.mutable_plan()->set_slots(65); }, "plan.slots: "},
      {"date", [](auto& r) { r.mutable_plan()->set_date("2026-02-30"); }, "plan.date: "},
      {"no date", [](auto& r) { r.mutable_plan()->clear_date(); }, "plan.date: required"},
      {"start", [](auto& r) { r.mutable_plan()->set_start("2pm"); }, "plan.start: "},
      {"time zone", [](auto& r) { r.mutable_plan()->set_time_zone("Mars/Base"); },
       "plan.time_zone: "},
      {"slot minutes", [](auto& r) { r.mutable_plan()->set_slot_minutes(500); },
       "plan.slot_minutes: "},
      {"break", [](auto& r) { r.mutable_plan()->set_breaks(0, "16:00-15:00"); },
       "plan.breaks[0]: "},
      {"tables", [](auto& r) { r.mutable_plan()->set_tables_per_slot(0, 0); },
       "plan.tables_per_slot[0]: "},
      {"no tables", [](auto& r) { r.mutable_plan()->clear_tables_per_slot(); },
       "plan.tables_per_slot: "},
      {"table names", [](auto& r) { r.mutable_plan()->add_table_names("A"); },
       "plan.table_names: "},
      {"past midnight",
       [](auto& r) {
         r.mutable_plan()->set_start("23:00");
         r.mutable_plan()->clear_breaks();
       },
       "plan.slots: "},
      {"available_from", [](auto& r) { r.mutable_attendees(3)->set_available_from("9h"); },
       "attendees[3].available_from: "},
      {"available_to before from",
       [](auto& r) {
         r.mutable_attendees(3)->set_available_from("15:00");
         r.mutable_attendees(3)->set_available_to("14:00");
       },
       "attendees[3].available_to: "},
      {"representatives", [](auto& r) { r.mutable_attendees(2)->set_representatives(21); },
       "attendees[2].representatives: "},
      {"own cap", [](auto& r) { r.mutable_attendees(2)->set_max_meetings(-1); },
       "attendees[2].max_meetings: "},
      {"side", [](auto& r) { r.mutable_attendees(0)->set_side(static_cast<v1::EventSide>(7)); },
       "attendees[0].side: "},
      {"empty id", [](auto& r) { r.mutable_attendees(4)->clear_firm_id(); },
       "attendees[4].firm_id: required"},
      {"duplicate id", [&](auto& r) { r.mutable_attendees(5)->set_firm_id(ids[1]); },
       "attendees[5].firm_id: duplicate id"},
      {"must meet itself", [&](auto& r) { r.mutable_attendees(1)->add_must_meet(ids[1]); },
       "attendees[1].must_meet[0]: "},
      {"max meetings", [](auto& r) { r.set_max_meetings(0); }, "max_meetings: "},
      {"min meetings", [](auto& r) { r.set_min_meetings(-1); }, "min_meetings: "},
      {"match list size", [](auto& r) { r.set_match_list_size(5000); }, "match_list_size: "},
      {"intent", [](auto& r) { r.set_intent(static_cast<v1::MatchIntent>(9)); }, "intent: "},
      {"language", [](auto& r) { r.set_language("fr"); }, "language: "},
      {"kept table",
       [&](auto& r) {
         v1::EventMeeting* kept = r.add_kept_meetings();
         kept->set_slot(1);
         kept->set_table("9");
         kept->set_firm_a(ids[0]);
         kept->set_firm_b(ids[1]);
       },
       "kept_meetings[0].table: no table \"9\""},
      {"kept slot",
       [&](auto& r) {
         v1::EventMeeting* kept = r.add_kept_meetings();
         kept->set_slot(0);
         kept->set_table("1");
         kept->set_firm_a(ids[0]);
         kept->set_firm_b(ids[1]);
       },
       "kept_meetings[0].slot: "},
      {"kept firm",
       [&](auto& r) {
         v1::EventMeeting* kept = r.add_kept_meetings();
         kept->set_slot(1);
         kept->set_table("1");
         kept->set_firm_a(ids[0]);
         kept->set_firm_b("NOT-THERE");
       },
       "kept_meetings[0].firm_b: \"NOT-THERE\" is not an attendee"},
  };
  const size_t firms_before = env().engine().ListFirms().size();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    v1::ScheduleEventRequest request = BaseRequest(ids);
    // A new attendee in every request: a bad field elsewhere stores nothing.
    v1::EventAttendee* fresh = request.add_attendees();
    fresh->set_firm_id("EV-NEW-BAD");
    *fresh->mutable_profile() = NewFirm("");
    c.change(request);
    ExpectError("organiser", request, grpc::StatusCode::INVALID_ARGUMENT, c.message_start);
  }
  EXPECT_EQ(env().engine().ListFirms().size(), firms_before);

  // More attendees than one call takes.
  v1::ScheduleEventRequest huge = BaseRequest(ids);
  for (int i = 0; i < 1000; ++i) huge.add_attendees()->set_firm_id("X-" + std::to_string(i));
  ExpectError("organiser", huge, grpc::StatusCode::RESOURCE_EXHAUSTED, "attendees: at most 1000");
}

}  // namespace
}  // namespace clustermatch::grpc_test
