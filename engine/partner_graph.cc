#include "engine/partner_graph.h"

#include <algorithm>
#include <cmath>

namespace clustermatch {

int RelationYear(const std::string& date) {
  if (date.size() < 4) return 0;
  int year = 0;
  for (int i = 0; i < 4; ++i) {
    if (date[i] < '0' || date[i] > '9') return 0;
    year = year * 10 + (date[i] - '0');
  }
  return year;
}

PartnerGraph PartnerGraph::Build(std::span<const Relation> relations,
                                 const absl::flat_hash_map<std::string, int32_t>& node_of,
                                 int32_t node_count, int before_year) {
  struct Half {
    int32_t from, to, year;
  };
  std::vector<Half> halves;
  PartnerGraph graph;
  for (const Relation& relation : relations) {
    if (relation.kind != RelationKind::kPartnered) continue;
    const int year = RelationYear(relation.date);
    if (before_year > 0 && (year == 0 || year >= before_year)) continue;
    auto a = node_of.find(relation.a);
    auto b = node_of.find(relation.b);
    if (a == node_of.end() || b == node_of.end() || a->second == b->second) continue;
    halves.push_back({a->second, b->second, year});
    halves.push_back({b->second, a->second, year});
    graph.latest_year_ = std::max(graph.latest_year_, year);
  }
  std::sort(halves.begin(), halves.end(), [](const Half& x, const Half& y) {
    return x.from != y.from ? x.from < y.from : x.to < y.to;
  });
  std::vector<int32_t> counts(static_cast<size_t>(node_count), 0);
  for (size_t i = 0; i < halves.size(); ++i) {
    const Half& half = halves[i];
    if (i > 0 && halves[i - 1].from == half.from && halves[i - 1].to == half.to) {
      PartnerEdge& edge = graph.edges_.back();
      ++edge.count;
      edge.last_year = std::max(edge.last_year, half.year);
      continue;
    }
    graph.edges_.push_back({half.to, 1, half.year});
    ++counts[half.from];
  }
  graph.offsets_.assign(static_cast<size_t>(node_count) + 1, 0);
  for (int32_t node = 0; node < node_count; ++node) {
    graph.offsets_[node + 1] = graph.offsets_[node] + counts[node];
  }
  return graph;
}

int32_t PartnerGraph::RecentDegree(int32_t node, int since_year) const {
  int32_t count = 0;
  for (const PartnerEdge& edge : Partners(node)) count += edge.last_year >= since_year;
  return count;
}

bool PartnerGraph::Partnered(int32_t a, int32_t b) const {
  const auto partners = Partners(a);
  auto it =
      std::lower_bound(partners.begin(), partners.end(), b,
                       [](const PartnerEdge& edge, int32_t node) { return edge.node < node; });
  return it != partners.end() && it->node == b;
}

void PartnerGraph::TwoHop(int32_t node, int since_year, std::vector<float>& scratch,
                          TwoHopScores& out) const {
  out.nodes.clear();
  for (const PartnerEdge& via : Partners(node)) {
    for (const PartnerEdge& next : Partners(via.node)) {
      if (next.node == node) continue;
      if (scratch[next.node] == 0) out.nodes.push_back(next.node);
      scratch[next.node] += 1;
    }
  }
  // One pass per weighting of the common partners `via`; each leaves the
  // scratch zeroed.
  auto collect = [&](std::vector<float>& values, auto weight_of) {
    if (&values != &out.common) {
      for (const PartnerEdge& via : Partners(node)) {
        const float weight = weight_of(via);
        if (weight == 0) continue;
        for (const PartnerEdge& next : Partners(via.node)) {
          if (next.node != node) scratch[next.node] += weight;
        }
      }
    }
    values.resize(out.nodes.size());
    for (size_t i = 0; i < out.nodes.size(); ++i) {
      values[i] = scratch[out.nodes[i]];
      scratch[out.nodes[i]] = 0;
    }
  };
  collect(out.common, [](const PartnerEdge&) { return 1.0f; });
  collect(out.adamic_adar, [this](const PartnerEdge& via) {
    return 1.0f / std::log(static_cast<float>(std::max(Degree(via.node), 2)));
  });
  collect(out.repeated,
          [](const PartnerEdge& via) { return std::log1p(static_cast<float>(via.count)); });
  collect(out.recent, [since_year](const PartnerEdge& via) {
    return via.last_year >= since_year ? 1.0f : 0.0f;
  });
}

}  // namespace clustermatch
