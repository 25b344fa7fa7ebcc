// Fuzz entry for the proto-to-engine conversion: the request messages a
// client sends, parsed from arbitrary wire bytes, converted to engine types
// and validated as the services do. Conversion must never crash, and what
// it returns must be what the converters promise: firms and relations that
// round-trip through the proto (and firms through their JSON line), event
// requests that pass CheckEventRequest, page tokens that decode to what was
// encoded.
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/util/message_differencer.h>

#include <string>

#include "clustermatch/v1/event_service.pb.h"
#include "clustermatch/v1/feedback_service.pb.h"
#include "clustermatch/v1/firm_service.pb.h"
#include "clustermatch/v1/group_service.pb.h"
#include "clustermatch/v1/matching_service.pb.h"
#include "engine/firm_validation.h"
#include "server/event_proto_converter.h"
#include "server/firm_jsonl.h"
#include "server/firm_proto_converter.h"
#include "server/group_proto_converter.h"
#include "server/matching_proto_converter.h"
#include "server/page_token.h"
#include "server/relation_proto_converter.h"
#include "tests/fuzz/fuzz_check.h"
#include "tests/fuzz/fuzz_entries.h"

namespace clustermatch::fuzz {
namespace {

using google::protobuf::util::MessageDifferencer;

// Protobuf logs an error for every string field of invalid UTF-8 it parses,
// and fuzz inputs are full of them: about 40 MB of log a minute, none of it
// a finding (a parse that fails is simply skipped below). A null handler
// discards them; fatal messages still abort.
[[maybe_unused]] const bool kProtobufLogsOff = [] {
  google::protobuf::SetLogHandler(nullptr);
  return true;
}();

template <typename Message>
bool Parse(std::string_view bytes, Message* message) {
  return message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
}

// A converted firm converts back and forth unchanged; a valid one also
// survives its JSON line.
void CheckFirm(const v1::Firm& proto) {
  absl::StatusOr<Firm> firm = FromProto(proto);
  if (!firm.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(firm.status()), firm.status().ToString());
    return;
  }
  absl::StatusOr<Firm> again = FromProto(ToProto(*firm));
  FUZZ_CHECK(again.ok() && *again == *firm,
             "proto: firm changes through ToProto: ", Describe({&*firm, 1}));
  if (!ValidateFirm(*firm).ok()) return;
  absl::StatusOr<Firm> from_json = ParseFirmJson(FirmToProtoJson(*firm), "");
  FUZZ_CHECK(from_json.ok(), "proto: valid firm's JSON refused: ", from_json.status().ToString(),
             "\n", Describe({&*firm, 1}));
  FUZZ_CHECK(*from_json == *firm,
             "proto: firm changes through JSON\nbefore: ", Describe({&*firm, 1}),
             "after:  ", Describe({&*from_json, 1}));
}

void CheckFilter(const v1::FirmFilter& proto) {
  absl::StatusOr<SearchFilter> filter = FilterFromProto(proto, "filter");
  if (!filter.ok()) return;
  const v1::FirmFilter back = FilterToProto(*filter);
  absl::StatusOr<SearchFilter> again = FilterFromProto(back, "filter");
  FUZZ_CHECK(again.ok(), "proto: filter refused after ToProto: ", again.status().ToString());
  FUZZ_CHECK(MessageDifferencer::Equals(FilterToProto(*again), back),
             "proto: filter changes through ToProto");
}

void FuzzFirms(std::string_view bytes) {
  v1::ImportFirmsRequest request;
  if (!Parse(bytes, &request)) return;
  for (const v1::Firm& firm : request.firms()) CheckFirm(firm);
}

void FuzzRelations(std::string_view bytes) {
  v1::RecordRelationsRequest request;
  if (!Parse(bytes, &request)) return;
  for (const v1::Relation& proto : request.relations()) {
    absl::StatusOr<Relation> relation = RelationFromProto(proto);
    if (!relation.ok()) {
      FUZZ_CHECK(absl::IsInvalidArgument(relation.status()), relation.status().ToString());
      continue;
    }
    absl::StatusOr<Relation> again = RelationFromProto(RelationToProto(*relation));
    FUZZ_CHECK(again.ok() && *again == *relation, "proto: relation changes through ToProto");
    (void)ValidateRelation(*relation);
  }
}

void FuzzMatching(std::string_view bytes) {
  v1::RecommendRequest request;
  if (!Parse(bytes, &request)) return;
  if (request.has_profile()) CheckFirm(request.profile());
  (void)IntentFromProto(request.intent());
  (void)CrossClusterFromProto(request.cross_cluster());
  CheckFilter(request.filter());
}

void FuzzEvent(std::string_view bytes) {
  v1::ScheduleEventRequest request;
  if (!Parse(bytes, &request)) return;
  absl::StatusOr<EventRequest> converted = EventRequestFromProto(request);
  if (!converted.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(converted.status()), converted.status().ToString());
    return;
  }
  const absl::Status checked = CheckEventRequest(*converted);
  FUZZ_CHECK(checked.ok(),
             "proto: converted event request fails CheckEventRequest: ", checked.ToString());
}

void FuzzGroups(std::string_view bytes, uint8_t which) {
  switch (which % 4) {
    case 0: {
      v1::SuggestSigsRequest request;
      if (Parse(bytes, &request)) (void)SigRequestFromProto(request);
      break;
    }
    case 1: {
      v1::ProposeFoundersRequest request;
      if (Parse(bytes, &request)) (void)FounderRequestFromProto(request);
      break;
    }
    case 2: {
      v1::AssembleConsortiumRequest request;
      if (Parse(bytes, &request)) (void)ConsortiumRequestFromProto(request);
      break;
    }
    default: {
      v1::FormPurchasingPoolsRequest request;
      if (Parse(bytes, &request)) (void)PoolRequestFromProto(request);
      break;
    }
  }
}

void FuzzPageToken(std::string_view bytes) {
  v1::ListFirmsRequest request;
  if (!Parse(bytes, &request)) return;
  const std::string fingerprint = RequestFingerprint(request);
  absl::StatusOr<std::string> cursor = DecodePageToken(request.page_token(), fingerprint);
  if (!cursor.ok()) {
    FUZZ_CHECK(absl::IsInvalidArgument(cursor.status()), cursor.status().ToString());
  }
  // Any cursor survives its token; a token is refused for another request.
  const std::string token = EncodePageToken(fingerprint, request.page_token());
  absl::StatusOr<std::string> decoded = DecodePageToken(token, fingerprint);
  FUZZ_CHECK(decoded.ok() && *decoded == request.page_token(), "proto: page token round trip ",
             decoded.status().ToString());
  v1::ListFirmsRequest other = request;
  other.mutable_filter()->add_regions("elsewhere");
  const std::string other_fingerprint = RequestFingerprint(other);
  if (other_fingerprint != fingerprint) {
    FUZZ_CHECK(!DecodePageToken(token, other_fingerprint).ok(),
               "proto: page token accepted for another request");
  }
}

}  // namespace

void FuzzProtoConvert(std::string_view bytes) {
  if (bytes.empty()) return;
  const uint8_t selector = static_cast<uint8_t>(bytes[0]);
  bytes.remove_prefix(1);
  switch (selector % 6) {
    case 0:
      return FuzzFirms(bytes);
    case 1:
      return FuzzRelations(bytes);
    case 2:
      return FuzzMatching(bytes);
    case 3:
      return FuzzEvent(bytes);
    case 4:
      return FuzzGroups(bytes, selector / 6);
    default:
      return FuzzPageToken(bytes);
  }
}

}  // namespace clustermatch::fuzz
