// clustermatch.v1.GroupService through a real in-process server with real
// keys: the sample cluster (420 firms, some hidden or members-only) plus the
// hand-made cluster of grpc_test_support.h in one store. Checks who may call,
// that hidden firms never appear in a group and members-only firms only for
// members-scope keys, cluster limits, the rules of each workflow (sizes,
// convergence, research members, sub-areas, gaps, lead, competitors,
// do-not-match, materials), errors naming the field, and determinism.
#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "clustermatch/v1/group_service.grpc.pb.h"
#include "engine/sample_cluster.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "models/text_normalizer.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A hidden research institute and a hidden company that would be perfect
// founders, consortium members and pool members, and a members-only buyer of
// a material that public firms buy too.
constexpr char kHiddenLabOffer[] = "cryogenic testing of superconducting magnets";
constexpr char kSharedMaterial[] = "aluminium 6061";

std::vector<Firm> GroupFirms() {
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

  static GrpcTestEnv* env_;
  static v1::GroupService::Stub* groups_;
  static std::map<std::string, Firm>* firms_;
  static TestKey* organiser_gv_;
  static TestKey* organiser_members_;
  static TestKey* organiser_gv_members_;
};

GrpcTestEnv* GrpcGroupsTest::env_ = nullptr;
v1::GroupService::Stub* GrpcGroupsTest::groups_ = nullptr;
std::map<std::string, Firm>* GrpcGroupsTest::firms_ = nullptr;
TestKey* GrpcGroupsTest::organiser_gv_ = nullptr;
TestKey* GrpcGroupsTest::organiser_members_ = nullptr;
TestKey* GrpcGroupsTest::organiser_gv_members_ = nullptr;

// ---- Every firm id a response names, wherever it names one.

std::vector<std::string> SigIds(const v1::SuggestSigsResponse& r, bool with_unplaced = true) {
  std::vector<std::string> ids;
  for (const v1::Sig& sig : r.sigs()) {
    for (const v1::SigMember& m : sig.members()) ids.push_back(m.firm().id());
  }
  if (with_unplaced) {
    for (const v1::UnplacedFirm& u : r.unplaced()) ids.push_back(u.firm_id());
  }
  return ids;
}
std::vector<std::string> FounderIds(const v1::ProposeFoundersResponse& r) {
  std::vector<std::string> ids;
  for (const v1::Founder& f : r.founders()) ids.push_back(f.firm().id());
  for (const v1::SubAreaCoverage& c : r.coverage()) {
    if (!c.firm_id().empty()) ids.push_back(c.firm_id());
  }
  return ids;
}
std::vector<std::string> TeamIds(const v1::AssembleConsortiumResponse& r) {
  std::vector<std::string> ids;
  for (const v1::ConsortiumMember& m : r.members()) ids.push_back(m.firm().id());
  return ids;
}
std::vector<std::string> ConsortiumIds(const v1::AssembleConsortiumResponse& r) {
  std::vector<std::string> ids = TeamIds(r);
  for (const v1::RequirementCoverage& c : r.requirements()) {
    if (!c.firm_id().empty()) ids.push_back(c.firm_id());
  }
  return ids;
}
std::vector<std::string> PoolIds(const v1::FormPurchasingPoolsResponse& r) {
  std::vector<std::string> ids;
  for (const v1::PurchasingPool& pool : r.pools()) {
    for (const v1::GroupFirm& m : pool.members()) ids.push_back(m.id());
  }
  for (const v1::PoolLeftOut& l : r.left_out()) ids.push_back(l.firm_id());
  return ids;
}

std::string Normalised(const std::string& text) {
  absl::StatusOr<std::string> normalised = NormalizeText(text);
  EXPECT_TRUE(normalised.ok()) << normalised.status();
  return normalised.ok() ? *normalised : text;
}

// Cheap requests of each kind, for the role checks.
v1::SuggestSigsRequest SmallSigs() {
  v1::SuggestSigsRequest request;
  request.mutable_filter()->add_mini_clusters("DC");
  return request;
}
v1::ProposeFoundersRequest SmallFounders() {
  v1::ProposeFoundersRequest request;
  request.set_topic("immersive VR content, motion capture and 3D animation");
  request.set_size(4);
  return request;
}
v1::AssembleConsortiumRequest SmallConsortium() {
  v1::AssembleConsortiumRequest request;
  request.add_capabilities("contract PCB assembly");
  request.add_capabilities("IoT sensor hardware design");
  return request;
}

