#include "server/page_token.h"

#include <memory>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "absl/strings/escaping.h"
#include "server/api_key_secret.h"

namespace clustermatch {
namespace {

// Version 2 binds the cursor into the check: a version 1 token carried the
// request's fingerprint alone, so a cursor altered in transit went unnoticed.
constexpr char kVersion = '2';
constexpr size_t kFingerprintBytes = 12;
constexpr size_t kTagBytes = 12;

absl::Status Forged() {
  return absl::InvalidArgumentError(
      "page_token: not a token from the previous page of this same request");
}

}  // namespace

std::string RequestFingerprint(const google::protobuf::Message& request) {
  std::unique_ptr<google::protobuf::Message> copy(request.New());
  copy->CopyFrom(request);
  const google::protobuf::Descriptor* descriptor = copy->GetDescriptor();
  for (const char* name : {"page_token", "page_size"}) {
    const google::protobuf::FieldDescriptor* field = descriptor->FindFieldByName(name);
    if (field != nullptr) copy->GetReflection()->ClearField(copy.get(), field);
  }
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy->SerializeToCodedStream(&coded);
  }
  return Sha256(std::string(descriptor->full_name()) + '\0' + bytes).substr(0, kFingerprintBytes);
}

namespace {

// Digest of the request's fingerprint and the cursor together, so that a
// token altered anywhere, or replayed for another request, is refused.
std::string Tag(std::string_view fingerprint, std::string_view cursor) {
  std::string data(fingerprint);
  data.push_back('\0');
  data.append(cursor);
  return Sha256(data).substr(0, kTagBytes);
}

}  // namespace

std::string EncodePageToken(std::string_view fingerprint, std::string_view cursor) {
  std::string raw(1, kVersion);
  raw.append(Tag(fingerprint, cursor));
  raw.append(cursor);
  return absl::WebSafeBase64Escape(raw);
}

absl::StatusOr<std::string> DecodePageToken(std::string_view token, std::string_view fingerprint) {
  if (token.empty()) return std::string();
  std::string raw;
  if (!absl::WebSafeBase64Unescape(absl::string_view(token.data(), token.size()), &raw) ||
      raw.size() < 1 + kTagBytes || raw[0] != kVersion) {
    return Forged();
  }
  std::string cursor = raw.substr(1 + kTagBytes);
  if (!ConstantTimeEquals(std::string_view(raw).substr(1, kTagBytes), Tag(fingerprint, cursor))) {
    return Forged();
  }
  return cursor;
}

}  // namespace clustermatch
