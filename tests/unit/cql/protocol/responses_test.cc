// SPDX-License-Identifier: Apache-2.0
// Responses the captures do not exercise: every ERROR code with its extra fields (v4 and
// v5 layouts), every EVENT, every RESULT kind, envelopes. Bytes written from the spec.
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/protocol/responses.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::Hex;
using ::cqlbulk::testing::IsError;

/// Encodes, compares with `hex`, decodes and re-encodes (responses hold no operator== for
/// Rows views, so equality is checked on the bytes).
void ExpectRoundTrip(const Response& r, int version, const std::string& hex) {
  auto bytes = EncodeResponse(r, version);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().ToString();
  EXPECT_EQ(ToHex(*bytes), hex);
  auto back = DecodeResponse(ResponseOpcode(r), *bytes, version);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  auto again = EncodeResponse(*back, version);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(ToHex(*again), hex);
}

ErrorResponse Err(ErrorResponseCode code, decltype(ErrorResponse::details) details = {}) {
  return ErrorResponse{static_cast<int32_t>(code), "m", std::move(details)};
}

TEST(ErrorResponseTest, CodesWithoutExtraFields) {
  for (auto code : {ErrorResponseCode::kServerError, ErrorResponseCode::kProtocolError,
                    ErrorResponseCode::kBadCredentials, ErrorResponseCode::kOverloaded,
                    ErrorResponseCode::kIsBootstrapping, ErrorResponseCode::kTruncateError,
                    ErrorResponseCode::kCdcWriteFailure, ErrorResponseCode::kSyntaxError,
                    ErrorResponseCode::kUnauthorized, ErrorResponseCode::kInvalid,
                    ErrorResponseCode::kConfigError}) {
    char code_hex[9];
    std::snprintf(code_hex, sizeof code_hex, "%08x", static_cast<unsigned>(code));
    for (int v : {4, 5}) {
      ExpectRoundTrip(Err(code), v, std::string(code_hex) + "00016d");
    }
  }
}

TEST(ErrorResponseTest, Unavailable) {
  ExpectRoundTrip(Err(ErrorResponseCode::kUnavailable, UnavailableInfo{Consistency::kQuorum, 3, 1}),
                  4, "00001000" "00016d" "0004" "00000003" "00000001");
}

TEST(ErrorResponseTest, WriteTimeoutCarriesContentionsOnlyForCasInV5) {
  WriteTimeoutInfo cas{Consistency::kSerial, 1, 2, "CAS", 4};
  WriteTimeoutInfo simple{Consistency::kOne, 0, 1, "SIMPLE", std::nullopt};

  ExpectRoundTrip(Err(ErrorResponseCode::kWriteTimeout, cas), 5,
                  "00001100" "00016d" "0008" "00000001" "00000002" "0003434153" "0004");
  ExpectRoundTrip(Err(ErrorResponseCode::kWriteTimeout, simple), 5,
                  "00001100" "00016d" "0001" "00000000" "00000001" "000653494d504c45");
  cas.contentions.reset();
  ExpectRoundTrip(Err(ErrorResponseCode::kWriteTimeout, cas), 4,
                  "00001100" "00016d" "0008" "00000001" "00000002" "0003434153");
}

TEST(ErrorResponseTest, ReadTimeout) {
  ExpectRoundTrip(Err(ErrorResponseCode::kReadTimeout,
                      ReadTimeoutInfo{Consistency::kLocalQuorum, 1, 2, true}),
                  5, "00001200" "00016d" "0006" "00000001" "00000002" "01");
}

TEST(ErrorResponseTest, ReadFailureIsNumFailuresInV4AndAReasonMapInV5) {
  ReadFailureInfo v4{Consistency::kOne, 0, 1, 2, {}, false};
  ReadFailureInfo v5{Consistency::kOne, 0, 1, 2,
                     {{Hex("7f000002"), 1}, {Hex("20010db8000000000000000000000001"), 2}}, true};

  ExpectRoundTrip(Err(ErrorResponseCode::kReadFailure, v4), 4,
                  "00001300" "00016d" "0001" "00000000" "00000001" "00000002" "00");
  ExpectRoundTrip(Err(ErrorResponseCode::kReadFailure, v5), 5,
                  "00001300" "00016d" "0001" "00000000" "00000001" "00000002"
                  "047f000002" "0001" "1020010db8000000000000000000000001" "0002" "01");
}

