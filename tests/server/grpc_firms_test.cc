// FirmService over gRPC: create, get, update with a field mask, delete,
// paged listing with a filter, and the streamed import that writes all or
// nothing.
#include <algorithm>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "engine/access_policy.h"
#include "engine/sample_cluster.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/firm_proto_converter.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::google::protobuf::util::MessageDifferencer;
using ::testing::HasSubstr;
using ::testing::StartsWith;

v1::Firm FullFirm(const std::string& id) {
  v1::Firm firm;
  firm.set_id(id);
  firm.set_name("Hanbit Robotics 한빛로보틱스");
  firm.set_description("Vision-guided robot cells for small factories.");
  firm.set_kind(v1::FIRM_KIND_COMPANY);
  firm.add_clusters(kGValley);
  firm.set_mini_cluster("IMT");
  firm.add_industries("C29");
  firm.add_technologies("machine vision");
  firm.add_technologies("ROS");
  firm.add_products("pick-and-place cell");
  firm.add_offers("robot cell integration for assembly lines");
  firm.add_offers("machine vision inspection");
  firm.add_needs("servo motor supplier");
  firm.add_roles(v1::ROLE_DEVELOPMENT);
  firm.add_roles(v1::ROLE_PRODUCTION);
  firm.add_materials("aluminium profiles");
  firm.add_markets("Vietnam");
  firm.set_region("Seoul Guro-gu");
  firm.set_employees(42);
  firm.set_founded(2011);
  firm.set_visibility(v1::VISIBILITY_PUBLIC);
  return firm;
}

std::string Diff(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  std::string report;
  MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&report);
  differencer.Compare(a, b);
  return report;
}

class GrpcFirmsTest : public GrpcTest {
 protected:
  grpc::Status Get(const std::string& id, v1::Firm* firm, const std::string& key = "reader") {
    v1::GetFirmRequest request;
    request.set_id(id);
    return env().Call(Token(key), env().firms(), &v1::FirmService::Stub::GetFirm, request, firm);
  }
  grpc::Status Update(const v1::Firm& firm, const std::vector<std::string>& mask,
                      v1::Firm* response) {
    v1::UpdateFirmRequest request;
    *request.mutable_firm() = firm;
    for (const std::string& path : mask) request.mutable_update_mask()->add_paths(path);
    return env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::UpdateFirm, request,
                      response);
  }
  std::vector<std::string> SearchIds(const std::string& text) {
    v1::SearchRequest request;
    request.set_query(text);
    request.set_k(5);
    v1::SearchResponse response;
    const grpc::Status status = env().Call(Token("reader"), env().matching(),
                                           &v1::MatchingService::Stub::Search, request, &response);
    EXPECT_TRUE(status.ok()) << Describe(status);
    return ResultIds(response.results());
  }
};

TEST_F(GrpcFirmsTest, CreateThenGetReturnsTheSameProfile) {
  const v1::Firm firm = FullFirm("hanbit");
  v1::CreateFirmRequest request;
  *request.mutable_firm() = firm;
  v1::Firm created;
  const grpc::Status status = env().Call(Token("writer"), env().firms(),
                                         &v1::FirmService::Stub::CreateFirm, request, &created);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(MessageDifferencer::Equals(created, firm)) << Diff(created, firm);

  v1::Firm got;
  ASSERT_TRUE(Get("hanbit", &got).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(got, firm)) << Diff(got, firm);
  const absl::StatusOr<Firm> stored = env().engine().GetFirm("hanbit");
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(MessageDifferencer::Equals(ToProto(*stored), firm));
  // Indexed at once: a search for its offer finds it.
  const std::vector<std::string> found = SearchIds("robot cell integration for assembly lines");
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front(), "hanbit");
}

