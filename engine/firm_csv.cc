#include "engine/firm_csv.h"

#include <array>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/csv_reader.h"
#include "engine/csv_writer.h"
#include "engine/firm_validation.h"
#include "engine/status_macros.h"
#include "engine/text_encoding.h"

namespace clustermatch {
namespace {

enum Column : size_t {
  kId,
  kName,
  kDescription,
  kKind,
  kClusters,
  kMiniCluster,
  kIndustries,
  kTechnologies,
  kProducts,
  kOffers,
  kNeeds,
  kRoles,
  kMaterials,
  kMarkets,
  kRegion,
  kEmployees,
  kFounded,
  kVisibility,
  kColumnCount
};

constexpr std::array<std::string_view, kColumnCount> kColumnNames = {
    "id",         "name",         "description", "kind",      "clusters", "mini_cluster",
    "industries", "technologies", "products",    "offers",    "needs",    "roles",
    "materials",  "markets",      "region",      "employees", "founded",  "visibility"};

std::string_view Trim(std::string_view text) {
  const absl::string_view trimmed =
      absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size()));
  return {trimmed.data(), trimmed.size()};
}

absl::Status CellError(size_t column, std::string_view reason) {
  return absl::InvalidArgumentError(
      absl::StrCat(std::string(kColumnNames[column]), ": ", std::string(reason)));
}

absl::Status WithLocation(const absl::Status& status, std::string_view file_name, int line) {
  return absl::Status(status.code(), absl::StrCat(SourceLine(file_name, line), ": ",
                                                  std::string(status.message())));
}

std::vector<std::string> SplitList(std::string_view cell) {
  std::vector<std::string> items;
  while (true) {
    const size_t semicolon = cell.find(';');
    const std::string_view item = Trim(cell.substr(0, semicolon));
    if (!item.empty()) items.emplace_back(item);
    if (semicolon == std::string_view::npos) break;
    cell.remove_prefix(semicolon + 1);
  }
  return items;
}

// Accepts an optional sign and decimal digits, nothing else.
std::optional<int32_t> ParseInt32(std::string_view text) {
  bool negative = false;
  if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
    negative = text[0] == '-';
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 10) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (negative) value = -value;
  if (value < INT32_MIN || value > INT32_MAX) return std::nullopt;
  return static_cast<int32_t>(value);
}

template <typename Enum>
absl::StatusOr<Enum> ParseEnumCell(size_t column, std::string_view cell,
                                   std::optional<Enum> (*parse)(std::string_view),
                                   std::string_view expected) {
  const std::optional<Enum> value = parse(cell);
  if (!value.has_value()) {
    return CellError(column, absl::StrCat("unknown value \"", std::string(cell), "\"; expected ",
                                          std::string(expected)));
  }
  return *value;
}

constexpr std::string_view kKindNames =
    "company, university, research_institute, support_organisation or public_body";
constexpr std::string_view kVisibilityNames = "public, members or hidden";
constexpr std::string_view kRoleNames = "planning, development, production or marketing";

absl::Status SetCell(size_t column, std::string_view raw, Firm* firm) {
  const std::string_view cell = column == kDescription ? raw : Trim(raw);
  switch (static_cast<Column>(column)) {
    case kId:
      firm->id = cell;
      break;
    case kName:
      firm->name = cell;
      break;
    case kDescription:
      firm->description = cell;
      break;
    case kMiniCluster:
      firm->mini_cluster = cell;
      break;
    case kRegion:
      firm->region = cell;
      break;
    case kClusters:
      firm->clusters = SplitList(cell);
      break;
    case kIndustries:
      firm->industries = SplitList(cell);
      break;
    case kTechnologies:
      firm->technologies = SplitList(cell);
      break;
    case kProducts:
      firm->products = SplitList(cell);
      break;
    case kOffers:
      firm->offers = SplitList(cell);
      break;
    case kNeeds:
      firm->needs = SplitList(cell);
      break;
    case kMaterials:
      firm->materials = SplitList(cell);
      break;
    case kMarkets:
      firm->markets = SplitList(cell);
      break;
    case kKind: {
      if (cell.empty()) break;
      CM_ASSIGN_OR_RETURN(firm->kind, ParseEnumCell(column, cell, &ParseFirmKind, kKindNames));
      break;
    }
    case kVisibility: {
      if (cell.empty()) break;
      CM_ASSIGN_OR_RETURN(firm->visibility,
                          ParseEnumCell(column, cell, &ParseVisibility, kVisibilityNames));
      break;
    }
    case kRoles:
      for (const std::string& item : SplitList(cell)) {
        CM_ASSIGN_OR_RETURN(const Role role, ParseEnumCell(column, item, &ParseRole, kRoleNames));
        firm->roles.push_back(role);
      }
      break;
    case kEmployees:
    case kFounded: {
      if (cell.empty()) break;
      const std::optional<int32_t> value = ParseInt32(cell);
      if (!value.has_value()) {
        return CellError(column, absl::StrCat("not an integer: \"", std::string(cell), "\""));
      }
      (column == kEmployees ? firm->employees : firm->founded) = *value;
      break;
    }
    case kColumnCount:
      break;
  }
  return absl::OkStatus();
}

