#include "models/text_model_codec.h"

#include <bit>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "models/feature_hashing.h"
#include "models/tokenizer.h"

namespace clustermatch {
namespace {

constexpr std::string_view kMagic = "CMTM";

class Writer {
 public:
  void U8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void U32(uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void U64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
  void F32(float v) { U32(std::bit_cast<uint32_t>(v)); }
  void Bytes(std::string_view s) { out_.append(s); }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

// Bounds-checked reader: every read fails once the input is exhausted.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  size_t remaining() const { return in_.size() - pos_; }
  bool U8(uint8_t* v) {
    if (remaining() < 1) return false;
    *v = static_cast<uint8_t>(in_[pos_++]);
    return true;
  }
  bool U32(uint32_t* v) {
    if (remaining() < 4) return false;
    uint32_t r = 0;
    for (int i = 0; i < 4; ++i) r |= uint32_t{static_cast<uint8_t>(in_[pos_ + i])} << (8 * i);
    pos_ += 4;
    *v = r;
    return true;
  }
  bool U64(uint64_t* v) {
    if (remaining() < 8) return false;
    uint64_t r = 0;
    for (int i = 0; i < 8; ++i) r |= uint64_t{static_cast<uint8_t>(in_[pos_ + i])} << (8 * i);
    pos_ += 8;
    *v = r;
    return true;
  }
  bool F32(float* v) {
    uint32_t bits = 0;
    if (!U32(&bits)) return false;
    *v = std::bit_cast<float>(bits);
    return std::isfinite(*v);
  }
  bool Floats(size_t count, std::vector<float>* out) {
    if (remaining() / 4 < count) return false;
    out->resize(count);
    for (float& f : *out) {
      if (!F32(&f)) return false;
    }
    return true;
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

absl::Status Corrupt(std::string_view what) {
  return absl::DataLossError(absl::StrCat("text model file is corrupt: ", std::string(what)));
}

}  // namespace

std::string EncodeTextModel(const TextModelParameters& params) {
  Writer w;
  w.Bytes(kMagic);
  w.U32(kTextModelFormatVersion);
  w.U32(kFeatureVersion);
  w.U8(params.trained ? 1 : 0);
  w.U32(static_cast<uint32_t>(params.dimension));
  w.U32(static_cast<uint32_t>(params.hash_bits));
  w.U64(static_cast<uint64_t>(params.document_count));
  w.F32(params.unseen_idf);
  w.U32(static_cast<uint32_t>(params.vocabulary.size()));
  for (uint32_t bucket : params.vocabulary) w.U32(bucket);
  for (float idf : params.idf) w.F32(idf);
  if (params.trained) {
    for (float s : params.singular_values) w.F32(s);
    for (float p : params.projection) w.F32(p);
  }
  w.U64(StableHash64(w.out()));
  return std::move(w.out());
}

absl::StatusOr<TextModelParameters> DecodeTextModel(std::string_view bytes) {
  constexpr size_t kChecksumSize = 8;
  if (bytes.size() < kMagic.size() + kChecksumSize || bytes.substr(0, kMagic.size()) != kMagic) {
    return Corrupt("bad magic or too short");
  }
  const std::string_view body = bytes.substr(0, bytes.size() - kChecksumSize);
  uint64_t stored_checksum = 0;
  Reader(bytes.substr(body.size())).U64(&stored_checksum);
  if (stored_checksum != StableHash64(body)) return Corrupt("checksum mismatch");

  Reader r(body.substr(kMagic.size()));
  uint32_t format_version = 0;
  uint32_t tokenizer_version = 0;
  if (!r.U32(&format_version) || !r.U32(&tokenizer_version)) return Corrupt("truncated header");
  if (format_version != kTextModelFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat("text model format version ", format_version,
                                                      " is not supported (expected ",
                                                      kTextModelFormatVersion, ")"));
  }
  if (tokenizer_version != kFeatureVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat("text model was trained with tokenizer version ", tokenizer_version,
                     "; this build uses ", kFeatureVersion, ": retrain the model"));
  }
  TextModelParameters p;
  uint8_t trained = 0;
  uint32_t dimension = 0;
  uint32_t hash_bits = 0;
  uint64_t document_count = 0;
  uint32_t vocabulary_size = 0;
  if (!r.U8(&trained) || !r.U32(&dimension) || !r.U32(&hash_bits) || !r.U64(&document_count) ||
      !r.F32(&p.unseen_idf) || !r.U32(&vocabulary_size)) {
    return Corrupt("truncated or invalid header");
  }
  if (trained > 1 || dimension < 1 || dimension > kMaxModelDimension ||
      hash_bits < static_cast<uint32_t>(kMinHashBits) ||
      hash_bits > static_cast<uint32_t>(kMaxHashBits) || document_count > (uint64_t{1} << 40)) {
    return Corrupt("header values out of range");
  }
  if (trained == 1 && vocabulary_size == 0) return Corrupt("trained model without vocabulary");
  if (trained == 0 && vocabulary_size != 0) return Corrupt("untrained model with vocabulary");
  p.trained = trained == 1;
  p.dimension = static_cast<int>(dimension);
  p.hash_bits = static_cast<int>(hash_bits);
  p.document_count = static_cast<int64_t>(document_count);

  // Check the exact size before allocating anything proportional to it.
  const uint64_t floats_per_row = 1 + (p.trained ? uint64_t{dimension} : 0);
  const uint64_t expected = uint64_t{vocabulary_size} * (4 + 4 * floats_per_row) +
                            (p.trained ? 4 * uint64_t{dimension} : 0);
  if (expected != r.remaining()) return Corrupt("size does not match the header");

  p.vocabulary.resize(vocabulary_size);
  const uint64_t bucket_limit = uint64_t{1} << hash_bits;
  for (uint32_t i = 0; i < vocabulary_size; ++i) {
    r.U32(&p.vocabulary[i]);
    if (p.vocabulary[i] >= bucket_limit || (i > 0 && p.vocabulary[i] <= p.vocabulary[i - 1])) {
      return Corrupt("vocabulary buckets out of order or range");
    }
  }
  if (!r.Floats(vocabulary_size, &p.idf)) return Corrupt("invalid idf values");
  if (p.trained) {
    if (!r.Floats(dimension, &p.singular_values)) return Corrupt("invalid singular values");
    if (!r.Floats(size_t{vocabulary_size} * dimension, &p.projection)) {
      return Corrupt("invalid projection values");
    }
  }
  return p;
}

}  // namespace clustermatch
