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
// dropped. Phase 3 repairs the floor, refills spare caps with the best pairs
// that fit, and swaps weak meetings for better ones; its last floor repair
// searches ejection chains (FloorChains) for whoever is still short. Phase 4
// closes idle gaps: it moves single meetings, and swaps two slots for whole
// chains of meetings (SlotSwaps). When someone is left short of the floor,
// the whole solve is rerun with them first, a bounded number of times.
// Tables are numbered last, slot by slot.
#include <algorithm>
#include <bit>
#include <memory>
#include <vector>

#include "engine/schedule_grid.h"
#include "engine/schedule_model.h"

namespace clustermatch {
namespace {

// Phase 3a, deeper: ejection chains for an attendee still short of its
// target. Gain(u) adds a pair (u, v); a full v first gives up one of its
// meetings (v, w), and w, when that leaves it short, gains elsewhere in turn.
// Insert(e) puts a pair into a slot, taking out what blocks it there (a
// meeting of either attendee in that slot, a meeting of a full slot), and
// re-settles each one: in another free slot, or left out when its attendees
// stay at target, or inserted recursively, or left out while its short
// attendees gain elsewhere. A meeting moved once in a chain is not moved
// again (tabu), chains are searched depth 1, 2, ... up to kMaxDepth, and
// each search has a budget of steps; a failed search leaves the grid as it
// was (the grid's journal undoes it). No must-meet pair is left out and no
// one else falls below target.
class FloorChains {
 public:
  FloorChains(const ScheduleModel& m, SlotGrid& grid)
      : m_(m),
        g_(grid),
        tabu_(m.edges.size(), 0),
        total_(std::max<long long>(kBudget, 4LL * static_cast<long long>(m.edges.size()))) {}

  // Raises u's degree by one; false (grid unchanged) when no chain was found.
  bool Lift(int u) {
    for (int depth = 1; depth <= kMaxDepth && total_ > 0; ++depth) {
      budget_ = static_cast<int>(std::min<long long>(kBudget, total_));
      total_ -= budget_;
      deeper_ = false;
      const size_t mark = g_.Mark();
      if (Gain(u, depth)) {
        g_.EndJournal();
        total_ += std::max(0, budget_);
        return true;
      }
      g_.Undo(mark);
      total_ += std::max(0, budget_);      // steps not spent go back
      if (budget_ > 0 && !deeper_) break;  // depth did not limit the search
    }
    g_.EndJournal();
    return false;
  }

 private:
  static constexpr int kMaxDepth = 5;
  static constexpr int kBudget = 4000;     // steps per search; all searches of
                                           // one grid share 4 per candidate pair
  static constexpr int kSlotVictims = 64;  // meetings of a full slot looked at
  static constexpr int kDeepVictims = 4;   // of which re-settled recursively

  // Marks an edge as moved in the current chain for the guard's lifetime.
  class Hold {
   public:
    Hold(std::vector<char>& tabu, int e) : tabu_(tabu), e_(e), was_(tabu[e]) { tabu_[e_] = 1; }
    ~Hold() { tabu_[e_] = was_; }

   private:
    std::vector<char>& tabu_;
    int e_;
    char was_;
  };

  bool Spend() { return --budget_ >= 0; }

  bool Gain(int u, int depth) {
    for (int e : m_.incident[u]) {
      if (g_.degree(u) >= m_.cap[u]) return false;
      if (g_.placed(e) || tabu_[e]) continue;
      if (!Spend()) return false;
      if (Add(e, u, depth)) return true;
    }
    return false;
  }

  // Places the unplaced pair e so that u gains a meeting.
  bool Add(int e, int u, int depth) {
    const int v = g_.Other(e, u);
    Hold hold(tabu_, e);
    if (g_.Spare(v)) return Insert(e, depth, -1);
    if (depth == 0) {
      deeper_ = true;
      return false;
    }
    const size_t mark = g_.Mark();
    const std::vector<int>& list = m_.incident[v];
    for (auto it = list.rbegin(); it != list.rend(); ++it) {  // weakest first
      const int f = *it;
      if (!g_.placed(f) || tabu_[f] || m_.edges[f].must) continue;
      if (!Spend()) return false;
      const int w = g_.Other(f, v);
      Hold hold_f(tabu_, f);
      g_.Take(f);
      if (Insert(e, depth - 1, -1) && (g_.degree(w) >= m_.target[w] || Gain(w, depth - 1))) {
        return true;
      }
      g_.Undo(mark);
    }
    return false;
  }

