#include "engine/relation_csv.h"

#include <array>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/csv_reader.h"
#include "engine/firm_validation.h"
#include "engine/status_macros.h"
#include "engine/text_encoding.h"

namespace clustermatch {
namespace {

constexpr std::array<std::string_view, 5> kColumnNames = {"a", "b", "kind", "date", "context"};
constexpr size_t kRequiredColumns = 4;

std::string_view Trim(std::string_view text) {
  const absl::string_view trimmed =
      absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size()));
  return {trimmed.data(), trimmed.size()};
}

std::string HeaderName(std::string_view cell) {
  return absl::AsciiStrToLower(std::string(Trim(cell)));
}

absl::Status ErrorAt(std::string_view file_name, int line, std::string_view message) {
  return absl::InvalidArgumentError(
      absl::StrCat(SourceLine(file_name, line), ": ", std::string(message)));
}

bool LooksLikeHeader(const CsvRecord& record) {
  if (record.fields.size() < kRequiredColumns) return false;
  for (size_t i = 0; i < kRequiredColumns; ++i) {
    if (HeaderName(record.fields[i]) != kColumnNames[i]) return false;
  }
  return true;
}

absl::Status CheckHeader(const CsvRecord& header, std::string_view file_name) {
  for (size_t i = kRequiredColumns; i < header.fields.size(); ++i) {
    const std::string name = HeaderName(header.fields[i]);
    if (i >= kColumnNames.size() || name != kColumnNames[i]) {
      return ErrorAt(file_name, header.line,
                     absl::StrCat(name, ": unknown column; expected a,b,kind,date[,context]"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Relation> ParseRow(const CsvRecord& row) {
  Relation relation;
  relation.a = Trim(row.fields[0]);
  relation.b = Trim(row.fields[1]);
  const std::string_view kind = Trim(row.fields[2]);
  if (kind.empty()) return absl::InvalidArgumentError("kind: must not be empty");
  const std::optional<RelationKind> parsed = ParseRelationKind(kind);
  if (!parsed.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "kind: unknown value \"", std::string(kind),
        "\"; expected partnered, met, accepted, declined, competitor or do_not_match"));
  }
  relation.kind = *parsed;
  relation.date = Trim(row.fields[3]);
  if (row.fields.size() > kRequiredColumns) relation.context = Trim(row.fields[4]);
  CM_RETURN_IF_ERROR(ValidateRelation(relation));
  return relation;
}

bool AllEmpty(const CsvRecord& record) {
  for (const std::string& field : record.fields) {
    if (!Trim(field).empty()) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<std::vector<Relation>> ParseRelationsCsv(std::string_view bytes,
                                                        std::string_view file_name,
                                                        std::string_view encoding) {
  CM_ASSIGN_OR_RETURN(const DecodedText text, DecodeText(bytes, encoding, file_name));
  CsvReader reader(text.utf8, file_name);
  std::vector<Relation> relations;
  std::optional<size_t> header_width;
  CsvRecord row;
  while (true) {
    CM_ASSIGN_OR_RETURN(const bool more, reader.Next(&row));
    if (!more) break;
    if (relations.empty() && !header_width.has_value() && LooksLikeHeader(row)) {
      CM_RETURN_IF_ERROR(CheckHeader(row, file_name));
      header_width = row.fields.size();
      continue;
    }
    if (AllEmpty(row)) continue;
    const size_t width = row.fields.size();
    if (header_width.has_value() && width != *header_width) {
      return ErrorAt(
          file_name, row.line,
          absl::StrCat("expected ", *header_width, " fields as in the header, got ", width));
    }
    if (width < kRequiredColumns || width > kColumnNames.size()) {
      return ErrorAt(file_name, row.line,
                     absl::StrCat("expected 4 or 5 fields (a,b,kind,date[,context]), got ", width));
    }
    absl::StatusOr<Relation> relation = ParseRow(row);
    if (!relation.ok()) {
      return ErrorAt(file_name, row.line, std::string(relation.status().message()));
    }
    relations.push_back(*std::move(relation));
  }
  return relations;
}

}  // namespace clustermatch