TEST_F(GrpcGroupsTest, ReadersAndWritersAreDeniedOrganisersAndAdminsMayGroup) {
  for (const std::string name :
       {"reader", "writer", "reader_members", "writer_members", "reader_gv", "writer_gv"}) {
    SCOPED_TRACE(name);
    v1::SuggestSigsResponse sigs;
    EXPECT_EQ(Sigs(Token(name), SmallSigs(), &sigs).error_code(), grpc::PERMISSION_DENIED);
    v1::ProposeFoundersResponse founders;
    EXPECT_EQ(Founders(Token(name), SmallFounders(), &founders).error_code(),
              grpc::PERMISSION_DENIED);
    v1::AssembleConsortiumResponse consortium;
    EXPECT_EQ(Consortium(Token(name), SmallConsortium(), &consortium).error_code(),
              grpc::PERMISSION_DENIED);
    v1::FormPurchasingPoolsResponse pools;
    EXPECT_EQ(Pools(Token(name), v1::FormPurchasingPoolsRequest(), &pools).error_code(),
              grpc::PERMISSION_DENIED);
  }
  for (const std::string name : {"organiser", "admin"}) {
    SCOPED_TRACE(name);
    v1::SuggestSigsResponse sigs;
    grpc::Status status = Sigs(Token(name), SmallSigs(), &sigs);
    EXPECT_TRUE(status.ok()) << Describe(status);
    EXPECT_FALSE(sigs.sigs().empty());
    v1::ProposeFoundersResponse founders;
    status = Founders(Token(name), SmallFounders(), &founders);
    EXPECT_TRUE(status.ok()) << Describe(status);
    EXPECT_EQ(founders.founders_size(), 4);
    v1::AssembleConsortiumResponse consortium;
    status = Consortium(Token(name), SmallConsortium(), &consortium);
    EXPECT_TRUE(status.ok()) << Describe(status);
    EXPECT_GE(consortium.members_size(), 3);
    v1::FormPurchasingPoolsResponse pools;
    status = Pools(Token(name), v1::FormPurchasingPoolsRequest(), &pools);
    EXPECT_TRUE(status.ok()) << Describe(status);
    EXPECT_FALSE(pools.pools().empty());
  }
  // No key at all.
  v1::SuggestSigsResponse sigs;
  EXPECT_EQ(Sigs("", SmallSigs(), &sigs).error_code(), grpc::UNAUTHENTICATED);
}

TEST_F(GrpcGroupsTest, HiddenFirmsAreInNoGroupEvenWhenTheyAreExactlyWhatIsAskedFor) {
  for (const std::string& token :
       {Token("organiser"), Token("admin"), Token("admin_members"), organiser_members_->token}) {
    v1::SuggestSigsResponse sigs;
    grpc::Status status = Sigs(token, v1::SuggestSigsRequest(), &sigs);
    ASSERT_TRUE(status.ok()) << Describe(status);
    for (const std::string& id : SigIds(sigs)) EXPECT_FALSE(IsHidden(id)) << id;

    v1::ProposeFoundersRequest founder_request;
    founder_request.set_size(5);
    for (const std::string& topic : {std::string(kHiddenOffer), std::string(kHiddenLabOffer),
                                     std::string(kHiddenLabOffer) + ", " + kHiddenOffer}) {
      SCOPED_TRACE(topic);
      founder_request.set_topic(topic);
      v1::ProposeFoundersResponse founders;
      status = Founders(token, founder_request, &founders);
      ASSERT_TRUE(status.ok()) << Describe(status);
      EXPECT_FALSE(founders.founders().empty());
      for (const std::string& id : FounderIds(founders)) EXPECT_FALSE(IsHidden(id)) << id;
      for (const v1::Founder& f : founders.founders()) {
        for (const std::string& reason : f.reasons()) {
          EXPECT_THAT(reason, Not(HasSubstr("hidden-lab")));
          EXPECT_THAT(reason, Not(HasSubstr("gv-hidden")));
        }
      }
    }

    v1::AssembleConsortiumRequest consortium_request;
    consortium_request.add_capabilities(kHiddenOffer);
    consortium_request.add_capabilities(kHiddenLabOffer);
    consortium_request.add_capabilities("contract PCB assembly");
    v1::AssembleConsortiumResponse consortium;
    status = Consortium(token, consortium_request, &consortium);
    ASSERT_TRUE(status.ok()) << Describe(status);
    for (const std::string& id : ConsortiumIds(consortium)) EXPECT_FALSE(IsHidden(id)) << id;
    for (const v1::RequirementCoverage& c : consortium.requirements()) {
      EXPECT_NE(c.evidence(), kHiddenOffer);
      EXPECT_NE(c.evidence(), kHiddenLabOffer);
    }

    for (const std::string lead : {"gv-hidden", "dmc-hidden", "hidden-lab", "GV-0001"}) {
      SCOPED_TRACE(lead);
      ASSERT_TRUE(IsHidden(lead));
      v1::AssembleConsortiumRequest led = SmallConsortium();
      led.set_lead_firm_id(lead);
      status = Consortium(token, led, &consortium);
      EXPECT_EQ(status.error_code(), grpc::NOT_FOUND) << Describe(status);
      EXPECT_THAT(status.error_message(), HasSubstr("lead_firm"));
    }

    v1::FormPurchasingPoolsResponse pools;
    status = Pools(token, v1::FormPurchasingPoolsRequest(), &pools);
    ASSERT_TRUE(status.ok()) << Describe(status);
    for (const std::string& id : PoolIds(pools)) EXPECT_FALSE(IsHidden(id)) << id;

    // Listing a hidden firm for a SIG is NOT_FOUND like an unknown one.
    v1::SuggestSigsRequest listed;
    for (const std::string id : {"mes", "gv-hidden", "vr", "expo", "battery", "bms"}) {
      listed.add_firm_ids(id);
    }
    status = Sigs(token, listed, &sigs);
    EXPECT_EQ(status.error_code(), grpc::NOT_FOUND) << Describe(status);
    EXPECT_THAT(status.error_message(), HasSubstr("firm_ids[1]"));
  }
}

