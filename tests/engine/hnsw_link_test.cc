// HnswLinkRow (engine/hnsw_link.h), the project's rewrite of Faiss's HNSW
// insertion: the graphs it links are well formed, connected, and find the
// true neighbours as well as graphs linked by Faiss's own add_with_locks on
// the same rows, with float rows and SQ8 codes, on one thread and on two.
#include "engine/hnsw_link.h"

#include <faiss/IndexHNSW.h>
#include <faiss/impl/AuxIndexStructures.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "engine/hnsw_beam_search.h"
#include "engine/simd_flat_storage.h"
#include "engine/sq8_storage.h"
#include "engine/vector_kernels.h"

namespace clustermatch {
namespace {

constexpr size_t kDim = 32;
constexpr size_t kRows = 4000;
constexpr size_t kQueries = 200;
constexpr size_t kK = 10;

// Unit rows around 80 topic centres, the last kQueries of them held out as
// queries.
std::vector<float> ClusteredRows(size_t n) {
  std::mt19937 rng(11);
  std::normal_distribution<float> normal;
  std::vector<float> centres(80 * kDim);
  for (float& v : centres) v = normal(rng);
  std::uniform_int_distribution<size_t> centre(0, 79);
  std::vector<float> rows(n * kDim);
  for (size_t r = 0; r < n; ++r) {
    const size_t c = centre(rng);
    double norm = 0;
    for (size_t i = 0; i < kDim; ++i) {
      float& v = rows[r * kDim + i];
      v = centres[c * kDim + i] + 1.5f * normal(rng);
      norm += static_cast<double>(v) * v;
    }
    for (size_t i = 0; i < kDim; ++i) rows[r * kDim + i] /= static_cast<float>(std::sqrt(norm));
  }
  return rows;
}

enum class Linker { kOurs, kFaiss };

// A graph over the first kRows rows, linked by `linker` the way FieldIndex
// does: levels drawn by Faiss, the highest level first, each level's rows on
// `threads` threads.
struct Graph {
  std::unique_ptr<SimdFlatStorage> floats;
  std::unique_ptr<Sq8Storage> codes;
  faiss::HNSW hnsw{8};  // M = 8: 16 links on layer 0, so lists fill and are pruned
};

std::unique_ptr<Graph> Link(const std::vector<float>& rows, Linker linker, bool sq8, int threads) {
  auto graph = std::make_unique<Graph>();
  graph->floats = std::make_unique<SimdFlatStorage>(kDim);
  graph->floats->add(kRows, rows.data());
  if (sq8) {
    graph->codes = std::make_unique<Sq8Storage>(kDim);
    graph->codes->Train(rows.data(), kRows);
    graph->codes->add(kRows, rows.data());
  }
  faiss::HNSW& hnsw = graph->hnsw;
  hnsw.efConstruction = 40;
  hnsw.prepare_level_tab(kRows, false);
  std::vector<omp_lock_t> locks(kRows);
  for (omp_lock_t& lock : locks) omp_init_lock(&lock);
  std::vector<std::pair<int, int>> order;
  for (size_t i = 0; i < kRows; ++i) order.emplace_back(hnsw.levels[i] - 1, static_cast<int>(i));
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (size_t begin = 0; begin < order.size();) {
    size_t end = begin;
    while (end < order.size() && order[end].first == order[begin].first) ++end;
#pragma omp parallel num_threads(threads)
    {
      faiss::VisitedTable visited(static_cast<int>(kRows));
      std::unique_ptr<faiss::DistanceComputer> distance =
          sq8 ? NewNegatedSq8InnerProduct(*graph->codes) : NewNegatedInnerProduct(*graph->floats);
#pragma omp for schedule(dynamic, 8)
      for (size_t i = begin; i < end; ++i) {
        const int row = order[i].second;
        const float* query = rows.data() + static_cast<size_t>(row) * kDim;
        if (linker == Linker::kFaiss) {
          distance->set_query(query);
          hnsw.add_with_locks(*distance, order[i].first, row, locks, visited);
        } else if (sq8) {
          HnswLinkRow(hnsw, locks, *graph->codes, row, query);
        } else {
          HnswLinkRow(hnsw, locks, graph->floats->get_xb(), kDim, row, query);
        }
      }
    }
    begin = end;
  }
  for (omp_lock_t& lock : locks) omp_destroy_lock(&lock);
  return graph;
}

// Each list holds distinct other rows, packed before its -1 padding.
void ExpectWellFormed(const faiss::HNSW& hnsw) {
  ASSERT_GE(hnsw.entry_point, 0);
  EXPECT_EQ(hnsw.levels[hnsw.entry_point] - 1, hnsw.max_level);
  for (size_t row = 0; row < kRows; ++row) {
    for (int level = 0; level < hnsw.levels[row]; ++level) {
      size_t begin = 0, end = 0;
      hnsw.neighbor_range(static_cast<faiss::HNSW::idx_t>(row), level, &begin, &end);
      std::set<int> seen;
      bool padding = false;
      for (size_t i = begin; i < end; ++i) {
        const int other = hnsw.neighbors[i];
        if (other < 0) {
          padding = true;
          continue;
        }
        ASSERT_FALSE(padding) << "row " << row << " level " << level << ": link after padding";
        ASSERT_LT(static_cast<size_t>(other), kRows);
        ASSERT_NE(static_cast<size_t>(other), row) << "self link";
        ASSERT_GE(hnsw.levels[other], level + 1) << "link to a row without this level";
        ASSERT_TRUE(seen.insert(other).second) << "row " << row << " links " << other << " twice";
      }
    }
  }
}

// Rows reachable on layer 0 from the entry point.
size_t Reachable(const faiss::HNSW& hnsw) {
  std::vector<bool> seen(kRows, false);
  std::vector<int> stack = {hnsw.entry_point};
  seen[static_cast<size_t>(hnsw.entry_point)] = true;
  size_t count = 1;
  while (!stack.empty()) {
    const int row = stack.back();
    stack.pop_back();
    size_t begin = 0, end = 0;
    hnsw.neighbor_range(row, 0, &begin, &end);
    for (size_t i = begin; i < end && hnsw.neighbors[i] >= 0; ++i) {
      const auto other = static_cast<size_t>(hnsw.neighbors[i]);
      if (!seen[other]) {
        seen[other] = true;
        ++count;
        stack.push_back(hnsw.neighbors[i]);
      }
    }
  }
  return count;
}

// Recall@10 of a beam search at ef 24 against exact inner products.
double Recall(const Graph& graph, const std::vector<float>& rows) {
  size_t hits = 0;
  std::vector<float> scores(kRows);
  for (size_t q = 0; q < kQueries; ++q) {
    const float* query = rows.data() + (kRows + q) * kDim;
    InnerProductRows(query, rows.data(), kRows, kDim, scores.data());
    std::nth_element(scores.begin(), scores.begin() + (kK - 1), scores.end(),
                     std::greater<float>());
    const float kth = scores[kK - 1];
    const std::vector<ScoredRow> found =
        HnswBeamSearch(graph.hnsw, rows.data(), kDim, query, kK, 24, nullptr);
    for (const ScoredRow& row : found) hits += row.score >= kth ? 1 : 0;
  }
  return static_cast<double>(hits) / (kQueries * kK);
}

struct Case {
  bool sq8;
  int threads;
};

class HnswLinkTest : public ::testing::TestWithParam<Case> {};

TEST_P(HnswLinkTest, LinksAWellFormedConnectedGraphThatFindsNeighboursAsWellAsFaiss) {
  const Case c = GetParam();
  const std::vector<float> rows = ClusteredRows(kRows + kQueries);
  const std::unique_ptr<Graph> ours = Link(rows, Linker::kOurs, c.sq8, c.threads);
  const std::unique_ptr<Graph> faiss = Link(rows, Linker::kFaiss, c.sq8, c.threads);
  ExpectWellFormed(ours->hnsw);
  EXPECT_EQ(Reachable(ours->hnsw), kRows);
  // Pruning ran: some layer-0 lists are full, none beyond capacity (checked
  // above), and the heuristic left most rows fewer links than that.
  size_t full = 0, links = 0;
  for (size_t row = 0; row < kRows; ++row) {
    size_t begin = 0, end = 0;
    ours->hnsw.neighbor_range(static_cast<faiss::HNSW::idx_t>(row), 0, &begin, &end);
    size_t count = 0;
    while (begin + count < end && ours->hnsw.neighbors[begin + count] >= 0) ++count;
    full += count == end - begin ? 1 : 0;
    links += count;
  }
  EXPECT_GT(full, 0u);
  EXPECT_LT(links, kRows * 16);
  const double ours_recall = Recall(*ours, rows);
  const double faiss_recall = Recall(*faiss, rows);
  RecordProperty("recall_ours", std::to_string(ours_recall));
  RecordProperty("recall_faiss", std::to_string(faiss_recall));
  EXPECT_GE(ours_recall, 0.8);
  EXPECT_GE(ours_recall, faiss_recall - 0.02) << "Faiss's add_with_locks: " << faiss_recall;
}

INSTANTIATE_TEST_SUITE_P(RowsAndThreads, HnswLinkTest,
                         ::testing::Values(Case{false, 1}, Case{false, 2}, Case{true, 1},
                                           Case{true, 2}),
                         [](const auto& info) {
                           return std::string(info.param.sq8 ? "Sq8" : "Float") +
                                  std::to_string(info.param.threads) + "Threads";
                         });

}  // namespace
}  // namespace clustermatch
