// SolveSchedule (engine/meeting_schedule.h): input checks, every hard rule on
// randomised instances, determinism, re-planning around fixed meetings, and
// the bound and fairness floor against GLPK's exact optimum; and the pair
// scores taken from match lists (engine/event_pair_scores.h).
#include "engine/meeting_schedule.h"

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "engine/event_pair_scores.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/engine/schedule_exact_solver.h"

namespace clustermatch {
namespace {

using ::testing::HasSubstr;

// A small portable PRNG so that instances do not depend on the library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed * 0x9e3779b97f4a7c15ULL + 1) {}
  uint64_t Next() {
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
    return state_;
  }
  int Uniform(int lo, int hi) { return lo + static_cast<int>(Next() % (hi - lo + 1)); }
  bool Chance(int percent) { return Uniform(0, 99) < percent; }

 private:
  uint64_t state_;
};

struct InstanceShape {
  int min_attendees = 6, max_attendees = 40;
  int min_slots = 2, max_slots = 8;
  bool sides = true, availability = true, representatives = true, must_never = true;
};

ScheduleProblem RandomProblem(uint64_t seed, const InstanceShape& shape) {
  Rng rng(seed);
  ScheduleProblem p;
  const int n = rng.Uniform(shape.min_attendees, shape.max_attendees);
  p.slots = rng.Uniform(shape.min_slots, shape.max_slots);
  for (int s = 0; s < p.slots; ++s) p.tables.push_back(rng.Uniform(1, std::max(1, n / 2)));
  p.max_meetings = rng.Uniform(1, p.slots);
  p.min_meetings = rng.Uniform(0, p.max_meetings);
  p.seed = seed;
  const bool sides = shape.sides && rng.Chance(40);
  for (int i = 0; i < n; ++i) {
    ScheduleAttendee a;
    a.id = absl::StrCat("F", i);
    if (shape.representatives && rng.Chance(15)) a.representatives = 2;
    if (rng.Chance(20)) a.max_meetings = rng.Uniform(1, p.slots);
    if (shape.availability && rng.Chance(30)) {
      a.available.resize(p.slots);
      for (int s = 0; s < p.slots; ++s) a.available[s] = rng.Chance(70);
    }
    if (sides) {
      a.side = rng.Chance(50) ? ScheduleAttendee::Side::kBuyer : ScheduleAttendee::Side::kSupplier;
      if (rng.Chance(10)) a.side = ScheduleAttendee::Side::kNone;
    }
    p.attendees.push_back(a);
  }
  const int density = rng.Uniform(20, 80);
  for (int a = 0; a < n; ++a) {
    for (int b = a + 1; b < n; ++b) {
      if (rng.Chance(density)) {
        p.pairs.push_back(
            {rng.Chance(50) ? a : b, rng.Chance(50) ? b : a, rng.Uniform(0, 1000) / 100.0});
        if (p.pairs.back().a == p.pairs.back().b) p.pairs.back().b = a == p.pairs.back().a ? b : a;
      }
    }
  }
  if (shape.must_never) {
    for (int k = rng.Uniform(0, n / 3); k > 0; --k) {
      const int a = rng.Uniform(0, n - 1), b = rng.Uniform(0, n - 1);
      if (a != b) p.must_meet.push_back({a, b});
    }
    for (int k = rng.Uniform(0, n / 3); k > 0; --k) {
      const int a = rng.Uniform(0, n - 1), b = rng.Uniform(0, n - 1);
      if (a != b) p.never_meet.push_back({a, b});
    }
    // One pair on both lists, so that the conflict shows up.
    if (!p.must_meet.empty() && rng.Chance(50)) p.never_meet.push_back(p.must_meet.front());
  }
  return p;
}

ScheduleAttendee Attendee(const std::string& id,
                          ScheduleAttendee::Side side = ScheduleAttendee::Side::kNone) {
  ScheduleAttendee a;
  a.id = id;
  a.side = side;
  return a;
}

std::pair<int, int> Key(int a, int b) { return std::minmax(a, b); }

// Asserts every hard rule of meeting_schedule.h on `result`.
void ExpectValid(const ScheduleProblem& p, const ScheduleResult& result) {
  const int n = static_cast<int>(p.attendees.size());
  std::map<std::pair<int, int>, double> allowed;
  for (const ScoredPair& q : p.pairs) {
    auto [it, inserted] = allowed.emplace(Key(q.a, q.b), q.score);
    if (!inserted) it->second = std::max(it->second, q.score);
  }
  for (const auto& [a, b] : p.must_meet) allowed.emplace(Key(a, b), 0.0);
  std::set<std::pair<int, int>> never;
  for (const auto& [a, b] : p.never_meet) never.insert(Key(a, b));
  std::set<std::pair<int, int>> fixed_pairs;
  for (const Meeting& f : p.fixed) fixed_pairs.insert(Key(f.a, f.b));

  std::set<std::pair<int, int>> met, tables_used;
  std::map<std::pair<int, int>, int> load;  // (attendee, slot)
  std::vector<int> degree(n, 0);
  std::vector<int> per_slot(p.slots, 0);
  double utility = 0;
  for (const Meeting& m : result.meetings) {
    ASSERT_GE(m.slot, 0);
    ASSERT_LT(m.slot, p.slots);
    ASSERT_GE(m.table, 0);
    ASSERT_LT(m.table, p.tables[m.slot]) << "slot " << m.slot;
    ASSERT_NE(m.a, m.b);
    EXPECT_TRUE(met.insert(Key(m.a, m.b)).second) << "pair meets twice: " << m.a << "-" << m.b;
    EXPECT_TRUE(tables_used.insert({m.slot, m.table}).second) << "table shared";
    ++per_slot[m.slot];
    utility += m.score;
    const bool is_fixed = fixed_pairs.count(Key(m.a, m.b)) > 0;
    if (!is_fixed) {
      const auto it = allowed.find(Key(m.a, m.b));
      ASSERT_NE(it, allowed.end()) << "pair not allowed: " << m.a << "-" << m.b;
      EXPECT_DOUBLE_EQ(m.score, it->second);
      EXPECT_EQ(never.count(Key(m.a, m.b)), 0u) << "never-meet pair met";
      const auto side_a = p.attendees[m.a].side, side_b = p.attendees[m.b].side;
      EXPECT_FALSE(side_a != ScheduleAttendee::Side::kNone && side_a == side_b) << "same side";
    }
    for (int who : {m.a, m.b}) {
      ++degree[who];
      EXPECT_LE(++load[std::make_pair(who, m.slot)], p.attendees[who].representatives)
          << "double-booked";
      if (!is_fixed && !p.attendees[who].available.empty()) {
        EXPECT_TRUE(p.attendees[who].available[m.slot]) << "meets while unavailable";
      }
    }
  }
  for (int s = 0; s < p.slots; ++s) {
    EXPECT_LE(per_slot[s], p.tables[s]);
  }
  for (int i = 0; i < n; ++i) {
    const int cap = p.attendees[i].max_meetings > 0 ? p.attendees[i].max_meetings : p.max_meetings;
    int fixed_here = 0;
    for (const Meeting& f : p.fixed) fixed_here += (f.a == i || f.b == i) ? 1 : 0;
    EXPECT_LE(degree[i], std::max(cap, fixed_here)) << "over cap: " << i;
  }
  for (const Meeting& f : p.fixed) {
    const bool kept =
        std::any_of(result.meetings.begin(), result.meetings.end(), [&](const Meeting& m) {
          return m.slot == f.slot && m.table == f.table && Key(m.a, m.b) == Key(f.a, f.b);
        });
    EXPECT_TRUE(kept) << "fixed meeting moved or lost";
  }
  for (const auto& [a, b] : p.must_meet) {
    if (never.count(Key(a, b))) {
      const std::string pair_name =
          p.attendees[std::min(a, b)].id + "-" + p.attendees[std::max(a, b)].id;
      EXPECT_THAT(result.quality.conflicts, ::testing::Contains(HasSubstr(pair_name)));
    }
  }
  const ScheduleQuality& q = result.quality;
  EXPECT_EQ(q.meetings, static_cast<int>(result.meetings.size()));
  EXPECT_NEAR(q.utility, utility, 1e-6);
  EXPECT_LE(q.utility, q.upper_bound + 1e-6);
  EXPECT_TRUE(std::is_sorted(
      result.meetings.begin(), result.meetings.end(), [](const Meeting& x, const Meeting& y) {
        return std::make_pair(x.slot, x.table) < std::make_pair(y.slot, y.table);
      }));
}

TEST(MeetingScheduleTest, RejectsBadInputNamingTheField) {
  ScheduleProblem p;
  p.slots = 2;
  p.tables = {1, 1};
  p.max_meetings = 2;
  p.attendees = {Attendee("A"), Attendee("B")};
  p.pairs = {{0, 1, 1.0}};
  ASSERT_TRUE(SolveSchedule(p).ok());

  auto expect_error = [](ScheduleProblem bad, const std::string& field) {
    const absl::StatusOr<ScheduleResult> result = SolveSchedule(bad);
    ASSERT_FALSE(result.ok()) << field;
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(field));
  };
  ScheduleProblem bad = p;
  bad.slots = 0;
  expect_error(bad, "slots");
  bad = p;
  bad.slots = kMaxScheduleSlots + 1;
  expect_error(bad, "slots");
  bad = p;
  bad.tables = {1};
  expect_error(bad, "tables");
  bad = p;
  bad.tables = {1, -1};
  expect_error(bad, "tables[1]");
  bad = p;
  bad.max_meetings = -1;
  expect_error(bad, "max_meetings");
  bad = p;
  bad.min_meetings = -1;
  expect_error(bad, "min_meetings");
  bad = p;
  bad.attendees[1].representatives = 0;
  expect_error(bad, "attendees[1].representatives");
  bad = p;
  bad.attendees[0].available = {true};
  expect_error(bad, "attendees[0].available");
  bad = p;
  bad.pairs.push_back({0, 2, 1.0});
  expect_error(bad, "pairs[1]");
  bad = p;
  bad.pairs[0].score = -0.5;
  expect_error(bad, "pairs[0].score");
  bad = p;
  bad.pairs[0].b = 0;
  expect_error(bad, "pairs[0]");
  bad = p;
  bad.must_meet = {{0, 5}};
  expect_error(bad, "must_meet[0]");
  bad = p;
  bad.never_meet = {{-1, 0}};
  expect_error(bad, "never_meet[0]");
  bad = p;
  bad.fixed = {Meeting{2, 0, 0, 1, 0.0}};
  expect_error(bad, "fixed[0].slot");
  bad = p;
  bad.fixed = {Meeting{0, 1, 0, 1, 0.0}};
  expect_error(bad, "fixed[0].table");
  bad = p;
  bad.attendees.push_back(Attendee("C"));
  bad.tables = {2, 2};
  bad.fixed = {Meeting{0, 0, 0, 1, 0.0}, Meeting{0, 1, 0, 2, 0.0}};
  expect_error(bad, "fixed[1]");
  bad.fixed = {Meeting{0, 0, 0, 1, 0.0}, Meeting{1, 0, 1, 0, 0.0}};
  expect_error(bad, "fixed[1]");
}

