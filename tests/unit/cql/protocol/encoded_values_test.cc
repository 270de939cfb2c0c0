// SPDX-License-Identifier: Apache-2.0
// Values and BATCH statements serialized by their writer (EncodedValues, EncodedStatements):
// requests carrying them encode exactly as the same requests built from BoundValues and
// BatchStatements, in the bytes of §3 [value] and §4.1.7 <query_i>.
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/protocol/requests.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::Hex;
using ::cqlbulk::testing::IsError;

/// The [value]s of `values`, back to back, as a bulk writer serializes them.
Bytes ValuesBytes(const std::vector<BoundValue>& values) {
  ProtocolWriter out;
  for (const BoundValue& v : values) out.WriteValue(v);
  return std::move(out).Take();
}

/// Appends `bytes` to `out`.
void Append(Bytes& out, const Bytes& bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

Bytes Encode(const Request& r, int version) {
  auto b = EncodeRequest(r, version);
  EXPECT_TRUE(b.has_value()) << b.error().ToString();
  return b.has_value() ? *b : Bytes{};
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
  encoded.params.encoded_values.bytes = ValuesBytes(bound.params.values);

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
  q.params.encoded_values.bytes = Hex("ffffffff");

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
  for (size_t i = 1; i < structured.statements.size(); ++i) {
    const BatchStatement& s = structured.statements[i];
    AppendPreparedHead(mixed.encoded.bytes, s.id, static_cast<uint16_t>(s.values.size()));
    Append(mixed.encoded.bytes, ValuesBytes(s.values));
  }
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

// Borrowed bytes (a bulk writer's own buffer) encode exactly as the same bytes owned, for
// EXECUTE values and BATCH statements, in v4 and v5 and through the whole frame.
TEST(EncodedStatementsTest, BorrowedBytesEncodeAsOwnedBytes) {
  BatchRequest owned;
  owned.type = BatchType::kUnlogged;
  owned.consistency = Consistency::kLocalQuorum;
  owned.timestamp = 42;
  for (int i = 0; i < 40; ++i) {
    std::vector<BoundValue> values = {BoundValue::Int(i), BoundValue::Null(), BoundValue::Unset(),
                                      BoundValue::Of(Bytes(static_cast<size_t>(i), 0x5a))};
    AppendPreparedHead(owned.encoded.bytes, Hex("0102030405060708090a0b0c0d0e0f10"), 4);
    Append(owned.encoded.bytes, ValuesBytes(values));
    ++owned.encoded.count;

    BatchRequest borrowed = owned;
    const Bytes buffer = borrowed.encoded.bytes;  // the writer's buffer, outliving the request
    borrowed.encoded.bytes.clear();
    borrowed.encoded.borrowed = buffer;
    EXPECT_TRUE(borrowed == owned);

    ExecuteRequest execute_owned;
    execute_owned.id = Hex("aabb");
    execute_owned.params.encoded_values.count = 4;
    execute_owned.params.encoded_values.bytes = ValuesBytes(values);
    ExecuteRequest execute_borrowed = execute_owned;
    const Bytes values_buffer = execute_borrowed.params.encoded_values.bytes;
    execute_borrowed.params.encoded_values.bytes = Hex("ffffffff");  // not read when borrowing
    execute_borrowed.params.encoded_values.borrowed = values_buffer;

    for (int version : {4, 5}) {
      ASSERT_EQ(ToHex(Encode(borrowed, version)), ToHex(Encode(owned, version)));
      ASSERT_EQ(ToHex(Encode(execute_borrowed, version)), ToHex(Encode(execute_owned, version)));
      auto frame_owned = EncodeRequestFrame(owned, {.protocol_version = version});
      auto frame_borrowed = EncodeRequestFrame(borrowed, {.protocol_version = version});
      ASSERT_TRUE(frame_owned.has_value() && frame_borrowed.has_value());
      ASSERT_EQ(ToHex(*frame_borrowed), ToHex(*frame_owned));
    }
    CQLBULK_ASSERT_OK_AND_ASSIGN(std::vector<BatchStatement> from_borrowed,
                                 DecodeStatements(borrowed.encoded));
    CQLBULK_ASSERT_OK_AND_ASSIGN(std::vector<BatchStatement> from_owned,
                                 DecodeStatements(owned.encoded));
    ASSERT_TRUE(from_borrowed == from_owned);
  }
}

TEST(EncodedStatementsTest, DecodeStatementsReadsWhatWasAppended) {
  EncodedStatements encoded;
  AppendPreparedHead(encoded.bytes, Hex("abcd"), 1);
  Append(encoded.bytes, Hex("000000020102"));
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
  Append(encoded.bytes, Hex("ffffffff"));

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
