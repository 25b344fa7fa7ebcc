#include "engine/csv_reader.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"

namespace clustermatch {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string_view WithoutBom(std::string_view text) {
  if (text.substr(0, kUtf8Bom.size()) == kUtf8Bom) text.remove_prefix(kUtf8Bom.size());
  return text;
}

}  // namespace

std::string SourceLine(std::string_view source_name, int line) {
  if (source_name.empty()) return absl::StrCat("line ", line);
  return absl::StrCat(std::string(source_name), ":", line);
}

CsvReader::CsvReader(std::string_view text, std::string_view source_name)
    : text_(WithoutBom(text)), source_name_(source_name) {}

absl::Status CsvReader::Error(int line, std::string_view reason) const {
  return absl::InvalidArgumentError(
      absl::StrCat(SourceLine(source_name_, line), ": ", std::string(reason)));
}

bool CsvReader::ConsumeLineBreak() {
  if (pos_ >= text_.size()) return false;
  if (text_[pos_] == '\n') {
    ++pos_;
  } else if (text_[pos_] == '\r') {
    ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
  } else {
    return false;
  }
  ++line_;
  return true;
}

absl::Status CsvReader::ReadUnquoted(std::string* field, size_t field_number) {
  const size_t start = pos_;
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == ',' || c == '\n' || c == '\r') break;
    if (c == '"') {
      return Error(line_, absl::StrCat("field ", field_number,
                                       ": '\"' inside an unquoted field (quote the whole field "
                                       "and double the quote)"));
    }
    ++pos_;
  }
  field->assign(text_.substr(start, pos_ - start));
  return absl::OkStatus();
}

absl::Status CsvReader::ReadQuoted(std::string* field, size_t field_number) {
  const int open_line = line_;
  ++pos_;  // the opening quote
  while (true) {
    if (pos_ >= text_.size()) {
      return Error(open_line,
                   absl::StrCat("field ", field_number, ": quoted field is never closed"));
    }
    const char c = text_[pos_];
    if (c == '"') {
      if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
        field->push_back('"');
        pos_ += 2;
        continue;
      }
      ++pos_;
      break;
    }
    const size_t before = pos_;
    if (ConsumeLineBreak()) {
      field->append(text_.substr(before, pos_ - before));
      continue;
    }
    field->push_back(c);
    ++pos_;
  }
  if (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c != ',' && c != '\n' && c != '\r') {
      return Error(line_, absl::StrCat("field ", field_number,
                                       ": unexpected character after the closing quote"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> CsvReader::Next(CsvRecord* record) {
  while (ConsumeLineBreak()) {
  }
  if (pos_ >= text_.size()) return false;
  record->line = line_;
  record->fields.clear();
  while (true) {
    std::string field;
    const size_t field_number = record->fields.size() + 1;
    const absl::Status status = pos_ < text_.size() && text_[pos_] == '"'
                                    ? ReadQuoted(&field, field_number)
                                    : ReadUnquoted(&field, field_number);
    if (!status.ok()) {
      pos_ = text_.size();
      return status;
    }
    record->fields.push_back(std::move(field));
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    ConsumeLineBreak();
    return true;
  }
}

absl::StatusOr<CsvTable> ReadCsvTable(std::string_view text, std::string_view source_name) {
  CsvReader reader(text, source_name);
  CsvTable table;
  CM_ASSIGN_OR_RETURN(const bool has_header, reader.Next(&table.header));
  if (!has_header) {
    return absl::InvalidArgumentError(absl::StrCat(SourceLine(source_name, 1), ": no header row"));
  }
  CsvRecord record;
  while (true) {
    CM_ASSIGN_OR_RETURN(const bool more, reader.Next(&record));
    if (!more) break;
    if (record.fields.size() != table.header.fields.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          SourceLine(source_name, record.line), ": expected ", table.header.fields.size(),
          " fields as in the header, got ", record.fields.size()));
    }
    table.rows.push_back(std::move(record));
  }
  return table;
}

}  // namespace clustermatch
