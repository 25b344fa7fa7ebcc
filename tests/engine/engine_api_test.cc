// The Engine API the gRPC server uses beyond import and recommend: creating
// and updating single firms, paging, relations of one firm, recommending for
// an inline profile, API keys and snapshots, and that writes survive a
// reopen. Every test runs on a real store file in a scratch directory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/sample_cluster.h"
#include "tests/engine/store_test_support.h"
#include "tests/engine/test_firms.h"

namespace clustermatch {
namespace {

using store_test::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::MakeFirm;
using testing::SmallCluster;
using ::testing::StartsWith;

class EngineApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    engine_ = Open(false);
    ASSERT_NE(engine_, nullptr);
    ASSERT_TRUE(engine_->ImportFirms(SmallCluster()).ok());
  }

  std::unique_ptr<Engine> Open(bool read_only) {
    EngineOptions options;
    options.db_path = path_;
    options.read_only = read_only;
    auto engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? *std::move(engine) : nullptr;
  }

  // Closes the writer and opens the store again read-only.
  void Reopen() {
    engine_.reset();
    engine_ = Open(true);
    ASSERT_NE(engine_, nullptr);
  }

  Firm Get(const std::string& id) {
    auto firm = engine_->GetFirm(id);
    EXPECT_TRUE(firm.ok()) << firm.status();
    return firm.ok() ? *firm : Firm{};
  }

  std::vector<Recommendation> RecommendOrDie(const RecommendRequest& request) {
    auto results = engine_->Recommend(request);
    EXPECT_TRUE(results.ok()) << results.status();
    return results.ok() ? *results : std::vector<Recommendation>{};
  }

  ScratchDir dir_;
  const std::string path_ = dir_.File("engine.db");
  std::unique_ptr<Engine> engine_;
};

std::vector<std::string> Ids(const std::vector<Recommendation>& results) {
  std::vector<std::string> ids;
  for (const Recommendation& r : results) ids.push_back(r.firm_id);
  return ids;
}

std::vector<std::string> Ids(const std::vector<Firm>& firms) {
  std::vector<std::string> ids;
  for (const Firm& f : firms) ids.push_back(f.id);
  return ids;
}

// Same firms, scores and explained phrases, in the same order.
void ExpectSameResults(const std::vector<Recommendation>& a, const std::vector<Recommendation>& b) {
  ASSERT_EQ(Ids(a), Ids(b));
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].score, b[i].score) << a[i].firm_id;
    EXPECT_EQ(a[i].explanation.components, b[i].explanation.components) << a[i].firm_id;
    ASSERT_EQ(a[i].explanation.need_offer.size(), b[i].explanation.need_offer.size());
    for (size_t j = 0; j < a[i].explanation.need_offer.size(); ++j) {
      EXPECT_EQ(a[i].explanation.need_offer[j].need, b[i].explanation.need_offer[j].need);
      EXPECT_EQ(a[i].explanation.need_offer[j].offer, b[i].explanation.need_offer[j].offer);
    }
    EXPECT_EQ(a[i].explanation.shared_technologies, b[i].explanation.shared_technologies);
    EXPECT_EQ(a[i].explanation.roles_covered, b[i].explanation.roles_covered);
  }
}

TEST_F(EngineApiTest, CreateFirmStoresIndexesAndRefusesATakenId) {
  Firm mes2 = MakeFirm("mes2", "ICT", {"MES software that monitors machine utilisation"},
                       {"aluminium machining partner"}, {Role::kDevelopment});
  auto created = engine_->CreateFirm(mes2);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(*created, mes2);
  EXPECT_EQ(Get("mes2"), mes2);
  const EngineStats stats = engine_->Stats();
  EXPECT_EQ(stats.firms, SmallCluster().size() + 1);
  EXPECT_EQ(stats.indexed, stats.firms);
  RecommendRequest request;
  request.firm_id = "machining";
  EXPECT_THAT(Ids(RecommendOrDie(request)), ::testing::Contains("mes2"));

  Firm again = mes2;
  again.name = "Another name";
  auto taken = engine_->CreateFirm(again);
  EXPECT_EQ(taken.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(std::string(taken.status().message()), "id: firm \"mes2\" already exists");
  EXPECT_EQ(Get("mes2").name, mes2.name);

  Firm bad = MakeFirm("bad", "ICT", {"x"}, {"y"});
  bad.employees = -1;
  auto invalid = engine_->CreateFirm(bad);
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(invalid.status().message()), StartsWith("employees:"));
  EXPECT_FALSE(engine_->GetFirm("bad").ok());

  Reopen();
  EXPECT_EQ(Get("mes2"), mes2);
  EXPECT_FALSE(engine_->GetFirm("bad").ok());
}