TEST_F(GrpcGroupsTest, MembersOnlyFirmsAreGroupedOnlyForMembersScopeKeys) {
  // Public scope: every public firm is placed, no members-only one is seen.
  v1::SuggestSigsResponse sigs;
  grpc::Status status = Sigs(Token("organiser"), v1::SuggestSigsRequest(), &sigs);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(sigs.firms(), Count({Visibility::kPublic}));
  for (const std::string& id : SigIds(sigs)) EXPECT_FALSE(IsMembers(id)) << id;

  v1::ProposeFoundersRequest founder_request;
  founder_request.set_topic(std::string(kGvMembersOffer) + ", " + kDmcMembersOffer);
  founder_request.set_size(5);
  founder_request.set_min_research(0);
  v1::ProposeFoundersResponse founders;
  status = Founders(Token("organiser"), founder_request, &founders);
  ASSERT_TRUE(status.ok()) << Describe(status);
  for (const std::string& id : FounderIds(founders)) EXPECT_FALSE(IsMembers(id)) << id;

  v1::AssembleConsortiumRequest consortium_request;
  consortium_request.add_capabilities(kGvMembersOffer);
  consortium_request.add_capabilities(kDmcMembersOffer);
  v1::AssembleConsortiumResponse consortium;
  status = Consortium(Token("organiser"), consortium_request, &consortium);
  ASSERT_TRUE(status.ok()) << Describe(status);
  for (const std::string& id : ConsortiumIds(consortium)) EXPECT_FALSE(IsMembers(id)) << id;
  v1::AssembleConsortiumRequest led = SmallConsortium();
  led.set_lead_firm_id("gv-members");
  status = Consortium(Token("organiser"), led, &consortium);
  EXPECT_EQ(status.error_code(), grpc::NOT_FOUND) << Describe(status);

  v1::FormPurchasingPoolsResponse pools;
  status = Pools(Token("organiser"), v1::FormPurchasingPoolsRequest(), &pools);
  ASSERT_TRUE(status.ok()) << Describe(status);
  for (const std::string& id : PoolIds(pools)) EXPECT_FALSE(IsMembers(id)) << id;

  // Members scope (no cluster limit): the members-only firms are grouped too.
  for (const std::string& token : {organiser_members_->token, Token("admin_members")}) {
    status = Sigs(token, v1::SuggestSigsRequest(), &sigs);
    ASSERT_TRUE(status.ok()) << Describe(status);
    EXPECT_EQ(sigs.firms(), Count({Visibility::kPublic, Visibility::kMembers}));
    const std::vector<std::string> placed = SigIds(sigs);
    for (const std::string id : {"gv-members", "dmc-members", "members-buyer"}) {
      EXPECT_TRUE(Contains(placed, id)) << id;
    }

    status = Consortium(token, consortium_request, &consortium);
    ASSERT_TRUE(status.ok()) << Describe(status);
    const std::vector<std::string> team = TeamIds(consortium);
    EXPECT_TRUE(Contains(team, "gv-members") || Contains(team, "dmc-members"))
        << "members-only firms state both capabilities word for word";
    led.set_lead_firm_id("gv-members");
    status = Consortium(token, led, &consortium);
    ASSERT_TRUE(status.ok()) << Describe(status);
    ASSERT_FALSE(consortium.members().empty());
    EXPECT_EQ(consortium.members(0).firm().id(), "gv-members");

    status = Pools(token, v1::FormPurchasingPoolsRequest(), &pools);
    ASSERT_TRUE(status.ok()) << Describe(status);
    EXPECT_TRUE(Contains(PoolIds(pools), "members-buyer"));
  }

  // Members scope limited to G-Valley: G-Valley's members-only firms only.
  status = Sigs(organiser_gv_members_->token, v1::SuggestSigsRequest(), &sigs);
  ASSERT_TRUE(status.ok()) << Describe(status);
  const std::vector<std::string> placed = SigIds(sigs);
  EXPECT_TRUE(Contains(placed, "gv-members"));
  EXPECT_FALSE(Contains(placed, "dmc-members"));
  for (const std::string& id : placed) {
    EXPECT_TRUE(InCluster(id, kGValley)) << id;
    EXPECT_FALSE(IsHidden(id)) << id;
  }
}

