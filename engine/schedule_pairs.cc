// Phase 1 of the meeting scheduler (see schedule_slots.cc): which pairs
// meet, chosen without looking at slots. Must-meet pairs, then the best pairs
// greedily under the caps, then augmenting paths that lift attendees short of
// their floor target, then three-pair paths that raise the total score.
#include <algorithm>
#include <vector>

#include "engine/schedule_model.h"

namespace clustermatch {
namespace {

// Phase 1c: weight-raising alternating paths of three pairs: u (spare cap)
// adds (u, v); v, full, drops (v, w); w adds its best pair (w, x) to an x
// with spare cap. Taken when the total score rises; no degree falls, so
// the floor stays where it was.
void AugmentWeight(const ScheduleModel& m, std::vector<bool>& chosen, std::vector<int>& degree) {
  auto other = [&](int e, int i) { return m.edges[e].a == i ? m.edges[e].b : m.edges[e].a; };
  for (int round = 0; round < 6; ++round) {
    bool improved = false;
    for (int u = 0; u < m.attendees; ++u) {
      for (int e1 : m.incident[u]) {
        if (degree[u] >= m.cap[u]) break;
        if (chosen[e1]) continue;
        const int v = other(e1, u);
        if (degree[v] < m.cap[v]) {
          chosen[e1] = true, ++degree[u], ++degree[v], improved = true;
          continue;
        }
        double best_gain = 1e-12;
        int best_g = -1, best_e2 = -1;
        for (int g : m.incident[v]) {
          if (!chosen[g] || m.edges[g].must) continue;
          if (m.edges[g].score >= m.edges[e1].score + m.edges[0].score) continue;
          const int w = other(g, v);
          if (w == u) continue;
          for (int e2 : m.incident[w]) {  // best first: the first fit is w's best
            if (chosen[e2]) continue;
            const int x = other(e2, w);
            if (x == u || x == v || degree[x] >= m.cap[x]) continue;
            const double gain = m.edges[e1].score - m.edges[g].score + m.edges[e2].score;
            if (gain > best_gain) best_gain = gain, best_g = g, best_e2 = e2;
            break;
          }
        }
        if (best_g < 0) continue;
        const int w = other(best_g, v), x = other(best_e2, w);
        chosen[e1] = true, chosen[best_g] = false, chosen[best_e2] = true;
        ++degree[u], ++degree[x];
        (void)w;
        improved = true;
      }
    }
    if (!improved) break;
  }
}

}  // namespace

// Attendees in the order the floor repairs visit them: most boosted first.
std::vector<int> FloorOrder(const std::vector<int>& boost) {
  std::vector<int> order(boost.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) { return boost[x] > boost[y]; });
  return order;
}

// Phase 1: must-meet pairs, then the best pairs under the caps.
std::vector<bool> ChoosePairs(const ScheduleModel& m, const std::vector<int>& boost) {
  std::vector<bool> chosen(m.edges.size(), false);
  std::vector<int> degree = m.fixed_degree;
  // Pass 0: must-meet pairs; pass 1: pairs that lift a boosted attendee (one
  // that fell short in an earlier attempt) to its target; pass 2: the rest.
  auto lifts = [&](int i) { return boost[i] > 0 && degree[i] < m.target[i]; };
  for (int pass = 0; pass < 3; ++pass) {
    for (size_t e = 0; e < m.edges.size(); ++e) {
      const ScheduleEdge& x = m.edges[e];
      if (chosen[e] || degree[x.a] >= m.cap[x.a] || degree[x.b] >= m.cap[x.b]) continue;
      if (pass == 0 && !x.must) continue;
      if (pass == 1 && !lifts(x.a) && !lifts(x.b)) continue;
      chosen[e] = true;
      ++degree[x.a];
      ++degree[x.b];
    }
  }
  // Augmenting paths from each attendee short of its target: BFS over
  // "add an unchosen pair to v, then drop a chosen non-must pair of v".
  const int n = m.attendees;
  std::vector<int> came_by(n), parent(n), seen(n, -1);
  std::vector<int> queue;
  int stamp = 0;  // one per search
  for (int u : FloorOrder(boost)) {
    while (degree[u] < m.target[u]) {
      ++stamp;
      queue.assign(1, u);
      seen[u] = stamp;
      int end = -1, end_edge = -1;  // end: gains via end_edge, or loses end_edge
      bool end_gains = false;
      for (size_t head = 0; head < queue.size() && end < 0; ++head) {
        const int x = queue[head];
        for (int e : m.incident[x]) {
          if (chosen[e]) continue;
          const int v = m.edges[e].a == x ? m.edges[e].b : m.edges[e].a;
          if (seen[v] == stamp) continue;
          if (degree[v] < m.cap[v]) {
            end = v, end_edge = e, end_gains = true;
            parent[v] = x;
            break;
          }
          // v is full: drop one of its chosen pairs (v, w).
          for (int g : m.incident[v]) {
            if (!chosen[g] || m.edges[g].must) continue;
            const int w = m.edges[g].a == v ? m.edges[g].b : m.edges[g].a;
            if (seen[w] == stamp || w == x) continue;
            seen[v] = stamp;
            parent[v] = x;
            came_by[v] = e;
            seen[w] = stamp;
            parent[w] = v;
            came_by[w] = g;
            if (degree[w] > m.target[w]) {
              end = w, end_edge = g, end_gains = false;
              break;
            }
            queue.push_back(w);
          }
          if (end >= 0) break;
        }
      }
      if (end < 0) break;  // no path: u stays short
      // Flip the path back to u.
      int node = end;
      if (end_gains) {
        chosen[end_edge] = true;
        ++degree[end];
        node = parent[end];
      } else {
        chosen[end_edge] = false;
        --degree[end];
        node = parent[end];  // v, which keeps its degree
        chosen[came_by[node]] = true;
        node = parent[node];
      }
      while (node != u) {  // node is a w reached by dropping came_by[node]
        chosen[came_by[node]] = false;
        const int v = parent[node];
        chosen[came_by[v]] = true;
        node = parent[v];
      }
      ++degree[u];
    }
  }
  AugmentWeight(m, chosen, degree);
  return chosen;
}

}  // namespace clustermatch