TEST_F(EngineApiTest, UpdateFirmAppliesTheChangeAndReindexes) {
  auto updated = engine_->UpdateFirm("animation", [](Firm& firm) {
    firm.needs = {"MES software to monitor machine utilisation"};
    firm.region = "Seoul Mapo-gu";
    return absl::OkStatus();
  });
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_THAT(updated->needs, ElementsAre("MES software to monitor machine utilisation"));
  EXPECT_EQ(Get("animation"), *updated);
  // Its new need is answered by the MES firm, which it did not need before.
  RecommendRequest request;
  request.firm_id = "animation";
  request.k = 3;
  EXPECT_THAT(Ids(RecommendOrDie(request)), ::testing::Contains("mes"));
  request.filter.regions = {"Seoul Mapo-gu"};
  request.firm_id = "mes";
  EXPECT_THAT(Ids(RecommendOrDie(request)), ElementsAre("animation"));
  EXPECT_EQ(engine_->Stats().indexed, SmallCluster().size());

  Reopen();
  EXPECT_EQ(Get("animation"), *updated);
}

TEST_F(EngineApiTest, UpdateFirmErrorsWriteNothing) {
  const Firm before = Get("vr");
  bool called = false;
  auto refused = engine_->UpdateFirm("vr", [&](Firm& firm) {
    called = true;
    firm.name = "changed before failing";
    return absl::FailedPreconditionError("etag: stale");
  });
  EXPECT_TRUE(called);
  EXPECT_EQ(refused.status(), absl::FailedPreconditionError("etag: stale"));
  EXPECT_EQ(Get("vr"), before);

  auto invalid = engine_->UpdateFirm("vr", [](Firm& firm) {
    firm.founded = 1500;
    return absl::OkStatus();
  });
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(invalid.status().message()), StartsWith("founded:"));
  EXPECT_EQ(Get("vr"), before);

  auto missing = engine_->UpdateFirm("nobody", [&](Firm&) {
    ADD_FAILURE() << "change called for a missing firm";
    return absl::OkStatus();
  });
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);

  Reopen();
  EXPECT_EQ(Get("vr"), before);
}

TEST_F(EngineApiTest, UpdateFirmRefusesToChangeTheId) {
  auto renamed = engine_->UpdateFirm("expo", [](Firm& firm) {
    firm.id = "expo2";
    return absl::OkStatus();
  });
  EXPECT_EQ(renamed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(renamed.status().message()), StartsWith("id:"));
  EXPECT_TRUE(engine_->GetFirm("expo").ok());
  EXPECT_FALSE(engine_->GetFirm("expo2").ok());
  EXPECT_EQ(engine_->Stats().firms, SmallCluster().size());
}

