#include "engine/firm_validation.h"

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"
#include "engine/text_encoding.h"

namespace clustermatch {
namespace {

absl::Status FieldError(std::string_view path, std::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(path), ": ", std::string(reason)));
}

// Offset of the first C0 control (U+0000..U+001F), DEL (U+007F) or C1 control
// (U+0080..U+009F) in valid UTF-8 `text`. C1 controls are encoded as 0xC2
// followed by 0x80..0x9F; in valid UTF-8 that pair means nothing else.
std::optional<size_t> FindControl(std::string_view text, bool allow_line_breaks) {
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20) {
      if (allow_line_breaks && (c == '\t' || c == '\n' || c == '\r')) continue;
      return i;
    }
    if (c == 0x7F) return i;
    if (c == 0xC2 && i + 1 < text.size()) {
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return i;
    }
  }
  return std::nullopt;
}

struct TextRule {
  size_t max_bytes;
  bool required = false;
  bool allow_line_breaks = false;
};

absl::Status CheckText(std::string_view path, std::string_view text, const TextRule& rule) {
  if (rule.required && text.empty()) return FieldError(path, "must not be empty");
  if (text.size() > rule.max_bytes) {
    return FieldError(
        path, absl::StrCat("longer than ", rule.max_bytes, " bytes (", text.size(), " bytes)"));
  }
  if (const std::optional<size_t> bad = FindInvalidUtf8(text); bad.has_value()) {
    return FieldError(path, absl::StrCat("not valid UTF-8 (byte offset ", *bad, ")"));
  }
  if (const std::optional<size_t> bad = FindControl(text, rule.allow_line_breaks);
      bad.has_value()) {
    return FieldError(path, absl::StrCat("contains a control character (byte offset ", *bad, ")"));
  }
  return absl::OkStatus();
}

std::string ItemPath(std::string_view list, size_t index) {
  return absl::StrCat(std::string(list), "[", index, "]");
}

absl::Status CheckCount(std::string_view list, size_t count) {
  if (count > FirmLimits::kListItems) {
    return FieldError(
        list, absl::StrCat("more than ", FirmLimits::kListItems, " items (", count, " items)"));
  }
  return absl::OkStatus();
}

absl::Status CheckList(std::string_view list, const std::vector<std::string>& items,
                       size_t max_bytes) {
  CM_RETURN_IF_ERROR(CheckCount(list, items.size()));
  absl::flat_hash_map<std::string_view, size_t> first_index;
  for (size_t i = 0; i < items.size(); ++i) {
    const std::string path = ItemPath(list, i);
    CM_RETURN_IF_ERROR(CheckText(path, items[i], {.max_bytes = max_bytes, .required = true}));
    const auto [it, inserted] = first_index.emplace(items[i], i);
    if (!inserted) return FieldError(path, absl::StrCat("repeats ", ItemPath(list, it->second)));
  }
  return absl::OkStatus();
}