  // Puts the unplaced pair e into a slot other than `skip`. Like Gain and
  // Add, leaves the grid as it was when it fails.
  bool Insert(int e, int depth, int skip) {
    const ScheduleEdge& x = m_.edges[e];
    if (!g_.Spare(x.a) || !g_.Spare(x.b)) return false;
    if (const int s = g_.BestSlot(e, skip); s >= 0) {
      g_.Put(e, s);
      return true;
    }
    if (depth == 0) {
      deeper_ = true;
      return false;
    }
    Hold hold(tabu_, e);
    const size_t mark = g_.Mark();
    for (int s = 0; s < m_.slots; ++s) {
      if (s == skip || !(x.common >> s & 1)) continue;
      if (!Spend()) return false;
      std::vector<int> out;  // taken out of slot s
      bool blocked = false;
      for (int who : {x.a, x.b}) {
        if (g_.load(who, s) < m_.representatives[who]) continue;
        int pick = -1;
        for (int f : g_.PlacedAt(who, s)) {
          if (!tabu_[f]) {
            pick = f;
            break;
          }
        }
        if (pick < 0) {
          blocked = true;  // fixed meetings or moved ones hold the slot
          break;
        }
        out.push_back(pick);
        g_.Take(pick);
      }
      if (blocked) {
        g_.Undo(mark);
        continue;
      }
      if (!g_.TablesFull(s)) {
        if (PutAndSettle(e, s, out, depth)) return true;
        g_.Undo(mark);
        continue;
      }
      // A full slot: free a table, preferring a meeting that moves or
      // leaves directly, then a few re-settled recursively.
      std::vector<int> easy, hard;
      const std::vector<int>& there = g_.InSlot(s);
      for (int k = 0; k < static_cast<int>(there.size()) && k < kSlotVictims; ++k) {
        const int f = there[k];
        if (tabu_[f]) continue;
        const ScheduleEdge& y = m_.edges[f];
        const bool leaves = !y.must && g_.Surplus(y.a) && g_.Surplus(y.b);
        if (leaves || g_.BestSlot(f, s) >= 0) {
          easy.push_back(f);
          break;
        }
        if (static_cast<int>(hard.size()) < kDeepVictims) hard.push_back(f);
      }
      easy.insert(easy.end(), hard.begin(), hard.end());
      const size_t with_out = g_.Mark();
      for (int f : easy) {
        if (!Spend()) break;
        Hold hold_f(tabu_, f);
        g_.Take(f);
        out.push_back(f);
        if (PutAndSettle(e, s, out, depth)) return true;
        out.pop_back();
        g_.Undo(with_out);
      }
      g_.Undo(mark);
      if (budget_ < 0) return false;
    }
    return false;
  }

  // Puts e into slot s, then re-settles the meetings taken out of s.
  bool PutAndSettle(int e, int s, const std::vector<int>& out, int depth) {
    g_.Put(e, s);
    std::vector<std::unique_ptr<Hold>> holds;
    for (int f : out) holds.push_back(std::make_unique<Hold>(tabu_, f));
    for (int f : out) {
      if (!Resettle(f, depth - 1, s)) return false;
    }
    return true;
  }

  bool Resettle(int f, int depth, int skip) {
    const ScheduleEdge& y = m_.edges[f];
    if (const int s = g_.BestSlot(f, skip); s >= 0) {
      g_.Put(f, s);
      return true;
    }
    const bool stays = g_.degree(y.a) >= m_.target[y.a] && g_.degree(y.b) >= m_.target[y.b];
    if (!y.must && stays) return true;  // left out
    if (Insert(f, depth, skip)) return true;
    if (y.must || depth == 0) return false;
    for (int who : {y.a, y.b}) {
      if (g_.degree(who) < m_.target[who] && !Gain(who, depth - 1)) return false;
    }
    return true;
  }