TEST_F(EngineApiTest, ConcurrentUpdatesOfOneFirmKeepEveryChange) {
  constexpr int kThreads = 4;
  constexpr int kUpdatesEach = 10;
  const size_t original = Get("mes").technologies.size();
  std::vector<std::thread> threads;
  std::vector<std::string> failures(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kUpdatesEach; ++i) {
        const std::string tech = "tech-" + std::to_string(t) + "-" + std::to_string(i);
        auto updated = engine_->UpdateFirm("mes", [&](Firm& firm) {
          firm.technologies.push_back(tech);
          return absl::OkStatus();
        });
        if (!updated.ok()) failures[t] = std::string(updated.status().message());
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");

  auto check = [&] {
    const Firm mes = Get("mes");
    EXPECT_EQ(mes.technologies.size(), original + kThreads * kUpdatesEach);
    for (int t = 0; t < kThreads; ++t) {
      for (int i = 0; i < kUpdatesEach; ++i) {
        const std::string tech = "tech-" + std::to_string(t) + "-" + std::to_string(i);
        EXPECT_THAT(mes.technologies, ::testing::Contains(tech));
      }
    }
  };
  check();
  Reopen();
  check();
}

TEST_F(EngineApiTest, ListFirmsPagePagesThroughEverythingWithAFilter) {
  std::vector<Firm> more;
  for (int i = 0; i < 25; ++i) {
    more.push_back(MakeFirm("extra-" + std::to_string(100 + i), i % 3 == 0 ? "ICT" : "DC",
                            {"offer " + std::to_string(i)}, {"need " + std::to_string(i)}));
  }
  ASSERT_TRUE(engine_->ImportFirms(more).ok());
  auto is_ict = [](const Firm& firm) { return firm.mini_cluster == "ICT"; };

  std::vector<std::string> expected;
  for (const Firm& firm : engine_->ListFirms()) {
    if (is_ict(firm)) expected.push_back(firm.id);
  }
  ASSERT_TRUE(std::is_sorted(expected.begin(), expected.end()));
  ASSERT_GT(expected.size(), 6u);

  for (size_t page_size : {1u, 2u, 5u, 100u}) {
    std::vector<std::string> paged;
    std::string after;
    int pages = 0;
    while (true) {
      const std::vector<Firm> page = engine_->ListFirmsPage(after, page_size, is_ict);
      ASSERT_LE(page.size(), page_size);
      for (const Firm& firm : page) EXPECT_TRUE(is_ict(firm));
      if (page.empty()) break;
      ++pages;
      for (const Firm& firm : page) paged.push_back(firm.id);
      after = page.back().id;
      ASSERT_LE(pages, 100);
    }
    EXPECT_EQ(paged, expected) << "page size " << page_size;
  }

  // after_id need not name a firm; no filter keeps all; limit 0 lists none.
  const std::vector<Firm> from_m = engine_->ListFirmsPage("m", 3, nullptr);
  EXPECT_THAT(Ids(from_m), ElementsAre("machining", "mes", "moulds_one_sided"));
  EXPECT_TRUE(engine_->ListFirmsPage("", 0, nullptr).empty());
  EXPECT_TRUE(engine_->ListFirmsPage("zzz", 10, nullptr).empty());
  EXPECT_EQ(engine_->ListFirmsPage("", 1000, nullptr).size(), engine_->ListFirms().size());
}

TEST_F(EngineApiTest, ListRelationsOfOneFirm) {
  const std::vector<Relation> relations = {
      {"mes", "machining", RelationKind::kPartnered, "2023-05-01", "project-1"},
      {"vr", "expo", RelationKind::kMet, "2024", ""},
      {"iot", "mes", RelationKind::kDeclined, "2024-02-29", ""},
  };
  ASSERT_TRUE(engine_->AddRelations(relations).ok());
  EXPECT_EQ(engine_->ListRelations(), relations);
  EXPECT_THAT(engine_->ListRelations("mes"), ElementsAre(relations[0], relations[2]));
  EXPECT_THAT(engine_->ListRelations("expo"), ElementsAre(relations[1]));
  EXPECT_TRUE(engine_->ListRelations("animation").empty());
  EXPECT_TRUE(engine_->ListRelations("nobody").empty());

  const Relation unknown{"mes", "nobody", RelationKind::kMet, "2024", ""};
  absl::Status status = engine_->AddRelations(std::vector<Relation>{relations[1], unknown});
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(status.message()), StartsWith("relations[1]: b: "));
  EXPECT_EQ(engine_->ListRelations().size(), relations.size());

  Reopen();
  EXPECT_THAT(engine_->ListRelations("mes"), ElementsAre(relations[0], relations[2]));
}

