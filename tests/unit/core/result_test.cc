// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/result.h"

#include <memory>

#include "testing/matchers.h"

namespace cqlbulk {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::HasValue;
using ::cqlbulk::testing::IsError;
using ::cqlbulk::testing::IsOk;

Result<int> Half(int v) {
  if (v % 2 != 0) return InvalidArgument("odd: " + std::to_string(v));
  return v / 2;
}

Result<int> Quarter(int v) {
  CQLBULK_ASSIGN_OR_RETURN(int h, Half(v));
  CQLBULK_ASSIGN_OR_RETURN(int q, Half(h));
  return q;
}

Status CheckEven(int v) {
  CQLBULK_RETURN_IF_ERROR(Half(v));
  return OkStatus();
}

TEST(ResultTest, AssignOrReturnPropagatesValueAndError) {
  EXPECT_THAT(Quarter(8), HasValue(2));
  EXPECT_THAT(Quarter(6), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Quarter(6), HasMessage("odd: 3"));
}

TEST(ResultTest, ReturnIfErrorConvertsToStatus) {
  EXPECT_THAT(CheckEven(4), IsOk());
  EXPECT_THAT(CheckEven(5), IsError(ErrorCode::kInvalidArgument));
}

TEST(ResultTest, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(7);

  std::unique_ptr<int> p = std::move(r).value();

  EXPECT_EQ(*p, 7);
}

TEST(ResultTest, ContextIsPrepended) {
  Error e = ProtocolError("truncated").WithContext("frame 3");

  EXPECT_EQ(e.message(), "frame 3: truncated");
  EXPECT_EQ(e.ToString(), "protocol error: frame 3: truncated");
}

TEST(ResultTest, ValueOrFallsBackOnError) {
  EXPECT_EQ(Half(3).value_or(-1), -1);
  EXPECT_EQ(Half(4).value_or(-1), 2);
}

TEST(ResultTest, ServerCodeTravelsWithError) {
  Error e(ErrorCode::kServer, "syntax", 0x2000);

  EXPECT_EQ(e.server_code(), 0x2000);
  EXPECT_EQ(e.code(), ErrorCode::kServer);
}

}  // namespace
}  // namespace cqlbulk
