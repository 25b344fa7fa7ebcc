// Every way a request can be wrong, over gRPC: the exact status code, a
// message that names the field, no INTERNAL or UNKNOWN for any bad input,
// and a store left exactly as it was by every failed write. The server's
// size limits are in grpc_limits_test.cc.
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/firm_proto_converter.h"
#include "server/page_token.h"
#include "tests/server/grpc_store_state.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class GrpcErrorsTest : public GrpcTest {
 protected:
  // Asserts the code and that the message starts with `field` (the field
  // path comes first in every message).
  void ExpectError(const grpc::Status& status, grpc::StatusCode code, const std::string& field) {
    EXPECT_EQ(status.error_code(), code) << Describe(status);
    EXPECT_THAT(status.error_message(), StartsWith(field)) << Describe(status);
    Seen(status);
  }
  // Records a code for the no-INTERNAL sweep.
  void Seen(const grpc::Status& status) {
    EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL) << Describe(status);
    EXPECT_NE(status.error_code(), grpc::StatusCode::UNKNOWN) << Describe(status);
  }

  void SendEverywhere(const std::string& text);

  grpc::Status Create(const v1::Firm& firm, const std::string& key = "writer") {
    v1::CreateFirmRequest request;
    *request.mutable_firm() = firm;
    return env().Call(Token(key), env().firms(), &v1::FirmService::Stub::CreateFirm, request);
  }
  grpc::Status Update(const v1::Firm& firm, const std::vector<std::string>& mask) {
    v1::UpdateFirmRequest request;
    *request.mutable_firm() = firm;
    for (const std::string& path : mask) request.mutable_update_mask()->add_paths(path);
    return env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::UpdateFirm, request);
  }
  grpc::Status Recommend(const v1::RecommendRequest& request) {
    return env().Call(Token("reader"), env().matching(), &v1::MatchingService::Stub::Recommend,
                      request);
  }
  grpc::Status Search(const v1::SearchRequest& request) {
    return env().Call(Token("reader"), env().matching(), &v1::MatchingService::Stub::Search,
                      request);
  }
  grpc::Status Record(const v1::RecordRelationsRequest& request) {
    return env().Call(Token("writer"), env().feedback(),
                      &v1::FeedbackService::Stub::RecordRelations, request);
  }
  grpc::Status ListFirms(const v1::ListFirmsRequest& request,
                         v1::ListFirmsResponse* response = nullptr) {
    v1::ListFirmsResponse ignored;
    return env().Call(Token("reader"), env().firms(), &v1::FirmService::Stub::ListFirms, request,
                      response != nullptr ? response : &ignored);
  }
  grpc::Status ListRelations(const v1::ListRelationsRequest& request,
                             v1::ListRelationsResponse* response = nullptr) {
    v1::ListRelationsResponse ignored;
    return env().Call(Token("reader"), env().feedback(), &v1::FeedbackService::Stub::ListRelations,
                      request, response != nullptr ? response : &ignored);
  }
};