TEST(ErrorResponseTest, WriteFailure) {
  WriteFailureInfo v5{Consistency::kTwo, 1, 2, 1, {{Hex("0a000001"), 3}}, "BATCH"};
  WriteFailureInfo v4{Consistency::kTwo, 1, 2, 1, {}, "BATCH"};

  ExpectRoundTrip(Err(ErrorResponseCode::kWriteFailure, v5), 5,
                  "00001500" "00016d" "0002" "00000001" "00000002" "00000001" "040a000001"
                  "0003" "00054241544348");
  ExpectRoundTrip(Err(ErrorResponseCode::kWriteFailure, v4), 4,
                  "00001500" "00016d" "0002" "00000001" "00000002" "00000001" "00054241544348");
}

TEST(ErrorResponseTest, FunctionFailureCasUnknownAlreadyExistsUnprepared) {
  ExpectRoundTrip(Err(ErrorResponseCode::kFunctionFailure,
                      FunctionFailureInfo{"ks", "f", {"int", "text"}}),
                  5, "00001400" "00016d" "00026b73" "000166" "0002" "0003696e74" "000474657874");
  ExpectRoundTrip(Err(ErrorResponseCode::kCasWriteUnknown,
                      CasWriteUnknownInfo{Consistency::kSerial, 0, 2}),
                  4, "00001700" "00016d" "0008" "00000000" "00000002");
  ExpectRoundTrip(Err(ErrorResponseCode::kAlreadyExists, AlreadyExistsInfo{"ks", ""}), 4,
                  "00002400" "00016d" "00026b73" "0000");
  ExpectRoundTrip(Err(ErrorResponseCode::kUnprepared, UnpreparedInfo{Hex("0102")}), 5,
                  "00002500" "00016d" "00020102");
}

TEST(ErrorResponseTest, UnknownCodesKeepCodeAndMessage) {
  ExpectRoundTrip(ErrorResponse{0x7777, "x", {}}, 4, "00007777" "000178");
}

TEST(ErrorResponseTest, MismatchedDetailsAreRefused) {
  ErrorResponse e = Err(ErrorResponseCode::kUnavailable);  // no UnavailableInfo

  EXPECT_THAT(EncodeResponse(e, 4), IsError(ErrorCode::kInvalidArgument));
}

TEST(ErrorResponseTest, MalformedErrorBodiesAreProtocolErrors) {
  // Truncated extra fields, an impossible reason map, a bad consistency.
  EXPECT_THAT(DecodeResponse(Opcode::kError, Hex("00001000" "00016d" "0004" "0000"), 4),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeResponse(Opcode::kError,
                             Hex("00001300" "00016d" "0001" "00000000" "00000001" "7fffffff"), 5),
              IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeResponse(Opcode::kError,
                             Hex("00001300" "00016d" "0001" "00000000" "00000001" "00000001"
                                 "05aabbccddee" "0001" "00"), 5),
              IsError(ErrorCode::kProtocol));  // a 5-byte [inetaddr]
  EXPECT_THAT(DecodeResponse(Opcode::kError, Hex("00001200" "00016d" "00ff" "0000000000000000" "00"),
                             4),
              IsError(ErrorCode::kProtocol));
}

TEST(ErrorResponseTest, MapsToOurErrorCodes) {
  EXPECT_EQ(ToError(Err(ErrorResponseCode::kUnavailable)).code(), ErrorCode::kUnavailable);
  EXPECT_EQ(ToError(Err(ErrorResponseCode::kOverloaded)).code(), ErrorCode::kOverloaded);
  EXPECT_EQ(ToError(Err(ErrorResponseCode::kReadTimeout)).code(), ErrorCode::kTimeout);
  Error e = ToError(Err(ErrorResponseCode::kSyntaxError));
  EXPECT_EQ(e.code(), ErrorCode::kServer);
  EXPECT_EQ(e.server_code(), 0x2000);
  EXPECT_EQ(e.message(), "Syntax_error: m");
}

