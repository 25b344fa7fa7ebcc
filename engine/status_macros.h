// Small helpers for absl::Status plumbing. Debian's abseil (20220623) ships
// no RETURN_IF_ERROR / ASSIGN_OR_RETURN, so the project keeps its own here.
#ifndef CLUSTERMATCH_ENGINE_STATUS_MACROS_H_
#define CLUSTERMATCH_ENGINE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define CM_CONCAT_INNER_(a, b) a##b
#define CM_CONCAT_(a, b) CM_CONCAT_INNER_(a, b)

// Returns the status from the enclosing function if `expr` is not OK.
#define CM_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status cm_status_ = (expr);      \
    if (!cm_status_.ok()) return cm_status_; \
  } while (false)

// `lhs = value of rexpr`, or returns its status if it is not OK.
#define CM_ASSIGN_OR_RETURN(lhs, rexpr) \
  CM_ASSIGN_OR_RETURN_IMPL_(CM_CONCAT_(cm_statusor_, __LINE__), lhs, rexpr)
#define CM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                              \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()

#endif  // CLUSTERMATCH_ENGINE_STATUS_MACROS_H_
