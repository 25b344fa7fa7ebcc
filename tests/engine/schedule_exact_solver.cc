// GLPK model of a meeting schedule: a binary x[pair, slot] for every allowed
// pair and every slot both attendees are available in.
#include "tests/engine/schedule_exact_solver.h"

#include <glpk.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace clustermatch::testing {
namespace {

struct Allowed {
  int a, b;
  double score;
};

bool Available(const ScheduleAttendee& x, int slot) {
  return x.available.empty() || x.available[slot];
}

std::vector<Allowed> AllowedPairs(const ScheduleProblem& p) {
  std::map<std::pair<int, int>, double> best;
  for (const ScoredPair& q : p.pairs) {
    const auto key = std::minmax(q.a, q.b);
    auto [it, inserted] = best.emplace(key, q.score);
    if (!inserted) it->second = std::max(it->second, q.score);
  }
  for (const auto& [a, b] : p.must_meet) best.emplace(std::minmax(a, b), 0.0);
  std::set<std::pair<int, int>> never;
  for (const auto& [a, b] : p.never_meet) never.insert(std::minmax(a, b));
  std::vector<Allowed> out;
  for (const auto& [key, score] : best) {
    const ScheduleAttendee& x = p.attendees[key.first];
    const ScheduleAttendee& y = p.attendees[key.second];
    if (never.count(key)) continue;
    if (x.side != ScheduleAttendee::Side::kNone && x.side == y.side) continue;
    out.push_back({key.first, key.second, score});
  }
  return out;
}

int Cap(const ScheduleProblem& p, int i) {
  return p.attendees[i].max_meetings > 0 ? p.attendees[i].max_meetings : p.max_meetings;
}

}  // namespace

std::vector<int> FloorTargets(const ScheduleProblem& p) {
  const int n = static_cast<int>(p.attendees.size());
  std::vector<int> partners(n, 0);
  for (const Allowed& e : AllowedPairs(p)) {
    bool shared = false;
    for (int s = 0; s < p.slots; ++s) {
      shared = shared || (Available(p.attendees[e.a], s) && Available(p.attendees[e.b], s));
    }
    if (shared) ++partners[e.a], ++partners[e.b];
  }
  std::vector<int> targets(n);
  for (int i = 0; i < n; ++i) {
    int slots = 0;
    for (int s = 0; s < p.slots; ++s) slots += Available(p.attendees[i], s) ? 1 : 0;
    targets[i] =
        std::min({p.min_meetings, Cap(p, i), p.attendees[i].representatives * slots, partners[i]});
  }
  return targets;
}

namespace {

ExactSchedule Solve(const ScheduleProblem& p, const std::vector<int>* floor, bool scores,
                    int time_limit_ms) {
  const int n = static_cast<int>(p.attendees.size());
  const std::vector<Allowed> pairs = AllowedPairs(p);
  glp_term_out(GLP_OFF);
  glp_prob* lp = glp_create_prob();
  glp_set_obj_dir(lp, GLP_MAX);
  // Rows: one per pair (meets at most once), per (attendee, slot), per slot
  // (tables), per attendee (cap and floor).
  const int pair_rows = static_cast<int>(pairs.size());
  const int cell_rows = n * p.slots;
  const int rows = pair_rows + cell_rows + p.slots + n;
  glp_add_rows(lp, rows);
  for (int k = 0; k < pair_rows; ++k) glp_set_row_bnds(lp, 1 + k, GLP_UP, 0, 1);
  for (int i = 0; i < n; ++i) {
    for (int s = 0; s < p.slots; ++s) {
      glp_set_row_bnds(lp, 1 + pair_rows + i * p.slots + s, GLP_UP, 0,
                       p.attendees[i].representatives);
    }
  }
  for (int s = 0; s < p.slots; ++s) {
    glp_set_row_bnds(lp, 1 + pair_rows + cell_rows + s, GLP_UP, 0, p.tables[s]);
  }
  for (int i = 0; i < n; ++i) {
    const int row = 1 + pair_rows + cell_rows + p.slots + i;
    const int low = floor ? (*floor)[i] : 0;
    if (low > 0) {
      glp_set_row_bnds(lp, row, low == Cap(p, i) ? GLP_FX : GLP_DB, low, Cap(p, i));
    } else {
      glp_set_row_bnds(lp, row, GLP_UP, 0, Cap(p, i));
    }
  }
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0};
  int column = 0;
  for (int k = 0; k < pair_rows; ++k) {
    const Allowed& e = pairs[k];
    for (int s = 0; s < p.slots; ++s) {
      if (!Available(p.attendees[e.a], s) || !Available(p.attendees[e.b], s)) continue;
      column = glp_add_cols(lp, 1);
      glp_set_col_kind(lp, column, GLP_BV);
      glp_set_obj_coef(lp, column, scores ? e.score : 0.0);
      for (int row : {1 + k, 1 + pair_rows + e.a * p.slots + s, 1 + pair_rows + e.b * p.slots + s,
                      1 + pair_rows + cell_rows + s, 1 + pair_rows + cell_rows + p.slots + e.a,
                      1 + pair_rows + cell_rows + p.slots + e.b}) {
        ia.push_back(row);
        ja.push_back(column);
        ar.push_back(1.0);
      }
    }
  }
  ExactSchedule result;
  if (column == 0) {  // nothing can meet: feasible only without a floor above 0
    result.solved = true;
    result.feasible = true;
    for (int i = 0; floor && i < n; ++i) result.feasible = result.feasible && (*floor)[i] == 0;
    glp_delete_prob(lp);
    return result;
  }
  glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());
  glp_iocp parm;
  glp_init_iocp(&parm);
  parm.presolve = GLP_ON;
  parm.msg_lev = GLP_MSG_OFF;
  parm.tm_lim = time_limit_ms;  // an instance that needs more counts as unsolved
  const int rc = glp_intopt(lp, &parm);
  const int status = glp_mip_status(lp);
  result.solved = (rc == 0 && (status == GLP_OPT || status == GLP_NOFEAS)) || rc == GLP_ENOPFS;
  result.feasible = rc == 0 && status == GLP_OPT;
  if (result.feasible) result.utility = glp_mip_obj_val(lp);
  glp_delete_prob(lp);
  return result;
}

}  // namespace

ExactSchedule SolveExactly(const ScheduleProblem& p, const std::vector<int>* floor) {
  return Solve(p, floor, /*scores=*/true, /*time_limit_ms=*/5000);
}

ExactSchedule FloorFeasible(const ScheduleProblem& p, const std::vector<int>& floor) {
  return Solve(p, &floor, /*scores=*/false, /*time_limit_ms=*/1000);
}

}  // namespace clustermatch::testing
