// The audit log through the Engine, on real store files: every write kind
// records who, what and when in the transaction of the write; refused writes
// record nothing; a deleted firm leaves only its id; rows survive a reopen;
// retention prunes old rows on writable opens only; version 2 stores migrate;
// and the query filters (since, firm, limit).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "engine/audit_log.h"
#include "engine/engine.h"
#include "engine/firm_store.h"
#include "engine/sqlite_statement.h"
#include "engine/store_schema.h"
#include "tests/engine/store_test_support.h"
#include "tests/engine/test_firms.h"

namespace clustermatch {
namespace {

using store_test::ScratchDir;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::MakeFirm;
using testing::SmallCluster;

// A text that appears in one profile only, to look for after its deletion.
constexpr char kSecretOffer[] = "confidential wafer bonding process for sensor dies";

// "actor action subject" of each row, for compact expectations.
std::vector<std::string> Rows(const std::vector<AuditEntry>& entries) {
  std::vector<std::string> rows;
  for (const AuditEntry& entry : entries) {
    rows.push_back(entry.actor + " " + entry.action + " " + entry.subject);
  }
  return rows;
}

ApiKeyRecord Key(const std::string& id) {
  ApiKeyRecord key;
  key.id = id;
  key.role = KeyRole::kWriter;
  key.secret_sha256 = std::string(32, 'h');
  return key;
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(dir_.ok()); }

  std::unique_ptr<Engine> Open(std::optional<int> retention = std::nullopt,
                               bool read_only = false) {
    EngineOptions options;
    options.db_path = path_;
    options.read_only = read_only;
    options.audit_retention_days = retention;
    absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Open(options);
    EXPECT_TRUE(engine.ok()) << engine.status();
    return engine.ok() ? *std::move(engine) : nullptr;
  }

  std::vector<AuditEntry> Log(const Engine& engine, AuditQuery query = {}) {
    absl::StatusOr<std::vector<AuditEntry>> entries = engine.AuditLog(query);
    EXPECT_TRUE(entries.ok()) << entries.status();
    return entries.ok() ? *entries : std::vector<AuditEntry>{};
  }

