// Firm profiles as CSV, the format organisers edit in Excel.
//
// The header row names the columns; they are the Firm field names (id, name,
// description, kind, clusters, mini_cluster, industries, technologies,
// products, offers, needs, roles, materials, markets, region, employees,
// founded, visibility), in any order and any case. Only `id` is required;
// missing columns keep the Firm defaults.
//
// Cells:
//   - Text cells are trimmed of ASCII whitespace, except description, which
//     is kept verbatim (it may hold line breaks inside a quoted cell).
//   - List cells separate items with ';'; items are trimmed and empty items
//     dropped. roles is a list of role names.
//   - kind, visibility and roles take the short lower-case names ("company",
//     "members", "planning") or the full proto names; an empty kind or
//     visibility cell means the default (unspecified, public).
//   - employees and founded are integers; an empty cell means 0 (unknown).
// Rows whose cells are all empty (Excel writes them as ",,,,") are skipped.
//
// All functions are thread-safe.
#ifndef CLUSTERMATCH_ENGINE_FIRM_CSV_H_
#define CLUSTERMATCH_ENGINE_FIRM_CSV_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/firm.h"

namespace clustermatch {

// The column names in the order WriteFirmsCsv writes them.
std::span<const std::string_view> FirmCsvColumns();

// For files that embed firm profile columns (the attendee CSV): the index in
// FirmCsvColumns() of the column named `name` (trimmed, any case), or nullopt
// if it names no firm column.
std::optional<size_t> FirmCsvColumnIndex(std::string_view name);

// Sets the field of `firm` for column `column` (an index in FirmCsvColumns())
// from one raw cell, with the cell rules above. Errors are InvalidArgument
// "FIELD: reason" without a location; the firm is not validated.
absl::Status SetFirmCsvCell(size_t column, std::string_view raw_cell, Firm* firm);

// Parses a whole firm file. `bytes` is decoded with DecodeText(bytes,
// encoding) (text_encoding.h). Every firm passes ValidateFirm, and ids are
// unique within the file. The first problem rejects the whole file with
// InvalidArgument "FILE:LINE: FIELD: reason", e.g.
//   firms.csv:7: employees: not an integer: "12a"
//   firms.csv:1: colour: unknown column
//   firms.csv:9: id: duplicate id "A1", first on line 4
// where LINE is the physical line on which the record starts.
absl::StatusOr<std::vector<Firm>> ParseFirmsCsv(std::string_view bytes, std::string_view file_name,
                                                std::string_view encoding = "auto");

// Writes `firms` as UTF-8 with a byte order mark (so that Excel shows Korean
// correctly), a header row with every column, CRLF line ends, and quotes
// where a cell needs them. An unspecified kind and zero employees or founded
// are written as empty cells. The output parses back with ParseFirmsCsv to
// equal firms, provided they are valid and that no text (other than the
// description) has leading or trailing whitespace and no list item contains
// ';' (the format has no escape for it).
std::string WriteFirmsCsv(std::span<const Firm> firms);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIRM_CSV_H_
