// Property test of who sees what (issue 7): random requests from keys of
// every role, scope and cluster limit, over a store where a random share of
// the firms is members-only or hidden and spread over clusters. The oracle is
// the documented rule (engine/access_policy.h's header), written out here, not
// the implementation's functions:
//   - hidden firms: seen by admins, by id and in lists only; never in
//     recommendations, searches or groups;
//   - members-only firms: seen only by keys of members scope;
//   - a cluster-limited key sees only firms of its cluster.
// Every response, and every error message, is searched for anything of a
// firm the caller may not see: its id in any string field, its name, and each
// profile phrase of it that no firm the caller may see also has.
// CM_PROPERTY_SEED and CM_PROPERTY_REQUESTS change the run (printed on
// failure).
#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/server/grpc_groups_test_support.h"

namespace clustermatch::grpc_test {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

struct Caller {
  std::string name;
  KeyRole role;
  KeyScope scope;
  std::string cluster;
  std::string token;
};

// What the method shows: "results" are recommendations, searches and groups;
// "lists" are GetFirm, ListFirms and ListRelations.
enum class Shows { kResults, kLists };

bool Sees(const Caller& caller, const Firm& firm, Shows shows) {
  if (firm.visibility == Visibility::kHidden &&
      (shows == Shows::kResults || caller.role != KeyRole::kAdmin)) {
    return false;
  }
  if (firm.visibility == Visibility::kMembers && caller.scope != KeyScope::kMembers) return false;
  return caller.cluster.empty() || Contains(firm.clusters, caller.cluster);
}

std::vector<std::string> ProfileTexts(const Firm& firm) {
  std::vector<std::string> texts = {firm.name, firm.description};
  for (const auto* list : {&firm.offers, &firm.needs, &firm.technologies, &firm.products}) {
    texts.insert(texts.end(), list->begin(), list->end());
  }
  return texts;
}

// Every string a message holds, at any depth.
void CollectStrings(const Message& message, std::vector<std::string>& out) {
  const auto* descriptor = message.GetDescriptor();
  const auto* reflection = message.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    const bool text = field->cpp_type() == FieldDescriptor::CPPTYPE_STRING;
    const bool nested = field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (field->is_repeated()) {
      for (int j = 0; j < reflection->FieldSize(message, field); ++j) {
        if (text) out.push_back(reflection->GetRepeatedString(message, field, j));
        if (nested) CollectStrings(reflection->GetRepeatedMessage(message, field, j), out);
      }
    } else if (text) {
      out.push_back(reflection->GetString(message, field));
    } else if (nested && reflection->HasField(message, field)) {
      CollectStrings(reflection->GetMessage(message, field), out);
    }
  }
}

// What must never reach one caller through one kind of method.
struct Forbidden {
  std::set<std::string> ids;
  std::vector<std::pair<std::string, std::string>> phrases;  // (firm id, phrase)
};

// The suite's store: the groups fixture with a seeded share of its sample
// firms made members-only (15%) or hidden (8%), and a fifth moved to DMC or
// to both clusters, so that every rule has many firms to hold back.
void MixVisibility(std::vector<Firm>& firms) {
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> share(0, 1);
  for (Firm& firm : firms) {
    if (firm.visibility != Visibility::kPublic) continue;
    const double v = share(random);
    if (v < 0.15) firm.visibility = Visibility::kMembers;
    if (v >= 0.15 && v < 0.23) firm.visibility = Visibility::kHidden;
    const double c = share(random);
    if (c < 0.10) firm.clusters = {kDmc};
    if (c >= 0.10 && c < 0.20) firm.clusters = {kGValley, kDmc};
  }
}

class GrpcAccessPropertyTest : public GrpcGroupsTest {
 protected:
  static void SetUpTestSuite() {
    adjust_firms_ = MixVisibility;
    GrpcGroupsTest::SetUpTestSuite();
    adjust_firms_ = nullptr;
  }