  // A plain connection to the store file, behind the store's back.
  std::unique_ptr<SqliteDb> RawDb() {
    absl::StatusOr<std::unique_ptr<SqliteDb>> db =
        SqliteDb::Open(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? *std::move(db) : nullptr;
  }

  int64_t AuditRowCount() {
    std::unique_ptr<SqliteDb> raw = RawDb();
    if (raw == nullptr) return -1;
    absl::StatusOr<int64_t> count = raw->QueryInt("SELECT count(*) FROM audit_log", "count");
    EXPECT_TRUE(count.ok()) << count.status();
    return count.ok() ? *count : -1;
  }

  ScratchDir dir_;
  const std::string path_ = dir_.File("audit.db");
  const WriteActor alice_ = WriteActor::CommandLine("alice");
  const WriteActor key_ = WriteActor::ApiKey("3f9a61c2d4e7");
};

TEST(AuditActorTest, NamesTheKeyTheUserOrTheSystem) {
  EXPECT_EQ(WriteActor::ApiKey("3f9a61c2d4e7").name, "key:3f9a61c2d4e7");
  EXPECT_EQ(WriteActor::CommandLine("kim").name, "cli:kim");
  EXPECT_EQ(WriteActor::System().name, "system");
  const std::string current = WriteActor::CurrentUser().name;
  EXPECT_TRUE(current.starts_with("cli:")) << current;
  EXPECT_GT(current.size(), 4u);
}

TEST(AuditActorTest, RelationRowsConcernBothSidesAndNothingElse) {
  const AuditEntry relation{1, "", "cli:a", "add_relation",
                            AuditRelationSubject("a b", "c->d", "partnered")};
  EXPECT_EQ(relation.subject, "a b->c->d partnered");
  EXPECT_TRUE(AuditEntryConcerns(relation, "a b"));
  EXPECT_TRUE(AuditEntryConcerns(relation, "c->d"));
  EXPECT_FALSE(AuditEntryConcerns(relation, "a"));
  EXPECT_FALSE(AuditEntryConcerns(relation, "partnered"));
  const AuditEntry firm{2, "", "cli:a", "delete_firm", "mes"};
  EXPECT_TRUE(AuditEntryConcerns(firm, "mes"));
  EXPECT_FALSE(AuditEntryConcerns(firm, "me"));
  const AuditEntry key{3, "", "cli:a", "add_key", "mes"};
  EXPECT_FALSE(AuditEntryConcerns(key, "mes")) << "a key id is not a firm";
}

TEST_F(AuditLogTest, EveryWriteKindRecordsItsActorActionAndSubject) {
  std::unique_ptr<Engine> engine = Open();
  ASSERT_NE(engine, nullptr);
  std::vector<Firm> firms = SmallCluster();
  ASSERT_TRUE(engine->ImportFirms(firms, alice_).ok());
  const size_t imported = firms.size();
  std::vector<AuditEntry> log = Log(*engine);
  // One row per imported firm, then the model the first import trained.
  ASSERT_EQ(log.size(), imported + 1);
  for (size_t i = 0; i < imported; ++i) {
    EXPECT_EQ(Rows({log[i]})[0], "cli:alice import_firm " + firms[i].id);
  }
  EXPECT_EQ(log[imported].actor, "cli:alice");
  EXPECT_EQ(log[imported].action, "retrain");
  EXPECT_THAT(log[imported].subject, ::testing::StartsWith("model v"));
  const int64_t before = log.back().seq;

  ASSERT_TRUE(
      engine->CreateFirm(MakeFirm("drone", "DC", {"drone filming"}, {"editors"}), key_).ok());
  ASSERT_TRUE(engine
                  ->UpdateFirm(
                      "drone",
                      [](Firm& firm) {
                        firm.description = "aerial";
                        return absl::OkStatus();
                      },
                      key_)
                  .ok());
  ASSERT_TRUE(
      engine
          ->AddRelations(
              std::vector<Relation>{{"drone", "vr", RelationKind::kMet, "2026-11-01", ""},
                                    {"mes", "drone", RelationKind::kPartnered, "2026", "project"}},
              key_)
          .ok());
  absl::StatusOr<int64_t> version = engine->Train(alice_);
  ASSERT_TRUE(version.ok()) << version.status();
  ASSERT_TRUE(engine->DeleteFirm("drone", key_).ok());
  ASSERT_TRUE(engine->AddApiKey(Key("0123456789ab"), alice_).ok());
  ASSERT_TRUE(engine->RevokeApiKey("0123456789ab", key_).ok());

  log = Log(*engine);
  std::vector<AuditEntry> recent;
  for (const AuditEntry& entry : log) {
    if (entry.seq > before) recent.push_back(entry);
  }
  EXPECT_THAT(
      Rows(recent),
      ElementsAre("key:3f9a61c2d4e7 create_firm drone", "key:3f9a61c2d4e7 update_firm drone",
                  "key:3f9a61c2d4e7 add_relation drone->vr met",
                  "key:3f9a61c2d4e7 add_relation mes->drone partnered",
                  "cli:alice train model v" + std::to_string(*version),
                  "key:3f9a61c2d4e7 delete_firm drone", "cli:alice add_key 0123456789ab",
                  "key:3f9a61c2d4e7 revoke_key 0123456789ab"));
  // seq rises and every time is UTC with milliseconds, in order.
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_THAT(log[i].at, ::testing::MatchesRegex(
                               "20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
                               "\\.[0-9][0-9][0-9]Z"));
    if (i > 0) {
      EXPECT_GT(log[i].seq, log[i - 1].seq);
      EXPECT_GE(log[i].at, log[i - 1].at);
    }
  }
}

TEST_F(AuditLogTest, RefusedWritesRecordNothing) {
  std::unique_ptr<Engine> engine = Open();
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(engine->ImportFirms(SmallCluster(), alice_).ok());
  ASSERT_TRUE(engine->AddApiKey(Key("aaaaaaaaaaaa"), alice_).ok());
  const size_t rows = Log(*engine).size();

  Firm bad = MakeFirm("bad", "ICT", {"x"}, {"y"});
  bad.name = std::string("\x01", 1);
  EXPECT_FALSE(
      engine->ImportFirms(std::vector<Firm>{MakeFirm("ok", "ICT", {"a"}, {"b"}), bad}, key_).ok());
  EXPECT_EQ(engine->CreateFirm(MakeFirm("mes", "ICT", {"a"}, {"b"}), key_).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_FALSE(engine
                   ->UpdateFirm(
                       "mes", [](Firm&) { return absl::PermissionDeniedError("no"); }, key_)
                   .ok());
  EXPECT_EQ(engine
                ->UpdateFirm(
                    "nobody", [](Firm&) { return absl::OkStatus(); }, key_)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(engine->DeleteFirm("nobody", key_).code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(
      engine
          ->AddRelations(std::vector<Relation>{{"mes", "vr", RelationKind::kMet, "2026", ""},
                                               {"mes", "nobody", RelationKind::kMet, "2026", ""}},
                         key_)
          .code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(engine->AddApiKey(Key("aaaaaaaaaaaa"), key_).code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(engine->RevokeApiKey("ffffffffffff", key_).status().code(),
            absl::StatusCode::kNotFound);
  ApiKeyRecord fast = Key("bbbbbbbbbbbb");
  fast.rate_limit = -1;
  EXPECT_EQ(engine->AddApiKey(fast, key_).code(), absl::StatusCode::kInvalidArgument);

  EXPECT_EQ(Log(*engine).size(), rows);
  EXPECT_EQ(AuditRowCount(), static_cast<int64_t>(rows));
}

// A failure inside the store's transaction (the second relation's firm is
// missing in the store) rolls back the relation rows and the audit rows
// together.
TEST_F(AuditLogTest, AFailedStoreTransactionLeavesNeitherTheWriteNorItsRows) {
  StoreOptions options;
  absl::StatusOr<std::unique_ptr<FirmStore>> store = FirmStore::Open(path_, options);
  ASSERT_TRUE(store.ok()) << store.status();
  const AuditStamp stamp{"cli:alice", AuditAction::kAddRelation};
  ASSERT_TRUE((*store)
                  ->PutFirms(std::vector<Firm>{MakeFirm("a", "ICT", {"x"}, {"y"}),
                                               MakeFirm("b", "ICT", {"x"}, {"y"})},
                             AuditStamp{"cli:alice", AuditAction::kImportFirm})
                  .ok());
  const absl::Status added =
      (*store)->AddRelations(std::vector<Relation>{{"a", "b", RelationKind::kMet, "2026", ""},
                                                   {"a", "ghost", RelationKind::kMet, "2026", ""}},
                             stamp);
  EXPECT_EQ(added.code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE((*store)->ListRelations()->empty());
  absl::StatusOr<std::vector<AuditEntry>> log = (*store)->ListAudit({});
  ASSERT_TRUE(log.ok()) << log.status();
  EXPECT_THAT(Rows(*log), ElementsAre("cli:alice import_firm a", "cli:alice import_firm b"));
  // The overloads without a stamp record nothing.
  ASSERT_TRUE((*store)->DeleteFirm("b").ok());
  EXPECT_EQ((*store)->ListAudit({})->size(), 2u);
}

TEST_F(AuditLogTest, ADeletedFirmLeavesOnlyItsIdInTheLog) {
  {
    std::unique_ptr<Engine> engine = Open();
    ASSERT_NE(engine, nullptr);
    std::vector<Firm> firms = SmallCluster();
    Firm secret = MakeFirm("wafer-co", "IMT", {kSecretOffer}, {"cleanroom partner"});
    secret.name = "Wafer Secret Co";
    secret.description = "private business plan: expand to Vietnam in 2027";
    firms.push_back(secret);
    ASSERT_TRUE(engine->ImportFirms(firms, alice_).ok());
    ASSERT_TRUE(engine
                    ->UpdateFirm(
                        "wafer-co",
                        [](Firm& firm) {
                          firm.needs.push_back("patent attorney for bonding");
                          return absl::OkStatus();
                        },
                        key_)
                    .ok());
    ASSERT_TRUE(engine->DeleteFirm("wafer-co", key_).ok());
  }
  std::unique_ptr<SqliteDb> raw = RawDb();
  ASSERT_NE(raw, nullptr);
  // Nothing of the profile in any column of any row.
  for (const char* text :
       {kSecretOffer, "Wafer Secret Co", "Vietnam", "patent attorney", "cleanroom partner"}) {
    absl::StatusOr<SqliteStatement> find = SqliteStatement::Prepare(
        *raw,
        "SELECT count(*) FROM audit_log WHERE instr(actor || action || subject || at, ?1) > 0");
    ASSERT_TRUE(find.ok()) << find.status();
    find->BindText(1, text);
    ASSERT_TRUE(*find->Step());
    EXPECT_EQ(find->ColumnInt64(0), 0) << text;
  }
  std::unique_ptr<Engine> engine = Open();
  ASSERT_NE(engine, nullptr);
  AuditQuery about;
  about.firm_id = "wafer-co";
  EXPECT_THAT(Rows(Log(*engine, about)),
              ElementsAre("cli:alice import_firm wafer-co", "key:3f9a61c2d4e7 update_firm wafer-co",
                          "key:3f9a61c2d4e7 delete_firm wafer-co"));
}

TEST_F(AuditLogTest, RowsSurviveReopenAndReadOnlyOpensSeeThem) {
  {
    std::unique_ptr<Engine> engine = Open();
    ASSERT_NE(engine, nullptr);
    ASSERT_TRUE(engine->ImportFirms(SmallCluster(), alice_).ok());
    ASSERT_TRUE(engine->DeleteFirm("mes", key_).ok());
  }
  std::unique_ptr<Engine> reader = Open(std::nullopt, /*read_only=*/true);
  ASSERT_NE(reader, nullptr);
  const std::vector<AuditEntry> log = Log(*reader);
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(Rows({log.back()})[0], "key:3f9a61c2d4e7 delete_firm mes");
}

TEST_F(AuditLogTest, QueryFiltersBySinceFirmAndLimit) {
  std::unique_ptr<Engine> engine = Open();
  ASSERT_NE(engine, nullptr);
  ASSERT_TRUE(engine->ImportFirms(SmallCluster(), alice_).ok());
  ASSERT_TRUE(engine
                  ->AddRelations(
                      std::vector<Relation>{{"mes", "vr", RelationKind::kMet, "2026", ""},
                                            {"vr", "expo", RelationKind::kMet, "2026", ""},
                                            {"machining", "mes", RelationKind::kMet, "2026", ""}},
                      key_)
                  .ok());
  ASSERT_TRUE(engine->DeleteFirm("mes", key_).ok());

  AuditQuery mes;
  mes.firm_id = "mes";
  EXPECT_THAT(Rows(Log(*engine, mes)),
              ElementsAre("cli:alice import_firm mes", "key:3f9a61c2d4e7 add_relation mes->vr met",
                          "key:3f9a61c2d4e7 add_relation machining->mes met",
                          "key:3f9a61c2d4e7 delete_firm mes"));
  mes.limit = 2;  // the most recent two, oldest first
  EXPECT_THAT(Rows(Log(*engine, mes)),
              ElementsAre("key:3f9a61c2d4e7 add_relation machining->mes met",
                          "key:3f9a61c2d4e7 delete_firm mes"));
  AuditQuery future;
  future.since = "2999-01-01";
  EXPECT_THAT(Log(*engine, future), IsEmpty());
  AuditQuery past;
  past.since = "2000-01-01";
  EXPECT_EQ(Log(*engine, past).size(), Log(*engine).size());
}

TEST_F(AuditLogTest, RetentionPrunesOldRowsOnWritableOpensOnly) {
  {
    std::unique_ptr<Engine> engine = Open();
    ASSERT_NE(engine, nullptr);
    ASSERT_TRUE(engine->ImportFirms(SmallCluster(), alice_).ok());
  }
  const int64_t rows = AuditRowCount();
  ASSERT_GT(rows, 3);
  // Three rows made old: two beyond the default 730 days, one within.
  {
    std::unique_ptr<SqliteDb> raw = RawDb();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("UPDATE audit_log SET at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', "
                          "'-731 days') WHERE seq IN (1, 2)",
                          "age")
                    .ok());
    ASSERT_TRUE(raw->Exec("UPDATE audit_log SET at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', "
                          "'-729 days') WHERE seq = 3",
                          "age")
                    .ok());
  }
  {
    std::unique_ptr<Engine> reader = Open(std::nullopt, /*read_only=*/true);
    ASSERT_NE(reader, nullptr);
    EXPECT_EQ(Log(*reader).size(), static_cast<size_t>(rows)) << "read-only opens prune nothing";
  }
  {
    std::unique_ptr<Engine> writer = Open();
    ASSERT_NE(writer, nullptr);
    const std::vector<AuditEntry> log = Log(*writer);
    ASSERT_EQ(log.size(), static_cast<size_t>(rows - 2));
    EXPECT_EQ(log.front().seq, 3);
  }
  // A shorter retention, kept in the store for later opens that name none.
  {
    std::unique_ptr<SqliteDb> raw = RawDb();
    ASSERT_NE(raw, nullptr);
    ASSERT_TRUE(raw->Exec("UPDATE audit_log SET at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', "
                          "'-11 days') WHERE seq = 4",
                          "age")
                    .ok());
  }
  {
    std::unique_ptr<Engine> writer = Open(30);
    ASSERT_NE(writer, nullptr);
    EXPECT_EQ(Log(*writer).front().seq, 4) << "729 days > 30: pruned; 11 days kept";
  }
  {
    std::unique_ptr<SqliteDb> raw = RawDb();
    ASSERT_NE(raw, nullptr);
    EXPECT_EQ(*raw->QueryText("SELECT value FROM meta WHERE key = 'audit_retention_days'", "r"),
              "30");
    ASSERT_TRUE(raw->Exec("UPDATE audit_log SET at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', "
                          "'-31 days') WHERE seq = 4",
                          "age")
                    .ok());
  }
  {
    std::unique_ptr<Engine> writer = Open();
    ASSERT_NE(writer, nullptr);
    EXPECT_EQ(Log(*writer).front().seq, 5) << "the kept 30 days applied without the option";
  }
  EngineOptions bad;
  bad.db_path = path_;
  bad.audit_retention_days = 0;
  absl::StatusOr<std::unique_ptr<Engine>> refused = Engine::Open(bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("audit retention"));
}

TEST_F(AuditLogTest, VersionTwoStoreMigratesWithItsKeysAndAnEmptyLog) {
  {
    std::unique_ptr<SqliteDb> raw = RawDb();
    ASSERT_NE(raw, nullptr);
    absl::StatusOr<int> version = MigrateSchema(*raw, StoreMigrations().first(2));
    ASSERT_TRUE(version.ok()) << version.status();
    ASSERT_EQ(*version, 2);
    ASSERT_TRUE(raw->Exec("INSERT INTO api_keys(id, role, scope, cluster, label, secret_sha256, "
                          "created_at) VALUES('0123456789ab', 'admin', 'public', '', 'old', "
                          "zeroblob(32), '2024-01-01T00:00:00Z')",
                          "old key")
                    .ok());
  }
  std::unique_ptr<Engine> engine = Open();
  ASSERT_NE(engine, nullptr);
  EXPECT_EQ(engine->Stats().schema_version, CurrentStoreSchemaVersion());
  EXPECT_GE(CurrentStoreSchemaVersion(), 3);
  absl::StatusOr<std::vector<ApiKeyRecord>> keys = engine->ListApiKeys();
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].rate_limit, 0);
  EXPECT_EQ((*keys)[0].rate_burst, 0);
  EXPECT_THAT(Log(*engine), IsEmpty());
  ASSERT_TRUE(engine->RevokeApiKey("0123456789ab", alice_).ok());
  EXPECT_THAT(Rows(Log(*engine)), ElementsAre("cli:alice revoke_key 0123456789ab"));
}

TEST_F(AuditLogTest, KeyRateLimitsAreStoredAndCheckedByTheStore) {
  std::unique_ptr<Engine> engine = Open();
  ASSERT_NE(engine, nullptr);
  ApiKeyRecord limited = Key("aaaaaaaaaaaa");
  limited.rate_limit = 2.5;
  limited.rate_burst = 7;
  ASSERT_TRUE(engine->AddApiKey(limited, alice_).ok());
  ASSERT_TRUE(engine->AddApiKey(Key("bbbbbbbbbbbb"), alice_).ok());
  for (const auto& [rate, burst] : std::vector<std::pair<double, int>>{
           {-1, 0}, {std::nan(""), 0}, {2e6, 0}, {0, 5}, {1, -1}, {1, 2000000}}) {
    ApiKeyRecord bad = Key("cccccccccccc");
    bad.rate_limit = rate;
    bad.rate_burst = burst;
    const absl::Status status = engine->AddApiKey(bad, alice_);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << rate << " " << burst;
    EXPECT_THAT(std::string(status.message()),
                ::testing::AnyOf(HasSubstr("rate_limit"), HasSubstr("rate_burst")));
  }
  engine.reset();
  engine = Open(std::nullopt, /*read_only=*/true);
  ASSERT_NE(engine, nullptr);
  absl::StatusOr<std::vector<ApiKeyRecord>> keys = engine->ListApiKeys();
  ASSERT_TRUE(keys.ok()) << keys.status();
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].rate_limit, 2.5);
  EXPECT_EQ((*keys)[0].rate_burst, 7);
  EXPECT_EQ(DescribeKeyRateLimit((*keys)[0]), "2.5/s, burst 7");
  EXPECT_EQ(DescribeKeyRateLimit((*keys)[1]), "default");
}

}  // namespace
}  // namespace clustermatch
