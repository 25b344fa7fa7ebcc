// The protocol's split of relations at the cut-off, and the method names
// (engine/quality_eval.h). The run itself is in quality_eval_run.cc.
#include <algorithm>
#include <cctype>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "engine/quality_eval.h"

namespace clustermatch {
namespace {

constexpr EvalMethod kAllMethods[] = {
    EvalMethod::kRandom,           EvalMethod::kPopularity, EvalMethod::kSameRegion,
    EvalMethod::kCommonNeighbours, EvalMethod::kAdamicAdar, EvalMethod::kContent,
    EvalMethod::kClustermatch,
};

// The year a relation date ("YYYY" or "YYYY-MM-DD") starts with, or -1.
int YearOf(const std::string& date) {
  if (date.size() < 4) return -1;
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(date[i]))) return -1;
    year = year * 10 + (date[i] - '0');
  }
  return year;
}

}  // namespace

std::string_view EvalMethodName(EvalMethod method) {
  switch (method) {
    case EvalMethod::kRandom:
      return "random";
    case EvalMethod::kPopularity:
      return "popularity";
    case EvalMethod::kSameRegion:
      return "same_region";
    case EvalMethod::kCommonNeighbours:
      return "common_neighbours";
    case EvalMethod::kAdamicAdar:
      return "adamic_adar";
    case EvalMethod::kContent:
      return "content";
    case EvalMethod::kClustermatch:
      return "clustermatch";
    case EvalMethod::kTopic:
      return "topic";
  }
  return "unknown";
}

std::optional<EvalMethod> ParseEvalMethod(std::string_view name) {
  for (EvalMethod method : kAllMethods) {
    if (EvalMethodName(method) == name) return method;
  }
  if (name == EvalMethodName(EvalMethod::kTopic)) return EvalMethod::kTopic;
  return std::nullopt;
}

std::vector<EvalMethod> AllEvalMethods() {
  return std::vector<EvalMethod>(std::begin(kAllMethods), std::end(kAllMethods));
}

absl::StatusOr<EvalSplit> SplitForEval(std::span<const Firm> firms,
                                       std::span<const Relation> relations, int cutoff_year) {
  if (cutoff_year < 1000 || cutoff_year > 9999) {
    return absl::InvalidArgumentError("cutoff_year: must be a year between 1000 and 9999, got " +
                                      std::to_string(cutoff_year));
  }
  EvalSplit split;
  split.ids.reserve(firms.size());
  for (const Firm& firm : firms) split.ids.push_back(firm.id);
  std::sort(split.ids.begin(), split.ids.end());
  const int n = static_cast<int>(split.ids.size());
  absl::flat_hash_map<std::string, int> index;
  index.reserve(n);
  for (int i = 0; i < n; ++i) {
    if (i > 0 && split.ids[i] == split.ids[i - 1]) {
      return absl::InvalidArgumentError("profiles: id \"" + split.ids[i] + "\" appears twice");
    }
    index.emplace(split.ids[i], i);
  }
  split.company.assign(n, false);
  split.groups.assign(n, -1);
  absl::flat_hash_map<std::string, int> group_of;
  for (const Firm& firm : firms) {
    const int i = index.at(firm.id);
    split.company[i] = firm.kind == FirmKind::kCompany;
    std::string group;
    if (!firm.region.empty()) {
      group = "region:" + firm.region;
    } else if (!firm.mini_cluster.empty()) {
      group = "mini_cluster:" + firm.mini_cluster;
    }
    if (group.empty()) continue;
    auto [it, inserted] = group_of.emplace(group, static_cast<int>(group_of.size()));
    split.groups[i] = it->second;
  }

  auto position = [&](const std::string& id) {
    auto it = index.find(id);
    return it == index.end() ? -1 : it->second;
  };
  std::vector<std::pair<int, int>> before_edges;
  std::vector<std::pair<int, int>> after_pairs;
  for (size_t r = 0; r < relations.size(); ++r) {
    const Relation& relation = relations[r];
    if (relation.kind != RelationKind::kPartnered) {
      ++split.other_kinds;
      continue;
    }
    const int year = YearOf(relation.date);
    if (year < 0) {
      return absl::InvalidArgumentError("relations[" + std::to_string(r) +
                                        "]: date: expected YYYY or YYYY-MM-DD, got \"" +
                                        relation.date + "\"");
    }
    const int a = position(relation.a);
    const int b = position(relation.b);
    const bool profiled = a >= 0 && b >= 0 && a != b;
    if (year < cutoff_year) {
      if (!profiled) {
        ++split.before_unprofiled;
        continue;
      }
      before_edges.emplace_back(a, b);
      split.before_relations.push_back(relation);
    } else if (!profiled) {
      ++split.after_unprofiled;
    } else {
      after_pairs.emplace_back(std::min(a, b), std::max(a, b));
    }
  }
  split.before = LinkGraph(n, before_edges);

  std::sort(after_pairs.begin(), after_pairs.end());
  after_pairs.erase(std::unique(after_pairs.begin(), after_pairs.end()), after_pairs.end());
  split.new_partners.assign(n, {});
  for (const auto& [a, b] : after_pairs) {
    if (split.before.Partnered(a, b)) {
      ++split.after_repeats;
      continue;
    }
    ++split.new_pairs;
    split.new_partners[a].push_back(b);
    split.new_partners[b].push_back(a);
  }
  for (int i = 0; i < n; ++i) {
    std::sort(split.new_partners[i].begin(), split.new_partners[i].end());
    if (!split.new_partners[i].empty()) split.queries.push_back(i);
  }
  return split;
}

}  // namespace clustermatch
