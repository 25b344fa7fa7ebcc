// Shared fixture and helpers of the clustermatch.v1.GroupService tests
// (grpc_groups_access_test.cc and grpc_groups_rules_test.cc, one binary):
// the store's firms (the sample cluster plus the hand-made cluster of
// grpc_test_support.h plus hidden and members-only firms made for grouping),
// a suite-wide in-process server with organiser keys, one call wrapper per
// workflow, the firm ids a response names, and cheap requests of each kind.
// Everything is inline so that both test files share one fixture.
#ifndef CLUSTERMATCH_TESTS_SERVER_GRPC_GROUPS_TEST_SUPPORT_H_
#define CLUSTERMATCH_TESTS_SERVER_GRPC_GROUPS_TEST_SUPPORT_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "clustermatch/v1/group_service.grpc.pb.h"
#include "engine/sample_cluster.h"
#include "gtest/gtest.h"
#include "models/text_normalizer.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {

// A hidden research institute and a hidden company that would be perfect
// founders, consortium members and pool members, and a members-only buyer of
// a material that public firms buy too.
inline constexpr char kHiddenLabOffer[] = "cryogenic testing of superconducting magnets";
inline constexpr char kSharedMaterial[] = "aluminium 6061";

inline std::vector<Firm> GroupFirms() {
  std::vector<Firm> firms = GenerateSampleCluster(SampleOptions{});
  for (Firm& firm : TestFirms()) firms.push_back(std::move(firm));
  Firm lab = testing::MakeFirm("hidden-lab", "ICT", {kHiddenLabOffer, kHiddenOffer},
                               {"industry partner for magnet production"}, {Role::kDevelopment});
  lab.kind = FirmKind::kResearchInstitute;
  lab.materials = {kSharedMaterial, "liquid helium"};
  firms.push_back(WithCluster(std::move(lab), {kGValley}, Visibility::kHidden));
  Firm buyer = testing::MakeFirm("hidden-buyer", "IMT", {"sheet metal enclosures"},
                                 {"aluminium supplier"}, {Role::kProduction});
  buyer.materials = {kSharedMaterial, "stainless steel SUS304"};
  firms.push_back(WithCluster(std::move(buyer), {kGValley}, Visibility::kHidden));
  Firm members = testing::MakeFirm("members-buyer", "IMT", {"die casting of aluminium housings"},
                                   {"aluminium ingot supplier"}, {Role::kProduction});
  members.materials = {kSharedMaterial, "stainless steel SUS304"};
  firms.push_back(WithCluster(std::move(members), {kGValley}, Visibility::kMembers));
  return firms;
}

// A server over GroupFirms() shared by the suite (training a model on 430
// firms per test would be slow). Tests that record relations use pairs of
// their own.
class GrpcGroupsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    firms_ = new std::map<std::string, Firm>();
    EnvOptions options;
    options.firms = GroupFirms();
    if (adjust_firms_ != nullptr) adjust_firms_(options.firms);
    for (const Firm& firm : options.firms) (*firms_)[firm.id] = firm;
    env_ = new GrpcTestEnv(std::move(options));
    if (env_->ok()) {
      groups_ = v1::GroupService::NewStub(env_->channel()).release();
      organiser_gv_ = new TestKey(
          env_->IssueKey(KeyRole::kOrganiser, KeyScope::kPublic, kGValley, "organiser_gv"));
      organiser_members_ = new TestKey(
          env_->IssueKey(KeyRole::kOrganiser, KeyScope::kMembers, "", "organiser_members"));
      organiser_gv_members_ = new TestKey(env_->IssueKey(KeyRole::kOrganiser, KeyScope::kMembers,
                                                         kGValley, "organiser_gv_members"));
    }
  }
  static void TearDownTestSuite() {
    delete groups_;
    groups_ = nullptr;
    delete env_;
    env_ = nullptr;
    delete firms_;
    delete organiser_gv_;
    delete organiser_members_;
    delete organiser_gv_members_;
  }
  void SetUp() override { ASSERT_TRUE(env_ != nullptr && env_->ok() && groups_ != nullptr); }

  GrpcTestEnv& env() { return *env_; }
  v1::GroupService::Stub& groups() { return *groups_; }
  const std::string& Token(const std::string& name) { return env_->Token(name); }
  const Firm& Profile(const std::string& id) {
    auto it = firms_->find(id);
    EXPECT_NE(it, firms_->end()) << "unknown firm " << id;
    static const Firm kNone;
    return it == firms_->end() ? kNone : it->second;
  }
  bool IsHidden(const std::string& id) { return Profile(id).visibility == Visibility::kHidden; }
  bool IsMembers(const std::string& id) { return Profile(id).visibility == Visibility::kMembers; }
  bool InCluster(const std::string& id, const std::string& cluster) {
    return Contains(Profile(id).clusters, cluster);
  }
  // Firms of `visibility` (in `cluster` when given).
  size_t Count(std::set<Visibility> visibilities, const std::string& cluster = "") {
    size_t n = 0;
    for (const auto& [id, firm] : *firms_) {
      if (visibilities.contains(firm.visibility) &&
          (cluster.empty() || Contains(firm.clusters, cluster))) {
        ++n;
      }
    }
    return n;
  }

  grpc::Status Sigs(const std::string& token, const v1::SuggestSigsRequest& request,
                    v1::SuggestSigsResponse* response) {
    return env().Call(token, groups(), &v1::GroupService::Stub::SuggestSigs, request, response,
                      absl::Seconds(120));
  }
  grpc::Status Founders(const std::string& token, const v1::ProposeFoundersRequest& request,
                        v1::ProposeFoundersResponse* response) {
    return env().Call(token, groups(), &v1::GroupService::Stub::ProposeFounders, request, response,
                      absl::Seconds(120));
  }
  grpc::Status Consortium(const std::string& token, const v1::AssembleConsortiumRequest& request,
                          v1::AssembleConsortiumResponse* response) {
    return env().Call(token, groups(), &v1::GroupService::Stub::AssembleConsortium, request,
                      response, absl::Seconds(120));
  }
  grpc::Status Pools(const std::string& token, const v1::FormPurchasingPoolsRequest& request,
                     v1::FormPurchasingPoolsResponse* response) {
    return env().Call(token, groups(), &v1::GroupService::Stub::FormPurchasingPools, request,
                      response, absl::Seconds(120));
  }

  void Record(const std::string& a, const std::string& b, v1::RelationKind kind) {
    v1::RecordRelationsRequest request;
    v1::Relation* relation = request.add_relations();
    relation->set_firm_a(a);
    relation->set_firm_b(b);
    relation->set_kind(kind);
    relation->set_date("2025-01-15");
    v1::RecordRelationsResponse response;
    const grpc::Status status =
        env().Call(Token("admin"), env().feedback(), &v1::FeedbackService::Stub::RecordRelations,
                   request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
    EXPECT_EQ(response.recorded(), 1);
  }

  // Set by a suite before SetUpTestSuite to change the firms it stores.
  static inline void (*adjust_firms_)(std::vector<Firm>& firms) = nullptr;
  static inline GrpcTestEnv* env_ = nullptr;
  static inline v1::GroupService::Stub* groups_ = nullptr;
  static inline std::map<std::string, Firm>* firms_ = nullptr;
  static inline TestKey* organiser_gv_ = nullptr;
  static inline TestKey* organiser_members_ = nullptr;
  static inline TestKey* organiser_gv_members_ = nullptr;
};

