// EmbedFirms: the dense vectors of many firms at once, on every core.
//
// An import embeds tens of thousands of firms; EmbedFirm (firm_texts.h) does
// one. This runs EmbedFirm over the firms in parallel (OpenMP threads, the
// pool Faiss also uses) and returns the results in input order, identical to
// calling EmbedFirm on each firm in turn: TextModel is immutable and its
// const methods are safe to call concurrently.
#ifndef CLUSTERMATCH_ENGINE_EMBED_FIRMS_H_
#define CLUSTERMATCH_ENGINE_EMBED_FIRMS_H_

#include <span>
#include <vector>

#include "engine/firm.h"
#include "engine/vector_index.h"
#include "models/text_model.h"

namespace clustermatch {

// result[i] == EmbedFirm(model, *firms[i]) for every i. Few firms (below a
// small threshold) are embedded on the calling thread alone.
std::vector<FirmVectors> EmbedFirms(const TextModel& model, std::span<const Firm* const> firms);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_EMBED_FIRMS_H_
