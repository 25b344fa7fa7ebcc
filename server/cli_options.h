// What the parsed command line says, and how its options become engine
// requests. Shared by the embedded commands (cli_commands.cc) and the
// --server ones (cli_remote.cc), so both ask the same question.
#ifndef CLUSTERMATCH_SERVER_CLI_OPTIONS_H_
#define CLUSTERMATCH_SERVER_CLI_OPTIONS_H_

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/firm.h"
#include "engine/recommender.h"
#include "server/cli_output.h"
#include "server/remote_client.h"

namespace clustermatch {

struct CliOptions {
  std::string db;
  // The vector index's row format: "float32" or "sq8" (EngineOptions).
  std::string index_rows = "float32";
  std::vector<std::string> files;
  std::string encoding = "auto";
  std::string firm;
  bool all = false;
  std::string intent = "partner";
  int k = 10;
  std::string cross_cluster = "off";
  std::vector<std::string> clusters;
  std::vector<std::string> mini_clusters;
  std::vector<std::string> kinds;
  std::vector<std::string> regions;
  bool json = false;
  std::string lang = "en";
  std::string text;
  std::string format = "jsonl";
  int sample_firms = 420;
  uint64_t sample_seed = 1;
  // --server mode; empty address: embedded.
  RemoteOptions remote;
};

// Firms from every file of o.files (.jsonl or .csv), in order.
absl::StatusOr<std::vector<Firm>> ReadFirmFiles(const CliOptions& o, std::ostream& err);

// The request of `recommend` (firm_id left empty) and of `search`.
absl::StatusOr<RecommendRequest> RecommendRequestFrom(const CliOptions& o);
absl::StatusOr<SearchRequest> SearchRequestFrom(const CliOptions& o);

Language LanguageOf(const CliOptions& o);
// "Name (mini-cluster)", as the readable output labels a firm.
std::string DisplayName(const Firm& firm);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_CLI_OPTIONS_H_