TEST(MeetingScheduleTest, KeepsEveryHardRuleOnRandomInstances) {
  int conflicts_seen = 0, with_sides = 0;
  for (uint64_t seed = 1; seed <= 300; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    const ScheduleProblem p = RandomProblem(seed, InstanceShape{});
    const absl::StatusOr<ScheduleResult> result = SolveSchedule(p);
    ASSERT_TRUE(result.ok()) << result.status();
    ExpectValid(p, *result);
    conflicts_seen += result->quality.conflicts.empty() ? 0 : 1;
    with_sides += p.attendees[0].side != ScheduleAttendee::Side::kNone ? 1 : 0;
  }
  EXPECT_GT(conflicts_seen, 20);  // the generator really exercises must vs never
  EXPECT_GT(with_sides, 50);
}

TEST(MeetingScheduleTest, SameInputAndSeedGiveTheSameSchedule) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    const ScheduleProblem p = RandomProblem(seed, InstanceShape{});
    const auto first = SolveSchedule(p), second = SolveSchedule(p);
    ASSERT_TRUE(first.ok() && second.ok());
    ASSERT_EQ(first->meetings.size(), second->meetings.size()) << seed;
    for (size_t k = 0; k < first->meetings.size(); ++k) {
      const Meeting &x = first->meetings[k], &y = second->meetings[k];
      EXPECT_EQ(std::tie(x.slot, x.table, x.a, x.b), std::tie(y.slot, y.table, y.a, y.b));
      EXPECT_EQ(x.score, y.score);
    }
    EXPECT_EQ(first->quality.conflicts, second->quality.conflicts);
  }
}

