// Which profile fields make each vector field's text, and the firm's dense
// vectors under a model. The engine owns this choice; models/ only turns
// texts into vectors.
//   offer:     offers, technologies, products
//   need:      needs
//   topic:     everything a reader would call the firm's subject: name,
//              description, industries, technologies, products, offers, needs,
//              markets
//   materials: materials (for joint purchasing)
#ifndef CLUSTERMATCH_ENGINE_FIRM_TEXTS_H_
#define CLUSTERMATCH_ENGINE_FIRM_TEXTS_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/firm.h"
#include "engine/vector_index.h"
#include "models/text_model.h"

namespace clustermatch {

using FirmTexts = std::array<std::string, kVectorFieldCount>;

FirmTexts TextsOf(const Firm& firm);

// A 64-bit hash (xxHash3) of TextsOf(firm): equal stamps mean equal texts, so
// vectors embedded under one model from a firm with this stamp are still its
// vectors. Stable across runs and builds (index snapshots keep it).
uint64_t TextStamp(const Firm& firm);

// Dense vectors of every field; a field whose text is empty (or has no
// feature the model knows) gets an empty vector and stays out of that
// field's index.
FirmVectors EmbedFirm(const TextModel& model, const Firm& firm);

// The training corpus: every non-empty field text of every firm.
std::vector<std::string> TrainingDocuments(const std::vector<const Firm*>& firms);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIRM_TEXTS_H_