// Maps each field of the header to its Column.
absl::StatusOr<std::vector<size_t>> MapHeader(const CsvRecord& header, std::string_view file_name) {
  std::vector<size_t> columns;
  std::array<bool, kColumnCount> seen{};
  for (const std::string& field : header.fields) {
    const std::string name = absl::AsciiStrToLower(std::string(Trim(field)));
    size_t column = 0;
    while (column < kColumnCount && kColumnNames[column] != name) ++column;
    std::string_view problem;
    if (column == kColumnCount)
      problem = "unknown column";
    else if (seen[column])
      problem = "column appears twice";
    if (!problem.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(SourceLine(file_name, header.line), ": ", name, ": ", std::string(problem)));
    }
    seen[column] = true;
    columns.push_back(column);
  }
  if (!seen[kId]) {
    return absl::InvalidArgumentError(
        absl::StrCat(SourceLine(file_name, header.line), ": id: required column is missing"));
  }
  return columns;
}

bool AllEmpty(const CsvRecord& record) {
  for (const std::string& field : record.fields) {
    if (!Trim(field).empty()) return false;
  }
  return true;
}

std::string JoinList(const std::vector<std::string>& items) { return absl::StrJoin(items, ";"); }

std::string RolesCell(const std::vector<Role>& roles) {
  std::vector<std::string> names;
  for (Role role : roles) names.emplace_back(RoleName(role));
  return JoinList(names);
}

std::string NumberCell(int32_t value) { return value == 0 ? "" : absl::StrCat(value); }

std::array<std::string, kColumnCount> Cells(const Firm& f) {
  return {f.id,
          f.name,
          f.description,
          f.kind == FirmKind::kUnspecified ? "" : std::string(FirmKindName(f.kind)),
          JoinList(f.clusters),
          f.mini_cluster,
          JoinList(f.industries),
          JoinList(f.technologies),
          JoinList(f.products),
          JoinList(f.offers),
          JoinList(f.needs),
          RolesCell(f.roles),
          JoinList(f.materials),
          JoinList(f.markets),
          f.region,
          NumberCell(f.employees),
          NumberCell(f.founded),
          std::string(VisibilityName(f.visibility))};
}

void AppendRow(std::span<const std::string> cells, std::string* out) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append(CsvCell(cells[i]));
  }
  out->append("\r\n");
}

}  // namespace

std::span<const std::string_view> FirmCsvColumns() { return kColumnNames; }

std::optional<size_t> FirmCsvColumnIndex(std::string_view name) {
  const std::string lower = absl::AsciiStrToLower(std::string(Trim(name)));
  for (size_t column = 0; column < kColumnCount; ++column) {
    if (kColumnNames[column] == lower) return column;
  }
  return std::nullopt;
}

absl::Status SetFirmCsvCell(size_t column, std::string_view raw_cell, Firm* firm) {
  if (column >= kColumnCount) {
    return absl::InvalidArgumentError(absl::StrCat("column ", column, ": no such firm column"));
  }
  return SetCell(column, raw_cell, firm);
}

absl::StatusOr<std::vector<Firm>> ParseFirmsCsv(std::string_view bytes, std::string_view file_name,
                                                std::string_view encoding) {
  CM_ASSIGN_OR_RETURN(const DecodedText text, DecodeText(bytes, encoding, file_name));
  CM_ASSIGN_OR_RETURN(const CsvTable table, ReadCsvTable(text.utf8, file_name));
  CM_ASSIGN_OR_RETURN(const std::vector<size_t> columns, MapHeader(table.header, file_name));
  std::vector<Firm> firms;
  absl::flat_hash_map<std::string, int> id_lines;
  for (const CsvRecord& row : table.rows) {
    if (AllEmpty(row)) continue;
    Firm firm;
    for (size_t i = 0; i < columns.size(); ++i) {
      const absl::Status status = SetCell(columns[i], row.fields[i], &firm);
      if (!status.ok()) return WithLocation(status, file_name, row.line);
    }
    if (const absl::Status status = ValidateFirm(firm); !status.ok()) {
      return WithLocation(status, file_name, row.line);
    }
    const auto [it, inserted] = id_lines.emplace(firm.id, row.line);
    if (!inserted) {
      return absl::InvalidArgumentError(absl::StrCat(SourceLine(file_name, row.line),
                                                     ": id: duplicate id \"", firm.id,
                                                     "\", first on line ", it->second));
    }
    firms.push_back(std::move(firm));
  }
  return firms;
}

std::string WriteFirmsCsv(std::span<const Firm> firms) {
  std::string out = "\xEF\xBB\xBF";
  std::vector<std::string> header(kColumnNames.begin(), kColumnNames.end());
  AppendRow(header, &out);
  for (const Firm& firm : firms) AppendRow(Cells(firm), &out);
  return out;
}

}  // namespace clustermatch
