// SPDX-License-Identifier: Apache-2.0
// The ROWS cursor and builder, and malformed counts in result metadata.
#include "cqlbulk/cql/protocol/responses.h"
#include "cqlbulk/cql/protocol/rows.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::Hex;
using ::cqlbulk::testing::IsError;

RowsMetadata TwoColumns() {
  RowsMetadata m;
  m.columns_count = 2;
  m.global_table = TableSpec{"ks", "t"};
  m.columns = {{"ks", "t", "id", DataType::Native(TypeId::kInt)},
               {"ks", "t", "v", DataType::Native(TypeId::kBlob)}};
  return m;
}

TEST(RowsBuilderTest, BuildsABodyTheCursorWalksBack) {
  RowsBuilder builder(TwoColumns(), 5);
  Bytes id = Hex("00000001");
  std::vector<std::optional<BytesView>> row2 = {BytesView(id), std::nullopt};

  builder.AddCell(id);
  builder.AddCell(BytesView());  // empty, not null
  CQLBULK_ASSERT_OK(builder.AddRow(row2));
  EXPECT_EQ(builder.num_rows(), 2);
  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes body, std::move(builder).FinishBody());

  CQLBULK_ASSERT_OK_AND_ASSIGN(RowsResult rows, ParseRowsResult(body, 5));
  EXPECT_EQ(rows.rows_count, 2);
  EXPECT_EQ(rows.metadata, TwoColumns());
  RowsCursor cursor = rows.cursor();
  CQLBULK_ASSERT_OK_AND_ASSIGN(bool more, cursor.Next());
  ASSERT_TRUE(more);
  EXPECT_EQ(ToHex(*cursor.cell(0)), "00000001");
  ASSERT_TRUE(cursor.cell(1).has_value());
  EXPECT_TRUE(cursor.cell(1)->empty());
  CQLBULK_ASSERT_OK_AND_ASSIGN(more, cursor.Next());
  ASSERT_TRUE(more);
  EXPECT_FALSE(cursor.cell(1).has_value());
  CQLBULK_ASSERT_OK_AND_ASSIGN(more, cursor.Next());
  EXPECT_FALSE(more);
  EXPECT_EQ(cursor.bytes_remaining(), 0u);
}

TEST(RowsBuilderTest, FinishFrameWritesTheHeaderInPlace) {
  RowsBuilder builder(TwoColumns(), 4);
  builder.AddCell(Hex("00000002"));
  builder.AddNull();
  FrameHeader h{.version = 4, .is_response = true, .flags = 0, .stream = 9,
                .opcode = Opcode::kReady, .length = 0};

  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes frame, std::move(builder).FinishFrame(h));

  CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<FrameView> view, PeekFrame(frame));
  ASSERT_TRUE(view.has_value());
  EXPECT_EQ(view->wire_size(), frame.size());
  EXPECT_EQ(view->header.opcode, Opcode::kResult);
  EXPECT_EQ(view->header.stream, 9);
  CQLBULK_ASSERT_OK_AND_ASSIGN(RowsResult rows, ParseRowsResult(view->body, 4));
  EXPECT_EQ(rows.rows_count, 1);
}

TEST(RowsBuilderTest, RefusesIncompleteRows) {
  RowsBuilder builder(TwoColumns(), 4);
  builder.AddNull();
  std::vector<std::optional<BytesView>> short_row = {std::nullopt};

  EXPECT_THAT(builder.AddRow(short_row), IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(std::move(builder).FinishBody(), IsError(ErrorCode::kInvalidArgument));
}

TEST(RowsBuilderTest, NoMetadataRowsKeepTheirWidth) {
  RowsMetadata m;
  m.columns_count = 3;
  m.no_metadata = true;
  m.paging_state = Hex("01");
  RowsBuilder builder(m, 4);
  for (int i = 0; i < 6; ++i) builder.AddCell(Hex("aa"));

  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes body, std::move(builder).FinishBody());

  EXPECT_EQ(ToHex(body), "00000002" "00000006" "00000003" "0000000101" "00000002"
                         "00000001aa00000001aa00000001aa00000001aa00000001aa00000001aa");
  CQLBULK_ASSERT_OK_AND_ASSIGN(RowsResult rows, ParseRowsResult(body, 4));
  EXPECT_TRUE(rows.metadata.no_metadata);
  EXPECT_TRUE(rows.metadata.has_more_pages());
  EXPECT_EQ(rows.cursor().num_columns(), 3u);
}