TEST_F(GrpcFirmsTest, UpdateChangesOnlyMaskedFieldsAndReplacesRepeatedOnes) {
  v1::Firm before;
  ASSERT_TRUE(Get("machining", &before).ok());
  ASSERT_EQ(before.offers_size(), 2);

  v1::Firm change;
  change.set_id("machining");
  change.set_description("Now with five-axis machines.");
  change.add_offers("five-axis titanium milling for aerospace brackets");
  // Not in the mask: must not be applied.
  change.set_name("IGNORED NAME");
  change.add_needs("IGNORED NEED");
  change.set_employees(999);
  v1::Firm updated;
  const grpc::Status status = Update(change, {"description", "offers"}, &updated);
  ASSERT_TRUE(status.ok()) << Describe(status);

  v1::Firm expected = before;
  expected.set_description("Now with five-axis machines.");
  expected.clear_offers();
  expected.add_offers("five-axis titanium milling for aerospace brackets");
  EXPECT_TRUE(MessageDifferencer::Equals(updated, expected)) << Diff(updated, expected);
  v1::Firm got;
  ASSERT_TRUE(Get("machining", &got).ok());
  EXPECT_TRUE(MessageDifferencer::Equals(got, expected)) << Diff(got, expected);
  // The index follows: a search for the new offer finds the firm first.
  const std::vector<std::string> found =
      SearchIds("five-axis titanium milling for aerospace brackets");
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front(), "machining");

  // An empty repeated field in the mask clears it.
  v1::Firm clear;
  clear.set_id("machining");
  ASSERT_TRUE(Update(clear, {"technologies", "materials"}, &updated).ok());
  EXPECT_EQ(updated.technologies_size(), 0);
  EXPECT_EQ(updated.materials_size(), 0);
  EXPECT_EQ(updated.offers_size(), 1);
  EXPECT_EQ(updated.name(), before.name());
}

TEST_F(GrpcFirmsTest, StarOrEmptyMaskReplacesEveryField) {
  for (const std::vector<std::string>& mask :
       {std::vector<std::string>{"*"}, std::vector<std::string>{}}) {
    SCOPED_TRACE(mask.empty() ? "empty mask" : "*");
    v1::Firm replacement;
    replacement.set_id("machining");
    replacement.set_name("Machining, replaced");
    replacement.add_clusters(kGValley);
    replacement.add_offers(mask.empty() ? "laser cutting of sheet metal"
                                        : "waterjet cutting of stone");
    replacement.set_visibility(v1::VISIBILITY_PUBLIC);
    v1::Firm updated;
    const grpc::Status status = Update(replacement, mask, &updated);
    ASSERT_TRUE(status.ok()) << Describe(status);
    EXPECT_TRUE(MessageDifferencer::Equals(updated, replacement)) << Diff(updated, replacement);
    v1::Firm got;
    ASSERT_TRUE(Get("machining", &got).ok());
    EXPECT_TRUE(MessageDifferencer::Equals(got, replacement)) << Diff(got, replacement);
  }
}

