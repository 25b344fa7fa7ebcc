// SIG solver setup and first assignment (see sig_solver.h): renormalised
// vectors, mini-cluster ids and do-not-match lists; the number of groups;
// Faiss spherical k-means seeds; the greedy-by-regret assignment under the
// size cap; the Gram matrix (full or columns on demand) and the dot-product
// state the moves update.
#include "engine/sig_solver.h"

#include <faiss/Clustering.h>
#include <faiss/IndexFlat.h>
#include <faiss/impl/FaissException.h>
#include <faiss/utils/distances.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numeric>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/sig_grouping.h"

extern "C" int sgemm_(const char* transa, const char* transb, const int* m, const int* n,
                      const int* k, const float* alpha, const float* a, const int* lda,
                      const float* b, const int* ldb, const float* beta, float* c, const int* ldc);

namespace clustermatch {
namespace sig_internal {
namespace {

constexpr int kFullGramMaxFirms = 4096;  // above: Gram columns on demand
constexpr size_t kGramCacheBytes = size_t{256} << 20;

// c (m x k) = a (m x d) * b (k x d)^T, all row-major. OpenBLAS splits the
// output between its threads, so each entry comes out the same every run.
void MultiplyTransposed(const float* a, int m, const float* b, int k, int d, float* c) {
  if (m == 0 || k == 0) return;
  const float one = 1, zero = 0;
  sgemm_("T", "N", &k, &m, &d, &one, b, &d, a, &d, &zero, c, &k);
}

// Largest g such that g groups can each span `k` distinct mini-clusters,
// given the firms per mini-cluster: sum_m min(c_m, g) >= k g (the left side
// minus the right is concave in g and 0 at g = 0, so the feasible g form an
// interval starting at 0).
int MaxConvergentGroups(const std::vector<int>& per_mini_cluster, int k, int upper) {
  auto feasible = [&](int g) {
    int64_t covered = 0;
    for (int c : per_mini_cluster) covered += std::min(c, g);
    return covered >= int64_t{k} * g;
  };
  int lo = 0, hi = upper;
  while (lo < hi) {
    const int mid = lo + (hi - lo + 1) / 2;
    if (feasible(mid)) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return lo;
}

}  // namespace

void SigSolver::Prepare() {
  k_conv_ = p_.convergence;
  x_.assign(p_.vectors.begin(), p_.vectors.end());
  reason_.assign(n_, "");
  group_of_.assign(n_, kUnplaced);
  for (int i = 0; i < n_; ++i) {
    float* row = x_.data() + static_cast<size_t>(i) * d_;
    double norm = 0;
    for (int c = 0; c < d_; ++c) norm += static_cast<double>(row[c]) * row[c];
    norm = std::sqrt(norm);
    if (norm <= 1e-12) {
      std::fill(row, row + d_, 0.0f);
      reason_[i] = "no topic text in its profile";
      continue;
    }
    for (int c = 0; c < d_; ++c) row[c] = static_cast<float>(row[c] / norm);
    eligible_.push_back(i);
  }
  absl::flat_hash_map<std::string, int> ids;
  mc_.assign(n_, -1);
  for (int i = 0; i < n_; ++i) {
    if (p_.mini_clusters[i].empty()) continue;
    mc_[i] = ids.try_emplace(p_.mini_clusters[i], static_cast<int>(ids.size())).first->second;
  }
  conflicts_.assign(n_, {});
  for (const auto& [a, b] : p_.never_together) {
    if (a == b) continue;
    conflicts_[a].push_back(b);
    conflicts_[b].push_back(a);
  }
  for (auto& list : conflicts_) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
}

bool SigSolver::ChooseGroupCount() {
  const int placeable = static_cast<int>(eligible_.size());
  const int min = p_.min_size, max = p_.max_size;
  auto fail_all = [&](const std::string& reason) {
    for (int i : eligible_) reason_[i] = reason;
    return false;
  };
  if (placeable == 0) return false;
  if (placeable < min) {
    return fail_all(absl::StrCat(placeable, placeable == 1 ? " firm" : " firms",
                                 " with topic text cannot form a group of at least ", min));
  }
  int g_conv = placeable;
  if (k_conv_ >= 2) {
    if (max < k_conv_) {
      return fail_all(absl::StrCat("a group of at most ", max, " firms cannot span ", k_conv_,
                                   " mini-clusters"));
    }
    std::vector<int> per_mc;
    for (int i : eligible_) {
      if (mc_[i] < 0) continue;
      if (mc_[i] >= static_cast<int>(per_mc.size())) per_mc.resize(mc_[i] + 1, 0);
      ++per_mc[mc_[i]];
    }
    const int spanned =
        static_cast<int>(std::count_if(per_mc.begin(), per_mc.end(), [](int c) { return c > 0; }));
    if (spanned < k_conv_) {
      return fail_all(absl::StrCat("the firms span only ", spanned,
                                   spanned == 1 ? " mini-cluster" : " mini-clusters",
                                   " but every group must span ", k_conv_));
    }
    g_conv = MaxConvergentGroups(per_mc, k_conv_, placeable);
  }
  const int lo = (placeable + max - 1) / max;
  const int hi = placeable / min;
  int g;
  if (p_.groups > 0) {
    g = std::min(p_.groups, hi);
  } else {
    const int target = static_cast<int>(std::lround(placeable / ((min + max) / 2.0)));
    g = lo > hi ? hi : std::clamp(target, lo, hi);
  }
  if (g_conv < g) {
    g = g_conv;
    g_limited_by_convergence_ = true;
  }
  g_ = std::max(1, g);
  max_groups_ = std::min(p_.groups > 0 ? p_.groups : hi, g_conv);
  return true;
}

absl::Status SigSolver::SeedCentroids(uint64_t seed, std::vector<float>& centroids) {
  const int m = static_cast<int>(eligible_.size());
  std::vector<float> data(static_cast<size_t>(m) * d_);
  for (int r = 0; r < m; ++r) {
    std::copy_n(x_.data() + static_cast<size_t>(eligible_[r]) * d_, d_,
                data.data() + static_cast<size_t>(r) * d_);
  }
  centroids.assign(static_cast<size_t>(g_) * d_, 0.0f);
  if (g_ == 1) {
    for (int r = 0; r < m; ++r) {
      for (int c = 0; c < d_; ++c) centroids[c] += data[static_cast<size_t>(r) * d_ + c];
    }
    return absl::OkStatus();
  }
  try {
    faiss::ClusteringParameters params;
    params.niter = static_cast<double>(m) * g_ > 2e5 ? 12 : 25;
    params.spherical = true;
    params.verbose = false;
    params.min_points_per_centroid = 1;        // no warning for small groups
    params.max_points_per_centroid = 1 << 20;  // never subsample
    params.seed = static_cast<int>((seed ^ (seed >> 32)) & 0x7fffffff);
    faiss::Clustering clustering(d_, g_, params);
    faiss::IndexFlatIP index(d_);
    // Faiss runs its loops under OpenMP: one thread here (the setting is
    // per calling thread) keeps the result deterministic and avoids
    // spinning OpenMP teams on a busy machine.
    const int threads = omp_get_max_threads();
    omp_set_num_threads(1);
    try {
      clustering.train(m, data.data(), index);
    } catch (...) {
      omp_set_num_threads(threads);
      throw;
    }
    omp_set_num_threads(threads);
    centroids = clustering.centroids;
  } catch (const faiss::FaissException& e) {
    return absl::InternalError(absl::StrCat("faiss k-means: ", e.what()));
  }
  return absl::OkStatus();
}

// Firms with the clearest preference (largest gap between their best and
// second-best centroid) choose first; each takes the most similar centroid
// whose group has room and holds no do-not-match partner.
void SigSolver::AssignGreedily(const std::vector<float>& centroids) {
  const int m = static_cast<int>(eligible_.size());
  std::vector<float> data(static_cast<size_t>(m) * d_);
  for (int r = 0; r < m; ++r) {
    std::copy_n(x_.data() + static_cast<size_t>(eligible_[r]) * d_, d_,
                data.data() + static_cast<size_t>(r) * d_);
  }
  std::vector<float> sims(static_cast<size_t>(m) * g_);
  MultiplyTransposed(data.data(), m, centroids.data(), g_, d_, sims.data());

  std::vector<std::vector<int>> order(m);
  std::vector<double> regret(m, 0);
  for (int r = 0; r < m; ++r) {
    const float* row = sims.data() + static_cast<size_t>(r) * g_;
    order[r].resize(g_);
    std::iota(order[r].begin(), order[r].end(), 0);
    std::sort(order[r].begin(), order[r].end(),
              [row](int a, int b) { return row[a] != row[b] ? row[a] > row[b] : a < b; });
    if (g_ >= 2) regret[r] = row[order[r][0]] - row[order[r][1]];
  }
  std::vector<int> firms(m);
  std::iota(firms.begin(), firms.end(), 0);
  std::sort(firms.begin(), firms.end(),
            [&](int a, int b) { return regret[a] != regret[b] ? regret[a] > regret[b] : a < b; });
  members_.assign(g_, {});
  for (int r : firms) {
    const int i = eligible_[r];
    for (int group : order[r]) {
      if (Size(group) >= p_.max_size || Conflicts(i, group, -1)) continue;
      members_[group].push_back(i);
      group_of_[i] = group;
      break;
    }
  }
}

void SigSolver::InitDots() {
  stride_ = g_;
  std::vector<float> sums(static_cast<size_t>(g_) * d_, 0.0f);
  for (int group = 0; group < g_; ++group) {
    float* sum = sums.data() + static_cast<size_t>(group) * d_;
    for (int i : members_[group]) {
      const float* row = x_.data() + static_cast<size_t>(i) * d_;
      for (int c = 0; c < d_; ++c) sum[c] += row[c];
    }
  }
  std::vector<float> products(static_cast<size_t>(n_) * g_);
  MultiplyTransposed(x_.data(), n_, sums.data(), g_, d_, products.data());
  dots_.assign(products.begin(), products.end());
  sq_.assign(g_, 0.0);
  for (int group = 0; group < g_; ++group) {
    for (int i : members_[group]) sq_[group] += Dot(i, group);
  }
}

void SigSolver::InitGram() {
  if (n_ <= kFullGramMaxFirms) {
    gram_full_.resize(static_cast<size_t>(n_) * n_);
    MultiplyTransposed(x_.data(), n_, x_.data(), n_, d_, gram_full_.data());
  } else {
    gram_cols_.assign(n_, {});
  }
}

const float* SigSolver::Column(int i) {
  if (!gram_full_.empty()) return gram_full_.data() + static_cast<size_t>(i) * n_;
  if (gram_cols_[i].empty()) {
    std::vector<float> column(n_);
    faiss::fvec_inner_products_ny(column.data(), x_.data() + static_cast<size_t>(i) * d_, x_.data(),
                                  d_, n_);
    if (gram_cached_bytes_ + n_ * sizeof(float) > kGramCacheBytes) {
      // Over budget: keep one scratch column only.
      for (auto& cached : gram_cols_) std::vector<float>().swap(cached);
      gram_cached_bytes_ = 0;
    }
    gram_cached_bytes_ += n_ * sizeof(float);
    gram_cols_[i] = std::move(column);
  }
  return gram_cols_[i].data();
}

}  // namespace sig_internal
}  // namespace clustermatch
