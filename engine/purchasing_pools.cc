// Joint-purchasing pools: material normalisation and merging, then the split
// of each material's buyers into parts (see purchasing_pools.h).
#include "engine/purchasing_pools.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "engine/status_macros.h"
#include "models/text_normalizer.h"

namespace clustermatch {
namespace {

absl::Status FieldError(const std::string& field, const std::string& reason) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", reason));
}

absl::Status ValidateOptions(std::span<const PoolFirm> firms, const PoolOptions& options) {
  if (options.min_size < 2) {
    return FieldError("min_size", absl::StrCat("must be at least 2, got ", options.min_size));
  }
  if (options.max_size < 0 || (options.max_size > 0 && options.max_size < options.min_size)) {
    return FieldError("max_size", absl::StrCat("must be 0 (no cap) or at least min_size (",
                                               options.min_size, "), got ", options.max_size));
  }
  if (!(options.merge_threshold >= 0.0f && options.merge_threshold <= 1.0f)) {
    return FieldError("merge_threshold",
                      absl::StrCat("must be in [0, 1], got ", options.merge_threshold));
  }
  const int n = static_cast<int>(firms.size());
  for (size_t k = 0; k < options.never_together.size(); ++k) {
    const auto [a, b] = options.never_together[k];
    const std::string field = absl::StrCat("never_together[", k, "]");
    for (int index : {a, b}) {
      if (index < 0 || index >= n) {
        return FieldError(field, absl::StrCat("firm index ", index, " out of range [0, ", n, ")"));
      }
    }
    if (a == b) return FieldError(field, absl::StrCat("pairs firm ", a, " with itself"));
  }
  std::map<std::string, int> first_with_id;
  for (int i = 0; i < n; ++i) {
    const std::string field = absl::StrCat("firms[", i, "].id");
    if (firms[i].id.empty()) return FieldError(field, "empty");
    const auto [it, inserted] = first_with_id.emplace(firms[i].id, i);
    if (!inserted) {
      return FieldError(field,
                        absl::StrCat("\"", firms[i].id, "\" repeats firms[", it->second, "].id"));
    }
  }
  return absl::OkStatus();
}

// Distinct normalised spellings (sorted) and, per firm, the ids of the
// spellings it lists (sorted, distinct).
struct Spellings {
  std::vector<std::string> texts;
  std::vector<std::vector<int>> of_firm;
};

absl::StatusOr<Spellings> CollectSpellings(std::span<const PoolFirm> firms) {
  std::vector<std::vector<std::string>> normalised(firms.size());
  std::set<std::string> distinct;
  for (size_t i = 0; i < firms.size(); ++i) {
    for (size_t j = 0; j < firms[i].materials.size(); ++j) {
      absl::StatusOr<std::string> text = NormalizeText(firms[i].materials[j]);
      if (!text.ok()) {
        return FieldError(absl::StrCat("firms[", i, "].materials[", j, "]"),
                          std::string(text.status().message()));
      }
      if (text->empty()) continue;
      distinct.insert(*text);
      normalised[i].push_back(*std::move(text));
    }
  }
  Spellings spellings;
  spellings.texts.assign(distinct.begin(), distinct.end());
  spellings.of_firm.resize(firms.size());
  for (size_t i = 0; i < firms.size(); ++i) {
    std::vector<int>& ids = spellings.of_firm[i];
    for (const std::string& text : normalised[i]) {
      ids.push_back(
          static_cast<int>(std::lower_bound(spellings.texts.begin(), spellings.texts.end(), text) -
                           spellings.texts.begin()));
    }
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  }
  return spellings;
}

// Union-find whose roots are the smallest member, so groups come out the
// same whatever the order of unions.
class DisjointSets {
 public:
  explicit DisjointSets(int size) : parent_(size) { std::iota(parent_.begin(), parent_.end(), 0); }
  int Find(int x) {
    while (parent_[x] != x) {
      parent_[x] = parent_[parent_[x]];
      x = parent_[x];
    }
    return x;
  }
  void Union(int a, int b) {
    a = Find(a);
    b = Find(b);
    if (a == b) return;
    if (b < a) std::swap(a, b);
    parent_[b] = a;
  }

