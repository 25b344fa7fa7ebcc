// TextModel: turns a text into a sparse TF-IDF vector over hashed features
// and into a dense, L2-normalised vector of dimension() floats.
//
// Pipeline: NormalizeText (NFKC + case folding) -> features (tokenizer.h:
// words, character and syllable n-grams) -> buckets (feature_hashing.h) ->
// sublinear weights log(1 + weighted count) -> times idf -> L2-normalised.
//
// Two kinds of model:
//   - Trained (Train, or Deserialize of a trained model): latent semantic
//     analysis. The corpus defines a vocabulary of buckets (document
//     frequency >= min_document_frequency, the max_features most frequent),
//     smoothed idf = ln((1 + N) / (1 + df)) + 1, and a projection
//     (vocabulary x dimension) from a truncated randomised SVD of the
//     L2-normalised TF-IDF document matrix. Embed(text) = normalise(x V)
//     where x is the TF-IDF vector of the text restricted to the vocabulary.
//   - Untrained (Untrained(d)): the explicit fallback when no corpus exists.
//     There is no idf (idf = 1) and no vocabulary; Embed is signed feature
//     hashing of the TF weights of all buckets into d dimensions,
//     L2-normalised. It matches shared words and n-grams only, not synonyms.
//     trained() is false and Describe() says "untrained hashing".
//
// A TextModel is an immutable value: all const methods are safe to call
// concurrently from any number of threads. Copying copies the parameters.
#ifndef CLUSTERMATCH_MODELS_TEXT_MODEL_H_
#define CLUSTERMATCH_MODELS_TEXT_MODEL_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "models/feature_hashing.h"
#include "models/sparse_vector.h"
#include "models/text_model_codec.h"

namespace clustermatch {

struct TextModelOptions {
  // Wanted embedding dimension, in [1, kMaxModelDimension]. A trained model
  // may end up smaller: min(dimension, documents, vocabulary, numerical
  // rank of the corpus).
  int dimension = 256;
  // Features hash into 2^hash_bits buckets, in [kMinHashBits, kMaxHashBits].
  int hash_bits = 20;
  // Vocabulary cap: the buckets with the highest document frequency are kept.
  int max_features = 50000;
  // Buckets seen in fewer documents are left out of the vocabulary. When no
  // bucket reaches it (a tiny corpus), every seen bucket is kept instead.
  int min_document_frequency = 2;
  // Randomised SVD parameters (randomized_svd.h).
  int oversampling = 16;
  int power_iterations = 3;
  uint64_t seed = 42;
  // Training cost cap: a corpus with more documents than this trains on a
  // sample of exactly this many (vocabulary, idf and SVD all come from the
  // sample; document_count() is the sample's size). The sample is drawn
  // uniformly without replacement by a generator seeded with `seed`, keeps
  // the documents' order, and so is the same on every run for the same
  // corpus. A corpus of at most this many documents trains on all of them,
  // exactly as without a cap. 0 means no cap.
  int max_training_documents = 20000;
};

class TextModel {
 public:
  // The untrained fallback described above; hash_bits is 20. `dimension` is
  // clamped to [1, kMaxModelDimension].
  static TextModel Untrained(int dimension = 256);

  // Trains on one text per document (or on a sample of
  // options.max_training_documents of them, see above). Texts that are not
  // valid UTF-8 count as documents without features. Returns InvalidArgument when the options are
  // out of range or no document yields a feature.
  static absl::StatusOr<TextModel> Train(std::span<const std::string> documents,
                                         const TextModelOptions& options);

  bool trained() const { return params_.trained; }
  int dimension() const { return params_.dimension; }
  int hash_bits() const { return params_.hash_bits; }
  int vocabulary_size() const { return static_cast<int>(params_.vocabulary.size()); }
  int64_t document_count() const { return params_.document_count; }

  // TF-IDF over hashed feature buckets (indices < 2^hash_bits), L2-normalised.
  // Features outside the vocabulary of a trained model get the idf of an
  // unseen feature. Empty when the text has no features or is not valid UTF-8.
  SparseVector EmbedSparse(std::string_view text) const;

  // Exactly dimension() floats, L2-normalised; all zeros when the text has no
  // feature the model knows (always the case for invalid UTF-8).
  std::vector<float> Embed(std::string_view text) const;

  // The hashed features of `text`, for callers that embed several texts
  // made of shared phrases: the features of each phrase once, put together
  // with FeatureList::Append, give EmbedFeatures the same bits as Embed of
  // the joined text. nullopt when `text` is not valid UTF-8 (Embed of any
  // text holding it is all zeros).
  std::optional<FeatureList> Features(std::string_view text) const;
  std::vector<float> EmbedFeatures(const FeatureList& features) const;

  // One line, e.g. "lsa d=256 vocab=12345 docs=1700 hash_bits=20" or
  // "untrained hashing d=256 hash_bits=20".
  std::string Describe() const;

  // Binary model file (format in text_model_codec.h).
  std::string Serialize() const;
  // DataLoss on truncated or corrupt input, FailedPrecondition for a file of
  // another format or tokenizer version.
  static absl::StatusOr<TextModel> Deserialize(std::string_view bytes);

 private:
  explicit TextModel(TextModelParameters params);

  // Weighted term counts of `text`, or empty for invalid UTF-8.
  std::vector<HashedTerm> Terms(std::string_view text) const;
  std::vector<float> EmbedTerms(std::span<const HashedTerm> terms) const;

  TextModelParameters params_;
  absl::flat_hash_map<uint32_t, uint32_t> row_of_bucket_;  // vocabulary bucket -> row
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_MODELS_TEXT_MODEL_H_
