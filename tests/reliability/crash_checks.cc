// The crash harness's checks after a restart; see crash_checks.h.
#include "tests/reliability/crash_checks.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "benchmarks/grpc_load_client.h"
#include "clustermatch/v1/admin_service.grpc.pb.h"
#include "clustermatch/v1/feedback_service.grpc.pb.h"
#include "clustermatch/v1/firm_service.grpc.pb.h"
#include "clustermatch/v1/matching_service.grpc.pb.h"

namespace clustermatch::reliability {
namespace {

constexpr int kPageSize = 1000;
constexpr auto kDeadline = std::chrono::seconds(30);

using google::protobuf::util::MessageDifferencer;

// The API's view of one firm: its profile, or absent.
struct Observed {
  bool call_ok = true;
  std::string error;
  std::optional<v1::Firm> firm;
};

std::string Show(const std::optional<v1::Firm>& firm) {
  return firm.has_value() ? firm->ShortDebugString() : "<absent>";
}

bool Same(const std::optional<v1::Firm>& a, const std::optional<v1::Firm>& b) {
  if (a.has_value() != b.has_value()) return false;
  return !a.has_value() || MessageDifferencer::Equals(*a, *b);
}

bool SameRelation(const v1::Relation& a, const v1::Relation& b) {
  const bool same_pair = (a.firm_a() == b.firm_a() && a.firm_b() == b.firm_b()) ||
                         (a.firm_a() == b.firm_b() && a.firm_b() == b.firm_a());
  return same_pair && a.kind() == b.kind() && a.date() == b.date() && a.context() == b.context();
}

class Checker {
 public:
  Checker(const CheckSettings& settings, CheckResult& result)
      : settings_(settings), result_(result) {
    const std::shared_ptr<grpc::Channel> channel = NewConnection(settings.address, 1000);
    firms_ = v1::FirmService::NewStub(channel);
    feedback_ = v1::FeedbackService::NewStub(channel);
    matching_ = v1::MatchingService::NewStub(channel);
    admin_ = v1::AdminService::NewStub(channel);
  }

  void Violation(int64_t CheckResult::*counter, std::string message) {
    ++(result_.*counter);
    result_.violations.push_back(std::move(message));
  }

  Observed GetFirm(const std::string& id) {
    grpc::ClientContext context;
    PrepareCall(context, settings_.api_key, kDeadline);
    v1::GetFirmRequest request;
    request.set_id(id);
    v1::Firm firm;
    const grpc::Status status = firms_->GetFirm(&context, request, &firm);
    ++result_.firms_checked;
    Observed observed;
    if (status.ok()) {
      observed.firm = std::move(firm);
    } else if (status.error_code() != grpc::StatusCode::NOT_FOUND) {
      observed.call_ok = false;
      observed.error = StatusText(status);
      Violation(&CheckResult::call_failures, "GetFirm " + id + ": " + observed.error);
    }
    return observed;
  }

  // Every relation whose context a client made, by context.
  std::optional<std::map<std::string, std::vector<v1::Relation>>> ListClientRelations() {
    std::map<std::string, std::vector<v1::Relation>> by_context;
    std::string token;
    do {
      grpc::ClientContext context;
      PrepareCall(context, settings_.api_key, kDeadline);
      v1::ListRelationsRequest request;
      request.set_page_size(kPageSize);
      request.set_page_token(token);
      v1::ListRelationsResponse response;
      const grpc::Status status = feedback_->ListRelations(&context, request, &response);
      if (!status.ok()) {
        Violation(&CheckResult::call_failures, "ListRelations: " + StatusText(status));
        return std::nullopt;
      }
      for (const v1::Relation& relation : response.relations()) {
        if (absl::StartsWith(relation.context(), "crash-")) {
          by_context[relation.context()].push_back(relation);
        }
      }
      token = response.next_page_token();
    } while (!token.empty());
    return by_context;
  }