TEST(RowsCursorTest, NegativeLengthsAreNullAndOverrunsAreErrors) {
  // Two columns: a cell of length -5 (null per [bytes]), then one claiming 9 bytes of 2.
  Bytes content = Hex("fffffffb" "00000009" "0102");
  RowsCursor cursor(content, 1, 2);

  EXPECT_THAT(cursor.Next(), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(cursor.Next(), IsError(ErrorCode::kProtocol));  // stays failed
  Bytes ok = Hex("fffffffb" "00000002" "0102");
  RowsCursor good(ok, 1, 2);
  CQLBULK_ASSERT_OK_AND_ASSIGN(bool more, good.Next());
  ASSERT_TRUE(more);
  EXPECT_FALSE(good.cell(0).has_value());
  EXPECT_EQ(ToHex(*good.cell(1)), "0102");
}

TEST(RowsCursorTest, NoRowsMayClaimAnyWidthWithoutHoldingCells) {
  // The frame fuzzer's input: zero rows of 2^31 - 1 columns once reserved 32 GiB of cells.
  RowsCursor empty(Bytes{}, 0, 0x7fffffff);

  EXPECT_EQ(empty.num_columns(), 0x7fffffffu);
  EXPECT_THAT(empty.Next(), testing::HasValue(false));
}

TEST(RowsCursorTest, RejectsRowsWiderThanTheContent) {
  RowsCursor huge(Hex("00000000"), 1, 0x7fffffff);
  RowsCursor negative(Hex("00000000"), -1, 1);

  EXPECT_THAT(huge.Next(), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(negative.Next(), IsError(ErrorCode::kProtocol));
  EXPECT_EQ(huge.num_columns(), 0u);  // nothing was reserved
}

TEST(RowsResultTest, MalformedCountsAreProtocolErrors) {
  // kind Rows, flags no_metadata, columns_count, rows_count, content
  EXPECT_THAT(ParseRowsResult(Hex("00000002" "00000004" "7fffffff" "00000001" "00000000"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(ParseRowsResult(Hex("00000002" "00000004" "00000001" "80000000"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(ParseRowsResult(Hex("00000002" "00000004" "ffffffff" "00000000"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(ParseRowsResult(Hex("00000002" "00000004" "00010000" "7fffffff" "00000000"), 4),
              IsError(ErrorCode::kProtocol));
  // Column specs that cannot fit, with and without a global table spec.
  EXPECT_THAT(ParseRowsResult(Hex("00000002" "00000001" "7fffffff" "00016b" "000174"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(ParseRowsResult(Hex("00000002" "00000000" "00100000" "00000000"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(ParseRowsResult(Hex("00000001"), 4), IsError(ErrorCode::kProtocol));
}

TEST(RowsResultTest, ZeroColumnRowsNeedNoContent) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      RowsResult rows, ParseRowsResult(Hex("00000002" "00000004" "00000000" "7fffffff"), 4));
  RowsCursor cursor = rows.cursor();
  for (int i = 0; i < 1000; ++i) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(bool more, cursor.Next());
    ASSERT_TRUE(more);
  }
}

TEST(PreparedMetadataTest, MalformedCountsAreProtocolErrors) {
  // kind Prepared, id, then flags, columns_count, pk_count
  EXPECT_THAT(DecodeResponse(Opcode::kResult, Hex("00000004" "000101" "00000000" "00000000" "7fffffff"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeResponse(Opcode::kResult, Hex("00000004" "000101" "00000000" "ffffffff" "00000000"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeResponse(Opcode::kResult,
                             Hex("00000004" "000101" "00000001" "00000001" "00000000" "00016b" "000174"
                                 "000163" "0077" "00000004" "00000000"), 4),
              IsError(ErrorCode::kProtocol));  // type id 0x0077 does not exist
}

}  // namespace
}  // namespace cqlbulk::cql
