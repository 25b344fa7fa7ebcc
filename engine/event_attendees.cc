#include "engine/event_attendees.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/csv_reader.h"
#include "engine/firm_csv.h"
#include "engine/firm_validation.h"
#include "engine/status_macros.h"
#include "engine/text_encoding.h"

namespace clustermatch {
namespace {

// The attendee's own columns; firm profile columns come after them.
enum AttendeeColumn : size_t {
  kFirmId,
  kRepresentatives,
  kMaxMeetings,
  kSide,
  kAvailable,
  kAvailableFrom,
  kAvailableTo,
  kMustMeet,
  kNeverMeet,
  kAttendeeColumnCount
};

constexpr std::array<std::string_view, kAttendeeColumnCount> kAttendeeColumnNames = {
    "firm_id",        "representatives", "max_meetings", "side",      "available",
    "available_from", "available_to",    "must_meet",    "never_meet"};

// A header field: one of the attendee columns, or a firm column (its index in
// FirmCsvColumns() plus kAttendeeColumnCount).
using ColumnId = size_t;

std::string_view Trim(std::string_view text) {
  const absl::string_view trimmed =
      absl::StripAsciiWhitespace(absl::string_view(text.data(), text.size()));
  return {trimmed.data(), trimmed.size()};
}

absl::Status CellError(std::string_view column, std::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(column), ": ", std::string(reason)));
}

absl::Status WithLocation(const absl::Status& status, std::string_view file_name, int line) {
  return absl::Status(status.code(), absl::StrCat(SourceLine(file_name, line), ": ",
                                                  std::string(status.message())));
}

absl::Status HeaderError(std::string_view file_name, int line, std::string_view column,
                         std::string_view reason) {
  return absl::InvalidArgumentError(absl::StrCat(SourceLine(file_name, line), ": ",
                                                 std::string(column), ": ", std::string(reason)));
}

absl::StatusOr<std::vector<ColumnId>> MapHeader(const CsvRecord& header,
                                                std::string_view file_name) {
  const size_t firm_id_of_profile = *FirmCsvColumnIndex("id");
  std::vector<ColumnId> columns;
  absl::flat_hash_set<ColumnId> seen;
  for (const std::string& field : header.fields) {
    const std::string name = absl::AsciiStrToLower(std::string(Trim(field)));
    ColumnId column = 0;
    while (column < kAttendeeColumnCount && kAttendeeColumnNames[column] != name) ++column;
    if (column == kAttendeeColumnCount) {
      const std::optional<size_t> firm_column = FirmCsvColumnIndex(name);
      if (!firm_column.has_value()) {
        return HeaderError(file_name, header.line, name, "unknown column");
      }
      // `id` is another name for firm_id.
      column = *firm_column == firm_id_of_profile ? kFirmId : kAttendeeColumnCount + *firm_column;
    }
    if (!seen.insert(column).second) {
      return HeaderError(file_name, header.line, name,
                         column == kFirmId ? "column appears twice (id and firm_id are one column)"
                                           : "column appears twice");
    }
    columns.push_back(column);
  }
  if (!seen.contains(kFirmId)) {
    return HeaderError(file_name, header.line, "firm_id", "required column is missing");
  }
  if (seen.contains(kAvailable) && (seen.contains(kAvailableFrom) || seen.contains(kAvailableTo))) {
    return HeaderError(file_name, header.line, "available",
                       "use either available or available_from/available_to, not both");
  }
  return columns;
}