  // Whether a Search for `text` names `id` in its top k; nullopt when the
  // call failed.
  std::optional<bool> SearchFinds(const std::string& text, const std::string& id,
                                  std::string* top) {
    grpc::ClientContext context;
    PrepareCall(context, settings_.api_key, kDeadline);
    v1::SearchRequest request;
    request.set_query(text);
    request.set_k(settings_.search_k);
    request.set_omit_explanations(true);
    v1::SearchResponse response;
    const grpc::Status status = matching_->Search(&context, request, &response);
    ++result_.searches;
    if (!status.ok()) {
      Violation(&CheckResult::call_failures, "Search \"" + text + "\": " + StatusText(status));
      return std::nullopt;
    }
    bool found = false;
    for (const v1::Recommendation& hit : response.results()) {
      absl::StrAppend(top, top->empty() ? "" : ", ", hit.firm_id());
      found = found || hit.firm_id() == id;
    }
    return found;
  }

  std::optional<v1::Stats> Stats() {
    grpc::ClientContext context;
    PrepareCall(context, settings_.api_key, kDeadline);
    v1::Stats stats;
    const grpc::Status status = admin_->GetStats(&context, v1::GetStatsRequest(), &stats);
    if (!status.ok()) {
      Violation(&CheckResult::call_failures, "GetStats: " + StatusText(status));
      return std::nullopt;
    }
    return stats;
  }

  // Acknowledged firm states, then the in-flight firm write.
  void CheckFirms(ClientModel& model, const ClientCycle& cycle) {
    const Write* in_flight =
        cycle.in_flight.has_value() && cycle.in_flight->kind != WriteKind::kRelations
            ? &*cycle.in_flight
            : nullptr;
    for (const auto& [id, expected] : model.firms) {
      if (in_flight != nullptr && id == in_flight->firm_id) continue;
      const Observed observed = GetFirm(id);
      if (!observed.call_ok || Same(observed.firm, expected)) continue;
      Violation(&CheckResult::lost, "LOST: acknowledged state of firm " + id + " is " +
                                        Show(expected) + " but the store has " +
                                        Show(observed.firm));
    }
    if (in_flight == nullptr) return;
    const Observed observed = GetFirm(in_flight->firm_id);
    if (!observed.call_ok) return;
    if (Same(observed.firm, in_flight->after)) {
      ++result_.in_flight_applied;
      model.Apply(*in_flight);
    } else if (Same(observed.firm, in_flight->before)) {
      ++result_.in_flight_absent;
      // A create that did not happen: the id must stay absent.
      model.firms[in_flight->firm_id] = in_flight->before;
    } else {
      Violation(&CheckResult::half_applied, "HALF-APPLIED: in-flight " + in_flight->Describe() +
                                                ": store has " + Show(observed.firm) + ", before " +
                                                Show(in_flight->before) + ", attempted " +
                                                Show(in_flight->after));
      model.firms[in_flight->firm_id] = observed.firm;
    }
  }

  void CheckRelations(ClientModel& model, const ClientCycle& cycle,
                      const std::map<std::string, std::vector<v1::Relation>>& listed,
                      std::set<std::string>& explained) {
    const std::string prefix = absl::StrCat("crash-c", model.client, "-r");
    for (const auto& [context, expected] : model.relations) {
      explained.insert(context);
      ++result_.relations_checked;
      auto it = listed.find(context);
      const size_t count = it == listed.end() ? 0 : it->second.size();
      if (count == 1 && SameRelation(it->second[0], expected)) continue;
      Violation(&CheckResult::lost,
                absl::StrCat("LOST: acknowledged relation ", expected.ShortDebugString(),
                             " is listed ", count, " times",
                             count > 0 ? " as " + it->second[0].ShortDebugString() : ""));
    }
    if (!cycle.in_flight.has_value() || cycle.in_flight->kind != WriteKind::kRelations) return;
    const Write& write = *cycle.in_flight;
    size_t present = 0;
    for (const v1::Relation& relation : write.relations) {
      explained.insert(relation.context());
      auto it = listed.find(relation.context());
      if (it != listed.end() && it->second.size() == 1 && SameRelation(it->second[0], relation)) {
        ++present;
      } else if (it != listed.end()) {
        present = write.relations.size() + 1;  // listed, but not as sent: never whole
      }
    }
    if (present == write.relations.size()) {
      ++result_.in_flight_applied;
      model.Apply(write);
    } else if (present == 0) {
      ++result_.in_flight_absent;
    } else {
      Violation(&CheckResult::half_applied,
                absl::StrCat("HALF-APPLIED: in-flight ", write.Describe(), ": ",
                             std::min(present, write.relations.size()), " of ",
                             write.relations.size(), " relations listed (or not as sent)"));
      for (const v1::Relation& relation : write.relations) {
        if (listed.contains(relation.context())) model.relations[relation.context()] = relation;
      }
    }
  }

