// SPDX-License-Identifier: Apache-2.0
// Values and BATCH statements serialized by their writer (EncodedValues, EncodedStatements):
// the bytes of §3 [value] and §4.1.7 <query_i>, and requests carrying them encode exactly as the
// same requests built from BoundValues and BatchStatements.
#include "cqlbulk/cql/protocol/requests.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::Hex;
using ::cqlbulk::testing::IsError;

/// Appends a [value] of `bytes` the way a bulk writer does: begin, append, end.
void AppendBytesValue(Bytes& out, BytesView bytes) {
  size_t at = BeginValue(out);
  out.insert(out.end(), bytes.begin(), bytes.end());
  ASSERT_TRUE(EndValue(out, at));
}

Bytes Encode(const Request& r, int version) {
  auto b = EncodeRequest(r, version);
  EXPECT_TRUE(b.has_value()) << b.error().ToString();
  return b.has_value() ? *b : Bytes{};
}

TEST(EncodedValuesTest, AppendsValuesAsTheSpecLaysThemOut) {
  Bytes out;  // no capacity: every append moves the bytes

  AppendNullValue(out);
  AppendUnsetValue(out);
  AppendBytesValue(out, Hex("0a0b0c"));
  AppendBytesValue(out, {});
  AppendNullValue(out);

  EXPECT_EQ(ToHex(out), "ffffffff" "fffffffe" "000000030a0b0c" "00000000" "ffffffff");
}

TEST(EncodedValuesTest, ExecuteWithEncodedValuesEncodesAsWithBoundValues) {
  ExecuteRequest bound;
  bound.id = Hex("aabb");
  bound.params.consistency = Consistency::kLocalQuorum;
  bound.params.values = {BoundValue::Of(Hex("01")), BoundValue::Null(), BoundValue::Unset()};
  bound.params.timestamp = 3;
  ExecuteRequest encoded = bound;
  encoded.params.values.clear();
  encoded.params.encoded_values.count = 3;
  AppendBytesValue(encoded.params.encoded_values.bytes, Hex("01"));
  AppendNullValue(encoded.params.encoded_values.bytes);
  AppendUnsetValue(encoded.params.encoded_values.bytes);

  Bytes bytes = Encode(encoded, 4);

  EXPECT_EQ(ToHex(bytes), ToHex(Encode(bound, 4)));
  EXPECT_EQ(ToHex(bytes), "0002aabb" "0006" "21" "0003" "0000000101" "ffffffff" "fffffffe"
                          "0000000000000003");
  auto back = DecodeRequest(Opcode::kExecute, bytes, 4);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_TRUE(std::get<ExecuteRequest>(*back) == bound);  // read back as bound values
}

TEST(EncodedValuesTest, BoundAndEncodedValuesTogetherAreRefused) {
  QueryRequest q;
  q.query = "Q";
  q.params.values = {BoundValue::Int(1)};
  q.params.encoded_values.count = 1;
  AppendNullValue(q.params.encoded_values.bytes);

  EXPECT_THAT(EncodeRequest(q, 4), IsError(ErrorCode::kInvalidArgument));
  q.params.values.clear();
  q.params.value_names = {"a"};
  EXPECT_THAT(EncodeRequest(q, 4), IsError(ErrorCode::kInvalidArgument));
}

TEST(EncodedStatementsTest, BatchSendsEncodedStatementsAfterTheOthers) {
  BatchRequest structured;
  structured.type = BatchType::kUnlogged;
  structured.consistency = Consistency::kOne;
  structured.statements.push_back(
      {.is_prepared = false, .query = "U", .id = {}, .values = {BoundValue::Int(7)}});
  structured.statements.push_back({.is_prepared = true, .query = {}, .id = Hex("ff01"),
                                   .values = {BoundValue::Of(Hex("02")), BoundValue::Unset()}});
  structured.statements.push_back(
      {.is_prepared = true, .query = {}, .id = Hex("ff01"), .values = {BoundValue::Null()}});
  BatchRequest mixed = structured;
  mixed.statements.resize(1);
  AppendPreparedHead(mixed.encoded.bytes, Hex("ff01"), 2);
  AppendBytesValue(mixed.encoded.bytes, Hex("02"));
  AppendUnsetValue(mixed.encoded.bytes);
  AppendPreparedHead(mixed.encoded.bytes, Hex("ff01"), 1);
  AppendNullValue(mixed.encoded.bytes);
  mixed.encoded.count = 2;

  Bytes bytes = Encode(mixed, 5);

  EXPECT_EQ(ToHex(bytes), ToHex(Encode(structured, 5)));
  EXPECT_EQ(ToHex(bytes), "01" "0003"                                   // unlogged, 3 statements
                          "00" "0000000155" "0001" "0000000400000007"  // "U" (7)
                          "01" "0002ff01" "0002" "0000000102" "fffffffe"
                          "01" "0002ff01" "0001" "ffffffff"
                          "0001" "00000000");                          // ONE, no flags
  auto back = DecodeRequest(Opcode::kBatch, bytes, 5);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_TRUE(std::get<BatchRequest>(*back) == structured);
}

TEST(EncodedStatementsTest, DecodeStatementsReadsWhatWasAppended) {
  EncodedStatements encoded;
  AppendPreparedHead(encoded.bytes, Hex("abcd"), 1);
  AppendBytesValue(encoded.bytes, Hex("0102"));
  encoded.count = 1;

  CQLBULK_ASSERT_OK_AND_ASSIGN(std::vector<BatchStatement> statements,
                               DecodeStatements(encoded));

  ASSERT_EQ(statements.size(), 1u);
  EXPECT_TRUE(statements[0].is_prepared);
  EXPECT_EQ(ToHex(statements[0].id), "abcd");
  ASSERT_EQ(statements[0].values.size(), 1u);
  EXPECT_EQ(ToHex(statements[0].values[0].bytes), "0102");
}

TEST(EncodedStatementsTest, DecodeStatementsRefusesWrongCountsAndTruncation) {
  EncodedStatements encoded;
  AppendPreparedHead(encoded.bytes, Hex("ab"), 1);
  AppendNullValue(encoded.bytes);

  encoded.count = 2;  // one more than there is
  EXPECT_THAT(DecodeStatements(encoded), IsError(ErrorCode::kProtocol));
  encoded.count = 0;  // bytes left over
  EXPECT_THAT(DecodeStatements(encoded), IsError(ErrorCode::kProtocol));
  encoded.count = 1;
  encoded.bytes.pop_back();  // a truncated value
  EXPECT_THAT(DecodeStatements(encoded), IsError(ErrorCode::kProtocol));
}

TEST(EncodedStatementsTest, MoreStatementsThanAShortCountsAreRefused) {
  BatchRequest b;
  b.statements.push_back({.is_prepared = false, .query = "U", .id = {}, .values = {}});
  b.encoded.count = 65535;  // with the statement above, one too many for the [short]

  EXPECT_THAT(EncodeRequest(b, 4), IsError(ErrorCode::kInvalidArgument));
}

}  // namespace
}  // namespace cqlbulk::cql