absl::Status CheckRoles(const std::vector<Role>& roles) {
  CM_RETURN_IF_ERROR(CheckCount("roles", roles.size()));
  for (size_t i = 0; i < roles.size(); ++i) {
    const int value = static_cast<int>(roles[i]);
    if (value < 0 || value >= kRoleCount) {
      return FieldError(ItemPath("roles", i), absl::StrCat("unknown value ", value));
    }
    for (size_t j = 0; j < i; ++j) {
      if (roles[j] == roles[i]) {
        return FieldError(ItemPath("roles", i), absl::StrCat("repeats ", ItemPath("roles", j)));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status CheckId(std::string_view path, std::string_view id) {
  return CheckText(path, id, {.max_bytes = FirmLimits::kIdBytes, .required = true});
}

absl::Status CheckEnums(const Firm& firm) {
  const int kind = static_cast<int>(firm.kind);
  if (kind > static_cast<int>(FirmKind::kPublicBody)) {
    return FieldError("kind", absl::StrCat("unknown value ", kind));
  }
  const int visibility = static_cast<int>(firm.visibility);
  if (visibility > static_cast<int>(Visibility::kHidden)) {
    return FieldError("visibility", absl::StrCat("unknown value ", visibility));
  }
  return absl::OkStatus();
}

absl::Status CheckNumbers(const Firm& firm) {
  if (firm.employees < 0 || firm.employees > FirmLimits::kMaxEmployees) {
    return FieldError("employees", absl::StrCat("must be 0 to ", FirmLimits::kMaxEmployees,
                                                ", got ", firm.employees));
  }
  if (firm.founded != 0 &&
      (firm.founded < FirmLimits::kMinFounded || firm.founded > FirmLimits::kMaxFounded)) {
    return FieldError("founded",
                      absl::StrCat("must be 0 (unknown) or ", FirmLimits::kMinFounded, " to ",
                                   FirmLimits::kMaxFounded, ", got ", firm.founded));
  }
  return absl::OkStatus();
}

bool IsDigits(std::string_view text) {
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

absl::Status CheckDate(std::string_view date) {
  const bool year_only = date.size() == 4;
  const bool full = date.size() == 10 && date[4] == '-' && date[7] == '-';
  if ((!year_only && !full) || !IsDigits(date.substr(0, 4)) ||
      (full && (!IsDigits(date.substr(5, 2)) || !IsDigits(date.substr(8, 2))))) {
    return FieldError("date",
                      absl::StrCat("expected YYYY-MM-DD or YYYY, got \"", std::string(date), "\""));
  }
  const int year = ToInt(date.substr(0, 4));
  if (year < FirmLimits::kMinFounded || year > FirmLimits::kMaxFounded) {
    return FieldError("date",
                      absl::StrCat("year must be ", FirmLimits::kMinFounded, " to ",
                                   FirmLimits::kMaxFounded, ", got \"", std::string(date), "\""));
  }
  if (year_only) return absl::OkStatus();
  static constexpr int kDaysInMonth[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int month = ToInt(date.substr(5, 2));
  const int day = ToInt(date.substr(8, 2));
  const int days =
      month >= 1 && month <= 12 ? kDaysInMonth[month - 1] + (month == 2 && IsLeapYear(year)) : 0;
  if (day < 1 || day > days) {
    return FieldError("date",
                      absl::StrCat("no such day in the calendar: \"", std::string(date), "\""));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateFirm(const Firm& firm) {
  CM_RETURN_IF_ERROR(CheckId("id", firm.id));
  CM_RETURN_IF_ERROR(CheckText("name", firm.name, {.max_bytes = FirmLimits::kNameBytes}));
  CM_RETURN_IF_ERROR(
      CheckText("description", firm.description,
                {.max_bytes = FirmLimits::kDescriptionBytes, .allow_line_breaks = true}));
  CM_RETURN_IF_ERROR(CheckEnums(firm));
  CM_RETURN_IF_ERROR(CheckList("clusters", firm.clusters, FirmLimits::kShortTextBytes));
  CM_RETURN_IF_ERROR(
      CheckText("mini_cluster", firm.mini_cluster, {.max_bytes = FirmLimits::kShortTextBytes}));
  CM_RETURN_IF_ERROR(CheckList("industries", firm.industries, FirmLimits::kShortTextBytes));
  CM_RETURN_IF_ERROR(CheckList("technologies", firm.technologies, FirmLimits::kPhraseBytes));
  CM_RETURN_IF_ERROR(CheckList("products", firm.products, FirmLimits::kPhraseBytes));
  CM_RETURN_IF_ERROR(CheckList("offers", firm.offers, FirmLimits::kPhraseBytes));
  CM_RETURN_IF_ERROR(CheckList("needs", firm.needs, FirmLimits::kPhraseBytes));
  CM_RETURN_IF_ERROR(CheckRoles(firm.roles));
  CM_RETURN_IF_ERROR(CheckList("materials", firm.materials, FirmLimits::kPhraseBytes));
  CM_RETURN_IF_ERROR(CheckList("markets", firm.markets, FirmLimits::kPhraseBytes));
  CM_RETURN_IF_ERROR(CheckText("region", firm.region, {.max_bytes = FirmLimits::kShortTextBytes}));
  return CheckNumbers(firm);
}

absl::Status ValidateRelation(const Relation& relation) {
  CM_RETURN_IF_ERROR(CheckId("a", relation.a));
  CM_RETURN_IF_ERROR(CheckId("b", relation.b));
  if (relation.a == relation.b) return FieldError("b", "must differ from a");
  const int kind = static_cast<int>(relation.kind);
  if (kind > static_cast<int>(RelationKind::kDoNotMatch)) {
    return FieldError("kind", absl::StrCat("unknown value ", kind));
  }
  CM_RETURN_IF_ERROR(CheckDate(relation.date));
  return CheckText("context", relation.context, {.max_bytes = FirmLimits::kIdBytes});
}

}  // namespace clustermatch