  // Counts and searches, on the resolved models.
  void CheckIndex(const std::vector<ClientModel>& models, const std::vector<ClientCycle>& cycles) {
    int64_t live = 0;
    int64_t relations = 0;
    for (const ClientModel& model : models) {
      live += static_cast<int64_t>(model.LiveFirmIds().size());
      relations += static_cast<int64_t>(model.relations.size());
    }
    if (std::optional<v1::Stats> stats = Stats()) {
      const int64_t firms = settings_.base_firms + live;
      if (stats->firms() != firms || stats->indexed() != stats->firms() ||
          stats->relations() != settings_.base_relations + relations) {
        Violation(&CheckResult::index_disagreements,
                  absl::StrCat("INDEX: GetStats says ", stats->firms(), " firms, ",
                               stats->indexed(), " indexed, ", stats->relations(),
                               " relations; expected ", firms, " firms, all indexed, ",
                               settings_.base_relations + relations, " relations"));
      }
    }
    for (size_t c = 0; c < models.size(); ++c) {
      for (const auto& [id, state] : models[c].firms) {
        if (!state.has_value()) continue;
        // Hidden firms never appear in results, not even to admins
        // (engine/access_policy.h): GetStats' indexed count covers them.
        if (state->visibility() == v1::VISIBILITY_HIDDEN) {
          ++result_.hidden_not_searched;
          continue;
        }
        std::string top;
        const std::optional<bool> found = SearchFinds(WriteFactory::SearchText(*state), id, &top);
        if (found.has_value() && !*found) {
          Violation(&CheckResult::index_disagreements,
                    absl::StrCat("INDEX: Search \"", WriteFactory::SearchText(*state), "\" (k=",
                                 settings_.search_k, ") does not find ", id, "; top: ", top));
        }
      }
      // Firms deleted this cycle (acknowledged): gone from search too.
      for (const Write& write : cycles[c].acknowledged_writes) {
        if (write.kind != WriteKind::kDelete || models[c].firms.at(write.firm_id).has_value()) {
          continue;
        }
        std::string top;
        const std::optional<bool> found =
            SearchFinds(WriteFactory::SearchText(*write.before), write.firm_id, &top);
        if (found.has_value() && *found) {
          Violation(&CheckResult::index_disagreements,
                    "INDEX: Search finds deleted firm " + write.firm_id);
        }
      }
    }
  }

 private:
  const CheckSettings& settings_;
  CheckResult& result_;
  std::unique_ptr<v1::FirmService::Stub> firms_;
  std::unique_ptr<v1::FeedbackService::Stub> feedback_;
  std::unique_ptr<v1::MatchingService::Stub> matching_;
  std::unique_ptr<v1::AdminService::Stub> admin_;
};

}  // namespace

CheckResult CheckStore(const CheckSettings& settings, std::vector<ClientModel>& models,
                       const std::vector<ClientCycle>& cycles) {
  CheckResult result;
  Checker checker(settings, result);
  for (size_t c = 0; c < models.size(); ++c) checker.CheckFirms(models[c], cycles[c]);
  const auto listed = checker.ListClientRelations();
  if (listed.has_value()) {
    std::set<std::string> explained;
    for (size_t c = 0; c < models.size(); ++c) {
      checker.CheckRelations(models[c], cycles[c], *listed, explained);
    }
    for (const auto& [context, relations] : *listed) {
      if (explained.contains(context)) continue;
      checker.Violation(&CheckResult::phantoms,
                        "PHANTOM: relation " + context + " listed but never sent by a client");
    }
  }
  checker.CheckIndex(models, cycles);
  return result;
}

}  // namespace clustermatch::reliability