  static uint64_t EnvNumber(const char* name, uint64_t fallback) {
    const char* value = std::getenv(name);
    return value != nullptr ? std::strtoull(value, nullptr, 10) : fallback;
  }

  std::vector<Caller> Callers() {
    std::vector<Caller> callers;
    for (const KeySpec& spec : kKeySpecs) {
      callers.push_back({spec.name, spec.role, spec.scope, spec.cluster, Token(spec.name)});
    }
    for (const TestKey* key : {organiser_gv_, organiser_members_, organiser_gv_members_}) {
      callers.push_back({key->record.label, key->record.role, key->record.scope,
                         key->record.cluster, key->token});
    }
    // Keys limited to DMC too, so both sides of the cluster line are probed.
    for (const auto& [role, scope] : {std::pair{KeyRole::kReader, KeyScope::kPublic},
                                      std::pair{KeyRole::kAdmin, KeyScope::kMembers},
                                      std::pair{KeyRole::kOrganiser, KeyScope::kMembers}}) {
      TestKey key = env().IssueKey(role, scope, kDmc, "dmc");
      callers.push_back({"dmc", role, scope, kDmc, key.token});
    }
    return callers;
  }

  Forbidden ForbiddenFor(const Caller& caller, Shows shows) {
    Forbidden forbidden;
    std::string seen_text;  // every text of every firm the caller sees
    for (const auto& [id, firm] : *firms_) {
      if (!Sees(caller, firm, shows)) continue;
      for (const std::string& text : ProfileTexts(firm)) seen_text += text + "\n";
    }
    for (const auto& [id, firm] : *firms_) {
      if (Sees(caller, firm, shows)) continue;
      forbidden.ids.insert(id);
      for (const std::string& text : ProfileTexts(firm)) {
        // Short or shared phrases say nothing of this firm alone.
        if (text.size() >= 12 && seen_text.find(text) == std::string::npos) {
          forbidden.phrases.emplace_back(id, text);
        }
      }
    }
    return forbidden;
  }

  // Fails the test for anything forbidden in `strings`. `asked` are the
  // request's own strings: echoing what the caller sent reveals nothing.
  static void ExpectNothingForbidden(const std::vector<std::string>& strings,
                                     const std::vector<std::string>& asked,
                                     const Forbidden& forbidden, const std::string& what) {
    const std::set<std::string> own(asked.begin(), asked.end());
    std::string asked_text;
    for (const std::string& text : asked) asked_text += text + "\n";
    for (const std::string& value : strings) {
      if (own.contains(value)) continue;
      EXPECT_FALSE(forbidden.ids.contains(value)) << what << ": returned firm " << value;
      for (const auto& [id, phrase] : forbidden.phrases) {
        if (asked_text.find(phrase) != std::string::npos) continue;
        EXPECT_EQ(value.find(phrase), std::string::npos)
            << what << ": returned \"" << phrase << "\" of firm " << id << " in \"" << value
            << "\"";
      }
    }
  }
};

// Builds one random request of each method from a seeded generator.
class RequestMaker {
 public:
  RequestMaker(uint64_t seed, const std::map<std::string, Firm>& firms) : random_(seed) {
    for (const auto& [id, firm] : firms) {
      ids_.push_back(id);
      for (const std::string& text : ProfileTexts(firm)) {
        if (!text.empty() && text != firm.name) phrases_.push_back(text);
      }
    }
    ids_.push_back("no-such-firm");
  }

  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random_); }
  const std::string& Id() { return ids_[Pick(ids_.size())]; }
  const std::string& Phrase() { return phrases_[Pick(phrases_.size())]; }
  int K() { return static_cast<int>(1 + Pick(80)); }

  v1::FirmFilter Filter() {
    v1::FirmFilter filter;
    const std::vector<std::string> clusters = {kGValley, kDmc, "Magok"};
    const std::vector<std::string> minis = {"ICT", "IMT", "DC", "Green IT"};
    if (Pick(3) == 0) filter.add_clusters(clusters[Pick(clusters.size())]);
    if (Pick(4) == 0) filter.add_mini_clusters(minis[Pick(minis.size())]);
    if (Pick(6) == 0) filter.add_exclude_clusters(clusters[Pick(clusters.size())]);
    return filter;
  }

  v1::RecommendRequest Recommend(const std::map<std::string, Firm>& firms) {
    v1::RecommendRequest request;
    if (Pick(4) == 0) {
      const auto it = std::next(firms.begin(), static_cast<long>(Pick(firms.size())));
      v1::Firm profile = ToProto(it->second);
      profile.set_id("");
      *request.mutable_profile() = profile;
    } else {
      request.set_firm_id(Id());
    }
    request.set_intent(static_cast<v1::MatchIntent>(Pick(4)));
    request.set_k(K());
    request.set_cross_cluster(static_cast<v1::CrossCluster>(Pick(4)));
    *request.mutable_filter() = Filter();
    return request;
  }

 private:
  std::mt19937_64 random_;
  std::vector<std::string> ids_;
  std::vector<std::string> phrases_;
};

