// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/uuid.h"

#include "testing/matchers.h"

namespace cqlbulk {
namespace {

using ::cqlbulk::testing::IsError;

TEST(UuidTest, ParsesAndFormatsCanonicalForm) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(Uuid u, Uuid::Parse("550E8400-e29b-41d4-a716-446655440000"));

  EXPECT_EQ(u.ToString(), "550e8400-e29b-41d4-a716-446655440000");
  EXPECT_EQ(u.version(), 4);
}

TEST(UuidTest, RejectsMalformedText) {
  EXPECT_THAT(Uuid::Parse("550e8400e29b41d4a716446655440000"), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Uuid::Parse("550e8400-e29b-41d4-a716-44665544000g"),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(Uuid::FromBytes(Bytes(15)), IsError(ErrorCode::kInvalidArgument));
}

TEST(UuidTest, TimeuuidTimestampIsMillisSinceEpoch) {
  // A version-1 UUID minted at 2021-01-01T00:00:00Z (1609459200000 ms).
  CQLBULK_ASSERT_OK_AND_ASSIGN(Uuid u, Uuid::Parse("4a784000-4bc4-11eb-8080-808080808080"));

  EXPECT_EQ(u.version(), 1);
  EXPECT_EQ(u.unix_millis(), 1609459200000);
}

}  // namespace
}  // namespace cqlbulk
