// Copies (and moves) between the engine's std::vector<std::string> lists and protobuf's
// repeated string fields, for the proto converters.
#ifndef CLUSTERMATCH_SERVER_PROTO_REPEATED_H_
#define CLUSTERMATCH_SERVER_PROTO_REPEATED_H_

#include <string>
#include <utility>
#include <vector>

#include <google/protobuf/repeated_ptr_field.h>

namespace clustermatch {

inline std::vector<std::string> ToVector(
    const google::protobuf::RepeatedPtrField<std::string>& items) {
  return {items.begin(), items.end()};
}

inline void ToRepeated(const std::vector<std::string>& items,
                       google::protobuf::RepeatedPtrField<std::string>* out) {
  out->Reserve(out->size() + static_cast<int>(items.size()));
  for (const std::string& item : items) out->Add(std::string(item));
}

inline void MoveToRepeated(std::vector<std::string>&& items,
                           google::protobuf::RepeatedPtrField<std::string>* out) {
  out->Reserve(out->size() + static_cast<int>(items.size()));
  for (std::string& item : items) out->Add(std::move(item));
  items.clear();
}

}  // namespace clustermatch

#endif  // CLUSTERMATCH_SERVER_PROTO_REPEATED_H_
