#include "engine/firm_json.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"

namespace clustermatch {
namespace {

using Json = nlohmann::ordered_json;

struct TextField {
  std::string_view key;
  std::string Firm::*member;
};
struct ListField {
  std::string_view key;
  std::vector<std::string> Firm::*member;
};
struct IntField {
  std::string_view key;
  int32_t Firm::*member;
};

constexpr std::array<TextField, 5> kTextFields = {{{"id", &Firm::id},
                                                   {"name", &Firm::name},
                                                   {"description", &Firm::description},
                                                   {"mini_cluster", &Firm::mini_cluster},
                                                   {"region", &Firm::region}}};
constexpr std::array<ListField, 8> kListFields = {{{"clusters", &Firm::clusters},
                                                   {"industries", &Firm::industries},
                                                   {"technologies", &Firm::technologies},
                                                   {"products", &Firm::products},
                                                   {"offers", &Firm::offers},
                                                   {"needs", &Firm::needs},
                                                   {"materials", &Firm::materials},
                                                   {"markets", &Firm::markets}}};
constexpr std::array<IntField, 2> kIntFields = {
    {{"employees", &Firm::employees}, {"founded", &Firm::founded}}};

absl::Status Bad(std::string_view field, std::string_view problem) {
  return absl::DataLossError(
      absl::StrCat("stored firm profile: ", std::string(field), ": ", std::string(problem)));
}

absl::StatusOr<std::string> ReadText(const Json& value, std::string_view field) {
  const auto* text = value.get_ptr<const Json::string_t*>();
  if (text == nullptr)
    return Bad(field, absl::StrCat("expected a string, got ", value.type_name()));
  return *text;
}

absl::StatusOr<int32_t> ReadInt32(const Json& value, std::string_view field) {
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (const auto* u = value.get_ptr<const Json::number_unsigned_t*>()) {
    if (*u > static_cast<uint64_t>(kMax)) return Bad(field, "integer out of range");
    return static_cast<int32_t>(*u);
  }
  if (const auto* i = value.get_ptr<const Json::number_integer_t*>()) {
    if (*i < kMin || *i > kMax) return Bad(field, "integer out of range");
    return static_cast<int32_t>(*i);
  }
  return Bad(field, absl::StrCat("expected an integer, got ", value.type_name()));
}

absl::StatusOr<std::vector<std::string>> ReadTextList(const Json& value, std::string_view field) {
  if (!value.is_array()) {
    return Bad(field, absl::StrCat("expected an array, got ", value.type_name()));
  }
  std::vector<std::string> items;
  items.reserve(value.size());
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string item_field = absl::StrCat(std::string(field), "[", i, "]");
    absl::StatusOr<std::string> item = ReadText(value[i], item_field);
    if (!item.ok()) return item.status();
    items.push_back(*std::move(item));
  }
  return items;
}

template <typename Enum>
struct EnumNames {
  std::string_view (*name)(Enum);
  std::optional<Enum> (*parse)(std::string_view);
};
constexpr EnumNames<FirmKind> kKindNames{&FirmKindName, &ParseFirmKind};
constexpr EnumNames<Visibility> kVisibilityNames{&VisibilityName, &ParseVisibility};
constexpr EnumNames<Role> kRoleNames{&RoleName, &ParseRole};

// Only the exact short name is accepted: Parse* alone would also take the
// proto spellings and other cases, which the codec never writes.
template <typename Enum>
absl::StatusOr<Enum> ReadEnum(const Json& value, std::string_view field,
                              const EnumNames<Enum>& names) {
  absl::StatusOr<std::string> name = ReadText(value, field);
  if (!name.ok()) return name.status();
  std::optional<Enum> parsed = names.parse(*name);
  if (!parsed.has_value() || names.name(*parsed) != *name) {
    return Bad(field, absl::StrCat("unknown name \"", *name, "\""));
  }
  return *parsed;
}

// Applies one key of the stored object to `firm`.
absl::Status ReadKey(const std::string& key, const Json& value, Firm& firm) {
  for (const TextField& f : kTextFields) {
    if (key != f.key) continue;
    absl::StatusOr<std::string> text = ReadText(value, f.key);
    if (!text.ok()) return text.status();
    firm.*f.member = *std::move(text);
    return absl::OkStatus();
  }
  for (const ListField& f : kListFields) {
    if (key != f.key) continue;
    absl::StatusOr<std::vector<std::string>> list = ReadTextList(value, f.key);
    if (!list.ok()) return list.status();
    firm.*f.member = *std::move(list);
    return absl::OkStatus();
  }
  for (const IntField& f : kIntFields) {
    if (key != f.key) continue;
    absl::StatusOr<int32_t> number = ReadInt32(value, f.key);
    if (!number.ok()) return number.status();
    firm.*f.member = *number;
    return absl::OkStatus();
  }
  if (key == "kind") {
    absl::StatusOr<FirmKind> kind = ReadEnum(value, key, kKindNames);
    if (!kind.ok()) return kind.status();
    firm.kind = *kind;
  } else if (key == "visibility") {
    absl::StatusOr<Visibility> visibility = ReadEnum(value, key, kVisibilityNames);
    if (!visibility.ok()) return visibility.status();
    firm.visibility = *visibility;
  } else if (key == "roles") {
    if (!value.is_array()) {
      return Bad(key, absl::StrCat("expected an array, got ", value.type_name()));
    }
    firm.roles.clear();
    for (size_t i = 0; i < value.size(); ++i) {
      absl::StatusOr<Role> role = ReadEnum(value[i], absl::StrCat("roles[", i, "]"), kRoleNames);
      if (!role.ok()) return role.status();
      firm.roles.push_back(*role);
    }
  } else {
    return Bad(key, "unknown key");
  }
  return absl::OkStatus();
}

template <typename Enum>
absl::StatusOr<std::string> EnumName(Enum value, std::string_view (*name)(Enum),
                                     std::string_view field) {
  const std::string_view text = name(value);
  if (text == "unknown") {
    return absl::InvalidArgumentError(absl::StrCat(
        "firm profile: ", std::string(field), ": no name for value ", static_cast<int>(value)));
  }
  return std::string(text);
}

}  // namespace