  const ScheduleModel& m_;
  SlotGrid& g_;
  std::vector<char> tabu_;
  int budget_ = 0;
  long long total_;
  bool deeper_ = false;  // some branch stopped at depth 0
};

// Phase 3a: lifts attendees short of their target with pairs that fit now,
// freeing a full partner by dropping its weakest surplus meeting.
// With `chains`, ends with ejection chains for whoever is still short.
void RepairFloor(const ScheduleModel& m, const std::vector<int>& boost, bool chains,
                 SlotGrid& grid) {
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
  }
  if (!chains) return;
  FloorChains search(m, grid);
  for (int u : FloorOrder(boost)) {
    while (grid.degree(u) < m.target[u] && search.Lift(u)) {
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

// Phase 4b: closes idle gaps that single moves cannot, by swapping slots a
// and b for a whole chain of meetings: starting from attendee i's meetings
// in b, every new meeting in a or b of anyone reached joins the chain, so
// after the swap each of them holds in a what it held in b and vice versa
// (fixed meetings stay). Taken when every pair of the chain is available in
// its new slot, loads and tables fit, and the chain's idle gaps fall.
class SlotSwaps {
 public:
  SlotSwaps(const ScheduleModel& m, SlotGrid& grid)
      : m_(m), g_(grid), seen_(m.attendees, 0), in_chain_(m.edges.size(), 0) {}

  // One pass over the attendees with idle gaps; true when a swap was made.
  bool Pass() {
    bool swapped = false;
    for (int i = 0; i < m_.attendees; ++i) {
      for (int tries = 0; tries < m_.slots && IdleGaps(g_.busy(i)) > 0; ++tries) {
        if (!CloseOneGap(i)) break;
        swapped = true;
      }
    }
    return swapped;
  }

 private:
  static constexpr int kMaxChain = 64;  // meetings in one swap

  bool CloseOneGap(int i) {
    const uint64_t busy = g_.busy(i);
    const int first = std::countr_zero(busy), last = 63 - std::countl_zero(busy);
    for (int a = first + 1; a < last; ++a) {
      if (busy >> a & 1) continue;   // a: a gap of i
      for (int b : {first, last}) {  // moving an end inwards shrinks the span
        if (Swap(i, a, b)) return true;
      }
    }
    return false;
  }

  bool Swap(int i, int a, int b) {
    if (g_.PlacedAt(i, b).empty()) return false;
    ++stamp_;
    chain_.clear();
    people_.assign(1, i);
    seen_[i] = stamp_;
    for (size_t head = 0; head < people_.size(); ++head) {
      const int x = people_[head];
      for (int s : {a, b}) {
        for (int e : g_.PlacedAt(x, s)) {
          if (in_chain_[e] == stamp_) continue;
          in_chain_[e] = stamp_;
          chain_.push_back(e);
          if (static_cast<int>(chain_.size()) > kMaxChain) return false;
          const int y = g_.Other(e, x);
          if (seen_[y] != stamp_) {
            seen_[y] = stamp_;
            people_.push_back(y);
          }
        }
      }
    }
    int to_a = 0, to_b = 0;  // meetings entering a and b
    for (int e : chain_) {
      const int to = g_.slot_of(e) == a ? b : a;
      if (!(m_.edges[e].common >> to & 1)) return false;
      (to == a ? to_a : to_b) += 1;
    }
    if (g_.used(a) - to_b + to_a > m_.tables[a] || g_.used(b) - to_a + to_b > m_.tables[b]) {
      return false;
    }
    int before = 0, after = 0;
    const uint64_t bit_a = uint64_t{1} << a, bit_b = uint64_t{1} << b;
    for (int x : people_) {
      const int new_a = static_cast<int>(g_.PlacedAt(x, a).size());
      const int new_b = static_cast<int>(g_.PlacedAt(x, b).size());
      const int load_a = g_.load(x, a) - new_a + new_b, load_b = g_.load(x, b) - new_b + new_a;
      if (load_a > m_.representatives[x] || load_b > m_.representatives[x]) return false;
      uint64_t busy = g_.busy(x) & ~(bit_a | bit_b);
      if (load_a > 0) busy |= bit_a;
      if (load_b > 0) busy |= bit_b;
      before += IdleGaps(g_.busy(x));
      after += IdleGaps(busy);
    }
    if (after >= before) return false;
    for (int e : chain_) {
      const int to = g_.slot_of(e) == a ? b : a;
      g_.Take(e);
      g_.Put(e, to);
    }
    return true;
  }

  const ScheduleModel& m_;
  SlotGrid& g_;
  std::vector<int> seen_, in_chain_;
  int stamp_ = 0;
  std::vector<int> chain_, people_;
};

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
    RepairFloor(m, boost, /*chains=*/false, grid);
    RefillAndSwap(m, grid);
  }
  RepairFloor(m, boost, /*chains=*/true, grid);
  SlotSwaps swaps(m, grid);
  for (int round = 0; round < 4; ++round) {
    bool moved = false;
    for (int e = 0; e < static_cast<int>(m.edges.size()); ++e) {
      if (grid.placed(e)) moved = grid.Compact(e) || moved;
    }
    moved = swaps.Pass() || moved;
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
