// The store's whole contents, for gRPC tests that check a failed write
// changed nothing, and a valid firm and relation to write.
#ifndef CLUSTERMATCH_TESTS_SERVER_GRPC_STORE_STATE_H_
#define CLUSTERMATCH_TESTS_SERVER_GRPC_STORE_STATE_H_

#include <string>
#include <vector>

#include "server/firm_proto_converter.h"
#include "tests/server/grpc_test_support.h"

namespace clustermatch::grpc_test {

// What the store holds, to check that failed writes change nothing.
struct StoreState {
  std::vector<Firm> firms;
  std::vector<Relation> relations;
  size_t indexed = 0;
  friend bool operator==(const StoreState&, const StoreState&) = default;
};

inline StoreState StateOf(const Engine& engine) {
  return StoreState{engine.ListFirms(), engine.ListRelations(), engine.Stats().indexed};
}

inline v1::Firm GoodFirm(const std::string& id) {
  Firm firm = testing::MakeFirm(id, "ICT", {"machine vision inspection software"},
                                {"conveyor automation partner"}, {Role::kDevelopment});
  return ToProto(firm);
}

inline v1::Relation MakeRelation(const std::string& a, const std::string& b,
                                 v1::RelationKind kind) {
  v1::Relation relation;
  relation.set_firm_a(a);
  relation.set_firm_b(b);
  relation.set_kind(kind);
  return relation;
}

}  // namespace clustermatch::grpc_test

#endif  // CLUSTERMATCH_TESTS_SERVER_GRPC_STORE_STATE_H_
