#include "server/cli_options.h"

#include <unistd.h>

#include "engine/firm_csv.h"
#include "engine/status_macros.h"
#include "server/firm_jsonl.h"
#include "server/read_file.h"

namespace clustermatch {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

absl::StatusOr<std::vector<Firm>> ParseFirmFile(const std::string& path,
                                                const std::string& encoding, std::ostream& err) {
  CM_ASSIGN_OR_RETURN(const std::string bytes, ReadFileBytes(path));
  const bool tty = isatty(STDERR_FILENO) != 0;
  auto progress = [&](size_t line) {
    if (tty) err << "\r" << path << ": " << line << " lines read" << std::flush;
  };
  if (EndsWith(path, ".jsonl") || EndsWith(path, ".json")) {
    auto firms = ParseFirmsJsonl(bytes, path, progress);
    if (tty && bytes.size() > (1 << 20)) err << "\n";
    return firms;
  }
  if (EndsWith(path, ".csv")) return ParseFirmsCsv(bytes, path, encoding);
  return absl::InvalidArgumentError(path + ": unknown file type: expected .jsonl or .csv");
}

absl::StatusOr<SearchFilter> FilterFrom(const CliOptions& o) {
  SearchFilter filter;
  filter.clusters_any = o.clusters;
  filter.mini_clusters_any = o.mini_clusters;
  filter.regions = o.regions;
  for (const auto& name : o.kinds) {
    auto kind = ParseFirmKind(name);
    if (!kind) return absl::InvalidArgumentError("--kind: unknown kind \"" + name + "\"");
    filter.kinds.push_back(*kind);
  }
  return filter;
}

absl::StatusOr<MatchIntent> IntentFrom(const std::string& name) {
  if (name == "partner") return MatchIntent::kPartner;
  if (name == "peer") return MatchIntent::kPeer;
  if (name == "purchasing") return MatchIntent::kPurchasing;
  return absl::InvalidArgumentError("--intent: expected partner, peer or purchasing, got \"" +
                                    name + "\"");
}

absl::StatusOr<CrossCluster> CrossClusterFrom(const std::string& name) {
  if (name == "off") return CrossCluster::kOff;
  if (name == "mini-cluster" || name == "mini_cluster") return CrossCluster::kOtherMiniCluster;
  if (name == "cluster") return CrossCluster::kOtherCluster;
  if (name == "boost") return CrossCluster::kBoost;
  return absl::InvalidArgumentError(
      "--cross-cluster: expected mini-cluster, cluster or boost, got \"" + name + "\"");
}

}  // namespace

absl::StatusOr<std::vector<Firm>> ReadFirmFiles(const CliOptions& o, std::ostream& err) {
  std::vector<Firm> firms;
  for (const auto& path : o.files) {
    CM_ASSIGN_OR_RETURN(std::vector<Firm> part, ParseFirmFile(path, o.encoding, err));
    firms.insert(firms.end(), std::make_move_iterator(part.begin()),
                 std::make_move_iterator(part.end()));
  }
  return firms;
}

absl::StatusOr<RecommendRequest> RecommendRequestFrom(const CliOptions& o) {
  RecommendRequest request;
  CM_ASSIGN_OR_RETURN(request.intent, IntentFrom(o.intent));
  CM_ASSIGN_OR_RETURN(request.cross_cluster, CrossClusterFrom(o.cross_cluster));
  CM_ASSIGN_OR_RETURN(request.filter, FilterFrom(o));
  request.k = o.k;
  return request;
}

absl::StatusOr<SearchRequest> SearchRequestFrom(const CliOptions& o) {
  SearchRequest request{o.text, o.k, {}};
  CM_ASSIGN_OR_RETURN(request.filter, FilterFrom(o));
  return request;
}

Language LanguageOf(const CliOptions& o) {
  return o.lang == "ko" ? Language::kKorean : Language::kEnglish;
}

std::string DisplayName(const Firm& firm) { return firm.name + " (" + firm.mini_cluster + ")"; }

}  // namespace clustermatch
