// clustermatch.v1.GroupService through a real in-process server with real
// keys (fixture in grpc_groups_test_support.h): who may call, that hidden
// firms never appear in a group and members-only firms only for
// members-scope keys, cluster limits, errors naming the field, and the
// language of the reasons.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/grpc_groups_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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