TEST_F(GrpcGroupsTest, ClusterLimitedOrganiserGroupsOnlyItsClustersFirms) {
  const std::string& token = organiser_gv_->token;
  v1::SuggestSigsResponse sigs;
  grpc::Status status = Sigs(token, v1::SuggestSigsRequest(), &sigs);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(sigs.firms(), Count({Visibility::kPublic}, kGValley));
  for (const std::string& id : SigIds(sigs)) EXPECT_TRUE(InCluster(id, kGValley)) << id;

  v1::ProposeFoundersResponse founders;
  status = Founders(token, SmallFounders(), &founders);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(founders.founders().empty());
  for (const std::string& id : FounderIds(founders)) EXPECT_TRUE(InCluster(id, kGValley)) << id;

  v1::AssembleConsortiumRequest consortium_request = SmallConsortium();
  // dmc-iot offers exactly this, but is of DMC only.
  consortium_request.add_capabilities("IoT sensor hardware design for smart factories");
  v1::AssembleConsortiumResponse consortium;
  status = Consortium(token, consortium_request, &consortium);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(consortium.members().empty());
  for (const std::string& id : ConsortiumIds(consortium)) {
    EXPECT_TRUE(InCluster(id, kGValley)) << id;
  }
  v1::AssembleConsortiumRequest dmc_lead = SmallConsortium();
  dmc_lead.set_lead_firm_id("dmc-iot");
  status = Consortium(token, dmc_lead, &consortium);
  EXPECT_EQ(status.error_code(), grpc::NOT_FOUND) << Describe(status);

  v1::FormPurchasingPoolsResponse pools;
  status = Pools(token, v1::FormPurchasingPoolsRequest(), &pools);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_FALSE(pools.pools().empty());
  for (const std::string& id : PoolIds(pools)) EXPECT_TRUE(InCluster(id, kGValley)) << id;

  // A filter naming its own cluster among others is narrowed to it.
  v1::SuggestSigsRequest both = SmallSigs();
  both.mutable_filter()->add_clusters(kGValley);
  both.mutable_filter()->add_clusters(kDmc);
  status = Sigs(token, both, &sigs);
  ASSERT_TRUE(status.ok()) << Describe(status);
  for (const std::string& id : SigIds(sigs)) EXPECT_TRUE(InCluster(id, kGValley)) << id;

  // A filter naming only other clusters is denied, on every call.
  v1::FirmFilter dmc;
  dmc.add_clusters(kDmc);
  v1::SuggestSigsRequest sig_request;
  *sig_request.mutable_filter() = dmc;
  status = Sigs(token, sig_request, &sigs);
  EXPECT_EQ(status.error_code(), grpc::PERMISSION_DENIED) << Describe(status);
  EXPECT_THAT(status.error_message(), HasSubstr("filter.clusters"));
  v1::ProposeFoundersRequest founder_request = SmallFounders();
  *founder_request.mutable_filter() = dmc;
  EXPECT_EQ(Founders(token, founder_request, &founders).error_code(), grpc::PERMISSION_DENIED);
  *consortium_request.mutable_filter() = dmc;
  EXPECT_EQ(Consortium(token, consortium_request, &consortium).error_code(),
            grpc::PERMISSION_DENIED);
  v1::FormPurchasingPoolsRequest pool_request;
  *pool_request.mutable_filter() = dmc;
  EXPECT_EQ(Pools(token, pool_request, &pools).error_code(), grpc::PERMISSION_DENIED);
}

// Every selected firm once, sizes within bounds, convergence kept.
void ExpectSigRules(const v1::SuggestSigsResponse& sigs, int min_size, int max_size,
                    int convergence, const std::map<std::string, Firm>& firms) {
  std::vector<std::string> ids = SigIds(sigs);
  EXPECT_EQ(ids.size(), sigs.firms());
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(std::adjacent_find(ids.begin(), ids.end()), ids.end()) << "a firm placed twice";
  for (const v1::Sig& sig : sigs.sigs()) {
    EXPECT_GE(sig.members_size(), min_size);
    EXPECT_LE(sig.members_size(), max_size);
    std::set<std::string> mini_clusters;
    for (const v1::SigMember& m : sig.members()) {
      auto it = firms.find(m.firm().id());
      ASSERT_NE(it, firms.end());
      mini_clusters.insert(it->second.mini_cluster);
      EXPECT_EQ(m.firm().mini_cluster(), it->second.mini_cluster);
    }
    EXPECT_GE(static_cast<int>(mini_clusters.size()), convergence);
    EXPECT_EQ(std::set<std::string>(sig.mini_clusters().begin(), sig.mini_clusters().end()),
              mini_clusters);
  }
  for (const v1::UnplacedFirm& u : sigs.unplaced()) EXPECT_FALSE(u.reason().empty());
}

