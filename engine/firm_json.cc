#include "engine/firm_json.h"

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include <simdjson.h>

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

// Reading uses simdjson (its DOM parser, one per thread): opening a store
// parses every profile, and nlohmann's DOM took 55 us a profile there.
using Element = simdjson::dom::element;

// The JSON type names nlohmann's type_name() gives, which the messages kept.
const char* TypeName(const Element& value) {
  switch (value.type()) {
    case simdjson::dom::element_type::ARRAY:
      return "array";
    case simdjson::dom::element_type::OBJECT:
      return "object";
    case simdjson::dom::element_type::STRING:
      return "string";
    case simdjson::dom::element_type::BOOL:
      return "boolean";
    case simdjson::dom::element_type::NULL_VALUE:
      return "null";
    default:
      return "number";
  }
}

absl::StatusOr<std::string> ReadText(const Element& value, std::string_view field) {
  std::string_view text;
  if (value.get_string().get(text) != simdjson::SUCCESS) {
    return Bad(field, absl::StrCat("expected a string, got ", TypeName(value)));
  }
  return std::string(text);
}

absl::StatusOr<int32_t> ReadInt32(const Element& value, std::string_view field) {
  constexpr int64_t kMin = std::numeric_limits<int32_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int32_t>::max();
  if (value.is_uint64() || value.is_int64()) {
    int64_t number = 0;
    if (value.get_int64().get(number) != simdjson::SUCCESS || number < kMin || number > kMax) {
      return Bad(field, "integer out of range");
    }
    return static_cast<int32_t>(number);
  }
  return Bad(field, absl::StrCat("expected an integer, got ", TypeName(value)));
}

absl::StatusOr<std::vector<std::string>> ReadTextList(const Element& value,
                                                      std::string_view field) {
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return Bad(field, absl::StrCat("expected an array, got ", TypeName(value)));
  }
  std::vector<std::string> items;
  items.reserve(array.size());
  for (const Element item : array) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      const std::string item_field = absl::StrCat(std::string(field), "[", items.size(), "]");
      return Bad(item_field, absl::StrCat("expected a string, got ", TypeName(item)));
    }
    items.emplace_back(text);
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
absl::StatusOr<Enum> ReadEnum(const Element& value, std::string_view field,
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
absl::Status ReadKey(std::string_view key, const Element& value, Firm& firm) {
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
    simdjson::dom::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) {
      return Bad(key, absl::StrCat("expected an array, got ", TypeName(value)));
    }
    firm.roles.clear();
    for (const Element item : array) {
      absl::StatusOr<Role> role =
          ReadEnum(item, absl::StrCat("roles[", firm.roles.size(), "]"), kRoleNames);
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
  thread_local simdjson::dom::parser parser;
  Element parsed;
  if (parser.parse(text.data(), text.size()).get(parsed) != simdjson::SUCCESS) {
    return Bad("(text)", "malformed JSON");
  }
  simdjson::dom::object object;
  if (parsed.get_object().get(object) != simdjson::SUCCESS) {
    return Bad("(text)", absl::StrCat("expected an object, got ", TypeName(parsed)));
  }
  Firm firm;
  bool has_id = false;
  for (const auto [key, value] : object) {
    has_id = has_id || key == "id";
    absl::Status status = ReadKey(key, value, firm);
    if (!status.ok()) return status;
  }
  if (!has_id) return Bad("id", "missing");
  return firm;
}

}  // namespace clustermatch
