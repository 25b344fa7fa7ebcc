#include "engine/firm_texts.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <optional>
#include <span>

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

// The profile parts the field texts are made of. The topic repeats the
// offer and need parts, so EmbedFirm tokenises each part once.
enum class Part : uint8_t {
  kName,
  kDescription,
  kIndustries,
  kTechnologies,
  kProducts,
  kOffers,
  kNeeds,
  kMarkets,
  kMaterials,
};
constexpr size_t kPartCount = 9;

constexpr Part kOfferParts[] = {Part::kOffers, Part::kTechnologies, Part::kProducts};
constexpr Part kNeedParts[] = {Part::kNeeds};
constexpr Part kTopicParts[] = {Part::kName,         Part::kDescription, Part::kIndustries,
                                Part::kTechnologies, Part::kProducts,    Part::kOffers,
                                Part::kNeeds,        Part::kMarkets};
constexpr Part kMaterialParts[] = {Part::kMaterials};

// The parts of `field`'s text, in order.
std::span<const Part> PartsOf(VectorField field) {
  switch (field) {
    case VectorField::kOffer:
      return kOfferParts;
    case VectorField::kNeed:
      return kNeedParts;
    case VectorField::kTopic:
      return kTopicParts;
    case VectorField::kMaterials:
      return kMaterialParts;
  }
  return {};
}

void AddPart(const Firm& firm, Part part, FieldText& text) {
  switch (part) {
    case Part::kName:
      return text.Add(firm.name);
    case Part::kDescription:
      return text.Add(firm.description);
    case Part::kIndustries:
      return text.AddAll(firm.industries);
    case Part::kTechnologies:
      return text.AddAll(firm.technologies);
    case Part::kProducts:
      return text.AddAll(firm.products);
    case Part::kOffers:
      return text.AddAll(firm.offers);
    case Part::kNeeds:
      return text.AddAll(firm.needs);
    case Part::kMarkets:
      return text.AddAll(firm.markets);
    case Part::kMaterials:
      return text.AddAll(firm.materials);
  }
}

// Appends the text of `field` of `firm` to `out`.
void AppendFieldText(const Firm& firm, VectorField field, std::string& out) {
  FieldText text(out);
  for (Part part : PartsOf(field)) AddPart(firm, part, text);
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
  // Each part once, then each field from its parts' features: the same
  // bits as embedding TextsOf(firm) (FeatureList::Append).
  struct PartFeatures {
    bool has_text = false;
    std::optional<FeatureList> features;  // nullopt: not valid UTF-8
  };
  std::array<PartFeatures, kPartCount> parts;
  std::string text;
  for (size_t p = 0; p < kPartCount; ++p) {
    text.clear();
    FieldText part_text(text);
    AddPart(firm, static_cast<Part>(p), part_text);
    parts[p].has_text = !text.empty();
    if (parts[p].has_text) parts[p].features = model.Features(text);
  }
  FirmVectors vectors;
  for (int f = 0; f < kVectorFieldCount; ++f) {
    bool has_text = false;
    bool valid = true;
    FeatureList features;
    for (Part part : PartsOf(static_cast<VectorField>(f))) {
      const PartFeatures& of = parts[static_cast<size_t>(part)];
      if (!of.has_text) continue;
      has_text = true;
      if (!of.features.has_value()) {
        valid = false;  // the field's text is not valid UTF-8: no features at all
        break;
      }
      features.Append(*of.features);
    }
    if (!has_text || !valid) continue;
    std::vector<float> v = model.EmbedFeatures(features);
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
