// SPDX-License-Identifier: Apache-2.0
// Request messages the captures do not exercise, with bytes written from the spec
// (native_protocol_v4.spec / v5.spec §4.1).
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/protocol/requests.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::Hex;
using ::cqlbulk::testing::IsError;

Bytes Encode(const Request& r, int version) {
  auto b = EncodeRequest(r, version);
  EXPECT_TRUE(b.has_value()) << b.error().ToString();
  return b.has_value() ? *b : Bytes{};
}

void ExpectRoundTrip(const Request& r, int version, const std::string& hex) {
  Bytes bytes = Encode(r, version);
  EXPECT_EQ(ToHex(bytes), hex);
  auto back = DecodeRequest(RequestOpcode(r), bytes, version);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_TRUE(*back == r);
}

TEST(RequestsTest, QueryWithEveryV5Flag) {
  QueryRequest q;
  q.query = "SELECT";
  q.params.consistency = Consistency::kQuorum;
  q.params.values = {BoundValue::Of(Hex("01")), BoundValue::Null(), BoundValue::Unset()};
  q.params.value_names = {"a", "b", "c"};
  q.params.skip_metadata = true;
  q.params.page_size = 100;
  q.params.paging_state = Hex("abcd");
  q.params.serial_consistency = Consistency::kLocalSerial;
  q.params.timestamp = 42;
  q.params.keyspace = "ks";
  q.params.now_in_seconds = 7;

  ExpectRoundTrip(q, 5,
                  "0000000653454c454354"  // [long string] query
                  "0004"                  // QUORUM
                  "000001ff"              // flags: every bit 0x01..0x100 ([int] in v5)
                  "0003"                  // 3 values
                  "00016100000001" "01"   // "a" = 0x01
                  "000162ffffffff"        // "b" = null (-1)
                  "000163fffffffe"        // "c" = unset (-2)
                  "00000064"              // page size 100
                  "00000002abcd"          // paging state
                  "0009"                  // LOCAL_SERIAL
                  "000000000000002a"      // timestamp
                  "00026b73"              // keyspace "ks"
                  "00000007");            // now_in_seconds
}

TEST(RequestsTest, V4QueryFlagsAreAByteAndRejectV5Fields) {
  QueryRequest q;
  q.query = "Q";
  q.params.consistency = Consistency::kOne;
  q.params.values = {BoundValue::Of(Hex("0a0b"))};
  q.params.timestamp = 1;

  ExpectRoundTrip(q, 4, "0000000151" "0001" "21" "0001000000020a0b" "0000000000000001");

  q.params.keyspace = "ks";
  EXPECT_THAT(EncodeRequest(q, 4), IsError(ErrorCode::kInvalidArgument));
  // A v4 body whose flag byte sets 0x80 is malformed.
  EXPECT_THAT(DecodeRequest(Opcode::kQuery, Hex("0000000151" "0001" "80" "00026b73"), 4),
              IsError(ErrorCode::kProtocol));
}

TEST(RequestsTest, InvalidValueLengthIsRejected) {
  // [value] n < -2 "is an invalid value and results in an error" (§3).
  Bytes body = Hex("0000000151" "0001" "01" "0001" "fffffffd");

  EXPECT_THAT(DecodeRequest(Opcode::kQuery, body, 4), IsError(ErrorCode::kProtocol));
}

TEST(RequestsTest, PrepareV5CarriesFlagsAndKeyspace) {
  PrepareRequest p{"SELECT 1", "golden"};

  ExpectRoundTrip(p, 5, "0000000853454c4543542031" "00000001" "0006676f6c64656e");
  ExpectRoundTrip(PrepareRequest{"X", std::nullopt}, 5, "0000000158" "00000000");
  ExpectRoundTrip(PrepareRequest{"X", std::nullopt}, 4, "0000000158");
  EXPECT_THAT(EncodeRequest(p, 4), IsError(ErrorCode::kInvalidArgument));
}

TEST(RequestsTest, ExecuteV5CarriesResultMetadataId) {
  ExecuteRequest e;
  e.id = Hex("aabb");
  e.result_metadata_id = Hex("cc");
  e.params.consistency = Consistency::kLocalOne;

  ExpectRoundTrip(e, 5, "0002aabb" "0001cc" "000a" "00000000");
  e.result_metadata_id.clear();
  ExpectRoundTrip(e, 4, "0002aabb" "000a" "00");
}