TEST_F(GrpcErrorsTest, BadFirmsAreInvalidArgumentNamingTheFieldAndWriteNothing) {
  const StoreState before = StateOf(env().engine());
  struct Case {
    std::string field;
    std::function<void(v1::Firm&)> spoil;
  };
  const std::vector<Case> cases = {
      {"firm.kind", [](v1::Firm& f) { f.set_kind(static_cast<v1::FirmKind>(99)); }},
      {"firm.visibility", [](v1::Firm& f) { f.set_visibility(static_cast<v1::Visibility>(-3)); }},
      {"firm.roles[1]", [](v1::Firm& f) { f.add_roles(v1::ROLE_UNSPECIFIED); }},
      {"firm.roles[1]", [](v1::Firm& f) { f.add_roles(static_cast<v1::Role>(17)); }},
      {"firm.id", [](v1::Firm& f) { f.set_id(""); }},
      {"firm.id", [](v1::Firm& f) { f.set_id(std::string(129, 'x')); }},
      {"firm.id", [](v1::Firm& f) { f.set_id("bad\nid"); }},
      {"firm.offers[1]", [](v1::Firm& f) { f.add_offers(""); }},
      {"firm.offers[1]", [](v1::Firm& f) { f.add_offers(f.offers(0)); }},
      {"firm.needs[0]", [](v1::Firm& f) { f.set_needs(0, std::string(501, 'n')); }},
      {"firm.employees", [](v1::Firm& f) { f.set_employees(-1); }},
      {"firm.founded", [](v1::Firm& f) { f.set_founded(1500); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::Firm firm = GoodFirm("new-firm");
    c.spoil(firm);
    ExpectError(Create(firm), grpc::StatusCode::INVALID_ARGUMENT, c.field);
    // The same profile as the whole new value of an existing firm.
    if (c.field != "firm.id") {
      firm.set_id("pcb");
      ExpectError(Update(firm, {}), grpc::StatusCode::INVALID_ARGUMENT, c.field);
      ExpectError(Update(firm, {"*"}), grpc::StatusCode::INVALID_ARGUMENT, c.field);
    }
  }
  EXPECT_TRUE(StateOf(env().engine()) == before);
  EXPECT_TRUE(Create(GoodFirm("new-firm")).ok());
}

TEST_F(GrpcErrorsTest, UpdateValidationErrorsNameTheFirmField) {
  v1::Firm firm;
  firm.set_id("pcb");
  firm.add_offers("dup");
  firm.add_offers("dup");
  ExpectError(Update(firm, {"offers"}), grpc::StatusCode::INVALID_ARGUMENT, "firm.offers[1]");
  firm.clear_offers();
  firm.set_employees(-4);
  ExpectError(Update(firm, {"employees"}), grpc::StatusCode::INVALID_ARGUMENT, "firm.employees");
}

TEST_F(GrpcErrorsTest, EmptyIdsAreInvalidArgument) {
  v1::GetFirmRequest get;
  ExpectError(env().Call(Token("reader"), env().firms(), &v1::FirmService::Stub::GetFirm, get),
              grpc::StatusCode::INVALID_ARGUMENT, "id");
  v1::DeleteFirmRequest remove;
  ExpectError(
      env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::DeleteFirm, remove),
      grpc::StatusCode::INVALID_ARGUMENT, "id");
  v1::Firm firm;
  firm.set_description("no id");
  ExpectError(Update(firm, {"description"}), grpc::StatusCode::INVALID_ARGUMENT, "firm.id");
  v1::RecommendRequest recommend;
  recommend.set_firm_id("");
  ExpectError(Recommend(recommend), grpc::StatusCode::INVALID_ARGUMENT, "firm_id");
  v1::RevokeKeyRequest revoke;
  ExpectError(env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::RevokeKey, revoke),
              grpc::StatusCode::INVALID_ARGUMENT, "id");
}

