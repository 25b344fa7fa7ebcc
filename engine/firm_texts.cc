#include "engine/firm_texts.h"

#include <xxhash.h>

#include <algorithm>

namespace clustermatch {
namespace {

// Phrases are joined with a full stop so that n-grams never span two of them.
void Append(std::string& out, const std::string& text) {
  if (text.empty()) return;
  if (!out.empty()) out += " . ";
  out += text;
}

void AppendAll(std::string& out, const std::vector<std::string>& items) {
  for (const auto& item : items) Append(out, item);
}

bool IsZero(const std::vector<float>& v) {
  return std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; });
}

}  // namespace

FirmTexts TextsOf(const Firm& firm) {
  FirmTexts texts;
  std::string& offer = texts[static_cast<int>(VectorField::kOffer)];
  AppendAll(offer, firm.offers);
  AppendAll(offer, firm.technologies);
  AppendAll(offer, firm.products);

  AppendAll(texts[static_cast<int>(VectorField::kNeed)], firm.needs);
  AppendAll(texts[static_cast<int>(VectorField::kMaterials)], firm.materials);

  std::string& topic = texts[static_cast<int>(VectorField::kTopic)];
  Append(topic, firm.name);
  Append(topic, firm.description);
  AppendAll(topic, firm.industries);
  AppendAll(topic, firm.technologies);
  AppendAll(topic, firm.products);
  AppendAll(topic, firm.offers);
  AppendAll(topic, firm.needs);
  AppendAll(topic, firm.markets);
  return texts;
}

uint64_t TextStamp(const Firm& firm) {
  // Each text is hashed with its length, so that moving words between
  // fields changes the stamp.
  std::string joined;
  for (const std::string& text : TextsOf(firm)) {
    const auto length = static_cast<uint64_t>(text.size());
    joined.append(reinterpret_cast<const char*>(&length), sizeof length);
    joined += text;
  }
  return XXH3_64bits(joined.data(), joined.size());
}

FirmVectors EmbedFirm(const TextModel& model, const Firm& firm) {
  FirmVectors vectors;
  const FirmTexts texts = TextsOf(firm);
  for (int f = 0; f < kVectorFieldCount; ++f) {
    if (texts[f].empty()) continue;
    std::vector<float> v = model.Embed(texts[f]);
    if (!IsZero(v)) vectors.fields[f] = std::move(v);
  }
  return vectors;
}

std::vector<std::string> TrainingDocuments(const std::vector<const Firm*>& firms) {
  std::vector<std::string> documents;
  documents.reserve(firms.size() * kVectorFieldCount);
  for (const Firm* firm : firms) {
    for (std::string& text : TextsOf(*firm)) {
      if (!text.empty()) documents.push_back(std::move(text));
    }
  }
  return documents;
}

}  // namespace clustermatch
