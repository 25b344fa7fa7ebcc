// clustermatch.v1.GroupService through a real in-process server with real
// keys (fixture in grpc_groups_test_support.h): the rules of each workflow
// (sizes, convergence, research members, sub-areas, gaps, lead,
// competitors, do-not-match, materials) and determinism.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <google/protobuf/util/message_differencer.h>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/grpc_groups_test_support.h"

namespace clustermatch::grpc_test {
namespace {

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

}  // namespace
}  // namespace clustermatch::grpc_test
