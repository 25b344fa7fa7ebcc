#include "server/firm_jsonl.h"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "clustermatch/v1/firm.pb.h"
#include "engine/firm_validation.h"
#include "server/firm_proto_converter.h"

namespace clustermatch {
namespace {

using google::protobuf::FieldDescriptor;
using nlohmann::json;

absl::Status Error(const std::string& prefix, const std::string& field, const std::string& reason) {
  return absl::InvalidArgumentError(prefix + field + ": " + reason);
}

// Rewrites a short enum name ("company") to its proto name
// ("FIRM_KIND_COMPANY"); anything else is left for protobuf to judge.
void CanonicaliseEnum(const FieldDescriptor& field, json& value) {
  if (!value.is_string()) return;
  const std::string text = value.get<std::string>();
  std::string proto_name;
  if (field.name() == "kind") {
    if (auto kind = ParseFirmKind(text)) proto_name = v1::FirmKind_Name(KindToProto(*kind));
  } else if (field.name() == "visibility") {
    if (auto visibility = ParseVisibility(text)) {
      proto_name = v1::Visibility_Name(VisibilityToProto(*visibility));
    }
  } else if (field.name() == "roles") {
    if (auto role = ParseRole(text)) proto_name = v1::Role_Name(RoleToProto(*role));
  }
  if (!proto_name.empty()) value = proto_name;
}

// Checks each key against the Firm message and each value's JSON type against
// the field's type, so that errors name the field.
absl::Status CheckShape(json& object, const std::string& prefix) {
  if (!object.is_object()) return absl::InvalidArgumentError(prefix + "not a JSON object");
  const auto* descriptor = v1::Firm::descriptor();
  for (auto& [key, value] : object.items()) {
    const FieldDescriptor* field = descriptor->FindFieldByName(key);
    if (field == nullptr) field = descriptor->FindFieldByCamelcaseName(key);
    if (field == nullptr) return Error(prefix, key, "unknown field");
    if (value.is_null()) continue;
    auto check_item = [&](json& item, const std::string& path) -> absl::Status {
      switch (field->cpp_type()) {
        case FieldDescriptor::CPPTYPE_STRING:
          if (!item.is_string()) return Error(prefix, path, "must be a string");
          break;
        case FieldDescriptor::CPPTYPE_INT32:
          if (!item.is_number_integer() && !item.is_string()) {
            return Error(prefix, path, "must be an integer");
          }
          break;
        case FieldDescriptor::CPPTYPE_ENUM:
          if (!item.is_string() && !item.is_number_integer()) {
            return Error(prefix, path, "must be a name");
          }
          CanonicaliseEnum(*field, item);
          if (item.is_string() &&
              field->enum_type()->FindValueByName(item.get<std::string>()) == nullptr) {
            return Error(prefix, path, "unknown value \"" + item.get<std::string>() + "\"");
          }
          break;
        default:
          break;
      }
      return absl::OkStatus();
    };
    if (field->is_repeated()) {
      if (!value.is_array()) return Error(prefix, key, "must be a list");
      for (size_t i = 0; i < value.size(); ++i) {
        absl::Status status = check_item(value[i], key + "[" + std::to_string(i) + "]");
        if (!status.ok()) return status;
      }
    } else {
      absl::Status status = check_item(value, key);
      if (!status.ok()) return status;
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Firm> ParseFirmJson(std::string_view text, const std::string& prefix) {
  json object = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (object.is_discarded()) {
    // Re-parse with exceptions only to learn where the syntax breaks.
    try {
      json reparsed = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
      return absl::InvalidArgumentError(prefix + "invalid JSON at byte " + std::to_string(e.byte) +
                                        ": " + e.what());
    } catch (const json::exception& e) {  // e.g. a number too large for a double
      return absl::InvalidArgumentError(prefix + "invalid JSON: " + e.what());
    }
    return absl::InvalidArgumentError(prefix + "invalid JSON");
  }
  absl::Status shape = CheckShape(object, prefix);
  if (!shape.ok()) return shape;
  v1::Firm proto;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto parsed = google::protobuf::util::JsonStringToMessage(object.dump(), &proto, options);
  if (!parsed.ok()) return absl::InvalidArgumentError(prefix + std::string(parsed.message()));
  absl::StatusOr<Firm> firm = FromProto(proto);
  if (!firm.ok()) return absl::InvalidArgumentError(prefix + std::string(firm.status().message()));
  absl::Status valid = ValidateFirm(*firm);
  if (!valid.ok()) return absl::InvalidArgumentError(prefix + std::string(valid.message()));
  return firm;
}

absl::StatusOr<std::vector<Firm>> ParseFirmsJsonl(std::string_view bytes,
                                                  std::string_view file_name,
                                                  const std::function<void(size_t)>& progress) {
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  // Lines are parsed on every core a block at a time; each block is then
  // checked in line order, so the first bad line of the file is the one
  // reported, and `progress` is called from this thread.
  constexpr size_t kBlock = 10000;
  struct Line {
    size_t number;
    std::string_view text;
  };
  std::vector<Firm> firms;
  std::unordered_map<std::string, size_t> line_of_id;
  std::vector<Line> lines;
  std::vector<absl::StatusOr<Firm>> parsed;
  size_t line_number = 0;
  auto prefix = [&file_name](size_t number) {
    return std::string(file_name) + ":" + std::to_string(number) + ": ";
  };
  while (!bytes.empty()) {
    lines.clear();
    do {
      const size_t end = bytes.find('\n');
      std::string_view line = bytes.substr(0, end);
      bytes.remove_prefix(end == std::string_view::npos ? bytes.size() : end + 1);
      ++line_number;
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (line.find_first_not_of(" \t") != std::string_view::npos) {
        lines.push_back({line_number, line});
      }
    } while (!bytes.empty() && line_number % kBlock != 0);
    parsed.assign(lines.size(), absl::UnknownError("not parsed"));
    const auto n = static_cast<int64_t>(lines.size());
#pragma omp parallel for schedule(dynamic, 64) if (n >= 256)
    for (int64_t i = 0; i < n; ++i) {
      const Line& line = lines[static_cast<size_t>(i)];
      parsed[static_cast<size_t>(i)] = ParseFirmJson(line.text, prefix(line.number));
    }
    for (size_t i = 0; i < lines.size(); ++i) {
      absl::StatusOr<Firm>& firm = parsed[i];
      if (!firm.ok()) return firm.status();
      auto [it, inserted] = line_of_id.emplace(firm->id, lines[i].number);
      if (!inserted) {
        return Error(prefix(lines[i].number), "id",
                     "\"" + firm->id + "\" repeats line " + std::to_string(it->second));
      }
      firms.push_back(*std::move(firm));
    }
    if (progress && line_number % kBlock == 0) progress(line_number);
  }
  return firms;
}

std::string FirmToProtoJson(const Firm& firm) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string out;
  // Printing a well-formed message cannot fail.
  (void)google::protobuf::util::MessageToJsonString(ToProto(firm), &out, options);
  return out;
}

std::string WriteFirmsJsonl(std::span<const Firm> firms) {
  std::string out;
  for (const Firm& firm : firms) {
    out += FirmToProtoJson(firm);
    out += '\n';
  }
  return out;
}

}  // namespace clustermatch
