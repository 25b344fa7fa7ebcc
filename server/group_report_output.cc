#include "server/group_report_output.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/csv_writer.h"

namespace clustermatch {
namespace {

std::string Fixed(double value) { return absl::StrFormat("%.3f", value); }

// One CSV line from its cells, CRLF-terminated.
std::string CsvLine(std::initializer_list<std::string> cells) {
  std::string line;
  bool first = true;
  for (const std::string& cell : cells) {
    if (!first) line += ",";
    first = false;
    line += CsvCell(cell);
  }
  return line + "\r\n";
}

std::string Dump(const nlohmann::json& json) { return json.dump(2) + "\n"; }

std::string Join(const std::vector<std::string>& items) { return absl::StrJoin(items, "; "); }

}  // namespace

std::string SigReportText(const SigReport& r) {
  std::string text = absl::StrFormat("%d firms, %d SIGs, mean cohesion %.3f\n", r.firms,
                                     r.sigs.size(), r.mean_cohesion);
  for (size_t i = 0; i < r.sigs.size(); ++i) {
    const SigSuggestion& sig = r.sigs[i];
    absl::StrAppend(&text, "\nSIG ", i + 1, ": ", absl::StrJoin(sig.label, ", "), "  (",
                    sig.members.size(), " firms, cohesion ", Fixed(sig.cohesion),
                    ", mini-clusters ", absl::StrJoin(sig.mini_clusters, " + "), ")\n");
    for (const SigMember& m : sig.members) {
      absl::StrAppend(&text, "  ", m.id, "  ", m.name, " (", m.mini_cluster, ")  fit ",
                      Fixed(m.fit), "\n");
    }
  }
  if (!r.unplaced.empty()) absl::StrAppend(&text, "\nnot placed:\n");
  for (const UnplacedMember& u : r.unplaced)
    absl::StrAppend(&text, "  ", u.id, ": ", u.reason, "\n");
  return text;
}

std::string SigReportJson(const SigReport& r) {
  nlohmann::json sigs = nlohmann::json::array();
  for (const SigSuggestion& sig : r.sigs) {
    nlohmann::json members = nlohmann::json::array();
    for (const SigMember& m : sig.members) {
      members.push_back(
          {{"id", m.id}, {"name", m.name}, {"mini_cluster", m.mini_cluster}, {"fit", m.fit}});
    }
    sigs.push_back({{"label", sig.label},
                    {"cohesion", sig.cohesion},
                    {"mini_clusters", sig.mini_clusters},
                    {"members", members}});
  }
  nlohmann::json unplaced = nlohmann::json::array();
  for (const UnplacedMember& u : r.unplaced) {
    unplaced.push_back({{"id", u.id}, {"reason", u.reason}});
  }
  return Dump({{"firms", r.firms},
               {"mean_cohesion", r.mean_cohesion},
               {"sigs", sigs},
               {"unplaced", unplaced}});
}

std::string SigReportCsv(const SigReport& r) {
  std::string csv = absl::StrCat(
      kUtf8Bom, CsvLine({"sig", "label", "cohesion", "firm_id", "name", "mini_cluster", "fit"}));
  for (size_t i = 0; i < r.sigs.size(); ++i) {
    const SigSuggestion& sig = r.sigs[i];
    for (const SigMember& m : sig.members) {
      csv += CsvLine({std::to_string(i + 1), Join(sig.label), Fixed(sig.cohesion), m.id, m.name,
                      m.mini_cluster, Fixed(m.fit)});
    }
  }
  for (const UnplacedMember& u : r.unplaced) csv += CsvLine({"", u.reason, "", u.id, "", "", ""});
  return csv;
}

std::string FounderReportText(const FounderReport& r) {
  std::string text = absl::StrCat("sub-areas: ", absl::StrJoin(r.sub_areas, ", "), "\n",
                                  r.candidates, " candidates considered",
                                  r.exact ? " (exact choice)" : "", "\n\nfounding members:\n");
  for (size_t i = 0; i < r.founders.size(); ++i) {
    const FounderPick& f = r.founders[i];
    absl::StrAppend(&text, i + 1, ". ", f.id, "  ", f.name, " [", std::string(FirmKindName(f.kind)),
                    ", ", f.mini_cluster.empty() ? "-" : f.mini_cluster, ", ",
                    f.region.empty() ? "-" : f.region, "]\n     ", Join(f.reasons), "\n");
  }
  absl::StrAppend(&text, "\nsub-area coverage:\n");
  for (const SubAreaCover& c : r.coverage) {
    absl::StrAppend(
        &text, "  ", c.sub_area, ": ",
        c.firm_id.empty() ? "not covered" : absl::StrCat(c.firm_id, " (", Fixed(c.coverage), ")"),
        "\n");
  }
  for (const std::string& unmet : r.unmet) absl::StrAppend(&text, "unmet: ", unmet, "\n");
  return text;
}

std::string FounderReportJson(const FounderReport& r) {
  nlohmann::json founders = nlohmann::json::array();
  for (const FounderPick& f : r.founders) {
    founders.push_back({{"id", f.id},
                        {"name", f.name},
                        {"kind", std::string(FirmKindName(f.kind))},
                        {"mini_cluster", f.mini_cluster},
                        {"region", f.region},
                        {"relevance", f.relevance},
                        {"sub_areas", f.sub_areas},
                        {"reasons", f.reasons}});
  }
  nlohmann::json coverage = nlohmann::json::array();
  for (const SubAreaCover& c : r.coverage) {
    coverage.push_back(
        {{"sub_area", c.sub_area}, {"firm_id", c.firm_id}, {"coverage", c.coverage}});
  }
  return Dump({{"sub_areas", r.sub_areas},
               {"founders", founders},
               {"coverage", coverage},
               {"unmet", r.unmet},
               {"candidates", r.candidates},
               {"exact", r.exact}});
}

std::string FounderReportCsv(const FounderReport& r) {
  std::string csv =
      absl::StrCat(kUtf8Bom, CsvLine({"rank", "firm_id", "name", "kind", "mini_cluster", "region",
                                      "relevance", "sub_areas", "reasons"}));
  for (size_t i = 0; i < r.founders.size(); ++i) {
    const FounderPick& f = r.founders[i];
    csv +=
        CsvLine({std::to_string(i + 1), f.id, f.name, std::string(FirmKindName(f.kind)),
                 f.mini_cluster, f.region, Fixed(f.relevance), Join(f.sub_areas), Join(f.reasons)});
  }
  return csv;
}

std::string ConsortiumReportText(const ConsortiumReport& r) {
  std::string text = absl::StrFormat(
      "team of %d: %d of %d requirements covered (weighted coverage %.0f%%), mean "
      "compatibility %.3f, %d candidates\n%s\n\n",
      r.members.size(), r.covered, r.requirements.size(), 100 * r.coverage, r.mean_compatibility,
      r.candidates, r.method);
  for (const ConsortiumMember& m : r.members) {
    absl::StrAppend(&text, "  ", m.id, "  ", m.name, " [",
                    m.mini_cluster.empty() ? "-" : m.mini_cluster, "]", m.lead ? " lead" : "",
                    "  compatibility ", Fixed(m.compatibility), "\n");
    for (const std::string& reason : m.reasons) absl::StrAppend(&text, "     ", reason, "\n");
  }
  absl::StrAppend(&text, "\nrequirements:\n");
  for (const RequirementCover& c : r.requirements) {
    absl::StrAppend(&text, "  ", c.covered ? "[x] " : "[ ] ", c.role ? "role " : "", c.requirement,
                    c.covered ? absl::StrCat(": ", c.firm_id) : std::string(": GAP"), "\n");
  }
  if (!r.gaps.empty()) absl::StrAppend(&text, "\ngaps: ", Join(r.gaps), "\n");
  for (const std::string& unmet : r.unmet) absl::StrAppend(&text, "unmet: ", unmet, "\n");
  return text;
}

std::string ConsortiumReportJson(const ConsortiumReport& r) {
  nlohmann::json members = nlohmann::json::array();
  for (const ConsortiumMember& m : r.members) {
    members.push_back({{"id", m.id},
                       {"name", m.name},
                       {"kind", std::string(FirmKindName(m.kind))},
                       {"mini_cluster", m.mini_cluster},
                       {"lead", m.lead},
                       {"covers", m.covers},
                       {"compatibility", m.compatibility},
                       {"reasons", m.reasons}});
  }
  nlohmann::json requirements = nlohmann::json::array();
  for (const RequirementCover& c : r.requirements) {
    requirements.push_back({{"requirement", c.requirement},
                            {"role", c.role},
                            {"covered", c.covered},
                            {"coverage", c.coverage},
                            {"firm_id", c.firm_id},
                            {"evidence", c.evidence}});
  }
  return Dump({{"members", members},
               {"requirements", requirements},
               {"gaps", r.gaps},
               {"covered", r.covered},
               {"coverage", r.coverage},
               {"mean_compatibility", r.mean_compatibility},
               {"exact", r.exact},
               {"method", r.method},
               {"unmet", r.unmet},
               {"candidates", r.candidates}});
}

std::string ConsortiumReportCsv(const ConsortiumReport& r) {
  std::string csv = absl::StrCat(
      kUtf8Bom, CsvLine({"requirement", "kind", "covered", "coverage", "firm_id", "evidence"}));
  for (const RequirementCover& c : r.requirements) {
    csv += CsvLine({c.requirement, c.role ? "role" : "capability", c.covered ? "yes" : "no",
                    Fixed(c.coverage), c.firm_id, c.evidence});
  }
  return csv;
}

std::string PoolReportText(const PoolReport& r) {
  std::string text = absl::StrFormat("%d firms, %d listing materials, %d pools\n", r.firms,
                                     r.firms_with_materials, r.pools.size());
  for (const PoolSummary& p : r.pools) {
    absl::StrAppend(&text, "\n", p.material,
                    p.parts > 1 ? absl::StrCat(" (part ", p.part, " of ", p.parts, ")") : "", ": ",
                    p.members.size(), " firms");
    if (p.spellings.size() > 1) absl::StrAppend(&text, "  [", Join(p.spellings), "]");
    absl::StrAppend(&text, "\n");
    for (const PoolMember& m : p.members) {
      absl::StrAppend(&text, "  ", m.id, "  ", m.name, " (", m.mini_cluster, ")\n");
    }
  }
  for (const PoolLeftOutFirm& out : r.left_out) {
    absl::StrAppend(&text, "left out: ", out.firm_id, " from ", out.material, " (", out.reason,
                    ")\n");
  }
  return text;
}

std::string PoolReportJson(const PoolReport& r) {
  nlohmann::json pools = nlohmann::json::array();
  for (const PoolSummary& p : r.pools) {
    nlohmann::json members = nlohmann::json::array();
    for (const PoolMember& m : p.members) {
      members.push_back({{"id", m.id}, {"name", m.name}, {"mini_cluster", m.mini_cluster}});
    }
    pools.push_back({{"material", p.material},
                     {"spellings", p.spellings},
                     {"size", p.members.size()},
                     {"part", p.part},
                     {"parts", p.parts},
                     {"members", members}});
  }
  nlohmann::json left_out = nlohmann::json::array();
  for (const PoolLeftOutFirm& out : r.left_out) {
    left_out.push_back(
        {{"firm_id", out.firm_id}, {"material", out.material}, {"reason", out.reason}});
  }
  return Dump({{"firms", r.firms},
               {"firms_with_materials", r.firms_with_materials},
               {"pools", pools},
               {"left_out", left_out}});
}

std::string PoolReportCsv(const PoolReport& r) {
  std::string csv = absl::StrCat(
      kUtf8Bom, CsvLine({"material", "part", "parts", "size", "firm_id", "name", "mini_cluster"}));
  for (const PoolSummary& p : r.pools) {
    for (const PoolMember& m : p.members) {
      csv += CsvLine({p.material, std::to_string(p.part), std::to_string(p.parts),
                      std::to_string(p.members.size()), m.id, m.name, m.mini_cluster});
    }
  }
  return csv;
}

}  // namespace clustermatch
