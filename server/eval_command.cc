#include "server/eval_command.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "absl/strings/str_split.h"
#include "engine/relation_csv.h"
#include "engine/status_macros.h"
#include "server/firm_jsonl.h"
#include "server/read_file.h"

namespace clustermatch {
namespace {

absl::Status Prefixed(const std::string& prefix, const absl::Status& status) {
  return absl::Status(status.code(), prefix + std::string(status.message()));
}

absl::StatusOr<std::vector<EvalMethod>> ParseMethods(const std::string& list) {
  std::vector<EvalMethod> methods;
  if (list.empty()) return methods;
  for (absl::string_view part : absl::StrSplit(list, ',', absl::SkipWhitespace())) {
    const std::string name(absl::StripAsciiWhitespace(part));
    std::optional<EvalMethod> method = ParseEvalMethod(name);
    if (!method) {
      std::string known;
      for (EvalMethod m : AllEvalMethods()) known += std::string(EvalMethodName(m)) + ", ";
      known += EvalMethodName(EvalMethod::kTopic);
      return absl::InvalidArgumentError("--methods: unknown method \"" + name + "\"; expected " +
                                        known);
    }
    if (std::find(methods.begin(), methods.end(), *method) != methods.end()) {
      return absl::InvalidArgumentError("--methods: \"" + name + "\" given twice");
    }
    methods.push_back(*method);
  }
  return methods;
}

// 22787 -> "22,787".
std::string Grouped(size_t value) {
  const std::string digits = std::to_string(value);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string Fixed(double value, int decimals) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.*f", decimals, value);
  return buffer;
}

std::string Padded(const std::string& text, size_t width, bool left) {
  if (text.size() >= width) return text;
  const std::string pad(width - text.size(), ' ');
  return left ? text + pad : pad + text;
}

nlohmann::ordered_json ScoresJson(const MethodScores& s) {
  return nlohmann::ordered_json{
      {"recall_at_10", s.mean.recall_at_10}, {"recall_at_20", s.mean.recall_at_20},
      {"recall_at_50", s.mean.recall_at_50}, {"mrr", s.mean.reciprocal_rank},
      {"ndcg_at_10", s.mean.ndcg_at_10},     {"coverage_at_20", s.coverage},
      {"ms_per_query", s.ms_per_query}};
}

// An engine error in the terms of the command line: the flag or the file
// instead of the EvalOptions field.
absl::Status InCommandTerms(const absl::Status& status, const EvalCommandOptions& o) {
  const std::string message(status.message());
  const std::pair<std::string, std::string> renames[] = {
      {"cutoff_year", "--cutoff"},
      {"store:", "--store:"},
      {"threads:", "--threads:"},
      {"profiles:", "--profiles: " + o.profiles + ":"},
      {"relations[", "--relations: " + o.relations + ": relations["},
  };
  for (const auto& [from, to] : renames) {
    if (message.rfind(from, 0) == 0) {
      return absl::Status(status.code(), to + message.substr(from.size()));
    }
  }
  return status;
}

}  // namespace

void AddEvalCommand(CLI::App& app, EvalCommandOptions& o) {
  auto* eval = app.add_subcommand(
      "eval", "Recommendation quality on dated relations: every method against new partnerships");
  eval->add_option("--profiles", o.profiles, "Firms present before the cut-off (JSONL)")
      ->required();
  eval->add_option("--relations", o.relations, "Relations CSV a,b,kind,date[,context]")->required();
  eval->add_option("--cutoff", o.cutoff, "Cut-off year: relations before it are known")->required();
  eval->add_option("--json", o.json_path, "Also write the numbers to this JSON file");
  eval->add_option("--store", o.store, "Keep the evaluation store here (a new file)");
  eval->add_option("--methods", o.methods,
                   "Comma list: random, popularity, same_region, common_neighbours, "
                   "adamic_adar, content, clustermatch (default: all of these); also topic "
                   "(peer-intent topic similarity, a diagnostic)");
  eval->add_option("--threads", o.threads, "Query threads")->capture_default_str();
  eval->add_option("--limit-queries", o.limit_queries,
                   "Evaluate this many query firms, drawn deterministically (0: all)");
  eval->add_option("--validation-years", o.validation_years,
                   "Years of new pairs the engine's blend learns to predict (1-5)")
      ->capture_default_str();
  eval->add_option("--seed", o.seed, "Seed of the random baseline and the query draw")
      ->capture_default_str();
  eval->callback([&o] { o.chosen = true; });
}

std::string EvalReportTable(const EvalReport& r) {
  std::ostringstream out;
  out << "clustermatch eval: cut-off " << r.cutoff_year << "\n"
      << "organisations " << Grouped(r.organisations) << " (companies "
      << Grouped(r.company_organisations) << "); before pairs " << Grouped(r.before_pairs)
      << " distinct (" << Grouped(r.before_relations) << " relations); new pairs "
      << Grouped(r.new_pairs) << "; queries " << Grouped(r.queries) << " (companies "
      << Grouped(r.company_queries) << ")\n";
  if (r.evaluated_queries != r.queries) {
    out << "evaluated " << Grouped(r.evaluated_queries) << " queries drawn from "
        << Grouped(r.queries) << "\n";
  }
  out << "left out: " << Grouped(r.after_repeats) << " later pairs already partnered before, "
      << Grouped(r.after_unprofiled) << " later and " << Grouped(r.before_unprofiled)
      << " earlier relations naming unprofiled firms, " << Grouped(r.other_kinds)
      << " relations of other kinds\n";
  for (const EvalGroupResult& group : r.groups) {
    out << "\n"
        << (group.name == "all" ? "all organisations" : "companies only") << ": "
        << Grouped(group.queries) << " queries (candidates: all organisations)\n";
    out << Padded("method", 18, true) << Padded("R@10", 8, false) << Padded("R@20", 8, false)
        << Padded("R@50", 8, false) << Padded("MRR", 8, false) << Padded("NDCG@10", 9, false)
        << Padded("cov@20", 8, false) << Padded("ms/query", 10, false) << "\n";
    for (const MethodScores& s : group.methods) {
      out << Padded(std::string(EvalMethodName(s.method)), 18, true)
          << Padded(Fixed(s.mean.recall_at_10, 4), 8, false)
          << Padded(Fixed(s.mean.recall_at_20, 4), 8, false)
          << Padded(Fixed(s.mean.recall_at_50, 4), 8, false)
          << Padded(Fixed(s.mean.reciprocal_rank, 4), 8, false)
          << Padded(Fixed(s.mean.ndcg_at_10, 4), 9, false) << Padded(Fixed(s.coverage, 4), 8, false)
          << Padded(Fixed(s.ms_per_query, 3), 10, false) << "\n";
    }
  }
  if (r.partner_weights.has_value()) {
    const BlendWeights& w = *r.partner_weights;
    out << "\nlearned partner blend (validation pairs from " << w.validation_year << ", "
        << w.queries << " queries, " << w.examples << " pairs, " << w.positives << " positive):";
    for (int j = 0; j < kBlendSignalCount; ++j) {
      out << " " << BlendSignalName(static_cast<BlendSignal>(j)) << "=" << Fixed(w.weights[j], 3);
    }
    out << "\n";
  } else {
    out << "\nlearned partner blend: none (too few relations to learn from; content ranks)\n";
  }
  out << "\nsetup " << Fixed(r.setup_seconds, 1) << " s, queries " << Fixed(r.query_seconds, 1)
      << " s\n";
  return out.str();
}

nlohmann::ordered_json PartnerBlendJson(const EvalReport& r) {
  if (!r.partner_weights.has_value()) return nullptr;
  const BlendWeights& w = *r.partner_weights;
  nlohmann::ordered_json weights = nlohmann::ordered_json::object();
  for (int j = 0; j < kBlendSignalCount; ++j) {
    weights[BlendSignalName(static_cast<BlendSignal>(j))] = w.weights[j];
  }
  return {{"validation_year", w.validation_year},
          {"queries", w.queries},
          {"pairs", w.examples},
          {"positives", w.positives},
          {"weights", weights}};
}

std::string EvalReportJson(const EvalReport& r) {
  nlohmann::ordered_json groups = nlohmann::ordered_json::object();
  for (const EvalGroupResult& group : r.groups) {
    nlohmann::ordered_json methods = nlohmann::ordered_json::object();
    for (const MethodScores& s : group.methods) {
      methods[std::string(EvalMethodName(s.method))] = ScoresJson(s);
    }
    groups[group.name] = {{"queries", group.queries}, {"methods", methods}};
  }
  nlohmann::ordered_json json{
      {"cutoff", r.cutoff_year},
      {"counts",
       {{"organisations", r.organisations},
        {"company_organisations", r.company_organisations},
        {"before_pairs", r.before_pairs},
        {"before_relations", r.before_relations},
        {"new_pairs", r.new_pairs},
        {"queries", r.queries},
        {"company_queries", r.company_queries},
        {"evaluated_queries", r.evaluated_queries},
        {"left_out",
         {{"later_pairs_partnered_before", r.after_repeats},
          {"later_relations_unprofiled", r.after_unprofiled},
          {"earlier_relations_unprofiled", r.before_unprofiled},
          {"other_kinds", r.other_kinds}}}}},
      {"groups", groups},
      {"partner_blend", PartnerBlendJson(r)},
      {"seconds", {{"setup", r.setup_seconds}, {"queries", r.query_seconds}}}};
  return json.dump(2) + "\n";
}

absl::Status RunEvalCommand(const EvalCommandOptions& o, std::ostream& out, std::ostream& err) {
  if (o.cutoff < 1000 || o.cutoff > 9999) {
    return absl::InvalidArgumentError("--cutoff: must be a year such as 2018, got " +
                                      std::to_string(o.cutoff));
  }
  if (o.threads < 1 || o.threads > 64) {
    return absl::InvalidArgumentError("--threads: must be 1..64, got " + std::to_string(o.threads));
  }
  if (o.validation_years < 1 || o.validation_years > 5) {
    return absl::InvalidArgumentError("--validation-years: must be 1..5, got " +
                                      std::to_string(o.validation_years));
  }
  EvalOptions options;
  options.cutoff_year = o.cutoff;
  options.validation_years = o.validation_years;
  CM_ASSIGN_OR_RETURN(options.methods, ParseMethods(o.methods));
  options.threads = o.threads;
  options.limit_queries = o.limit_queries;
  options.store_path = o.store;
  options.seed = o.seed;
  options.progress = [&err](const std::string& line) { err << "eval: " << line << std::endl; };

  absl::StatusOr<std::string> profile_bytes = ReadFileBytes(o.profiles);
  if (!profile_bytes.ok()) return Prefixed("--profiles: ", profile_bytes.status());
  CM_ASSIGN_OR_RETURN(const std::vector<Firm> firms, ParseFirmsJsonl(*profile_bytes, o.profiles));
  if (firms.empty()) return absl::InvalidArgumentError("--profiles: " + o.profiles + ": no firms");
  absl::StatusOr<std::string> relation_bytes = ReadFileBytes(o.relations);
  if (!relation_bytes.ok()) return Prefixed("--relations: ", relation_bytes.status());
  CM_ASSIGN_OR_RETURN(const std::vector<Relation> relations,
                      ParseRelationsCsv(*relation_bytes, o.relations));
  err << "eval: " << firms.size() << " profiles, " << relations.size() << " relations" << std::endl;
  if (!o.json_path.empty()) {
    // Fail before the long run when the output cannot be written.
    std::ofstream probe(o.json_path, std::ios::app);
    if (!probe) return absl::InvalidArgumentError("--json: cannot write " + o.json_path);
  }

  absl::StatusOr<EvalReport> report = RunQualityEval(firms, relations, options);
  if (!report.ok()) return InCommandTerms(report.status(), o);
  out << EvalReportTable(*report);
  if (!o.json_path.empty()) {
    std::ofstream file(o.json_path, std::ios::binary | std::ios::trunc);
    file << EvalReportJson(*report);
    if (!file) return absl::DataLossError("--json: cannot write " + o.json_path);
  }
  return absl::OkStatus();
}

}  // namespace clustermatch
