// Internal to the meeting scheduler: SlotGrid, the slot-by-slot state of a
// schedule being built (who meets in which slot, loads, tables in use) with
// the moves the placement phases need (place, take out, move one blocking
// meeting, close idle gaps), and a journal that can undo a series of moves.
// Used by schedule_slots.cc only.
#ifndef CLUSTERMATCH_ENGINE_SCHEDULE_GRID_H_
#define CLUSTERMATCH_ENGINE_SCHEDULE_GRID_H_

#include <algorithm>
#include <bit>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/schedule_model.h"

namespace clustermatch {

// Slots without a meeting between the first and the last busy slot.
inline int IdleGaps(uint64_t busy) {
  if (busy == 0) return 0;
  const int first = std::countr_zero(busy);
  const int last = 63 - std::countl_zero(busy);
  return last - first + 1 - std::popcount(busy);
}

class SlotGrid {
 public:
  explicit SlotGrid(const ScheduleModel& m)
      : m_(&m),
        s_(m.slots),
        slot_of_(m.edges.size(), -1),
        degree_(m.fixed_degree),
        load_(static_cast<size_t>(m.attendees) * m.slots, 0),
        busy_(m.attendees, 0),
        used_(m.slots, 0),
        placed_(static_cast<size_t>(m.attendees) * m.slots),
        in_slot_(m.slots),
        at_(m.edges.size(), -1) {
    for (const Meeting& f : m.fixed) {
      ++used_[f.slot];
      for (int who : {f.a, f.b}) {
        ++load_[Cell(who, f.slot)];
        busy_[who] |= uint64_t{1} << f.slot;
      }
    }
  }

  int slot_of(int e) const { return slot_of_[e]; }
  bool placed(int e) const { return slot_of_[e] >= 0; }
  int degree(int i) const { return degree_[i]; }
  bool Spare(int i) const { return degree_[i] < m_->cap[i]; }
  // True when i may lose a meeting and stay at or above its floor target.
  bool Surplus(int i) const { return degree_[i] > m_->target[i]; }
  int Other(int e, int i) const { return m_->edges[e].a == i ? m_->edges[e].b : m_->edges[e].a; }
  uint64_t busy(int i) const { return busy_[i]; }

  bool Fits(int e, int s) const {
    const ScheduleEdge& x = m_->edges[e];
    return (x.common >> s & 1) && used_[s] < m_->tables[s] &&
           load_[Cell(x.a, s)] < m_->representatives[x.a] &&
           load_[Cell(x.b, s)] < m_->representatives[x.b];
  }

  void Put(int e, int s) {
    const ScheduleEdge& x = m_->edges[e];
    if (journaling_) journal_.push_back({e, -1});
    slot_of_[e] = s;
    ++used_[s];
    at_[e] = static_cast<int>(in_slot_[s].size());
    in_slot_[s].push_back(e);
    for (int who : {x.a, x.b}) {
      ++degree_[who];
      ++load_[Cell(who, s)];
      busy_[who] |= uint64_t{1} << s;
      placed_[Cell(who, s)].push_back(e);
    }
  }

  void Take(int e) {
    const ScheduleEdge& x = m_->edges[e];
    const int s = slot_of_[e];
    if (journaling_) journal_.push_back({e, s});
    slot_of_[e] = -1;
    --used_[s];
    const int last = in_slot_[s].back();
    in_slot_[s][at_[e]] = last;
    at_[last] = at_[e];
    in_slot_[s].pop_back();
    at_[e] = -1;
    for (int who : {x.a, x.b}) {
      --degree_[who];
      if (--load_[Cell(who, s)] == 0) busy_[who] &= ~(uint64_t{1} << s);
      std::vector<int>& list = placed_[Cell(who, s)];
      list.erase(std::find(list.begin(), list.end(), e));
    }
  }

  // Idle gaps e would add (or, when negative, close) in slot s.
  int GapCost(int e, int s) const {
    int cost = 0;
    for (int who : {m_->edges[e].a, m_->edges[e].b}) {
      cost += IdleGaps(busy_[who] | uint64_t{1} << s) - IdleGaps(busy_[who]);
    }
    return cost;
  }

  // The free slot for e (other than `skip`) with the fewest added gaps, then
  // the fewest tables in use, then the earliest; -1 when none.
  int BestSlot(int e, int skip = -1) const {
    int best = -1, best_cost = 0;
    for (int s = 0; s < s_; ++s) {
      if (s == skip || !Fits(e, s)) continue;
      const int cost = GapCost(e, s);
      if (best < 0 || cost < best_cost || (cost == best_cost && used_[s] < used_[best])) {
        best = s;
        best_cost = cost;
      }
    }
    return best;
  }

