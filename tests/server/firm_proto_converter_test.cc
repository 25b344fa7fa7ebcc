#include "server/firm_proto_converter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace clustermatch {
namespace {

TEST(FirmProtoConverterTest, RoundTripsEveryEnumValue) {
  for (int kind = 0; kind <= 5; ++kind) {
    for (Visibility visibility : {Visibility::kPublic, Visibility::kMembers, Visibility::kHidden}) {
      Firm firm;
      firm.id = "x";
      firm.kind = static_cast<FirmKind>(kind);
      firm.visibility = visibility;
      firm.roles = {Role::kPlanning, Role::kDevelopment, Role::kProduction, Role::kMarketing};
      auto back = FromProto(ToProto(firm));
      ASSERT_TRUE(back.ok());
      EXPECT_EQ(*back, firm);
    }
  }
}

TEST(FirmProtoConverterTest, UnspecifiedVisibilityMeansPublic) {
  v1::Firm proto;
  proto.set_id("x");
  auto firm = FromProto(proto);
  ASSERT_TRUE(firm.ok());
  EXPECT_EQ(firm->visibility, Visibility::kPublic);
}

TEST(FirmProtoConverterTest, UnknownEnumNumbersNameTheField) {
  v1::Firm proto;
  proto.set_id("x");
  proto.set_kind(static_cast<v1::FirmKind>(42));
  EXPECT_THAT(std::string(FromProto(proto).status().message()), ::testing::StartsWith("kind:"));
  proto.set_kind(v1::FIRM_KIND_COMPANY);
  proto.add_roles(v1::ROLE_PLANNING);
  proto.add_roles(v1::ROLE_UNSPECIFIED);
  EXPECT_THAT(std::string(FromProto(proto).status().message()), ::testing::StartsWith("roles[1]:"));
  proto.clear_roles();
  proto.set_visibility(static_cast<v1::Visibility>(9));
  EXPECT_THAT(std::string(FromProto(proto).status().message()),
              ::testing::StartsWith("visibility:"));
}

}  // namespace
}  // namespace clustermatch