TEST_F(GrpcErrorsTest, BadMatchingRequestsNameTheField) {
  v1::RecommendRequest missing_query;
  ExpectError(Recommend(missing_query), grpc::StatusCode::INVALID_ARGUMENT, "query");

  auto recommend = [] {
    v1::RecommendRequest request;
    request.set_firm_id("pcb");
    return request;
  };
  v1::RecommendRequest r = recommend();
  r.set_intent(static_cast<v1::MatchIntent>(99));
  ExpectError(Recommend(r), grpc::StatusCode::INVALID_ARGUMENT, "intent");
  r = recommend();
  r.set_cross_cluster(static_cast<v1::CrossCluster>(42));
  ExpectError(Recommend(r), grpc::StatusCode::INVALID_ARGUMENT, "cross_cluster");
  r = recommend();
  r.mutable_filter()->add_kinds(v1::FIRM_KIND_COMPANY);
  r.mutable_filter()->add_kinds(static_cast<v1::FirmKind>(99));
  ExpectError(Recommend(r), grpc::StatusCode::INVALID_ARGUMENT, "filter.kinds[1]");
  r = recommend();
  r.mutable_filter()->add_kinds(v1::FIRM_KIND_UNSPECIFIED);
  ExpectError(Recommend(r), grpc::StatusCode::INVALID_ARGUMENT, "filter.kinds[0]");
  for (const int k : {0, -1, -1000}) {
    r = recommend();
    r.set_k(k);
    ExpectError(Recommend(r), grpc::StatusCode::INVALID_ARGUMENT, "k");
  }
  r = recommend();
  r.set_k(1001);
  ExpectError(Recommend(r), grpc::StatusCode::RESOURCE_EXHAUSTED, "k");
  r = recommend();
  r.set_k(1000);
  EXPECT_TRUE(Recommend(r).ok());

  v1::RecommendRequest profile;
  *profile.mutable_profile() = GoodFirm("");
  profile.mutable_profile()->set_kind(static_cast<v1::FirmKind>(77));
  ExpectError(Recommend(profile), grpc::StatusCode::INVALID_ARGUMENT, "profile.kind");
  *profile.mutable_profile() = GoodFirm("");
  profile.mutable_profile()->add_offers("");
  ExpectError(Recommend(profile), grpc::StatusCode::INVALID_ARGUMENT, "profile.offers[1]");

  v1::SearchRequest search;
  ExpectError(Search(search), grpc::StatusCode::INVALID_ARGUMENT, "query");
  search.set_query("PCB assembly");
  search.set_k(0);
  ExpectError(Search(search), grpc::StatusCode::INVALID_ARGUMENT, "k");
  search.set_k(1001);
  ExpectError(Search(search), grpc::StatusCode::RESOURCE_EXHAUSTED, "k");
  search.clear_k();
  search.mutable_filter()->add_kinds(static_cast<v1::FirmKind>(-2));
  ExpectError(Search(search), grpc::StatusCode::INVALID_ARGUMENT, "filter.kinds[0]");
  search.clear_filter();
  search.set_query(std::string(4097, 'a'));
  ExpectError(Search(search), grpc::StatusCode::RESOURCE_EXHAUSTED, "query");
  search.set_query(std::string(4096, 'a'));
  EXPECT_TRUE(Search(search).ok());
}

TEST_F(GrpcErrorsTest, BadListRequestsNameTheField) {
  v1::ListFirmsRequest list;
  list.set_page_size(-1);
  ExpectError(ListFirms(list), grpc::StatusCode::INVALID_ARGUMENT, "page_size");
  list.set_page_size(1001);
  ExpectError(ListFirms(list), grpc::StatusCode::RESOURCE_EXHAUSTED, "page_size");
  list.set_page_size(1000);
  EXPECT_TRUE(ListFirms(list).ok());
  list.set_page_size(0);
  list.mutable_filter()->add_kinds(static_cast<v1::FirmKind>(12));
  ExpectError(ListFirms(list), grpc::StatusCode::INVALID_ARGUMENT, "filter.kinds[0]");

  v1::ListRelationsRequest relations;
  relations.set_page_size(-7);
  ExpectError(ListRelations(relations), grpc::StatusCode::INVALID_ARGUMENT, "page_size");
  relations.set_page_size(1001);
  ExpectError(ListRelations(relations), grpc::StatusCode::RESOURCE_EXHAUSTED, "page_size");
  relations.set_page_size(0);
  relations.add_kinds(v1::RELATION_KIND_MET);
  relations.add_kinds(static_cast<v1::RelationKind>(99));
  ExpectError(ListRelations(relations), grpc::StatusCode::INVALID_ARGUMENT, "kinds[1]");
}

