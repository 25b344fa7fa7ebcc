// Checks a ScheduleProblem and turns it into a ScheduleModel: effective caps,
// candidate meetings (pairs and must-meet pairs minus never-meet, same-side
// and already-met pairs), floor targets and the conflicts to report.
#include <algorithm>
#include <bit>
#include <cmath>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/schedule_model.h"

namespace clustermatch {
namespace {

uint64_t PairKey(int a, int b) {
  if (a > b) std::swap(a, b);
  return (static_cast<uint64_t>(a) << 32) | static_cast<uint32_t>(b);
}

// SplitMix64: a fixed, portable mix for seeded tie-breaks.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

absl::Status CheckIndex(int index, int n, const std::string& field) {
  if (index < 0 || index >= n) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": attendee index ", index, " is out of range [0, ", n, ")"));
  }
  return absl::OkStatus();
}

absl::Status CheckPair(int a, int b, int n, const std::string& field) {
  if (absl::Status s = CheckIndex(a, n, field); !s.ok()) return s;
  if (absl::Status s = CheckIndex(b, n, field); !s.ok()) return s;
  if (a == b)
    return absl::InvalidArgumentError(absl::StrCat(field, ": attendee ", a, " paired with itself"));
  return absl::OkStatus();
}

bool SameSide(const ScheduleAttendee& x, const ScheduleAttendee& y) {
  return x.side != ScheduleAttendee::Side::kNone && x.side == y.side;
}

std::string PairName(const ScheduleProblem& p, int a, int b) {
  return absl::StrCat(p.attendees[a].id, "-", p.attendees[b].id);
}