 private:
  std::vector<int> parent_;
};

// Material of each spelling: the index of its group's smallest spelling.
std::vector<int> MergeSpellings(const std::vector<std::string>& texts, const PoolOptions& options) {
  const int m = static_cast<int>(texts.size());
  DisjointSets sets(m);
  if (options.similarity) {
    for (int a = 0; a < m; ++a) {
      for (int b = a + 1; b < m; ++b) {
        if (sets.Find(a) == sets.Find(b)) continue;  // already one material
        const float similarity = options.similarity(texts[a], texts[b]);
        if (similarity >= options.merge_threshold) sets.Union(a, b);
      }
    }
  }
  std::vector<int> material(m);
  for (int s = 0; s < m; ++s) material[s] = sets.Find(s);
  return material;
}

// One material's buyers being split into parts. Members are local indexes
// 0..size-1; `conflicts[v]` lists the members v must not share a part with.
class PartSplitter {
 public:
  struct LeftOut {
    int member;
    LeftOutReason reason;
  };

  PartSplitter(std::vector<std::vector<int>> conflicts, int min_size, int max_size)
      : conflicts_(std::move(conflicts)),
        min_size_(min_size),
        cap_(max_size > 0 ? max_size : static_cast<int>(conflicts_.size())),
        part_of_(conflicts_.size(), -1) {}

  void Run() {
    ColourFirstFit();
    Balance();
    DissolveSmallParts();
    Readmit();
  }

  // The parts left, each ascending, ordered by smallest member.
  std::vector<std::vector<int>> Parts() const {
    std::vector<std::vector<int>> parts;
    for (const std::vector<int>& part : parts_) {
      if (part.empty()) continue;
      parts.push_back(part);
      std::sort(parts.back().begin(), parts.back().end());
    }
    std::sort(parts.begin(), parts.end());
    return parts;
  }

  // Ascending by member.
  std::vector<LeftOut> LeftOuts() const {
    std::vector<LeftOut> left_out = left_out_;
    std::sort(left_out.begin(), left_out.end(),
              [](const LeftOut& a, const LeftOut& b) { return a.member < b.member; });
    return left_out;
  }

 private:
  int Size(int part) const { return static_cast<int>(parts_[part].size()); }
  int PartCount() const { return static_cast<int>(parts_.size()); }

  bool MayJoin(int member, int part) const {
    for (int other : conflicts_[member]) {
      if (part_of_[other] == part) return false;
    }
    return true;
  }

  void Add(int member, int part) {
    parts_[part].push_back(member);
    part_of_[member] = part;
  }

  void Move(int member, int from, int to) {
    std::vector<int>& source = parts_[from];
    source.erase(std::find(source.begin(), source.end(), member));
    Add(member, to);
  }

  // Greedy colouring: members with most conflicts first (then by index),
  // each into the first part with room that it may join, else a new part.
  void ColourFirstFit() {
    std::vector<int> order(conflicts_.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return conflicts_[a].size() > conflicts_[b].size(); });
    for (int member : order) {
      int chosen = -1;
      for (int part = 0; part < PartCount() && chosen < 0; ++part) {
        if (alive_[part] && Size(part) < cap_ && MayJoin(member, part)) chosen = part;
      }
      if (chosen < 0) {
        chosen = PartCount();
        parts_.emplace_back();
        alive_.push_back(true);
      }
      Add(member, chosen);
    }
  }