TEST_F(GrpcErrorsTest, BadUpdateMasksNameThePath) {
  const StoreState before = StateOf(env().engine());
  v1::Firm firm;
  firm.set_id("pcb");
  firm.set_description("new");
  ExpectError(Update(firm, {"id"}), grpc::StatusCode::INVALID_ARGUMENT, "update_mask.paths[0]");
  ExpectError(Update(firm, {"description", "id"}), grpc::StatusCode::INVALID_ARGUMENT,
              "update_mask.paths[1]");
  const grpc::Status unknown = Update(firm, {"description", "no_such_field"});
  ExpectError(unknown, grpc::StatusCode::INVALID_ARGUMENT, "update_mask.paths[1]");
  EXPECT_THAT(unknown.error_message(), HasSubstr("no_such_field"));
  ExpectError(Update(firm, {"clusters.name"}), grpc::StatusCode::INVALID_ARGUMENT,
              "update_mask.paths[0]");
  ExpectError(Update(firm, {""}), grpc::StatusCode::INVALID_ARGUMENT, "update_mask.paths[0]");
  EXPECT_TRUE(StateOf(env().engine()) == before);
}

TEST_F(GrpcErrorsTest, BadRelationsNameTheRelationAndRecordNothing) {
  const StoreState before = StateOf(env().engine());
  v1::RecordRelationsRequest request;
  ExpectError(Record(request), grpc::StatusCode::INVALID_ARGUMENT, "relations");

  *request.add_relations() = MakeRelation("pcb", "iot", v1::RELATION_KIND_MET);
  *request.add_relations() = MakeRelation("pcb", "pcb", v1::RELATION_KIND_MET);
  ExpectError(Record(request), grpc::StatusCode::INVALID_ARGUMENT, "relations[1].firm_b");

  request.mutable_relations(1)->set_firm_b("mes");
  request.mutable_relations(1)->set_kind(v1::RELATION_KIND_UNSPECIFIED);
  ExpectError(Record(request), grpc::StatusCode::INVALID_ARGUMENT, "relations[1].kind");
  request.mutable_relations(1)->set_kind(static_cast<v1::RelationKind>(55));
  ExpectError(Record(request), grpc::StatusCode::INVALID_ARGUMENT, "relations[1].kind");

  request.mutable_relations(1)->set_kind(v1::RELATION_KIND_MET);
  request.mutable_relations(1)->set_date("2024-13-45");
  const grpc::Status date = Record(request);
  ExpectError(date, grpc::StatusCode::INVALID_ARGUMENT, "relations[1]");
  EXPECT_THAT(date.error_message(), HasSubstr("date"));

  request.mutable_relations(1)->set_date("");
  request.mutable_relations(1)->set_firm_a("");
  ExpectError(Record(request), grpc::StatusCode::INVALID_ARGUMENT, "relations[1].firm_a");

  request.mutable_relations(1)->set_firm_a("no-such-firm");
  ExpectError(Record(request), grpc::StatusCode::NOT_FOUND, "relations[1].firm_a");

  v1::RecordRelationsRequest too_many;
  for (int i = 0; i < 1001; ++i)
    *too_many.add_relations() = MakeRelation("pcb", "iot", v1::RELATION_KIND_MET);
  ExpectError(Record(too_many), grpc::StatusCode::RESOURCE_EXHAUSTED, "relations");
  EXPECT_TRUE(StateOf(env().engine()) == before);

  too_many.mutable_relations()->RemoveLast();
  EXPECT_TRUE(Record(too_many).ok());
  EXPECT_EQ(env().engine().Stats().relations, before.relations.size() + 1000);
}

