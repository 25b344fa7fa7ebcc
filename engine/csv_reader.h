// An RFC 4180 CSV reader over UTF-8 text.
//
// Fields are separated by ',' and records end with CRLF, LF or a lone CR. A
// field that starts with '"' is quoted: it may hold commas and line breaks,
// and '""' inside it stands for one '"'. Quoting must be exact: a '"' inside
// an unquoted field, anything but ',' or a line end after a closing quote, or
// a quote left open at the end of the input is an error. Empty physical lines
// between records are skipped. A leading UTF-8 byte order mark is skipped.
// Fields are returned verbatim (no trimming).
//
// Each record reports the 1-based physical line it starts on, so that errors
// about a record can name its line even after multi-line quoted cells.
//
// A CsvReader is not thread-safe; it borrows the text, which must outlive it.
#ifndef CLUSTERMATCH_ENGINE_CSV_READER_H_
#define CLUSTERMATCH_ENGINE_CSV_READER_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace clustermatch {

struct CsvRecord {
  int line = 0;  // physical line where the record starts
  std::vector<std::string> fields;
};

// "NAME:LINE" when `source_name` is non-empty, "line LINE" otherwise: the
// prefix of every error message about a place in a file.
std::string SourceLine(std::string_view source_name, int line);

class CsvReader {
 public:
  // `source_name` (e.g. the file name) starts error messages, which read
  // "NAME:LINE: reason" (or "line LINE: reason" without a name).
  explicit CsvReader(std::string_view text, std::string_view source_name = "");

  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // Reads the next record into *record. Returns true if a record was read,
  // false at the end of the input, or InvalidArgument for broken quoting.
  // After an error the reader stays at the end.
  absl::StatusOr<bool> Next(CsvRecord* record);

 private:
  absl::Status Error(int line, std::string_view reason) const;
  // Consumes a line break at pos_ if there is one.
  bool ConsumeLineBreak();
  absl::Status ReadQuoted(std::string* field, size_t field_number);
  absl::Status ReadUnquoted(std::string* field, size_t field_number);

  // Fixed at construction.
  const std::string_view text_;
  const std::string source_name_;

  size_t pos_ = 0;
  int line_ = 1;  // physical line of text_[pos_]
};

// A whole CSV file whose first record is a header row naming the columns.
struct CsvTable {
  CsvRecord header;
  std::vector<CsvRecord> rows;
};

// Reads all records; the first becomes the header. Every row must have as
// many fields as the header, else InvalidArgument naming the row's line.
// Input without any record gives InvalidArgument "NAME:1: no header row".
absl::StatusOr<CsvTable> ReadCsvTable(std::string_view text, std::string_view source_name = "");

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_CSV_READER_H_
