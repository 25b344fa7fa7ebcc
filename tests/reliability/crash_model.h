// What the crash harness's clients write and what each client knows the
// store must hold. Every client owns the firm ids "crash-c<client>-<n>" and
// the relation contexts "crash-c<client>-r<n>", so no two clients touch the
// same record and every outcome can be checked exactly. Firms are made from
// the store's sample firms; each created or updated firm gets one offer text
// no other firm has, which is also the Search query that must find it.
#ifndef CLUSTERMATCH_TESTS_RELIABILITY_CRASH_MODEL_H_
#define CLUSTERMATCH_TESTS_RELIABILITY_CRASH_MODEL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "clustermatch/v1/firm.pb.h"
#include "clustermatch/v1/relation.pb.h"

namespace clustermatch::reliability {

enum class WriteKind { kCreate, kUpdate, kDelete, kRelations };

const char* WriteKindName(WriteKind kind);

// One write a client sent: for firms the state before and the state the
// write asks for (nullopt: no firm, i.e. before a create or after a delete).
struct Write {
  WriteKind kind = WriteKind::kCreate;
  std::string firm_id;
  std::optional<v1::Firm> before;
  std::optional<v1::Firm> after;
  // UpdateFirm's mask; empty: the whole firm.
  std::vector<std::string> mask;
  std::vector<v1::Relation> relations;

  // One line for the client's log.
  std::string Describe() const;
};

// What one client knows the store holds, carried across cycles.
struct ClientModel {
  int client = 0;
  // Every firm id the client ever wrote: its state, nullopt when it must be
  // absent (deleted, or a create that was never applied).
  std::map<std::string, std::optional<v1::Firm>> firms;
  // Relations that must be listed, by context.
  std::map<std::string, v1::Relation> relations;
  int64_t next_firm = 0;
  int64_t next_relation = 0;
  int64_t next_version = 0;

  std::vector<std::string> LiveFirmIds() const;
  // The store after `write` was applied.
  void Apply(const Write& write);
};

// Makes the clients' writes from templates (the sample firms) and the ids of
// firms relations may name (sample firms, which no client changes).
class WriteFactory {
 public:
  WriteFactory(std::vector<v1::Firm> templates, std::vector<std::string> phrases,
               int max_live_firms_per_client);

  // The next write of this client, drawn from `random`: create about 30%,
  // update 35%, delete 15%, relations 20%, kept within the live-firm cap.
  Write Next(ClientModel& model, std::mt19937_64& random) const;

  // The text Search must find `firm` by: its (only) offer.
  static std::string SearchText(const v1::Firm& firm);

 private:
  v1::Firm NewContent(const ClientModel& model, const std::string& id, std::mt19937_64& random,
                      int64_t version) const;
  std::string DistinctText(int client, int64_t version, std::mt19937_64& random) const;

  std::vector<v1::Firm> templates_;
  std::vector<std::string> phrases_;
  int max_live_;
};

}  // namespace clustermatch::reliability

#endif  // CLUSTERMATCH_TESTS_RELIABILITY_CRASH_MODEL_H_
