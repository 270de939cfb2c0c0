// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/column_kind.h"

#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace cqlbulk::cql {
namespace {

TEST(ColumnKindTest, NamesAsSystemSchemaSpellsThemAndParsesThemBack) {
  EXPECT_EQ(ColumnKindName(ColumnKind::kPartitionKey), "partition_key");
  EXPECT_EQ(ColumnKindName(ColumnKind::kClustering), "clustering");
  EXPECT_EQ(ColumnKindName(ColumnKind::kRegular), "regular");
  EXPECT_EQ(ColumnKindName(ColumnKind::kStatic), "static");
  for (ColumnKind kind : {ColumnKind::kPartitionKey, ColumnKind::kClustering,
                          ColumnKind::kRegular, ColumnKind::kStatic}) {
    EXPECT_EQ(ParseColumnKind(ColumnKindName(kind)).value(), kind);
  }
  EXPECT_THAT(ParseColumnKind("compact_value"), testing::IsError(ErrorCode::kProtocol));
}

}  // namespace
}  // namespace cqlbulk::cql