TEST_F(GrpcGroupsTest, SigsPlaceEveryFirmOnceWithinSizesAcrossMiniClustersAndKeepDoNotMatchApart) {
  v1::SuggestSigsRequest request;
  request.mutable_filter()->add_clusters(kGValley);
  request.set_min_size(6);
  request.set_max_size(12);
  request.set_convergence(2);
  v1::SuggestSigsResponse before;
  grpc::Status status = Sigs(Token("organiser"), request, &before);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_EQ(before.firms(), Count({Visibility::kPublic}, kGValley));
  ASSERT_FALSE(before.sigs().empty());
  EXPECT_LE(before.unplaced_size(), 6) << "nearly every firm finds a SIG";
  ExpectSigRules(before, 6, 12, 2, *firms_);

  // The two best-fitting members of the most cohesive SIG: mark them
  // do-not-match, and they are never in one SIG again.
  ASSERT_GE(before.sigs(0).members_size(), 2);
  const std::string a = before.sigs(0).members(0).firm().id();
  const std::string b = before.sigs(0).members(1).firm().id();
  Record(a, b, v1::RELATION_KIND_DO_NOT_MATCH);
  v1::SuggestSigsResponse after;
  status = Sigs(Token("organiser"), request, &after);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ExpectSigRules(after, 6, 12, 2, *firms_);
  for (const v1::Sig& sig : after.sigs()) {
    std::vector<std::string> ids;
    for (const v1::SigMember& m : sig.members()) ids.push_back(m.firm().id());
    EXPECT_FALSE(Contains(ids, a) && Contains(ids, b)) << a << " and " << b << " share a SIG";
  }
  // Competitors may share a SIG: recording one changes nothing.
  Record(before.sigs(0).members(2).firm().id(), before.sigs(0).members(3).firm().id(),
         v1::RELATION_KIND_COMPETITOR);
  v1::SuggestSigsResponse competitors;
  status = Sigs(Token("organiser"), request, &competitors);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(after, competitors));
}

TEST_F(GrpcGroupsTest, TheSameSigRequestTwiceGivesTheSameSigs) {
  v1::SuggestSigsRequest request;
  request.set_min_size(5);
  request.set_max_size(10);
  request.set_seed(7);
  v1::SuggestSigsResponse first;
  v1::SuggestSigsResponse second;
  grpc::Status status = Sigs(Token("organiser"), request, &first);
  ASSERT_TRUE(status.ok()) << Describe(status);
  status = Sigs(Token("organiser"), request, &second);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(first, second));
  EXPECT_EQ(first.SerializeAsString(), second.SerializeAsString());
  ExpectSigRules(first, 5, 10, 0, *firms_);
}

TEST_F(GrpcGroupsTest, ReasonsComeInTheRequestedLanguage) {
  v1::ProposeFoundersRequest request;
  request.set_topic("immersive VR content, motion capture and 3D animation");
  request.set_size(4);
  request.set_language("ko");
  v1::ProposeFoundersResponse response;
  grpc::Status status = Founders(Token("organiser"), request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_GT(response.founders_size(), 0);
  EXPECT_THAT(response.founders(0).reasons(),
              ::testing::Contains(::testing::HasSubstr("주제 관련도")));
  request.set_language("fr");
  status = Founders(Token("organiser"), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), ::testing::HasSubstr("language"));
}