  // Moves members from larger to smaller parts (never onto a conflict) while
  // two parts differ by two or more and a move is possible. Every move lowers
  // the sum of squared sizes, so this ends.
  void Balance() {
    bool moved = true;
    while (moved) {
      moved = false;
      std::vector<int> by_size;
      for (int part = 0; part < PartCount(); ++part) {
        if (alive_[part]) by_size.push_back(part);
      }
      std::stable_sort(by_size.begin(), by_size.end(),
                       [&](int a, int b) { return Size(a) > Size(b); });
      for (size_t i = 0; i < by_size.size() && !moved; ++i) {
        const int from = by_size[i];
        for (size_t j = by_size.size(); j-- > i + 1 && !moved;) {
          const int to = by_size[j];
          if (Size(from) - Size(to) < 2) break;  // the rest are no smaller
          // The largest member that may move; keeps early parts intact.
          const std::vector<int>& source = parts_[from];
          int candidate = -1;
          for (int member : source) {
            if (member > candidate && MayJoin(member, to)) candidate = member;
          }
          if (candidate >= 0) {
            Move(candidate, from, to);
            moved = true;
          }
        }
      }
    }
  }

  // The least full part with room that `member` may join (ties: the first),
  // or -1.
  int BestPartFor(int member) const {
    int best = -1;
    for (int part = 0; part < PartCount(); ++part) {
      if (!alive_[part] || Size(part) >= cap_ || !MayJoin(member, part)) continue;
      if (best < 0 || Size(part) < Size(best)) best = part;
    }
    return best;
  }

  // Places `member` (in no part) in the best part; false if none takes it.
  bool Place(int member) {
    const int part = BestPartFor(member);
    if (part < 0) return false;
    Add(member, part);
    return true;
  }

  LeftOutReason WhyNoPart(int member) const {
    for (int part = 0; part < PartCount(); ++part) {
      if (alive_[part] && MayJoin(member, part)) return LeftOutReason::kMaxSize;
    }
    return LeftOutReason::kNeverTogether;
  }

  // While a part is below min_size: dissolve the smallest (ties: the last)
  // and place its members elsewhere, or leave them out.
  void DissolveSmallParts() {
    while (true) {
      int smallest = -1;
      for (int part = 0; part < PartCount(); ++part) {
        if (!alive_[part] || Size(part) >= min_size_) continue;
        if (smallest < 0 || Size(part) <= Size(smallest)) smallest = part;
      }
      if (smallest < 0) return;
      std::vector<int> evicted = std::move(parts_[smallest]);
      parts_[smallest].clear();
      alive_[smallest] = false;
      std::sort(evicted.begin(), evicted.end());
      for (int member : evicted) part_of_[member] = -1;
      for (int member : evicted) {
        if (!Place(member)) left_out_.push_back({member, WhyNoPart(member)});
      }
      Balance();
    }
  }

  // Balancing may free room in full parts: let left-out members back in.
  // Joining only grows parts, so every part stays at min_size or more.
  void Readmit() {
    bool readmitted = true;
    while (readmitted && !left_out_.empty()) {
      readmitted = false;
      std::vector<LeftOut> still_out;
      for (const LeftOut& entry : left_out_) {
        if (Place(entry.member)) {
          readmitted = true;
        } else {
          still_out.push_back({entry.member, WhyNoPart(entry.member)});
        }
      }
      left_out_ = std::move(still_out);
      if (readmitted) Balance();
    }
  }

  std::vector<std::vector<int>> conflicts_;
  int min_size_;
  int cap_;
  std::vector<int> part_of_;  // -1: in no part
  std::vector<std::vector<int>> parts_;
  std::vector<bool> alive_;  // false: dissolved
  std::vector<LeftOut> left_out_;
};

// The spelling of `spelling_ids` that most `members` list (ties: the
// smallest, which is the smallest id as spellings are sorted).
int MostUsedSpelling(const std::vector<int>& spelling_ids, const std::vector<int>& members,
                     const Spellings& spellings) {
  int best = spelling_ids.front();
  int best_count = -1;
  for (int id : spelling_ids) {
    int count = 0;
    for (int firm : members) {
      const std::vector<int>& listed = spellings.of_firm[firm];
      if (std::binary_search(listed.begin(), listed.end(), id)) ++count;
    }
    if (count > best_count) {
      best = id;
      best_count = count;
    }
  }
  return best;
}

}  // namespace

