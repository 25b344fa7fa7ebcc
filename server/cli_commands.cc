#include "server/cli_commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "engine/engine.h"
#include "engine/firm_csv.h"
#include "engine/relation_csv.h"
#include "engine/sample_cluster.h"
#include "engine/status_macros.h"
#include "server/audit_command.h"
#include "server/backup_command.h"
#include "server/cli_options.h"
#include "server/cli_output.h"
#include "server/cli_remote.h"
#include "server/eval_command.h"
#include "server/event_command.h"
#include "server/firm_jsonl.h"
#include "server/group_command.h"
#include "server/key_commands.h"
#include "server/read_file.h"
#include "server/serve_command.h"

namespace clustermatch {
namespace {

absl::Status Prefixed(const std::string& prefix, const absl::Status& status) {
  return absl::Status(status.code(), prefix + std::string(status.message()));
}

// When the store is held by `clustermatch serve`, the way to write is
// through it: say so with the address.
absl::Status WithServerHint(const absl::Status& status, const std::string& command) {
  const std::string message(status.message());
  const std::string marker = "clustermatch serve --listen ";
  const size_t at = message.find(marker);
  if (!absl::IsFailedPrecondition(status) || at == std::string::npos) return status;
  const size_t start = at + marker.size();
  const std::string address = message.substr(start, message.find(')', start) - start);
  return absl::FailedPreconditionError(
      message + "\nthe store is being served: run this through the server instead:\n" +
      "  clustermatch --server " + address + " --api-key KEY " + command + " ...");
}

RowFormat RowFormatOf(const std::string& name) {
  return name == "sq8" ? RowFormat::kSq8 : RowFormat::kFloat32;
}

absl::StatusOr<std::unique_ptr<Engine>> OpenEngine(const CliOptions& o, bool writable,
                                                   const std::string& command) {
  EngineOptions options;
  options.db_path = o.db;
  options.read_only = !writable;
  options.holder_command = "clustermatch " + command;
  options.index_options.row_format = RowFormatOf(o.index_rows);
  absl::StatusOr<std::unique_ptr<Engine>> engine = Engine::Open(options);
  if (!engine.ok() && writable) return WithServerHint(engine.status(), command);
  return engine;
}

absl::Status Import(const CliOptions& o, std::ostream& out, std::ostream& err) {
  CM_ASSIGN_OR_RETURN(const std::vector<Firm> firms, ReadFirmFiles(o, err));
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, true, "import"));
  CM_ASSIGN_OR_RETURN(const ImportSummary summary,
                      engine->ImportFirms(firms, WriteActor::CurrentUser()));
  const EngineStats stats = engine->Stats();
  out << "imported " << firms.size() << " firms (" << summary.created << " new, " << summary.updated
      << " updated) into " << o.db << "; " << stats.firms << " firms in store; model v"
      << stats.model_version << " (" << stats.model << ")"
      << (summary.retrained ? ", retrained" : "") << "\n";
  // Throughput of the two parts issue 6 measures, per imported firm.
  const auto per_second = [&firms](double seconds) {
    return seconds > 0 ? static_cast<int64_t>(static_cast<double>(firms.size()) / seconds) : 0;
  };
  const double store_embed = summary.store_seconds + summary.embed_seconds;
  out << absl::StrFormat(
      "phases: store %.2f s (vectors %.2f s of it), train %.2f s, embed %.2f s, index %.2f s; "
      "store + embed %d firms/s, index build %d firms/s\n",
      summary.store_seconds, summary.vector_store_seconds, summary.train_seconds,
      summary.embed_seconds, summary.index_seconds, per_second(store_embed),
      per_second(summary.index_seconds));
  return absl::OkStatus();
}