TEST_F(EngineApiTest, ProfileOfAStoredFirmRecommendsAsItsId) {
  ASSERT_TRUE(engine_
                  ->AddRelations(std::vector<Relation>{
                      {"mes", "machining", RelationKind::kDeclined, "2024", ""}})
                  .ok());
  for (const Firm& firm : SmallCluster()) {
    for (MatchIntent intent :
         {MatchIntent::kPartner, MatchIntent::kPeer, MatchIntent::kPurchasing}) {
      for (CrossCluster cross : {CrossCluster::kOff, CrossCluster::kBoost}) {
        RecommendRequest by_id;
        by_id.firm_id = firm.id;
        by_id.intent = intent;
        by_id.cross_cluster = cross;
        by_id.k = 5;
        RecommendRequest by_profile = by_id;
        by_profile.firm_id.clear();
        by_profile.profile = Get(firm.id);
        SCOPED_TRACE(firm.id + " intent " + std::to_string(static_cast<int>(intent)));
        ExpectSameResults(RecommendOrDie(by_profile), RecommendOrDie(by_id));
      }
    }
  }
  // The declined relation of the stored "mes" applies to its profile.
  RecommendRequest request;
  request.profile = Get("mes");
  EXPECT_THAT(Ids(RecommendOrDie(request)), ::testing::Not(::testing::Contains("machining")));
}

TEST_F(EngineApiTest, UnstoredProfileIsValidatedAndNeverStored) {
  // Without an id: the stored twin of the profile is a candidate like any
  // other, and nothing is written.
  Firm profile = Get("mes");
  profile.id.clear();
  RecommendRequest request;
  request.profile = profile;
  request.k = 3;
  const std::vector<std::string> ids = Ids(RecommendOrDie(request));
  ASSERT_FALSE(ids.empty());
  EXPECT_EQ(ids[0], "machining");
  EXPECT_EQ(engine_->Stats().firms, SmallCluster().size());

  // A profile wins over firm_id.
  request.firm_id = "vr";
  EXPECT_EQ(Ids(RecommendOrDie(request)), ids);

  profile.needs.push_back("");
  request.profile = profile;
  auto invalid = engine_->Recommend(request);
  EXPECT_EQ(invalid.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(invalid.status().message()), StartsWith("profile.needs[1]:"));
}

TEST_F(EngineApiTest, ApiKeysAreStoredListedAndRevoked) {
  ApiKeyRecord key;
  key.id = "0123456789ab";
  key.role = KeyRole::kWriter;
  key.scope = KeyScope::kMembers;
  key.cluster = "G-Valley";
  key.label = "front desk";
  key.secret_sha256 = std::string(32, '\x5a');
  ASSERT_TRUE(engine_->AddApiKey(key).ok());
  EXPECT_EQ(engine_->AddApiKey(key).code(), absl::StatusCode::kAlreadyExists);

  auto keys = engine_->ListApiKeys();
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].id, key.id);
  EXPECT_FALSE((*keys)[0].revoked());

  auto revoked = engine_->RevokeApiKey(key.id);
  ASSERT_TRUE(revoked.ok()) << revoked.status();
  EXPECT_TRUE(revoked->revoked());
  // "YYYY-MM-DDTHH:MM:SSZ"
  EXPECT_THAT(revoked->revoked_at,
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
  EXPECT_EQ(engine_->RevokeApiKey("ffffffffffff").status().code(), absl::StatusCode::kNotFound);

  Reopen();
  keys = engine_->ListApiKeys();
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].revoked_at, revoked->revoked_at);
}

