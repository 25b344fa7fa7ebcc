// RowNorms: for each float row of a field, the L2 norm of the whole row and of
// its tail (every dimension after the first quarter, the head). With them an
// exact scan can bound a row's inner product with a query after reading the
// head alone (Cauchy–Schwarz on the tail):
//   <q, x>  <=  <q_head, x_head> + |q_tail| |x_tail|
// and skip the tail of every row that cannot reach the k-th best score so
// far. The embeddings come from an LSA model whose dimensions are ordered by
// singular value: at d = 256 the first 64 hold about two thirds of a row's
// energy, and the bound settles about 95% of the rows of a 1% filter at 1M
// firms, so such a scan reads 4 of each row's 16 cache lines.
//
// The bound is made safe against rounding: it adds a slack of
// 4 d 2^-24 |q| |x|, above the error of both float inner products, and the
// norms are rounded up. A row the bound skips could therefore never have
// entered the top k, and the rows kept are scored by the same kernel as a
// scan without the bound: answers are identical, bit for bit.
#ifndef CLUSTERMATCH_ENGINE_ROW_NORMS_H_
#define CLUSTERMATCH_ENGINE_ROW_NORMS_H_

#include <cstddef>
#include <vector>

namespace clustermatch {

class RowNorms {
 public:
  explicit RowNorms(size_t dimension);

  size_t head() const { return head_; }  // dimension / 4
  size_t size() const { return norms_.size(); }
  size_t MemoryBytes() const { return norms_.capacity() * sizeof(Norms); }

  // Norms of `n` more rows of `dimension` floats each.
  void Append(const float* rows, size_t n);
  void Zero(size_t row);  // the row was erased (all zeros)
  void Truncate(size_t n);
  void Clear();

  // What a query contributes to every bound: its tail's norm and the slack.
  struct Query {
    float tail_norm = 0;
    float slack = 0;
  };
  Query Prepare(const float* query) const;

  // At least <query, row> as a scan's kernel computes it, given the kernel's
  // inner product of the two heads.
  float Bound(const Query& query, size_t row, float head_product) const {
    const Norms& norms = norms_[row];
    return head_product + query.tail_norm * norms.tail + query.slack * norms.whole;
  }

 private:
  struct Norms {
    float whole = 0;
    float tail = 0;
  };
  const size_t dimension_;
  const size_t head_;
  std::vector<Norms> norms_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_ROW_NORMS_H_
