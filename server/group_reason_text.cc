#include "server/group_reason_text.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace clustermatch {
namespace {

std::string Percent(float share) {
  return absl::StrCat(static_cast<int>(std::lround(100.0 * share)), "%");
}

std::string KindLabel(std::string_view kind, Language language) {
  if (language == Language::kKorean) {
    if (kind == "university") return "대학";
    if (kind == "research_institute") return "연구기관";
  } else if (kind == "research_institute") {
    return "research institute";
  }
  return std::string(kind);
}

}  // namespace

std::string RoleLabel(std::string_view role, Language language) {
  if (language == Language::kKorean) {
    if (role == "planning") return "기획";
    if (role == "development") return "개발";
    if (role == "production") return "생산";
    if (role == "marketing") return "마케팅";
  }
  return std::string(role);
}

std::string ReasonText(const GroupReason& r, Language language) {
  const bool ko = language == Language::kKorean;
  const std::string subject = absl::StrCat("\"", r.subject, "\"");
  switch (r.kind) {
    case GroupReason::Kind::kLead:
      return ko ? "주관 기업" : "the lead firm";
    case GroupReason::Kind::kCovers:
      return ko ? absl::StrCat(subject, " 담당") : absl::StrCat("covers ", subject);
    case GroupReason::Kind::kCoversWith:
      return ko ? absl::StrCat(subject, " 담당: \"", r.detail, "\"")
                : absl::StrCat("covers ", subject, " with \"", r.detail, "\"");
    case GroupReason::Kind::kAlsoOffers:
      return ko ? absl::StrCat(subject, "도 제공 (충족도 ", Percent(r.value), ")")
                : absl::StrCat("also offers ", subject, " (", Percent(r.value), " of full)");
    case GroupReason::Kind::kAlsoHasRole:
      return ko ? absl::StrCat(RoleLabel(r.subject, language), " 역할도 수행")
                : absl::StrCat("also has the ", r.subject, " role");
    case GroupReason::Kind::kTopicRelevance:
      return ko ? absl::StrCat("주제 관련도: 최고 후보의 ", Percent(r.value))
                : absl::StrCat("topic relevance ", Percent(r.value), " of the best candidate");
    case GroupReason::Kind::kOffers:
      return ko ? absl::StrCat("제공: ", subject) : absl::StrCat("offers ", subject);
    case GroupReason::Kind::kResearchMember:
      return ko ? absl::StrCat("창립 멤버 중 ", KindLabel(r.subject, language))
                : absl::StrCat("a ", KindLabel(r.subject, language), " among the founders");
    case GroupReason::Kind::kCoversRole:
      return ko ? absl::StrCat(RoleLabel(r.subject, language), " 역할 담당")
                : absl::StrCat("covers the ", r.subject, " role");
    case GroupReason::Kind::kMiniCluster:
      return ko ? absl::StrCat("미니클러스터 ", r.subject)
                : absl::StrCat("mini-cluster ", r.subject);
  }
  return r.subject;
}

std::vector<std::string> ReasonTexts(const std::vector<GroupReason>& reasons, Language language) {
  std::vector<std::string> texts;
  texts.reserve(reasons.size());
  for (const GroupReason& reason : reasons) texts.push_back(ReasonText(reason, language));
  return texts;
}

}  // namespace clustermatch