absl::Status Relate(const CliOptions& o, std::ostream& out) {
  const std::string& path = o.files.at(0);
  CM_ASSIGN_OR_RETURN(const std::string bytes, ReadFileBytes(path));
  CM_ASSIGN_OR_RETURN(const std::vector<Relation> relations,
                      ParseRelationsCsv(bytes, path, o.encoding));
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, true, "relate"));
  absl::Status status = engine->AddRelations(relations, WriteActor::CurrentUser());
  if (!status.ok()) return Prefixed(path + ": ", status);
  out << "recorded " << relations.size() << " relations from " << path << "\n";
  return absl::OkStatus();
}

std::function<std::string(const std::string&)> NameLookup(const Engine& engine) {
  return [&engine](const std::string& id) {
    auto firm = engine.GetFirm(id);
    return firm.ok() ? DisplayName(*firm) : std::string();
  };
}

absl::Status Recommend(const CliOptions& o, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, false, "recommend"));
  CM_ASSIGN_OR_RETURN(RecommendRequest request, RecommendRequestFrom(o));
  std::vector<std::string> ids;
  if (o.all) {
    for (const Firm& firm : engine->ListFirms()) {
      if (firm.visibility != Visibility::kHidden) ids.push_back(firm.id);
    }
  } else {
    ids.push_back(o.firm);
  }
  const Language language = LanguageOf(o);
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
  CM_ASSIGN_OR_RETURN(const SearchRequest request, SearchRequestFrom(o));
  CM_ASSIGN_OR_RETURN(const std::vector<Recommendation> results, engine->Search(request));
  if (o.json) {
    out << RecommendationsJson("", o.text, results) << "\n";
  } else {
    out << RecommendationsText("search: \"" + o.text + "\"", results, NameLookup(*engine),
                               LanguageOf(o));
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
  CM_ASSIGN_OR_RETURN(const int64_t version, engine->Train(WriteActor::CurrentUser()));
  out << "trained model v" << version << " (" << engine->Stats().model << ")\n";
  return absl::OkStatus();
}

