// FirmCatalog: the in-memory copy of the stored profiles, by store key and by
// external id. The id index is ordered, so listing a page of firms after a
// given id costs the firms visited, not a sort of the whole catalog. The
// engine owns one and changes it only under its writer lock.
#ifndef CLUSTERMATCH_ENGINE_FIRM_CATALOG_H_
#define CLUSTERMATCH_ENGINE_FIRM_CATALOG_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "engine/firm.h"

namespace clustermatch {

class FirmCatalog {
 public:
  using IdIndex = absl::btree_map<std::string, int64_t>;

  // Room for `firms` profiles, so that loading a store moves none of them
  // while the table grows.
  void Reserve(size_t firms) { firms_.reserve(firms); }
  void Put(int64_t key, Firm firm) {
    ids_[firm.id] = key;
    firms_[key] = std::move(firm);
  }
  void Erase(const std::string& id) {
    auto it = ids_.find(id);
    if (it == ids_.end()) return;
    firms_.erase(it->second);
    ids_.erase(it);
  }
  // Null when absent.
  const Firm* ByKey(int64_t key) const {
    auto it = firms_.find(key);
    return it == firms_.end() ? nullptr : &it->second;
  }
  // -1 when absent.
  int64_t KeyOf(const std::string& id) const {
    auto it = ids_.find(id);
    return it == ids_.end() ? -1 : it->second;
  }
  size_t size() const { return firms_.size(); }
  const absl::flat_hash_map<int64_t, Firm>& firms() const { return firms_; }
  // Id -> key, ordered by id (byte-wise).
  const IdIndex& ids() const { return ids_; }

 private:
  absl::flat_hash_map<int64_t, Firm> firms_;
  IdIndex ids_;
};

}  // namespace clustermatch

#endif  // CLUSTERMATCH_ENGINE_FIRM_CATALOG_H_
