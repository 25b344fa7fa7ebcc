// RemoteClient: the command line's way to a running `clustermatch serve`
// (--server HOST:PORT --api-key KEY). It speaks the public gRPC API and
// returns engine types, so the command line prints the same output as in
// embedded mode.
#ifndef CLUSTERMATCH_SERVER_REMOTE_CLIENT_H_
#define CLUSTERMATCH_SERVER_REMOTE_CLIENT_H_

#include <memory>
#include <span>
#include <string>
#include <vector>

#include <grpcpp/channel.h>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "engine/engine.h"
#include "server/process_allocator.h"

namespace clustermatch {

struct RemoteOptions {
  std::string address;  // host:port
  std::string api_key;
  // PEM file of the CA that signed the server's certificate: TLS when set.
  std::string tls_ca;
  // Client certificate and key for mutual TLS.
  std::string tls_cert;
  std::string tls_key;
  absl::Duration timeout = absl::Seconds(60);
};

// Results with the profiles of the firms they name.
struct RemoteResults {
  std::vector<Recommendation> results;
  absl::flat_hash_map<std::string, Firm> firms;
};

// AdminService/GetStats (an admin key): the store's counts and the server
// process's memory. Only the fields the API carries are set in `engine`.
struct RemoteStats {
  EngineStats engine;
  std::string allocator;
  ProcessMemory memory;
};

class RemoteClient {
 public:
  static absl::StatusOr<std::unique_ptr<RemoteClient>> Connect(const RemoteOptions& options);
  // For tests: a client on an existing channel.
  RemoteClient(std::shared_ptr<grpc::Channel> channel, std::string api_key, absl::Duration timeout);

  // Streams the firms in messages of up to 500.
  absl::StatusOr<ImportSummary> ImportFirms(std::span<const Firm> firms);
  absl::StatusOr<Firm> GetFirm(const std::string& id);
  absl::Status DeleteFirm(const std::string& id);
  // Records the relations, 1000 per call (the server's limit), each call one
  // transaction; an error after the first call says how many were recorded.
  absl::Status RecordRelations(std::span<const Relation> relations);
  // Every firm the key may see, ordered by id.
  absl::StatusOr<std::vector<Firm>> ListFirms();
  absl::StatusOr<RemoteResults> Recommend(const RecommendRequest& request);
  absl::StatusOr<RemoteResults> Search(const SearchRequest& request);
  absl::StatusOr<RemoteStats> GetStats();

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::string api_key_;
  absl::Duration timeout_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_REMOTE_CLIENT_H_
