// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdio>
#include <cstdlib>

#include "cqlbulk/core/result.h"

#define CQLBULK_CONCAT_INNER(a, b) a##b
#define CQLBULK_CONCAT(a, b) CQLBULK_CONCAT_INNER(a, b)

/// Returns the error of `expr` (a Result or Status) from the enclosing function.
#define CQLBULK_RETURN_IF_ERROR(expr)                    \
  do {                                                   \
    auto&& cqlbulk_status_ = (expr);                     \
    if (!cqlbulk_status_.has_value()) [[unlikely]] {     \
      return std::move(cqlbulk_status_).error();         \
    }                                                    \
  } while (false)

#define CQLBULK_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr, ret) \
  auto tmp = (expr);                                       \
  if (!tmp.has_value()) [[unlikely]] {                     \
    ret std::move(tmp).error();                            \
  }                                                        \
  lhs = std::move(tmp).value()

/// `CQLBULK_ASSIGN_OR_RETURN(auto x, F());` declares x from F()'s value or returns its error.
#define CQLBULK_ASSIGN_OR_RETURN(lhs, expr) \
  CQLBULK_ASSIGN_OR_RETURN_IMPL(CQLBULK_CONCAT(cqlbulk_result_, __LINE__), lhs, expr, return)

/// Coroutine twins: they co_return the error.
#define CQLBULK_CO_RETURN_IF_ERROR(expr)                 \
  do {                                                   \
    auto&& cqlbulk_status_ = (expr);                     \
    if (!cqlbulk_status_.has_value()) [[unlikely]] {     \
      co_return std::move(cqlbulk_status_).error();      \
    }                                                    \
  } while (false)

#define CQLBULK_CO_ASSIGN_OR_RETURN(lhs, expr) \
  CQLBULK_ASSIGN_OR_RETURN_IMPL(CQLBULK_CONCAT(cqlbulk_result_, __LINE__), lhs, expr, co_return)

/// Invariant that must hold in release builds too: aborts with a message.
#define CQLBULK_CHECK(cond, msg)                                                        \
  do {                                                                                  \
    if (!(cond)) [[unlikely]] {                                                         \
      std::fprintf(stderr, "%s:%d: check failed: %s: %s\n", __FILE__, __LINE__, #cond, \
                   msg);                                                                \
      std::abort();                                                                     \
    }                                                                                   \
  } while (false)

#ifdef NDEBUG
#define CQLBULK_DCHECK(cond, msg) \
  do {                            \
  } while (false && (cond))
#else
#define CQLBULK_DCHECK(cond, msg) CQLBULK_CHECK(cond, msg)
#endif