TEST(MeetingScheduleTest, SidesAllowOnlyBuyerSupplierMeetings) {
  ScheduleProblem p;
  p.slots = 3;
  p.tables = {4, 4, 4};
  p.max_meetings = 3;
  using Side = ScheduleAttendee::Side;
  p.attendees = {Attendee("B1", Side::kBuyer), Attendee("B2", Side::kBuyer),
                 Attendee("S1", Side::kSupplier), Attendee("S2", Side::kSupplier)};
  for (int a = 0; a < 4; ++a) {
    for (int b = a + 1; b < 4; ++b) p.pairs.push_back({a, b, 9.0});
  }
  p.must_meet = {{0, 1}};
  const auto result = SolveSchedule(p);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->quality.meetings, 4);  // B1-S1, B1-S2, B2-S1, B2-S2
  for (const Meeting& m : result->meetings) EXPECT_NE(p.attendees[m.a].side, p.attendees[m.b].side);
  EXPECT_THAT(result->quality.conflicts, ::testing::Contains(HasSubstr("B1-B2")));
}

TEST(MeetingScheduleTest, MustMeetPairsArePlacedBeforeBetterPairs) {
  // A can hold one meeting; B scores far higher, but A must meet C.
  ScheduleProblem p;
  p.slots = 2;
  p.tables = {2, 2};
  p.max_meetings = 1;
  p.attendees = {Attendee("A"), Attendee("B"), Attendee("C")};
  p.pairs = {{0, 1, 10.0}, {0, 2, 0.1}};
  p.must_meet = {{2, 0}};
  const auto result = SolveSchedule(p);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->meetings.size(), 1u);
  EXPECT_EQ(std::minmax(result->meetings[0].a, result->meetings[0].b), std::minmax(0, 2));
  EXPECT_TRUE(result->quality.conflicts.empty());

  // A must-meet pair with no score of its own is still met, with score 0.
  p.pairs = {{0, 1, 10.0}};
  const auto unscored = SolveSchedule(p);
  ASSERT_TRUE(unscored.ok());
  ASSERT_EQ(unscored->meetings.size(), 1u);
  EXPECT_EQ(unscored->meetings[0].score, 0.0);
}