TEST_F(GrpcErrorsTest, UnknownFirmsAreNotFoundNamingTheField) {
  const StoreState before = StateOf(env().engine());
  v1::GetFirmRequest get;
  get.set_id("no-such-firm");
  ExpectError(env().Call(Token("reader"), env().firms(), &v1::FirmService::Stub::GetFirm, get),
              grpc::StatusCode::NOT_FOUND, "id");
  v1::DeleteFirmRequest remove;
  remove.set_id("no-such-firm");
  ExpectError(
      env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::DeleteFirm, remove),
      grpc::StatusCode::NOT_FOUND, "id");
  v1::Firm firm = GoodFirm("no-such-firm");
  ExpectError(Update(firm, {"description"}), grpc::StatusCode::NOT_FOUND, "firm.id");
  ExpectError(Update(firm, {}), grpc::StatusCode::NOT_FOUND, "firm.id");
  v1::RecommendRequest recommend;
  recommend.set_firm_id("no-such-firm");
  ExpectError(Recommend(recommend), grpc::StatusCode::NOT_FOUND, "firm_id");
  v1::ListRelationsRequest relations;
  relations.set_firm_id("no-such-firm");
  ExpectError(ListRelations(relations), grpc::StatusCode::NOT_FOUND, "firm_id");
  v1::RecordRelationsRequest record;
  *record.add_relations() = MakeRelation("pcb", "no-such-firm", v1::RELATION_KIND_MET);
  ExpectError(Record(record), grpc::StatusCode::NOT_FOUND, "relations[0].firm_b");
  v1::RevokeKeyRequest revoke;
  revoke.set_id("000000000000");
  const grpc::Status revoked =
      env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::RevokeKey, revoke);
  EXPECT_EQ(revoked.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(revoked);
  EXPECT_TRUE(StateOf(env().engine()) == before);
}

TEST_F(GrpcErrorsTest, CreatingAFirmTwiceIsAlreadyExists) {
  ASSERT_TRUE(Create(GoodFirm("twice")).ok());
  const StoreState before = StateOf(env().engine());
  v1::Firm changed = GoodFirm("twice");
  changed.set_description("a different profile with the same id");
  ExpectError(Create(changed), grpc::StatusCode::ALREADY_EXISTS, "firm.id");
  ExpectError(Create(GoodFirm("pcb")), grpc::StatusCode::ALREADY_EXISTS, "firm.id");
  EXPECT_TRUE(StateOf(env().engine()) == before);
}

TEST_F(GrpcErrorsTest, BadAdminRequestsNameTheField) {
  const size_t keys = env().keys().size();
  v1::CreateKeyRequest create;
  ExpectError(env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::CreateKey, create),
              grpc::StatusCode::INVALID_ARGUMENT, "role");
  create.set_role(v1::KEY_ROLE_READER);
  create.set_scope(static_cast<v1::KeyScope>(9));
  ExpectError(env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::CreateKey, create),
              grpc::StatusCode::INVALID_ARGUMENT, "scope");
  create.set_scope(v1::KEY_SCOPE_PUBLIC);
  create.set_label(std::string(257, 'l'));
  ExpectError(env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::CreateKey, create),
              grpc::StatusCode::INVALID_ARGUMENT, "label");
  EXPECT_EQ(env().keys().size(), keys);
  EXPECT_EQ(env().engine().ListApiKeys()->size(), keys);
}

TEST_F(GrpcErrorsTest, OversizedImportMessageIsResourceExhaustedAndWritesNothing) {
  const StoreState before = StateOf(env().engine());
  v1::ImportFirmsRequest big;
  for (int i = 0; i < 1001; ++i) *big.add_firms() = GoodFirm("bulk-" + std::to_string(i));
  ExpectError(env().Import(Token("writer"), {big}), grpc::StatusCode::RESOURCE_EXHAUSTED,
              "messages[0].firms");
  // The same after a good first message.
  v1::ImportFirmsRequest small;
  *small.add_firms() = GoodFirm("bulk-first");
  ExpectError(env().Import(Token("writer"), {small, big}), grpc::StatusCode::RESOURCE_EXHAUSTED,
              "messages[1].firms");
  EXPECT_TRUE(StateOf(env().engine()) == before);
}

