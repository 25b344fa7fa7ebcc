// Chooses the new meetings and places them in slots (PlaceMeetings).
//
// Phase 1 picks pairs without looking at slots: must-meet pairs first, then
// the best pairs greedily under the caps, then augmenting paths that lift
// attendees short of their floor target (alternate: add a pair, drop a pair,
// ..., ending at an attendee with spare cap or above its target), then
// three-pair paths that raise the total score (u adds (u, v), full v drops
// (v, w), w adds its best pair to someone with spare cap).
// Phase 2 places them, floor-critical pairs first, each in the slot that adds
// the fewest idle gaps; a pair with no free slot may move one meeting of a
// blocking attendee to another slot; a pair that still does not fit is
// dropped. Phase 3 repairs the floor (as a last resort by ejecting what
// blocks a slot and re-placing it), refills spare caps with the best pairs
// that fit, and swaps weak meetings for better ones; phase 4 moves meetings
// to close idle gaps. When someone is left short of the floor, the whole
// solve is rerun with them first, a bounded number of times. Tables are
// numbered last, slot by slot.
#include <algorithm>
#include <bit>
#include <vector>

#include "engine/schedule_grid.h"
#include "engine/schedule_model.h"

namespace clustermatch {
namespace {

// Phase 3a, last resort: puts (u, v) into slot s by taking out whatever
// blocks it there (a meeting of u or v in s, a meeting of a full v, one
// meeting of a full slot) and placing those elsewhere, or dropping them where
// both their attendees stay at or above target. Works on a copy of the grid
// and keeps it only on success.
bool EjectAndPlace(const ScheduleModel& m, int e, int u, SlotGrid& grid) {
  constexpr int kTableVictims = 16;  // meetings of a full slot tried, weakest first
  const int v = grid.Other(e, u);
  for (int s = 0; s < m.slots; ++s) {
    if (!(m.edges[e].common >> s & 1)) continue;
    for (int k = 0; k < kTableVictims; ++k) {
      SlotGrid trial = grid;
      std::vector<int> ejected;
      bool blocked = false;
      if (!trial.Spare(v)) {
        const int g = trial.WeakestDroppable(v, u);
        if (g < 0) return false;
        trial.Take(g);  // dropped for good: its partner has a surplus
      }
      for (int who : {u, v}) {
        while (!blocked && trial.load(who, s) >= m.representatives[who]) {
          const std::vector<int>& there = trial.PlacedAt(who, s);
          if (there.empty()) {
            blocked = true;  // only fixed meetings hold the slot
          } else {
            ejected.push_back(there.front());
            trial.Take(there.front());
          }
        }
      }
      const bool table_full = !blocked && trial.TablesFull(s);
      if (table_full) {  // take out the k-th weakest new meeting of slot s
        int victim = -1;
        for (int g = static_cast<int>(m.edges.size()) - 1, seen = 0; g >= 0 && victim < 0; --g) {
          if (trial.slot_of(g) == s && seen++ == k) victim = g;
        }
        if (victim < 0) break;  // no more candidates in this slot
        ejected.push_back(victim);
        trial.Take(victim);
      }
      if (!blocked && trial.Fits(e, s)) {
        trial.Put(e, s);
        bool ok = true;
        for (int g : ejected) {
          if (trial.TryPlace(g)) continue;
          const ScheduleEdge& x = m.edges[g];
          if (x.must || trial.degree(x.a) < m.target[x.a] || trial.degree(x.b) < m.target[x.b]) {
            ok = false;
            break;
          }
        }
        if (ok) {
          grid = trial;
          return true;
        }
      }
      if (!table_full) break;
    }
  }
  return false;
}

// Phase 3a: lifts attendees short of their target with pairs that fit now,
// freeing a full partner by dropping its weakest surplus meeting.
void RepairFloor(const ScheduleModel& m, const std::vector<int>& boost, SlotGrid& grid) {
  for (int u : FloorOrder(boost)) {
    for (int e : m.incident[u]) {
      if (grid.degree(u) >= m.target[u]) break;
      if (grid.placed(e)) continue;
      const int v = grid.Other(e, u);
      if (grid.Spare(v)) {
        grid.TryPlace(e);
        continue;
      }
      if (!grid.Surplus(v)) continue;
      const int g = grid.WeakestDroppable(v, u);
      if (g < 0) continue;
      const int from = grid.slot_of(g);
      grid.Take(g);
      if (!grid.TryPlace(e)) grid.Put(g, from);
    }
    for (int e : m.incident[u]) {
      if (grid.degree(u) >= m.target[u]) break;
      if (!grid.placed(e)) EjectAndPlace(m, e, u, grid);
    }
  }
}

// Phase 3b: the best unplaced pairs, by score, wherever both have spare cap;
// where one or both are full, swap their weakest surplus meeting out if
// that raises the total score.
void RefillAndSwap(const ScheduleModel& m, SlotGrid& grid) {
  for (int e = 0; e < static_cast<int>(m.edges.size()); ++e) {
    if (grid.placed(e)) continue;
    const ScheduleEdge& x = m.edges[e];
    if (grid.Spare(x.a) && grid.Spare(x.b)) {
      grid.TryPlace(e);
      continue;
    }
    // Free each full endpoint by taking out its weakest surplus meeting.
    int drop[2] = {-1, -1};
    int from[2] = {-1, -1};
    double lost = 0;
    bool possible = true;
    for (int k = 0; k < 2 && possible && lost < x.score; ++k) {
      const int who = k == 0 ? x.a : x.b;
      if (grid.Spare(who)) continue;
      const int g = grid.WeakestDroppable(who, k == 0 ? x.b : x.a);
      if (g < 0) {
        possible = false;
        break;
      }
      drop[k] = g;
      from[k] = grid.slot_of(g);
      lost += m.edges[g].score;
      grid.Take(g);
    }
    if (possible && lost < x.score && grid.TryPlace(e)) continue;
    for (int k = 1; k >= 0; --k) {
      if (drop[k] >= 0) grid.Put(drop[k], from[k]);
    }
  }
}

// One full pass of phases 1 to 4; boost[i] > 0 favours attendee i's floor.
struct Attempt {
  std::vector<int> slot_of;  // per edge, -1 when not placed
  std::vector<int> short_of_floor;
  double utility = 0;
};

Attempt RunAttempt(const ScheduleModel& m, const std::vector<int>& boost) {
  const std::vector<bool> chosen = ChoosePairs(m, boost);
  // Degrees after phase 1 tell which pairs the floor depends on.
  std::vector<int> degree = m.fixed_degree;
  std::vector<int> order;
  for (int e = 0; e < static_cast<int>(m.edges.size()); ++e) {
    if (!chosen[e]) continue;
    order.push_back(e);
    ++degree[m.edges[e].a];
    ++degree[m.edges[e].b];
  }
  auto rank = [&](int e) {
    const ScheduleEdge& x = m.edges[e];
    if (x.must) return 0;
    if (boost[x.a] > 0 || boost[x.b] > 0) return 1;
    if (degree[x.a] <= m.target[x.a] || degree[x.b] <= m.target[x.b]) return 2;
    return 3;
  };
  std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
    const int rx = rank(x), ry = rank(y);
    if (rx != ry) return rx < ry;
    // Within a rank, the pairs with the fewest common slots go first.
    const int cx = std::popcount(m.edges[x].common), cy = std::popcount(m.edges[y].common);
    if (cx != cy) return cx < cy;
    return x < y;
  });
  SlotGrid grid(m);
  for (int e : order) grid.TryPlace(e);
  for (int round = 0; round < 3; ++round) {
    RepairFloor(m, boost, grid);
    RefillAndSwap(m, grid);
  }
  RepairFloor(m, boost, grid);
  for (int round = 0; round < 4; ++round) {
    bool moved = false;
    for (int e = 0; e < static_cast<int>(m.edges.size()); ++e) {
      if (grid.placed(e)) moved = grid.Compact(e) || moved;
    }
    if (!moved) break;
  }