TEST(MeetingScheduleTest, NeverMeetWinsOverMustMeetAndIsReported) {
  ScheduleProblem p;
  p.slots = 2;
  p.tables = {2, 2};
  p.max_meetings = 2;
  p.attendees = {Attendee("A"), Attendee("B")};
  p.pairs = {{0, 1, 5.0}};
  p.must_meet = {{0, 1}};
  p.never_meet = {{1, 0}};
  const auto result = SolveSchedule(p);
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->meetings.empty());
  EXPECT_THAT(result->quality.conflicts, ::testing::ElementsAre(HasSubstr("never-meet wins")));
}

TEST(MeetingScheduleTest, ReplanningKeepsPublishedMeetings) {
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    InstanceShape shape;
    shape.must_never = false;
    ScheduleProblem p = RandomProblem(seed, shape);
    const auto published = SolveSchedule(p);
    ASSERT_TRUE(published.ok());
    // Keep every other published meeting; late registrations join.
    for (size_t k = 0; k < published->meetings.size(); k += 2) {
      p.fixed.push_back(published->meetings[k]);
    }
    Rng rng(seed + 1000);
    const int before = static_cast<int>(p.attendees.size());
    for (int late = 0; late < 5; ++late) {
      p.attendees.push_back(Attendee(absl::StrCat("late", late)));
      for (int k = 0; k < 6; ++k) {
        p.pairs.push_back({before + late, rng.Uniform(0, before - 1), rng.Uniform(0, 900) / 100.0});
      }
    }
    const auto replanned = SolveSchedule(p);
    ASSERT_TRUE(replanned.ok()) << replanned.status();
    ExpectValid(p, *replanned);
  }
}

