// The learned partner blend as kept in the store (FirmStore::PutSetting), so
// that opening a store does not learn it again: the weights by signal name,
// and the partnered-relation count they were learned at. A stored blend
// whose signal names differ from this build's is treated as absent.
#ifndef CLUSTERMATCH_ENGINE_PARTNER_BLEND_JSON_H_
#define CLUSTERMATCH_ENGINE_PARTNER_BLEND_JSON_H_

#include <cstddef>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "engine/partner_blend.h"

namespace clustermatch {

inline constexpr char kPartnerBlendSetting[] = "partner_blend";

struct StoredBlend {
  std::optional<BlendWeights> weights;  // nullopt: too few relations to learn
  size_t learned_at = 0;                // partnered relations at learning time
};

std::string StoredBlendToJson(const StoredBlend& blend);
// DataLoss naming the field for malformed text; nullopt for a blend of
// other signals (an older or newer build).
absl::StatusOr<std::optional<StoredBlend>> StoredBlendFromJson(const std::string& text);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_PARTNER_BLEND_JSON_H_