TEST(EventTest, TopologyAndStatusChanges) {
  InetAddress node{Hex("7f000002"), 9042};

  ExpectRoundTrip(EventResponse{TopologyChangeEvent{TopologyChangeType::kNewNode, node}}, 4,
                  "000f544f504f4c4f47595f4348414e4745" "00084e45575f4e4f4445"
                  "047f000002" "00002352");
  ExpectRoundTrip(EventResponse{TopologyChangeEvent{TopologyChangeType::kRemovedNode, node}}, 5,
                  "000f544f504f4c4f47595f4348414e4745" "000c52454d4f5645445f4e4f4445"
                  "047f000002" "00002352");
  ExpectRoundTrip(EventResponse{StatusChangeEvent{StatusChangeType::kDown, node}}, 4,
                  "000d5354415455535f4348414e4745" "0004444f574e" "047f000002" "00002352");
  ExpectRoundTrip(EventResponse{StatusChangeEvent{StatusChangeType::kUp, node}}, 5,
                  "000d5354415455535f4348414e4745" "00025550" "047f000002" "00002352");
}

TEST(EventTest, SchemaChangeForEveryTarget) {
  const std::string prefix = "000d534348454d415f4348414e4745";  // "SCHEMA_CHANGE"
  auto event = [](SchemaChange c) { return EventResponse{SchemaChangeEvent{std::move(c)}}; };

  ExpectRoundTrip(event({SchemaChangeType::kCreated, SchemaChangeTarget::kKeyspace, "k", "", {}}),
                  4, prefix + "000743524541544544" "00084b45595350414345" "00016b");
  ExpectRoundTrip(event({SchemaChangeType::kUpdated, SchemaChangeTarget::kTable, "k", "t", {}}),
                  4, prefix + "000755504441544544" "00055441424c45" "00016b" "000174");
  ExpectRoundTrip(event({SchemaChangeType::kDropped, SchemaChangeTarget::kType, "k", "u", {}}),
                  5, prefix + "000744524f50504544" "000454595045" "00016b" "000175");
  ExpectRoundTrip(
      event({SchemaChangeType::kCreated, SchemaChangeTarget::kFunction, "k", "f", {"int"}}), 5,
      prefix + "000743524541544544" "000846554e4354494f4e" "00016b" "000166" "0001" "0003696e74");
  ExpectRoundTrip(
      event({SchemaChangeType::kCreated, SchemaChangeTarget::kAggregate, "k", "a", {}}), 4,
      prefix + "000743524541544544" "0009414747524547415445" "00016b" "000161" "0000");
}

