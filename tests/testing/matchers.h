// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::testing {

MATCHER(IsOk, "is OK") {
  if (arg.has_value()) return true;
  *result_listener << "error: " << arg.error().ToString();
  return false;
}

MATCHER_P(IsError, code, "fails with " + std::string(ErrorCodeName(code))) {
  if (arg.has_value()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "error: " << arg.error().ToString();
  return arg.error().code() == code;
}

MATCHER_P(HasMessage, substr, "fails with a message containing \"" + std::string(substr) + "\"") {
  if (arg.has_value()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "error: " << arg.error().ToString();
  return arg.error().message().find(substr) != std::string::npos;
}

MATCHER_P(HasValue, matcher, "has a value that " + ::testing::DescribeMatcher<decltype(matcher)>(matcher)) {
  if (!arg.has_value()) {
    *result_listener << "error: " << arg.error().ToString();
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, *arg, result_listener);
}

}  // namespace cqlbulk::testing

#define CQLBULK_ASSERT_OK(expr)                                   \
  do {                                                            \
    const auto& cqlbulk_s_ = (expr);                              \
    ASSERT_TRUE(cqlbulk_s_.has_value()) << cqlbulk_s_.error().ToString(); \
  } while (false)

#define CQLBULK_ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)               \
  auto tmp = (expr);                                                    \
  ASSERT_TRUE(tmp.has_value()) << #expr << ": " << tmp.error().ToString(); \
  lhs = std::move(tmp).value()

#define CQLBULK_ASSERT_OK_AND_ASSIGN(lhs, expr) \
  CQLBULK_ASSERT_OK_AND_ASSIGN_IMPL(CQLBULK_CONCAT(cqlbulk_test_r_, __LINE__), lhs, expr)