absl::Status CheckShape(const ScheduleProblem& p) {
  if (p.slots < 1 || p.slots > kMaxScheduleSlots) {
    return absl::InvalidArgumentError(
        absl::StrCat("slots: ", p.slots, " is not in [1, ", kMaxScheduleSlots, "]"));
  }
  if (static_cast<int>(p.tables.size()) != p.slots) {
    return absl::InvalidArgumentError(
        absl::StrCat("tables: has ", p.tables.size(), " entries for ", p.slots, " slots"));
  }
  for (int s = 0; s < p.slots; ++s) {
    if (p.tables[s] < 0) {
      return absl::InvalidArgumentError(absl::StrCat("tables[", s, "]: is negative"));
    }
  }
  if (p.max_meetings < 0) return absl::InvalidArgumentError("max_meetings: is negative");
  if (p.min_meetings < 0) return absl::InvalidArgumentError("min_meetings: is negative");
  for (size_t i = 0; i < p.attendees.size(); ++i) {
    const ScheduleAttendee& a = p.attendees[i];
    const std::string field = absl::StrCat("attendees[", i, "]");
    if (a.representatives < 1) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".representatives: is below 1"));
    }
    if (a.max_meetings < 0) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".max_meetings: is negative"));
    }
    if (!a.available.empty() && static_cast<int>(a.available.size()) != p.slots) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".available: has ", a.available.size(),
                                                     " entries for ", p.slots, " slots"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ScheduleModel> BuildScheduleModel(const ScheduleProblem& p) {
  if (absl::Status s = CheckShape(p); !s.ok()) return s;
  const int n = static_cast<int>(p.attendees.size());
  ScheduleModel m;
  m.attendees = n;
  m.slots = p.slots;
  m.tables = p.tables;
  m.representatives.resize(n);
  m.available.resize(n);
  m.cap.resize(n);
  m.fixed_degree.assign(n, 0);
  for (int i = 0; i < n; ++i) {
    const ScheduleAttendee& a = p.attendees[i];
    uint64_t mask = 0;
    for (int s = 0; s < p.slots; ++s) {
      if (a.available.empty() || a.available[s]) mask |= uint64_t{1} << s;
    }
    m.representatives[i] = a.representatives;
    m.available[i] = mask;
    const int cap = a.max_meetings > 0 ? a.max_meetings : p.max_meetings;
    const int64_t room = static_cast<int64_t>(a.representatives) * std::popcount(mask);
    m.cap[i] = static_cast<int>(std::min<int64_t>(cap, room));
  }

  // Fixed meetings: structurally sound, else the caller's file is wrong.
  absl::flat_hash_set<uint64_t> met;
  std::vector<int> slot_load(static_cast<size_t>(n) * p.slots, 0);
  absl::flat_hash_set<uint64_t> tables_used;
  for (size_t k = 0; k < p.fixed.size(); ++k) {
    Meeting f = p.fixed[k];
    const std::string field = absl::StrCat("fixed[", k, "]");
    if (absl::Status s = CheckPair(f.a, f.b, n, field); !s.ok()) return s;
    if (f.slot < 0 || f.slot >= p.slots) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".slot: ", f.slot, " is out of range"));
    }
    if (f.table < 0 || f.table >= p.tables[f.slot]) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".table: ", f.table, " is out of range for slot ", f.slot));
    }
    if (!std::isfinite(f.score) || f.score < 0) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".score: must be finite and >= 0"));
    }
    if (f.a > f.b) std::swap(f.a, f.b);
    if (!met.insert(PairKey(f.a, f.b)).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": pair ", PairName(p, f.a, f.b), " meets twice"));
    }
    if (!tables_used.insert((static_cast<uint64_t>(f.slot) << 32) | f.table).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".table: ", f.table, " is used twice in slot ", f.slot));
    }
    for (int who : {f.a, f.b}) {
      if (++slot_load[static_cast<size_t>(who) * p.slots + f.slot] > m.representatives[who]) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ": ", p.attendees[who].id, " is double-booked in slot ", f.slot));
      }
      if (!(m.available[who] >> f.slot & 1)) {
        m.conflicts.push_back(absl::StrCat("fixed meeting ", PairName(p, f.a, f.b), " in slot ",
                                           f.slot, ": ", p.attendees[who].id,
                                           " is not available (kept)"));
      }
      ++m.fixed_degree[who];
    }
    m.fixed.push_back(f);
  }

  absl::flat_hash_set<uint64_t> never;
  for (size_t k = 0; k < p.never_meet.size(); ++k) {
    const auto [a, b] = p.never_meet[k];
    if (absl::Status s = CheckPair(a, b, n, absl::StrCat("never_meet[", k, "]")); !s.ok()) return s;
    never.insert(PairKey(a, b));
  }
  for (const Meeting& f : m.fixed) {
    if (never.contains(PairKey(f.a, f.b))) {
      m.conflicts.push_back(
          absl::StrCat("fixed meeting ", PairName(p, f.a, f.b), " is a never-meet pair (kept)"));
    }
  }
  absl::flat_hash_map<uint64_t, double> score;
  for (size_t k = 0; k < p.pairs.size(); ++k) {
    const ScoredPair& q = p.pairs[k];
    const std::string field = absl::StrCat("pairs[", k, "]");
    if (absl::Status s = CheckPair(q.a, q.b, n, field); !s.ok()) return s;
    if (!std::isfinite(q.score) || q.score < 0) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".score: must be finite and >= 0"));
    }
    auto [it, inserted] = score.try_emplace(PairKey(q.a, q.b), q.score);
    if (!inserted) it->second = std::max(it->second, q.score);
  }
  absl::flat_hash_set<uint64_t> must;
  for (size_t k = 0; k < p.must_meet.size(); ++k) {
    const auto [a, b] = p.must_meet[k];
    if (absl::Status s = CheckPair(a, b, n, absl::StrCat("must_meet[", k, "]")); !s.ok()) return s;
    const uint64_t key = PairKey(a, b);
    if (!must.insert(key).second) continue;
    const int lo = std::min(a, b), hi = std::max(a, b);
    if (never.contains(key)) {
      m.conflicts.push_back(
          absl::StrCat("must-meet ", PairName(p, lo, hi), " is also never-meet: never-meet wins"));
    } else if (SameSide(p.attendees[lo], p.attendees[hi])) {
      m.conflicts.push_back(
          absl::StrCat("must-meet ", PairName(p, lo, hi), " is on one side: not scheduled"));
    } else if ((m.available[lo] & m.available[hi]) == 0) {
      m.conflicts.push_back(
          absl::StrCat("must-meet ", PairName(p, lo, hi), " share no available slot"));
    }
  }

  // Candidate edges, in a fixed order (sorted keys) so that the hash set's
  // iteration order never matters.
  std::vector<uint64_t> keys;
  keys.reserve(score.size() + must.size());
  for (const auto& [key, unused] : score) keys.push_back(key);
  for (uint64_t key : must) {
    if (!score.contains(key)) keys.push_back(key);
  }
  std::sort(keys.begin(), keys.end());
  for (uint64_t key : keys) {
    const int a = static_cast<int>(key >> 32), b = static_cast<int>(key & 0xffffffffu);
    if (never.contains(key) || met.contains(key) || SameSide(p.attendees[a], p.attendees[b])) {
      continue;
    }
    ScheduleEdge e;
    e.a = a;
    e.b = b;
    e.common = m.available[a] & m.available[b];
    if (e.common == 0 || m.cap[a] <= m.fixed_degree[a] || m.cap[b] <= m.fixed_degree[b]) continue;
    auto it = score.find(key);
    e.score = it == score.end() ? 0 : it->second;
    e.must = must.contains(key);
    e.tie = Mix(p.seed ^ Mix(key));
    m.edges.push_back(e);
  }
  std::sort(m.edges.begin(), m.edges.end(), EdgeBefore);
  m.incident.resize(n);
  for (int id = 0; id < static_cast<int>(m.edges.size()); ++id) {
    m.incident[m.edges[id].a].push_back(id);
    m.incident[m.edges[id].b].push_back(id);
  }
  m.target.resize(n);
  for (int i = 0; i < n; ++i) {
    const int partners = m.fixed_degree[i] + static_cast<int>(m.incident[i].size());
    m.target[i] = std::min({p.min_meetings, m.cap[i], partners});
    m.target[i] = std::max(m.target[i], 0);
  }
  return m;
}

}  // namespace clustermatch
