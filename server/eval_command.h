// `clustermatch eval`: the recommendation-quality evaluation
// (engine/quality_eval.h) from files. Profiles JSONL and relations CSV in, a
// readable table per query group (all organisations, companies) on stdout
// and, with --json FILE, the same numbers as JSON.
#ifndef CLUSTERMATCH_SERVER_EVAL_COMMAND_H_
#define CLUSTERMATCH_SERVER_EVAL_COMMAND_H_

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "engine/quality_eval.h"

namespace CLI {
class App;
}  // namespace CLI

namespace clustermatch {

struct EvalCommandOptions {
  bool chosen = false;  // set when `eval` is on the command line
  std::string profiles;
  std::string relations;
  int cutoff = 0;
  std::string json_path;
  std::string store;
  std::string methods;  // comma-separated; empty: all
  int threads = 2;
  size_t limit_queries = 0;
  uint64_t seed = 1;
  int validation_years = 1;
};

// Adds `eval` to `app`, filling `options`.
void AddEvalCommand(CLI::App& app, EvalCommandOptions& options);

// Runs it; progress lines go to `err`. Errors name the flag, or the file and
// line.
absl::Status RunEvalCommand(const EvalCommandOptions& options, std::ostream& out,
                            std::ostream& err);

// The report as a readable table per group, and as one JSON document.
std::string EvalReportTable(const EvalReport& report);
std::string EvalReportJson(const EvalReport& report);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_EVAL_COMMAND_H_
