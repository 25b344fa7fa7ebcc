// Firm files in JSON Lines: one clustermatch.v1.Firm per line in the proto3
// JSON mapping (PRODUCT.md, "Data formats"). Reading accepts the short
// lower-case enum names ("company", "members", "planning") as well as the
// full proto names, a UTF-8 BOM, CRLF line ends and blank lines. Writing
// keeps the snake_case field names.
#ifndef CLUSTERMATCH_SERVER_FIRM_JSONL_H_
#define CLUSTERMATCH_SERVER_FIRM_JSONL_H_

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/firm.h"

namespace clustermatch {

// Parses and validates every line. The first bad line fails the whole file
// with InvalidArgument "FILE:LINE: FIELD: reason". `progress`, when set, is
// called every 10,000 lines with the line number.
absl::StatusOr<std::vector<Firm>> ParseFirmsJsonl(
    std::string_view bytes, std::string_view file_name,
    const std::function<void(size_t)>& progress = nullptr);

// One line of JSON, without the trailing newline. `line_prefix` prefixes
// errors ("firms.jsonl:12: ").
absl::StatusOr<Firm> ParseFirmJson(std::string_view json, const std::string& line_prefix);
std::string FirmToProtoJson(const Firm& firm);

// All firms, one per line, each line ending in '\n'.
std::string WriteFirmsJsonl(std::span<const Firm> firms);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_FIRM_JSONL_H_