// Accepts decimal digits only, up to 9 of them.
std::optional<int> ParseCount(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

absl::StatusOr<int> ParseBoundedCount(size_t column, std::string_view cell, int min, int max) {
  const std::string_view name = kAttendeeColumnNames[column];
  const std::optional<int> value = ParseCount(cell);
  if (!value.has_value()) {
    return CellError(name, absl::StrCat("not a whole number: \"", std::string(cell), "\""));
  }
  if (*value < min || *value > max) {
    return CellError(name, absl::StrCat("must be ", min, " to ", max, ", got ", *value));
  }
  return *value;
}

absl::StatusOr<std::vector<std::string>> ParseIdList(size_t column, std::string_view cell,
                                                     const std::string& own_id) {
  std::vector<std::string> ids;
  while (true) {
    const size_t semicolon = cell.find(';');
    const std::string id(Trim(cell.substr(0, semicolon)));
    if (!id.empty()) {
      if (id == own_id) {
        return CellError(kAttendeeColumnNames[column],
                         absl::StrCat("\"", id, "\" is the attendee itself"));
      }
      if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
    }
    if (semicolon == std::string_view::npos) break;
    cell.remove_prefix(semicolon + 1);
  }
  return ids;
}

absl::StatusOr<int> ParseWindowEnd(size_t column, std::string_view cell, int empty_value) {
  if (cell.empty()) return empty_value;
  const absl::StatusOr<int> minute = ParseClockTime(cell);
  if (!minute.ok()) {
    return CellError(kAttendeeColumnNames[column], std::string(minute.status().message()));
  }
  return *minute;
}

bool AllEmpty(const CsvRecord& record) {
  for (const std::string& field : record.fields) {
    if (!Trim(field).empty()) return false;
  }
  return true;
}

// Parses one row's attendee cells (profile cells are done by the caller).
absl::Status SetAttendeeCell(size_t column, std::string_view cell, EventAttendee* attendee) {
  switch (static_cast<AttendeeColumn>(column)) {
    case kFirmId:
    case kAvailableFrom:
    case kAvailableTo:
    case kAttendeeColumnCount:
      break;  // read before or after the other cells
    case kRepresentatives:
      if (!cell.empty()) {
        CM_ASSIGN_OR_RETURN(attendee->representatives,
                            ParseBoundedCount(column, cell, 1, kMaxRepresentatives));
      }
      break;
    case kMaxMeetings:
      if (!cell.empty()) {
        CM_ASSIGN_OR_RETURN(attendee->max_meetings,
                            ParseBoundedCount(column, cell, 1, kMaxAttendeeMeetings));
      }
      break;
    case kSide: {
      const std::optional<Side> side = ParseSide(cell);
      if (!side.has_value()) {
        return CellError("side", absl::StrCat("unknown value \"", std::string(cell),
                                              "\"; expected buyer, supplier or empty"));
      }
      attendee->side = *side;
      break;
    }
    case kAvailable: {
      const absl::StatusOr<std::vector<TimeWindow>> windows = ParseTimeWindows(cell);
      if (!windows.ok()) return CellError("available", std::string(windows.status().message()));
      attendee->available = *windows;
      break;
    }
    case kMustMeet: {
      CM_ASSIGN_OR_RETURN(attendee->must_meet, ParseIdList(column, cell, attendee->firm_id));
      break;
    }
    case kNeverMeet: {
      CM_ASSIGN_OR_RETURN(attendee->never_meet, ParseIdList(column, cell, attendee->firm_id));
      break;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<EventAttendee> ParseRow(const CsvRecord& row, const std::vector<ColumnId>& columns) {
  EventAttendee attendee;
  attendee.line = row.line;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == kFirmId) attendee.firm_id = std::string(Trim(row.fields[i]));
  }
  if (attendee.firm_id.empty()) return CellError("firm_id", "empty");

  Firm profile;
  profile.id = attendee.firm_id;
  bool has_profile = false;
  bool has_from_to = false;
  std::string_view from_cell;
  std::string_view to_cell;
  for (size_t i = 0; i < columns.size(); ++i) {
    const std::string_view raw = row.fields[i];
    const std::string_view cell = Trim(raw);
    if (columns[i] >= kAttendeeColumnCount) {
      if (cell.empty()) continue;
      has_profile = true;
      CM_RETURN_IF_ERROR(SetFirmCsvCell(columns[i] - kAttendeeColumnCount, raw, &profile));
      continue;
    }
    if (columns[i] == kAvailableFrom) {
      from_cell = cell;
      has_from_to = has_from_to || !cell.empty();
    } else if (columns[i] == kAvailableTo) {
      to_cell = cell;
      has_from_to = has_from_to || !cell.empty();
    }
    CM_RETURN_IF_ERROR(SetAttendeeCell(columns[i], cell, &attendee));
  }

  if (has_from_to) {
    TimeWindow window;
    CM_ASSIGN_OR_RETURN(window.start_minute, ParseWindowEnd(kAvailableFrom, from_cell, 0));
    CM_ASSIGN_OR_RETURN(window.end_minute, ParseWindowEnd(kAvailableTo, to_cell, kMinutesPerDay));
    if (window.end_minute <= window.start_minute) {
      return CellError("available_to", absl::StrCat("\"", FormatClockTime(window.end_minute),
                                                    "\" is not after available_from \"",
                                                    FormatClockTime(window.start_minute), "\""));
    }
    attendee.available = {window};
  }
  if (has_profile) {
    CM_RETURN_IF_ERROR(ValidateFirm(profile));
    attendee.profile = std::move(profile);
  } else {
    // Ids of firms in the store follow the same rule as inline ones.
    Firm id_only;
    id_only.id = attendee.firm_id;
    const absl::Status status = ValidateFirm(id_only);
    if (!status.ok()) {
      std::string reason(status.message());
      if (reason.rfind("id: ", 0) == 0) reason.erase(0, 4);
      return CellError("firm_id", reason);
    }
  }
  return attendee;
}

FirmPair Ordered(const std::string& a, const std::string& b) {
  return a < b ? FirmPair(a, b) : FirmPair(b, a);
}

// Where a pair rule came from, for conflict descriptions.
struct RuleSource {
  std::string id;
  int line = 0;
};

std::string DescribeSources(std::string_view column, const std::vector<RuleSource>& sources) {
  std::string text;
  for (const RuleSource& source : sources) {
    if (!text.empty()) text += ", ";
    absl::StrAppend(&text, std::string(column), " of ", source.id, " (line ", source.line, ")");
  }
  return text;
}

}  // namespace

std::string_view SideName(Side side) {
  switch (side) {
    case Side::kBuyer:
      return "buyer";
    case Side::kSupplier:
      return "supplier";
    case Side::kUnspecified:
      break;
  }
  return "";
}

std::optional<Side> ParseSide(std::string_view text) {
  const std::string side = absl::AsciiStrToLower(std::string(Trim(text)));
  if (side.empty()) return Side::kUnspecified;
  if (side == "buyer" || side == "구매" || side == "구매자") return Side::kBuyer;
  if (side == "supplier" || side == "공급" || side == "공급자") return Side::kSupplier;
  return std::nullopt;
}

absl::StatusOr<std::vector<EventAttendee>> ParseAttendeesCsv(std::string_view bytes,
                                                             const std::string& file_name,
                                                             const std::string& encoding) {
  CM_ASSIGN_OR_RETURN(const DecodedText text, DecodeText(bytes, encoding, file_name));
  CM_ASSIGN_OR_RETURN(const CsvTable table, ReadCsvTable(text.utf8, file_name));
  CM_ASSIGN_OR_RETURN(const std::vector<ColumnId> columns, MapHeader(table.header, file_name));
  std::vector<EventAttendee> attendees;
  absl::flat_hash_map<std::string, int> id_lines;
  for (const CsvRecord& row : table.rows) {
    if (AllEmpty(row)) continue;
    absl::StatusOr<EventAttendee> attendee = ParseRow(row, columns);
    if (!attendee.ok()) return WithLocation(attendee.status(), file_name, row.line);
    const auto [it, inserted] = id_lines.emplace(attendee->firm_id, row.line);
    if (!inserted) {
      return absl::InvalidArgumentError(
          absl::StrCat(SourceLine(file_name, row.line), ": firm_id: duplicate id \"",
                       attendee->firm_id, "\", first on line ", it->second));
    }
    attendees.push_back(*std::move(attendee));
  }
  return attendees;
}

PairRules CollectPairRules(std::span<const EventAttendee> attendees) {
  absl::flat_hash_map<std::string, const EventAttendee*> by_id;
  for (const EventAttendee& attendee : attendees) by_id.emplace(attendee.firm_id, &attendee);

  PairRules rules;
  // Ordered maps keep the output sorted and deterministic.
  std::map<FirmPair, std::vector<RuleSource>> must;
  std::map<FirmPair, std::vector<RuleSource>> never;
  const auto collect = [&](const EventAttendee& attendee, std::string_view column,
                           const std::vector<std::string>& ids,
                           std::map<FirmPair, std::vector<RuleSource>>* pairs) {
    for (const std::string& other : ids) {
      if (other == attendee.firm_id) continue;
      if (!by_id.contains(other)) {
        rules.unknown_ids.push_back(absl::StrCat("line ", attendee.line, ": ", std::string(column),
                                                 ": \"", other, "\" is not an attendee"));
        continue;
      }
      (*pairs)[Ordered(attendee.firm_id, other)].push_back({attendee.firm_id, attendee.line});
    }
  };
  for (const EventAttendee& attendee : attendees) {
    collect(attendee, "must_meet", attendee.must_meet, &must);
    collect(attendee, "never_meet", attendee.never_meet, &never);
  }

  for (const auto& [pair, sources] : never) rules.never_meet.push_back(pair);
  for (const auto& [pair, sources] : must) {
    const auto never_it = never.find(pair);
    if (never_it != never.end()) {
      rules.conflicts.push_back({pair, absl::StrCat(pair.first, " and ", pair.second, ": ",
                                                    DescribeSources("must_meet", sources), " but ",
                                                    DescribeSources("never_meet", never_it->second),
                                                    "; never_meet wins")});
      continue;
    }
    const Side side = by_id.at(pair.first)->side;
    if (side != Side::kUnspecified && side == by_id.at(pair.second)->side) {
      rules.conflicts.push_back(
          {pair, absl::StrCat(pair.first, " and ", pair.second, ": ",
                              DescribeSources("must_meet", sources), " but both are ",
                              std::string(SideName(side)),
                              "s and only buyers and suppliers meet; dropped")});
      continue;
    }
    rules.must_meet.push_back(pair);
  }
  return rules;
}

}  // namespace clustermatch
