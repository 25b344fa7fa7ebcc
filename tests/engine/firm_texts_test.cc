// The texts each vector field is embedded from, and their stamp: index
// snapshots keep stamps across runs and builds, so the stamp of a given
// profile must never change.
#include "engine/firm_texts.h"

#include <xxhash.h>

#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace clustermatch {
namespace {

Firm Sample() {
  Firm firm;
  firm.id = "f1";
  firm.name = "Hanul Precision";
  firm.description = "CNC machining for EV parts";
  firm.industries = {"machinery"};
  firm.technologies = {"5-axis CNC", "anodizing"};
  firm.products = {"battery housings"};
  firm.offers = {"aluminium machining"};
  firm.needs = {"PCB assembly", "정밀 금형"};
  firm.markets = {"automotive"};
  firm.materials = {"aluminium 6061"};
  return firm;
}

// The stamp's definition: xxHash3 over each field's text in field order,
// each preceded by its length as a native u64.
uint64_t ReferenceStamp(const Firm& firm) {
  std::string joined;
  for (const std::string& text : TextsOf(firm)) {
    const auto length = static_cast<uint64_t>(text.size());
    joined.append(reinterpret_cast<const char*>(&length), sizeof length);
    joined += text;
  }
  return XXH3_64bits(joined.data(), joined.size());
}

TEST(FirmTextsTest, FieldsJoinTheirPhrasesWithFullStops) {
  const FirmTexts texts = TextsOf(Sample());
  EXPECT_EQ(texts[static_cast<int>(VectorField::kOffer)],
            "aluminium machining . 5-axis CNC . anodizing . battery housings");
  EXPECT_EQ(texts[static_cast<int>(VectorField::kNeed)], "PCB assembly . 정밀 금형");
  EXPECT_EQ(texts[static_cast<int>(VectorField::kTopic)],
            "Hanul Precision . CNC machining for EV parts . machinery . 5-axis CNC . anodizing . "
            "battery housings . aluminium machining . PCB assembly . 정밀 금형 . automotive");
  EXPECT_EQ(texts[static_cast<int>(VectorField::kMaterials)], "aluminium 6061");
}

TEST(FirmTextsTest, EmptyPhrasesAddNoSeparator) {
  Firm firm;
  firm.needs = {"", "moulds", ""};
  firm.name = "";
  firm.description = "only this";
  const FirmTexts texts = TextsOf(firm);
  EXPECT_EQ(texts[static_cast<int>(VectorField::kNeed)], "moulds");
  EXPECT_EQ(texts[static_cast<int>(VectorField::kTopic)], "only this . moulds");
  EXPECT_EQ(texts[static_cast<int>(VectorField::kOffer)], "");
}

TEST(FirmTextsTest, TheStampIsStableAcrossBuilds) {
  const Firm firm = Sample();
  EXPECT_EQ(TextStamp(firm), ReferenceStamp(firm));
  // Pinned: a snapshot written by an earlier build must still match.
  EXPECT_EQ(TextStamp(firm), 0xe6f5616b026aa81aull) << std::hex << TextStamp(firm);
}

TEST(FirmTextsTest, StampsFollowTheTextsAndNothingElse) {
  const Firm firm = Sample();
  const uint64_t stamp = TextStamp(firm);
  Firm other_facets = firm;
  other_facets.region = "Seoul";
  other_facets.clusters = {"G-Valley"};
  EXPECT_EQ(TextStamp(other_facets), stamp);
  // The same words moved to another field change the stamp.
  Firm moved = firm;
  moved.needs.push_back(moved.materials[0]);
  moved.materials.clear();
  EXPECT_NE(TextStamp(moved), stamp);
  EXPECT_EQ(TextStamp(moved), ReferenceStamp(moved));
  // A short profile after a long one (the buffer is reused) and back.
  const Firm empty;
  EXPECT_EQ(TextStamp(empty), ReferenceStamp(empty));
  EXPECT_EQ(TextStamp(firm), stamp);
}

}  // namespace
}  // namespace clustermatch