TEST(MeetingScheduleTest, FixedMeetingsStayEvenWhenRulesChanged) {
  // Published: A-B in slot 1 at table 2. Since then A-B became never-meet and
  // B left slot 1; the meeting is kept and both changes are reported.
  ScheduleProblem p;
  p.slots = 2;
  p.tables = {3, 3};
  p.max_meetings = 2;
  p.attendees = {Attendee("A"), Attendee("B"), Attendee("C")};
  p.attendees[1].available = {true, false};
  p.pairs = {{0, 1, 4.0}, {0, 2, 3.0}, {1, 2, 2.0}};
  p.never_meet = {{0, 1}};
  p.fixed = {Meeting{1, 2, 1, 0, 4.0}};
  const auto result = SolveSchedule(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectValid(p, *result);
  // A-B kept in slot 1; A-C (3.0) and B-C (2.0) both need C in slot 0 (A is
  // busy in slot 1, B is there only), so the better one, A-C, is added.
  EXPECT_EQ(result->quality.meetings, 2);
  EXPECT_NEAR(result->quality.utility, 7.0, 1e-9);
  EXPECT_THAT(result->quality.conflicts,
              ::testing::UnorderedElementsAre(HasSubstr("never-meet pair (kept)"),
                                              HasSubstr("not available (kept)")));
}

TEST(MeetingScheduleTest, IdleGapsAreAvoidedWhenSlotsAllowIt) {
  // A star: the hub meets four partners in six slots, all in a row.
  ScheduleProblem p;
  p.slots = 6;
  p.tables = {3, 3, 3, 3, 3, 3};
  p.max_meetings = 4;
  p.attendees = {Attendee("hub"), Attendee("p1"), Attendee("p2"), Attendee("p3"), Attendee("p4")};
  for (int k = 1; k <= 4; ++k) p.pairs.push_back({0, k, 1.0 * k});
  const auto result = SolveSchedule(p);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->quality.meetings, 4);
  EXPECT_EQ(result->quality.idle_gaps, 0);
}

// The shape of the GLPK sweeps below: small enough for exact answers.
InstanceShape GlpkShape() {
  InstanceShape shape;
  shape.min_attendees = 8;
  shape.max_attendees = 12;
  shape.min_slots = 3;
  shape.max_slots = 4;
  return shape;
}

// What a sweep instance's floor came to.
enum class FloorOutcome { kReached, kInfeasible, kUndecided, kMissed };