std::string_view LeftOutReasonName(LeftOutReason reason) {
  switch (reason) {
    case LeftOutReason::kNeverTogether:
      return "never_together";
    case LeftOutReason::kMaxSize:
      return "max_size";
  }
  return "unknown";
}

absl::StatusOr<PoolResult> FormPurchasingPools(std::span<const PoolFirm> firms,
                                               const PoolOptions& options) {
  CM_RETURN_IF_ERROR(ValidateOptions(firms, options));
  CM_ASSIGN_OR_RETURN(const Spellings spellings, CollectSpellings(firms));
  const std::vector<int> material_of = MergeSpellings(spellings.texts, options);

  // Buyers and spellings of each material (keyed by its smallest spelling).
  std::map<int, std::vector<int>> buyers;
  std::map<int, std::vector<int>> spelling_ids;
  for (int s = 0; s < static_cast<int>(spellings.texts.size()); ++s) {
    spelling_ids[material_of[s]].push_back(s);
  }
  for (int firm = 0; firm < static_cast<int>(firms.size()); ++firm) {
    std::vector<int> materials;
    for (int s : spellings.of_firm[firm]) materials.push_back(material_of[s]);
    std::sort(materials.begin(), materials.end());
    materials.erase(std::unique(materials.begin(), materials.end()), materials.end());
    for (int material : materials) buyers[material].push_back(firm);  // ascending
  }

  std::vector<std::vector<int>> conflicts_of(firms.size());
  for (const auto& [a, b] : options.never_together) {
    conflicts_of[a].push_back(b);
    conflicts_of[b].push_back(a);
  }
  for (std::vector<int>& list : conflicts_of) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }

  PoolResult result;
  for (const auto& [material, buyer_list] : buyers) {
    // A plain reference: clang 14 cannot capture structured bindings.
    const auto& members = buyer_list;
    if (static_cast<int>(members.size()) < options.min_size) continue;
    const auto local = [&](int firm) {
      return static_cast<int>(std::lower_bound(members.begin(), members.end(), firm) -
                              members.begin());
    };
    std::vector<std::vector<int>> conflicts(members.size());
    for (size_t v = 0; v < members.size(); ++v) {
      for (int other : conflicts_of[members[v]]) {
        if (std::binary_search(members.begin(), members.end(), other)) {
          conflicts[v].push_back(local(other));
        }
      }
    }
    PartSplitter splitter(std::move(conflicts), options.min_size, options.max_size);
    splitter.Run();

    const std::vector<int>& ids = spelling_ids[material];
    PurchasingPool pool;
    pool.material = spellings.texts[MostUsedSpelling(ids, members, spellings)];
    for (int id : ids) pool.spellings.push_back(spellings.texts[id]);
    const std::vector<std::vector<int>> parts = splitter.Parts();
    pool.parts = static_cast<int>(parts.size());
    for (size_t p = 0; p < parts.size(); ++p) {
      pool.part = static_cast<int>(p) + 1;
      pool.members.clear();
      for (int v : parts[p]) pool.members.push_back(members[v]);
      result.pools.push_back(pool);
    }
    for (const PartSplitter::LeftOut& entry : splitter.LeftOuts()) {
      result.left_out.push_back({members[entry.member], pool.material, entry.reason});
    }
  }

  std::sort(result.pools.begin(), result.pools.end(),
            [](const PurchasingPool& a, const PurchasingPool& b) {
              if (a.members.size() != b.members.size()) return a.members.size() > b.members.size();
              if (a.material != b.material) return a.material < b.material;
              return a.part < b.part;
            });
  std::sort(result.left_out.begin(), result.left_out.end(),
            [](const PoolLeftOut& a, const PoolLeftOut& b) {
              if (a.material != b.material) return a.material < b.material;
              return a.firm < b.firm;
            });
  return result;
}

}  // namespace clustermatch