absl::StatusOr<std::string> FirmToJson(const Firm& firm) {
  absl::StatusOr<std::string> kind = EnumName(firm.kind, &FirmKindName, "kind");
  if (!kind.ok()) return kind.status();
  absl::StatusOr<std::string> visibility = EnumName(firm.visibility, &VisibilityName, "visibility");
  if (!visibility.ok()) return visibility.status();
  Json roles = Json::array();
  for (size_t i = 0; i < firm.roles.size(); ++i) {
    absl::StatusOr<std::string> role = EnumName(firm.roles[i], &RoleName, "roles");
    if (!role.ok()) return role.status();
    roles.push_back(*std::move(role));
  }

  Json out = Json::object();
  out["id"] = firm.id;
  out["name"] = firm.name;
  out["description"] = firm.description;
  out["kind"] = *std::move(kind);
  out["clusters"] = firm.clusters;
  out["mini_cluster"] = firm.mini_cluster;
  out["industries"] = firm.industries;
  out["technologies"] = firm.technologies;
  out["products"] = firm.products;
  out["offers"] = firm.offers;
  out["needs"] = firm.needs;
  out["roles"] = std::move(roles);
  out["materials"] = firm.materials;
  out["markets"] = firm.markets;
  out["region"] = firm.region;
  out["employees"] = firm.employees;
  out["founded"] = firm.founded;
  out["visibility"] = *std::move(visibility);

  // dump() throws type_error 316 on invalid UTF-8; this is the one place the
  // codec can see that, so it is turned into a status here.
  try {
    return out.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::strict);
  } catch (const Json::type_error& error) {
    return absl::InvalidArgumentError(
        absl::StrCat("firm profile ", firm.id, ": cannot encode: ", error.what()));
  }
}

absl::StatusOr<Firm> FirmFromJson(std::string_view text) {
  const Json parsed = Json::parse(text.begin(), text.end(), /*cb=*/nullptr,
                                  /*allow_exceptions=*/false, /*ignore_comments=*/false);
  if (parsed.is_discarded()) return Bad("(text)", "malformed JSON");
  if (!parsed.is_object()) {
    return Bad("(text)", absl::StrCat("expected an object, got ", parsed.type_name()));
  }
  if (!parsed.contains("id")) return Bad("id", "missing");
  Firm firm;
  for (const auto& [key, value] : parsed.items()) {
    absl::Status status = ReadKey(key, value, firm);
    if (!status.ok()) return status;
  }
  return firm;
}

}  // namespace clustermatch
