#include "server/cli_commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/firm_csv.h"
#include "engine/relation_csv.h"
#include "engine/sample_cluster.h"
#include "engine/status_macros.h"
#include "server/cli_output.h"
#include "server/firm_jsonl.h"

namespace clustermatch {
namespace {

// Everything the parsed command line says.
struct CliOptions {
  std::string db;
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
};

absl::Status Prefixed(const std::string& prefix, const absl::Status& status) {
  return absl::Status(status.code(), prefix + std::string(status.message()));
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(path + ": cannot open: " + std::strerror(errno));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) return absl::DataLossError(path + ": read failed");
  return bytes.str();
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

absl::StatusOr<std::unique_ptr<Engine>> OpenEngine(const CliOptions& o, bool writable,
                                                   const std::string& command) {
  EngineOptions options;
  options.db_path = o.db;
  options.read_only = !writable;
  options.holder_command = "clustermatch " + command;
  return Engine::Open(options);
}

absl::StatusOr<std::vector<Firm>> ParseFirmFile(const std::string& path,
                                                const std::string& encoding, std::ostream& err) {
  CM_ASSIGN_OR_RETURN(const std::string bytes, ReadFile(path));
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

absl::Status Import(const CliOptions& o, std::ostream& out, std::ostream& err) {
  std::vector<Firm> firms;
  for (const auto& path : o.files) {
    CM_ASSIGN_OR_RETURN(std::vector<Firm> part, ParseFirmFile(path, o.encoding, err));
    firms.insert(firms.end(), std::make_move_iterator(part.begin()),
                 std::make_move_iterator(part.end()));
  }
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, true, "import"));
  CM_ASSIGN_OR_RETURN(const ImportSummary summary, engine->ImportFirms(firms));
  const EngineStats stats = engine->Stats();
  out << "imported " << firms.size() << " firms (" << summary.created << " new, " << summary.updated
      << " updated) into " << o.db << "; " << stats.firms << " firms in store; model v"
      << stats.model_version << " (" << stats.model << ")"
      << (summary.retrained ? ", retrained" : "") << "\n";
  return absl::OkStatus();
}

absl::Status Relate(const CliOptions& o, std::ostream& out) {
  const std::string& path = o.files.at(0);
  CM_ASSIGN_OR_RETURN(const std::string bytes, ReadFile(path));
  CM_ASSIGN_OR_RETURN(const std::vector<Relation> relations,
                      ParseRelationsCsv(bytes, path, o.encoding));
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, true, "relate"));
  absl::Status status = engine->AddRelations(relations);
  if (!status.ok()) return Prefixed(path + ": ", status);
  out << "recorded " << relations.size() << " relations from " << path << "\n";
  return absl::OkStatus();
}

std::function<std::string(const std::string&)> NameLookup(const Engine& engine) {
  return [&engine](const std::string& id) {
    auto firm = engine.GetFirm(id);
    return firm.ok() ? firm->name + " (" + firm->mini_cluster + ")" : std::string();
  };
}

absl::Status Recommend(const CliOptions& o, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, false, "recommend"));
  RecommendRequest request;
  CM_ASSIGN_OR_RETURN(request.intent, IntentFrom(o.intent));
  CM_ASSIGN_OR_RETURN(request.cross_cluster, CrossClusterFrom(o.cross_cluster));
  CM_ASSIGN_OR_RETURN(request.filter, FilterFrom(o));
  request.k = o.k;
  std::vector<std::string> ids;
  if (o.all) {
    for (const Firm& firm : engine->ListFirms()) {
      if (firm.visibility != Visibility::kHidden) ids.push_back(firm.id);
    }
  } else {
    ids.push_back(o.firm);
  }
  const Language language = o.lang == "ko" ? Language::kKorean : Language::kEnglish;
  const auto name_of = NameLookup(*engine);
  for (const std::string& id : ids) {
    request.firm_id = id;
    CM_ASSIGN_OR_RETURN(const std::vector<Recommendation> results, engine->Recommend(request));
    if (o.json) {
      out << RecommendationsJson(id, "", results) << "\n";
    } else {
      out << RecommendationsText(id + "  " + name_of(id), results, name_of, language) << "\n";
    }
  }
  return absl::OkStatus();
}