// Solves sweep instance `seed` (every hard rule checked). When the floor is
// not reached, asks GLPK whether it is feasible: a miss (reported as a test
// failure) is an instance GLPK solves with every attendee at its target.
FloorOutcome SolveForFloor(uint64_t seed) {
  ScheduleProblem p = RandomProblem(seed, GlpkShape());
  p.must_meet.clear();  // the exact model treats must-meet as allowed only
  const auto result = SolveSchedule(p);
  EXPECT_TRUE(result.ok());
  if (!result.ok()) return FloorOutcome::kMissed;
  ExpectValid(p, *result);
  const std::vector<int> targets = testing::FloorTargets(p);
  std::vector<int> degree(p.attendees.size(), 0);
  for (const Meeting& m : result->meetings) ++degree[m.a], ++degree[m.b];
  bool reached = true;
  for (size_t i = 0; i < degree.size(); ++i) reached = reached && degree[i] >= targets[i];
  EXPECT_EQ(result->quality.floor_reached, reached);
  if (reached) return FloorOutcome::kReached;
  const testing::ExactSchedule exact = testing::FloorFeasible(p, targets);
  if (!exact.solved) return FloorOutcome::kUndecided;
  if (!exact.feasible) return FloorOutcome::kInfeasible;
  ADD_FAILURE() << "GLPK reaches the floor " << p.min_meetings << "; the solver leaves "
                << result->quality.below_floor << " attendees below it";
  return FloorOutcome::kMissed;
}

// Sweep instances where earlier solvers missed a feasible floor: the floor
// needs chains of moves (an attendee's only partner is full, its partner
// then needs a new partner in a full slot, and so on).
TEST(MeetingScheduleTest, ReachesFeasibleFloorsThatNeedLongChains) {
  for (uint64_t seed : {322, 445, 569, 595}) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    ScheduleProblem p = RandomProblem(seed, GlpkShape());
    p.must_meet.clear();
    EXPECT_TRUE(testing::FloorFeasible(p, testing::FloorTargets(p)).feasible);
    EXPECT_EQ(SolveForFloor(seed), FloorOutcome::kReached);
  }
}

// A wide sweep: wherever GLPK shows the floor feasible, it is reached.
TEST(MeetingScheduleTest, ReachesTheFloorWhereverGlpkFindsItFeasible) {
  constexpr int kInstances = 600;
  std::map<FloorOutcome, int> outcomes;
  for (uint64_t seed = 1; seed <= kInstances; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    ++outcomes[SolveForFloor(seed)];
  }
  std::cout << kInstances << " instances: floor reached in " << outcomes[FloorOutcome::kReached]
            << ", infeasible by GLPK in " << outcomes[FloorOutcome::kInfeasible]
            << ", undecided by GLPK in " << outcomes[FloorOutcome::kUndecided] << ", missed in "
            << outcomes[FloorOutcome::kMissed] << "\n";
  EXPECT_EQ(outcomes[FloorOutcome::kMissed], 0);
  EXPECT_GT(outcomes[FloorOutcome::kReached], kInstances / 2);
  EXPECT_LE(outcomes[FloorOutcome::kUndecided], 8);  // GLPK's 5 s limit, rarely hit
}

TEST(EventPairScoresTest, PairScoreIsTheBetterDirectionWithinTheCandidates) {
  auto rec = [](const std::string& id, float score) {
    Recommendation r;
    r.firm_id = id;
    r.score = score;
    return r;
  };
  const absl::flat_hash_map<std::string, int> index = {{"A", 0}, {"B", 1}, {"C", 2}, {"D", 3}};
  const std::vector<std::vector<Recommendation>> lists = {
      {rec("B", 0.9f), rec("C", 0.4f), rec("D", 0.3f)},   // D is past the 2 candidates
      {rec("A", 0.5f), rec("GONE", 0.8f)},                // a firm not at the event
      {rec("A", 0.7f), rec("C", 0.6f), rec("B", -0.2f)},  // itself; negative score
      {},
  };
  const std::vector<ScoredPair> pairs = PairsFromMatchLists(lists, index, 2);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(std::tie(pairs[0].a, pairs[0].b), std::make_tuple(0, 1));
  EXPECT_NEAR(pairs[0].score, 0.9, 1e-6);  // A's direction beats B's 0.5
  EXPECT_EQ(std::tie(pairs[1].a, pairs[1].b), std::make_tuple(0, 2));
  EXPECT_NEAR(pairs[1].score, 0.7, 1e-6);  // C's direction beats A's 0.4

  // All candidates: D comes in, and the negative C-B score counts as 0.
  const std::vector<ScoredPair> all = PairsFromMatchLists(lists, index, -1);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(std::tie(all[2].a, all[2].b), std::make_tuple(0, 3));
  EXPECT_NEAR(all[2].score, 0.3, 1e-6);
  EXPECT_EQ(std::tie(all[3].a, all[3].b), std::make_tuple(1, 2));
  EXPECT_EQ(all[3].score, 0.0);
  EXPECT_TRUE(PairsFromMatchLists(lists, index, 0).empty());

  // The pairs feed SolveSchedule directly.
  ScheduleProblem p;
  p.slots = 2;
  p.tables = {2, 2};
  p.max_meetings = 2;
  for (const char* id : {"A", "B", "C", "D"}) p.attendees.push_back(Attendee(id));
  p.pairs = all;
  const auto result = SolveSchedule(p);
  ASSERT_TRUE(result.ok()) << result.status();
  ExpectValid(p, *result);
  // A's cap of 2 leaves A-D out; the triangle A, B, C fits two slots only
  // two at a time.
  EXPECT_EQ(result->quality.meetings, 2);
  EXPECT_NEAR(result->quality.utility, 1.6, 1e-6);
}