  // Places e directly, or after moving one meeting of a blocking attendee to
  // another slot. Leaves the grid unchanged when it returns false.
  bool TryPlace(int e) {
    if (int s = BestSlot(e); s >= 0) {
      Put(e, s);
      return true;
    }
    const ScheduleEdge& x = m_->edges[e];
    for (int s = 0; s < s_; ++s) {
      if (!(x.common >> s & 1) || used_[s] >= m_->tables[s]) continue;
      const bool a_full = load_[Cell(x.a, s)] >= m_->representatives[x.a];
      const bool b_full = load_[Cell(x.b, s)] >= m_->representatives[x.b];
      if (a_full == b_full) continue;  // both free fits directly; both full needs two moves
      const int blocker = a_full ? x.a : x.b;
      const std::vector<int> movable = placed_[Cell(blocker, s)];
      for (int f : movable) {
        Take(f);
        const int to = BestSlot(f, s);
        if (to >= 0) {
          Put(f, to);
          if (Fits(e, s)) {
            Put(e, s);
            return true;
          }
          Take(f);
        }
        Put(f, s);
      }
    }
    return false;
  }

  int load(int i, int s) const { return load_[Cell(i, s)]; }
  bool TablesFull(int s) const { return used_[s] >= m_->tables[s]; }
  int used(int s) const { return used_[s]; }
  // New meetings of i in slot s.
  const std::vector<int>& PlacedAt(int i, int s) const { return placed_[Cell(i, s)]; }
  // New meetings in slot s.
  const std::vector<int>& InSlot(int s) const { return in_slot_[s]; }

  // The journal: from Mark() on, every Put and Take is recorded, so that
  // Undo(mark) restores the state at that mark (the order of the per-cell
  // lists may differ). EndJournal() stops recording and forgets the moves.
  size_t Mark() {
    journaling_ = true;
    return journal_.size();
  }
  void Undo(size_t mark) {
    const bool was = journaling_;
    journaling_ = false;
    while (journal_.size() > mark) {
      const auto [e, from] = journal_.back();
      journal_.pop_back();
      if (from < 0) {
        Take(e);
      } else {
        Put(e, from);
      }
    }
    journaling_ = was;
  }
  void EndJournal() {
    journaling_ = false;
    journal_.clear();
  }

  // Moves e to the slot with the fewest gaps if that closes at least one.
  bool Compact(int e) {
    const int from = slot_of_[e];
    const int before = IdleGaps(busy_[m_->edges[e].a]) + IdleGaps(busy_[m_->edges[e].b]);
    Take(e);
    const int to = BestSlot(e);
    const int after =
        to < 0 ? before
               : GapCost(e, to) + IdleGaps(busy_[m_->edges[e].a]) + IdleGaps(busy_[m_->edges[e].b]);
    if (to >= 0 && after < before) {
      Put(e, to);
      return true;
    }
    Put(e, from);
    return false;
  }

  // The placed, non-must meeting of i with the lowest score whose partner
  // (not `keep`) has a surplus; -1 when none. Scans i's incident list,
  // which is sorted best first, from the end.
  int WeakestDroppable(int i, int keep) const {
    const std::vector<int>& list = m_->incident[i];
    for (auto it = list.rbegin(); it != list.rend(); ++it) {
      const int g = *it;
      if (!placed(g) || m_->edges[g].must) continue;
      const int w = Other(g, i);
      if (w != keep && Surplus(w)) return g;
    }
    return -1;
  }

 private:
  size_t Cell(int i, int s) const { return static_cast<size_t>(i) * s_ + s; }

  const ScheduleModel* m_;  // a pointer, so that grids can be copied
  int s_;
  std::vector<int> slot_of_;
  std::vector<int> degree_;  // fixed meetings included
  std::vector<int> load_;
  std::vector<uint64_t> busy_;
  std::vector<int> used_;
  std::vector<std::vector<int>> placed_;   // new meetings per (attendee, slot)
  std::vector<std::vector<int>> in_slot_;  // new meetings per slot
  std::vector<int> at_;                    // per edge: its index in in_slot_
  bool journaling_ = false;
  std::vector<std::pair<int, int>> journal_;  // (edge, slot before; -1: unplaced)
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_SCHEDULE_GRID_H_