TEST_F(EngineApiTest, SnapshotIsAStoreThatOpens) {
  ASSERT_TRUE(engine_->CreateFirm(MakeFirm("late", "DC", {"drone filming"}, {"editors"})).ok());
  const std::string copy = dir_.File("snapshot.db");
  auto info = engine_->Snapshot(copy);
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->path, copy);
  EXPECT_EQ(info->bytes, static_cast<int64_t>(std::filesystem::file_size(copy)));
  EXPECT_THAT(info->created_at,
              ::testing::MatchesRegex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"));
  EXPECT_EQ(engine_->Snapshot(copy).status().code(), absl::StatusCode::kAlreadyExists);

  EngineOptions options;
  options.db_path = copy;
  options.read_only = true;
  auto snapshot = Engine::Open(options);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status();
  EXPECT_EQ(Ids((*snapshot)->ListFirms()), Ids(engine_->ListFirms()));
  EXPECT_EQ((*snapshot)->Stats().model_version, engine_->Stats().model_version);
}

}  // namespace
}  // namespace clustermatch

namespace clustermatch {
namespace {

using store_test::ScratchDir;
using ::testing::StartsWith;

// Match lists inside an event: 40 attendees of the sample cluster.
class RecommendWithinTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    EngineOptions options;
    options.db_path = dir_.File("event.db");
    auto engine = Engine::Open(options);
    ASSERT_TRUE(engine.ok()) << engine.status();
    engine_ = *std::move(engine);
    const std::vector<Firm> firms = GenerateSampleCluster(SampleOptions{});
    ASSERT_TRUE(engine_->ImportFirms(firms).ok());
    for (size_t i = 0; group_.size() < 40; i += 7) {
      if (firms[i % firms.size()].visibility == Visibility::kPublic) {
        group_.push_back(firms[i % firms.size()].id);
      }
    }
  }

  ScratchDir dir_;
  std::unique_ptr<Engine> engine_;
  std::vector<std::string> group_;
};

TEST_F(RecommendWithinTest, ListsHoldOnlyOtherAttendeesAndMatchTheFullRanking) {
  RecommendRequest base;
  base.k = 5;
  auto lists = engine_->RecommendWithin(group_, base);
  ASSERT_TRUE(lists.ok()) << lists.status();
  ASSERT_EQ(lists->size(), group_.size());
  for (size_t i = 0; i < group_.size(); ++i) {
    SCOPED_TRACE(group_[i]);
    const std::vector<Recommendation>& list = (*lists)[i];
    EXPECT_FALSE(list.empty());
    EXPECT_LE(list.size(), 5u);
    // The same ranking as the full recommendation, restricted to attendees.
    RecommendRequest all = base;
    all.firm_id = group_[i];
    all.k = kMaxK;
    auto full = engine_->Recommend(all);
    ASSERT_TRUE(full.ok()) << full.status();
    std::vector<std::string> expected;
    for (const Recommendation& r : *full) {
      if (r.firm_id != group_[i] &&
          std::find(group_.begin(), group_.end(), r.firm_id) != group_.end() &&
          expected.size() < 5) {
        expected.push_back(r.firm_id);
      }
    }
    std::vector<std::string> got;
    for (const Recommendation& r : list) got.push_back(r.firm_id);
    EXPECT_EQ(got, expected);
  }
}

TEST_F(RecommendWithinTest, DeclinedPairsLeaveTheListsAndBadIdsAreNamed) {
  RecommendRequest base;
  base.k = 3;
  auto before = engine_->RecommendWithin(group_, base);
  ASSERT_TRUE(before.ok()) << before.status();
  ASSERT_FALSE((*before)[0].empty());
  const std::string top = (*before)[0][0].firm_id;
  ASSERT_TRUE(
      engine_->AddRelations({{Relation{group_[0], top, RelationKind::kDeclined, "2026-11-01", ""}}})
          .ok());
  auto after = engine_->RecommendWithin(group_, base);
  ASSERT_TRUE(after.ok()) << after.status();
  for (const Recommendation& r : (*after)[0]) EXPECT_NE(r.firm_id, top);

  std::vector<std::string> unknown = group_;
  unknown[3] = "NO-SUCH";
  auto missing = engine_->RecommendWithin(unknown, base);
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), StartsWith("firm_ids[3]: "));
  std::vector<std::string> twice = group_;
  twice[5] = twice[4];
  EXPECT_EQ(engine_->RecommendWithin(twice, base).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace clustermatch
