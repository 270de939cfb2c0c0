// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/range_query.h"

#include "testing/matchers.h"

namespace cqlbulk::ring {
namespace {

using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::HasValue;
using ::cqlbulk::testing::IsError;

RangeQuery TokInt() { return {.keyspace = "golden", .table = "tok_int", .partition_key = {"pk"}}; }

TEST(RangeQueryTest, CountWithLiteralBoundsMatchesCapturedQuery) {
  // The query of step 12 of the protocol captures in ../shared/testdata (README).
  RangeQuery query = TokInt();
  query.count = true;
  const TokenRange range(Token(-3074457345618258603), Token(3074457345618258602));

  EXPECT_THAT(BuildRangeQuery(query, range),
              HasValue("SELECT count(*) FROM golden.tok_int WHERE token(pk) > "
                       "-3074457345618258603 AND token(pk) <= 3074457345618258602"));
}

TEST(RangeQueryTest, SelectWithBindMarkersAndCompositeKey) {
  const RangeQuery query = {.keyspace = "ks",
                            .table = "t",
                            .partition_key = {"pk1", "Pk2"},
                            .columns = {"pk1", "Pk2", "value"}};

  EXPECT_THAT(BuildRangeQuery(query),
              HasValue("SELECT pk1, \"Pk2\", value FROM ks.t WHERE token(pk1, \"Pk2\") > ? AND "
                       "token(pk1, \"Pk2\") <= ?"));
}

TEST(RangeQueryTest, AlwaysQuoteQuotesEverything) {
  RangeQuery query = {.keyspace = "ks", .table = "t", .partition_key = {"pk1", "pk2"}};
  query.always_quote = true;

  EXPECT_THAT(BuildRangeQuery(query),
              HasValue("SELECT * FROM \"ks\".\"t\" WHERE token(\"pk1\", \"pk2\") > ? AND "
                       "token(\"pk1\", \"pk2\") <= ?"));
}

TEST(RangeQueryTest, PieceStartingAtMinimumUsesTheSameForm) {
  const TokenRange first(Token::Min(), Token(-5));

  EXPECT_THAT(BuildRangeQuery(TokInt(), first),
              HasValue("SELECT * FROM golden.tok_int WHERE token(pk) > -9223372036854775808 AND "
                       "token(pk) <= -5"));
}

TEST(RangeQueryTest, RandomPartitionerBoundsArePrintedAsDecimals) {
  const BigTokenRange range(BigToken::Min(), BigToken::Max());

  EXPECT_THAT(BuildRangeQuery(TokInt(), range),
              HasValue("SELECT * FROM golden.tok_int WHERE token(pk) > -1 AND token(pk) <= "
                       "170141183460469231731687303715884105728"));
}

TEST(RangeQueryTest, RejectsWrappingRange) {
  EXPECT_THAT(BuildRangeQuery(TokInt(), TokenRange(Token(5), Token(-5))),
              HasMessage("wraps around the ring"));
}

TEST(RangeQueryTest, RejectsMissingNames) {
  RangeQuery no_key = TokInt();
  no_key.partition_key.clear();
  RangeQuery empty_column = TokInt();
  empty_column.columns = {""};

  EXPECT_THAT(BuildRangeQuery(no_key), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(BuildRangeQuery(empty_column), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(BuildRangeQuery(RangeQuery{}), IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace cqlbulk::ring
