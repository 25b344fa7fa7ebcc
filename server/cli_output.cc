#include "server/cli_output.h"

#include <cmath>
#include <cstdio>
#include <functional>

#include <nlohmann/json.hpp>

namespace clustermatch {
namespace {

using nlohmann::ordered_json;

double Rounded(float value) { return std::round(static_cast<double>(value) * 10000.0) / 10000.0; }

ordered_json ComponentsJson(const ComponentScores& c) {
  ordered_json out;
  out["forward"] = Rounded(c.forward);
  out["backward"] = Rounded(c.backward);
  out["mutual"] = Rounded(c.mutual);
  out["roles"] = Rounded(c.roles);
  out["topic"] = Rounded(c.topic);
  out["technologies"] = Rounded(c.technologies);
  out["materials"] = Rounded(c.materials);
  out["boost"] = Rounded(c.boost);
  out["common_partners"] = Rounded(c.common_partners);
  out["relational"] = Rounded(c.relational);
  out["learned"] = Rounded(c.learned);
  return out;
}

ordered_json ExplanationJson(const Explanation& e) {
  ordered_json out;
  ordered_json matches = ordered_json::array();
  for (const PhraseMatch& m : e.need_offer) {
    matches.push_back({{"need_firm", m.need_firm},
                       {"need", m.need},
                       {"offer_firm", m.offer_firm},
                       {"offer", m.offer},
                       {"similarity", Rounded(m.similarity)}});
  }
  out["need_offer"] = matches;
  ordered_json similar = ordered_json::array();
  for (const SimilarPhrases& p : e.similar_offers) {
    similar.push_back({{"query", p.query_phrase},
                       {"candidate", p.candidate_phrase},
                       {"similarity", Rounded(p.similarity)}});
  }
  out["similar_offers"] = similar;
  out["shared_technologies"] = e.shared_technologies;
  ordered_json roles = ordered_json::array();
  for (Role role : e.roles_covered) roles.push_back(std::string(RoleName(role)));
  out["roles_covered"] = roles;
  out["shared_materials"] = e.shared_materials;
  out["matched_offers"] = e.matched_offers;
  out["other_mini_cluster"] = e.other_mini_cluster;
  out["other_clusters"] = e.other_clusters;
  out["components"] = ComponentsJson(e.components);
  return out;
}

struct Labels {
  const char* score;
  const char* need_met;
  const char* similar;
  const char* shared_tech;
  const char* roles;
  const char* materials;
  const char* matched;
  const char* other_mini;
  const char* other_clusters;
  const char* common_partners;
  const char* none;
};

constexpr Labels kEnglish{"score",           "needs",
                          "similar",         "shared technologies",
                          "roles covered",   "shared materials",
                          "matching offers", "other mini-cluster",
                          "other clusters",  "partners in common",
                          "(no results)"};
constexpr Labels kKorean{"점수",          "필요",        "유사",       "공통 기술",
                         "보완 역할",     "공통 원자재", "일치 제공",  "다른 미니클러스터",
                         "다른 클러스터", "공동 파트너", "(결과 없음)"};

std::string Format(const char* format, double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

std::string RecommendationsJson(const std::string& query_firm, const std::string& query_text,
                                std::span<const Recommendation> results) {
  ordered_json out;
  if (!query_firm.empty()) {
    out["firm"] = query_firm;
  } else {
    out["query"] = query_text;
  }
  ordered_json list = ordered_json::array();
  for (const Recommendation& r : results) {
    list.push_back({{"firm", r.firm_id},
                    {"score", Rounded(r.score)},
                    {"explanation", ExplanationJson(r.explanation)}});
  }
  out["results"] = list;
  return out.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

std::string RecommendationsText(const std::string& heading, std::span<const Recommendation> results,
                                const std::function<std::string(const std::string&)>& lookup,
                                Language language) {
  const Labels& l = language == Language::kKorean ? kKorean : kEnglish;
  std::string out = heading + "\n";
  if (results.empty()) out += std::string("  ") + l.none + "\n";
  int rank = 0;
  for (const Recommendation& r : results) {
    out += "  " + std::to_string(++rank) + ". " + r.firm_id + "  " + lookup(r.firm_id) + "   " +
           l.score + " " + Format("%.3f", r.score) + "\n";
    const Explanation& e = r.explanation;
    for (const PhraseMatch& m : e.need_offer) {
      out += std::string("       ") + l.need_met + " [" + m.need_firm + "] \"" + m.need +
             "\"  <-  [" + m.offer_firm + "] \"" + m.offer + "\"  (" +
             Format("%.2f", m.similarity) + ")\n";
    }
    for (const SimilarPhrases& p : e.similar_offers) {
      out += std::string("       ") + l.similar + " \"" + p.query_phrase + "\"  ~  \"" +
             p.candidate_phrase + "\"  (" + Format("%.2f", p.similarity) + ")\n";
    }
    if (!e.matched_offers.empty()) {
      out += std::string("       ") + l.matched + ": " + Join(e.matched_offers) + "\n";
    }
    if (!e.shared_technologies.empty()) {
      out += std::string("       ") + l.shared_tech + ": " + Join(e.shared_technologies) + "\n";
    }
    if (!e.roles_covered.empty()) {
      std::vector<std::string> roles;
      for (Role role : e.roles_covered) roles.emplace_back(RoleName(role));
      out += std::string("       ") + l.roles + ": " + Join(roles) + "\n";
    }
    if (!e.shared_materials.empty()) {
      out += std::string("       ") + l.materials + ": " + Join(e.shared_materials) + "\n";
    }
    if (!e.other_mini_cluster.empty()) {
      out += std::string("       ") + l.other_mini + ": " + e.other_mini_cluster + "\n";
    }
    if (!e.other_clusters.empty()) {
      out += std::string("       ") + l.other_clusters + ": " + Join(e.other_clusters) + "\n";
    }
    if (e.components.common_partners > 0) {
      out += std::string("       ") + l.common_partners + ": " +
             Format("%.0f", e.components.common_partners) + "\n";
    }
  }
  return out;
}

std::string FirmsTable(std::span<const Firm> firms) {
  std::string out = "id\tname\tkind\tmini_cluster\tclusters\tvisibility\n";
  for (const Firm& f : firms) {
    out += f.id + "\t" + f.name + "\t" + std::string(FirmKindName(f.kind)) + "\t" + f.mini_cluster +
           "\t" + Join(f.clusters) + "\t" + std::string(VisibilityName(f.visibility)) + "\n";
  }
  return out;
}

std::string FirmText(const Firm& f) {
  std::vector<std::string> roles;
  for (Role role : f.roles) roles.emplace_back(RoleName(role));
  std::string out;
  auto line = [&](const char* label, const std::string& value) {
    if (!value.empty()) out += std::string(label) + ": " + value + "\n";
  };
  line("id", f.id);
  line("name", f.name);
  line("description", f.description);
  line("kind", std::string(FirmKindName(f.kind)));
  line("clusters", Join(f.clusters));
  line("mini_cluster", f.mini_cluster);
  line("industries", Join(f.industries));
  line("technologies", Join(f.technologies));
  line("products", Join(f.products));
  line("offers", Join(f.offers));
  line("needs", Join(f.needs));
  line("roles", Join(roles));
  line("materials", Join(f.materials));
  line("markets", Join(f.markets));
  line("region", f.region);
  if (f.employees > 0) line("employees", std::to_string(f.employees));
  if (f.founded > 0) line("founded", std::to_string(f.founded));
  line("visibility", std::string(VisibilityName(f.visibility)));
  return out;
}

std::string StatsCountsText(const EngineStats& stats) {
  return "firms: " + std::to_string(stats.firms) +
         "\nrelations: " + std::to_string(stats.relations) +
         "\nindexed: " + std::to_string(stats.indexed) + "\nmodel: v" +
         std::to_string(stats.model_version) + " " + stats.model +
         "\nschema: " + std::to_string(stats.schema_version) + "\n";
}

}  // namespace clustermatch