absl::Status Delete(const CliOptions& o, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(auto engine, OpenEngine(o, true, "delete"));
  CM_RETURN_IF_ERROR(engine->DeleteFirm(o.firm, WriteActor::CurrentUser()));
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
      out << StatsCountsText(s) << "index: " << s.index_source
          << absl::StrFormat(
                 "\nopen: catalog %.3f s, model and index %.3f s, snapshot save %.3f s, "
                 "partners %.3f s (index snapshot read %.3f s beside the catalog)\n",
                 s.open_times.catalog_seconds, s.open_times.model_and_index_seconds,
                 s.open_times.snapshot_save_seconds, s.open_times.partners_seconds,
                 s.open_times.snapshot_read_seconds);
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
  app.add_option("--index-rows", o.index_rows,
                 "Vector index rows: float32, or sq8 (8-bit codes, about a third of the "
                 "memory, recall about 1 point lower) once a field has an HNSW graph")
      ->check(CLI::IsMember({"float32", "sq8"}))
      ->capture_default_str();
  const char* env_key = std::getenv("CLUSTERMATCH_API_KEY");
  if (env_key != nullptr) o.remote.api_key = env_key;
  app.add_option("--server", o.remote.address,
                 "Send import, relate, show, list, delete, recommend and search to a running "
                 "server HOST:PORT");
  app.add_option("--api-key", o.remote.api_key,
                 "API key for --server (default $CLUSTERMATCH_API_KEY)");
  app.add_option("--tls-ca", o.remote.tls_ca, "With --server: CA certificate (PEM) for TLS");
  app.add_option("--tls-client-cert", o.remote.tls_cert,
                 "With --server: client certificate (PEM) for mutual TLS");
  app.add_option("--tls-client-key", o.remote.tls_key,
                 "With --server: client private key (PEM) for mutual TLS");

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
  ServeCommandOptions serve_options;
  double grace_seconds = 10;
  int max_message_mb = 8;
  auto* serve = app.add_subcommand("serve", "Serve the gRPC API on the store");
  serve->add_option("--listen", serve_options.server.listen, "host:port (port 0: any free port)")
      ->capture_default_str();
  serve->add_option("--port-file", serve_options.port_file,
                    "Write the bound port here once listening");
  serve->add_option("--tls-cert", serve_options.server.tls_cert, "Server certificate (PEM)");
  serve->add_option("--tls-key", serve_options.server.tls_key, "Server private key (PEM)");
  serve->add_option("--tls-client-ca", serve_options.server.tls_client_ca,
                    "Require client certificates signed by this CA (PEM)");
  serve->add_option("--snapshot-dir", serve_options.server.snapshot_dir,
                    "Folder for AdminService.Snapshot (default STORE.snapshots)");
  serve->add_option("--max-message-mb", max_message_mb, "Largest request or response, in MiB")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  serve->add_option("--grace", grace_seconds, "Seconds calls in flight get to finish on stop")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  double index_snapshot_seconds = 300;
  serve
      ->add_option("--index-snapshot-every", index_snapshot_seconds,
                   "Seconds between index snapshots while the index changes (0: only on stop)")
      ->check(CLI::Range(0.0, 86400.0))
      ->capture_default_str();
  serve
      ->add_option("--index-snapshot-min-firms", serve_options.index_snapshot_min_firms,
                   "Smallest store that gets index snapshots")
      ->capture_default_str();
  serve
      ->add_option("--idle-helper", serve_options.idle_helper,
                   "Score a lone recommendation's candidates on two threads while the "
                   "second is idle (true or false)")
      ->capture_default_str();
  serve
      ->add_option("--sparse-cache-firms", serve_options.sparse_cache_firms,
                   "Firms whose sparse text vectors stay cached for scoring (2-6 KB each; "
                   "the oldest are dropped first; GetStats reports its hit rate)")
      ->check(CLI::Range(size_t{1}, size_t{100'000'000}))
      ->capture_default_str();
  AddServeSecurityFlags(serve, serve_options);
  EventScheduleOptions event_options;
  int event_tables = 0;
  std::string event_cross_cluster = "off";
  auto* event = app.add_subcommand("event", "Networking events: match lists and meeting schedules");
  event->require_subcommand(1);
  auto* schedule = event->add_subcommand(
      "schedule", "Match lists, a meeting schedule, calendars and agendas for an attendee CSV");
  schedule->add_option("--attendees", event_options.attendees_csv, "Attendee CSV")->required();
  schedule->add_option("--encoding", event_options.encoding, "CSV encoding: auto, utf-8 or cp949");
  schedule->add_option("--name", event_options.event_name, "Event name for the exports");
  schedule->add_option("--date", event_options.plan.date, "YYYY-MM-DD")->required();
  schedule->add_option("--start", event_options.plan.start, "First slot, HH:MM")
      ->capture_default_str();
  schedule->add_option("--time-zone", event_options.plan.time_zone, "IANA time zone")
      ->capture_default_str();
  schedule->add_option("--slots", event_options.plan.slots, "Number of meeting slots")->required();
  event_options.plan.slot_minutes = 20;
  schedule->add_option("--slot-minutes", event_options.plan.slot_minutes, "Slot length")
      ->capture_default_str();
  schedule->add_option("--breaks", event_options.plan.breaks, "e.g. 12:00-13:00;15:00-15:15");
  schedule->add_option("--tables", event_tables, "Tables per slot")->required();
  schedule
      ->add_option("--max-meetings", event_options.max_meetings, "Meetings per attendee, at most")
      ->required();
  schedule->add_option("--min-meetings", event_options.min_meetings,
                       "Fairness floor: meetings every attendee should get");
  schedule->add_option("--match-list-size", event_options.match_list_size, "Match list length")
      ->capture_default_str();
  schedule
      ->add_option("--candidates", event_options.pair_candidates,
                   "Partners per attendee the scheduler may choose from")
      ->capture_default_str();
  schedule->add_option("--cross-cluster", event_cross_cluster, "off, mini-cluster, cluster, boost")
      ->check(CLI::IsMember({"off", "mini-cluster", "cluster", "boost"}));
  schedule->add_option("--keep", event_options.keep_csv,
                       "A published schedule.csv whose meetings stay as they are");
  schedule->add_option("--lang", o.lang, "Language of the exports")
      ->check(CLI::IsMember({"en", "ko"}));
  schedule->add_option("--seed", event_options.seed, "Tie-breaking seed")->capture_default_str();
  schedule->add_option("--out", event_options.out_dir, "Output folder")->required();
  KeyCommandOptions key_options;
  AddKeyCommands(app, key_options);
  AuditCommandOptions audit_options;
  AddAuditCommand(app, audit_options);
  GroupCommandOptions group_options;
  AddGroupCommands(app, group_options);
  EvalCommandOptions eval_options;
  AddEvalCommand(app, eval_options);
  BackupCommandOptions backup_options;
  AddBackupCommands(app, backup_options);
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

  const bool remote = !o.remote.address.empty();
  absl::Status status;
  if (remote) {
    if (*import) {
      status = RunRemote(RemoteCommand::kImport, o, out, err);
    } else if (*relate) {
      status = RunRemote(RemoteCommand::kRelate, o, out, err);
    } else if (*remove) {
      status = RunRemote(RemoteCommand::kDelete, o, out, err);
    } else if (*show) {
      status = RunRemote(RemoteCommand::kShow, o, out, err);
    } else if (*list) {
      status = RunRemote(RemoteCommand::kList, o, out, err);
    } else if (*recommend) {
      status = RunRemote(RemoteCommand::kRecommend, o, out, err);
    } else if (*search) {
      status = RunRemote(RemoteCommand::kSearch, o, out, err);
    } else if (*stats) {
      status = RunRemote(RemoteCommand::kStats, o, out, err);
    } else {
      err << "clustermatch: --server works with import, relate, show, list, delete, recommend, "
             "search and stats\n";
      return kExitUsage;
    }
  } else if (*serve) {
    serve_options.db = o.db;
    serve_options.index_options.row_format = RowFormatOf(o.index_rows);
    serve_options.grace = absl::Seconds(grace_seconds);
    serve_options.index_snapshot_every = absl::Seconds(index_snapshot_seconds);
    serve_options.server.max_message_bytes = max_message_mb << 20;
    status = Serve(serve_options, err);
  } else if (*schedule) {
    event_options.plan.tables_per_slot = {event_tables};
    event_options.language = LanguageOf(o);
    o.cross_cluster = event_cross_cluster;
    absl::StatusOr<RecommendRequest> modes = RecommendRequestFrom(o);
    absl::StatusOr<std::unique_ptr<Engine>> engine = OpenEngine(o, true, "event schedule");
    if (!modes.ok()) {
      status = modes.status();
    } else if (!engine.ok()) {
      status = engine.status();
    } else {
      event_options.cross_cluster = modes->cross_cluster;
      status = RunEventSchedule(event_options, **engine, out, err);
    }
  } else if (group_options.command != GroupCommand::kNone) {
    absl::StatusOr<std::unique_ptr<Engine>> engine = OpenEngine(o, false, "group");
    status = engine.ok() ? RunGroupCommand(group_options, **engine, out) : engine.status();
  } else if (eval_options.chosen) {
    status = RunEvalCommand(eval_options, out, err);
  } else if (backup_options.command != BackupCommand::kNone) {
    status = RunBackupCommand(backup_options, o.db, out);
  } else if (audit_options.chosen) {
    status = RunAuditCommand(audit_options, o.db, out);
  } else if (key_options.command != KeyCommand::kNone) {
    absl::StatusOr<std::unique_ptr<Engine>> engine =
        OpenEngine(o, KeyCommandWrites(key_options), "keys");
    status = engine.ok() ? RunKeyCommand(key_options, **engine, out, err) : engine.status();
  } else if (*import) {
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