absl::Status Search(const CliOptions& o, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, false, "search"));
  SearchRequest request{o.text, o.k, {}};
  CM_ASSIGN_OR_RETURN(request.filter, FilterFrom(o));
  CM_ASSIGN_OR_RETURN(const std::vector<Recommendation> results, engine->Search(request));
  if (o.json) {
    out << RecommendationsJson("", o.text, results) << "\n";
  } else {
    const Language language = o.lang == "ko" ? Language::kKorean : Language::kEnglish;
    out << RecommendationsText("search: \"" + o.text + "\"", results, NameLookup(*engine),
                               language);
  }
  return absl::OkStatus();
}

absl::Status Sample(const CliOptions& o, std::ostream& out) {
  if (o.sample_firms < 1) return absl::InvalidArgumentError("--firms: must be at least 1");
  SampleOptions options;
  options.firms = o.sample_firms;
  options.seed = o.sample_seed;
  GenerateSampleFirms(options, [&](const Firm& firm) { out << FirmToProtoJson(firm) << '\n'; });
  return absl::OkStatus();
}

absl::Status Train(const CliOptions& o, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, true, "train"));
  CM_ASSIGN_OR_RETURN(const int64_t version, engine->Train());
  out << "trained model v" << version << " (" << engine->Stats().model << ")\n";
  return absl::OkStatus();
}

absl::Status Delete(const CliOptions& o, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, true, "delete"));
  CM_RETURN_IF_ERROR(engine->DeleteFirm(o.firm));
  out << "deleted " << o.firm << "\n";
  return absl::OkStatus();
}

enum class ReadCommand { kExport, kList, kShow, kStats };

absl::Status Read(ReadCommand command, const CliOptions& o, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, false, "read"));
  switch (command) {
    case ReadCommand::kExport: {
      const std::vector<Firm> firms = engine->ListFirms();
      out << (o.format == "csv" ? WriteFirmsCsv(firms) : WriteFirmsJsonl(firms));
      break;
    }
    case ReadCommand::kList:
      out << FirmsTable(engine->ListFirms());
      break;
    case ReadCommand::kShow: {
      CM_ASSIGN_OR_RETURN(const Firm firm, engine->GetFirm(o.firm));
      out << (o.json ? FirmToProtoJson(firm) + "\n" : FirmText(firm));
      break;
    }
    case ReadCommand::kStats: {
      const EngineStats s = engine->Stats();
      out << "firms: " << s.firms << "\nrelations: " << s.relations << "\nindexed: " << s.indexed
          << "\nmodel: v" << s.model_version << " " << s.model << "\nschema: " << s.schema_version
          << "\n";
      break;
    }
  }
  return absl::OkStatus();
}

// `--cross-cluster` alone means the default restriction, other mini-clusters.
std::vector<std::string> ExpandArguments(int argc, const char* const* argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "--cross-cluster") continue;
    const bool has_value =
        i + 1 < args.size() && (args[i + 1] == "mini-cluster" || args[i + 1] == "cluster" ||
                                args[i + 1] == "boost" || args[i + 1] == "off");
    if (!has_value) args[i] = "--cross-cluster=mini-cluster";
  }
  std::reverse(args.begin(), args.end());  // CLI11 takes arguments in reverse
  return args;
}

void AddFilters(CLI::App* command, CliOptions& o) {
  command->add_option("--cluster", o.clusters, "Only firms in this cluster (repeatable)");
  command->add_option("--mini-cluster", o.mini_clusters, "Only firms in this mini-cluster");
  command->add_option("--kind", o.kinds, "Only firms of this kind (company, university, ...)");
  command->add_option("--region", o.regions, "Only firms in this region");
  command->add_option("--k", o.k, "Results per query")->check(CLI::Range(1, kMaxK));
  command->add_flag("--json", o.json, "One JSON line per query");
  command->add_option("--lang", o.lang, "Language of readable output")
      ->check(CLI::IsMember({"en", "ko"}));
}

}  // namespace

