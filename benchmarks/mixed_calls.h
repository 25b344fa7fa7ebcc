// The load generator's "mixed" scenario (issue 7, soak): the portal's reads
// and writes in one stream, drawn call by call at these shares:
//   reads  80%: MatchingService/Recommend 35, MatchingService/Search 30,
//               FirmService/GetFirm 15 (random listed firms, random need
//               phrases of the sample vocabulary);
//   writes 20%: FirmService/UpdateFirm 10 (a listed firm's description,
//               mask "description"), create-or-delete 6 (CreateFirm while the
//               caller holds fewer than `own_firms` firms it made, else
//               DeleteFirm of its oldest), FeedbackService/RecordRelations 4
//               (one MET relation from the caller's newest own firm to a
//               listed firm; between two listed firms until it has one).
// Creates and deletes balance, and a deleted firm takes its relations with
// it, so the data set (firms and relations) stays within
// kMixedOwnFirmsInAll (shared by all callers) of where it started however
// long the run, and the store never grows enough to retrain its model (it
// retrains at +25%). Listed firms are never deleted, so reads of them never
// answer NOT_FOUND. Needs a writer key of members scope.
#ifndef CLUSTERMATCH_BENCHMARKS_MIXED_CALLS_H_
#define CLUSTERMATCH_BENCHMARKS_MIXED_CALLS_H_

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "clustermatch/v1/feedback_service.grpc.pb.h"
#include "clustermatch/v1/firm_service.grpc.pb.h"
#include "clustermatch/v1/matching_service.grpc.pb.h"

namespace clustermatch {

// Firms all callers of one run may hold at once; each gets its share.
inline constexpr int kMixedOwnFirmsInAll = 64;

// Relative shares of the calls (--mix); the defaults are the 80/20 above.
struct MixedShares {
  int recommend = 35;
  int search = 30;
  int get = 15;
  int update = 10;
  int create_or_delete = 6;
  int relations = 4;
};

// What every caller draws from; read-only while they run.
struct MixedWorkload {
  MixedShares shares;
  std::vector<std::string> firm_ids;  // listed firms: read, updated, related
  std::vector<std::string> queries;   // search phrases
  std::vector<std::string> phrases;   // offer wordings for new texts
};

// The names CallOnce reports, in the order of the shares above.
inline constexpr const char* kMixedOps[] = {"recommend", "search", "get",      "update",
                                            "create",    "delete", "relations"};

// One caller of the mix, on its own channel; not thread-safe (one per
// worker). `id_prefix` must be unique to this caller across runs on the same
// store (firms it creates are named id_prefix + a counter).
class MixedCaller {
 public:
  MixedCaller(const std::shared_ptr<grpc::Channel>& channel, const MixedWorkload& workload,
              std::string api_key, int k, std::chrono::milliseconds deadline, std::string id_prefix,
              int own_firms);

  // Draws one call, makes it on `queue` and waits for it; `op` is set to its
  // name (one of kMixedOps).
  grpc::Status CallOnce(grpc::CompletionQueue& queue, std::mt19937_64& random, const char** op);

 private:
  void Prepare(grpc::ClientContext& context) const;
  grpc::Status Recommend(grpc::CompletionQueue& queue, std::mt19937_64& random);
  grpc::Status Search(grpc::CompletionQueue& queue, std::mt19937_64& random);
  grpc::Status Get(grpc::CompletionQueue& queue, std::mt19937_64& random);
  grpc::Status Update(grpc::CompletionQueue& queue, std::mt19937_64& random);
  grpc::Status Create(grpc::CompletionQueue& queue, std::mt19937_64& random);
  grpc::Status DeleteOldest(grpc::CompletionQueue& queue);
  grpc::Status Relate(grpc::CompletionQueue& queue, std::mt19937_64& random);

  const MixedWorkload& workload_;
  const std::string api_key_;
  const int k_;
  const std::chrono::milliseconds deadline_;
  const std::string id_prefix_;
  const int own_firms_;
  std::unique_ptr<v1::FirmService::Stub> firms_;
  std::unique_ptr<v1::MatchingService::Stub> matching_;
  std::unique_ptr<v1::FeedbackService::Stub> feedback_;
  std::deque<std::string> own_;  // firms this caller created and did not delete yet
  int64_t counter_ = 0;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_BENCHMARKS_MIXED_CALLS_H_
