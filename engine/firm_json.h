// The store's own codec between Firm and JSON text (the firms.profile
// column). Not the proto3 JSON mapping used for import files: this format
// belongs to the store and changes only with a schema migration.
//
// The text is one compact JSON object with every field, in Firm's order:
//   {"id":"f1","name":"대성정밀","description":"","kind":"company",
//    "clusters":["changwon"],"mini_cluster":"","industries":[],...,
//    "roles":["production"],...,"employees":120,"founded":1998,
//    "visibility":"public"}
// Enums are their short names (FirmKindName, RoleName, VisibilityName); list
// fields are arrays of strings in order; text is UTF-8, not \u-escaped.
//
// Thread safety: plain functions without shared state.
#ifndef CLUSTERMATCH_ENGINE_FIRM_JSON_H_
#define CLUSTERMATCH_ENGINE_FIRM_JSON_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "engine/firm.h"

namespace clustermatch {

// InvalidArgument when a text is not valid UTF-8 or an enum holds a value
// without a name.
absl::StatusOr<std::string> FirmToJson(const Firm& firm);

// Reads text written by FirmToJson. Every failure is DataLoss (the text comes
// from the store, so a bad one means a damaged or foreign row), with the
// field named: malformed JSON, a top-level value that is not an object, an
// unknown key, a value of the wrong type, an integer outside int32, an
// enum value other than its exact short name, or a missing "id". Other
// missing keys keep Firm's defaults.
absl::StatusOr<Firm> FirmFromJson(std::string_view text);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIRM_JSON_H_
