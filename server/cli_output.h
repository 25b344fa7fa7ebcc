// What the command line prints: readable tables (English or Korean labels)
// and the --json line format
//   {"firm": ID, "results": [{"firm": ID, "score": S, "explanation": {...}}]}
#ifndef CLUSTERMATCH_SERVER_CLI_OUTPUT_H_
#define CLUSTERMATCH_SERVER_CLI_OUTPUT_H_

#include <span>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/firm.h"

namespace clustermatch {

enum class Language : uint8_t { kEnglish = 0, kKorean = 1 };

// One JSON line (no newline) for a query firm's results, or for a search
// when `query_firm` is empty (then the key is "query" with `query_text`).
std::string RecommendationsJson(const std::string& query_firm, const std::string& query_text,
                                std::span<const Recommendation> results);

// A readable block: the query firm, then each result with its reasons.
// `lookup` gives the display name of a firm id.
std::string RecommendationsText(const std::string& heading, std::span<const Recommendation> results,
                                const std::function<std::string(const std::string&)>& lookup,
                                Language language);

// A table of firms: id, name, kind, mini-cluster, clusters, visibility.
std::string FirmsTable(std::span<const Firm> firms);

// The whole profile, one field per line.
std::string FirmText(const Firm& firm);

// The first lines of `stats`, embedded or through the server: firms,
// relations, indexed, model and schema, each ending in a newline.
std::string StatsCountsText(const EngineStats& stats);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_CLI_OUTPUT_H_