  Attempt attempt;
  attempt.slot_of.assign(m.edges.size(), -1);
  for (int e = 0; e < static_cast<int>(m.edges.size()); ++e) {
    attempt.slot_of[e] = grid.slot_of(e);
    if (grid.placed(e)) attempt.utility += m.edges[e].score;
  }
  for (int i = 0; i < m.attendees; ++i) {
    if (grid.degree(i) < m.target[i]) attempt.short_of_floor.push_back(i);
  }
  return attempt;
}

}  // namespace

std::vector<Meeting> PlaceMeetings(const ScheduleModel& m) {
  // Attendees left short of their floor are boosted and the whole solve is
  // rerun; the best attempt (fewest short, then the highest score) wins.
  // Reruns stop after three that bring no one up, and their number shrinks
  // with the instance (an impossible floor must not multiply a large solve).
  const int max_retries = std::clamp(static_cast<int>(400000 / (m.edges.size() + 1)), 2, 24);
  std::vector<int> boost(m.attendees, 0);
  Attempt best = RunAttempt(m, boost);
  std::vector<int> last_short = best.short_of_floor;
  int stale = 0;
  for (int retry = 0; retry < max_retries && !best.short_of_floor.empty() && stale < 3; ++retry) {
    for (int i : last_short) ++boost[i];
    Attempt next = RunAttempt(m, boost);
    last_short = next.short_of_floor;
    stale = next.short_of_floor.size() < best.short_of_floor.size() ? 0 : stale + 1;
    if (next.short_of_floor.size() < best.short_of_floor.size() ||
        (next.short_of_floor.size() == best.short_of_floor.size() && next.utility > best.utility)) {
      best = std::move(next);
    }
  }
  // Tables: fixed meetings keep theirs; new ones take the lowest free ones.
  std::vector<std::vector<bool>> taken(m.slots);
  for (int s = 0; s < m.slots; ++s) taken[s].assign(m.tables[s], false);
  for (const Meeting& f : m.fixed) taken[f.slot][f.table] = true;
  std::vector<int> next(m.slots, 0);
  std::vector<Meeting> meetings;
  for (int e = 0; e < static_cast<int>(m.edges.size()); ++e) {
    if (best.slot_of[e] < 0) continue;
    const int s = best.slot_of[e];
    while (taken[s][next[s]]) ++next[s];
    taken[s][next[s]] = true;
    const ScheduleEdge& x = m.edges[e];
    meetings.push_back(Meeting{s, next[s], x.a, x.b, x.score});
  }
  return meetings;
}

}  // namespace clustermatch
