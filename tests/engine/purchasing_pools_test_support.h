// Helpers shared by the purchasing-pool tests: a profile phrase's
// normalised spelling and pools formed with a failure reported, not thrown.
#ifndef CLUSTERMATCH_TESTS_ENGINE_PURCHASING_POOLS_TEST_SUPPORT_H_
#define CLUSTERMATCH_TESTS_ENGINE_PURCHASING_POOLS_TEST_SUPPORT_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "engine/purchasing_pools.h"
#include "gtest/gtest.h"
#include "models/text_normalizer.h"

namespace clustermatch::pool_test {

inline std::string Message(const absl::Status& status) { return std::string(status.message()); }

// NormalizeText(text), failing the test if it fails.
inline std::string Normal(std::string_view text) {
  absl::StatusOr<std::string> normal = NormalizeText(text);
  EXPECT_TRUE(normal.ok()) << Message(normal.status());
  return normal.ok() ? *normal : std::string();
}

// FormPurchasingPools, failing the test (and giving no pools) if it fails.
inline PoolResult Form(const std::vector<PoolFirm>& firms, const PoolOptions& options) {
  absl::StatusOr<PoolResult> result = FormPurchasingPools(firms, options);
  EXPECT_TRUE(result.ok()) << Message(result.status());
  return result.ok() ? *std::move(result) : PoolResult();
}

}  // namespace clustermatch::pool_test

#endif  // CLUSTERMATCH_TESTS_ENGINE_PURCHASING_POOLS_TEST_SUPPORT_H_