int RunCli(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CliOptions o;
  const char* env_db = std::getenv("CLUSTERMATCH_DB");
  o.db = env_db != nullptr && *env_db != '\0' ? env_db : "clustermatch.db";

  CLI::App app{"clustermatch: partner recommendations for industrial clusters"};
  app.require_subcommand(1);
  app.add_option("--db", o.db, "Store file (default $CLUSTERMATCH_DB, else ./clustermatch.db)");

  auto* import = app.add_subcommand("import", "Import firms from JSONL or CSV files");
  import->add_option("files", o.files, "Firm files (.jsonl or .csv)")->required();
  import->add_option("--encoding", o.encoding, "CSV encoding: auto, utf-8 or cp949");
  auto* relate =
      app.add_subcommand("relate", "Record relations from a CSV a,b,kind,date[,context]");
  relate->add_option("file", o.files, "Relations CSV")->required()->expected(1);
  relate->add_option("--encoding", o.encoding, "CSV encoding: auto, utf-8 or cp949");
  auto* export_cmd = app.add_subcommand("export", "Print every firm (hidden ones too)");
  export_cmd->add_option("--format", o.format, "jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  auto* list = app.add_subcommand("list", "List firms as a table");
  auto* show = app.add_subcommand("show", "Show one firm");
  show->add_option("id", o.firm)->required();
  show->add_flag("--json", o.json, "Print the profile as JSON");
  auto* remove = app.add_subcommand("delete", "Delete one firm");
  remove->add_option("id", o.firm)->required();
  auto* train = app.add_subcommand("train", "Rebuild the text model from the stored firms");
  auto* stats = app.add_subcommand("stats", "Counts and the model in use");
  auto* recommend = app.add_subcommand("recommend", "Explained partner recommendations");
  recommend->add_option("--firm", o.firm, "Query firm id");
  recommend->add_flag("--all", o.all, "Every visible firm in turn");
  recommend->add_option("--intent", o.intent, "partner, peer or purchasing")
      ->check(CLI::IsMember({"partner", "peer", "purchasing"}));
  recommend
      ->add_option("--cross-cluster", o.cross_cluster,
                   "Alone: only other mini-clusters; or 'cluster' (other clusters), 'boost'")
      ->check(CLI::IsMember({"off", "mini-cluster", "cluster", "boost"}));
  AddFilters(recommend, o);
  auto* search = app.add_subcommand("search", "Free-text search over offers");
  search->add_option("text", o.text, "What you are looking for")->required();
  AddFilters(search, o);
  auto* sample = app.add_subcommand("sample", "Print a synthetic cluster as JSONL");
  sample->add_option("--firms", o.sample_firms, "Number of firms");
  sample->add_option("--seed", o.sample_seed, "Random seed");

  try {
    std::vector<std::string> args = ExpandArguments(argc, argv);
    app.parse(args);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "clustermatch: " << e.what() << "\n"
        << "run 'clustermatch --help' for usage\n";
    return kExitUsage;
  }
  if (*recommend && o.all == !o.firm.empty()) {
    err << "clustermatch: recommend: give exactly one of --firm ID or --all\n";
    return kExitUsage;
  }

  absl::Status status;
  if (*import) {
    status = Import(o, out, err);
  } else if (*relate) {
    status = Relate(o, out);
  } else if (*recommend) {
    status = Recommend(o, out);
  } else if (*search) {
    status = Search(o, out);
  } else if (*sample) {
    status = Sample(o, out);
  } else if (*train) {
    status = Train(o, out);
  } else if (*remove) {
    status = Delete(o, out);
  } else if (*export_cmd) {
    status = Read(ReadCommand::kExport, o, out);
  } else if (*list) {
    status = Read(ReadCommand::kList, o, out);
  } else if (*show) {
    status = Read(ReadCommand::kShow, o, out);
  } else if (*stats) {
    status = Read(ReadCommand::kStats, o, out);
  }
  if (status.ok()) return kExitOk;
  err << "clustermatch: error: " << status.message() << "\n";
  return kExitFailure;
}

}  // namespace clustermatch
