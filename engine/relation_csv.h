// Relations between firms as CSV: `a,b,kind,date[,context]`.
//
// A header row is optional: a first record whose first four cells read
// a,b,kind,date (any case) is taken as the header, and it may name a fifth
// column, context. With a header every row has as many cells as the header;
// without one every row has 4 or 5 cells. Cells are trimmed of ASCII
// whitespace. kind is a relation kind name (partnered, met, accepted,
// declined, competitor, do_not_match or do-not-match, or the full proto
// name); date is "YYYY-MM-DD" or "YYYY"; context is optional. Rows whose
// cells are all empty are skipped.
//
// All functions are thread-safe.
#ifndef CLUSTERMATCH_ENGINE_RELATION_CSV_H_
#define CLUSTERMATCH_ENGINE_RELATION_CSV_H_

#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "engine/firm.h"

namespace clustermatch {

// Parses a whole relation file, decoded with DecodeText(bytes, encoding)
// (text_encoding.h). Every relation passes ValidateRelation. The first problem
// rejects the whole file with InvalidArgument "FILE:LINE: FIELD: reason",
// e.g. `relations.csv:3: kind: unknown value "friend"; expected ...`.
// Repeated relations are kept (they are meaningful, see firm.h).
absl::StatusOr<std::vector<Relation>> ParseRelationsCsv(std::string_view bytes,
                                                        std::string_view file_name,
                                                        std::string_view encoding = "auto");

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_RELATION_CSV_H_
