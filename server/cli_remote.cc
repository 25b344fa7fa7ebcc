#include "server/cli_remote.h"

#include "absl/strings/str_format.h"
#include "engine/relation_csv.h"
#include "engine/status_macros.h"
#include "server/firm_jsonl.h"
#include "server/read_file.h"

namespace clustermatch {
namespace {

absl::Status Import(RemoteClient& client, const CliOptions& o, std::ostream& out,
                    std::ostream& err) {
  CM_ASSIGN_OR_RETURN(const std::vector<Firm> firms, ReadFirmFiles(o, err));
  CM_ASSIGN_OR_RETURN(const ImportSummary summary, client.ImportFirms(firms));
  out << "imported " << firms.size() << " firms (" << summary.created << " new, " << summary.updated
      << " updated) through " << o.remote.address << "; model v" << summary.model_version
      << (summary.retrained ? ", retrained" : "") << "\n";
  return absl::OkStatus();
}

std::function<std::string(const std::string&)> NameLookup(const RemoteResults& results) {
  return [&results](const std::string& id) {
    auto it = results.firms.find(id);
    return it == results.firms.end() ? std::string() : DisplayName(it->second);
  };
}

absl::Status Recommend(RemoteClient& client, const CliOptions& o, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(RecommendRequest request, RecommendRequestFrom(o));
  std::vector<Firm> queries;
  if (o.all) {
    CM_ASSIGN_OR_RETURN(std::vector<Firm> firms, client.ListFirms());
    for (Firm& firm : firms) {
      if (firm.visibility != Visibility::kHidden) queries.push_back(std::move(firm));
    }
  } else {
    CM_ASSIGN_OR_RETURN(Firm firm, client.GetFirm(o.firm));
    queries.push_back(std::move(firm));
  }
  for (const Firm& query : queries) {
    request.firm_id = query.id;
    CM_ASSIGN_OR_RETURN(const RemoteResults results, client.Recommend(request));
    if (o.json) {
      out << RecommendationsJson(query.id, "", results.results) << "\n";
    } else {
      out << RecommendationsText(query.id + "  " + DisplayName(query), results.results,
                                 NameLookup(results), LanguageOf(o))
          << "\n";
    }
  }
  return absl::OkStatus();
}

absl::Status Search(RemoteClient& client, const CliOptions& o, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(const SearchRequest request, SearchRequestFrom(o));
  CM_ASSIGN_OR_RETURN(const RemoteResults results, client.Search(request));
  if (o.json) {
    out << RecommendationsJson("", o.text, results.results) << "\n";
  } else {
    out << RecommendationsText("search: \"" + o.text + "\"", results.results, NameLookup(results),
                               LanguageOf(o));
  }
  return absl::OkStatus();
}

std::string Bytes(int64_t bytes) {
  return absl::StrFormat("%d bytes (%.1f MiB)", bytes, static_cast<double>(bytes) / (1 << 20));
}

absl::Status Stats(RemoteClient& client, std::ostream& out) {
  CM_ASSIGN_OR_RETURN(const RemoteStats stats, client.GetStats());
  const EngineStats& s = stats.engine;
  out << StatsCountsText(s) << "sparse cache: " << s.sparse_cache.firms << " of "
      << s.sparse_cache.capacity << " firms, " << s.sparse_cache.hits << " hits, "
      << s.sparse_cache.misses << " misses"
      << "\nallocator: " << stats.allocator
      << "\nheap allocated: " << Bytes(stats.memory.heap_allocated_bytes)
      << "\nheap mapped: " << Bytes(stats.memory.heap_mapped_bytes)
      << "\nresident: " << Bytes(stats.memory.rss_bytes) << "\n";
  return absl::OkStatus();
}

}  // namespace

absl::Status RunRemote(RemoteCommand command, const CliOptions& o, std::ostream& out,
                       std::ostream& err) {
  CM_ASSIGN_OR_RETURN(std::unique_ptr<RemoteClient> client, RemoteClient::Connect(o.remote));
  switch (command) {
    case RemoteCommand::kImport:
      return Import(*client, o, out, err);
    case RemoteCommand::kRelate: {
      const std::string& path = o.files.at(0);
      CM_ASSIGN_OR_RETURN(const std::string bytes, ReadFileBytes(path));
      CM_ASSIGN_OR_RETURN(const std::vector<Relation> relations,
                          ParseRelationsCsv(bytes, path, o.encoding));
      absl::Status status = client->RecordRelations(relations);
      if (!status.ok())
        return absl::Status(status.code(), path + ": " + std::string(status.message()));
      out << "recorded " << relations.size() << " relations from " << path << "\n";
      return absl::OkStatus();
    }
    case RemoteCommand::kDelete:
      CM_RETURN_IF_ERROR(client->DeleteFirm(o.firm));
      out << "deleted " << o.firm << "\n";
      return absl::OkStatus();
    case RemoteCommand::kShow: {
      CM_ASSIGN_OR_RETURN(const Firm firm, client->GetFirm(o.firm));
      out << (o.json ? FirmToProtoJson(firm) + "\n" : FirmText(firm));
      return absl::OkStatus();
    }
    case RemoteCommand::kList: {
      CM_ASSIGN_OR_RETURN(const std::vector<Firm> firms, client->ListFirms());
      out << FirmsTable(firms);
      return absl::OkStatus();
    }
    case RemoteCommand::kRecommend:
      return Recommend(*client, o, out);
    case RemoteCommand::kSearch:
      return Search(*client, o, out);
    case RemoteCommand::kStats:
      return Stats(*client, out);
  }
  return absl::OkStatus();
}

}  // namespace clustermatch