TEST(EventTest, UnknownNamesAreProtocolErrors) {
  EXPECT_THAT(DecodeResponse(Opcode::kEvent, Hex("0003464f4f"), 4), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(DecodeResponse(Opcode::kEvent,
                             Hex("000d5354415455535f4348414e4745" "00034d4548" "047f00000200002352"),
                             4),
              IsError(ErrorCode::kProtocol));
}

TEST(ResultTest, VoidSetKeyspaceAndSchemaChange) {
  ExpectRoundTrip(ResultResponse{VoidResult{}}, 4, "00000001");
  ExpectRoundTrip(ResultResponse{SetKeyspaceResult{"ks"}}, 5, "00000003" "00026b73");
  ExpectRoundTrip(
      ResultResponse{SchemaChangeResult{
          {SchemaChangeType::kDropped, SchemaChangeTarget::kKeyspace, "ks", "", {}}}},
      4, "00000005" "000744524f50504544" "00084b45595350414345" "00026b73");
  EXPECT_THAT(DecodeResponse(Opcode::kResult, Hex("00000009"), 4), IsError(ErrorCode::kProtocol));
}

TEST(ResultTest, PreparedWithPerColumnSpecsAndSeveralPkIndexes) {
  PreparedResult p;
  p.id = Hex("01");
  p.result_metadata_id = Hex("02");
  p.metadata.pk_indexes = {1, 0};
  p.metadata.columns = {{"a", "b", "x", DataType::Native(TypeId::kInt)},
                        {"c", "d", "y", DataType::Native(TypeId::kVarchar)}};
  p.result_metadata.no_metadata = true;

  ExpectRoundTrip(ResultResponse{p}, 5,
                  "00000004" "000101" "000102"
                  "00000000" "00000002" "00000002" "0001" "0000"  // no global spec, 2 pk
                  "000161" "000162" "000178" "0009"                // a.b x int
                  "000163" "000164" "000179" "000d"                // c.d y varchar
                  "00000004" "00000000");                          // result: no metadata
  p.result_metadata_id.clear();
  ExpectRoundTrip(ResultResponse{p}, 4,
                  "00000004" "000101"
                  "00000000" "00000002" "00000002" "0001" "0000"
                  "000161" "000162" "000178" "0009" "000163" "000164" "000179" "000d"
                  "00000004" "00000000");
}

TEST(ResultTest, RowsWithMetadataChangedAndPagingStateInV5) {
  RowsMetadata m;
  m.columns_count = 1;
  m.paging_state = Hex("aa");
  m.new_metadata_id = Hex("bb");
  m.global_table = TableSpec{"k", "t"};
  m.columns = {{"k", "t", "c", DataType::Native(TypeId::kBigint)}};
  Bytes content = Hex("00000001" "05");
  RowsResult rows{m, 1, content};

  ExpectRoundTrip(ResultResponse{rows}, 5,
                  "00000002" "0000000b" "00000001" "00000001aa" "0001bb"
                  "00016b" "000174" "000163" "0002" "00000001" "0000000105");
  m.new_metadata_id.reset();
  EXPECT_THAT(EncodeResponse(ResultResponse{RowsResult{m, 1, content}}, 4),
              cqlbulk::testing::IsOk());
}

TEST(ResponsesTest, HandshakeAndAuthResponses) {
  ExpectRoundTrip(ReadyResponse{}, 4, "");
  ExpectRoundTrip(AuthenticateResponse{"org.apache.cassandra.auth.PasswordAuthenticator"}, 4,
                  "002f" + ToHex(AsBytes("org.apache.cassandra.auth.PasswordAuthenticator")));
  ExpectRoundTrip(SupportedResponse{{{"COMPRESSION", {"lz4", "snappy"}}}}, 5,
                  "0001" "000b434f4d5052455353494f4e" "0002" "00036c7a34" "0006736e61707079");
  ExpectRoundTrip(AuthChallengeResponse{Hex("0102")}, 4, "000000020102");
  ExpectRoundTrip(AuthSuccessResponse{std::nullopt}, 5, "ffffffff");
  EXPECT_THAT(DecodeResponse(Opcode::kQuery, {}, 4), IsError(ErrorCode::kProtocol));
}

TEST(ResponsesTest, ResponseFrameWithTracingWarningsAndCustomPayload) {
  Envelope env;
  env.tracing_id = Uuid{};
  env.tracing_id->bytes[15] = 1;
  env.warnings = {"w"};
  env.custom_payload = BytesMap{{"p", Hex("09")}};
  FrameOptions options{.protocol_version = 5, .stream = -1, .flags = 0};

  CQLBULK_ASSERT_OK_AND_ASSIGN(Bytes frame,
                               EncodeResponseFrame(ResultResponse{VoidResult{}}, options, env));

  // §2.4.1.2: tracing id, then warnings, then custom payload, then the message.
  EXPECT_EQ(ToHex(frame), "85" "0e" "ffff" "08" "00000023"
                          "00000000000000000000000000000001" "0001" "000177"
                          "0001" "000170" "0000000109" "00000001");
  CQLBULK_ASSERT_OK_AND_ASSIGN(std::optional<FrameView> view, PeekFrame(frame));
  CQLBULK_ASSERT_OK_AND_ASSIGN(ResponseFrame back, DecodeResponseFrame(*view));
  EXPECT_EQ(back.envelope, env);
  EXPECT_EQ(std::get<ResultResponse>(back.response).kind(), ResultKind::kVoid);
}

}  // namespace
}  // namespace cqlbulk::cql
