// The crash harness's writes and expected state; see crash_model.h.
#include "tests/reliability/crash_model.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace clustermatch::reliability {
namespace {

template <typename T>
const T& Pick(const std::vector<T>& items, std::mt19937_64& random) {
  return items[std::uniform_int_distribution<size_t>(0, items.size() - 1)(random)];
}

const std::vector<v1::RelationKind>& RelationKinds() {
  static const auto* kinds = new std::vector<v1::RelationKind>{
      v1::RELATION_KIND_PARTNERED, v1::RELATION_KIND_MET,        v1::RELATION_KIND_ACCEPTED,
      v1::RELATION_KIND_DECLINED,  v1::RELATION_KIND_COMPETITOR, v1::RELATION_KIND_DO_NOT_MATCH};
  return *kinds;
}

}  // namespace

const char* WriteKindName(WriteKind kind) {
  switch (kind) {
    case WriteKind::kCreate:
      return "create";
    case WriteKind::kUpdate:
      return "update";
    case WriteKind::kDelete:
      return "delete";
    case WriteKind::kRelations:
      return "relations";
  }
  return "?";
}

std::string Write::Describe() const {
  if (kind == WriteKind::kRelations) {
    std::vector<std::string> contexts;
    for (const v1::Relation& relation : relations) {
      contexts.push_back(
          absl::StrCat(relation.context(), " (", relation.firm_a(), " ", relation.firm_b(), ")"));
    }
    return absl::StrCat("relations ", absl::StrJoin(contexts, ", "));
  }
  std::string text = absl::StrCat(WriteKindName(kind), " ", firm_id);
  if (kind == WriteKind::kUpdate) {
    absl::StrAppend(&text, " mask [", absl::StrJoin(mask, ","), "]");
  }
  if (after.has_value())
    absl::StrAppend(&text, " offer \"", WriteFactory::SearchText(*after), "\"");
  return text;
}

std::vector<std::string> ClientModel::LiveFirmIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, state] : firms) {
    if (state.has_value()) ids.push_back(id);
  }
  return ids;
}

void ClientModel::Apply(const Write& write) {
  if (write.kind == WriteKind::kRelations) {
    for (const v1::Relation& relation : write.relations) relations[relation.context()] = relation;
    return;
  }
  firms[write.firm_id] = write.after;
}

WriteFactory::WriteFactory(std::vector<v1::Firm> templates, std::vector<std::string> phrases,
                           int max_live_firms_per_client)
    : templates_(std::move(templates)),
      phrases_(std::move(phrases)),
      max_live_(max_live_firms_per_client) {}

std::string WriteFactory::SearchText(const v1::Firm& firm) {
  return firm.offers_size() > 0 ? firm.offers(0) : "";
}

std::string WriteFactory::DistinctText(int client, int64_t version, std::mt19937_64& random) const {
  // Three offer wordings of the sample vocabulary (so the text model knows
  // their words) and a marker: no two firms share the whole text.
  return absl::StrCat(Pick(phrases_, random), ", ", Pick(phrases_, random), " and ",
                      Pick(phrases_, random), " (lot c", client, "v", version, ")");
}

v1::Firm WriteFactory::NewContent(const ClientModel& model, const std::string& id,
                                  std::mt19937_64& random, int64_t version) const {
  v1::Firm firm = Pick(templates_, random);
  firm.set_id(id);
  firm.set_name(absl::StrCat("Crash test firm ", id, " v", version));
  firm.set_description(absl::StrCat("Written by the crash harness, client ", model.client,
                                    ", version ", version, "."));
  firm.clear_offers();
  firm.add_offers(DistinctText(model.client, version, random));
  // Only the offer makes the offer text, so the query equals it.
  firm.clear_technologies();
  firm.clear_products();
  firm.set_employees(static_cast<int32_t>(version % 5000));
  return firm;
}

Write WriteFactory::Next(ClientModel& model, std::mt19937_64& random) const {
  const std::vector<std::string> live = model.LiveFirmIds();
  const int draw = std::uniform_int_distribution<int>(0, 99)(random);
  WriteKind kind = draw < 30   ? WriteKind::kCreate
                   : draw < 65 ? WriteKind::kUpdate
                   : draw < 80 ? WriteKind::kDelete
                               : WriteKind::kRelations;
  if (kind == WriteKind::kCreate && static_cast<int>(live.size()) >= max_live_) {
    kind = WriteKind::kDelete;
  }
  if ((kind == WriteKind::kUpdate || kind == WriteKind::kDelete) && live.empty()) {
    kind = WriteKind::kCreate;
  }

  Write write;
  write.kind = kind;
  const int64_t version = ++model.next_version;
  switch (kind) {
    case WriteKind::kCreate: {
      write.firm_id = absl::StrCat("crash-c", model.client, "-", ++model.next_firm);
      write.after = NewContent(model, write.firm_id, random, version);
      break;
    }
    case WriteKind::kUpdate: {
      write.firm_id = Pick(live, random);
      write.before = model.firms.at(write.firm_id);
      if (std::uniform_int_distribution<int>(0, 1)(random) == 0) {
        // The whole profile replaced by another template's.
        write.after = NewContent(model, write.firm_id, random, version);
      } else {
        // Some fields: the rest must stay as they were.
        const v1::Firm fresh = NewContent(model, write.firm_id, random, version);
        write.mask = {"name", "description", "offers", "employees"};
        write.after = *write.before;
        write.after->set_name(fresh.name());
        write.after->set_description(fresh.description());
        *write.after->mutable_offers() = fresh.offers();
        write.after->set_employees(fresh.employees());
      }
      break;
    }
    case WriteKind::kDelete: {
      write.firm_id = Pick(live, random);
      write.before = model.firms.at(write.firm_id);
      break;
    }
    case WriteKind::kRelations: {
      const int count = std::uniform_int_distribution<int>(1, 3)(random);
      for (int i = 0; i < count; ++i) {
        v1::Relation relation;
        relation.set_firm_a(Pick(templates_, random).id());
        do {
          relation.set_firm_b(Pick(templates_, random).id());
        } while (relation.firm_b() == relation.firm_a());
        relation.set_kind(Pick(RelationKinds(), random));
        relation.set_date(
            absl::StrCat(2020 + version % 5, "-0", 1 + version % 9, "-1", version % 10));
        relation.set_context(absl::StrCat("crash-c", model.client, "-r", ++model.next_relation));
        write.relations.push_back(std::move(relation));
      }
      break;
    }
  }
  return write;
}

}  // namespace clustermatch::reliability