TEST_F(GrpcGroupsTest, FoundersKeepSizeResearchMembersSpreadAndCoverEverySubArea) {
  v1::ProposeFoundersRequest request;
  request.set_topic("immersive VR content, motion capture and 3D animation");
  request.set_size(6);
  request.set_min_research(2);
  request.set_min_mini_clusters(3);
  v1::ProposeFoundersResponse response;
  const grpc::Status status = Founders(Token("organiser"), request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_TRUE(response.unmet().empty()) << response.unmet(0);
  ASSERT_EQ(response.founders_size(), 6);
  int research = 0;
  std::set<std::string> mini_clusters;
  std::set<std::string> ids;
  for (const v1::Founder& f : response.founders()) {
    ids.insert(f.firm().id());
    const Firm& profile = Profile(f.firm().id());
    EXPECT_EQ(f.firm().kind(), KindToProto(profile.kind));
    if (profile.kind == FirmKind::kUniversity || profile.kind == FirmKind::kResearchInstitute) {
      ++research;
    }
    if (!profile.mini_cluster.empty()) mini_clusters.insert(profile.mini_cluster);
    EXPECT_GE(f.relevance(), 0.0f);
    EXPECT_LE(f.relevance(), 1.0f + 1e-5f);
    EXPECT_FALSE(f.reasons().empty());
  }
  EXPECT_EQ(ids.size(), 6u) << "a founder listed twice";
  EXPECT_GE(research, 2);
  EXPECT_GE(mini_clusters.size(), 3u);
  EXPECT_GT(response.candidates(), 6u);

  // Every listed sub-area is reported, with its best cover among the founders.
  std::vector<std::string> sub_areas(response.sub_areas().begin(), response.sub_areas().end());
  for (const std::string phrase : {"immersive VR content", "motion capture", "3D animation"}) {
    EXPECT_TRUE(Contains(sub_areas, phrase)) << phrase;
  }
  std::set<std::string> covered;
  for (const v1::SubAreaCoverage& c : response.coverage()) {
    covered.insert(c.sub_area());
    EXPECT_GE(c.coverage(), 0.0f);
    EXPECT_LE(c.coverage(), 1.0f + 1e-5f);
    if (!c.firm_id().empty()) {
      EXPECT_TRUE(ids.contains(c.firm_id())) << c.firm_id();
    } else {
      EXPECT_EQ(c.coverage(), 0.0f);
    }
  }
  for (const std::string& sub_area : sub_areas) {
    EXPECT_TRUE(covered.contains(sub_area)) << sub_area;
  }
  int covering = 0;
  for (const v1::SubAreaCoverage& c : response.coverage()) covering += !c.firm_id().empty();
  EXPECT_GE(covering, 2) << "a VR topic on a cluster with a DC mini-cluster is covered";
}

TEST_F(GrpcGroupsTest, ConsortiumLeadsWithTheLeadNamesGapsReportsRolesAndSplitsCompetitors) {
  v1::AssembleConsortiumRequest request;
  request.set_call_text("Smart factory IoT pilot line");
  request.add_capabilities("contract PCB assembly");
  request.add_capabilities("IoT sensor hardware design");
  request.add_capabilities("MES software for factories");
  request.add_capabilities("satellite launch services");
  request.add_roles(v1::ROLE_PRODUCTION);
  request.add_roles(v1::ROLE_MARKETING);
  request.set_min_size(3);
  request.set_max_size(5);
  request.set_lead_firm_id("iot");
  v1::AssembleConsortiumResponse before;
  grpc::Status status = Consortium(Token("organiser"), request, &before);
  ASSERT_TRUE(status.ok()) << Describe(status);

  auto check = [&](const v1::AssembleConsortiumResponse& r) {
    ASSERT_GE(r.members_size(), 3);
    EXPECT_LE(r.members_size(), 5);
    EXPECT_EQ(r.members(0).firm().id(), "iot");
    EXPECT_TRUE(r.members(0).lead());
    for (int i = 1; i < r.members_size(); ++i) EXPECT_FALSE(r.members(i).lead());
    std::vector<std::string> gaps(r.gaps().begin(), r.gaps().end());
    EXPECT_TRUE(Contains(gaps, "satellite launch services"));
    std::map<std::string, const v1::RequirementCoverage*> by_name;
    for (const v1::RequirementCoverage& c : r.requirements()) by_name[c.requirement()] = &c;
    for (const std::string role : {"production", "marketing"}) {
      ASSERT_TRUE(by_name.contains(role)) << role;
      EXPECT_TRUE(by_name[role]->role());
    }
    for (const std::string capability :
         {"contract PCB assembly", "IoT sensor hardware design", "MES software for factories",
          "satellite launch services"}) {
      ASSERT_TRUE(by_name.contains(capability)) << capability;
      EXPECT_FALSE(by_name[capability]->role());
    }
    const v1::RequirementCoverage& gap = *by_name["satellite launch services"];
    EXPECT_FALSE(gap.covered());
    EXPECT_LT(gap.coverage(), 1.0f);
    const std::vector<std::string> team = TeamIds(r);
    int covered = 0;
    for (const v1::RequirementCoverage& c : r.requirements()) {
      EXPECT_GE(c.coverage(), 0.0f);
      EXPECT_LE(c.coverage(), 1.0f + 1e-5f);
      if (!c.firm_id().empty()) {
        EXPECT_TRUE(Contains(team, c.firm_id())) << c.firm_id();
      }
      if (c.covered()) {
        ++covered;
        EXPECT_FALSE(Contains(gaps, c.requirement())) << c.requirement();
      } else {
        EXPECT_TRUE(Contains(gaps, c.requirement())) << c.requirement();
      }
    }
    EXPECT_EQ(r.covered(), covered);
    // The production role is offered by many firms: a team covers it.
    EXPECT_TRUE(by_name["production"]->covered());
  };
  check(before);
  if (HasFailure()) return;

  // The lead's competitor and a pair of competitors in the team: recorded,
  // they are never both in it.
  ASSERT_GE(before.members_size(), 3);
  const std::string rival_of_lead = before.members(1).firm().id();
  Record("iot", rival_of_lead, v1::RELATION_KIND_COMPETITOR);
  std::vector<std::pair<std::string, std::string>> competitors = {{"iot", rival_of_lead}};
  if (before.members_size() >= 4) {
    competitors.emplace_back(before.members(2).firm().id(), before.members(3).firm().id());
    Record(competitors.back().first, competitors.back().second, v1::RELATION_KIND_COMPETITOR);
  }
  // A do-not-match pair as well: never in a consortium either.
  Record("pcb", "both-pcb", v1::RELATION_KIND_DO_NOT_MATCH);
  competitors.emplace_back("pcb", "both-pcb");
  v1::AssembleConsortiumResponse after;
  status = Consortium(Token("organiser"), request, &after);
  ASSERT_TRUE(status.ok()) << Describe(status);
  check(after);
  const std::vector<std::string> team = TeamIds(after);
  EXPECT_FALSE(Contains(team, rival_of_lead));
  for (const auto& [a, b] : competitors) {
    EXPECT_FALSE(Contains(team, a) && Contains(team, b)) << a << " and " << b;
  }
}

// Capabilities that no firm of the store offers, in words that share one
// word with some firm's offer or technology ("welding", "robots",
// "computing"): each must still be named a gap, not fully covered by a firm
// that only shares that word.
TEST_F(GrpcGroupsTest, ConsortiumNamesEveryCapabilityNobodyOffersAsAGap) {
  const std::vector<std::string> nobody = {"satellite launch services",
                                           "underwater pipeline welding robots for offshore rigs",
                                           "quantum computing chips", "deep sea mining robots"};
  v1::AssembleConsortiumRequest request;
  request.add_capabilities("3D character animation");
  for (const std::string& capability : nobody) request.add_capabilities(capability);
  request.add_roles(v1::ROLE_PLANNING);
  v1::AssembleConsortiumResponse response;
  const grpc::Status status = Consortium(Token("admin"), request, &response);
  ASSERT_TRUE(status.ok()) << Describe(status);
  EXPECT_GE(response.members_size(), 3);
  EXPECT_LE(response.members_size(), 6);
  for (const v1::ConsortiumMember& m : response.members()) EXPECT_FALSE(m.lead());
  EXPECT_GE(response.coverage(), 0.0);
  EXPECT_LE(response.coverage(), 1.0);
  EXPECT_FALSE(response.method().empty());
  const std::vector<std::string> gaps(response.gaps().begin(), response.gaps().end());
  EXPECT_FALSE(Contains(gaps, "3D character animation")) << "the DC mini-cluster offers it";
  for (const v1::RequirementCoverage& c : response.requirements()) {
    if (!Contains(nobody, c.requirement())) continue;
    EXPECT_TRUE(Contains(gaps, c.requirement()))
        << c.requirement() << ": reported covered " << c.coverage() << " by " << c.firm_id()
        << " with \"" << c.evidence() << "\"";
    EXPECT_FALSE(c.covered()) << c.requirement();
  }
}

TEST_F(GrpcGroupsTest, PoolMembersBuyThePoolsMaterialAndDoNotMatchPairsNeverShareOne) {
  v1::FormPurchasingPoolsResponse before;
  grpc::Status status = Pools(Token("organiser"), v1::FormPurchasingPoolsRequest(), &before);
  ASSERT_TRUE(status.ok()) << Describe(status);
  ASSERT_FALSE(before.pools().empty());
  EXPECT_EQ(before.firms(), Count({Visibility::kPublic}));

  // Two members of the largest pool marked do-not-match.
  ASSERT_GE(before.pools(0).members_size(), 3);
  const std::string a = before.pools(0).members(0).id();
  const std::string b = before.pools(0).members(1).id();
  Record(a, b, v1::RELATION_KIND_DO_NOT_MATCH);

  for (const bool exact : {false, true}) {
    SCOPED_TRACE(exact ? "exact materials" : "similar spellings merged");
    v1::FormPurchasingPoolsRequest request;
    request.set_exact_materials(exact);
    v1::FormPurchasingPoolsResponse response;
    status = Pools(Token("organiser"), request, &response);
    ASSERT_TRUE(status.ok()) << Describe(status);
    ASSERT_FALSE(response.pools().empty());
    for (int i = 1; i < response.pools_size(); ++i) {
      EXPECT_LE(response.pools(i).members_size(), response.pools(i - 1).members_size())
          << "largest first";
    }
    for (const v1::PurchasingPool& pool : response.pools()) {
      SCOPED_TRACE(pool.material());
      EXPECT_GE(pool.members_size(), 2);
      const std::set<std::string> spellings(pool.spellings().begin(), pool.spellings().end());
      EXPECT_TRUE(spellings.contains(pool.material()));
      if (exact) {
        EXPECT_EQ(spellings.size(), 1u);
      }
      std::vector<std::string> ids;
      for (const v1::GroupFirm& m : pool.members()) {
        ids.push_back(m.id());
        bool buys = false;
        for (const std::string& material : Profile(m.id()).materials) {
          buys = buys || spellings.contains(Normalised(material));
        }
        EXPECT_TRUE(buys) << m.id() << " does not buy " << pool.material();
      }
      EXPECT_FALSE(Contains(ids, a) && Contains(ids, b)) << a << " and " << b;
    }
    // The shared aluminium grade is pooled, without its hidden buyers.
    bool aluminium = false;
    for (const v1::PurchasingPool& pool : response.pools()) {
      if (pool.material() != Normalised(kSharedMaterial)) continue;
      for (const v1::GroupFirm& m : pool.members()) {
        aluminium = aluminium || m.id() == "machining" || m.id() == "moulds_one_sided";
      }
    }
    EXPECT_TRUE(aluminium);
  }
}

TEST_F(GrpcGroupsTest, BadInputIsInvalidArgumentNamingTheField) {
  const std::string& token = Token("organiser");
  auto expect_invalid = [](const grpc::Status& status, const std::string& field) {
    EXPECT_EQ(status.error_code(), grpc::INVALID_ARGUMENT) << field << ": " << Describe(status);
    EXPECT_THAT(status.error_message(), HasSubstr(field));
  };
  v1::SuggestSigsResponse sigs;
  v1::SuggestSigsRequest sig_request;
  sig_request.set_min_size(1);
  expect_invalid(Sigs(token, sig_request, &sigs), "min_size");
  sig_request.set_min_size(8);
  sig_request.set_max_size(4);
  expect_invalid(Sigs(token, sig_request, &sigs), "max_size");
  sig_request = v1::SuggestSigsRequest();
  sig_request.set_convergence(-1);
  expect_invalid(Sigs(token, sig_request, &sigs), "convergence");
  sig_request = v1::SuggestSigsRequest();
  sig_request.mutable_filter()->add_kinds(static_cast<v1::FirmKind>(42));
  expect_invalid(Sigs(token, sig_request, &sigs), "filter.kinds[0]");

  v1::ProposeFoundersResponse founders;
  v1::ProposeFoundersRequest founder_request;
  expect_invalid(Founders(token, founder_request, &founders), "topic");
  founder_request.set_topic("   ");
  expect_invalid(Founders(token, founder_request, &founders), "topic");
  founder_request = SmallFounders();
  founder_request.set_size(0);
  expect_invalid(Founders(token, founder_request, &founders), "size");
  founder_request = SmallFounders();
  founder_request.mutable_filter()->add_kinds(v1::FIRM_KIND_UNIVERSITY);
  founder_request.mutable_filter()->add_kinds(static_cast<v1::FirmKind>(42));
  expect_invalid(Founders(token, founder_request, &founders), "filter.kinds[1]");

  v1::AssembleConsortiumResponse consortium;
  v1::AssembleConsortiumRequest consortium_request = SmallConsortium();
  consortium_request.add_roles(v1::ROLE_UNSPECIFIED);
  expect_invalid(Consortium(token, consortium_request, &consortium), "roles[0]");
  consortium_request = SmallConsortium();
  consortium_request.add_roles(v1::ROLE_PLANNING);
  consortium_request.add_roles(static_cast<v1::Role>(17));
  expect_invalid(Consortium(token, consortium_request, &consortium), "roles[1]");
  consortium_request = SmallConsortium();
  consortium_request.add_capabilities(" ");
  expect_invalid(Consortium(token, consortium_request, &consortium), "capabilities[2]");
  consortium_request = SmallConsortium();
  consortium_request.set_min_size(5);
  consortium_request.set_max_size(3);
  expect_invalid(Consortium(token, consortium_request, &consortium), "size");
  consortium_request = SmallConsortium();
  consortium_request.mutable_filter()->add_kinds(static_cast<v1::FirmKind>(42));
  expect_invalid(Consortium(token, consortium_request, &consortium), "filter.kinds[0]");
  // Nothing required at all.
  const grpc::Status empty = Consortium(token, v1::AssembleConsortiumRequest(), &consortium);
  EXPECT_EQ(empty.error_code(), grpc::INVALID_ARGUMENT) << Describe(empty);

  v1::FormPurchasingPoolsResponse pools;
  v1::FormPurchasingPoolsRequest pool_request;
  pool_request.set_min_size(1);
  expect_invalid(Pools(token, pool_request, &pools), "min_size");
  pool_request = v1::FormPurchasingPoolsRequest();
  pool_request.mutable_filter()->add_kinds(static_cast<v1::FirmKind>(42));
  expect_invalid(Pools(token, pool_request, &pools), "filter.kinds[0]");
}

}  // namespace
}  // namespace clustermatch::grpc_test
