#include "engine/partner_model.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "absl/container/flat_hash_set.h"

namespace clustermatch {
namespace {

bool ShareCluster(const Firm& a, const Firm& b) {
  if (!a.mini_cluster.empty() && a.mini_cluster == b.mini_cluster) return true;
  for (const std::string& cluster : a.clusters) {
    if (std::find(b.clusters.begin(), b.clusters.end(), cluster) != b.clusters.end()) return true;
  }
  return false;
}

float Log1p(double x) { return static_cast<float>(std::log1p(x)); }

// Keeps the `count` entries with the highest score; `items` is reordered.
template <typename T, typename Score>
void KeepBest(std::vector<T>& items, size_t count, Score score) {
  if (items.size() <= count) return;
  std::nth_element(items.begin(), items.begin() + static_cast<std::ptrdiff_t>(count), items.end(),
                   [&](const T& a, const T& b) { return score(a) > score(b); });
  items.resize(count);
}

}  // namespace

std::unique_ptr<PartnerModel::Graph> PartnerModel::BuildGraph(const FirmCatalog& catalog,
                                                              std::span<const Relation> relations,
                                                              const PartnerModelOptions& options,
                                                              int before_year) {
  auto out = std::make_unique<Graph>();
  // Nodes: catalogued firms with a partnered relation in the cut, in id order.
  absl::flat_hash_set<std::string_view> partnered;
  for (const Relation& relation : relations) {
    if (relation.kind != RelationKind::kPartnered || relation.a == relation.b) continue;
    const int year = RelationYear(relation.date);
    if (before_year > 0 && (year == 0 || year >= before_year)) continue;
    partnered.insert(relation.a);
    partnered.insert(relation.b);
  }
  for (const auto& [id, key] : catalog.ids()) {
    if (!partnered.contains(id)) continue;
    const auto node = static_cast<int32_t>(out->key_of_node.size());
    out->node_of_id.emplace(id, node);
    out->node_of_key.emplace(key, node);
    out->key_of_node.push_back(key);
  }
  const auto n = static_cast<int32_t>(out->key_of_node.size());
  out->graph = PartnerGraph::Build(relations, out->node_of_id, n, before_year);
  out->embedding = RelationalEmbedding::Build(out->graph, options.embedding);
  out->popular.resize(static_cast<size_t>(n));
  for (int32_t node = 0; node < n; ++node) out->popular[node] = node;
  std::stable_sort(out->popular.begin(), out->popular.end(), [&](int32_t a, int32_t b) {
    return out->graph.Degree(a) > out->graph.Degree(b);
  });
  const size_t keep = std::min<size_t>(
      out->popular.size(), static_cast<size_t>(std::max(options.popular_candidates, 0)));
  out->popular.resize(keep);
  out->recent_since = out->graph.latest_year() > 0 ? out->graph.latest_year() - 1 : 0;
  return out;
}

PartnerModel::Query PartnerModel::PrepareOn(const Graph& graph, int64_t key) {
  Query query;
  auto it = graph.node_of_key.find(key);
  if (it == graph.node_of_key.end()) return query;
  query.node = it->second;
  std::vector<float> scratch(static_cast<size_t>(graph.graph.node_count()), 0.0f);
  graph.graph.TwoHop(query.node, graph.recent_since, scratch, query.two_hop);
  query.two_hop_index.reserve(query.two_hop.nodes.size());
  for (size_t i = 0; i < query.two_hop.nodes.size(); ++i) {
    query.two_hop_index.emplace(query.two_hop.nodes[i], static_cast<int32_t>(i));
  }
  return query;
}

std::vector<int64_t> PartnerModel::CandidatesOn(const Graph& graph, const Query& query,
                                                const PartnerModelOptions& options) {
  std::vector<int64_t> keys;
  for (int32_t node : graph.popular) keys.push_back(graph.key_of_node[node]);
  if (query.node < 0) return keys;
  std::vector<int32_t> positions(query.two_hop.nodes.size());
  for (size_t i = 0; i < positions.size(); ++i) positions[i] = static_cast<int32_t>(i);
  KeepBest(positions, static_cast<size_t>(std::max(options.two_hop_candidates, 0)),
           [&](int32_t i) { return query.two_hop.adamic_adar[i]; });
  for (int32_t i : positions) keys.push_back(graph.key_of_node[query.two_hop.nodes[i]]);
  for (const auto& [node, cosine] :
       graph.embedding.Nearest(query.node, options.relational_candidates)) {
    keys.push_back(graph.key_of_node[node]);
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

BlendFeatures PartnerModel::FeaturesOn(const Graph& graph, const Query& query,
                                       const Firm& query_firm, int64_t candidate,
                                       const Firm& candidate_firm, const ContentScores& text) {
  BlendFeatures x{};
  auto at = [&x](BlendSignal signal) -> float& { return x[static_cast<int>(signal)]; };
  at(BlendSignal::kContent) = std::max(text.content, 0.0f);
  at(BlendSignal::kTopic) = std::max(text.topic, 0.0f);
  at(BlendSignal::kSameKind) =
      query_firm.kind != FirmKind::kUnspecified && query_firm.kind == candidate_firm.kind;
  at(BlendSignal::kSameRegion) =
      !query_firm.region.empty() && query_firm.region == candidate_firm.region;
  at(BlendSignal::kSameCluster) = ShareCluster(query_firm, candidate_firm);
  const int32_t query_degree = query.node >= 0 ? graph.graph.Degree(query.node) : 0;
  at(BlendSignal::kQueryPopularity) = Log1p(query_degree);
  auto node = graph.node_of_key.find(candidate);
  if (node == graph.node_of_key.end()) return x;
  const int32_t c = node->second;
  at(BlendSignal::kPopularity) = Log1p(graph.graph.Degree(c));
  at(BlendSignal::kRecentPopularity) = Log1p(graph.graph.RecentDegree(c, graph.recent_since));
  if (query.node < 0) return x;
  at(BlendSignal::kRelational) = graph.embedding.Cosine(query.node, c);
  auto hop = query.two_hop_index.find(c);
  if (hop != query.two_hop_index.end()) {
    const float common = query.two_hop.common[hop->second];
    at(BlendSignal::kCommonPartners) = Log1p(common);
    at(BlendSignal::kAdamicAdar) = query.two_hop.adamic_adar[hop->second];
    at(BlendSignal::kCommonShare) = common / static_cast<float>(std::max(query_degree, 1));
    at(BlendSignal::kRepeatedCommon) = query.two_hop.repeated[hop->second];
    at(BlendSignal::kRecentCommon) = Log1p(query.two_hop.recent[hop->second]);
    at(BlendSignal::kJaccard) =
        common / static_cast<float>(query_degree + graph.graph.Degree(c) - common);
  }
  return x;
}

int PartnerModel::CommonPartners(const Query& query, int64_t candidate) const {
  auto node = graph_->node_of_key.find(candidate);
  if (node == graph_->node_of_key.end()) return 0;
  auto hop = query.two_hop_index.find(node->second);
  return hop == query.two_hop_index.end() ? 0 : static_cast<int>(query.two_hop.common[hop->second]);
}

std::optional<BlendWeights> PartnerModel::Learn(const FirmCatalog& catalog,
                                                std::span<const Relation> relations,
                                                const ContentSide& content,
                                                const PartnerModelOptions& options) {
  int latest = 0;
  for (const Relation& relation : relations) {
    if (relation.kind == RelationKind::kPartnered) {
      latest = std::max(latest, RelationYear(relation.date));
    }
  }
  if (latest == 0) return std::nullopt;
  const int split = latest - std::max(options.validation_years, 1) + 1;
  const std::unique_ptr<Graph> past = BuildGraph(catalog, relations, options, split);
  // Positives: pairs that first partnered in the latest year, both already
  // in the past graph.
  absl::flat_hash_map<int32_t, absl::flat_hash_set<int32_t>> positives;
  for (const Relation& relation : relations) {
    if (relation.kind != RelationKind::kPartnered || RelationYear(relation.date) < split) {
      continue;
    }
    auto a = past->node_of_id.find(relation.a);
    auto b = past->node_of_id.find(relation.b);
    if (a == past->node_of_id.end() || b == past->node_of_id.end() || a->second == b->second ||
        past->graph.Partnered(a->second, b->second)) {
      continue;
    }
    positives[a->second].insert(b->second);
    positives[b->second].insert(a->second);
  }
  std::vector<int32_t> queries;
  for (const auto& [node, partners] : positives) queries.push_back(node);
  std::sort(queries.begin(), queries.end());
  if (static_cast<int>(queries.size()) > options.max_validation_queries) {
    std::mt19937_64 shuffle(options.embedding.seed);
    std::shuffle(queries.begin(), queries.end(), shuffle);
    queries.resize(static_cast<size_t>(options.max_validation_queries));
    std::sort(queries.begin(), queries.end());
  }
  std::vector<BlendFeatures> features;
  std::vector<uint8_t> labels;
  int64_t positive_count = 0;
  for (int32_t node : queries) {
    const int64_t key = past->key_of_node[node];
    const Firm& query_firm = *catalog.ByKey(key);
    const Query query = PrepareOn(*past, key);
    std::vector<int64_t> candidates = CandidatesOn(*past, query, options);
    if (content.candidates) {
      for (int64_t found : content.candidates(key)) candidates.push_back(found);
    }
    std::sort(candidates.begin(), candidates.end());
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
    const absl::flat_hash_set<int32_t>& truth = positives[node];
    for (int64_t candidate : candidates) {
      if (candidate == key) continue;
      auto c = past->node_of_key.find(candidate);
      if (c != past->node_of_key.end() && past->graph.Partnered(node, c->second)) continue;
      const Firm* candidate_firm = catalog.ByKey(candidate);
      if (candidate_firm == nullptr) continue;
      const ContentScores text = content.score ? content.score(key, candidate) : ContentScores{};
      features.push_back(FeaturesOn(*past, query, query_firm, candidate, *candidate_firm, text));
      const bool positive = c != past->node_of_key.end() && truth.contains(c->second);
      labels.push_back(positive);
      positive_count += positive;
    }
  }
  if (positive_count < options.min_validation_positives ||
      static_cast<int>(queries.size()) < options.min_validation_queries ||
      positive_count == static_cast<int64_t>(labels.size())) {
    return std::nullopt;
  }
  BlendWeights weights = FitBlend(features, labels, options.fit);
  weights.queries = static_cast<int>(queries.size());
  weights.validation_year = split;
  return weights;
}

std::shared_ptr<const PartnerModel> PartnerModel::Build(const FirmCatalog& catalog,
                                                        std::span<const Relation> relations,
                                                        const ContentSide& content,
                                                        const PartnerModelOptions& options,
                                                        const std::optional<BlendWeights>* keep) {
  std::shared_ptr<PartnerModel> model(new PartnerModel());
  model->options_ = options;
  model->graph_ = BuildGraph(catalog, relations, options, 0);
  for (const Relation& relation : relations) {
    model->relation_count_ += relation.kind == RelationKind::kPartnered;
  }
  if (keep != nullptr) {
    model->weights_ = *keep;
  } else {
    model->weights_ = Learn(catalog, relations, content, options);
  }
  return model;
}

}  // namespace clustermatch
