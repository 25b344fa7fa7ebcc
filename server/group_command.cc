#include "server/group_command.h"

#include <CLI/CLI.hpp>
#include <fstream>

#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "engine/csv_reader.h"
#include "engine/status_macros.h"
#include "engine/text_encoding.h"
#include "server/group_report_output.h"
#include "server/read_file.h"

namespace clustermatch {
namespace {

void AddSelection(CLI::App* command, GroupCommandOptions& o) {
  command->add_option("--cluster", o.clusters, "Only firms in this cluster (repeatable)");
  command->add_option("--mini-cluster", o.mini_clusters, "Only firms of this mini-cluster");
  command->add_option("--kind", o.kinds, "Only firms of this kind (company, university, ...)");
  command->add_option("--region", o.regions, "Only firms in this region");
  command->add_flag("--json", o.json, "Print the report as JSON");
  command->add_option("--out", o.out_csv, "Also write the result as CSV (UTF-8 with BOM)");
  command->add_option("--lang", o.lang, "Language of headings and reasons")
      ->check(CLI::IsMember({"en", "ko"}));
}

absl::StatusOr<SearchFilter> Selection(const GroupCommandOptions& o) {
  SearchFilter filter;
  filter.clusters_any = o.clusters;
  filter.mini_clusters_any = o.mini_clusters;
  filter.regions = o.regions;
  for (const std::string& name : o.kinds) {
    std::optional<FirmKind> kind = ParseFirmKind(name);
    if (!kind) return absl::InvalidArgumentError("--kind: unknown kind \"" + name + "\"");
    filter.kinds.push_back(*kind);
  }
  return filter;
}

// A text file (UTF-8 or CP949), as UTF-8.
absl::StatusOr<std::string> ReadText(const std::string& path) {
  CM_ASSIGN_OR_RETURN(const std::string bytes, ReadFileBytes(path));
  CM_ASSIGN_OR_RETURN(DecodedText text, DecodeText(bytes, "auto", path));
  return std::move(text.utf8);
}

// Firm ids: one per line, or a CSV whose header names firm_id (or id).
absl::StatusOr<std::vector<std::string>> ReadFirmIds(const std::string& path) {
  CM_ASSIGN_OR_RETURN(const std::string text, ReadText(path));
  CsvReader reader(text, path);
  CsvRecord row;
  std::vector<std::string> ids;
  int column = -1;
  while (true) {
    CM_ASSIGN_OR_RETURN(const bool more, reader.Next(&row));
    if (!more) break;
    if (column < 0) {
      for (size_t i = 0; i < row.fields.size(); ++i) {
        if (row.fields[i] == "firm_id" || row.fields[i] == "id") column = static_cast<int>(i);
      }
      if (column >= 0) continue;  // a header
      if (row.fields.size() > 1) {
        return absl::InvalidArgumentError(SourceLine(path, row.line) +
                                          ": expected one firm id per line or a firm_id column");
      }
      column = 0;
    }
    if (static_cast<size_t>(column) >= row.fields.size() || row.fields[column].empty()) {
      return absl::InvalidArgumentError(SourceLine(path, row.line) + ": firm_id: empty");
    }
    ids.push_back(row.fields[column]);
  }
  if (ids.empty()) return absl::InvalidArgumentError(path + ": no firm ids");
  return ids;
}

absl::Status WriteCsv(const std::string& path, const std::string& csv) {
  if (path.empty()) return absl::OkStatus();
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << csv;
  file.close();
  if (!file) return absl::InternalError(path + ": cannot write");
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Role>> Roles(const std::vector<std::string>& names) {
  std::vector<Role> roles;
  for (const std::string& name : names) {
    for (absl::string_view piece : absl::StrSplit(name, ',', absl::SkipEmpty())) {
      const std::string role_name(absl::StripAsciiWhitespace(piece));
      std::optional<Role> role = ParseRole(role_name);
      if (!role) {
        return absl::InvalidArgumentError(
            "--roles: unknown role \"" + role_name +
            "\" (expected planning, development, production or marketing)");
      }
      roles.push_back(*role);
    }
  }
  return roles;
}

// Prints the report (text or JSON) and writes its CSV when --out is given.
absl::Status Emit(const GroupCommandOptions& o, const std::string& text, const std::string& json,
                  const std::string& csv, std::ostream& out) {
  out << (o.json ? json : text);
  return WriteCsv(o.out_csv, csv);
}

// An engine error about a request field, reworded to name the option that
// set it ("min_size: ..." -> "--min-size: ...").
absl::Status NameTheOption(const absl::Status& status) {
  if (status.ok()) return status;
  static constexpr std::pair<std::string_view, std::string_view> kOptions[] = {
      {"min_size", "--min-size"},
      {"max_size", "--max-size"},
      {"size", "--size"},
      {"min_research", "--min-research"},
      {"min_mini_clusters", "--min-mini-clusters"},
      {"convergence", "--convergence"},
      {"groups", "--groups"},
      {"topic", "--topic"},
      {"capabilities", "--capabilities"},
      {"roles", "--roles"},
      {"lead_firm", "--lead"},
  };
  const std::string message(status.message());
  for (const auto& [field, option] : kOptions) {
    if (message.size() > field.size() && message.compare(0, field.size(), field) == 0 &&
        (message[field.size()] == ':' || message[field.size()] == '[')) {
      return absl::Status(status.code(), std::string(option) + message.substr(field.size()));
    }
  }
  return status;
}

}  // namespace

void AddGroupCommands(CLI::App& app, GroupCommandOptions& o) {
  auto* group = app.add_subcommand(
      "group", "Coordinators' groups: SIGs, research-society founders, consortia, pools");
  group->require_subcommand(1);

  auto* sigs = group->add_subcommand("sigs", "Suggest SIGs: every selected firm in one SIG");
  AddSelection(sigs, o);
  sigs->add_option("--firms", o.firms_file, "Only these firms: one id per line, or firm_id CSV");
  sigs->add_option("--min-size", o.sigs.min_size, "Smallest SIG")->capture_default_str();
  sigs->add_option("--max-size", o.sigs.max_size, "Largest SIG")->capture_default_str();
  sigs->add_option("--convergence", o.sigs.convergence,
                   "Every SIG spans at least this many mini-clusters");
  sigs->add_option("--groups", o.sigs.groups, "Number of SIGs (default: from the sizes)");
  sigs->add_option("--seed", o.sigs.seed, "Seed")->capture_default_str();
  sigs->callback([&o] { o.command = GroupCommand::kSigs; });

  auto* founders =
      group->add_subcommand("founders", "Founding members for a research society on a topic");
  AddSelection(founders, o);
  founders->add_option("--topic", o.founders.topic, "The topic text");
  founders->add_option("--topic-file", o.topic_file, "The topic text, from a file");
  founders->add_option("--size", o.founders.size, "Founding members")->capture_default_str();
  founders
      ->add_option("--min-research", o.founders.min_research,
                   "At least this many universities or research institutes")
      ->capture_default_str();
  founders->add_option("--min-mini-clusters", o.founders.min_mini_clusters,
                       "Spread over at least this many mini-clusters");
  founders->callback([&o] { o.command = GroupCommand::kFounders; });

  auto* consortium = group->add_subcommand(
      "consortium", "A project team covering a call's capabilities and roles");
  AddSelection(consortium, o);
  consortium->add_option("--call", o.consortium.call_text, "The call text");
  consortium->add_option("--call-file", o.call_file, "The call text, from a file");
  consortium->add_option("--capabilities", o.capabilities,
                         "Required capabilities, separated by ';' (default: the call's phrases)");
  consortium->add_option("--roles", o.roles,
                         "Required value-chain roles: planning, development, production, "
                         "marketing (comma-separated or repeated)");
  consortium->add_option("--min-size", o.consortium.min_size, "Smallest team")
      ->capture_default_str();
  consortium->add_option("--max-size", o.consortium.max_size, "Largest team")
      ->capture_default_str();
  consortium->add_option("--lead", o.consortium.lead_firm, "The lead firm's id");
  consortium->callback([&o] { o.command = GroupCommand::kConsortium; });

  auto* pools = group->add_subcommand("pools", "Joint-purchasing pools by materials bought");
  AddSelection(pools, o);
  pools->add_option("--min-size", o.pools.min_size, "Smallest pool")->capture_default_str();
  pools->add_option("--max-size", o.pools.max_size, "Largest pool (0: no cap)");
  pools->add_flag("--exact-materials", o.exact_materials,
                  "Pool only identical material names (no similar spellings)");
  pools->callback([&o] { o.command = GroupCommand::kPools; });
}

// The chosen workflow, with errors as the engine words them.
static absl::Status RunGroupWorkflow(GroupCommandOptions& o, const Engine& engine,
                                     std::ostream& out) {
  CM_ASSIGN_OR_RETURN(const SearchFilter filter, Selection(o));
  const Language lang = o.lang == "ko" ? Language::kKorean : Language::kEnglish;
  switch (o.command) {
    case GroupCommand::kSigs: {
      o.sigs.filter = filter;
      if (!o.firms_file.empty()) {
        CM_ASSIGN_OR_RETURN(o.sigs.firm_ids, ReadFirmIds(o.firms_file));
      }
      CM_ASSIGN_OR_RETURN(const SigReport report, SuggestSigs(engine, o.sigs));
      return Emit(o, SigReportText(report, lang), SigReportJson(report), SigReportCsv(report), out);
    }
    case GroupCommand::kFounders: {
      o.founders.filter = filter;
      if (!o.topic_file.empty()) {
        CM_ASSIGN_OR_RETURN(o.founders.topic, ReadText(o.topic_file));
      }
      if (o.founders.topic.empty()) {
        return absl::InvalidArgumentError("--topic: give the topic text or --topic-file");
      }
      CM_ASSIGN_OR_RETURN(const FounderReport report, ProposeFounders(engine, o.founders));
      return Emit(o, FounderReportText(report, lang), FounderReportJson(report, lang),
                  FounderReportCsv(report, lang), out);
    }
    case GroupCommand::kConsortium: {
      o.consortium.filter = filter;
      if (!o.call_file.empty()) {
        CM_ASSIGN_OR_RETURN(o.consortium.call_text, ReadText(o.call_file));
      }
      for (absl::string_view piece : absl::StrSplit(o.capabilities, ';', absl::SkipEmpty())) {
        piece = absl::StripAsciiWhitespace(piece);
        if (!piece.empty()) o.consortium.capabilities.emplace_back(piece);
      }
      CM_ASSIGN_OR_RETURN(o.consortium.roles, Roles(o.roles));
      CM_ASSIGN_OR_RETURN(const ConsortiumReport report, AssembleConsortium(engine, o.consortium));
      return Emit(o, ConsortiumReportText(report, lang), ConsortiumReportJson(report, lang),
                  ConsortiumReportCsv(report), out);
    }
    case GroupCommand::kPools: {
      o.pools.filter = filter;
      o.pools.merge_similar = !o.exact_materials;
      CM_ASSIGN_OR_RETURN(const PoolReport report, ProposePurchasingPools(engine, o.pools));
      return Emit(o, PoolReportText(report, lang), PoolReportJson(report), PoolReportCsv(report),
                  out);
    }
    case GroupCommand::kNone:
      break;
  }
  return absl::InvalidArgumentError("group: choose sigs, founders, consortium or pools");
}

absl::Status RunGroupCommand(GroupCommandOptions& o, const Engine& engine, std::ostream& out) {
  return NameTheOption(RunGroupWorkflow(o, engine, out));
}

}  // namespace clustermatch
