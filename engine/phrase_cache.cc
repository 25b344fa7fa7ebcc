#include "engine/phrase_cache.h"

#include "engine/firm_signals.h"

namespace clustermatch {

std::shared_ptr<const PhraseVectors> PhraseCache::Get(std::string_view phrase) const {
  {
    SharedLock lock(&mutex_);
    // Debian's abseil has its own string_view, which the map looks up by.
    auto it = entries_.find(absl::string_view(phrase.data(), phrase.size()));
    if (it != entries_.end()) return it->second;
  }
  return Insert(phrase);
}

void PhraseCache::GetAll(const std::vector<const std::string*>& phrases,
                         std::vector<std::shared_ptr<const PhraseVectors>>* out) const {
  out->assign(phrases.size(), nullptr);
  bool missing = false;
  {
    SharedLock lock(&mutex_);
    for (size_t i = 0; i < phrases.size(); ++i) {
      auto it = entries_.find(*phrases[i]);
      if (it != entries_.end()) {
        (*out)[i] = it->second;
      } else {
        missing = true;
      }
    }
  }
  if (!missing) return;
  for (size_t i = 0; i < phrases.size(); ++i) {
    if ((*out)[i] == nullptr) (*out)[i] = Insert(*phrases[i]);
  }
}

std::vector<const std::string*> NeedPhrases(const Firm& firm) {
  std::vector<const std::string*> needs;
  needs.reserve(firm.needs.size());
  for (const auto& need : firm.needs) needs.push_back(&need);
  return needs;
}

std::vector<const std::string*> AnswerPhrases(const Firm& firm) {
  std::vector<const std::string*> answers;
  answers.reserve(firm.offers.size() + firm.products.size() + firm.technologies.size());
  for (const auto* list : {&firm.offers, &firm.products, &firm.technologies}) {
    for (const auto& item : *list) answers.push_back(&item);
  }
  return answers;
}

FirmPhrases PhraseCache::OfFirm(const Firm& firm) const {
  FirmPhrases phrases;
  GetAll(NeedPhrases(firm), &phrases.needs);
  GetAll(AnswerPhrases(firm), &phrases.answers);
  return phrases;
}

std::shared_ptr<const PhraseVectors> PhraseCache::Insert(std::string_view phrase) const {
  // Embedding runs outside the lock; two threads may embed the same phrase
  // once each, which is harmless.
  auto vectors = std::make_shared<Vectors>();
  vectors->dense = model_.Embed(phrase);
  vectors->sparse = model_.EmbedSparse(phrase);
  ExclusiveLock lock(&mutex_);
  if (entries_.size() >= kMaxEntries) entries_.clear();
  entries_.emplace(std::string(phrase), vectors);
  return vectors;
}

float PhraseCache::Similarity(std::string_view a, std::string_view b) const {
  const auto va = Get(a);
  const auto vb = Get(b);
  return BlendedCosine(va->dense, va->sparse, vb->dense, vb->sparse);
}

PhraseSet::PhraseSet(const PhraseCache& cache, const std::vector<const std::string*>& phrases) {
  cache.GetAll(phrases, &phrases_);
  std::vector<const std::vector<float>*> dense;
  std::vector<const SparseVector*> sparse;
  for (const auto& vectors : phrases_) {
    dense.push_back(&vectors->dense);
    sparse.push_back(&vectors->sparse);
  }
  dense_ = DenseDotBlock(dense);
  sparse_ = SparseDotTable(sparse);
}

void PhraseSet::Similarities(const std::vector<std::shared_ptr<const PhraseVectors>>& others,
                             float* out) const {
  const size_t n = phrases_.size();
  if (n == 0) return;
  std::vector<const std::vector<float>*> dense;
  dense.reserve(others.size());
  for (const auto& other : others) dense.push_back(&other->dense);
  dense_.Dots(dense, out);
  std::vector<float> sparse(n);
  std::vector<double> scratch;
  for (size_t j = 0; j < others.size(); ++j) {
    sparse_.Dots(others[j]->sparse, sparse.data(), scratch);
    float* row = out + j * n;
    for (size_t i = 0; i < n; ++i) row[i] = BlendCosines(row[i], sparse[i]);
  }
}

}  // namespace clustermatch