TEST(RequestsTest, CounterBatchWithSerialConsistencyKeyspaceAndNow) {
  BatchRequest b;
  b.type = BatchType::kCounter;
  b.statements.push_back({.is_prepared = false, .query = "U", .id = {},
                          .values = {BoundValue::Of(Hex("01"))}});
  b.statements.push_back({.is_prepared = true, .query = {}, .id = Hex("ff"),
                          .values = {BoundValue::Null(), BoundValue::Unset()}});
  b.consistency = Consistency::kAll;
  b.serial_consistency = Consistency::kSerial;
  b.timestamp = 5;
  b.keyspace = "k";
  b.now_in_seconds = 9;

  ExpectRoundTrip(b, 5,
                  "02" "0002"                             // counter, 2 statements
                  "00" "0000000155" "0001" "0000000101"   // simple "U" (0x01)
                  "01" "0001ff" "0002" "ffffffff" "fffffffe"  // prepared ff (null, unset)
                  "0005"                                  // ALL
                  "000001b0"                              // 0x10|0x20|0x80|0x100
                  "0008" "0000000000000005" "00016b" "00000009");
}

TEST(RequestsTest, V4LoggedAndUnloggedBatchesUseAByteOfFlags) {
  BatchRequest b;
  b.type = BatchType::kUnlogged;
  b.statements.push_back({.is_prepared = true, .query = {}, .id = Hex("01"), .values = {}});
  b.consistency = Consistency::kOne;

  ExpectRoundTrip(b, 4, "01" "0001" "01" "000101" "0000" "0001" "00");
  b.type = BatchType::kLogged;
  ExpectRoundTrip(b, 4, "00" "0001" "01" "000101" "0000" "0001" "00");
}

TEST(RequestsTest, BatchNamesForValuesAndBadKindsAreRejected) {
  EXPECT_THAT(DecodeRequest(Opcode::kBatch, Hex("00" "0001" "01" "000101" "0000" "0001" "40"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeRequest(Opcode::kBatch, Hex("00" "0001" "02" "000101" "0000" "0001" "00"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeRequest(Opcode::kBatch, Hex("03" "0000" "0001" "00"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeRequest(Opcode::kBatch, Hex("00" "ffff" "0001" "00"), 4),
              IsError(ErrorCode::kProtocol));
}

TEST(RequestsTest, HandshakeAndAuthMessages) {
  ExpectRoundTrip(StartupRequest{{{"CQL_VERSION", "3.0.0"}, {"COMPRESSION", "lz4"}}}, 5,
                  "0002" "000b43514c5f56455253494f4e" "0005332e302e30"
                  "000b434f4d5052455353494f4e" "00036c7a34");
  ExpectRoundTrip(OptionsRequest{}, 4, "");
  ExpectRoundTrip(RegisterRequest{{"STATUS_CHANGE"}}, 4, "0001000d5354415455535f4348414e4745");
  ExpectRoundTrip(AuthResponseRequest{Hex("00636173736100636173736100")}, 4,
                  "0000000d00636173736100636173736100");
  ExpectRoundTrip(AuthResponseRequest{std::nullopt}, 5, "ffffffff");
}

TEST(RequestsTest, TrailingBytesAndNonRequestOpcodesAreRejected) {
  EXPECT_THAT(DecodeRequest(Opcode::kOptions, Hex("00"), 4), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeRequest(Opcode::kResult, {}, 4), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeRequest(Opcode::kOptions, {}, 3), IsError(ErrorCode::kProtocol));
}

TEST(RequestsTest, RequestFrameWithCustomPayloadAndTracingFlag) {
  QueryRequest q{"Q", {}};
  Envelope env;
  env.custom_payload = BytesMap{{"k", Hex("0102")}, {"n", std::nullopt}};
  FrameOptions options{.protocol_version = 4, .stream = 3, .flags = kFlagTracing};

  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes frame, EncodeRequestFrame(q, options, env));

  // A request's tracing flag carries no tracing id; the custom payload leads the body.
  EXPECT_EQ(ToHex(frame), "04" "06" "0003" "07" "0000001a"
                          "0002" "00016b" "000000020102" "00016e" "ffffffff"
                          "0000000151" "000a" "00");
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<FrameView> view, PeekFrame(frame));
  ASSERT_TRUE(view.has_value());
  CQLBULK_ASSERT_OK_AND_ASSIGN(RequestFrame back, DecodeRequestFrame(*view));
  EXPECT_EQ(back.envelope, env);
  EXPECT_TRUE(std::get<QueryRequest>(back.request) == q);
  EXPECT_THAT(DecodeResponseFrame(*view), IsError(ErrorCode::kProtocol));
}

}  // namespace
}  // namespace cqlbulk::cql