TEST_F(GrpcErrorsTest, ForgedAndMismatchedPageTokensAreInvalidArgument) {
  v1::ListFirmsRequest list;
  list.set_page_size(3);
  v1::ListFirmsResponse first;
  ASSERT_TRUE(ListFirms(list, &first).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  const std::string token = first.next_page_token();

  for (const std::string& forged :
       std::vector<std::string>{"not-a-token", "AAAA", "!!!!", "MQ", token.substr(0, 10),
                                token + "x", std::string(5000, 'A')}) {
    SCOPED_TRACE(forged);
    v1::ListFirmsRequest request = list;
    request.set_page_token(forged);
    ExpectError(ListFirms(request), grpc::StatusCode::INVALID_ARGUMENT, "page_token");
  }
  // The token of an unfiltered listing with a filter.
  v1::ListFirmsRequest filtered = list;
  filtered.set_page_token(token);
  filtered.mutable_filter()->add_mini_clusters("ICT");
  ExpectError(ListFirms(filtered), grpc::StatusCode::INVALID_ARGUMENT, "page_token");
  // In another method.
  v1::ListRelationsRequest relations;
  relations.set_page_token(token);
  ExpectError(ListRelations(relations), grpc::StatusCode::INVALID_ARGUMENT, "page_token");
  // A relations token for all firms, replayed for one firm.
  v1::ListRelationsRequest of_all;
  of_all.set_page_size(1);
  v1::ListRelationsResponse relation_page;
  ASSERT_TRUE(ListRelations(of_all, &relation_page).ok());
  ASSERT_FALSE(relation_page.next_page_token().empty());
  v1::ListRelationsRequest of_mes = of_all;
  of_mes.set_firm_id("mes");
  of_mes.set_page_token(relation_page.next_page_token());
  ExpectError(ListRelations(of_mes), grpc::StatusCode::INVALID_ARGUMENT, "page_token");
  // A token altered in its cursor part.
  for (const std::string& altered :
       std::vector<std::string>{token + "x", token + "AA", token.substr(0, token.size() - 1)}) {
    SCOPED_TRACE(altered);
    v1::ListFirmsRequest request = list;
    request.set_page_token(altered);
    ExpectError(ListFirms(request), grpc::StatusCode::INVALID_ARGUMENT, "page_token");
  }
  // A token made with this request's fingerprint (page_token.h) but a cursor
  // that is not an offset.
  v1::ListRelationsRequest bad_cursor = of_all;
  bad_cursor.clear_page_token();
  bad_cursor.set_page_token(EncodePageToken(RequestFingerprint(bad_cursor), "12abc"));
  ExpectError(ListRelations(bad_cursor), grpc::StatusCode::INVALID_ARGUMENT, "page_token");

  // The genuine token still works, also with another page size.
  v1::ListFirmsRequest next = list;
  next.set_page_token(token);
  next.set_page_size(50);
  EXPECT_TRUE(ListFirms(next).ok());
}

TEST_F(GrpcErrorsTest, DeadlineAlreadyPastIsDeadlineExceeded) {
  const StoreState before = StateOf(env().engine());
  auto past = [&](grpc::ClientContext& context) {
    context.AddMetadata("authorization", "Bearer " + Token("admin"));
    context.set_deadline(std::chrono::system_clock::now() - std::chrono::seconds(1));
  };
  {
    grpc::ClientContext context;
    past(context);
    v1::GetFirmRequest request;
    request.set_id("pcb");
    v1::Firm response;
    EXPECT_EQ(env().firms().GetFirm(&context, request, &response).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  {
    grpc::ClientContext context;
    past(context);
    v1::CreateFirmRequest request;
    *request.mutable_firm() = GoodFirm("late");
    v1::Firm response;
    EXPECT_EQ(env().firms().CreateFirm(&context, request, &response).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  {
    grpc::ClientContext context;
    past(context);
    v1::RecommendRequest request;
    request.set_firm_id("pcb");
    v1::RecommendResponse response;
    EXPECT_EQ(env().matching().Recommend(&context, request, &response).error_code(),
              grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  {
    grpc::ClientContext context;
    past(context);
    v1::ImportFirmsResponse response;
    auto writer = env().firms().ImportFirms(&context, &response);
    v1::ImportFirmsRequest message;
    *message.add_firms() = GoodFirm("late-import");
    writer->Write(message);
    writer->WritesDone();
    EXPECT_EQ(writer->Finish().error_code(), grpc::StatusCode::DEADLINE_EXCEEDED);
  }
  EXPECT_TRUE(StateOf(env().engine()) == before);
}

// Odd text in a string field of every kind of request. Every answer is
// checked by Seen: never INTERNAL or UNKNOWN.
void GrpcErrorsTest::SendEverywhere(const std::string& text) {
  SCOPED_TRACE(::testing::PrintToString(text.substr(0, 20)));
  v1::GetFirmRequest get;
  get.set_id(text);
  Seen(env().Call(Token("admin"), env().firms(), &v1::FirmService::Stub::GetFirm, get));
  v1::Firm firm = GoodFirm(text);
  Seen(Create(firm));
  firm = GoodFirm("odd");
  firm.set_name(text);
  firm.add_clusters(text);
  Seen(Create(firm));
  Seen(Update(firm, {"name"}));
  v1::RecommendRequest recommend;
  *recommend.mutable_profile() = firm;
  Seen(Recommend(recommend));
  recommend.set_firm_id(text);
  Seen(Recommend(recommend));
  v1::SearchRequest search;
  search.set_query(text);
  search.mutable_filter()->add_regions(text);
  Seen(Search(search));
  v1::ListFirmsRequest list;
  list.set_page_token(text);
  list.mutable_filter()->add_clusters(text);
  Seen(ListFirms(list));
  v1::RecordRelationsRequest record;
  *record.add_relations() = MakeRelation("pcb", "iot", v1::RELATION_KIND_MET);
  record.mutable_relations(0)->set_context(text);
  record.mutable_relations(0)->set_date(text);
  Seen(Record(record));
  v1::ListRelationsRequest relations;
  relations.set_firm_id(text);
  relations.set_page_token(text);
  Seen(ListRelations(relations));
  v1::CreateKeyRequest key;
  key.set_role(v1::KEY_ROLE_READER);
  key.set_cluster(text);
  key.set_label(text);
  Seen(env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::CreateKey, key));
  v1::RevokeKeyRequest revoke;
  revoke.set_id(text);
  Seen(env().Call(Token("admin"), env().admin(), &v1::AdminService::Stub::RevokeKey, revoke));
}

// Odd but well-formed input anywhere: never INTERNAL or UNKNOWN, and the
// fixture's firms are untouched.
TEST_F(GrpcErrorsTest, NoBadInputGivesInternalOrUnknown) {
  const StoreState before = StateOf(env().engine());
  for (const std::string& text : std::vector<std::string>{
           "",
           std::string(1, '\0'),
           "\x01\x02\x7f",
           "\xc2\x80",  // C1 control
           std::string(129, 'z'),
           std::string(5000, 'y'),
           "pcb\t",
           " pcb",
           "\xef\xbb\xbfpcb",  // byte order mark
           "\xf0\x9f\x8f\xad \xea\xb3\xb5\xec\x9e\xa5",
       }) {
    SendEverywhere(text);
  }
  for (const Firm& firm : before.firms) {
    const absl::StatusOr<Firm> now = env().engine().GetFirm(firm.id);
    ASSERT_TRUE(now.ok()) << firm.id;
    EXPECT_TRUE(*now == firm) << firm.id;
  }
}

// Bytes that are not UTF-8 in a proto3 string field (only a client that
// skips protobuf's UTF-8 check can send them): the request cannot be parsed,
// which is the client's fault, INVALID_ARGUMENT, not the server's.
TEST_F(GrpcErrorsTest, InvalidUtf8InAStringFieldIsInvalidArgument) {
  for (const std::string& text : std::vector<std::string>{
           std::string(3, '\xea'),  // lead bytes without continuations
           "\xed\xa0\x80",          // an encoded UTF-16 surrogate
       }) {
    SCOPED_TRACE(::testing::PrintToString(text));
    v1::GetFirmRequest get;
    get.set_id(text);
    const grpc::Status got =
        env().Call(Token("reader"), env().firms(), &v1::FirmService::Stub::GetFirm, get);
    EXPECT_EQ(got.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(got);
    v1::SearchRequest search;
    search.set_query(text);
    const grpc::Status searched = Search(search);
    EXPECT_EQ(searched.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(searched);
  }
}

}  // namespace
}  // namespace clustermatch::grpc_test