// ---- Every firm id a response names, wherever it names one.

inline std::vector<std::string> SigIds(const v1::SuggestSigsResponse& r,
                                       bool with_unplaced = true) {
  std::vector<std::string> ids;
  for (const v1::Sig& sig : r.sigs()) {
    for (const v1::SigMember& m : sig.members()) ids.push_back(m.firm().id());
  }
  if (with_unplaced) {
    for (const v1::UnplacedFirm& u : r.unplaced()) ids.push_back(u.firm_id());
  }
  return ids;
}
inline std::vector<std::string> FounderIds(const v1::ProposeFoundersResponse& r) {
  std::vector<std::string> ids;
  for (const v1::Founder& f : r.founders()) ids.push_back(f.firm().id());
  for (const v1::SubAreaCoverage& c : r.coverage()) {
    if (!c.firm_id().empty()) ids.push_back(c.firm_id());
  }
  return ids;
}
inline std::vector<std::string> TeamIds(const v1::AssembleConsortiumResponse& r) {
  std::vector<std::string> ids;
  for (const v1::ConsortiumMember& m : r.members()) ids.push_back(m.firm().id());
  return ids;
}
inline std::vector<std::string> ConsortiumIds(const v1::AssembleConsortiumResponse& r) {
  std::vector<std::string> ids = TeamIds(r);
  for (const v1::RequirementCoverage& c : r.requirements()) {
    if (!c.firm_id().empty()) ids.push_back(c.firm_id());
  }
  return ids;
}
inline std::vector<std::string> PoolIds(const v1::FormPurchasingPoolsResponse& r) {
  std::vector<std::string> ids;
  for (const v1::PurchasingPool& pool : r.pools()) {
    for (const v1::GroupFirm& m : pool.members()) ids.push_back(m.id());
  }
  for (const v1::PoolLeftOut& l : r.left_out()) ids.push_back(l.firm_id());
  return ids;
}

inline std::string Normalised(const std::string& text) {
  absl::StatusOr<std::string> normalised = NormalizeText(text);
  EXPECT_TRUE(normalised.ok()) << normalised.status();
  return normalised.ok() ? *normalised : text;
}

// Cheap requests of each kind, for the role checks.
inline v1::SuggestSigsRequest SmallSigs() {
  v1::SuggestSigsRequest request;
  request.mutable_filter()->add_mini_clusters("DC");
  return request;
}
inline v1::ProposeFoundersRequest SmallFounders() {
  v1::ProposeFoundersRequest request;
  request.set_topic("immersive VR content, motion capture and 3D animation");
  request.set_size(4);
  return request;
}
inline v1::AssembleConsortiumRequest SmallConsortium() {
  v1::AssembleConsortiumRequest request;
  request.add_capabilities("contract PCB assembly");
  request.add_capabilities("IoT sensor hardware design");
  return request;
}

}  // namespace clustermatch::grpc_test

#endif  // CLUSTERMATCH_TESTS_SERVER_GRPC_GROUPS_TEST_SUPPORT_H_