TEST_F(GrpcFirmsTest, UpdateCanHideAFirmFromOtherCallers) {
  v1::Firm change;
  change.set_id("pcb");
  change.set_visibility(v1::VISIBILITY_HIDDEN);
  v1::Firm updated;
  ASSERT_TRUE(Update(change, {"visibility"}, &updated).ok());
  v1::Firm got;
  EXPECT_EQ(Get("pcb", &got).error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Get("pcb", &got, "admin").ok());
  EXPECT_FALSE(grpc_test::Contains(SearchIds("contract PCB assembly and SMT"), "pcb"));
  // The writer can no longer see it, so it cannot change it back either.
  change.set_visibility(v1::VISIBILITY_PUBLIC);
  EXPECT_EQ(Update(change, {"visibility"}, &updated).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(GrpcFirmsTest, DeleteRemovesTheFirmAndItsRelations) {
  const size_t relations = env().engine().ListRelations("machining").size();
  const size_t all = env().engine().ListRelations().size();
  ASSERT_GT(relations, 0u);
  ASSERT_GT(all, relations);
  v1::DeleteFirmRequest request;
  request.set_id("machining");
  const grpc::Status status =
      env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::DeleteFirm, request);
  ASSERT_TRUE(status.ok()) << Describe(status);
  v1::Firm got;
  const grpc::Status get = Get("machining", &got, "admin");
  EXPECT_EQ(get.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(get);
  EXPECT_FALSE(grpc_test::Contains(env().StoredIds(), "machining"));
  EXPECT_FALSE(grpc_test::Contains(SearchIds("CNC machining of aluminium parts precision milling"),
                                   "machining"));
  EXPECT_TRUE(env().engine().ListRelations("machining").empty());
  EXPECT_EQ(env().engine().ListRelations().size(), all - relations);
  // Deleting again: gone.
  const grpc::Status again =
      env().Call(Token("writer"), env().firms(), &v1::FirmService::Stub::DeleteFirm, request);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::NOT_FOUND) << Describe(again);
}

// Listing a larger store page by page.
class GrpcFirmListTest : public GrpcTest {
 protected:
  EnvOptions Options() override {
    EnvOptions options;
    options.firms = GenerateSampleCluster(SampleOptions{.firms = 160, .seed = 7});
    options.relations.clear();
    return options;
  }

  // Every page of a listing with `filter`, checking the page sizes.
  std::vector<std::string> ListInPages(const std::string& key, const v1::FirmFilter& filter,
                                       int page_size, int* pages) {
    std::vector<std::string> ids;
    v1::ListFirmsRequest request;
    request.set_page_size(page_size);
    *request.mutable_filter() = filter;
    *pages = 0;
    while (*pages < 1000) {
      v1::ListFirmsResponse response;
      const grpc::Status status = env().Call(Token(key), env().firms(),
                                             &v1::FirmService::Stub::ListFirms, request, &response);
      EXPECT_TRUE(status.ok()) << Describe(status);
      if (!status.ok()) break;
      ++*pages;
      EXPECT_LE(response.firms_size(), page_size);
      if (!response.next_page_token().empty()) {
        EXPECT_EQ(response.firms_size(), page_size);
      }
      for (const v1::Firm& firm : response.firms()) ids.push_back(firm.id());
      if (response.next_page_token().empty()) break;
      request.set_page_token(response.next_page_token());
    }
    return ids;
  }

  std::vector<std::string> Expected(const AccessScope& access, const SearchFilter& filter) {
    std::vector<std::string> ids;
    for (const Firm& firm : env().engine().ListFirms()) {
      if (CanSee(access, firm) && FirmPassesFilter(firm, filter)) ids.push_back(firm.id);
    }
    return ids;
  }
};

TEST_F(GrpcFirmListTest, PagesOfSevenWithAFilterListEveryMatchingFirmExactlyOnce) {
  v1::FirmFilter filter;
  filter.add_mini_clusters("ICT");
  filter.add_mini_clusters("DC");
  SearchFilter engine_filter;
  engine_filter.mini_clusters_any = {"ICT", "DC"};

  struct Caller {
    std::string key;
    AccessScope access;
  };
  for (const Caller& caller :
       {Caller{"reader", {KeyRole::kReader, KeyScope::kPublic, ""}},
        Caller{"reader_members", {KeyRole::kReader, KeyScope::kMembers, ""}},
        Caller{"admin", {KeyRole::kAdmin, KeyScope::kPublic, ""}},
        Caller{"reader_gv", {KeyRole::kReader, KeyScope::kPublic, kGValley}}}) {
    SCOPED_TRACE(caller.key);
    int pages = 0;
    const std::vector<std::string> ids = ListInPages(caller.key, filter, 7, &pages);
    const std::vector<std::string> expected = Expected(caller.access, engine_filter);
    ASSERT_GT(expected.size(), 14u);
    EXPECT_EQ(ids, expected);  // ordered by id, each once
    EXPECT_EQ(pages, static_cast<int>((expected.size() + 6) / 7));
  }
  // Without a filter, too.
  int pages = 0;
  EXPECT_EQ(ListInPages("admin", v1::FirmFilter(), 7, &pages),
            Expected({KeyRole::kAdmin, KeyScope::kPublic, ""}, SearchFilter()));
}

TEST_F(GrpcFirmListTest, PageSizeMayChangeBetweenPages) {
  v1::ListFirmsRequest request;
  request.set_page_size(7);
  v1::ListFirmsResponse first;
  // admin_members sees every firm, hidden and members-only ones included.
  ASSERT_TRUE(env()
                  .Call(Token("admin_members"), env().firms(), &v1::FirmService::Stub::ListFirms,
                        request, &first)
                  .ok());
  request.set_page_token(first.next_page_token());
  request.set_page_size(1000);
  v1::ListFirmsResponse rest;
  ASSERT_TRUE(env()
                  .Call(Token("admin_members"), env().firms(), &v1::FirmService::Stub::ListFirms,
                        request, &rest)
                  .ok());
  EXPECT_TRUE(rest.next_page_token().empty());
  std::vector<std::string> ids = FirmIds(first.firms());
  for (const std::string& id : FirmIds(rest.firms())) ids.push_back(id);
  EXPECT_EQ(ids, env().StoredIds());
}

// ---- ImportFirms.

v1::Firm ImportedFirm(int i) {
  Firm firm = testing::MakeFirm("imp-" + std::to_string(100 + i), i % 2 == 0 ? "ICT" : "DC",
                                {"imported capability number " + std::to_string(i)},
                                {"imported need number " + std::to_string(i)});
  return ToProto(firm);
}

TEST_F(GrpcFirmsTest, ImportStreamsSeveralMessagesAndWritesThemAll) {
  const size_t before = env().engine().Stats().firms;
  std::vector<v1::ImportFirmsRequest> messages(3);
  for (int i = 0; i < 12; ++i) *messages[i / 4].add_firms() = ImportedFirm(i);
  // One existing firm replaced in the last message.
  v1::Firm pcb;
  ASSERT_TRUE(Get("pcb", &pcb).ok());
  pcb.set_description("replaced by import");
  *messages[2].add_firms() = pcb;

  v1::ImportFirmsResponse response;
  const grpc::Status status = env().Import(Token("writer"), messages, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.created(), 12);
  EXPECT_EQ(response.updated(), 1);
  EXPECT_GT(response.model_version(), 0);
  EXPECT_EQ(env().engine().Stats().firms, before + 12);
  for (int i = 0; i < 12; ++i) {
    v1::Firm got;
    ASSERT_TRUE(Get("imp-" + std::to_string(100 + i), &got).ok()) << i;
    EXPECT_TRUE(MessageDifferencer::Equals(got, ImportedFirm(i))) << Diff(got, ImportedFirm(i));
  }
  v1::Firm got;
  ASSERT_TRUE(Get("pcb", &got).ok());
  EXPECT_EQ(got.description(), "replaced by import");
}

TEST_F(GrpcFirmsTest, ABadFirmInTheThirdMessageNamesItAndWritesNothing) {
  const std::vector<Firm> before = env().engine().ListFirms();
  std::vector<v1::ImportFirmsRequest> messages(4);
  for (int i = 0; i < 16; ++i) *messages[i / 4].add_firms() = ImportedFirm(i);
  // messages[2].firms[1]: a repeated offer.
  messages[2].mutable_firms(1)->add_offers(messages[2].firms(1).offers(0));
  v1::ImportFirmsResponse response;
  grpc::Status status = env().Import(Token("writer"), messages, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_THAT(status.error_message(), StartsWith("messages[2].firms[1].offers[1]"));
  EXPECT_EQ(env().engine().ListFirms(), before);

  // An unknown enum value is named the same way.
  messages[2].mutable_firms(1)->mutable_offers()->RemoveLast();
  messages[2].mutable_firms(3)->set_kind(static_cast<v1::FirmKind>(40));
  status = env().Import(Token("writer"), messages, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_THAT(status.error_message(), StartsWith("messages[2].firms[3].kind"));
  EXPECT_EQ(env().engine().ListFirms(), before);

  // The same id twice in one stream writes nothing either.
  messages[2].mutable_firms(3)->set_kind(v1::FIRM_KIND_COMPANY);
  *messages[3].add_firms() = ImportedFirm(0);
  status = env().Import(Token("writer"), messages, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("imp-100"));
  EXPECT_EQ(env().engine().ListFirms(), before);

  // Fixed, the same stream goes through.
  messages[3].mutable_firms()->RemoveLast();
  status = env().Import(Token("writer"), messages, &response);
  EXPECT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.created(), 16);
}

TEST_F(GrpcFirmsTest, EmptyImportStreamWritesNothing) {
  const std::vector<Firm> before = env().engine().ListFirms();
  v1::ImportFirmsResponse response;
  const grpc::Status status = env().Import(Token("writer"), {}, &response);
  EXPECT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(response.created(), 0);
  EXPECT_EQ(response.updated(), 0);
  EXPECT_EQ(env().engine().ListFirms(), before);
}

}  // namespace
}  // namespace clustermatch::grpc_test
