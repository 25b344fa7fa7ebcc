// The upper bound on a schedule's utility reported next to it
// (ScheduleQuality::upper_bound), from the LP relaxation's dual.
//
// Proof. Let c_i = cap_i - fixed_degree_i (meetings attendee i may still
// hold), T = sum of tables over slots minus the fixed meetings (meetings that
// may still be placed), and E the candidate edges with scores w_e >= 0. The
// new meetings of any valid schedule are a set M of edges with at most c_i
// edges at each i and |M| <= T, so x = indicator(M) is feasible for
//   LP: max sum_e w_e x_e  s.t.  sum_{e at i} x_e <= c_i,  sum_e x_e <= T,
//       0 <= x_e <= 1.
// (Slots, availability and the floor only remove schedules, so dropping them
// only raises the maximum.) Its dual is
//   min sum_i c_i y_i + T t + sum_e z_e  s.t.  y_a + y_b + t + z_e >= w_e,
//       y, t, z >= 0.
// For any y, t >= 0, z_e = max(0, w_e - y_a - y_b - t) is dual feasible, so
// by weak duality D(y, t) = sum_i c_i y_i + T t + sum_e z_e >= LP >= w(M).
// We pick y, t by exact coordinate descent on D (each step can only lower
// D), but any y, t >= 0 gives a valid bound, so convergence does not matter.
// We also take the simpler bound H = 1/2 sum_i (the sum of i's best c_i
// incident scores): w(M) = 1/2 sum_i sum_{e in M at i} w_e <= H, since i has
// at most c_i edges in M. The reported bound is min(D, H) plus the fixed
// meetings' scores, which every schedule holds.
#include <algorithm>
#include <functional>
#include <vector>

#include "engine/schedule_model.h"

namespace clustermatch {
namespace {

// The k-th largest of `values` (k >= 1), or 0 when there are fewer than k.
double KthLargest(std::vector<double>& values, int k) {
  if (k <= 0 || static_cast<int>(values.size()) < k) return 0;
  std::nth_element(values.begin(), values.begin() + (k - 1), values.end(), std::greater<>());
  return values[k - 1];
}

}  // namespace

double ScheduleUpperBound(const ScheduleModel& m) {
  const int n = m.attendees;
  std::vector<int> c(n);
  for (int i = 0; i < n; ++i) c[i] = std::max(0, m.cap[i] - m.fixed_degree[i]);
  long long total_tables = 0;
  for (int t : m.tables) total_tables += t;
  const double tables_left = static_cast<double>(
      std::max<long long>(0, total_tables - static_cast<long long>(m.fixed.size())));

  // H: each attendee's best c_i scores, halved (incident lists are sorted).
  double halved = 0;
  for (int i = 0; i < n; ++i) {
    const int take = std::min<int>(c[i], static_cast<int>(m.incident[i].size()));
    for (int k = 0; k < take; ++k) halved += m.edges[m.incident[i][k]].score;
  }
  halved /= 2;

  // D(y, t) by coordinate descent, started from half the c_i-th best score.
  std::vector<double> y(n, 0);
  std::vector<double> scratch;
  for (int i = 0; i < n; ++i) {
    scratch.clear();
    for (int id : m.incident[i]) scratch.push_back(m.edges[id].score);
    y[i] = KthLargest(scratch, c[i]) / 2;
  }
  double t = 0;
  auto dual = [&] {
    double d = tables_left * t;
    for (int i = 0; i < n; ++i) d += c[i] * y[i];
    for (const ScheduleEdge& e : m.edges) d += std::max(0.0, e.score - y[e.a] - y[e.b] - t);
    return d;
  };
  double best = dual();
  for (int round = 0; round < 100; ++round) {
    for (int i = 0; i < n; ++i) {
      scratch.clear();
      for (int id : m.incident[i]) {
        const ScheduleEdge& e = m.edges[id];
        scratch.push_back(e.score - y[e.a == i ? e.b : e.a] - t);
      }
      y[i] = std::max(0.0, KthLargest(scratch, c[i]));
    }
    scratch.clear();
    for (const ScheduleEdge& e : m.edges) scratch.push_back(e.score - y[e.a] - y[e.b]);
    t = tables_left < 1 ? 0 : std::max(0.0, KthLargest(scratch, static_cast<int>(tables_left)));
    if (tables_left < 1 && !scratch.empty()) {
      // No table left: the table constraint alone bounds the new utility by 0.
      t = *std::max_element(scratch.begin(), scratch.end());
      t = std::max(0.0, t);
    }
    const double d = dual();
    const bool stalled = d > best - 1e-9 * std::max(1.0, best);
    best = std::min(best, d);
    if (stalled) break;  // a fixed point of the descent
  }
  double fixed_utility = 0;
  for (const Meeting& f : m.fixed) fixed_utility += f.score;
  return fixed_utility + std::min(best, halved);
}

}  // namespace clustermatch
