// The parameters of a TextModel and their binary file format. TextModel
// (text_model.h) is the public face; this header exists so the format can be
// read and tested on its own. Pure functions, safe to call from any thread.
//
// Format, all integers and floats little-endian (IEEE-754 binary32):
//   bytes  "CMTM"                     magic
//   u32    format version (kTextModelFormatVersion)
//   u32    tokenizer version (kFeatureVersion of the writer)
//   u8     trained (0 or 1)
//   u32    dimension, u32 hash_bits, u64 document_count, f32 unseen_idf
//   u32    vocabulary size V (0 when untrained)
//   u32[V] vocabulary buckets, strictly increasing, < 2^hash_bits
//   f32[V] idf of each vocabulary bucket
//   f32[dimension]     singular values       (trained only)
//   f32[V * dimension] projection, row-major (trained only)
//   u64    checksum: StableHash64 (feature_hashing.h) of all bytes before it
#ifndef CLUSTERMATCH_MODELS_TEXT_MODEL_CODEC_H_
#define CLUSTERMATCH_MODELS_TEXT_MODEL_CODEC_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace clustermatch {

inline constexpr uint32_t kTextModelFormatVersion = 1;
inline constexpr int kMaxModelDimension = 4096;

struct TextModelParameters {
  bool trained = false;
  int dimension = 0;
  int hash_bits = 0;
  int64_t document_count = 0;          // documents with at least one feature in training
  float unseen_idf = 1;                // idf of features outside the vocabulary
  std::vector<uint32_t> vocabulary;    // bucket ids, strictly increasing
  std::vector<float> idf;              // one per vocabulary bucket
  std::vector<float> singular_values;  // dimension() values when trained
  std::vector<float> projection;       // vocabulary.size() x dimension, row-major
};

std::string EncodeTextModel(const TextModelParameters& params);

// Returns DataLoss when `bytes` are truncated, corrupt (checksum, magic,
// inconsistent sizes, out-of-range or non-finite values) or have trailing
// garbage; FailedPrecondition when they were written by another format or
// tokenizer version. Never reads out of bounds and never allocates more than
// `bytes` can describe.
absl::StatusOr<TextModelParameters> DecodeTextModel(std::string_view bytes);

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_TEXT_MODEL_CODEC_H_