// The bound is an upper bound on GLPK's optimum; the solver never beats the
// optimum; wherever GLPK finds the floor feasible, the solver reaches it.
TEST(MeetingScheduleTest, BoundAndFloorAgainstGlpkOnSmallInstances) {
  const InstanceShape shape = GlpkShape();
  double sum_ratio_to_optimum = 0, sum_ratio_to_bound = 0, worst_to_optimum = 1;
  int instances = 0, floor_feasible = 0, undecided = 0;
  for (uint64_t seed = 1; seed <= 120; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    ScheduleProblem p = RandomProblem(seed, shape);
    p.must_meet.clear();  // the exact model treats must-meet as allowed only
    const auto result = SolveSchedule(p);
    ASSERT_TRUE(result.ok());
    ExpectValid(p, *result);
    const testing::ExactSchedule optimum = testing::SolveExactly(p, nullptr);
    ASSERT_TRUE(optimum.solved && optimum.feasible);
    EXPECT_GE(result->quality.upper_bound, optimum.utility - 1e-6);
    EXPECT_LE(result->quality.utility, optimum.utility + 1e-6);
    const std::vector<int> targets = testing::FloorTargets(p);
    const testing::ExactSchedule with_floor = testing::SolveExactly(p, &targets);
    if (!with_floor.solved) ++undecided;
    if (with_floor.feasible) {
      ++floor_feasible;
      EXPECT_TRUE(result->quality.floor_reached)
          << result->quality.below_floor << " attendees below the floor " << p.min_meetings;
      std::vector<int> degree(p.attendees.size(), 0);
      for (const Meeting& m : result->meetings) ++degree[m.a], ++degree[m.b];
      for (size_t i = 0; i < degree.size(); ++i) {
        EXPECT_GE(degree[i], targets[i]) << "attendee " << i;
      }
    }
    if (optimum.utility > 0) {
      const double to_optimum = result->quality.utility / optimum.utility;
      sum_ratio_to_optimum += to_optimum;
      worst_to_optimum = std::min(worst_to_optimum, to_optimum);
      sum_ratio_to_bound += result->quality.ratio;
      ++instances;
    }
  }
  ASSERT_GT(instances, 100);
  // GLPK gives up (5 s each) on a few infeasibility proofs; they stay few.
  EXPECT_LE(undecided, 3);
  EXPECT_GT(floor_feasible, 60);
  const double mean_to_optimum = sum_ratio_to_optimum / instances;
  std::cout << "instances " << instances << ", floor feasible " << floor_feasible
            << ", floor undecided by GLPK " << undecided << ", utility/optimum mean "
            << mean_to_optimum << " worst " << worst_to_optimum << ", utility/bound mean "
            << sum_ratio_to_bound / instances << "\n";
  EXPECT_GE(mean_to_optimum, 0.9);
}

}  // namespace
}  // namespace clustermatch