TEST_F(GrpcAccessPropertyTest, RandomRequestsFromEveryKeyNeverReturnWhatItMayNotSee) {
  const uint64_t seed = EnvNumber("CM_PROPERTY_SEED", 20261123);
  const uint64_t requests = EnvNumber("CM_PROPERTY_REQUESTS", 600);
  SCOPED_TRACE("CM_PROPERTY_SEED=" + std::to_string(seed));
  const std::vector<Caller> callers = Callers();
  std::map<std::string, std::map<Shows, Forbidden>> forbidden;
  for (const Caller& caller : callers) {
    for (Shows shows : {Shows::kResults, Shows::kLists}) {
      forbidden[caller.token][shows] = ForbiddenFor(caller, shows);
    }
  }
  // The fixture must hold firms each caller may not see, or nothing is probed.
  for (const Caller& caller : callers) {
    EXPECT_FALSE(forbidden[caller.token][Shows::kResults].ids.empty()) << caller.name;
  }

  RequestMaker make(seed, *firms_);
  std::map<std::string, int> ok_calls;
  for (uint64_t i = 0; i < requests; ++i) {
    const Caller& caller = callers[make.Pick(callers.size())];
    const size_t method = make.Pick(10);
    std::unique_ptr<Message> request;
    std::unique_ptr<Message> response;
    grpc::Status status;
    Shows shows = Shows::kResults;
    std::string name;
    if (method <= 1) {
      auto r = std::make_unique<v1::RecommendRequest>(make.Recommend(*firms_));
      auto out = std::make_unique<v1::RecommendResponse>();
      status = env().Call(caller.token, env().matching(), &v1::MatchingService::Stub::Recommend, *r,
                          out.get());
      name = "Recommend";
      request = std::move(r);
      response = std::move(out);
    } else if (method == 2) {
      auto r = std::make_unique<v1::SearchRequest>();
      r->set_query(make.Phrase());
      r->set_k(make.K());
      *r->mutable_filter() = make.Filter();
      auto out = std::make_unique<v1::SearchResponse>();
      status = env().Call(caller.token, env().matching(), &v1::MatchingService::Stub::Search, *r,
                          out.get());
      name = "Search";
      request = std::move(r);
      response = std::move(out);
    } else if (method == 3) {
      auto r = std::make_unique<v1::ListFirmsRequest>();
      r->set_page_size(static_cast<int>(1 + make.Pick(500)));
      *r->mutable_filter() = make.Filter();
      auto out = std::make_unique<v1::ListFirmsResponse>();
      status =
          env().Call(caller.token, env().firms(), &v1::FirmService::Stub::ListFirms, *r, out.get());
      shows = Shows::kLists;
      name = "ListFirms";
      request = std::move(r);
      response = std::move(out);
    } else if (method == 4) {
      auto r = std::make_unique<v1::GetFirmRequest>();
      r->set_id(make.Id());
      auto out = std::make_unique<v1::Firm>();
      status =
          env().Call(caller.token, env().firms(), &v1::FirmService::Stub::GetFirm, *r, out.get());
      shows = Shows::kLists;
      name = "GetFirm";
      const auto it = firms_->find(r->id());
      if (it == firms_->end() || !Sees(caller, it->second, Shows::kLists)) {
        EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND)
            << caller.name << " " << r->id();
      } else {
        EXPECT_TRUE(status.ok()) << caller.name << " " << r->id() << ": " << Describe(status);
      }
      request = std::move(r);
      response = std::move(out);
    } else if (method == 5) {
      auto r = std::make_unique<v1::ListRelationsRequest>();
      if (make.Pick(2) == 0) r->set_firm_id(make.Id());
      r->set_page_size(1000);
      auto out = std::make_unique<v1::ListRelationsResponse>();
      status = env().Call(caller.token, env().feedback(), &v1::FeedbackService::Stub::ListRelations,
                          *r, out.get());
      shows = Shows::kLists;
      name = "ListRelations";
      request = std::move(r);
      response = std::move(out);
    } else if (method == 6) {
      auto r = std::make_unique<v1::SuggestSigsRequest>();
      *r->mutable_filter() = make.Filter();
      if (r->filter().mini_clusters().empty()) r->mutable_filter()->add_mini_clusters("DC");
      r->set_seed(make.Pick(1000));
      auto out = std::make_unique<v1::SuggestSigsResponse>();
      status = Sigs(caller.token, *r, out.get());
      name = "SuggestSigs";
      request = std::move(r);
      response = std::move(out);
    } else if (method == 7) {
      auto r = std::make_unique<v1::ProposeFoundersRequest>();
      r->set_topic(make.Phrase());
      r->set_size(static_cast<int>(3 + make.Pick(4)));
      *r->mutable_filter() = make.Filter();
      auto out = std::make_unique<v1::ProposeFoundersResponse>();
      status = Founders(caller.token, *r, out.get());
      name = "ProposeFounders";
      request = std::move(r);
      response = std::move(out);
    } else if (method == 8) {
      auto r = std::make_unique<v1::AssembleConsortiumRequest>();
      r->add_capabilities(make.Phrase());
      r->add_capabilities(make.Phrase());
      if (make.Pick(3) == 0) r->set_lead_firm_id(make.Id());
      auto out = std::make_unique<v1::AssembleConsortiumResponse>();
      status = Consortium(caller.token, *r, out.get());
      name = "AssembleConsortium";
      request = std::move(r);
      response = std::move(out);
    } else {
      auto r = std::make_unique<v1::FormPurchasingPoolsRequest>();
      *r->mutable_filter() = make.Filter();
      r->set_max_size(static_cast<int>(3 + make.Pick(6)));
      auto out = std::make_unique<v1::FormPurchasingPoolsResponse>();
      status = Pools(caller.token, *r, out.get());
      name = "FormPurchasingPools";
      request = std::move(r);
      response = std::move(out);
    }
    const std::string what = name + " by " + caller.name + " (request " + std::to_string(i) + ": " +
                             request->ShortDebugString() + ")";
    EXPECT_NE(status.error_code(), grpc::StatusCode::INTERNAL) << what << ": " << Describe(status);
    EXPECT_NE(status.error_code(), grpc::StatusCode::UNKNOWN) << what << ": " << Describe(status);
    std::vector<std::string> asked;
    CollectStrings(*request, asked);
    std::vector<std::string> returned;
    if (status.ok()) {
      ++ok_calls[name];
      CollectStrings(*response, returned);
    }
    returned.push_back(status.error_message());
    ExpectNothingForbidden(returned, asked, forbidden[caller.token][shows], what);
  }
  // Enough of the calls were answered for the property to mean something.
  for (const char* name :
       {"Recommend", "Search", "ListFirms", "GetFirm", "ListRelations", "SuggestSigs",
        "ProposeFounders", "AssembleConsortium", "FormPurchasingPools"}) {
    EXPECT_GT(ok_calls[name], 3) << name;
  }
}

}  // namespace
}  // namespace clustermatch::grpc_test
