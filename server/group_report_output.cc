#include "server/group_report_output.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "engine/csv_writer.h"
#include "server/group_reason_text.h"

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

// `en` or `ko`, as the reader asked.
const char* Say(Language language, const char* en, const char* ko) {
  return language == Language::kKorean ? ko : en;
}

}  // namespace

std::string SigReportText(const SigReport& r, Language lang) {
  std::string text = absl::StrCat(r.firms, Say(lang, " firms, ", "개 기업, SIG "), r.sigs.size(),
                                  Say(lang, " SIGs, mean cohesion ", "개, 평균 응집도 "),
                                  Fixed(r.mean_cohesion), "\n");
  for (size_t i = 0; i < r.sigs.size(); ++i) {
    const SigSuggestion& sig = r.sigs[i];
    absl::StrAppend(&text, "\nSIG ", i + 1, ": ", absl::StrJoin(sig.label, ", "), "  (",
                    sig.members.size(), Say(lang, " firms, cohesion ", "개 기업, 응집도 "),
                    Fixed(sig.cohesion), Say(lang, ", mini-clusters ", ", 미니클러스터 "),
                    absl::StrJoin(sig.mini_clusters, " + "), ")\n");
    for (const SigMember& m : sig.members) {
      absl::StrAppend(&text, "  ", m.id, "  ", m.name, " (", m.mini_cluster, ")  fit ",
                      Fixed(m.fit), "\n");
    }
  }
  if (!r.unplaced.empty()) absl::StrAppend(&text, Say(lang, "\nnot placed:\n", "\n미배정:\n"));
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

std::string FounderReportText(const FounderReport& r, Language lang) {
  std::string text =
      absl::StrCat(Say(lang, "sub-areas: ", "세부 분야: "), absl::StrJoin(r.sub_areas, ", "), "\n",
                   Say(lang, "candidates considered: ", "검토한 후보: "), r.candidates,
                   r.exact ? Say(lang, " (exact choice)", " (전수 비교)") : "",
                   Say(lang, "\n\nfounding members:\n", "\n\n창립 멤버:\n"));
  for (size_t i = 0; i < r.founders.size(); ++i) {
    const FounderPick& f = r.founders[i];
    absl::StrAppend(&text, i + 1, ". ", f.id, "  ", f.name, " [", std::string(FirmKindName(f.kind)),
                    ", ", f.mini_cluster.empty() ? "-" : f.mini_cluster, ", ",
                    f.region.empty() ? "-" : f.region, "]\n     ",
                    Join(ReasonTexts(f.reasons, lang)), "\n");
  }
  absl::StrAppend(&text, Say(lang, "\nsub-area coverage:\n", "\n세부 분야별 담당:\n"));
  for (const SubAreaCover& c : r.coverage) {
    absl::StrAppend(&text, "  ", c.sub_area, ": ",
                    c.firm_id.empty() ? std::string(Say(lang, "not covered", "담당 없음"))
                                      : absl::StrCat(c.firm_id, " (", Fixed(c.coverage), ")"),
                    "\n");
  }
  for (const std::string& unmet : r.unmet) {
    absl::StrAppend(&text, Say(lang, "unmet: ", "충족 못 함: "), unmet, "\n");
  }
  return text;
}

std::string FounderReportJson(const FounderReport& r, Language lang) {
  nlohmann::json founders = nlohmann::json::array();
  for (const FounderPick& f : r.founders) {
    founders.push_back({{"id", f.id},
                        {"name", f.name},
                        {"kind", std::string(FirmKindName(f.kind))},
                        {"mini_cluster", f.mini_cluster},
                        {"region", f.region},
                        {"relevance", f.relevance},
                        {"sub_areas", f.sub_areas},
                        {"reasons", ReasonTexts(f.reasons, lang)}});
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

std::string FounderReportCsv(const FounderReport& r, Language lang) {
  std::string csv =
      absl::StrCat(kUtf8Bom, CsvLine({"rank", "firm_id", "name", "kind", "mini_cluster", "region",
                                      "relevance", "sub_areas", "reasons"}));
  for (size_t i = 0; i < r.founders.size(); ++i) {
    const FounderPick& f = r.founders[i];
    csv += CsvLine({std::to_string(i + 1), f.id, f.name, std::string(FirmKindName(f.kind)),
                    f.mini_cluster, f.region, Fixed(f.relevance), Join(f.sub_areas),
                    Join(ReasonTexts(f.reasons, lang))});
  }
  return csv;
}

std::string ConsortiumReportText(const ConsortiumReport& r, Language lang) {
  std::string text =
      lang == Language::kKorean
          ? absl::StrFormat(
                "%d개 기업 팀: 요구사항 %d/%d 충족 (가중 충족도 %.0f%%), 평균 "
                "궁합 %.3f, 후보 %d개\n%s\n\n",
                r.members.size(), r.covered, r.requirements.size(), 100 * r.coverage,
                r.mean_compatibility, r.candidates,
                r.exact ? "전수 비교: 후보로 만들 수 있는 모든 팀을 비교"
                        : "탐욕적 가중 커버리지: 같은 규모의 최적 팀이 얻는 "
                          "커버리지의 1 - 1/e (63%) 이상 보장 (궁합과 제외 "
                          "조건 적용 전)")
          : absl::StrFormat(
                "team of %d: %d of %d requirements covered (weighted coverage %.0f%%), mean "
                "compatibility %.3f, %d candidates\n%s\n\n",
                r.members.size(), r.covered, r.requirements.size(), 100 * r.coverage,
                r.mean_compatibility, r.candidates, r.method);
  for (const ConsortiumMember& m : r.members) {
    absl::StrAppend(&text, "  ", m.id, "  ", m.name, " [",
                    m.mini_cluster.empty() ? "-" : m.mini_cluster, "]",
                    m.lead ? Say(lang, " lead", " 주관") : "",
                    Say(lang, "  compatibility ", "  궁합 "), Fixed(m.compatibility), "\n");
    for (const std::string& reason : ReasonTexts(m.reasons, lang)) {
      absl::StrAppend(&text, "     ", reason, "\n");
    }
  }
  absl::StrAppend(&text, Say(lang, "\nrequirements:\n", "\n요구사항:\n"));
  std::vector<std::string> gaps;
  for (const RequirementCover& c : r.requirements) {
    const std::string name =
        c.role ? absl::StrCat(Say(lang, "role ", "역할 "), RoleLabel(c.requirement, lang))
               : c.requirement;
    absl::StrAppend(&text, "  ", c.covered ? "[x] " : "[ ] ", name, ": ",
                    c.covered ? c.firm_id : std::string(Say(lang, "GAP", "공백")), "\n");
    if (!c.covered) gaps.push_back(name);
  }
  if (!gaps.empty()) absl::StrAppend(&text, Say(lang, "\ngaps: ", "\n공백: "), Join(gaps), "\n");
  for (const std::string& unmet : r.unmet) {
    absl::StrAppend(&text, Say(lang, "unmet: ", "충족 못 함: "), unmet, "\n");
  }
  return text;
}

std::string ConsortiumReportJson(const ConsortiumReport& r, Language lang) {
  nlohmann::json members = nlohmann::json::array();
  for (const ConsortiumMember& m : r.members) {
    members.push_back({{"id", m.id},
                       {"name", m.name},
                       {"kind", std::string(FirmKindName(m.kind))},
                       {"mini_cluster", m.mini_cluster},
                       {"lead", m.lead},
                       {"covers", m.covers},
                       {"compatibility", m.compatibility},
                       {"reasons", ReasonTexts(m.reasons, lang)}});
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

std::string PoolReportText(const PoolReport& r, Language lang) {
  std::string text = lang == Language::kKorean
                         ? absl::StrFormat("%d개 기업, 원자재 기재 %d개, 공동구매 풀 %d개\n",
                                           r.firms, r.firms_with_materials, r.pools.size())
                         : absl::StrFormat("%d firms, %d listing materials, %d pools\n", r.firms,
                                           r.firms_with_materials, r.pools.size());
  for (const PoolSummary& p : r.pools) {
    absl::StrAppend(&text, "\n", p.material,
                    p.parts > 1 ? absl::StrCat(" (", p.part, "/", p.parts, ")") : "", ": ",
                    p.members.size(), Say(lang, " firms", "개 기업"));
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
