// Synthetic but realistic firm profiles: the bundled sample cluster
// (`clustermatch sample`) and scale data for benchmarks.
//
// Firms are spread over G-Valley's mini-clusters ICT, IMT, DC and Green IT in
// fixed shares, with some members of other Seoul-area clusters (DMC, Magok,
// Pangyo, Yangjae, Anyang); from kSampleNationalThreshold firms on they
// spread over clusters nationwide. About one firm in twenty is a university,
// research institute, support organisation or public body. Offers and needs
// come from the capability catalogue of sample_vocabulary.h, so that a need
// of one firm is answered, in different words, by an offer of another.
// Profiles are Korean, English or bilingual. Every firm passes ValidateFirm.
//
// Output is deterministic: the same options give byte-identical firms on
// every platform and standard library (own PRNG, integer arithmetic only).
// Firm i depends only on the seed, i and the scale regime, so generation is
// streamable. Both functions are thread-safe.
#ifndef CLUSTERMATCH_ENGINE_SAMPLE_CLUSTER_H_
#define CLUSTERMATCH_ENGINE_SAMPLE_CLUSTER_H_

#include <cstdint>
#include <functional>
#include <vector>

#include "engine/firm.h"

namespace clustermatch {

struct SampleOptions {
  int firms = 420;    // number of firms; none when <= 0
  uint64_t seed = 1;  // different seeds give different clusters
};

// All firms, in order. Ids are unique: cluster prefix plus a running number
// ("GV-0001", "DMC-0017"), at least four digits wide.
std::vector<Firm> GenerateSampleCluster(const SampleOptions& options);

// The same firms as GenerateSampleCluster, passed to `sink` one at a time so
// that millions of firms need not be held in memory.
void GenerateSampleFirms(const SampleOptions& options,
                         const std::function<void(const Firm&)>& sink);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SAMPLE_CLUSTER_H_
