#include "engine/partner_blend_json.h"

#include <nlohmann/json.hpp>

namespace clustermatch {
namespace {

absl::Status Bad(const std::string& what) {
  return absl::DataLossError("stored partner blend: " + what);
}

nlohmann::json SignalObject(const BlendFeatures& values) {
  nlohmann::json out = nlohmann::json::object();
  for (int j = 0; j < kBlendSignalCount; ++j) {
    out[BlendSignalName(static_cast<BlendSignal>(j))] = values[j];
  }
  return out;
}

// False when the object does not name exactly this build's signals.
bool ReadSignals(const nlohmann::json& object, BlendFeatures& values) {
  if (!object.is_object() || object.size() != static_cast<size_t>(kBlendSignalCount)) return false;
  for (int j = 0; j < kBlendSignalCount; ++j) {
    auto it = object.find(BlendSignalName(static_cast<BlendSignal>(j)));
    if (it == object.end() || !it->is_number()) return false;
    values[j] = it->get<float>();
  }
  return true;
}

}  // namespace

std::string StoredBlendToJson(const StoredBlend& blend) {
  nlohmann::json out{{"learned_at", blend.learned_at}, {"weights", nullptr}};
  if (blend.weights.has_value()) {
    const BlendWeights& w = *blend.weights;
    out["weights"] = {{"mean", SignalObject(w.mean)},
                      {"scale", SignalObject(w.scale)},
                      {"weight", SignalObject(w.weights)},
                      {"bias", w.bias},
                      {"examples", w.examples},
                      {"positives", w.positives},
                      {"queries", w.queries},
                      {"validation_year", w.validation_year}};
  }
  return out.dump();
}

absl::StatusOr<std::optional<StoredBlend>> StoredBlendFromJson(const std::string& text) {
  const nlohmann::json parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) return Bad("not a JSON object");
  StoredBlend blend;
  auto learned_at = parsed.find("learned_at");
  if (learned_at == parsed.end() || !learned_at->is_number_unsigned()) {
    return Bad("learned_at: expected a count");
  }
  blend.learned_at = learned_at->get<size_t>();
  auto weights = parsed.find("weights");
  if (weights == parsed.end()) return Bad("weights: missing");
  if (weights->is_null()) return blend;
  if (!weights->is_object()) return Bad("weights: expected an object or null");
  BlendWeights w;
  if (!ReadSignals(weights->value("mean", nlohmann::json()), w.mean) ||
      !ReadSignals(weights->value("scale", nlohmann::json()), w.scale) ||
      !ReadSignals(weights->value("weight", nlohmann::json()), w.weights)) {
    return std::optional<StoredBlend>();  // other signals: learn again
  }
  for (const char* field : {"bias", "examples", "positives", "queries", "validation_year"}) {
    if (!weights->contains(field) || !(*weights)[field].is_number()) {
      return Bad(std::string("weights.") + field + ": expected a number");
    }
  }
  w.bias = (*weights)["bias"].get<float>();
  w.examples = (*weights)["examples"].get<int64_t>();
  w.positives = (*weights)["positives"].get<int64_t>();
  w.queries = (*weights)["queries"].get<int>();
  w.validation_year = (*weights)["validation_year"].get<int>();
  blend.weights = w;
  return blend;
}

}  // namespace clustermatch
