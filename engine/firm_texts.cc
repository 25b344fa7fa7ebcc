#include "engine/firm_texts.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

namespace clustermatch {
namespace {

// Builds one field's text at the end of `out`, from `start` on. Phrases are
// joined with a full stop so that n-grams never span two of them.
class FieldText {
 public:
  explicit FieldText(std::string& out) : out_(out), start_(out.size()) {}
  void Add(const std::string& text) {
    if (text.empty()) return;
    if (out_.size() > start_) out_ += " . ";
    out_ += text;
  }
  void AddAll(const std::vector<std::string>& items) {
    for (const auto& item : items) Add(item);
  }

 private:
  std::string& out_;
  const size_t start_;
};

// Appends the text of `field` of `firm` to `out`.
void AppendFieldText(const Firm& firm, VectorField field, std::string& out) {
  FieldText text(out);
  switch (field) {
    case VectorField::kOffer:
      text.AddAll(firm.offers);
      text.AddAll(firm.technologies);
      text.AddAll(firm.products);
      break;
    case VectorField::kNeed:
      text.AddAll(firm.needs);
      break;
    case VectorField::kTopic:
      text.Add(firm.name);
      text.Add(firm.description);
      text.AddAll(firm.industries);
      text.AddAll(firm.technologies);
      text.AddAll(firm.products);
      text.AddAll(firm.offers);
      text.AddAll(firm.needs);
      text.AddAll(firm.markets);
      break;
    case VectorField::kMaterials:
      text.AddAll(firm.materials);
      break;
  }
}

bool IsZero(const std::vector<float>& v) {
  return std::all_of(v.begin(), v.end(), [](float x) { return x == 0.0f; });
}

}  // namespace

FirmTexts TextsOf(const Firm& firm) {
  FirmTexts texts;
  for (int f = 0; f < kVectorFieldCount; ++f) {
    AppendFieldText(firm, static_cast<VectorField>(f), texts[f]);
  }
  return texts;
}

uint64_t TextStamp(const Firm& firm) {
  // Each text is hashed with its length, so that moving words between
  // fields changes the stamp. The texts are written straight into one
  // buffer per thread: an open stamps every stored firm, and building
  // TextsOf first cost more than the hash.
  thread_local std::string joined;
  joined.clear();
  for (int f = 0; f < kVectorFieldCount; ++f) {
    const size_t at = joined.size();
    uint64_t length = 0;
    joined.append(sizeof length, '\0');
    AppendFieldText(firm, static_cast<VectorField>(f), joined);
    length = joined.size() - at - sizeof length;
    std::memcpy(joined.data() + at, &length, sizeof length);
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
